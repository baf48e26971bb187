#include "store/MetricRepository.h"

#include "store/Database.h"
#include "store/Entities.h"

#include <QHash>
#include <QJsonArray>
#include <QVariant>
#include <algorithm>
#include <map>

namespace gpudeck {
namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kGraceMs = 5000; // samples still on their way are not rolled up yet

QVariant real(double v)
{
    return hasValue(v) ? QVariant(v) : QVariant();
}

double value(const QVariant &v)
{
    return v.isNull() ? kNoValue : v.toDouble();
}

QJsonValue json(double v)
{
    return hasValue(v) ? QJsonValue(v) : QJsonValue();
}

QJsonObject json(const MinAvgMax &m)
{
    return {{QStringLiteral("min"), json(m.min)},
            {QStringLiteral("avg"), json(m.avg)},
            {QStringLiteral("max"), json(m.max)}};
}

// Running min / weighted sum / max of one metric while merging buckets.
struct Acc
{
    double min = kNoValue;
    double max = kNoValue;
    double weightedSum = 0;
    qint64 weight = 0;

    void add(double mn, double avg, double mx, qint64 n)
    {
        if (hasValue(mn)) {
            min = hasValue(min) ? std::min(min, mn) : mn;
        }
        if (hasValue(mx)) {
            max = hasValue(max) ? std::max(max, mx) : mx;
        }
        if (hasValue(avg) && n > 0) {
            weightedSum += avg * static_cast<double>(n);
            weight += n;
        }
    }
    MinAvgMax result() const { return {min, weight > 0 ? weightedSum / static_cast<double>(weight) : kNoValue, max}; }
};

struct Bucket
{
    qint64 samples = 0;
    Acc util, mem, temp, power;
    double memTotal = kNoValue;
};

// The SELECT list shared by the roll-up and the history queries of a rolled tier.
QString rolledAggregates()
{
    QStringList parts{QStringLiteral("SUM(samples)")};
    for (const char *m : {"util", "mem", "temp", "power"}) {
        const QString n = QString::fromLatin1(m);
        parts << QStringLiteral("MIN(%1_min)").arg(n)
              << QStringLiteral(
                     "SUM(%1_avg * samples) / NULLIF(SUM(CASE WHEN %1_avg IS NULL THEN 0 ELSE samples END), 0)")
                     .arg(n)
              << QStringLiteral("MAX(%1_max)").arg(n);
        if (n == QStringLiteral("mem")) {
            parts << QStringLiteral("MAX(mem_total)");
        }
    }
    return parts.join(QStringLiteral(", "));
}

QString rawAggregates()
{
    QStringList parts{QStringLiteral("COUNT(*)")};
    const QList<QPair<const char *, const char *>> columns = {{"gpu_utilization", nullptr},
                                                              {"memory_used_mb", "memory_total_mb"},
                                                              {"temperature_c", nullptr},
                                                              {"power_watts", nullptr}};
    for (const auto &c : columns) {
        const QString n = QString::fromLatin1(c.first);
        parts << QStringLiteral("MIN(%1)").arg(n) << QStringLiteral("AVG(%1)").arg(n)
              << QStringLiteral("MAX(%1)").arg(n);
        if (c.second) {
            parts << QStringLiteral("MAX(%1)").arg(QString::fromLatin1(c.second));
        }
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

QJsonObject History::toJson(qint64 connectionId, qint64 fromMs, qint64 toMs) const
{
    std::map<int, QJsonArray> perGpu;
    for (const HistoryPoint &p : points) {
        perGpu[p.gpuIndex].append(QJsonObject{
            {QStringLiteral("t"), isoUtc(QDateTime::fromMSecsSinceEpoch(p.timeMs, Qt::UTC))},
            {QStringLiteral("samples"), p.samples},
            {QStringLiteral("utilization"), json(p.utilization)},
            {QStringLiteral("memory_used_mb"), json(p.memoryUsedMiB)},
            {QStringLiteral("memory_total_mb"), json(p.memoryTotalMiB)},
            {QStringLiteral("temperature_c"), json(p.temperatureC)},
            {QStringLiteral("power_watts"), json(p.powerW)},
        });
    }
    QJsonArray gpus;
    for (auto &[index, array] : perGpu) {
        gpus.append(QJsonObject{{QStringLiteral("gpu_index"), index}, {QStringLiteral("points"), array}});
    }
    QJsonArray gapsJson;
    for (const auto &g : gaps) {
        gapsJson.append(QJsonObject{{QStringLiteral("from"), isoUtc(QDateTime::fromMSecsSinceEpoch(g.first, Qt::UTC))},
                                    {QStringLiteral("to"), isoUtc(QDateTime::fromMSecsSinceEpoch(g.second, Qt::UTC))}});
    }
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("from"), isoUtc(QDateTime::fromMSecsSinceEpoch(fromMs, Qt::UTC))},
            {QStringLiteral("to"), isoUtc(QDateTime::fromMSecsSinceEpoch(toMs, Qt::UTC))},
            {QStringLiteral("tier"), tier},
            {QStringLiteral("bucket_seconds"), static_cast<double>(bucketMs) / 1000.0},
            {QStringLiteral("gpus"), gpus},
            {QStringLiteral("gaps"), gapsJson}};
}

MetricRepository::MetricRepository(Database &db)
    : m_db(db)
{
}

Status MetricRepository::insert(const QList<StoredSample> &samples)
{
    if (samples.isEmpty()) {
        return {};
    }
    return m_db.transaction([&]() -> Status {
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("INSERT OR REPLACE INTO gpu_metrics (connection_id, recorded_at, gpu_index, "
                           "gpu_utilization, memory_used_mb, "
                           "memory_total_mb, temperature_c, power_watts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const StoredSample &s : samples) {
            q.bindValue(0, s.connectionId);
            q.bindValue(1, s.timeMs);
            q.bindValue(2, s.gpuIndex);
            q.bindValue(3, real(s.utilization));
            q.bindValue(4, real(s.memoryUsedMiB));
            q.bindValue(5, real(s.memoryTotalMiB));
            q.bindValue(6, real(s.temperatureC));
            q.bindValue(7, real(s.powerW));
            if (!q.exec()) {
                // A sample for a connection deleted meanwhile fails its foreign key: drop that one, keep the rest.
                if (!sqlError(q).contains(QStringLiteral("FOREIGN KEY"))) {
                    return Error::internal(QStringLiteral("cannot store GPU samples: %1").arg(sqlError(q)));
                }
            }
        }
        q.finish();
        return {};
    });
}

qint64 MetricRepository::rolledUntil(const QString &tier)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT done_until FROM metric_rollups WHERE tier = ?"));
    q.addBindValue(tier);
    qint64 until = 0;
    if (q.exec() && q.next()) {
        until = q.value(0).toLongLong();
    }
    q.finish();
    return until;
}

