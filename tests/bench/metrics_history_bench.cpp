// Benchmark for GPU metrics history (issues [3], [12]): how fast a chart's history comes back for a host with 8 GPUs
// watched at 1 s for a week, and what a raw sample costs on disk, side by side with Prometheus over the same data.
// Seeds a fresh database the way a week of collection leaves it: raw samples for the last 24 h (8 x 86,400
// samples, through MetricRepository::insert), 1-minute roll-ups for the 7 days (8 x 10,080 rows, computed here from
// the same 1 s series with their exact count, min, max and sum, and written directly), and the 1-hour tier rolled
// up from those by the core's own MetricRepository::rollUp. Measures the raw tier's bytes per value (the database
// file's growth over the raw samples / their values; and once more for an hour written one batch a second, as the
// collector writes). Then, unless --no-prometheus or `prometheus`/`promtool` are missing, writes the same 7 days of
// 1 s samples (five gauges per GPU, dcgm-exporter's names) as OpenMetrics text, backfills them with
// `promtool tsdb create-blocks-from openmetrics`, measures the blocks' bytes per value, and starts `prometheus` on a
// free loopback port over them. Times history for 1 h, 24 h and 7 d at --points (300) points per GPU, in
// interleaved rounds (--rounds 12): GPU Deck's GET /api/dgx/metrics/:id/history, and Prometheus's query_range
// with the step giving the same number of points, for the same answer (per GPU and step: the count, min, avg and
// max of utilisation, memory used, temperature and power, and the memory total: 14 range functions in one query)
// and for utilisation's average alone. Every request is a new loopback connection, read to the end. Prints
// min / avg / max and the ratios; asserts nothing.
//
//   metrics_history_bench [--rounds 12] [--points 300] [--gpus 8] [--days 7] [--no-prometheus]
#include "BenchSupport.h"
#include "Ports.h"
#include "TestCore.h"
#include "metrics/MetricsService.h"
#include "store/MetricRepository.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

using namespace gpudeck;
using namespace gpudeck::bench;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

// The synthetic 1 s series: smooth waves with a little per-GPU phase, like a training job's load.
struct Reading
{
    double util, memUsed, temp, power;
};
Reading reading(qint64 second, int gpu)
{
    const double t = static_cast<double>(second);
    return {std::round(50 + 45 * std::sin(t / 900.0 + gpu)), std::round(20000 + 15000 * std::sin(t / 5400.0 + gpu)),
            std::round(55 + 15 * std::sin(t / 1800.0 + gpu)),
            std::round(10 * (400 + 250 * std::sin(t / 600.0 + gpu))) / 10};
}
constexpr double kMemTotal = 81559;

struct Stats
{
    double min = 0, avg = 0, max = 0;
};
Stats stats(const QList<double> &ms)
{
    Stats s;
    if (ms.isEmpty()) {
        return s;
    }
    s.min = *std::min_element(ms.begin(), ms.end());
    s.max = *std::max_element(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) {
        sum += v;
    }
    s.avg = sum / static_cast<double>(ms.size());
    return s;
}

struct Fetched
{
    int status = 0;
    QByteArray body;
    double ms = 0;
};

