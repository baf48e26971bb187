#include "store/MetricRepository.h"

#include "base/AppendNumber.h"
#include "logging/Logging.h"
#include "store/Database.h"
#include "store/Entities.h"
#include "store/MetricChunk.h"
#include "store/RawQuery.h"

#include <QHash>
#include <QJsonArray>
#include <QSqlError>
#include <QVariant>
#include <algorithm>
#include <charconv>
#include <map>
#include <sqlite3.h>
#include <tuple>

namespace gpudeck {
namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kGraceMs = 5000; // samples still on their way are not rolled up yet

double value(const QVariant &v)
{
    return v.isNull() ? kNoValue : v.toDouble();
}

QVariant real(double v)
{
    return hasValue(v) ? QVariant(v) : QVariant();
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

qint64 floorTo(qint64 t, qint64 size)
{
    const qint64 q = t / size;
    return (t % size != 0 && t < 0 ? q - 1 : q) * size;
}

// Running min / max / sum / count of one metric's readings while merging samples and rolled rows.
struct Acc
{
    double min = kNoValue;
    double max = kNoValue;
    double sum = 0;
    qint64 n = 0;

    void add(double v)
    {
        if (!hasValue(v)) {
            return;
        }
        min = hasValue(min) ? std::min(min, v) : v;
        max = hasValue(max) ? std::max(max, v) : v;
        sum += v;
        ++n;
    }
    void addRolled(double mn, double mx, double s, qint64 count)
    {
        if (hasValue(mn)) {
            min = hasValue(min) ? std::min(min, mn) : mn;
        }
        if (hasValue(mx)) {
            max = hasValue(max) ? std::max(max, mx) : mx;
        }
        if (hasValue(s) && count > 0) {
            sum += s;
            n += count;
        }
    }
    MinAvgMax result() const { return {min, n > 0 ? sum / static_cast<double>(n) : kNoValue, max}; }
};

struct Bucket
{
    qint64 samples = 0;
    Acc util, mem, temp, power;
    double memTotal = kNoValue;

    void add(const ChunkSample &s)
    {
        ++samples;
        util.add(s.values[ChunkSample::Utilization]);
        mem.add(s.values[ChunkSample::MemoryUsed]);
        temp.add(s.values[ChunkSample::Temperature]);
        power.add(s.values[ChunkSample::Power]);
        const double total = s.values[ChunkSample::MemoryTotal];
        if (hasValue(total)) {
            memTotal = hasValue(memTotal) ? std::max(memTotal, total) : total;
        }
    }
    // A rolled row's columns as rolledColumns() lists them, from `first` on. A metric's min, max and sum are
    // there exactly when its count is not 0: they are read only then.
    void addRolled(sqlite3_stmt *st, int first)
    {
        samples += sqlite3_column_int64(st, first);
        Acc *accs[] = {&util, &mem, &temp, &power};
        int i = first + 1;
        for (Acc *a : accs) {
            const qint64 n = sqlite3_column_int64(st, i + 3);
            if (n > 0) {
                a->addRolled(sqlite3_column_double(st, i), sqlite3_column_double(st, i + 1),
                             sqlite3_column_double(st, i + 2), n);
            }
            i += 4;
            if (a == &mem) {
                const double total =
                    sqlite3_column_type(st, i) == SQLITE_NULL ? kNoValue : sqlite3_column_double(st, i);
                ++i;
                if (hasValue(total)) {
                    memTotal = hasValue(memTotal) ? std::max(memTotal, total) : total;
                }
            }
        }
    }
};

// The columns of a rolled tier after (connection_id, bucket, gpu_index), in table order.
const QString &rolledColumns()
{
    static const QString columns = QStringLiteral(
        "samples, util_min, util_max, util_sum, util_n, mem_min, mem_max, mem_sum, mem_n, mem_total, temp_min, "
        "temp_max, temp_sum, temp_n, power_min, power_max, power_sum, power_n");
    return columns;
}

// Those columns merged over rows: sums stay sums, so any bucket's average is SUM(sum) / SUM(n).
const QString &rolledAggregates()
{
    static const QString aggregates = [] {
        QStringList parts{QStringLiteral("SUM(samples)")};
        for (const char *m : {"util", "mem", "temp", "power"}) {
            const QString n = QString::fromLatin1(m);
            parts << QStringLiteral("MIN(%1_min)").arg(n) << QStringLiteral("MAX(%1_max)").arg(n)
                  << QStringLiteral("SUM(%1_sum)").arg(n) << QStringLiteral("SUM(%1_n)").arg(n);
            if (n == QStringLiteral("mem")) {
                parts << QStringLiteral("MAX(mem_total)");
            }
        }
        return parts.join(QStringLiteral(", "));
    }();
    return aggregates;
}

ChunkSample toChunk(const StoredSample &s)
{
    ChunkSample c;
    c.timeMs = s.timeMs;
    c.values[ChunkSample::Utilization] = s.utilization;
    c.values[ChunkSample::MemoryUsed] = s.memoryUsedMiB;
    c.values[ChunkSample::MemoryTotal] = s.memoryTotalMiB;
    c.values[ChunkSample::Temperature] = s.temperatureC;
    c.values[ChunkSample::Power] = s.powerW;
    return c;
}

StoredSample fromChunk(qint64 connectionId, int gpu, const ChunkSample &c)
{
    StoredSample s;
    s.connectionId = connectionId;
    s.gpuIndex = gpu;
    s.timeMs = c.timeMs;
    s.utilization = c.values[ChunkSample::Utilization];
    s.memoryUsedMiB = c.values[ChunkSample::MemoryUsed];
    s.memoryTotalMiB = c.values[ChunkSample::MemoryTotal];
    s.temperatureC = c.values[ChunkSample::Temperature];
    s.powerW = c.values[ChunkSample::Power];
    return s;
}

// Sorts by time; of samples at the same time the last one given wins.
void sortUnique(std::vector<ChunkSample> &samples)
{
    std::stable_sort(samples.begin(), samples.end(),
                     [](const ChunkSample &a, const ChunkSample &b) { return a.timeMs < b.timeMs; });
    size_t out = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
        if (out > 0 && samples[out - 1].timeMs == samples[i].timeMs) {
            samples[out - 1] = samples[i];
        } else {
            samples[out++] = samples[i];
        }
    }
    samples.resize(out);
}

// Writes one chunk (INSERT OR REPLACE). A chunk of a connection deleted meanwhile fails its foreign key and is
// dropped; any other failure is an error.
Status writeChunk(QSqlQuery &q, qint64 connectionId, qint64 minute, int gpu, const std::vector<ChunkSample> &samples)
{
    q.bindValue(0, connectionId);
    q.bindValue(1, minute);
    q.bindValue(2, gpu);
    q.bindValue(3, static_cast<qint64>(samples.size()));
    q.bindValue(4, chunk::encode(minute, samples));
    if (!q.exec() && !sqlError(q).contains(QStringLiteral("FOREIGN KEY"))) {
        return Error::internal(QStringLiteral("cannot store GPU samples: %1").arg(sqlError(q)));
    }
    return {};
}

const QString kWriteChunk = QStringLiteral("INSERT OR REPLACE INTO gpu_metric_chunks (connection_id, minute, "
                                           "gpu_index, samples, data) VALUES (?, ?, ?, ?, ?)");

// JSON numbers exactly as QJsonDocument writes them: whole numbers as integers, others in the shortest form.
void putNumber(QByteArray &out, double v)
{
    if (!hasValue(v) || std::isinf(v)) {
        out.append("null");
    } else if (std::abs(v) < 1e15 && v == std::floor(v)) {
        appendInteger(out, static_cast<qint64>(v));
    } else if (std::abs(v) < 1e15) {
        // std::to_chars's shortest form is Qt's 'g' shortest for these (4.6 million random values of 1e-12 to
        // 1e15 compared), without a QByteArray per number.
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr - buf);
    } else {
        out.append(QByteArray::number(v, 'g', QLocale::FloatingPointShortest));
    }
}

