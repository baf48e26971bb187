// The Fleet pane: the window's first pane, one tile per connection with its link state (end to end over a real Core:
// the feed reads FleetReader on its own thread), the totals of a snapshot with GPUs, "asleep — Wake" for a host that
// can be woken, a click on a tile to the host's details (its GPUs column, or its Connections row), and 8 hosts on a
// 1280×720 window with no scrolling.
#include "MainWindow.h"
#include "TestCore.h"
#include "connections/ConnectionsPane.h"
#include "fleet/FleetBuilder.h"
#include "fleet/FleetFeed.h"
#include "fleet/FleetPane.h"
#include "fleet/HostTile.h"
#include "gpus/GpusPane.h"
#include "gpus/HostColumn.h"

#include <QApplication>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

const QDateTime kNow = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);

GpuSample gpu(int index, double utilization, double usedMiB)
{
    GpuSample s;
    s.index = index;
    s.uuid = QStringLiteral("GPU-%1").arg(index);
    s.name = QStringLiteral("NVIDIA H100 80GB HBM3");
    s.utilizationGpu = utilization;
    s.memoryUsedMiB = usedMiB;
    s.memoryTotalMiB = 81920;
    s.temperatureC = 60 + index;
    s.powerDrawW = 300;
    s.time = kNow;
    return s;
}

LinkStatus link(LinkState state)
{
    LinkStatus s;
    s.state = state;
    if (state != LinkState::Disconnected) {
        s.since = kNow.addSecs(-2 * 3600 - 5 * 60);
    }
    return s;
}

Connection connection(qint64 id, const QString &name, const QString &mac = {})
{
    Connection c;
    c.id = id;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.%1").arg(10 + id);
    c.kind = QStringLiteral("dgx-spark");
    c.macAddress = mac;
    return c;
}

HostMetrics metrics(qint64 id, const QString &name, int gpus, double utilization)
{
    HostMetrics m;
    m.connectionId = id;
    m.name = name;
    m.state = QStringLiteral("ok");
    m.updatedAt = kNow;
    for (int i = 0; i < gpus; ++i) {
        m.gpus.append(gpu(i, utilization, 20480));
    }
    return m;
}

// Idle for the whole window: what makes a GPU free.
GpuActivitySummary idle()
{
    GpuActivitySummary a;
    a.peakUtilization = 1;
    a.observedSinceMs = kNow.toMSecsSinceEpoch() - 120'000;
    a.samples = 60;
    return a;
}

} // namespace

class TestGuiFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void fleetIsTheFirstPane();
    void tilesFollowConnectionsEndToEnd();
    void totalsOfASnapshotWithGpus();
    void asleepHostShowsWake();
    void clickOnTileShowsTheHostsDetails();
    void eightHostsFitAt1280x720();

private:
    FleetPane *pane() const { return m_window->fleetPane(); }
    // The pane fed by hand: the feed is off, and nothing it had under way lands afterwards.
    void takeOverFeed();

    QTemporaryDir m_settingsDir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiFleet::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
}

