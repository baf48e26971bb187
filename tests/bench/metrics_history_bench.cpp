// Benchmark for GPU metrics history (issue [3]): how fast a chart's history comes back for a host with 8 GPUs
// watched at 1 s for a week. Seeds a fresh database the way a week of collection leaves it: raw samples for the
// last 24 h (8 x 86,400 rows, through MetricRepository::insert), 1-minute roll-ups for the 7 days (8 x 10,080 rows,
// computed here from the same 1 s series with their exact sample count, min, avg and max, and written directly),
// and the 1-hour tier rolled up from those by the core's own MetricRepository::rollUp. Then times history for
// hours = 168, 24 and 1 (default 50 runs each, after one warm-up run), both directly through MetricsService::history
// and through the real HTTP API (GET /api/dgx/metrics/:id/history, a new loopback connection per request).
// Prints its figures; asserts nothing.
//
//   metrics_history_bench [--runs 50] [--gpus 8] [--days 7]
#include "BenchSupport.h"
#include "HttpClient.h"
#include "TestCore.h"
#include "metrics/MetricsService.h"
#include "store/MetricRepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <algorithm>
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
    double median = 0, p99 = 0, max = 0;
};
Stats stats(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    Stats s;
    if (ms.isEmpty()) {
        return s;
    }
    s.median = ms.at(ms.size() / 2);
    s.p99 = ms.at(std::min<qsizetype>(ms.size() - 1, static_cast<qsizetype>(std::ceil(ms.size() * 0.99)) - 1));
    s.max = ms.last();
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int runs = intArg(args, QStringLiteral("--runs"), 50);
    const int gpus = intArg(args, QStringLiteral("--gpus"), 8);
    const int days = intArg(args, QStringLiteral("--days"), 7);

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
    std::printf("GPU Deck metrics history: 1 host x %d GPUs, %d days of 1 s samples\n", gpus, days);
    std::fflush(stdout);

    // Raw: the last 24 h.
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

    // 1m: every completed minute of the week, aggregated from the same series.
    qint64 minuteRows = 0;
    const Status minutes = db.transaction([&]() -> Status {
        QSqlQuery &q = db.prepared(QStringLiteral(
            "INSERT INTO gpu_metrics_1m (connection_id, bucket, gpu_index, samples, util_min, util_avg, util_max, "
            "mem_min, "
            "mem_avg, mem_max, mem_total, temp_min, temp_avg, temp_max, power_min, power_avg, power_max) "
            "VALUES (?, ?, ?, 60, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
                    q.bindValue(i++, sum[k] / 60.0);
                    q.bindValue(i++, mx[k]);
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
    QSqlQuery checkpoint(db.connection());
    checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    checkpoint.finish();
    std::printf(
        "seeded: raw %lld rows (%.1f s), 1m %lld rows (%.1f s), 1h %lld rows by rollUp (%.2f s); database %.1f MB\n",
        static_cast<long long>(rawRows), rawSeconds, static_cast<long long>(minuteRows), minuteSeconds,
        static_cast<long long>(hourRows), hourSeconds, static_cast<double>(QFileInfo(db.path()).size()) / 1e6);

    test::HttpClient http(tc.port(), tc.token());
    std::printf(
        "\nwall = elapsed time; cpu = CPU time spent (the calling thread's for the direct call, the whole process's "
        "for HTTP),\nwhich a busy machine does not inflate the way it inflates wall time\n");
    std::printf("\n%-8s %-5s %6s %6s | %-33s | %-42s\n", "hours", "tier", "bucket", "points",
                "MetricsService::history (ms)", "GET .../history over HTTP (ms)");
    std::printf("%-8s %-5s %6s %6s | %7s %7s %7s %9s | %7s %7s %7s %9s %8s\n", "", "", "(s)", "", "first", "median",
                "p99", "cpu med.", "first", "median", "p99", "cpu med.", "KB");
    // hours, max_points: the API's default of 500 points, and a week at one point per hour (the 1h tier).
    const QList<QPair<int, int>> cases = {{168, 500}, {24, 500}, {1, 500}, {168, 169}};
    for (const auto &[hoursBack, maxPoints] : cases) {
        HistoryQuery q;
        q.connectionId = id;
        q.maxPoints = maxPoints;
        QList<double> direct, directCpu;
        History last;
        double firstDirect = 0;
        for (int i = 0; i <= runs; ++i) {
            q.toMs = QDateTime::currentMSecsSinceEpoch();
            q.fromMs = q.toMs - hoursBack * kHour;
            const double cpu0 = threadCpuMs();
            QElapsedTimer t;
            t.start();
            const auto h = tc.core().metrics().history(q);
            const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
            const double cpu = threadCpuMs() - cpu0;
            if (!h.ok()) {
                std::fprintf(stderr, "metrics_history_bench: %s\n", qPrintable(h.error().message));
                return 1;
            }
            if (i == 0) {
                firstDirect = ms; // warm-up: cold statement cache and page cache
            } else {
                direct << ms;
                directCpu << cpu;
            }
            last = h.value();
        }
        QList<double> overHttp, httpCpu;
        double firstHttp = 0;
        qsizetype bytes = 0;
        const QString path =
            QStringLiteral("/api/dgx/metrics/bench-host/history?hours=%1&max_points=%2").arg(hoursBack).arg(maxPoints);
        for (int i = 0; i <= runs; ++i) {
            const double cpu0 = processCpuMs();
            QElapsedTimer t;
            t.start();
            const auto r = http.get(path);
            const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
            const double cpu = processCpuMs() - cpu0;
            if (r.status != 200) {
                std::fprintf(stderr, "metrics_history_bench: HTTP %d: %s\n", r.status, r.body.constData());
                return 1;
            }
            bytes = r.body.size();
            if (i == 0) {
                firstHttp = ms;
            } else {
                overHttp << ms;
                httpCpu << cpu;
            }
        }
        int maxPerGpu = 0;
        QMap<int, int> per;
        for (const HistoryPoint &p : last.points) {
            maxPerGpu = std::max(maxPerGpu, ++per[p.gpuIndex]);
        }
        const Stats d = stats(direct);
        const Stats hs = stats(overHttp);
        const QString label =
            maxPoints == 500 ? QString::number(hoursBack) : QStringLiteral("%1/%2").arg(hoursBack).arg(maxPoints);
        std::printf("%-8s %-5s %6lld %6lld | %7.1f %7.1f %7.1f %9.1f | %7.1f %7.1f %7.1f %9.1f %8.0f\n",
                    qPrintable(label), qPrintable(last.tier), static_cast<long long>(last.bucketMs / 1000),
                    static_cast<long long>(last.points.size()), firstDirect, d.median, d.p99, stats(directCpu).median,
                    firstHttp, hs.median, hs.p99, stats(httpCpu).median, static_cast<double>(bytes) / 1024.0);
        std::printf("%-8s (%d GPUs, at most %d points per GPU, %lld gaps)\n", "", static_cast<int>(per.size()),
                    maxPerGpu, static_cast<long long>(last.gaps.size()));
    }
    std::printf("\ntarget: hours=168 under 50 ms. %d runs each after one warm-up run (\"first\"); max_points 500 (the "
                "API's default)\nunless given after the slash (168/169: a week at one point per hour)\n",
                runs);
    std::fflush(stdout);
    return 0;
}