Status MetricRepository::setRolledUntil(const QString &tier, qint64 until)
{
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("INSERT OR REPLACE INTO metric_rollups (tier, done_until) VALUES (?, ?)"));
    q.addBindValue(tier);
    q.addBindValue(until);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the roll-up position: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Status MetricRepository::rollUp(qint64 nowMs)
{
    struct Step
    {
        QString tier;
        QString source;
        qint64 size;
        bool fromRaw;
    };
    const Step steps[] = {{QStringLiteral("1m"), QStringLiteral("gpu_metrics"), kMinute, true},
                          {QStringLiteral("1h"), QStringLiteral("gpu_metrics_1m"), kHour, false}};
    qint64 sourceDone = nowMs - kGraceMs;
    for (const Step &step : steps) {
        const qint64 upTo = (sourceDone / step.size) * step.size;
        qint64 from = rolledUntil(step.tier);
        if (from == 0) {
            QSqlQuery &first = m_db.prepared(
                QStringLiteral("SELECT MIN(%1) FROM %2")
                    .arg(step.fromRaw ? QStringLiteral("recorded_at") : QStringLiteral("bucket"), step.source));
            if (first.exec() && first.next() && !first.value(0).isNull()) {
                from = (first.value(0).toLongLong() / step.size) * step.size;
            }
            first.finish();
        }
        if (from > 0 && upTo > from) {
            const QString timeColumn = step.fromRaw ? QStringLiteral("recorded_at") : QStringLiteral("bucket");
            const QString sql =
                QStringLiteral(
                    "INSERT OR REPLACE INTO gpu_metrics_%1 (connection_id, bucket, gpu_index, samples, "
                    "util_min, util_avg, util_max, mem_min, mem_avg, mem_max, mem_total, temp_min, temp_avg, "
                    "temp_max, power_min, power_avg, power_max) "
                    "SELECT connection_id, (%2 / %3) * %3, gpu_index, %4 FROM %5 "
                    "WHERE %2 >= ? AND %2 < ? GROUP BY connection_id, %2 / %3, gpu_index")
                    .arg(step.tier)
                    .arg(timeColumn)
                    .arg(step.size)
                    .arg(step.fromRaw ? rawAggregates() : rolledAggregates(), step.source);
            Status s = m_db.transaction([&]() -> Status {
                QSqlQuery &q = m_db.prepared(sql);
                q.addBindValue(from);
                q.addBindValue(upTo);
                if (!q.exec()) {
                    return Error::internal(QStringLiteral("roll-up to %1 failed: %2").arg(step.tier, sqlError(q)));
                }
                q.finish();
                return setRolledUntil(step.tier, upTo);
            });
            if (!s.ok()) {
                return s;
            }
        }
        sourceDone = rolledUntil(step.tier); // the next tier rolls only what this one has finished
    }
    return {};
}

