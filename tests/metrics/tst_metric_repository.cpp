// MetricRepository on a real temporary SQLite file: the three tiers (raw, 1m, 1h), roll-ups with min/avg/max,
// NULL ([N/A]) readings, history tier choice and point budget, gaps, and pruning.
#include "TestCore.h"
#include "store/MetricRepository.h"

#include <QSqlQuery>
#include <QTest>
#include <functional>

using namespace gpudeck;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

StoredSample at(qint64 connection, qint64 timeMs, int gpu, double util, double temp = 50, double power = 300,
                double used = 1000, double total = 80000)
{
    StoredSample s;
    s.connectionId = connection;
    s.timeMs = timeMs;
    s.gpuIndex = gpu;
    s.utilization = util;
    s.temperatureC = temp;
    s.powerW = power;
    s.memoryUsedMiB = used;
    s.memoryTotalMiB = total;
    return s;
}

struct Rolled
{
    int samples = 0;
    QVariant utilMin, utilAvg, utilMax, tempMin, tempAvg, tempMax, powerMin, powerAvg, powerMax, memAvg, memTotal;
};

} // namespace

class TestMetricRepository : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    qint64 m_a = 0;
    qint64 m_b = 0;

    Database &db() { return m_tc->core().database(); }
    MetricRepository repo() { return MetricRepository(db()); }

    qint64 createConnection(const QString &name)
    {
        Connection c;
        c.name = name;
        c.hostname = QStringLiteral("gpu-host.example");
        c.username = QStringLiteral("user");
        const auto created = m_tc->core().connections().create(c);
        if (!created.ok()) {
            qWarning() << created.error().message;
            return 0;
        }
        return created->id;
    }

    qint64 count(const QString &table, const QString &where = QStringLiteral("1"))
    {
        QSqlQuery q(db().connection());
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE %2").arg(table, where)) || !q.next()) {
            return -1;
        }
        return q.value(0).toLongLong();
    }

    std::optional<Rolled> rolled(const QString &tier, qint64 connection, qint64 bucket, int gpu)
    {
        QSqlQuery q(db().connection());
        q.prepare(
            QStringLiteral("SELECT samples, util_min, util_avg, util_max, temp_min, temp_avg, temp_max, power_min, "
                           "power_avg, power_max, mem_avg, mem_total FROM gpu_metrics_%1 "
                           "WHERE connection_id = ? AND bucket = ? AND gpu_index = ?")
                .arg(tier));
        q.addBindValue(connection);
        q.addBindValue(bucket);
        q.addBindValue(gpu);
        if (!q.exec() || !q.next()) {
            return std::nullopt;
        }
        Rolled r;
        r.samples = q.value(0).toInt();
        r.utilMin = q.value(1);
        r.utilAvg = q.value(2);
        r.utilMax = q.value(3);
        r.tempMin = q.value(4);
        r.tempAvg = q.value(5);
        r.tempMax = q.value(6);
        r.powerMin = q.value(7);
        r.powerAvg = q.value(8);
        r.powerMax = q.value(9);
        r.memAvg = q.value(10);
        r.memTotal = q.value(11);
        return r;
    }

    // Inserts a rolled row directly (for the pruning test).
    void insertRolled(const QString &tier, qint64 connection, qint64 bucket, int gpu)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("INSERT INTO gpu_metrics_%1 (connection_id, bucket, gpu_index, samples, util_avg) "
                                 "VALUES (?, ?, ?, 60, 50)")
                      .arg(tier));
        q.addBindValue(connection);
        q.addBindValue(bucket);
        q.addBindValue(gpu);
        QVERIFY(q.exec());
    }

    static qint64 totalSamples(const History &h, int gpu = -1)
    {
        qint64 n = 0;
        for (const HistoryPoint &p : h.points) {
            if (gpu < 0 || p.gpuIndex == gpu) {
                n += p.samples;
            }
        }
        return n;
    }
    static QMap<int, int> pointsPerGpu(const History &h)
    {
        QMap<int, int> per;
        for (const HistoryPoint &p : h.points) {
            per[p.gpuIndex]++;
        }
        return per;
    }

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>(false);
        m_a = createConnection(QStringLiteral("host-a"));
        m_b = createConnection(QStringLiteral("host-b"));
        QVERIFY(m_a > 0 && m_b > 0);
    }

    void cleanup() { m_tc.reset(); }

    void insertStoresNullsAndReplacesDuplicates()
    {
        const qint64 t = QDateTime::currentMSecsSinceEpoch() - kMinute;
        QList<StoredSample> batch{at(m_a, t, 0, 10), at(m_a, t, 1, kNoValue, kNoValue, kNoValue, kNoValue, kNoValue),
                                  at(m_b, t, 0, 30)};
        QVERIFY(repo().insert(batch).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 3);
        QCOMPARE(count(QStringLiteral("gpu_metrics"),
                       QStringLiteral("gpu_index = 1 AND gpu_utilization IS NULL AND temperature_c IS NULL AND "
                                      "power_watts IS NULL AND memory_used_mb IS NULL AND memory_total_mb IS NULL")),
                 1);
        // The same GPU at the same moment again: replaced, not doubled.
        QVERIFY(repo().insert({at(m_a, t, 0, 20)}).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 3);
        QCOMPARE(count(QStringLiteral("gpu_metrics"), QStringLiteral("gpu_index = 0 AND gpu_utilization = 20")), 1);
        QVERIFY(repo().insert({}).ok());

        // A sample of a connection deleted meanwhile is dropped; the rest of the batch is kept.
        QVERIFY(m_tc->core().connections().remove(m_b, true).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 2); // ON DELETE CASCADE
        QVERIFY(repo().insert({at(m_b, t + 1000, 0, 1), at(m_a, t + 1000, 0, 2)}).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 3);

        // NULLs come back as missing values, not zeros.
        HistoryQuery q;
        q.connectionId = m_a;
        q.fromMs = t - kMinute;
        q.toMs = t + kMinute;
        q.sampleIntervalMs = 1000;
        const auto h = repo().history(q);
        QVERIFY(h.ok());
        bool sawGpu1 = false;
        for (const HistoryPoint &p : h->points) {
            if (p.gpuIndex == 1) {
                sawGpu1 = true;
                QCOMPARE(p.samples, 1);
                QVERIFY(!hasValue(p.utilization.avg) && !hasValue(p.utilization.min) && !hasValue(p.temperatureC.max));
                QVERIFY(!hasValue(p.memoryTotalMiB));
            }
        }
        QVERIFY(sawGpu1);
        const QJsonObject json = h->toJson(m_a, q.fromMs, q.toMs);
        for (const QJsonValue &g : json.value(QStringLiteral("gpus")).toArray()) {
            if (g.toObject().value(QStringLiteral("gpu_index")).toInt() == 1) {
                const QJsonObject p = g.toObject().value(QStringLiteral("points")).toArray().at(0).toObject();
                QVERIFY(p.value(QStringLiteral("utilization")).toObject().value(QStringLiteral("avg")).isNull());
                QVERIFY(p.value(QStringLiteral("memory_total_mb")).isNull());
            }
        }
    }

    void rollUpMinuteMinAvgMax()
    {
        // A fixed, hour-aligned timeline two days back; rollUp takes "now" as an argument.
        const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() - 2 * kDay) / kHour * kHour;
        QList<StoredSample> batch;
        for (int s = 0; s < 60; ++s) {
            // GPU 0: utilisation 0..59, temperature 40..44 repeating, power [N/A] for the first half.
            batch << at(m_a, t0 + s * kSecond, 0, s, 40 + s % 5, s < 30 ? kNoValue : 200 + s, 1000 + s);
            // GPU 1: every other second, constant; its power never known.
            if (s % 2 == 0) {
                batch << at(m_a, t0 + s * kSecond, 1, 50, 60, kNoValue);
            }
        }
        batch << at(m_a, t0 + kMinute + 1000, 0, 99);       // the next minute: not complete yet
        batch << at(m_b, t0 + 30 * kSecond, 0, 7, 30, 100); // another host, same minute
        QVERIFY(repo().insert(batch).ok());

        QVERIFY(repo().rollUp(t0 + kMinute + 5 * kSecond).ok()); // grace 5 s: [t0, t0 + 1 min) is complete
        QCOMPARE(repo().rolledUntil(QStringLiteral("1m")), t0 + kMinute);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 3);

        const auto g0 = rolled(QStringLiteral("1m"), m_a, t0, 0);
        QVERIFY(g0);
        QCOMPARE(g0->samples, 60);
        QCOMPARE(g0->utilMin.toDouble(), 0.0);
        QCOMPARE(g0->utilAvg.toDouble(), 29.5);
        QCOMPARE(g0->utilMax.toDouble(), 59.0);
        QCOMPARE(g0->tempMin.toDouble(), 40.0);
        QCOMPARE(g0->tempAvg.toDouble(), 42.0);
        QCOMPARE(g0->tempMax.toDouble(), 44.0);
        QCOMPARE(g0->powerMin.toDouble(), 230.0); // NULLs neither count as 0 nor drag the average
        QCOMPARE(g0->powerAvg.toDouble(), 244.5);
        QCOMPARE(g0->powerMax.toDouble(), 259.0);
        QCOMPARE(g0->memAvg.toDouble(), 1029.5);
        QCOMPARE(g0->memTotal.toDouble(), 80000.0);

        const auto g1 = rolled(QStringLiteral("1m"), m_a, t0, 1);
        QVERIFY(g1);
        QCOMPARE(g1->samples, 30);
        QCOMPARE(g1->utilAvg.toDouble(), 50.0);
        QVERIFY(g1->powerMin.isNull() && g1->powerAvg.isNull() && g1->powerMax.isNull());

        const auto b0 = rolled(QStringLiteral("1m"), m_b, t0, 0);
        QVERIFY(b0);
        QCOMPARE(b0->samples, 1);
        QCOMPARE(b0->utilAvg.toDouble(), 7.0);

        QVERIFY(!rolled(QStringLiteral("1m"), m_a, t0 + kMinute, 0)); // in progress
        // No complete hour yet.
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 0);

        // Idempotent, and a later run picks up where the last one stopped.
        QVERIFY(repo().rollUp(t0 + kMinute + 5 * kSecond).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 3);
        QVERIFY(repo().rollUp(t0 + kMinute + 4 * kSecond + kMinute).ok()); // t0+2min-1s: minute 2 not done
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 3);
        QVERIFY(repo().rollUp(t0 + 2 * kMinute + 5 * kSecond).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 4);
        QCOMPARE(rolled(QStringLiteral("1m"), m_a, t0 + kMinute, 0)->utilAvg.toDouble(), 99.0);
        QCOMPARE(rolled(QStringLiteral("1m"), m_a, t0, 0)->samples, 60); // untouched
    }

    void rollUpHourWeightsMinutesBySamples()
    {
        const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() - 2 * kDay) / kHour * kHour;
        QList<StoredSample> batch;
        for (int s = 0; s < 60; ++s) {
            batch << at(m_a, t0 + s * kSecond, 0, 10, 40, 100); // minute 0: 60 samples at 10
        }
        for (int s = 0; s < 60; s += 2) {
            batch << at(m_a, t0 + kMinute + s * kSecond, 0, 40, 80, kNoValue); // minute 1: 30 samples at 40
        }
        for (int s = 0; s < 60; ++s) {
            batch << at(m_a, t0 + 59 * kMinute + s * kSecond, 0, 25, 60, 300); // the last minute of the hour
        }
        batch << at(m_a, t0 + kHour + 10 * kSecond, 0, 90); // the next hour
        QVERIFY(repo().insert(batch).ok());

        // Not yet: the last minute of the hour is within the grace.
        QVERIFY(repo().rollUp(t0 + kHour + 4 * kSecond).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 0);
        QCOMPARE(repo().rolledUntil(QStringLiteral("1m")), t0 + 59 * kMinute);

        QVERIFY(repo().rollUp(t0 + kHour + 5 * kSecond).ok());
        QCOMPARE(repo().rolledUntil(QStringLiteral("1h")), t0 + kHour);
        const auto h = rolled(QStringLiteral("1h"), m_a, t0, 0);
        QVERIFY(h);
        QCOMPARE(h->samples, 150);
        QCOMPARE(h->utilMin.toDouble(), 10.0);
        QCOMPARE(h->utilMax.toDouble(), 40.0);
        // (60*10 + 30*40 + 60*25) / 150 = 22, not the plain mean of the three minute averages (25).
        QCOMPARE(h->utilAvg.toDouble(), 22.0);
        QCOMPARE(h->tempAvg.toDouble(), (60 * 40 + 30 * 80 + 60 * 60) / 150.0);
        // Power: minute 1 had no reading at all; its samples must not count.
        QCOMPARE(h->powerAvg.toDouble(), (60 * 100 + 60 * 300) / 120.0);
        QCOMPARE(h->powerMin.toDouble(), 100.0);
        QCOMPARE(h->powerMax.toDouble(), 300.0);
        QCOMPARE(h->memTotal.toDouble(), 80000.0);
        QVERIFY(!rolled(QStringLiteral("1h"), m_a, t0 + kHour, 0));

        // Idempotent.
        QVERIFY(repo().rollUp(t0 + kHour + 5 * kSecond).ok());
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 1);
        QCOMPARE(rolled(QStringLiteral("1h"), m_a, t0, 0)->samples, 150);
    }

    void hourAverageWithPartlyMissingReadings()
    {
        // Within one minute some readings are missing ([N/A]) and some are not. The hour's average should
        // weigh each minute by the samples that HAD a reading: (60*10 + 30*70) / 90 = 30.
        const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() - 2 * kDay) / kHour * kHour;
        QList<StoredSample> batch;
        for (int s = 0; s < 60; ++s) {
            batch << at(m_a, t0 + s * kSecond, 0, 10);
            batch << at(m_a, t0 + kMinute + s * kSecond, 0, s < 30 ? kNoValue : 70);
        }
        QVERIFY(repo().insert(batch).ok());
        QVERIFY(repo().rollUp(t0 + kHour + 5 * kSecond).ok());
        const auto m1 = rolled(QStringLiteral("1m"), m_a, t0 + kMinute, 0);
        QVERIFY(m1);
        QCOMPARE(m1->utilAvg.toDouble(), 70.0); // the minute itself is right
        const auto h = rolled(QStringLiteral("1h"), m_a, t0, 0);
        QVERIFY(h);
        // Core bug (reported): the 1m tier keeps one `samples` count per row, not one per metric, so a minute
        // with some NULL readings is weighed by all its samples: (60*10 + 60*70) / 120 = 40.
        QEXPECT_FAIL("",
                     "1m rows carry no per-metric count: partly-missing minutes are over-weighted in 1h and history",
                     Continue);
        QCOMPARE(h->utilAvg.toDouble(), 30.0);
    }

    void historyPicksTheTierAndReadsEverySampleOnce()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 70 * kMinute;
        QList<StoredSample> batch;
        qint64 seeded = 0;
        for (qint64 t = start; t < now - kSecond; t += kSecond) {
            batch << at(m_a, t, 0, static_cast<double>((t / kSecond) % 100));
            ++seeded;
        }
        QVERIFY(repo().insert(batch).ok());
        QVERIFY(repo().rollUp(now).ok());
        QVERIFY(count(QStringLiteral("gpu_metrics_1m")) >= 60);
        QVERIFY(count(QStringLiteral("gpu_metrics_1h")) >= 1); // the completed hour (two when just past the hour)

        auto query = [&](qint64 spanMs, int maxPoints, const MetricRetention &retention = {}) {
            HistoryQuery q;
            q.connectionId = m_a;
            q.toMs = QDateTime::currentMSecsSinceEpoch() + kSecond;
            q.fromMs = q.toMs - spanMs;
            q.maxPoints = maxPoints;
            q.sampleIntervalMs = 1000;
            const auto h = repo().history(q, retention);
            if (!h.ok()) {
                qWarning() << h.error().message;
            }
            return h.ok() ? h.value() : History{};
        };

        // 1 h: raw samples.
        History h = query(kHour, 500);
        QCOMPARE(h.tier, QStringLiteral("raw"));
        QVERIFY(pointsPerGpu(h).value(0) <= 500);
        QVERIFY(h.bucketMs >= kHour / 500 && h.bucketMs < kMinute);
        QVERIFY(h.gaps.isEmpty());

        // 24 h: 1-minute roll-ups (plus the raw tail they have not reached), every sample counted once.
        h = query(kDay, 500);
        QCOMPARE(h.tier, QStringLiteral("1m"));
        QCOMPARE(h.bucketMs % kMinute, 0);
        QVERIFY(pointsPerGpu(h).value(0) <= 500);
        QCOMPARE(totalSamples(h), seeded);

        // 7 days at 500 points: the 1-hour tier answers (168 points: at least a quarter of those asked for, at
        // a fraction of the cost of aggregating 10,080 minutes); at 100 points too, with hour-long buckets.
        h = query(7 * kDay, 500);
        QCOMPARE(h.tier, QStringLiteral("1h"));
        QCOMPARE(h.bucketMs % kHour, 0);
        QVERIFY(pointsPerGpu(h).value(0) <= 500);
        QCOMPARE(totalSamples(h), seeded);
        h = query(7 * kDay, 100);
        QCOMPARE(h.tier, QStringLiteral("1h"));
        QCOMPARE(h.bucketMs % kHour, 0);
        QVERIFY(pointsPerGpu(h).value(0) <= 100);
        QCOMPARE(totalSamples(h), seeded); // 1h up to its roll-up position, then 1m, then raw

        // Where a finer tier no longer keeps data, the coarser one answers even for small buckets.
        MetricRetention shortMinutes;
        shortMinutes.minuteMs = 3 * kDay;
        h = query(7 * kDay, 500, shortMinutes);
        QCOMPARE(h.tier, QStringLiteral("1h"));
        MetricRetention shortRaw;
        shortRaw.rawMs = 30 * kMinute;
        h = query(kHour, 500, shortRaw);
        QCOMPARE(h.tier, QStringLiteral("1m"));
        // Rolled rows count from their bucket start: the minute cut by the window's start is left out (and the
        // seeded samples end a second or two before the window does).
        QVERIFY2(totalSamples(h) <= kHour / kSecond + 1 && totalSamples(h) > kHour / kSecond - kMinute / kSecond - 10,
                 qPrintable(QString::number(totalSamples(h))));

        // Averages survive the tiers: the same mean whichever tier answers.
        auto overallAvg = [](const History &hist) {
            double sum = 0;
            qint64 n = 0;
            for (const HistoryPoint &p : hist.points) {
                sum += p.utilization.avg * p.samples;
                n += p.samples;
            }
            return n ? sum / static_cast<double>(n) : kNoValue;
        };
        const double rawAvg = overallAvg(query(2 * kHour, 10000));
        QVERIFY(qAbs(overallAvg(query(7 * kDay, 100)) - rawAvg) < 1e-6);
        QVERIFY(qAbs(overallAvg(query(kDay, 500)) - rawAvg) < 1e-6);
    }

    void historyNeverExceedsMaxPoints()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StoredSample> batch;
        for (qint64 t = now - 2 * kHour; t < now; t += kSecond) {
            batch << at(m_a, t, 0, 50) << at(m_a, t, 1, 60) << at(m_a, t, 3, 70);
        }
        QVERIFY(repo().insert(batch).ok());
        QVERIFY(repo().rollUp(now).ok());
        for (int maxPoints : {2, 3, 7, 10, 59, 100, 499, 500, 1000}) {
            for (qint64 span : {10 * kMinute, kHour + 1234, 2 * kHour, kDay, 7 * kDay}) {
                for (qint64 offset : {qint64(0), qint64(1), qint64(777), qint64(59'999)}) {
                    HistoryQuery q;
                    q.connectionId = m_a;
                    q.toMs = now - offset;
                    q.fromMs = q.toMs - span;
                    q.maxPoints = maxPoints;
                    q.sampleIntervalMs = 1000;
                    const auto h = repo().history(q);
                    QVERIFY(h.ok());
                    const QMap<int, int> per = pointsPerGpu(h.value());
                    QCOMPARE(per.keys(), (QList<int>{0, 1, 3}));
                    for (auto it = per.begin(); it != per.end(); ++it) {
                        QVERIFY2(
                            it.value() <= maxPoints,
                            qPrintable(QStringLiteral("gpu %1: %2 points for max %3 (span %4 ms, offset %5, tier %6)")
                                           .arg(it.key())
                                           .arg(it.value())
                                           .arg(maxPoints)
                                           .arg(span)
                                           .arg(offset)
                                           .arg(h->tier)));
                    }
                    // Sorted by GPU, then time.
                    for (qsizetype i = 1; i < h->points.size(); ++i) {
                        const HistoryPoint &a = h->points.at(i - 1);
                        const HistoryPoint &b = h->points.at(i);
                        QVERIFY(a.gpuIndex < b.gpuIndex || (a.gpuIndex == b.gpuIndex && a.timeMs < b.timeMs));
                    }
                }
            }
        }
        // One GPU only.
        HistoryQuery q;
        q.connectionId = m_a;
        q.toMs = now;
        q.fromMs = now - kHour;
        q.gpu = 1;
        q.sampleIntervalMs = 1000;
        const auto one = repo().history(q);
        QVERIFY(one.ok());
        QCOMPARE(pointsPerGpu(one.value()).keys(), QList<int>{1});
        // Another connection sees none of it.
        q.connectionId = m_b;
        q.gpu = -1;
        QVERIFY(repo().history(q)->points.isEmpty());
    }

    void gapsAreReportedNotInterpolated()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / kSecond * kSecond;
        const qint64 from = now - 10 * kMinute;
        QList<StoredSample> batch;
        // Two GPUs streaming, down from -6 min to -3 min, streaming again until -1 min.
        for (qint64 t = from; t < now - kMinute; t += kSecond) {
            if (t >= now - 6 * kMinute && t < now - 3 * kMinute) {
                continue;
            }
            batch << at(m_a, t, 0, 10) << at(m_a, t, 1, 20);
        }
        // A single missed sample is not a gap.
        batch.removeIf([&](const StoredSample &s) { return s.timeMs == from + 30 * kSecond; });
        QVERIFY(repo().insert(batch).ok());

        HistoryQuery q;
        q.connectionId = m_a;
        q.fromMs = from;
        q.toMs = now;
        q.maxPoints = 10000;
        q.sampleIntervalMs = 1000;
        auto h = repo().history(q);
        QVERIFY(h.ok());
        QCOMPARE(h->bucketMs, kSecond);
        QCOMPARE(h->gaps.size(), 1); // judged once per host, not once per GPU
        QCOMPARE(h->gaps.at(0).first, now - 6 * kMinute);
        QCOMPARE(h->gaps.at(0).second, now - 3 * kMinute);
        for (const HistoryPoint &p : h->points) {
            QVERIFY2(p.timeMs < h->gaps.at(0).first || p.timeMs >= h->gaps.at(0).second, "a point inside the gap");
            QCOMPARE(p.samples, 1);
        }
        const QJsonObject json = h->toJson(m_a, q.fromMs, q.toMs);
        QCOMPARE(json.value(QStringLiteral("gaps")).toArray().size(), 1);
        QCOMPARE(
            parseIsoUtc(
                json.value(QStringLiteral("gaps")).toArray().at(0).toObject().value(QStringLiteral("from")).toString())
                .toMSecsSinceEpoch(),
            now - 6 * kMinute);

        // Coarser buckets: the outage is still a gap as long as it spans more than two of them.
        q.maxPoints = 101; // 6 s buckets
        h = repo().history(q);
        QVERIFY(h.ok());
        QCOMPARE(h->bucketMs, 6 * kSecond);
        QCOMPARE(h->gaps.size(), 1);
        QVERIFY(h->gaps.at(0).first >= now - 6 * kMinute && h->gaps.at(0).first <= now - 6 * kMinute + 6 * kSecond);
        QVERIFY(h->gaps.at(0).second <= now - 3 * kMinute && h->gaps.at(0).second >= now - 3 * kMinute - 6 * kSecond);
        // Buckets wider than half the outage: no gap to speak of.
        q.maxPoints = 5;
        QVERIFY(repo().history(q)->gaps.isEmpty());
    }

    void pruneRemovesOnlyWhatIsPastRetentionInBatches()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        MetricRetention r;
        r.rawMs = kHour;
        r.minuteMs = 2 * kHour;
        r.hourMs = 3 * kHour;
        QList<StoredSample> raw;
        for (int i = 0; i < 100; ++i) {
            raw << at(m_a, now - r.rawMs - 1 - i * kSecond, 0, 1); // past retention
        }
        for (int i = 0; i < 40; ++i) {
            raw << at(m_b, now - r.rawMs + i * kSecond, 0, 1); // within (the first exactly at the edge)
        }
        QVERIFY(repo().insert(raw).ok());
        for (int i = 0; i < 70; ++i) {
            insertRolled(QStringLiteral("1m"), m_a, now - r.minuteMs - 1 - i * kMinute, 0);
        }
        for (int i = 0; i < 10; ++i) {
            insertRolled(QStringLiteral("1m"), m_a, now - r.minuteMs + i * kMinute, 0);
        }
        for (int i = 0; i < 5; ++i) {
            insertRolled(QStringLiteral("1h"), m_a, now - r.hourMs - 1 - i * kHour, 0);
            insertRolled(QStringLiteral("1h"), m_a, now - r.hourMs + i * kMinute, 0);
        }

        // At most `batch` rows per tier per call.
        auto pruned = repo().prune(now, r, 30);
        QVERIFY(pruned.ok());
        QCOMPARE(pruned.value(), 30 + 30 + 5);
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 140 - 30);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 80 - 30);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 5);
        int calls = 1;
        int total = pruned.value();
        while ((pruned = repo().prune(now, r, 30)).ok() && pruned.value() > 0) {
            QVERIFY(pruned.value() <= 90);
            total += pruned.value();
            ++calls;
        }
        QVERIFY(pruned.ok());
        QCOMPARE(total, 100 + 70 + 5);
        QCOMPARE(calls, 4); // 100 raw rows in batches of 30
        // Exactly what is within retention is left.
        QCOMPARE(count(QStringLiteral("gpu_metrics")), 40);
        QCOMPARE(count(QStringLiteral("gpu_metrics"), QStringLiteral("connection_id = %1").arg(m_b)), 40);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 10);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 5);
        QCOMPARE(repo().prune(now, r).value(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMetricRepository)
#include "tst_metric_repository.moc"