void TestGuiFleet::init()
{
    m_core = std::make_unique<TestCore>(false);
    m_window = std::make_unique<MainWindow>(m_core->core());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiFleet::cleanup()
{
    m_window.reset();
    m_core.reset();
}

void TestGuiFleet::takeOverFeed()
{
    pane()->feed()->setActive(false);
    QTRY_VERIFY(!pane()->feed()->isReading());
}

void TestGuiFleet::fleetIsTheFirstPane()
{
    auto *list = m_window->findChild<QListWidget *>(QStringLiteral("paneList"));
    QVERIFY(list);
    QCOMPARE(list->item(0)->text(), QStringLiteral("Fleet"));
    // A fresh install opens on it, and it is reading.
    QCOMPARE(m_window->currentPane(), int(MainWindow::FleetPaneIndex));
    QVERIFY(pane()->isVisible());
    QVERIFY(pane()->feed()->isActive());
    // With no connection yet it says how to get one.
    QTRY_VERIFY(pane()->findChild<QWidget *>(QStringLiteral("fleetEmptyHint"))->isVisible());
    // Off screen it reads nothing.
    m_window->showPane(MainWindow::JobsPaneIndex);
    QVERIFY(!pane()->feed()->isActive());
}

void TestGuiFleet::tilesFollowConnectionsEndToEnd()
{
    Connection local;
    local.name = QStringLiteral("this-box");
    local.kind = QStringLiteral("local");
    const auto created = m_core->core().connections().create(local);
    QVERIFY(created.ok());
    Connection sleeper;
    sleeper.name = QStringLiteral("pve-node-4");
    sleeper.hostname = QStringLiteral("203.0.113.24");
    sleeper.kind = QStringLiteral("proxmox");
    sleeper.macAddress = QStringLiteral("00:11:22:33:44:04");
    const auto asleep = m_core->core().connections().create(sleeper);
    QVERIFY(asleep.ok());

    // The feed (its own thread, FleetReader) brings both, in name order, without a click.
    QTRY_COMPARE(pane()->tiles().size(), 2);
    QCOMPARE(pane()->tiles().at(0)->view().name, QStringLiteral("pve-node-4"));
    HostTile *tile = pane()->tile(created->id);
    QVERIFY(tile);
    QCOMPARE(tile->view().link, LinkState::Disconnected);
    QVERIFY(tile->view().linkText.startsWith(QStringLiteral("Disconnected")));
    QVERIFY(!tile->view().asleep); // no MAC: nothing to wake it with
    QVERIFY(pane()->tile(asleep->id)->view().asleep);
    QVERIFY(pane()->tile(asleep->id)->wakeButton()->isVisible());
    QCOMPARE(pane()->totalText(QStringLiteral("hosts")), QStringLiteral("0 of 2 up · 1 asleep"));

    // Connected: the tile says so, with since when.
    m_window->connectionsPane()->connectTo(created->id);
    QTRY_COMPARE(tile->view().link, LinkState::Connected);
    QVERIFY(tile->view().linkText.startsWith(QStringLiteral("Connected · ")));
    QTRY_COMPARE(pane()->totalText(QStringLiteral("hosts")), QStringLiteral("1 of 2 up · 1 asleep"));

    // Deleted: its tile goes.
    QVERIFY(m_core->core().connections().remove(asleep->id, false).ok());
    QTRY_COMPARE(pane()->tiles().size(), 1);
    QVERIFY(!pane()->tile(asleep->id));
}

void TestGuiFleet::totalsOfASnapshotWithGpus()
{
    takeOverFeed();
    FleetInputs in;
    in.now = kNow;
    in.sampleIntervalMs = 1000;
    in.connections = {connection(1, QStringLiteral("spark-1")), connection(2, QStringLiteral("spark-2")),
                      connection(3, QStringLiteral("box-3"))};
    in.links.insert(1, link(LinkState::Connected));
    in.links.insert(2, link(LinkState::Connected));
    in.links.insert(3, link(LinkState::Failed));
    in.metrics = {metrics(1, QStringLiteral("spark-1"), 4, 90), metrics(2, QStringLiteral("spark-2"), 2, 0)};
    in.activity[2][0] = idle();
    in.activity[2][1] = idle();
    Alert hot;
    hot.id = 5;
    hot.connectionId = 1;
    hot.kind = QStringLiteral("gpu_temperature");
    hot.severity = QStringLiteral("critical");
    hot.message = QStringLiteral("GPU 3 at 88 °C");
    hot.startedAt = kNow;
    in.activeAlerts = {hot};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));

    QCOMPARE(pane()->tiles().size(), 3);
    QCOMPARE(pane()->totalText(QStringLiteral("hosts")), QStringLiteral("2 of 3 up"));
    QCOMPARE(pane()->totalText(QStringLiteral("gpus")), QStringLiteral("4 busy · 2 free"));
    QCOMPARE(pane()->totalText(QStringLiteral("memory")), QStringLiteral("120.0 / 480.0 GiB"));
    QCOMPARE(pane()->totalText(QStringLiteral("power")), QStringLiteral("1.80 kW"));
    QCOMPARE(pane()->totalText(QStringLiteral("alerts")), QStringLiteral("1"));

    const TileView &busy = pane()->tile(1)->view();
    QCOMPARE(busy.gpus.size(), 4);
    QCOMPARE(busy.gpus.at(0).utilizationText, QStringLiteral("90 %"));
    QCOMPARE(busy.gpus.at(0).memoryText, QStringLiteral("20/80G"));
    QCOMPARE(busy.gpus.at(3).temperatureText, QStringLiteral("63°"));
    QCOMPARE(busy.gpuSummary, QStringLiteral("0 of 4 free"));
    QCOMPARE(busy.alertLevel, 2);
    QCOMPARE(busy.alertsText, QStringLiteral("GPU 3 at 88 °C"));
    QVERIFY(busy.linkText.startsWith(QStringLiteral("Connected · 2 h 5 min")));
    QCOMPARE(pane()->tile(2)->view().gpuSummary, QStringLiteral("2 of 2 free"));
    QVERIFY(pane()->tile(2)->view().gpus.at(0).free);
    const TileView &failed = pane()->tile(3)->view();
    QVERIFY(failed.gpus.isEmpty());
    QCOMPARE(failed.link, LinkState::Failed);
    QVERIFY(!failed.asleep);

    // The same snapshot again repaints nothing: the views are equal.
    const TileView before = pane()->tile(1)->view();
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    QVERIFY(pane()->tile(1)->view() == before);
    // Every tile is painted without trouble (light and dark alike use the palette).
    for (HostTile *tile : pane()->tiles()) {
        QVERIFY(!tile->grab().isNull());
    }
}

