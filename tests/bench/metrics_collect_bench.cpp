// Benchmark for GPU metrics collection (issue [3]): many hosts x GPUs streaming at 1 s into one GPU Deck, over real
// SSH. 32 connection records (default) all point at one loopback sshd whose sessions run the replaying fake
// nvidia-smi with 8 GPUs, so GPU Deck does exactly what it does for 32 real hosts: 32 SSH sessions, 32 long-lived
// `nvidia-smi -lms 1000` channels, a host poll per host every 10 s, batched SQLite writes, alert rules.
//
// GPU Deck runs in this process as a Core (the same core `gpudeck --headless` runs); its CPU is this process's
// user + system time from getrusage(RUSAGE_SELF), which leaves out child processes: the sshd and the fake
// nvidia-smi processes are the hosts' side and are measured separately (from /proc of sshd's descendants).
// Prints its figures; asserts nothing. Needs root (the sshd test fixture), like the SSH end-to-end tests.
//
//   metrics_collect_bench [--hosts 32] [--gpus 8] [--interval-ms 1000] [--seconds 60] [--warmup 15]
#include "BenchSupport.h"
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "metrics/MetricsService.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSqlQuery>
#include <QTimer>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace gpudeck;
using namespace gpudeck::bench;

namespace {

double cpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double userSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6;
}

// VmRSS / VmHWM of this process, in MB.
double statusMB(const QByteArray &key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(key + ':')) {
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return -1;
}

// utime + stime + cutime + cstime of the given processes, in seconds (children reaped by them included).
double processCpuSeconds(const QList<qint64> &pids)
{
    static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    double total = 0;
    for (qint64 pid : pids) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QByteArray line = stat.readAll();
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        // Fields after "(comm)": state is [0]; utime [11], stime [12], cutime [13], cstime [14].
        if (f.size() > 14) {
            total += (f.at(11).toDouble() + f.at(12).toDouble() + f.at(13).toDouble() + f.at(14).toDouble()) / ticks;
        }
    }
    return total;
}

