// The Fleet pane's redraw cost (issue 11): 32 hosts × 8 GPUs, a new FleetSnapshot once a second, measured as the CPU
// time of the GUI thread (CLOCK_THREAD_CPUTIME_ID) for N updates, each one setSnapshot() (tiles work out what they
// show, totals) plus the paint that follows (the event loop run until every changed tile has painted), on the
// offscreen platform. Every GPU's utilisation, memory and temperature change on every update, so every tile repaints:
// the worst case. Two windows: 1280×720 (the tiles that fit are painted, the rest scroll and are not), and one large
// enough to show all 32 tiles at once.
//
//   cmake --build build --target fleet_view_bench
//   QT_QPA_PLATFORM=offscreen build/tests/gui/fleet_view_bench [updates=120]
//
// The snapshots are built before the clock starts: in the app FleetReader runs on the feed's own thread, not on the
// GUI thread (its cost is fleet_bench's). Target: under 5 % of one core at one update a second (50 ms per update).
// Prints figures, asserts nothing.
#include "BenchSupport.h"
#include "MainWindow.h"
#include "TestCore.h"
#include "fleet/FleetBuilder.h"
#include "fleet/FleetFeed.h"
#include "fleet/FleetPane.h"
#include "fleet/HostTile.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <time.h>

using namespace gpudeck;
using namespace gpudeck::bench;

namespace {

constexpr int kHosts = 32;
constexpr int kGpus = 8;

// Counts the paints of the tiles.
class PaintCounter : public QObject
{
public:
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
        }
        return QObject::eventFilter(watched, event);
    }
};

FleetSnapshot snapshot(int step, QRandomGenerator &random)
{
    FleetInputs in;
    in.now = QDateTime::currentDateTimeUtc().addSecs(step);
    in.sampleIntervalMs = 1000;
    for (int h = 1; h <= kHosts; ++h) {
        Connection c;
        c.id = h;
        c.name = QStringLiteral("host-%1").arg(h, 2, 10, QLatin1Char('0'));
        c.hostname = QStringLiteral("198.51.100.%1").arg(h);
        c.kind = QStringLiteral("generic");
        in.connections.append(c);
        LinkStatus link;
        link.state = LinkState::Connected;
        link.since = in.now.addSecs(-3600);
        in.links.insert(h, link);
        HostMetrics m;
        m.connectionId = h;
        m.name = c.name;
        m.state = QStringLiteral("ok");
        m.updatedAt = in.now;
        for (int g = 0; g < kGpus; ++g) {
            GpuSample s;
            s.index = g;
            s.uuid = QStringLiteral("GPU-%1-%2").arg(h).arg(g);
            s.name = QStringLiteral("NVIDIA H100 80GB HBM3");
            s.utilizationGpu = random.bounded(101);
            s.memoryUsedMiB = random.bounded(81920);
            s.memoryTotalMiB = 81920;
            s.temperatureC = 40 + random.bounded(50);
            s.powerDrawW = 100 + random.bounded(600);
            s.time = in.now;
            m.gpus.append(s);
        }
        in.metrics.append(m);
    }
    return buildFleet(in, FleetOptions{});
}

struct Figures
{
    double perUpdateMs = 0;
    double medianMs = 0;
    double p99Ms = 0;
    double paintsPerUpdate = 0;
    int tilesShown = 0;
};

Figures run(MainWindow &window, const QSize &size, int updates)
{
    window.resize(size);
    FleetPane *pane = window.fleetPane();
    pane->feed()->setActive(false); // fed by hand
    QTest::qWait(100);
    QRandomGenerator random(42);
    QList<FleetSnapshot> snapshots;
    for (int i = 0; i < updates + 1; ++i) {
        snapshots.append(snapshot(i, random));
    }
    pane->setSnapshot(snapshots.takeFirst()); // the tiles exist and are laid out before the clock starts
    QTest::qWait(200);

    PaintCounter counter;
    Figures f;
    const QRect viewport(QPoint(0, 0), window.size());
    for (HostTile *tile : pane->tiles()) {
        tile->installEventFilter(&counter);
        const QRect r(tile->mapTo(&window, QPoint(0, 0)), tile->size());
        f.tilesShown += tile->isVisible() && viewport.intersects(r) && !tile->visibleRegion().isEmpty() ? 1 : 0;
    }
    QList<double> each;
    double total = 0;
    for (const FleetSnapshot &s : std::as_const(snapshots)) {
        const int before = counter.paints;
        const double t0 = threadCpuMs();
        pane->setSnapshot(s);
        // The paint is what the event loop does next; run it until every shown tile has painted (or nothing is left).
        QElapsedTimer guard;
        guard.start();
        while (counter.paints - before < f.tilesShown && guard.elapsed() < 1000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        const double ms = threadCpuMs() - t0;
        each.append(ms);
        total += ms;
    }
    std::sort(each.begin(), each.end());
    f.perUpdateMs = total / double(each.size());
    f.medianMs = each.at(each.size() / 2);
    f.p99Ms = each.at(std::min<qsizetype>(each.size() - 1, qsizetype(double(each.size()) * 0.99)));
    f.paintsPerUpdate = double(counter.paints) / double(each.size());
    for (HostTile *tile : pane->tiles()) {
        tile->removeEventFilter(&counter);
    }
    return f;
}

void print(const char *label, const QSize &size, const Figures &f)
{
    std::printf("%-22s %4d×%-4d tiles shown %2d, paints/update %5.1f: GUI thread CPU per update mean %.2f ms, "
                "median %.2f ms, p99 %.2f ms = %.2f %% of one core at 1 update/s (target < 5 %%)\n",
                label, size.width(), size.height(), f.tilesShown, f.paintsPerUpdate, f.perUpdateMs, f.medianMs, f.p99Ms,
                f.perUpdateMs / 10.0);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QTemporaryDir settings;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(settings.path()));
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);
    const int updates = argc > 1 ? std::max(10, std::atoi(argv[1])) : 120;

    test::TestCore core(false);
    MainWindow window(core.core());
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        std::fprintf(stderr, "the window was not exposed\n");
        return 1;
    }
    std::printf("Fleet view redraw: %d hosts × %d GPUs, %d updates, platform %s\n", kHosts, kGpus, updates,
                qPrintable(QGuiApplication::platformName()));
    const QSize small(1280, 720);
    print("1280×720 window", small, run(window, small, updates));
    const QSize large(2400, 1000);
    print("all 32 tiles on screen", large, run(window, large, updates));
    return 0;
}