Result<int> MetricRepository::prune(qint64 nowMs, const MetricRetention &retention, int batch)
{
    int removed = 0;
    const QList<QPair<QString, QPair<QString, qint64>>> tiers = {
        {QStringLiteral("gpu_metrics"), {QStringLiteral("recorded_at"), retention.rawMs}},
        {QStringLiteral("gpu_metrics_1m"), {QStringLiteral("bucket"), retention.minuteMs}},
        {QStringLiteral("gpu_metrics_1h"), {QStringLiteral("bucket"), retention.hourMs}}};
    for (const auto &t : tiers) {
        // The oldest rows first, a bounded batch at a time; the clustered key makes the subquery cheap.
        QSqlQuery &q = m_db.prepared(
            QStringLiteral(
                "DELETE FROM %1 WHERE (connection_id, %2, gpu_index) IN (SELECT connection_id, %2, gpu_index "
                "FROM %1 WHERE %2 < ? LIMIT %3)")
                .arg(t.first, t.second.first)
                .arg(batch));
        q.addBindValue(nowMs - t.second.second);
        if (!q.exec()) {
            return Error::internal(QStringLiteral("cannot prune %1: %2").arg(t.first, sqlError(q)));
        }
        removed += q.numRowsAffected();
        q.finish();
    }
    return removed;
}