qint64 storedRows(Database &db)
{
    QSqlQuery q(db.connection());
    return q.exec(QStringLiteral("SELECT COALESCE(SUM(samples), 0) FROM gpu_metric_chunks")) && q.next()
               ? q.value(0).toLongLong()
               : -1;
}

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int hosts = intArg(args, QStringLiteral("--hosts"), 32);
    const int gpus = intArg(args, QStringLiteral("--gpus"), 8);
    const int intervalMs = intArg(args, QStringLiteral("--interval-ms"), 1000);
    const int seconds = intArg(args, QStringLiteral("--seconds"), 60);
    const int warmup = intArg(args, QStringLiteral("--warmup"), 15);

    test::SshServer sshd;
    if (!sshd.available()) {
        std::fprintf(stderr, "metrics_collect_bench: %s\n", qPrintable(sshd.unavailableReason()));
        return 2;
    }
    test::FakeNvidiaSmi fake;
    QString error;
    if (!fake.install(&error)) {
        std::fprintf(stderr, "metrics_collect_bench: %s\n", qPrintable(error));
        return 2;
    }
    fake.setGpus(gpus);
    sshd.setSessionEnv(QStringLiteral("PATH"), fake.pathValue());
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "metrics_collect_bench: sshd: %s\n", qPrintable(error));
        return 2;
    }

    test::TestCore tc;
    test::HttpClient http(tc.port(), tc.token());
    tc.core().startMonitoring();
    if (http.put(QStringLiteral("/api/config/monitoring"), {{QStringLiteral("interval_ms"), intervalMs}}).status !=
        200) {
        std::fprintf(stderr, "metrics_collect_bench: cannot set the interval\n");
        return 1;
    }
    std::printf("GPU Deck metrics collection: %d hosts x %d GPUs at %d ms, over SSH to one loopback sshd (OpenSSH) "
                "running the replaying fake nvidia-smi\n",
                hosts, gpus, intervalMs);
    std::fflush(stdout);

    QElapsedTimer setup;
    setup.start();
    for (int i = 0; i < hosts; ++i) {
        const QString name = QStringLiteral("bench-%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        const QJsonObject body{{QStringLiteral("name"), name},
                               {QStringLiteral("hostname"), sshd.host()},
                               {QStringLiteral("port"), sshd.port()},
                               {QStringLiteral("username"), sshd.user()},
                               {QStringLiteral("auth_method"), QStringLiteral("key")},
                               {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}};
        if (http.post(QStringLiteral("/api/dgx/connections"), body).status != 201) {
            std::fprintf(stderr, "metrics_collect_bench: cannot create %s\n", qPrintable(name));
            return 1;
        }
        const auto connected = http.post(QStringLiteral("/api/dgx/connect/") + name,
                                         {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}});
        if (connected.status != 200) {
            std::fprintf(stderr, "metrics_collect_bench: cannot connect %s: %s\n", qPrintable(name),
                         connected.body.constData());
            return 1;
        }
    }
    // Every host streaming every GPU.
    QElapsedTimer ready;
    ready.start();
    for (;;) {
        int ok = 0;
        for (const HostMetrics &m : tc.core().metrics().snapshots()) {
            ok += m.state == QStringLiteral("ok") && m.gpus.size() == gpus;
        }
        if (ok == hosts) {
            break;
        }
        if (ready.elapsed() > 60000) {
            std::fprintf(stderr, "metrics_collect_bench: only %d of %d hosts streaming after 60 s\n", ok, hosts);
            return 1;
        }
        wait(100);
    }
    std::printf("connected and streaming: %d hosts in %.1f s; warm-up %d s, then measuring for %d s\n", hosts,
                static_cast<double>(setup.elapsed()) / 1000.0, warmup, seconds);
    std::fflush(stdout);
    wait(warmup * 1000);

    const QList<qint64> hostSide = sshd.sessionProcesses();
    const double host0 = processCpuSeconds(hostSide);
    const qint64 rows0 = storedRows(tc.core().database());
    const double cpu0 = cpuSeconds();
    const double user0 = userSeconds();
    QElapsedTimer wall;
    wall.start();
    double rssMax = 0;
    double rssSum = 0;
    int rssN = 0;
    while (wall.elapsed() < seconds * 1000LL) {
        wait(1000);
        const double rss = statusMB("VmRSS");
        rssMax = std::max(rssMax, rss);
        rssSum += rss;
        ++rssN;
    }
    const double elapsed = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    const double user = userSeconds() - user0;
    const qint64 rows = storedRows(tc.core().database()) - rows0;
    const double host = processCpuSeconds(hostSide) - host0;

    int restarts = 0;
    int malformed = 0;
    int notOk = 0;
    for (const HostMetrics &m : tc.core().metrics().snapshots()) {
        restarts += m.streamRestarts;
        malformed += m.malformedLines;
        notOk += m.state != QStringLiteral("ok");
    }

    const double expected = static_cast<double>(hosts) * gpus * 1000.0 / intervalMs;
    std::printf("\n%-44s %10.1f s\n", "measured for", elapsed);
    std::printf("%-44s %9.2f %%  (user %.2f s + sys %.2f s; target < 5 %%)\n", "GPU Deck CPU, % of one core",
                100.0 * cpu / elapsed, user, cpu - user);
    std::printf("%-44s %9.2f ms\n", "GPU Deck CPU per host per second", 1000.0 * cpu / elapsed / hosts);
    std::printf("%-44s %9.1f MB  (mean %.1f MB, VmHWM %.1f MB; target < 200 MB)\n", "GPU Deck RSS, max over the run",
                rssMax, rssN ? rssSum / rssN : 0.0, statusMB("VmHWM"));
    std::printf("%-44s %9.1f rows/s  (expected %.0f: %d hosts x %d GPUs / %.1f s)\n", "samples stored", rows / elapsed,
                expected, hosts, gpus, intervalMs / 1000.0);
    std::printf("%-44s %9.2f %%  (sshd sessions + fake nvidia-smi + host polls)\n", "host side CPU, % of one core",
                100.0 * host / elapsed);
    std::printf("%-44s %d restarts, %d malformed lines, %d hosts not ok\n", "streams", restarts, malformed, notOk);
    std::fflush(stdout);
    return 0;
}
