// MetricRepository on a real temporary SQLite file: the three tiers (raw chunks, 1m, 1h), roll-ups with min, max,
// sum and count, NULL ([N/A]) readings, history tier choice and point budget, gaps, the history JSON bytes, and
// pruning; the raw chunk encoding on its own.
#include "TestCore.h"
#include "store/Database.h"
#include "store/MetricChunk.h"
#include "store/MetricRepository.h"
#include "store/Migrations.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
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

// Schema 14's aggregates (the old MetricRepository's SQL), to answer history as it did before migrations 15, 16.
QString oldRawAggregates()
{
    QStringList parts{QStringLiteral("COUNT(*)")};
    for (const char *c : {"gpu_utilization", "memory_used_mb", "temperature_c", "power_watts"}) {
        const QString n = QString::fromLatin1(c);
        parts << QStringLiteral("MIN(%1), AVG(%1), MAX(%1)").arg(n);
        if (n == QStringLiteral("memory_used_mb")) {
            parts << QStringLiteral("MAX(memory_total_mb)");
        }
    }
    return parts.join(QStringLiteral(", "));
}

// The count of readings per metric, appended to the raw aggregates by the reference below.
QString rawReadingCounts()
{
    return QStringLiteral(", COUNT(gpu_utilization), COUNT(memory_used_mb), COUNT(temperature_c), COUNT(power_watts)");
}

QString oldRolledAggregates()
{
    QStringList parts{QStringLiteral("SUM(samples)")};
    for (const char *m : {"util", "mem", "temp", "power"}) {
        const QString n = QString::fromLatin1(m);
        parts << QStringLiteral("MIN(%1_min), SUM(%1_avg * samples) / NULLIF(SUM(CASE WHEN %1_avg IS NULL THEN 0 ELSE "
                                "samples END), 0), MAX(%1_max)")
                     .arg(n);
        if (n == QStringLiteral("mem")) {
            parts << QStringLiteral("MAX(mem_total)");
        }
    }
    return parts.join(QStringLiteral(", "));
}

struct OldPoint
{
    qint64 samples = 0;
    double min[4] = {kNoValue, kNoValue, kNoValue, kNoValue};
    double max[4] = {kNoValue, kNoValue, kNoValue, kNoValue};
    double weighted[4] = {0, 0, 0, 0};
    qint64 weight[4] = {0, 0, 0, 0};
    double memTotal = kNoValue;
};

// History as schema 14 answered it: the same tier and sources, its SQL, its weighting, except for the one thing
// migration 15 fixes: where a bucket merged raw rows with others (the not-yet-rolled tail), schema 14 weighed a raw
// average by all samples, [N/A] ones too; here, as now, by the readings there. Rolled rows keep their old weight
// (a converted row cannot know better).
std::map<std::pair<int, qint64>, OldPoint> oldHistory(QSqlDatabase db, qint64 connection, qint64 from, qint64 to,
                                                      const QString &tier, qint64 bucket)
{
    auto rolledUntil = [&](const char *t) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT done_until FROM metric_rollups WHERE tier = ?"));
        q.addBindValue(QString::fromLatin1(t));
        return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    };
    QList<std::tuple<QString, qint64, qint64>> sources; // table, from, to
    qint64 cursor = from;
    if (tier == QStringLiteral("1h")) {
        const qint64 until = std::min(to, rolledUntil("1h"));
        if (until > cursor) {
            sources.append({QStringLiteral("gpu_metrics_1h"), cursor, until});
            cursor = until;
        }
    }
    if (tier != QStringLiteral("raw") && cursor < to) {
        const qint64 until = std::min(to, rolledUntil("1m"));
        if (until > cursor) {
            sources.append({QStringLiteral("gpu_metrics_1m"), cursor, until});
            cursor = until;
        }
    }
    if (cursor < to) {
        sources.append({QStringLiteral("gpu_metrics"), cursor, to});
    }
    std::map<std::pair<int, qint64>, OldPoint> points;
    for (const auto &[table, a, b] : sources) {
        const bool raw = table == QStringLiteral("gpu_metrics");
        const QString time = raw ? QStringLiteral("recorded_at") : QStringLiteral("bucket");
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT gpu_index, %1 / %2, %3 FROM %4 WHERE connection_id = ? AND %1 >= ? AND %1 < ? "
                                 "GROUP BY gpu_index, %1 / %2")
                      .arg(time)
                      .arg(bucket)
                      .arg(raw ? oldRawAggregates() + rawReadingCounts() : oldRolledAggregates(), table));
        q.addBindValue(connection);
        q.addBindValue(a);
        q.addBindValue(b);
        if (!q.exec()) {
            qWarning() << q.lastError().text();
            return {};
        }
        while (q.next()) {
            OldPoint &p = points[{q.value(0).toInt(), q.value(1).toLongLong() * bucket}];
            const qint64 n = q.value(2).toLongLong();
            p.samples += n;
            int c = 3;
            for (int m = 0; m < 4; ++m) {
                const QVariant mn = q.value(c), avg = q.value(c + 1), mx = q.value(c + 2);
                c += 3;
                if (!mn.isNull()) {
                    p.min[m] = hasValue(p.min[m]) ? std::min(p.min[m], mn.toDouble()) : mn.toDouble();
                }
                if (!mx.isNull()) {
                    p.max[m] = hasValue(p.max[m]) ? std::max(p.max[m], mx.toDouble()) : mx.toDouble();
                }
                const qint64 readings = raw ? q.value(16 + m).toLongLong() : n;
                if (!avg.isNull()) {
                    p.weighted[m] += avg.toDouble() * static_cast<double>(readings);
                    p.weight[m] += readings;
                }
                if (m == 1) {
                    if (!q.value(c).isNull()) {
                        p.memTotal =
                            hasValue(p.memTotal) ? std::max(p.memTotal, q.value(c).toDouble()) : q.value(c).toDouble();
                    }
                    ++c;
                }
            }
        }
    }
    return points;
}

