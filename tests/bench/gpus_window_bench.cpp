// The window's own cost (issue 14): what it takes of the CPU while nobody touches it, and how soon it is first painted.
//
// 1. Idle: GPU Deck with 2 watched hosts × 8 GPUs streaming at 1 s, over SSH to a loopback sshd (OpenSSH) whose
//    sessions run the compiled replaying fake nvidia-smi (tests/fake/nvidia_smi_replay.cpp), exactly as
//    watch_startup_bench sets them up. The window (MainWindow, 1600×1000) is left alone for --seconds on each of:
//    the GPUs pane (two host columns, their charts live), the Connections pane (nothing on it changes: a static
//    pane), and hidden (the baseline: the core reading the streams, the tray, the buffers the GPUs pane keeps
//    filled). Per case: the CPU of the main thread (where the window lives) and of the whole process, in % of one
//    core, and the paints of the pane's widgets. "Beyond the data's own updates" is the GPUs pane minus hidden.
// 2. Cold start: 32 watched connections (all to the same sshd), a new Core on the data dir and the window shown, as
//    main() does: the time from the Core's construction to the window's first paint, --runs times. The hosts
//    connect meanwhile, on their own threads. (The process start and the QApplication before it are printed once,
//    apart.)
//
//   cmake --build build --target gpus_window_bench
//   QT_QPA_PLATFORM=offscreen build/tests/gpus_window_bench [--seconds 20] [--connections 32] [--runs 3]
//   (or DISPLAY=:N on an X server; the figures in tests/bench/README.md say which)
//
// Needs root (the sshd test fixture). Prints its figures; asserts nothing. Targets: under 1 % of one core beyond the
// data's own updates on the GPUs pane, ~0 on a static pane, first paint under 1 s.
#include "BenchSupport.h"
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "MainWindow.h"
#include "SshServer.h"
#include "app/Core.h"
#include "gpus/GpusPane.h"
#include "metrics/MetricsService.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

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

// Counts the paint events of a widget and everything in it (installed on each, as they are now).
class PaintCounter : public QObject
{
public:
    void watch(QWidget *root)
    {
        root->installEventFilter(this);
        for (QWidget *w : root->findChildren<QWidget *>()) {
            w->installEventFilter(this);
        }
    }
    int paints = 0;
    bool firstPaint = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
            firstPaint = true;
        }
        return QObject::eventFilter(watched, event);
    }
};

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until `done` or `timeoutMs`; false on time out.
template<typename F>
bool waitFor(F done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs) {
            return false;
        }
        runFor(20);
    }
    return true;
}

// The hosts of a data dir: `count` watched connections to the sshd, its key trusted, samples every second.
bool createHosts(const QString &dir, const test::SshServer &sshd, int count)
{
    auto core = openCore(dir);
    if (!core) {
        return false;
    }
    MonitoringSettings settings = core->metrics().settings();
    settings.intervalMs = 1000;
    if (!core->metrics().setSettings(settings).ok()) {
        return false;
    }
    test::HttpClient http(core->apiPort(), core->token().value());
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("gpu-%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        const QJsonObject body{{QStringLiteral("name"), name},
                               {QStringLiteral("hostname"), sshd.host()},
                               {QStringLiteral("port"), sshd.port()},
                               {QStringLiteral("username"), sshd.user()},
                               {QStringLiteral("auth_method"), QStringLiteral("key")},
                               {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}};
        if (http.post(QStringLiteral("/api/dgx/connections"), body).status != 201) {
            return false;
        }
    }
    return http.post(QStringLiteral("/api/dgx/connect/gpu-01"),
                     {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}})
               .status == 200;
}

struct Idle
{
    double mainPct = 0;
    double processPct = 0;
    int paints = 0;
};