void TestGuiFleet::asleepHostShowsWake()
{
    takeOverFeed();
    FleetInputs in;
    in.now = kNow;
    in.connections = {connection(1, QStringLiteral("pve-node-3"), QStringLiteral("00:11:22:33:44:03")),
                      connection(2, QStringLiteral("spark-1"), QStringLiteral("00:11:22:33:44:01"))};
    in.links.insert(2, link(LinkState::Connected));
    in.metrics = {metrics(2, QStringLiteral("spark-1"), 1, 50)};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));

    HostTile *sleeping = pane()->tile(1);
    QVERIFY(sleeping->view().asleep);
    QCOMPARE(sleeping->view().emptyText, QStringLiteral("asleep —"));
    QVERIFY(sleeping->wakeButton()->isVisible());
    QCOMPARE(sleeping->wakeButton()->text(), QStringLiteral("Wake"));
    QCOMPARE(pane()->totalText(QStringLiteral("hosts")), QStringLiteral("1 of 2 up · 1 asleep"));
    // Up, with a MAC: nothing to wake.
    QVERIFY(!pane()->tile(2)->view().asleep);
    QVERIFY(!pane()->tile(2)->wakeButton()->isVisible());

    QSignalSpy wake(pane(), &FleetPane::wakeRequested);
    QSignalSpy cancel(pane(), &FleetPane::wakeCancelRequested);
    QSignalSpy activated(pane(), &FleetPane::hostActivated);
    QTest::mouseClick(sleeping->wakeButton(), Qt::LeftButton);
    QCOMPARE(wake.size(), 1);
    QCOMPARE(wake.at(0).at(0).toLongLong(), 1);
    QCOMPARE(activated.size(), 0); // the button is not a click on the tile

    // While it wakes: the progress on the tile, and the button cancels.
    pane()->setWaking(1, true, 0.25, QStringLiteral("Waiting for SSH… 45 s"));
    QVERIFY(sleeping->isWaking());
    QCOMPARE(sleeping->wakeButton()->text(), QStringLiteral("Cancel"));
    QVERIFY(sleeping->wakeButton()->isVisible());
    QTest::mouseClick(sleeping->wakeButton(), Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    pane()->setWaking(1, false);
    QCOMPARE(sleeping->wakeButton()->text(), QStringLiteral("Wake"));
    QVERIFY(!sleeping->grab().isNull());
}