Result<History> MetricRepository::history(const HistoryQuery &query, const MetricRetention &retention)
{
    const qint64 span = std::max<qint64>(1, query.toMs - query.fromMs);
    const int maxPoints = std::clamp(query.maxPoints, 1, 10000);
    // One bucket less than asked, so an unaligned start can never push the count past maxPoints.
    const qint64 slots = std::max(1, maxPoints - 1);
    qint64 bucket = std::max<qint64>((span + slots - 1) / slots, std::max<qint64>(1, query.sampleIntervalMs));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    // The coarsest tier fine enough for the bucket, coarser still where the finer tier no longer keeps data.
    struct Tier
    {
        QString name;
        QString table;
        qint64 resolution;
        qint64 keptFrom;
    };
    const Tier raw{QStringLiteral("raw"), QStringLiteral("gpu_metrics"), 0, now - retention.rawMs};
    const Tier minute{QStringLiteral("1m"), QStringLiteral("gpu_metrics_1m"), kMinute, now - retention.minuteMs};
    const Tier hour{QStringLiteral("1h"), QStringLiteral("gpu_metrics_1h"), kHour, now - retention.hourMs};
    const Tier *tier = &raw;
    if (bucket >= kHour || query.fromMs < minute.keptFrom) {
        tier = &hour;
    } else if (bucket >= kMinute || query.fromMs < raw.keptFrom) {
        tier = &minute;
    }
    // A coarser tier that still draws a fair curve (a quarter of the points asked for or more) is read
    // instead: a week at 500 points is 168 hourly rows, not 10,080 minutes aggregated on the fly.
    if (tier == &minute && span / kHour >= maxPoints / 4) {
        tier = &hour;
    }
    if (tier->resolution > 0) {
        bucket = ((bucket + tier->resolution - 1) / tier->resolution) * tier->resolution; // align to the tier
    }

    // Rolled tiers cover up to their roll-up position; the rest comes from the next finer tier.
    struct Source
    {
        const Tier *tier;
        qint64 from;
        qint64 to;
    };
    QList<Source> sources;
    qint64 cursor = query.fromMs;
    if (tier == &hour) {
        const qint64 until = std::min(query.toMs, rolledUntil(hour.name));
        if (until > cursor) {
            sources.append({&hour, cursor, until});
            cursor = until;
        }
    }
    if (tier != &raw && cursor < query.toMs) {
        const qint64 until = std::min(query.toMs, rolledUntil(minute.name));
        if (until > cursor) {
            sources.append({&minute, cursor, until});
            cursor = until;
        }
    }
    if (cursor < query.toMs) {
        sources.append({&raw, cursor, query.toMs});
    }

    std::map<std::pair<int, qint64>, Bucket> buckets;
    for (const Source &src : sources) {
        const bool isRaw = src.tier == &raw;
        const QString timeColumn = isRaw ? QStringLiteral("recorded_at") : QStringLiteral("bucket");
        QString sql =
            QStringLiteral("SELECT gpu_index, %1 / %2, %3 FROM %4 WHERE connection_id = ? AND %1 >= ? AND %1 < ?")
                .arg(timeColumn)
                .arg(bucket)
                .arg(isRaw ? rawAggregates() : rolledAggregates(), src.tier->table);
        if (query.gpu >= 0) {
            sql += QStringLiteral(" AND gpu_index = ?");
        }
        sql += QStringLiteral(" GROUP BY gpu_index, %1 / %2").arg(timeColumn).arg(bucket);
        QSqlQuery &q = m_db.prepared(sql);
        q.addBindValue(query.connectionId);
        q.addBindValue(src.from);
        q.addBindValue(src.to);
        if (query.gpu >= 0) {
            q.addBindValue(query.gpu);
        }
        if (!q.exec()) {
            return Error::internal(QStringLiteral("cannot read GPU history: %1").arg(sqlError(q)));
        }
        while (q.next()) {
            Bucket &b = buckets[{q.value(0).toInt(), q.value(1).toLongLong()}];
            const qint64 n = q.value(2).toLongLong();
            b.samples += n;
            b.util.add(value(q.value(3)), value(q.value(4)), value(q.value(5)), n);
            b.mem.add(value(q.value(6)), value(q.value(7)), value(q.value(8)), n);
            const double total = value(q.value(9));
            if (hasValue(total)) {
                b.memTotal = hasValue(b.memTotal) ? std::max(b.memTotal, total) : total;
            }
            b.temp.add(value(q.value(10)), value(q.value(11)), value(q.value(12)), n);
            b.power.add(value(q.value(13)), value(q.value(14)), value(q.value(15)), n);
        }
        q.finish();
    }

    History h;
    h.tier = tier->name;
    h.bucketMs = bucket;
    int previousGpu = -1;
    qint64 previousTime = 0;
    const qint64 gapThreshold = std::max<qint64>(2 * bucket, 3 * query.sampleIntervalMs);
    int firstGpu = buckets.empty() ? -1 : buckets.begin()->first.first;
    for (const auto &[key, b] : buckets) {
        HistoryPoint p;
        p.gpuIndex = key.first;
        p.timeMs = key.second * bucket;
        p.samples = static_cast<int>(b.samples);
        p.utilization = b.util.result();
        p.memoryUsedMiB = b.mem.result();
        p.memoryTotalMiB = b.memTotal;
        p.temperatureC = b.temp.result();
        p.powerW = b.power.result();
        // Gaps are judged on one GPU (the host's first): every GPU of a host shares the same stream.
        if (p.gpuIndex == firstGpu && previousGpu == firstGpu && p.timeMs - previousTime > gapThreshold) {
            h.gaps.append({previousTime + bucket, p.timeMs});
        }
        previousGpu = p.gpuIndex;
        previousTime = p.timeMs;
        h.points.append(p);
    }
    return h;
}

} // namespace gpudeck