Idle measureIdle(QWidget *pane, int seconds)
{
    PaintCounter counter;
    if (pane) {
        counter.watch(pane);
    }
    const double main0 = threadCpuMs();
    const double process0 = processCpuMs();
    runFor(seconds * 1000);
    const double wallMs = seconds * 1000.0;
    return {(threadCpuMs() - main0) / wallMs * 100, (processCpuMs() - process0) / wallMs * 100, counter.paints};
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer processClock;
    processClock.start();
    QApplication app(argc, argv);
    const double appMs = static_cast<double>(processClock.nsecsElapsed()) / 1e6;
    QApplication::setQuitOnLastWindowClosed(false);
    const QStringList args = app.arguments();
    const int seconds = intArg(args, QStringLiteral("--seconds"), 20);
    const int connections = intArg(args, QStringLiteral("--connections"), 32);
    const int runs = intArg(args, QStringLiteral("--runs"), 3);
    constexpr int kHosts = 2;
    constexpr int kGpus = 8;

    test::SshServer sshd;
    if (!sshd.available()) {
        std::fprintf(stderr, "gpus_window_bench: %s\n", qPrintable(sshd.unavailableReason()));
        return 2;
    }
    test::FakeNvidiaSmi fake;
    QString error;
    if (!fake.install(&error) || !fake.useCompiledReplayer(&error)) {
        std::fprintf(stderr, "gpus_window_bench: %s\n", qPrintable(error));
        return 2;
    }
    fake.setGpus(kGpus);
    sshd.setSessionEnv(QStringLiteral("PATH"), fake.pathValue());
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "gpus_window_bench: sshd: %s\n", qPrintable(error));
        return 2;
    }
    QTemporaryDir home; // settings (the window's size, the pane's range) apart from the user's
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
    qputenv("GPUDECK_USER_KNOWN_HOSTS", home.filePath(QStringLiteral("user_known_hosts")).toUtf8());
    QTemporaryDir idleDir;
    QTemporaryDir startDir;
    if (!createHosts(idleDir.path(), sshd, kHosts) || !createHosts(startDir.path(), sshd, connections)) {
        std::fprintf(stderr, "gpus_window_bench: cannot create the hosts\n");
        return 1;
    }
    std::printf("platform %s, machine load %s at the start\n", qPrintable(QGuiApplication::platformName()),
                qPrintable(loadAverage()));

    // 1. Idle.
    {
        auto core = openCore(idleDir.path());
        if (!core) {
            return 1;
        }
        core->startMonitoring();
        MainWindow window(*core);
        window.resize(1600, 1000);
        window.show();
        window.showPane(MainWindow::GpusPaneIndex);
        const bool streaming = waitFor(
            [&] {
                int n = 0;
                for (const HostMetrics &m : core->metrics().snapshots()) {
                    n += m.state == QStringLiteral("ok") && m.gpus.size() == kGpus ? 1 : 0;
                }
                return n == kHosts && window.gpusPane()->hostColumns().size() == kHosts;
            },
            60000);
        if (!streaming) {
            std::fprintf(stderr, "gpus_window_bench: the hosts are not streaming after 60 s\n");
            return 1;
        }
        runFor(5000); // settled
        std::printf("\nIdle, %d hosts x %d GPUs at 1 s, window 1600x1000, %d s each (machine load %s):\n", kHosts,
                    kGpus, seconds, qPrintable(loadAverage()));
        std::printf("%-34s %18s %20s %8s\n", "case", "main thread (%)", "whole process (%)", "paints");
        const Idle gpus = measureIdle(window.gpusPane(), seconds);
        std::printf("%-34s %18.2f %20.2f %8d\n", "GPUs pane, live", gpus.mainPct, gpus.processPct, gpus.paints);
        window.showPane(MainWindow::ConnectionsPaneIndex);
        runFor(2000);
        const Idle still = measureIdle(window.centralWidget(), seconds);
        std::printf("%-34s %18.2f %20.2f %8d\n", "Connections pane (static)", still.mainPct, still.processPct,
                    still.paints);
        window.hide();
        runFor(2000);
        const Idle hidden = measureIdle(nullptr, seconds);
        std::printf("%-34s %18.2f %20.2f %8s\n", "window hidden (the data alone)", hidden.mainPct, hidden.processPct,
                    "-");
        std::printf("GPUs pane beyond the data's own updates: %.2f %% of one core (main thread; target < 1 %%); "
                    "static pane: %.2f %% (target ~0)\n",
                    gpus.mainPct - hidden.mainPct, still.mainPct - hidden.mainPct);
    }

    // 2. Cold start to first paint.
    std::printf("\nStart to first paint with %d watched connections (QApplication before it: %.0f ms):\n", connections,
                appMs);
    QList<double> firsts;
    for (int run = 1; run <= runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        auto core = openCore(startDir.path());
        if (!core) {
            return 1;
        }
        const double openMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        core->startMonitoring();
        const double monitoringMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        auto window = std::make_unique<MainWindow>(*core);
        const double builtMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        PaintCounter counter;
        window->installEventFilter(&counter);
        window->show();
        if (!waitFor([&] { return counter.firstPaint; }, 10000)) {
            std::fprintf(stderr, "gpus_window_bench: no paint after 10 s\n");
            return 1;
        }
        const double paintMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        firsts << paintMs;
        std::printf(
            "run %d: store open %.0f ms, monitoring started %.0f ms, window built %.0f ms, first paint %.0f ms\n", run,
            openMs, monitoringMs, builtMs, paintMs);
        std::fflush(stdout);
        runFor(1000);
        window.reset();
        core.reset();
    }
    std::sort(firsts.begin(), firsts.end());
    std::printf("first paint: median %.0f ms, worst %.0f ms (target < 1000 ms); machine load %s\n",
                firsts.at(firsts.size() / 2), firsts.last(), qPrintable(loadAverage()));
    return 0;
}
