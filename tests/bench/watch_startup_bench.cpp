// Benchmark for monitoring that survives restarts (issue 11): GPU Deck starts with N watched hosts (32 by default)
// and connects them all by itself. 32 connection records point at one loopback sshd (OpenSSH, MaxStartups raised by
// the fixture) whose sessions run the replaying fake nvidia-smi, so each host costs what a real one does: a TCP
// connect, key exchange, authentication, the `nvidia-smi -lms` stream and the host poll.
//
// A first Core on the data dir creates the hosts and trusts the sshd's key; it is destroyed (the "quit"), and a second
// Core on the same data dir is the measured start: from its construction until every host is connected and
// streaming GPU samples. From the moment monitoring starts (the window would be up), a 10 ms QTimer on the main thread
// (where the window lives) records the longest gap between its ticks beyond its period: the longest time the event loop
// could not run. Prints its figures; asserts nothing. Needs root (the sshd test fixture).
//
// The 32 "hosts" are processes on this machine: per host an sshd session and a fake nvidia-smi, each in a session
// (and so a scheduler autogroup) of its own. On a 2-core machine they take the CPU from GPU Deck by 33 to 1 while they
// start, which a real fleet (each host its own machine) never does. So the runs are made twice, side by side: with the
// hosts as they come ("hosts share the CPU"), and with the sshd and everything it starts in one CPU cgroup of the
// default weight ("hosts confined": cgroup v1 cpu.shares 1024, or v2 cpu.weight 100), so that the 32 hosts together
// weigh as much as one program, as GPU Deck does: the nearest this machine comes to hosts that are other machines.
// The targets are judged on the confined runs; the others show what the machine does.
//
// Each host's `nvidia-smi` is the compiled replayer (tests/fake/nvidia_smi_replay.cpp: the script's answers without
// starting Python, ~1 ms instead of ~50 ms of CPU per command); `--script-fake` uses the Python script itself.
//
//   watch_startup_bench [--hosts 32] [--gpus 8] [--runs 3] [--script-fake]
#include "BenchSupport.h"
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "app/Core.h"
#include "metrics/MetricsService.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace gpudeck;
using namespace gpudeck::bench;

namespace {

std::unique_ptr<Core> openCore(const QString &dir)
{
    auto core = std::make_unique<Core>(AppPaths(dir), std::make_unique<MemorySecretStore>());
    if (!core->open().ok() || !core->startApi(0).ok()) {
        return nullptr;
    }
    return core;
}

// A CPU cgroup (of the default weight) for the fake hosts (the sshd and its children, which inherit it). Removed at the
// end, after moving what is left in it back to the parent.
class HostCgroup
{
public:
    bool confine(qint64 pid, QString *how)
    {
        const QString v1 = QStringLiteral("/sys/fs/cgroup/cpu");
        const QString v2 = QStringLiteral("/sys/fs/cgroup");
        const QString name = QStringLiteral("gpudeck-bench-hosts-%1").arg(QCoreApplication::applicationPid());
        if (QFile::exists(v1 + QStringLiteral("/cpu.shares"))) {
            m_parent = v1;
            m_weightFile = QStringLiteral("cpu.shares");
            m_weight = QByteArrayLiteral("1024");
        } else if (QFile(v2 + QStringLiteral("/cgroup.controllers")).open(QIODevice::ReadOnly)) {
            m_parent = v2;
            m_weightFile = QStringLiteral("cpu.weight");
            m_weight = QByteArrayLiteral("100");
            write(v2 + QStringLiteral("/cgroup.subtree_control"), QByteArrayLiteral("+cpu"));
        } else {
            *how = QStringLiteral("no CPU cgroup controller here");
            return false;
        }
        m_dir = m_parent + QLatin1Char('/') + name;
        if (!QDir().mkpath(m_dir) || !write(m_dir + QLatin1Char('/') + m_weightFile, m_weight) ||
            !write(m_dir + QStringLiteral("/cgroup.procs"), QByteArray::number(pid))) {
            *how = QStringLiteral("cannot set up %1").arg(m_dir);
            release();
            return false;
        }
        *how = QStringLiteral("%1 %2/%3")
                   .arg(m_weightFile, QString::fromLatin1(m_weight),
                        m_weightFile == QStringLiteral("cpu.shares") ? QStringLiteral("1024") : QStringLiteral("100"));
        return true;
    }
    void release()
    {
        if (m_dir.isEmpty()) {
            return;
        }
        QFile procs(m_dir + QStringLiteral("/cgroup.procs"));
        if (procs.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> pids = procs.readAll().split('\n');
            for (const QByteArray &pid : pids) {
                if (!pid.trimmed().isEmpty()) {
                    write(m_parent + QStringLiteral("/cgroup.procs"), pid.trimmed());
                }
            }
        }
        QDir().rmdir(m_dir);
        m_dir.clear();
    }
    ~HostCgroup() { release(); }

private:
    static bool write(const QString &path, const QByteArray &value)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(value) == value.size();
    }
    QString m_parent;
    QString m_dir;
    QString m_weightFile;
    QByteArray m_weight;
};