void TestGuiFleet::clickOnTileShowsTheHostsDetails()
{
    // Real connections (the Connections pane selects by id), a GPUs column for one of them.
    Connection a;
    a.name = QStringLiteral("spark-1");
    a.hostname = QStringLiteral("203.0.113.10");
    const auto withGpus = m_core->core().connections().create(a);
    QVERIFY(withGpus.ok());
    a.name = QStringLiteral("spark-2");
    a.hostname = QStringLiteral("203.0.113.11");
    const auto without = m_core->core().connections().create(a);
    QVERIFY(without.ok());
    QTRY_COMPARE(pane()->tiles().size(), 2);
    m_window->gpusPane()->applySnapshot(metrics(withGpus->id, QStringLiteral("spark-1"), 2, 40));
    QVERIFY(m_window->gpusPane()->hostColumn(withGpus->id));

    QTest::mouseClick(pane()->tile(withGpus->id), Qt::LeftButton);
    QCOMPARE(m_window->currentPane(), int(MainWindow::GpusPaneIndex));
    QCOMPARE(m_window->gpusPane()->focusedHost(), withGpus->id);
    QVERIFY(m_window->gpusPane()->hostColumn(withGpus->id)->isFocused());
    QCOMPARE(m_window->connectionsPane()->selectedId(), withGpus->id);

    // No GPUs column (never monitored): its row in Connections.
    m_window->showPane(MainWindow::FleetPaneIndex);
    QTRY_VERIFY(pane()->tile(without->id));
    pane()->tile(without->id)->setFocus();
    QTest::keyClick(pane()->tile(without->id), Qt::Key_Return); // the keyboard works as the mouse does
    QCOMPARE(m_window->currentPane(), int(MainWindow::ConnectionsPaneIndex));
    QCOMPARE(m_window->connectionsPane()->selectedId(), without->id);
}

void TestGuiFleet::eightHostsFitAt1280x720()
{
    takeOverFeed();
    m_window->resize(1280, 720);
    FleetInputs in;
    in.now = kNow;
    for (int i = 1; i <= 8; ++i) {
        const QString name = QStringLiteral("host-%1").arg(i);
        in.connections.append(connection(i, name, i > 6 ? QStringLiteral("00:11:22:33:44:0%1").arg(i) : QString()));
        if (i <= 6) {
            in.links.insert(i, link(LinkState::Connected));
            in.metrics.append(metrics(i, name, 8, 10 * i));
        }
    }
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    QCOMPARE(pane()->tiles().size(), 8);
    auto *scroll = pane()->findChild<QScrollArea *>(QStringLiteral("fleetScrollArea"));
    QVERIFY(scroll);
    // Laid out, every tile is wholly inside the viewport with nothing to scroll.
    QTRY_VERIFY(pane()->tiles().last()->isVisible());
    QTRY_VERIFY(pane()->tiles().last()->geometry().top() > 0);
    const QRect viewport = scroll->viewport()->rect();
    for (HostTile *tile : pane()->tiles()) {
        const QRect r(tile->mapTo(scroll->viewport(), QPoint(0, 0)), tile->size());
        QVERIFY2(viewport.contains(r), qPrintable(QStringLiteral("%1 at %2,%3 %4×%5 outside %6×%7")
                                                      .arg(tile->view().name)
                                                      .arg(r.x())
                                                      .arg(r.y())
                                                      .arg(r.width())
                                                      .arg(r.height())
                                                      .arg(viewport.width())
                                                      .arg(viewport.height())));
    }
    QCOMPARE(scroll->verticalScrollBar()->maximum(), 0);
}

QTEST_MAIN(TestGuiFleet)
#include "tst_gui_fleet.moc"