// One GET on a new loopback connection, read to its end (Content-Length, chunked, or the close), timed from the
// connect to the last byte. The same client for both servers.
Fetched fetch(quint16 port, const QByteArray &target, const QByteArray &token = {})
{
    Fetched f;
    QElapsedTimer timer;
    timer.start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000)) {
        return f;
    }
    QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.isEmpty()) {
        request += "Authorization: Bearer " + token + "\r\n";
    }
    socket.write(request + "\r\n");
    QByteArray response;
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    bool chunked = false;
    while (true) {
        response += socket.readAll();
        if (headerEnd < 0 && (headerEnd = response.indexOf("\r\n\r\n")) >= 0) {
            const QByteArray head = response.left(headerEnd).toLower();
            f.status = head.mid(head.indexOf(' ') + 1, 3).toInt();
            const qsizetype cl = head.indexOf("\ncontent-length:");
            if (cl >= 0) {
                contentLength = head.mid(cl + 16, head.indexOf('\r', cl + 1) - cl - 16).trimmed().toLongLong();
            }
            chunked = head.contains("\ntransfer-encoding: chunked");
        }
        if (headerEnd >= 0) {
            const qsizetype have = response.size() - headerEnd - 4;
            if ((contentLength >= 0 && have >= contentLength) || (chunked && response.endsWith("\r\n0\r\n\r\n"))) {
                break;
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) {
            break;
        }
        if (!socket.waitForReadyRead(120000) && socket.state() == QAbstractSocket::ConnectedState) {
            break;
        }
    }
    f.ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    QByteArray body = headerEnd >= 0 ? response.mid(headerEnd + 4) : QByteArray();
    if (chunked) {
        QByteArray plain;
        qsizetype at = 0;
        while (at < body.size()) {
            const qsizetype eol = body.indexOf("\r\n", at);
            bool ok = false;
            const qsizetype size = body.mid(at, eol - at).toLongLong(&ok, 16);
            if (!ok || size == 0) {
                break;
            }
            plain += body.mid(eol + 2, size);
            at = eol + 2 + size + 2;
        }
        body = plain;
    }
    f.body = body;
    return f;
}

qint64 treeBytes(const QString &dir)
{
    qint64 bytes = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        bytes += QFileInfo(it.next()).size();
    }
    return bytes;
}

qint64 checkpointedSize(Database &db)
{
    QSqlQuery checkpoint(db.connection());
    checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    checkpoint.finish();
    return QFileInfo(db.path()).size();
}

// dcgm-exporter's gauges for the five fields GPU Deck keeps.
const char *const kPromNames[] = {"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_TOTAL",
                                  "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE"};

// The same answer as GPU Deck's history, in one query: per GPU and step, count, min/avg/max of four gauges and the
// memory total's max, each series told apart by a `v` label.
QString fullQuery(qint64 stepSeconds)
{
    QStringList parts;
    auto add = [&](const char *fn, const char *metric, const QString &label) {
        parts << QStringLiteral("label_replace(%1(%2[%3s]),\"v\",\"%4\",\"\",\"\")")
                     .arg(QLatin1String(fn), QLatin1String(metric))
                     .arg(stepSeconds)
                     .arg(label);
    };
    add("count_over_time", kPromNames[0], QStringLiteral("samples"));
    for (int m : {0, 1, 3, 4}) {
        for (const char *fn : {"min_over_time", "avg_over_time", "max_over_time"}) {
            add(fn, kPromNames[m], QStringLiteral("%1_%2").arg(m).arg(QLatin1String(fn).left(3)));
        }
    }
    add("max_over_time", kPromNames[2], QStringLiteral("total"));
    return parts.join(QStringLiteral(" or "));
}