// The longest the main thread's event loop was kept from running, measured by a 10 ms tick.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 gap = m_clock.nsecsElapsed() / 1000 - m_lastUs;
            m_lastUs += gap;
            m_maxStallUs = std::max(m_maxStallUs, gap - 10000);
            ++m_ticks;
        });
    }
    void start()
    {
        m_clock.start();
        m_lastUs = 0;
        m_maxStallUs = 0;
        m_ticks = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double maxStallMs() const { return static_cast<double>(m_maxStallUs) / 1000.0; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastUs = 0;
    qint64 m_maxStallUs = 0;
    int m_ticks = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int hosts = intArg(args, QStringLiteral("--hosts"), 32);
    const int gpus = intArg(args, QStringLiteral("--gpus"), 8);
    const int runs = intArg(args, QStringLiteral("--runs"), 3);

    test::SshServer sshd;
    if (!sshd.available()) {
        std::fprintf(stderr, "watch_startup_bench: %s\n", qPrintable(sshd.unavailableReason()));
        return 2;
    }
    test::FakeNvidiaSmi fake;
    QString error;
    if (!fake.install(&error)) {
        std::fprintf(stderr, "watch_startup_bench: %s\n", qPrintable(error));
        return 2;
    }
    fake.setGpus(gpus);
    const bool scriptFake = args.contains(QStringLiteral("--script-fake"));
    if (!scriptFake && !fake.useCompiledReplayer(&error)) {
        std::fprintf(stderr, "watch_startup_bench: %s\n", qPrintable(error));
        return 2;
    }
    sshd.setSessionEnv(QStringLiteral("PATH"), fake.pathValue());
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "watch_startup_bench: sshd: %s\n", qPrintable(error));
        return 2;
    }
    QTemporaryDir dir;
    qputenv("GPUDECK_USER_KNOWN_HOSTS", dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
    {
        // The first run of GPU Deck: the hosts, all watched (the default), and the sshd's key trusted.
        auto first = openCore(dir.path());
        if (!first) {
            std::fprintf(stderr, "watch_startup_bench: cannot open the core\n");
            return 1;
        }
        test::HttpClient http(first->apiPort(), first->token().value());
        for (int i = 0; i < hosts; ++i) {
            const QString name = QStringLiteral("watch-%1").arg(i + 1, 2, 10, QLatin1Char('0'));
            const QJsonObject body{{QStringLiteral("name"), name},
                                   {QStringLiteral("hostname"), sshd.host()},
                                   {QStringLiteral("port"), sshd.port()},
                                   {QStringLiteral("username"), sshd.user()},
                                   {QStringLiteral("auth_method"), QStringLiteral("key")},
                                   {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}};
            if (http.post(QStringLiteral("/api/dgx/connections"), body).status != 201) {
                std::fprintf(stderr, "watch_startup_bench: cannot create %s\n", qPrintable(name));
                return 1;
            }
        }
        const auto trusted = http.post(QStringLiteral("/api/dgx/connect/watch-01"),
                                       {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}});
        if (trusted.status != 200) {
            std::fprintf(stderr, "watch_startup_bench: cannot connect: %s\n", trusted.body.constData());
            return 1;
        }
    }
    std::printf(
        "GPU Deck start-up with %d watched hosts x %d GPUs, over SSH to one loopback sshd (OpenSSH) running the "
        "replaying fake nvidia-smi (%s); %d runs\n",
        hosts, gpus, scriptFake ? "the Python script" : "compiled", runs);
    std::printf("%-4s %-9s %10s %14s %14s %15s %19s %16s %18s %19s\n", "run", "hosts", "open (ms)", "connected (s)",
                "streaming (s)", "max stall (ms)", "metrics start (ms)", "watch start (ms)", "main thread CPU (ms)",
                "GPU Deck CPU (ms)");
    std::fflush(stdout);

    StallMeter meter;
    // The same meter on an idle event loop first: on a busy machine the main thread waits for a CPU too, and that
    // part of a stall is not GPU Deck's.
    {
        meter.start();
        QEventLoop idle;
        QTimer::singleShot(3000, &idle, &QEventLoop::quit);
        idle.exec();
        meter.stop();
        std::printf("baseline: longest stall of an idle event loop over 3 s: %.1f ms (machine load %s)\n",
                    meter.maxStallMs(), qPrintable(loadAverage()));
    }
    HostCgroup cgroup;
    QString confinedHow;
    const bool canConfine = cgroup.confine(sshd.pid(), &confinedHow);
    cgroup.release();
    if (!canConfine) {
        std::printf("hosts cannot be confined (%s): only runs with the hosts sharing the CPU\n",
                    qPrintable(confinedHow));
    }
    struct Series
    {
        QList<double> streaming;
        QList<double> stalls;
    };
    Series shared;
    Series confined;
    // One measured start; false when it did not get all hosts streaming.
    const auto measure = [&](int run, bool confine, Series &series) -> bool {
        if (confine) {
            cgroup.confine(sshd.pid(), &confinedHow);
        }
        QElapsedTimer clock;
        clock.start();
        auto core = openCore(dir.path());
        if (!core) {
            std::fprintf(stderr, "watch_startup_bench: cannot open the core\n");
            return false;
        }
        const double openMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        // Opening the store happens before the window shows; from here on the window would be up.
        meter.start();
        const double cpu0 = threadCpuMs();
        const double processCpu0 = processCpuMs();
        QElapsedTimer call;
        call.start();
        core->metrics().start(); // what startMonitoring() does first, timed apart
        const double metricsMs = static_cast<double>(call.nsecsElapsed()) / 1e6;
        call.restart();
        core->startMonitoring();
        const double callMs = static_cast<double>(call.nsecsElapsed()) / 1e6;

        double connectedAt = -1;
        double streamingAt = -1;
        QEventLoop loop;
        QTimer check;
        check.setInterval(5);
        QObject::connect(&check, &QTimer::timeout, &loop, [&] {
            if (connectedAt < 0) {
                int connected = 0;
                const auto statuses = core->ssh().statuses();
                for (const LinkStatus &s : statuses) {
                    connected += s.state == LinkState::Connected ? 1 : 0;
                }
                if (connected == hosts) {
                    connectedAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
                }
            }
            int streaming = 0;
            for (const HostMetrics &m : core->metrics().snapshots()) {
                streaming += m.state == QStringLiteral("ok") && m.gpus.size() == gpus ? 1 : 0;
            }
            if (streaming == hosts) {
                streamingAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
                loop.quit();
            } else if (clock.elapsed() > 60000) {
                std::fprintf(stderr, "watch_startup_bench: only %d of %d hosts streaming after 60 s\n", streaming,
                             hosts);
                loop.quit();
            }
        });
        check.start();
        loop.exec();
        check.stop();
        const double stall = meter.maxStallMs();
        const double mainCpu = threadCpuMs() - cpu0;
        const double processCpu = processCpuMs() - processCpu0;
        meter.stop();
        std::printf("%-4d %-9s %10.1f %14.2f %14.2f %15.1f %19.1f %16.1f %18.1f %19.1f\n", run,
                    confine ? "confined" : "shared", openMs, connectedAt, streamingAt, stall, metricsMs, callMs,
                    mainCpu, processCpu);
        std::fflush(stdout);
        core.reset(); // quit: every link closed, the next run starts from nothing
        if (confine) {
            cgroup.release();
        }
        if (streamingAt < 0) {
            return false;
        }
        series.streaming << streamingAt;
        series.stalls << stall;
        return true;
    };
    for (int run = 1; run <= runs; ++run) {
        if (!measure(run, false, shared) || (canConfine && !measure(run, true, confined))) {
            return 1;
        }
    }
    const auto summary = [hosts](const char *label, Series &series) {
        if (series.streaming.isEmpty()) {
            return;
        }
        std::sort(series.streaming.begin(), series.streaming.end());
        std::printf("\n%s: all %d hosts connected and streaming: median %.2f s, worst %.2f s (target < 5 s)\n", label,
                    hosts, series.streaming.at(series.streaming.size() / 2), series.streaming.last());
        std::printf("%s: longest main-thread stall from startMonitoring() on (10 ms tick): %.1f ms (target < 50 ms)\n",
                    label, *std::max_element(series.stalls.begin(), series.stalls.end()));
    };
    summary("hosts share the CPU", shared);
    if (canConfine) {
        summary(qPrintable(QStringLiteral("hosts confined (%1)").arg(confinedHow)), confined);
    }
    return 0;
}