bool same(double a, double b)
{
    return hasValue(a) == hasValue(b) && (!hasValue(a) || qAbs(a - b) <= 1e-9 * std::max(1.0, qAbs(a)));
}

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
        q.prepare(QStringLiteral(
                      "SELECT samples, util_min, util_sum / util_n, util_max, temp_min, temp_sum / temp_n, temp_max, "
                      "power_min, power_sum / power_n, power_max, mem_sum / mem_n, mem_total FROM gpu_metrics_%1 "
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
        q.prepare(QStringLiteral("INSERT INTO gpu_metrics_%1 (connection_id, bucket, gpu_index, samples, util_sum, "
                                 "util_n) VALUES (?, ?, ?, 60, 3000, 60)")
                      .arg(tier));
        q.addBindValue(connection);
        q.addBindValue(bucket);
        q.addBindValue(gpu);
        QVERIFY(q.exec());
    }

    // Raw samples stored for a connection (every connection: 0).
    qint64 rawCount(qint64 connection = 0)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("SELECT COALESCE(SUM(samples), 0) FROM gpu_metric_chunks WHERE ? = 0 OR "
                                 "connection_id = ?"));
        q.addBindValue(connection);
        q.addBindValue(connection);
        return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
    }

    QList<StoredSample> raw(qint64 connection)
    {
        const auto samples = repo().rawSamples(connection, 0, std::numeric_limits<qint64>::max() / 2);
        return samples.ok() ? samples.value() : QList<StoredSample>{};
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
        QCOMPARE(rawCount(), 3);
        QList<StoredSample> a = raw(m_a);
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(1).gpuIndex, 1);
        QVERIFY(!hasValue(a.at(1).utilization) && !hasValue(a.at(1).temperatureC) && !hasValue(a.at(1).powerW) &&
                !hasValue(a.at(1).memoryUsedMiB) && !hasValue(a.at(1).memoryTotalMiB));
        QCOMPARE(a.at(0).utilization, 10.0);
        QCOMPARE(a.at(0).timeMs, t);
        // The same GPU at the same moment again: replaced, not doubled; a later second joins the same chunk.
        QVERIFY(repo().insert({at(m_a, t, 0, 20)}).ok());
        QCOMPARE(rawCount(), 3);
        QCOMPARE(raw(m_a).at(0).utilization, 20.0);
        QVERIFY(repo().insert({}).ok());

        // A sample of a connection deleted meanwhile is dropped; the rest of the batch is kept.
        QVERIFY(m_tc->core().connections().remove(m_b, true).ok());
        QCOMPARE(rawCount(), 2); // ON DELETE CASCADE
        QVERIFY(repo().insert({at(m_b, t + 1000, 0, 1), at(m_a, t + 1000, 0, 2)}).ok());
        QCOMPARE(rawCount(), 3);
        a = raw(m_a);
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.at(0).timeMs, t); // GPU 0 in time order, then GPU 1
        QCOMPARE(a.at(1).timeMs, t + 1000);
        QCOMPARE(a.at(1).utilization, 2.0);

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
        // Each minute keeps the count of its readings, not only of its samples: not (60*10 + 60*70) / 120 = 40.
        QCOMPARE(h->utilAvg.toDouble(), 30.0);
        QCOMPARE(h->samples, 120);
        // History over the 1m tier weighs the same way.
        HistoryQuery q;
        q.connectionId = m_a;
        q.fromMs = t0;
        q.toMs = t0 + 12 * kMinute;
        q.maxPoints = 4; // 4-minute buckets: both minutes in one
        q.sampleIntervalMs = 1000;
        MetricRetention keepAll;
        keepAll.rawMs = 0; // the minutes answer
        const auto history = repo().history(q, keepAll);
        QVERIFY(history.ok());
        QCOMPARE(history->tier, QStringLiteral("1m"));
        QCOMPARE(history->points.size(), 1);
        QCOMPARE(history->points.at(0).utilization.avg, 30.0);
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
        const qint64 edgeMinute = (now - r.rawMs) / kMinute * kMinute;
        for (int i = 0; i < 100; ++i) {
            raw << at(m_a, edgeMinute - (i + 1) * kMinute + 30 * kSecond, 0, 1); // past retention: a chunk each
        }
        raw << at(m_a, edgeMinute, 0, 1); // its minute ends after the edge: kept
        for (int i = 0; i < 40; ++i) {
            raw << at(m_b, now - r.rawMs + i * kSecond, 0, 1); // within (the first exactly at the edge)
        }
        QVERIFY(repo().insert(raw).ok());
        const qint64 bChunks =
            count(QStringLiteral("gpu_metric_chunks"), QStringLiteral("connection_id = %1").arg(m_b));
        QVERIFY(bChunks == 1 || bChunks == 2);
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
        QCOMPARE(rawCount(m_a), 101 - 30);
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
        QCOMPARE(calls, 4); // 100 raw chunks in batches of 30
        // Exactly what is within retention is left.
        QCOMPARE(rawCount(m_a), 1);
        QCOMPARE(rawCount(m_b), 40);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1m")), 10);
        QCOMPARE(count(QStringLiteral("gpu_metrics_1h")), 5);
        QCOMPARE(repo().prune(now, r).value(), 0);
    }

    void migrationKeepsAWeekOfOldSamplesAnswering()
    {
        // A database as schema 14 left it after a week at 10 s for two GPUs: raw rows for the last 24 h, 1-minute
        // and 1-hour roll-ups (made with schema 14's SQL) for the week, a host outage and missing readings.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite3"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / kSecond * kSecond;
        const qint64 start = now - 7 * kDay;
        const qint64 rolledTo = (now - 5 * kSecond) / kMinute * kMinute;
        qint64 rawRows = 0;
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("schema14"));
            old.setDatabaseName(path);
            QVERIFY(old.open());
            QSqlQuery q(old);
            QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys=ON")));
            QVERIFY(old.transaction());
            for (int v = 0; v < 14; ++v) {
                for (const QString &statement : migrations().at(v)) {
                    QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
                }
            }
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 14")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (id, name, hostname, created_at, updated_at) VALUES "
                                          "(7, 'old-host', '203.0.113.10', 'x', 'x')")));
            QSqlQuery insert(old);
            QVERIFY(insert.prepare(QStringLiteral(
                "INSERT INTO gpu_metrics (connection_id, recorded_at, gpu_index, gpu_utilization, memory_used_mb, "
                "memory_total_mb, temperature_c, power_watts) VALUES (7, ?, ?, ?, ?, ?, ?, ?)")));
            for (qint64 t = start; t < now; t += 10 * kSecond) {
                if ((t >= start + 3 * kDay && t < start + 3 * kDay + 4 * kHour) ||
                    (t >= now - 40 * kMinute && t < now - 35 * kMinute)) {
                    continue; // the host was down
                }
                const double x = static_cast<double>(t / kSecond);
                for (int gpu = 0; gpu < 2; ++gpu) {
                    insert.bindValue(0, t);
                    insert.bindValue(1, gpu);
                    const bool utilMissing = gpu == 0 && t >= start + 5 * kDay && t < start + 5 * kDay + kHour;
                    insert.bindValue(2, utilMissing ? QVariant() : QVariant(std::round(50 + 45 * std::sin(x / 900))));
                    insert.bindValue(3, std::round(20000 + 15000 * std::sin(x / 5400 + gpu)));
                    insert.bindValue(4, 81559.0);
                    insert.bindValue(5, std::round(55 + 15 * std::sin(x / 1800)));
                    const bool powerMissing = gpu == 1 && t % kMinute < 20 * kSecond;
                    insert.bindValue(6, powerMissing ? QVariant()
                                                     : QVariant(std::round(4000 + 2500 * std::sin(x / 600)) / 10));
                    QVERIFY(insert.exec());
                }
            }
            // Schema 14's roll-ups: minutes from raw, hours from minutes, then raw pruned to 24 h.
            QVERIFY(
                q.exec(QStringLiteral(
                           "INSERT INTO gpu_metrics_1m (connection_id, bucket, gpu_index, samples, util_min, "
                           "util_avg, util_max, mem_min, mem_avg, mem_max, mem_total, temp_min, temp_avg, temp_max, "
                           "power_min, power_avg, power_max) SELECT connection_id, (recorded_at / 60000) * 60000, "
                           "gpu_index, %1 FROM gpu_metrics WHERE recorded_at < %2 "
                           "GROUP BY connection_id, recorded_at / 60000, gpu_index")
                           .arg(oldRawAggregates())
                           .arg(rolledTo)));
            const qint64 hoursTo = rolledTo / kHour * kHour;
            QVERIFY(
                q.exec(QStringLiteral(
                           "INSERT INTO gpu_metrics_1h (connection_id, bucket, gpu_index, samples, util_min, "
                           "util_avg, util_max, mem_min, mem_avg, mem_max, mem_total, temp_min, temp_avg, temp_max, "
                           "power_min, power_avg, power_max) SELECT connection_id, (bucket / 3600000) * 3600000, "
                           "gpu_index, %1 FROM gpu_metrics_1m WHERE bucket < %2 "
                           "GROUP BY connection_id, bucket / 3600000, gpu_index")
                           .arg(oldRolledAggregates())
                           .arg(hoursTo)));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO metric_rollups (tier, done_until) VALUES ('1m', %1), ('1h', %2)")
                               .arg(rolledTo)
                               .arg(hoursTo)));
            QVERIFY(q.exec(QStringLiteral("DELETE FROM gpu_metrics WHERE recorded_at < %1").arg(now - kDay)));
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM gpu_metrics")) && q.next());
            rawRows = q.value(0).toLongLong();
            QVERIFY(rawRows > 2 * 8000);
            QVERIFY(old.commit());
        }

        // The answers before: 1 h (raw), 24 h (1m) and 7 days (1h) at 300 points.
        struct Case
        {
            qint64 span;
            QString tier;
            qint64 bucket;
        };
        const QList<Case> cases = {{kHour, QStringLiteral("raw"), (kHour + 298) / 299},
                                   {kDay, QStringLiteral("1m"), 5 * kMinute},
                                   {7 * kDay, QStringLiteral("1h"), kHour}};
        QList<std::map<std::pair<int, qint64>, OldPoint>> before;
        {
            QSqlDatabase old = QSqlDatabase::database(QStringLiteral("schema14"));
            for (const Case &c : cases) {
                before << oldHistory(old, 7, now - c.span, now, c.tier, c.bucket);
                QVERIFY(!before.last().empty());
            }
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("schema14"));

        Database db(path);
        QVERIFY(db.open().ok());
        QCOMPARE(db.openedAtVersion(), 14);
        QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
        MetricRepository repository(db);
        QSqlQuery q(db.connection());
        QVERIFY(!q.exec(QStringLiteral("SELECT COUNT(*) FROM gpu_metrics"))); // converted and dropped
        QVERIFY(q.exec(QStringLiteral("SELECT SUM(samples), COUNT(*) FROM gpu_metric_chunks")) && q.next());
        QCOMPARE(q.value(0).toLongLong(), rawRows);
        const qint64 chunks = q.value(1).toLongLong(); // a chunk per GPU-minute, none in the outage
        QVERIFY2(chunks >= 2 * (kDay / kMinute - 5) && chunks <= 2 * (kDay / kMinute + 1),
                 qPrintable(QString::number(chunks)));
        q.finish();

        auto compare = [&](int round) {
            for (qsizetype i = 0; i < cases.size(); ++i) {
                const Case &c = cases.at(i);
                HistoryQuery hq;
                hq.connectionId = 7;
                hq.fromMs = now - c.span;
                hq.toMs = now;
                hq.maxPoints = 300;
                const auto h = repository.history(hq);
                QVERIFY(h.ok());
                QCOMPARE(h->tier, c.tier);
                QCOMPARE(h->bucketMs, c.bucket);
                const auto &expected = before.at(i);
                QCOMPARE(static_cast<size_t>(h->points.size()), expected.size());
                for (const HistoryPoint &p : h->points) {
                    const auto it = expected.find({p.gpuIndex, p.timeMs});
                    QVERIFY2(it != expected.end(), qPrintable(QStringLiteral("round %1 tier %2: no point at gpu %3 %4")
                                                                  .arg(round)
                                                                  .arg(c.tier)
                                                                  .arg(p.gpuIndex)
                                                                  .arg(p.timeMs)));
                    const OldPoint &o = it->second;
                    QCOMPARE(p.samples, o.samples);
                    const MinAvgMax got[4] = {p.utilization, p.memoryUsedMiB, p.temperatureC, p.powerW};
                    for (int m = 0; m < 4; ++m) {
                        const double avg =
                            o.weight[m] > 0 ? o.weighted[m] / static_cast<double>(o.weight[m]) : kNoValue;
                        QVERIFY2(same(got[m].min, o.min[m]) && same(got[m].max, o.max[m]) && same(got[m].avg, avg),
                                 qPrintable(QStringLiteral("tier %1 gpu %2 t %3 metric %4: %5/%6/%7 vs %8/%9/%10")
                                                .arg(c.tier)
                                                .arg(p.gpuIndex)
                                                .arg(p.timeMs)
                                                .arg(m)
                                                .arg(got[m].min)
                                                .arg(got[m].avg)
                                                .arg(got[m].max)
                                                .arg(o.min[m])
                                                .arg(avg)
                                                .arg(o.max[m])));
                    }
                    QVERIFY(same(p.memoryTotalMiB, o.memTotal));
                }
                if (c.tier == QStringLiteral("raw")) {
                    QCOMPARE(h->gaps.size(), 1); // the 5-minute outage
                }
                if (c.tier == QStringLiteral("1h")) {
                    QCOMPARE(h->gaps.size(), 1); // the 4-hour outage
                }
            }
        };
        compare(1);
        // Rolling up again after the migration changes nothing already rolled.
        QVERIFY(repository.rollUp(now).ok());
        compare(2);
    }

    void chunkRoundTripIsLossless()
    {
        const qint64 minute = 1'764'000'000'000LL / kMinute * kMinute;
        std::vector<ChunkSample> samples;
        for (int i = 0; i < 60; ++i) {
            ChunkSample c;
            c.timeMs = minute + i * 1000 + (i % 7 == 3 ? 13 : 0);                         // mostly steady, with jitter
            c.values[ChunkSample::Utilization] = i % 10 == 0 ? kNoValue : (i * 37) % 101; // sparse hundredths
            c.values[ChunkSample::MemoryUsed] = 20000 + i * 3;                            // steady change
            c.values[ChunkSample::MemoryTotal] = 81559;                                   // constant
            c.values[ChunkSample::Temperature] = kNoValue;                                // never there
            c.values[ChunkSample::Power] = i == 5 ? 1.0 / 3.0 : (i == 9 ? kNoValue : 70.53); // not hundredths
            samples.push_back(c);
        }
        const QByteArray blob = chunk::encode(minute, samples);
        std::vector<ChunkSample> back{ChunkSample{}}; // appended after what is there
        QVERIFY(chunk::decode(minute, blob, back));
        QCOMPARE(back.size(), samples.size() + 1);
        for (size_t i = 0; i < samples.size(); ++i) {
            QCOMPARE(back[i + 1].timeMs, samples[i].timeMs);
            for (int f = 0; f < ChunkSample::FieldCount; ++f) {
                const double a = samples[i].values[f];
                const double b = back[i + 1].values[f];
                QVERIFY2(hasValue(a) == hasValue(b) && (!hasValue(a) || a == b),
                         qPrintable(QStringLiteral("sample %1 field %2: %3 vs %4").arg(i).arg(f).arg(a).arg(b)));
            }
        }
        // Power is kept as doubles (8 bytes), the rest as varints.
        QVERIFY2(blob.size() < 60 * 8 + 60 * 6 + 40, qPrintable(QString::number(blob.size())));
        // Steady readings cost about a byte each (a minute of five fields at 1 s: 300 readings).
        std::vector<ChunkSample> steady;
        for (int i = 0; i < 60; ++i) {
            ChunkSample c;
            c.timeMs = minute + i * 1000;
            c.values[ChunkSample::Utilization] = 50 + i % 3;
            c.values[ChunkSample::MemoryUsed] = 20000 + i * 2;
            c.values[ChunkSample::MemoryTotal] = 81559;
            c.values[ChunkSample::Temperature] = 60 + i / 20;
            c.values[ChunkSample::Power] = 70.53 + (i % 5) * 0.25;
            steady.push_back(c);
        }
        const QByteArray steadyBlob = chunk::encode(minute, steady);
        QVERIFY2(steadyBlob.size() <= 360, qPrintable(QString::number(steadyBlob.size())));
        std::vector<ChunkSample> steadyBack;
        QVERIFY(chunk::decode(minute, steadyBlob, steadyBack));
        QCOMPARE(steadyBack.size(), steady.size());
        QCOMPARE(steadyBack[59].values[ChunkSample::Power], steady[59].values[ChunkSample::Power]);
        QCOMPARE(steadyBack[59].values[ChunkSample::MemoryUsed], 20118.0);
        samples.resize(2);
        samples[0].values[ChunkSample::Power] = 70.53;
        samples[1].values[ChunkSample::Power] = 70.5;
        QVERIFY(chunk::encode(minute, samples).size() < 30); // hundredths again: no doubles
        // Not a chunk: refused, nothing appended.
        back.clear();
        QVERIFY(!chunk::decode(minute, QByteArray("\x07\x01", 2), back));
        QVERIFY(!chunk::decode(minute, blob.left(blob.size() - 3), back));
        QVERIFY(!chunk::decode(minute, QByteArray(), back));
        QVERIFY(back.empty());
    }

    void historyBytesAreTheJsonDocument()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / kSecond * kSecond;
        QList<StoredSample> batch;
        for (qint64 t = now - 20 * kMinute; t < now; t += kSecond) {
            if (t > now - 12 * kMinute && t < now - 8 * kMinute) {
                continue; // a gap
            }
            const double s = static_cast<double>(t / kSecond % 600);
            batch << at(m_a, t, 0, s / 7.0, 40 + s / 100.0, s < 300 ? kNoValue : 250.25 + s, 20000 + s, 81559)
                  << at(m_a, t, 2, 1e-5 * s, 1e16, 0.1, -0.0, kNoValue)
                  << at(m_a, t, 3, 1e6 + s / 3.0, 123456.789, 1e-7 * s, 3e10, 1.0 / (s + 1));
        }
        QVERIFY(repo().insert(batch).ok());
        for (int maxPoints : {2, 37, 500, 10000}) {
            HistoryQuery q;
            q.connectionId = m_a;
            q.toMs = now + 777;
            q.fromMs = now - 25 * kMinute;
            q.maxPoints = maxPoints;
            q.sampleIntervalMs = 1000;
            const auto h = repo().history(q);
            QVERIFY(h.ok());
            QVERIFY(!h->points.isEmpty());
            QCOMPARE(h->toJsonBytes(m_a, q.fromMs, q.toMs),
                     QJsonDocument(h->toJson(m_a, q.fromMs, q.toMs)).toJson(QJsonDocument::Compact));
        }
        const History empty;
        QCOMPARE(empty.toJsonBytes(m_b, 0, 1000),
                 QJsonDocument(empty.toJson(m_b, 0, 1000)).toJson(QJsonDocument::Compact));
    }
};

QTEST_GUILESS_MAIN(TestMetricRepository)
#include "tst_metric_repository.moc"