void putTwo(char *p, int v)
{
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// "yyyy-MM-ddTHH:mm:ss.zzzZ", as isoUtc writes it.
void putTime(QByteArray &out, qint64 ms)
{
    const qint64 days = floorTo(ms, 86400000) / 86400000;
    const qint64 inDay = ms - days * 86400000;
    // civil_from_days (H. Hinnant)
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1000 || year > 9999) {
        out.append(isoUtc(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)).toLatin1());
        return;
    }
    char b[24];
    putTwo(b, static_cast<int>(year / 100));
    putTwo(b + 2, static_cast<int>(year % 100));
    b[4] = '-';
    putTwo(b + 5, month);
    b[7] = '-';
    putTwo(b + 8, day);
    b[10] = 'T';
    putTwo(b + 11, static_cast<int>(inDay / 3600000));
    b[13] = ':';
    putTwo(b + 14, static_cast<int>(inDay / 60000 % 60));
    b[16] = ':';
    putTwo(b + 17, static_cast<int>(inDay / 1000 % 60));
    b[19] = '.';
    const int millis = static_cast<int>(inDay % 1000);
    b[20] = static_cast<char>('0' + millis / 100);
    putTwo(b + 21, millis % 100);
    b[23] = 'Z';
    out.append(b, 24);
}