void putNumber(QByteArray &out, double v)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr - buf);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int rounds = intArg(args, QStringLiteral("--rounds"), 12);
    const int points = intArg(args, QStringLiteral("--points"), 300);
    const int gpus = intArg(args, QStringLiteral("--gpus"), 8);
    const int days = intArg(args, QStringLiteral("--days"), 7);
    const QString prometheusBin = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    const QString promtoolBin = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    const bool withPrometheus =
        !args.contains(QStringLiteral("--no-prometheus")) && !prometheusBin.isEmpty() && !promtoolBin.isEmpty();

    test::TestCore tc;
    Database &db = tc.core().database();
    Connection c;
    c.name = QStringLiteral("bench-host");
    c.hostname = QStringLiteral("127.0.0.1"); // never contacted
    c.username = QStringLiteral("user");
    const auto created = tc.core().connections().create(c);
    if (!created.ok()) {
        std::fprintf(stderr, "metrics_history_bench: %s\n", qPrintable(created.error().message));
        return 1;
    }
    const qint64 id = created->id;
    MetricRepository repo(db);

    const qint64 now = QDateTime::currentMSecsSinceEpoch() / kSecond * kSecond;
    const qint64 start = (now - days * kDay) / kMinute * kMinute;
    const qint64 rolledTo = (now - 5 * kSecond) / kMinute * kMinute; // what rollUp(now) would have finished
    std::printf("GPU Deck metrics history: 1 host x %d GPUs, %d days of 1 s samples; load average %s\n", gpus, days,
                qPrintable(loadAverage()));
    std::fflush(stdout);

    // Raw: the last 24 h.
    const qint64 emptySize = checkpointedSize(db);
    QElapsedTimer seed;
    seed.start();
    qint64 rawRows = 0;
    QList<StoredSample> batch;
    batch.reserve(20000);
    for (qint64 t = now - kDay; t < now; t += kSecond) {
        for (int g = 0; g < gpus; ++g) {
            const Reading r = reading(t / kSecond, g);
            batch.append({id, t, g, r.util, r.memUsed, kMemTotal, r.temp, r.power});
        }
        if (batch.size() >= 20000) {
            if (Status s = repo.insert(batch); !s.ok()) {
                std::fprintf(stderr, "metrics_history_bench: %s\n", qPrintable(s.error().message));
                return 1;
            }
            rawRows += batch.size();
            batch.clear();
        }
    }
    if (!batch.isEmpty() && repo.insert(batch).ok()) {
        rawRows += batch.size();
    }
    const double rawSeconds = static_cast<double>(seed.restart()) / 1000.0;
    const double rawBytesPerValue =
        static_cast<double>(checkpointedSize(db) - emptySize) / static_cast<double>(rawRows * 5);
    // 1m: every completed minute of the week, aggregated from the same series.
    qint64 minuteRows = 0;
    const Status minutes = db.transaction([&]() -> Status {
        QSqlQuery &q = db.prepared(QStringLiteral(
            "INSERT INTO gpu_metrics_1m (connection_id, bucket, gpu_index, samples, util_min, util_max, util_sum, "
            "util_n, mem_min, mem_max, mem_sum, mem_n, mem_total, temp_min, temp_max, temp_sum, temp_n, power_min, "
            "power_max, power_sum, power_n) VALUES (?, ?, ?, 60, ?, ?, ?, 60, ?, ?, ?, 60, ?, ?, ?, ?, 60, ?, ?, ?, "
            "60)"));
        for (qint64 m = start; m < rolledTo; m += kMinute) {
            for (int g = 0; g < gpus; ++g) {
                double mn[4] = {1e300, 1e300, 1e300, 1e300}, mx[4] = {-1e300, -1e300, -1e300, -1e300},
                       sum[4] = {0, 0, 0, 0};
                for (qint64 s = 0; s < 60; ++s) {
                    const Reading r = reading(m / kSecond + s, g);
                    const double v[4] = {r.util, r.memUsed, r.temp, r.power};
                    for (int k = 0; k < 4; ++k) {
                        mn[k] = std::min(mn[k], v[k]);
                        mx[k] = std::max(mx[k], v[k]);
                        sum[k] += v[k];
                    }
                }
                int i = 0;
                q.bindValue(i++, id);
                q.bindValue(i++, m);
                q.bindValue(i++, g);
                for (int k = 0; k < 4; ++k) {
                    q.bindValue(i++, mn[k]);
                    q.bindValue(i++, mx[k]);
                    q.bindValue(i++, sum[k]);
                    if (k == 1) {
                        q.bindValue(i++, kMemTotal);
                    }
                }
                if (!q.exec()) {
                    return Error::internal(QStringLiteral("1m seed failed"));
                }
                ++minuteRows;
            }
        }
        q.finish();
        QSqlQuery &done =
            db.prepared(QStringLiteral("INSERT OR REPLACE INTO metric_rollups (tier, done_until) VALUES ('1m', ?)"));
        done.addBindValue(rolledTo);
        if (!done.exec()) {
            return Error::internal(QStringLiteral("cannot set the 1m position"));
        }
        done.finish();
        return {};
    });
    if (!minutes.ok()) {
        std::fprintf(stderr, "metrics_history_bench: %s\n", qPrintable(minutes.error().message));
        return 1;
    }
    const double minuteSeconds = static_cast<double>(seed.restart()) / 1000.0;
    if (Status s = repo.rollUp(now); !s.ok()) {
        std::fprintf(stderr, "metrics_history_bench: %s\n", qPrintable(s.error().message));
        return 1;
    }
    const double hourSeconds = static_cast<double>(seed.restart()) / 1000.0;
    QSqlQuery hours(db.connection());
    const qint64 hourRows = hours.exec(QStringLiteral("SELECT COUNT(*) FROM gpu_metrics_1h")) && hours.next()
                                ? hours.value(0).toLongLong()
                                : -1;
    hours.finish();
    std::printf("seeded: raw %lld samples (%.1f s), 1m %lld rows (%.1f s), 1h %lld rows by rollUp (%.2f s); database "
                "%.1f MB\n",
                static_cast<long long>(rawRows), rawSeconds, static_cast<long long>(minuteRows), minuteSeconds,
                static_cast<long long>(hourRows), hourSeconds, static_cast<double>(checkpointedSize(db)) / 1e6);

    // The raw tier as the collector writes it: one batch (transaction) a second, each minute's chunk rewritten as
    // it fills. An hour of another host, in a database of its own.
    QTemporaryDir work;
    double liveBytesPerValue = 0;
    {
        Database live(work.filePath(QStringLiteral("live.sqlite3")));
        if (!live.open().ok()) {
            std::fprintf(stderr, "metrics_history_bench: cannot open the second database\n");
            return 1;
        }
        QSqlQuery q(live.connection());
        q.exec(QStringLiteral("INSERT INTO connections (id, name, hostname, created_at, updated_at) VALUES "
                              "(1, 'live', '127.0.0.1', 'x', 'x')"));
        q.finish();
        MetricRepository liveRepo(live);
        const qint64 before = checkpointedSize(live);
        qint64 liveSamples = 0;
        for (qint64 t = now - kHour; t < now; t += kSecond) {
            QList<StoredSample> second;
            for (int g = 0; g < gpus; ++g) {
                const Reading r = reading(t / kSecond, g);
                second.append({1, t, g, r.util, r.memUsed, kMemTotal, r.temp, r.power});
            }
            if (!liveRepo.insert(second).ok()) {
                std::fprintf(stderr, "metrics_history_bench: a live batch failed\n");
                return 1;
            }
            liveSamples += second.size();
        }
        liveBytesPerValue = static_cast<double>(checkpointedSize(live) - before) / static_cast<double>(liveSamples * 5);
        live.releaseThread();
    }

    // Prometheus over the same 7 days of 1 s samples.
    QProcess prometheus;
    quint16 promPort = 0;
    double promBytesPerValue = 0;
    if (withPrometheus) {
        const QString om = work.filePath(QStringLiteral("week.om"));
        const QString tsdb = work.filePath(QStringLiteral("tsdb"));
        QElapsedTimer step;
        step.start();
        QFile out(om);
        if (!out.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "metrics_history_bench: cannot write %s\n", qPrintable(om));
            return 1;
        }
        qint64 values = 0;
        QByteArray buf;
        for (int m = 0; m < 5; ++m) {
            out.write(QByteArray("# TYPE ") + kPromNames[m] + " gauge\n");
            for (int g = 0; g < gpus; ++g) {
                const QByteArray series = QByteArray(kPromNames[m]) + "{gpu=\"" + QByteArray::number(g) + "\"} ";
                for (qint64 t = start; t < now; t += kSecond) {
                    const Reading r = reading(t / kSecond, g);
                    const double v[5] = {r.util, r.memUsed, kMemTotal, r.temp, r.power};
                    buf += series;
                    putNumber(buf, v[m]);
                    buf += ' ';
                    buf += QByteArray::number(t / kSecond);
                    buf += '\n';
                    ++values;
                    if (buf.size() > (1 << 20)) {
                        out.write(buf);
                        buf.clear();
                    }
                }
            }
        }
        buf += "# EOF\n";
        out.write(buf);
        out.close();
        const double writeSeconds = static_cast<double>(step.restart()) / 1000.0;
        // --max-block-duration (hidden in 2.42's help) makes 162 h blocks: promtool reads the whole input once per
        // block, and 2 h blocks would mean 84 passes over a gigabyte.
        QProcess promtool;
        promtool.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        promtool.start(promtoolBin,
                       {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"), QStringLiteral("openmetrics"),
                        QStringLiteral("-q"), QStringLiteral("--max-block-duration=162h"), om, tsdb});
        if (!promtool.waitForFinished(30 * 60 * 1000) || promtool.exitCode() != 0) {
            std::fprintf(stderr, "metrics_history_bench: promtool failed: %s\n", promtool.readAll().constData());
            return 1;
        }
        QFile::remove(om);
        const double backfillSeconds = static_cast<double>(step.restart()) / 1000.0;
        promBytesPerValue = static_cast<double>(treeBytes(tsdb)) / static_cast<double>(values);
        std::printf("Prometheus: %lld values as OpenMetrics (%.1f s), backfilled by promtool (%.1f s): %.1f MB of "
                    "blocks\n",
                    static_cast<long long>(values), writeSeconds, backfillSeconds,
                    static_cast<double>(treeBytes(tsdb)) / 1e6);
        QFile config(work.filePath(QStringLiteral("prometheus.yml")));
        if (!config.open(QIODevice::WriteOnly) || config.write("global:\n  scrape_interval: 1m\n") < 0) {
            return 1;
        }
        config.close();
        promPort = test::freePort();
        prometheus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        prometheus.start(prometheusBin, {QStringLiteral("--config.file=") + config.fileName(),
                                         QStringLiteral("--storage.tsdb.path=") + tsdb,
                                         QStringLiteral("--storage.tsdb.retention.time=3650d"),
                                         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
                                         QStringLiteral("--log.level=warn")});
        if (!prometheus.waitForStarted(10000)) {
            std::fprintf(stderr, "metrics_history_bench: prometheus did not start\n");
            return 1;
        }
        QElapsedTimer ready;
        ready.start();
        while (fetch(promPort, "/-/ready").status != 200) {
            if (ready.elapsed() > 120000 || prometheus.state() != QProcess::Running) {
                std::fprintf(stderr, "metrics_history_bench: prometheus not ready\n");
                return 1;
            }
            QThread::msleep(200); // polling a child process's readiness, not a race in what is measured
        }
        std::printf("Prometheus %s ready on 127.0.0.1:%u after %.1f s\n", qPrintable(prometheusBin), promPort,
                    static_cast<double>(ready.elapsed()) / 1000.0);
    }
    std::fflush(stdout);

    struct Range
    {
        const char *label;
        qint64 span;
        QList<double> ours, direct, prom, promOne;
        QString tier;
        qsizetype ourPoints = 0, ourBytes = 0, promBytes = 0, promOneBytes = 0;
        int promSeries = 0;
        qint64 step = 0;
    };
    QList<Range> ranges = {{"1 h", kHour, {}, {}, {}, {}, {}},
                           {"24 h", kDay, {}, {}, {}, {}, {}},
                           {"7 d", qint64(days) * kDay, {}, {}, {}, {}, {}}};
    const QByteArray token = tc.token();
    auto iso = [](qint64 ms) { return QUrl::toPercentEncoding(isoUtc(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC))); };
    for (int round = 0; round <= rounds; ++round) { // round 0 warms up
        for (Range &r : ranges) {
            const qint64 from = now - r.span;
            const QByteArray ours = "/api/dgx/metrics/bench-host/history?from=" + iso(from) + "&to=" + iso(now) +
                                    "&max_points=" + QByteArray::number(points);
            const Fetched a = fetch(tc.port(), ours, token);
            if (a.status != 200) {
                std::fprintf(stderr, "metrics_history_bench: HTTP %d: %s\n", a.status, a.body.left(300).constData());
                return 1;
            }
            HistoryQuery q;
            q.connectionId = id;
            q.fromMs = from;
            q.toMs = now;
            q.maxPoints = points;
            QElapsedTimer t;
            t.start();
            const auto h = tc.core().metrics().history(q);
            const double directMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
            if (!h.ok()) {
                return 1;
            }
            Fetched p, p1;
            if (withPrometheus) {
                r.step = (r.span / kSecond + points - 1) / points;
                auto target = [&](const QString &expr) {
                    return "/api/v1/query_range?query=" + QUrl::toPercentEncoding(expr) +
                           "&start=" + QByteArray::number(from / kSecond) +
                           "&end=" + QByteArray::number(now / kSecond) + "&step=" + QByteArray::number(r.step);
                };
                p = fetch(promPort, target(fullQuery(r.step)));
                p1 = fetch(
                    promPort,
                    target(QStringLiteral("avg_over_time(%1[%2s])").arg(QLatin1String(kPromNames[0])).arg(r.step)));
                if (p.status != 200 || p1.status != 200) {
                    std::fprintf(stderr, "metrics_history_bench: Prometheus HTTP %d: %s\n", p.status,
                                 p.body.left(300).constData());
                    return 1;
                }
            }
            if (round == 0) {
                continue;
            }
            r.ours << a.ms;
            r.direct << directMs;
            r.tier = h->tier;
            r.ourPoints = h->points.size();
            r.ourBytes = a.body.size();
            if (withPrometheus) {
                r.prom << p.ms;
                r.promOne << p1.ms;
                r.promBytes = p.body.size();
                r.promOneBytes = p1.body.size();
                r.promSeries = static_cast<int>(p.body.count("\"metric\""));
            }
        }
    }

    std::printf("\n%d rounds, interleaved (GPU Deck, then Prometheus, per range), after one warm-up round; ms as "
                "min / avg / max; every request a new loopback connection, read to the end\n\n",
                rounds);
    std::printf("| range | GPU Deck HTTP | GPU Deck direct | tier | points | KB | Prometheus, same answer | series x "
                "step | KB | ratio | Prometheus, utilisation avg only | ratio |\n");
    std::printf("| --- | --- | --- | --- | ---: | ---: | --- | --- | ---: | ---: | --- | ---: |\n");
    for (const Range &r : ranges) {
        const Stats o = stats(r.ours), d = stats(r.direct), p = stats(r.prom), p1 = stats(r.promOne);
        std::printf("| %s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %s | %lld | %.0f |", r.label, o.min, o.avg, o.max,
                    d.min, d.avg, d.max, qPrintable(r.tier), static_cast<long long>(r.ourPoints),
                    static_cast<double>(r.ourBytes) / 1024.0);
        if (withPrometheus) {
            std::printf(" %.1f / %.1f / %.1f | %d x %llds | %.0f | %.2fx | %.1f / %.1f / %.1f | %.2fx |\n", p.min,
                        p.avg, p.max, r.promSeries, static_cast<long long>(r.step),
                        static_cast<double>(r.promBytes) / 1024.0, p.avg / o.avg, p1.min, p1.avg, p1.max,
                        p1.avg / o.avg);
        } else {
            std::printf(" - | - | - | - | - | - |\n");
        }
    }
    std::printf("\nratio = Prometheus's avg / GPU Deck's avg over HTTP (above 1: GPU Deck ahead)\n");
    std::printf("\nraw bytes per value (file bytes / values; a value = one field of one GPU at one second, 5 per "
                "sample):\n");
    std::printf("  GPU Deck, 24 h written in 20,000-sample batches: %.2f B\n", rawBytesPerValue);
    std::printf("  GPU Deck, 1 h written one batch a second (as collected): %.2f B\n", liveBytesPerValue);
    if (withPrometheus) {
        std::printf("  Prometheus TSDB blocks, %d days backfilled: %.2f B (GPU Deck as collected / Prometheus: "
                    "%.2fx)\n",
                    days, promBytesPerValue, liveBytesPerValue / promBytesPerValue);
        std::printf("\ntargets: 1 h ratio >= 1 (%s), 24 h and 7 d ratios >= 5 (%s, %s), raw bytes <= 2x Prometheus's "
                    "(%s)\n",
                    stats(ranges[0].prom).avg >= stats(ranges[0].ours).avg ? "met" : "MISSED",
                    stats(ranges[1].prom).avg >= 5 * stats(ranges[1].ours).avg ? "met" : "MISSED",
                    stats(ranges[2].prom).avg >= 5 * stats(ranges[2].ours).avg ? "met" : "MISSED",
                    std::max(liveBytesPerValue, rawBytesPerValue) <= 2 * promBytesPerValue ? "met" : "MISSED");
        prometheus.terminate();
        if (!prometheus.waitForFinished(10000)) {
            prometheus.kill();
            prometheus.waitForFinished(5000);
        }
    } else {
        std::printf("\n(Prometheus left out: --no-prometheus, or prometheus/promtool not on PATH)\n");
    }
    std::printf("load average at the end: %s\n", qPrintable(loadAverage()));
    std::fflush(stdout);
    return 0;
}