void putMinAvgMax(QByteArray &out, const MinAvgMax &m)
{
    out.append("{\"avg\":");
    putNumber(out, m.avg);
    out.append(",\"max\":");
    putNumber(out, m.max);
    out.append(",\"min\":");
    putNumber(out, m.min);
    out.append('}');
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

QByteArray History::toJsonBytes(qint64 connectionId, qint64 fromMs, qint64 toMs) const
{
    // Keys in QJsonObject's (sorted) order, so the bytes are the ones toJson() would give.
    QByteArray out;
    out.reserve(256 + points.size() * 300);
    out.append("{\"bucket_seconds\":");
    putNumber(out, static_cast<double>(bucketMs) / 1000.0);
    out.append(",\"connection_id\":");
    appendInteger(out, connectionId);
    out.append(",\"from\":\"");
    putTime(out, fromMs);
    out.append("\",\"gaps\":[");
    for (qsizetype i = 0; i < gaps.size(); ++i) {
        out.append(i ? ",{\"from\":\"" : "{\"from\":\"");
        putTime(out, gaps.at(i).first);
        out.append("\",\"to\":\"");
        putTime(out, gaps.at(i).second);
        out.append("\"}");
    }
    out.append("],\"gpus\":[");
    // Points are sorted by GPU, then time.
    int gpu = 0;
    bool first = true;
    for (const HistoryPoint &p : points) {
        if (first || p.gpuIndex != gpu) {
            if (!first) {
                out.append("]},");
            }
            out.append("{\"gpu_index\":");
            appendInteger(out, p.gpuIndex);
            out.append(",\"points\":[");
            gpu = p.gpuIndex;
        } else {
            out.append(',');
        }
        first = false;
        out.append("{\"memory_total_mb\":");
        putNumber(out, p.memoryTotalMiB);
        out.append(",\"memory_used_mb\":");
        putMinAvgMax(out, p.memoryUsedMiB);
        out.append(",\"power_watts\":");
        putMinAvgMax(out, p.powerW);
        out.append(",\"samples\":");
        appendInteger(out, p.samples);
        out.append(",\"t\":\"");
        putTime(out, p.timeMs);
        out.append("\",\"temperature_c\":");
        putMinAvgMax(out, p.temperatureC);
        out.append(",\"utilization\":");
        putMinAvgMax(out, p.utilization);
        out.append('}');
    }
    if (!first) {
        out.append("]}");
    }
    out.append("],\"tier\":\"");
    out.append(tier.toLatin1());
    out.append("\",\"to\":\"");
    putTime(out, toMs);
    out.append("\"}");
    return out;
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
    std::map<std::tuple<qint64, qint64, int>, std::vector<ChunkSample>> chunks;
    for (const StoredSample &s : samples) {
        chunks[{s.connectionId, floorTo(s.timeMs, chunk::kChunkMs), s.gpuIndex}].push_back(toChunk(s));
    }
    return m_db.transaction([&]() -> Status {
        QSqlQuery &read = m_db.prepared(QStringLiteral(
            "SELECT data FROM gpu_metric_chunks WHERE connection_id = ? AND minute = ? AND gpu_index = ?"));
        QSqlQuery &write = m_db.prepared(kWriteChunk);
        std::vector<ChunkSample> merged;
        for (auto &[key, added] : chunks) {
            const auto &[connectionId, minute, gpu] = key;
            merged.clear();
            read.bindValue(0, connectionId);
            read.bindValue(1, minute);
            read.bindValue(2, gpu);
            if (!read.exec()) {
                return Error::internal(QStringLiteral("cannot read GPU samples: %1").arg(sqlError(read)));
            }
            if (read.next() && !chunk::decode(minute, read.value(0).toByteArray(), merged)) {
                qCWarning(lcStore) << "an unreadable GPU sample chunk is replaced";
                merged.clear();
            }
            read.finish();
            // Existing samples first: a sample at the same time is replaced by the new one.
            merged.insert(merged.end(), added.begin(), added.end());
            sortUnique(merged);
            if (Status st = writeChunk(write, connectionId, minute, gpu, merged); !st.ok()) {
                return st;
            }
        }
        write.finish();
        return {};
    });
}

Result<QList<StoredSample>> MetricRepository::rawSamples(qint64 connectionId, qint64 fromMs, qint64 toMs)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT minute, gpu_index, data FROM gpu_metric_chunks WHERE connection_id = ? AND minute >= ? "
                       "AND minute < ? ORDER BY gpu_index, minute"));
    q.addBindValue(connectionId);
    q.addBindValue(floorTo(fromMs, chunk::kChunkMs));
    q.addBindValue(toMs);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read GPU samples: %1").arg(sqlError(q)));
    }
    QList<StoredSample> out;
    std::vector<ChunkSample> decoded;
    while (q.next()) {
        decoded.clear();
        const int gpu = q.value(1).toInt();
        if (!chunk::decode(q.value(0).toLongLong(), q.value(2).toByteArray(), decoded)) {
            continue;
        }
        for (const ChunkSample &c : decoded) {
            if (c.timeMs >= fromMs && c.timeMs < toMs) {
                out.append(fromChunk(connectionId, gpu, c));
            }
        }
    }
    q.finish();
    return out;
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
    // Minutes from the raw chunks: one chunk is one GPU's minute, aggregated here.
    {
        const qint64 upTo = floorTo(nowMs - kGraceMs, kMinute);
        qint64 from = rolledUntil(QStringLiteral("1m"));
        if (from == 0) {
            QSqlQuery &first = m_db.prepared(QStringLiteral("SELECT MIN(minute) FROM gpu_metric_chunks"));
            if (first.exec() && first.next() && !first.value(0).isNull()) {
                from = first.value(0).toLongLong();
            }
            first.finish();
        }
        if (from > 0 && upTo > from) {
            Status s = m_db.transaction([&]() -> Status {
                QList<qint64> connections;
                QSqlQuery &ids = m_db.prepared(QStringLiteral("SELECT id FROM connections"));
                if (!ids.exec()) {
                    return Error::internal(QStringLiteral("roll-up to 1m failed: %1").arg(sqlError(ids)));
                }
                while (ids.next()) {
                    connections << ids.value(0).toLongLong();
                }
                ids.finish();
                QSqlQuery &read = m_db.prepared(
                    QStringLiteral("SELECT minute, gpu_index, data FROM gpu_metric_chunks WHERE connection_id = ? "
                                   "AND minute >= ? AND minute < ?"));
                QSqlQuery &write = m_db.prepared(
                    QStringLiteral("INSERT OR REPLACE INTO gpu_metrics_1m (connection_id, bucket, gpu_index, %1) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .arg(rolledColumns()));
                std::vector<ChunkSample> decoded;
                for (const qint64 connectionId : connections) {
                    read.bindValue(0, connectionId);
                    read.bindValue(1, from);
                    read.bindValue(2, upTo);
                    if (!read.exec()) {
                        return Error::internal(QStringLiteral("roll-up to 1m failed: %1").arg(sqlError(read)));
                    }
                    struct Row
                    {
                        qint64 minute;
                        int gpu;
                        Bucket b;
                    };
                    QList<Row> rows;
                    while (read.next()) {
                        decoded.clear();
                        const qint64 minute = read.value(0).toLongLong();
                        if (!chunk::decode(minute, read.value(2).toByteArray(), decoded) || decoded.empty()) {
                            continue;
                        }
                        Row row{minute, read.value(1).toInt(), {}};
                        for (const ChunkSample &c : decoded) {
                            row.b.add(c);
                        }
                        rows << row;
                    }
                    read.finish();
                    for (const Row &row : rows) {
                        int i = 0;
                        write.bindValue(i++, connectionId);
                        write.bindValue(i++, row.minute);
                        write.bindValue(i++, row.gpu);
                        write.bindValue(i++, row.b.samples);
                        for (const Acc *a : {&row.b.util, &row.b.mem, &row.b.temp, &row.b.power}) {
                            write.bindValue(i++, real(a->min));
                            write.bindValue(i++, real(a->max));
                            write.bindValue(i++, a->n > 0 ? QVariant(a->sum) : QVariant());
                            write.bindValue(i++, a->n);
                            if (a == &row.b.mem) {
                                write.bindValue(i++, real(row.b.memTotal));
                            }
                        }
                        if (!write.exec()) {
                            return Error::internal(QStringLiteral("roll-up to 1m failed: %1").arg(sqlError(write)));
                        }
                    }
                }
                write.finish();
                return setRolledUntil(QStringLiteral("1m"), upTo);
            });
            if (!s.ok()) {
                return s;
            }
        }
    }
    // Hours from the minutes the step above has finished: sums of sums.
    const qint64 upTo = floorTo(rolledUntil(QStringLiteral("1m")), kHour);
    qint64 from = rolledUntil(QStringLiteral("1h"));
    if (from == 0) {
        QSqlQuery &first = m_db.prepared(QStringLiteral("SELECT MIN(bucket) FROM gpu_metrics_1m"));
        if (first.exec() && first.next() && !first.value(0).isNull()) {
            from = floorTo(first.value(0).toLongLong(), kHour);
        }
        first.finish();
    }
    if (from > 0 && upTo > from) {
        return m_db.transaction([&]() -> Status {
            QSqlQuery &q = m_db.prepared(
                QStringLiteral("INSERT OR REPLACE INTO gpu_metrics_1h (connection_id, bucket, gpu_index, %1) "
                               "SELECT connection_id, (bucket / %2) * %2, gpu_index, %3 FROM gpu_metrics_1m "
                               "WHERE bucket >= ? AND bucket < ? GROUP BY connection_id, bucket / %2, gpu_index")
                    .arg(rolledColumns())
                    .arg(kHour)
                    .arg(rolledAggregates()));
            q.addBindValue(from);
            q.addBindValue(upTo);
            if (!q.exec()) {
                return Error::internal(QStringLiteral("roll-up to 1h failed: %1").arg(sqlError(q)));
            }
            q.finish();
            return setRolledUntil(QStringLiteral("1h"), upTo);
        });
    }
    return {};
}

Result<int> MetricRepository::prune(qint64 nowMs, const MetricRetention &retention, int batch)
{
    int removed = 0;
    // A raw chunk goes when its whole minute is past retention.
    const QList<QPair<QString, QPair<QString, qint64>>> tiers = {
        {QStringLiteral("gpu_metric_chunks"), {QStringLiteral("minute"), nowMs - retention.rawMs - kMinute + 1}},
        {QStringLiteral("gpu_metrics_1m"), {QStringLiteral("bucket"), nowMs - retention.minuteMs}},
        {QStringLiteral("gpu_metrics_1h"), {QStringLiteral("bucket"), nowMs - retention.hourMs}}};
    for (const auto &t : tiers) {
        // The oldest rows first, a bounded batch at a time; the clustered key makes the subquery cheap.
        QSqlQuery &q = m_db.prepared(
            QStringLiteral(
                "DELETE FROM %1 WHERE (connection_id, %2, gpu_index) IN (SELECT connection_id, %2, gpu_index "
                "FROM %1 WHERE %2 < ? LIMIT %3)")
                .arg(t.first, t.second.first)
                .arg(batch));
        q.addBindValue(t.second.second);
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
    if (query.toMs <= query.fromMs) {
        History empty;
        empty.tier = QStringLiteral("raw");
        empty.bucketMs = std::max<qint64>(1, query.sampleIntervalMs);
        return empty;
    }
    const qint64 span = query.toMs - query.fromMs;
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
    const Tier raw{QStringLiteral("raw"), QStringLiteral("gpu_metric_chunks"), 0, now - retention.rawMs};
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

    // Per GPU, the buckets from the one holding fromMs to the one holding toMs - 1.
    const qint64 base = floorTo(query.fromMs, bucket) / bucket;
    const size_t bucketCount = static_cast<size_t>(floorTo(query.toMs - 1, bucket) / bucket - base + 1);
    std::map<int, std::vector<Bucket>> perGpu;
    auto bucketsOf = [&](int gpu) -> std::vector<Bucket> & {
        std::vector<Bucket> &v = perGpu[gpu];
        if (v.empty()) {
            v.resize(bucketCount);
        }
        return v;
    };
    auto slot = [&](qint64 t) { return static_cast<size_t>(floorTo(t, bucket) / bucket - base); };

    std::vector<ChunkSample> decoded;
    for (const Source &src : sources) {
        const bool isRaw = src.tier == &raw;
        // Read with SQLite's own statement (no QVariant per column), and rolled rows merged here rather than by a
        // GROUP BY: SQLite's aggregate functions and sorter cost more than adding a row's sums to its bucket.
        QByteArray sql = isRaw ? QByteArrayLiteral("SELECT gpu_index, minute, data FROM gpu_metric_chunks WHERE "
                                                   "connection_id = ? AND minute >= ? AND minute < ?")
                               : "SELECT gpu_index, bucket, " + rolledColumns().toLatin1() + " FROM " +
                                     src.tier->table.toLatin1() +
                                     " WHERE connection_id = ? AND bucket >= ? AND bucket < ?";
        if (query.gpu >= 0) {
            sql += " AND gpu_index = ?";
        }
        QVariantList binds{query.connectionId, isRaw ? floorTo(src.from, chunk::kChunkMs) : src.from, src.to};
        if (query.gpu >= 0) {
            binds << query.gpu;
        }
        RawQuery q(m_db, sql); // reset when it goes: WAL checkpoints are not held back by an idle statement
        if (!q.bind(binds)) {
            return Error::internal(QStringLiteral("cannot read GPU history: %1").arg(q.error()));
        }
        sqlite3_stmt *st = q.handle();
        while (q.next()) {
            std::vector<Bucket> &buckets = bucketsOf(sqlite3_column_int(st, 0));
            const qint64 t = sqlite3_column_int64(st, 1);
            if (isRaw) {
                decoded.clear();
                const QByteArray blob = QByteArray::fromRawData(static_cast<const char *>(sqlite3_column_blob(st, 2)),
                                                                sqlite3_column_bytes(st, 2));
                if (!chunk::decode(t, blob, decoded)) {
                    continue;
                }
                for (const ChunkSample &c : decoded) {
                    if (c.timeMs >= src.from && c.timeMs < src.to) {
                        buckets[slot(c.timeMs)].add(c);
                    }
                }
            } else if (t >= src.from && t < src.to) {
                buckets[slot(t)].addRolled(st, 2);
            }
        }
        if (!q.error().isEmpty()) {
            return Error::internal(QStringLiteral("cannot read GPU history: %1").arg(q.error()));
        }
    }

    History h;
    h.tier = tier->name;
    h.bucketMs = bucket;
    const qint64 gapThreshold = std::max<qint64>(2 * bucket, 3 * query.sampleIntervalMs);
    bool firstGpu = true;
    for (const auto &[gpu, buckets] : perGpu) {
        qint64 previousTime = 0;
        bool havePrevious = false;
        for (size_t i = 0; i < buckets.size(); ++i) {
            const Bucket &b = buckets[i];
            if (b.samples == 0) {
                continue;
            }
            HistoryPoint p;
            p.gpuIndex = gpu;
            p.timeMs = (base + static_cast<qint64>(i)) * bucket;
            p.samples = static_cast<int>(b.samples);
            p.utilization = b.util.result();
            p.memoryUsedMiB = b.mem.result();
            p.memoryTotalMiB = b.memTotal;
            p.temperatureC = b.temp.result();
            p.powerW = b.power.result();
            // Gaps are judged on one GPU (the host's first): every GPU of a host shares the same stream.
            if (firstGpu && havePrevious && p.timeMs - previousTime > gapThreshold) {
                h.gaps.append({previousTime + bucket, p.timeMs});
            }
            havePrevious = true;
            previousTime = p.timeMs;
            h.points.append(p);
        }
        firstGpu = false;
    }
    return h;
}

Status convertRawRowsToChunks(QSqlDatabase &db)
{
    QSqlQuery read(db);
    read.setForwardOnly(true);
    // In key order (connection, time, GPU): each GPU's minutes come complete and in order.
    if (!read.exec(QStringLiteral("SELECT connection_id, recorded_at, gpu_index, gpu_utilization, memory_used_mb, "
                                  "memory_total_mb, temperature_c, power_watts FROM gpu_metrics"))) {
        return Error::internal(QStringLiteral("cannot read the old GPU samples: %1").arg(read.lastError().text()));
    }
    QSqlQuery write(db);
    if (!write.prepare(kWriteChunk)) {
        return Error::internal(QStringLiteral("cannot store GPU samples: %1").arg(write.lastError().text()));
    }
    struct Open
    {
        qint64 minute = 0;
        std::vector<ChunkSample> samples;
    };
    std::map<std::pair<qint64, int>, Open> open;
    auto flush = [&](const std::pair<qint64, int> &key, Open &o) -> Status {
        if (o.samples.empty()) {
            return {};
        }
        sortUnique(o.samples);
        Status s = writeChunk(write, key.first, o.minute, key.second, o.samples);
        o.samples.clear();
        return s;
    };
    while (read.next()) {
        StoredSample s;
        s.connectionId = read.value(0).toLongLong();
        s.timeMs = read.value(1).toLongLong();
        s.gpuIndex = read.value(2).toInt();
        s.utilization = value(read.value(3));
        s.memoryUsedMiB = value(read.value(4));
        s.memoryTotalMiB = value(read.value(5));
        s.temperatureC = value(read.value(6));
        s.powerW = value(read.value(7));
        const std::pair<qint64, int> key{s.connectionId, s.gpuIndex};
        Open &o = open[key];
        const qint64 minute = floorTo(s.timeMs, chunk::kChunkMs);
        if (!o.samples.empty() && o.minute != minute) {
            if (Status st = flush(key, o); !st.ok()) {
                return st;
            }
        }
        o.minute = minute;
        o.samples.push_back(toChunk(s));
    }
    read.finish();
    for (auto &[key, o] : open) {
        if (Status st = flush(key, o); !st.ok()) {
            return st;
        }
    }
    QSqlQuery drop(db);
    if (!drop.exec(QStringLiteral("DROP TABLE gpu_metrics"))) {
        return Error::internal(QStringLiteral("cannot drop the old GPU samples: %1").arg(drop.lastError().text()));
    }
    return {};
}

} // namespace gpudeck
