// The Fleet pane: the window's first pane, one tile per connection with its link state (end to end over a real Core:
// the feed reads FleetReader on its own thread), the totals of a snapshot with GPUs, "asleep — Wake" for a host that
// can be woken, a click on a tile to the host's details (its GPUs column, or its Connections row), and 8 hosts on a
// 1280×720 window with no scrolling.
#include "MainWindow.h"
#include "RecordTable.h"
#include "TestCore.h"
#include "connections/ConnectionsPane.h"
#include "fleet/FleetBuilder.h"
#include "fleet/FleetFeed.h"
#include "fleet/FleetPane.h"
#include "fleet/FleetProxmox.h"
#include "fleet/FleetWake.h"
#include "fleet/HostTile.h"
#include "fleet/ProxmoxGuestsModel.h"
#include "fleet/ProxmoxNodeTile.h"
#include "fleet/ProxmoxSection.h"
#include "gpus/GpusPane.h"
#include "gpus/HostColumn.h"
#include "wol/WakeService.h"

#include <QApplication>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
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

ProxmoxGuest guest(int vmid, const QString &name, const QString &node, const QString &type, const QString &status)
{
    ProxmoxGuest g;
    g.vmid = vmid;
    g.name = name;
    g.node = node;
    g.type = type;
    g.status = status;
    g.cpu = status == QStringLiteral("running") ? 0.12 : 0;
    g.mem = qint64(2) << 30;
    g.maxMem = qint64(8) << 30;
    g.uptime = status == QStringLiteral("running") ? 3 * 3600 : 0;
    return g;
}

ProxmoxNode node(const QString &name, const QString &status)
{
    ProxmoxNode n;
    n.name = name;
    n.status = status;
    n.cpu = status == QStringLiteral("online") ? 0.25 : 0;
    n.maxCpu = 16;
    n.mem = qint64(40) << 30;
    n.maxMem = qint64(128) << 30;
    n.uptime = 86400 * 3;
    return n;
}

// A four-node cluster (one node asleep) with three guests, as the Proxmox service reads it.
ProxmoxStatus cluster(qint64 connectionId, const QString &connectionName, bool quorate = true)
{
    ProxmoxStatus s;
    s.connectionId = connectionId;
    s.connectionName = connectionName;
    s.source = QStringLiteral("api");
    s.fetchedAt = kNow;
    s.attemptedAt = kNow;
    s.cluster.name = QStringLiteral("homelab");
    s.cluster.clustered = true;
    s.cluster.quorate = quorate;
    s.cluster.nodes = 4;
    s.cluster.nodesOnline = quorate ? 3 : 1;
    s.cluster.expectedVotes = 4;
    s.nodes = {node(QStringLiteral("pve-1"), QStringLiteral("online")),
               node(QStringLiteral("pve-2"), QStringLiteral("online")),
               node(QStringLiteral("pve-3"), QStringLiteral("online")),
               node(QStringLiteral("pve-4"), QStringLiteral("offline"))};
    s.guests = {
        guest(101, QStringLiteral("web"), QStringLiteral("pve-1"), QStringLiteral("qemu"), QStringLiteral("running")),
        guest(102, QStringLiteral("db"), QStringLiteral("pve-2"), QStringLiteral("lxc"), QStringLiteral("stopped")),
        guest(100, QStringLiteral("gpu-vm"), QStringLiteral("pve-3"), QStringLiteral("qemu"),
              QStringLiteral("running"))};
    return s;
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
    void proxmoxClusterShowsQuorumNodesAndGuests();
    void proxmoxActionIsAskedThenFollowed();
    void proxmoxCertificateIsShownThenTrusted();
    void wakeFromTheTileShowsProgressAndCancels();

private:
    FleetPane *pane() const { return m_window->fleetPane(); }
    // The pane fed by hand: the feed is off, nothing it had under way lands afterwards, the Proxmox wiring is detached.
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
    // Hand-made snapshots and Proxmox statuses name connections the core does not have: the pane's Proxmox wiring
    // (tst_gui_fleet_proxmox tests it against a real cluster) is detached, so nothing asks the core about them.
    QObject::disconnect(pane(), nullptr, pane()->proxmox(), nullptr);
    QObject::disconnect(pane(), nullptr, pane()->wake(), nullptr); // the same for Wake: the seam tests click it
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
    in.connections[2].watch = false; // nobody reconnects it
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
    QVERIFY2(failed.linkText.endsWith(QStringLiteral(" · not watched")), qPrintable(failed.linkText));
    QVERIFY(!busy.linkText.contains(QStringLiteral("not watched")));

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

void TestGuiFleet::proxmoxClusterShowsQuorumNodesAndGuests()
{
    takeOverFeed();
    FleetInputs in;
    in.now = kNow;
    in.connections = {connection(1, QStringLiteral("pve-1")), connection(2, QStringLiteral("pve-2"))};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    pane()->setProxmoxStatus(cluster(1, QStringLiteral("pve-1")));
    ProxmoxSection *section = pane()->proxmoxSection(1);
    QVERIFY(section);
    QVERIFY(section->isVisible());
    QCOMPARE(section->findChild<QLabel *>(QStringLiteral("proxmoxTitle"))->text(), QStringLiteral("Cluster homelab"));
    const QString quorum = section->quorumLabel()->text();
    QVERIFY2(quorum.startsWith(QStringLiteral("Quorate · 3 of 4 nodes online")), qPrintable(quorum));
    QVERIFY(quorum.contains(QStringLiteral("2 of 3 guests running")));
    // The nodes as tiles, in name order, the sleeping one offline.
    QCOMPARE(section->nodeTiles().size(), 4);
    QCOMPARE(section->nodeTiles().at(3)->node().name, QStringLiteral("pve-4"));
    QCOMPARE(section->nodeTiles().at(3)->statusText(), QStringLiteral("offline"));
    QVERIFY(!section->nodeTiles().at(0)->grab().isNull());
    // The guests in VMID order.
    QCOMPARE(section->guestModel()->rowCount(), 3);
    QCOMPARE(section->guestModel()->index(0, ProxmoxGuestsModel::IdColumn).data().toInt(), 100);
    QCOMPARE(section->guestModel()->index(2, ProxmoxGuestsModel::TypeColumn).data().toString(),
             QStringLiteral("Container"));

    // The second node of the same cluster does not show it twice.
    pane()->setProxmoxStatus(cluster(2, QStringLiteral("pve-2")));
    QVERIFY(pane()->proxmoxSection(2));
    QVERIFY(!pane()->proxmoxSection(2)->isVisible());
    QVERIFY(section->isVisible());

    // Quorum lost: said loudly.
    pane()->setProxmoxStatus(cluster(1, QStringLiteral("pve-1"), false));
    QVERIFY(section->quorumLabel()->text().startsWith(QStringLiteral("NO QUORUM · 1 of 4 nodes online")));
    // A read that failed keeps what was read, and says why.
    ProxmoxStatus failed = cluster(1, QStringLiteral("pve-1"));
    failed.error = Error::conflict(QStringLiteral("connection refused"));
    pane()->setProxmoxStatus(failed);
    auto *error = section->findChild<QLabel *>(QStringLiteral("proxmoxError"));
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("connection refused")));
    QCOMPARE(section->guestModel()->rowCount(), 3);

    // The connection gone: its section too.
    in.connections = {connection(2, QStringLiteral("pve-2"))};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    QVERIFY(!pane()->proxmoxSection(1));
    QTRY_VERIFY(pane()->proxmoxSection(2)->isVisible()); // now the one that shows the cluster
}

void TestGuiFleet::proxmoxActionIsAskedThenFollowed()
{
    takeOverFeed();
    FleetInputs in;
    in.now = kNow;
    in.connections = {connection(1, QStringLiteral("pve-1"))};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    QStringList asked;
    bool answer = false;
    pane()->setQuestion([&](QWidget *, const QString &title, const QString &, const QString &) {
        asked << title;
        return answer;
    });
    pane()->setProxmoxStatus(cluster(1, QStringLiteral("pve-1")));
    ProxmoxSection *section = pane()->proxmoxSection(1);
    QSignalSpy requested(pane(), &FleetPane::proxmoxActionRequested);

    // Nothing selected: no action.
    for (const char *action : {"start", "shutdown", "stop", "reboot"}) {
        QVERIFY(!section->actionButton(QString::fromLatin1(action))->isEnabled());
    }
    // A running VM: it can be shut down, stopped or rebooted, not started.
    section->guestTable()->selectId(101);
    QVERIFY(!section->actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(section->actionButton(QStringLiteral("shutdown"))->isEnabled());
    QVERIFY(section->actionButton(QStringLiteral("stop"))->isEnabled());
    QVERIFY(section->actionButton(QStringLiteral("reboot"))->isEnabled());
    // The selection survives the next poll.
    pane()->setProxmoxStatus(cluster(1, QStringLiteral("pve-1")));
    QCOMPARE(section->guestTable()->selectedId(), 101);

    // Asked first; "no" does nothing.
    section->actionButton(QStringLiteral("stop"))->click();
    QCOMPARE(asked, QStringList{QStringLiteral("Stop 101 (web)")});
    QCOMPARE(requested.size(), 0);
    // "Yes": requested, and the section waits for the task.
    answer = true;
    section->actionButton(QStringLiteral("shutdown"))->click();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).toLongLong(), 1);
    QCOMPARE(requested.at(0).at(1).toInt(), 101);
    QCOMPARE(requested.at(0).at(2).toString(), QStringLiteral("shutdown"));
    QVERIFY(section->taskLabel()->text().contains(QStringLiteral("asking Proxmox")));

    // The task, followed to its end.
    ProxmoxTask task =
        ProxmoxTask::fromUpid(QStringLiteral("UPID:pve-1:0000ABCD:00C0FFEE:6560A000:qmshutdown:101:gpudeck@pve!deck:"));
    task.action = QStringLiteral("shutdown");
    task.vmid = 101;
    task.status = QStringLiteral("running");
    pane()->proxmoxSection(1)->setTask(task);
    QVERIFY(section->taskLabel()->text().startsWith(QStringLiteral("Shut down 101 (web): task running on pve-1")));
    task.status = QStringLiteral("stopped");
    task.exitStatus = QStringLiteral("OK");
    section->setTask(task);
    QCOMPARE(section->taskLabel()->text(), QStringLiteral("Shut down 101 (web): done (OK)"));
    task.exitStatus = QStringLiteral("VM quit/powerdown failed - got timeout");
    section->setTask(task);
    QCOMPARE(section->taskLabel()->text(),
             QStringLiteral("Shut down 101 (web) failed: VM quit/powerdown failed - got timeout"));

    // A stopped container can only be started; a refusal before any task is shown too.
    section->guestTable()->selectId(102);
    QVERIFY(section->actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(!section->actionButton(QStringLiteral("stop"))->isEnabled());
    QVERIFY(!section->requestAction(102, QStringLiteral("stop")));
    section->setActionFailed(102, QStringLiteral("start"), QStringLiteral("quorum lost"));
    QCOMPARE(section->taskLabel()->text(), QStringLiteral("Start 102 (db) failed: quorum lost"));
}

void TestGuiFleet::proxmoxCertificateIsShownThenTrusted()
{
    takeOverFeed();
    FleetInputs in;
    in.now = kNow;
    in.connections = {connection(1, QStringLiteral("pve-1"))};
    pane()->setSnapshot(buildFleet(in, FleetOptions{}));
    QString askedText;
    pane()->setQuestion([&](QWidget *, const QString &, const QString &text, const QString &) {
        askedText = text;
        return true;
    });
    const QString fp = QStringLiteral("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:"
                                      "EF:01:23:45:67:89");
    ProxmoxStatus unknown;
    unknown.connectionId = 1;
    unknown.connectionName = QStringLiteral("pve-1");
    unknown.attemptedAt = kNow;
    unknown.error = Error::make(ErrorCode::Upstream, QStringLiteral("certificate_unknown"),
                                QStringLiteral("the node's certificate is not trusted yet"),
                                QJsonObject{{QStringLiteral("fingerprint"), fp}});
    pane()->setProxmoxStatus(unknown);
    ProxmoxSection *section = pane()->proxmoxSection(1);
    QVERIFY(section->trustButton()->isVisible());
    QVERIFY(section->quorumLabel()->text().contains(QStringLiteral("not read yet")));
    QSignalSpy trusted(pane(), &FleetPane::proxmoxTrustRequested);
    section->trustButton()->click();
    QVERIFY(askedText.contains(fp)); // shown before it is trusted
    QCOMPARE(trusted.size(), 1);
    QCOMPARE(trusted.at(0).at(1).toString(), fp);
    QCOMPARE(trusted.at(0).at(2).toBool(), false);

    // A changed certificate: said loudly, trusted only as a replacement, asked with the new fingerprint.
    unknown.error->reason = QStringLiteral("certificate_changed");
    pane()->setProxmoxStatus(unknown);
    QVERIFY(section->trustButton()->isVisible());
    section->trustButton()->click();
    QVERIFY(askedText.contains(QStringLiteral("ANOTHER certificate")));
    QCOMPARE(trusted.size(), 2);
    QCOMPARE(trusted.at(1).at(2).toBool(), true);

    // Read fine: no button.
    pane()->setProxmoxStatus(cluster(1, QStringLiteral("pve-1")));
    QVERIFY(!section->trustButton()->isVisible());
}

void TestGuiFleet::wakeFromTheTileShowsProgressAndCancels()
{
    // A sleeping host (a MAC, nothing listening on its SSH port); the packets go to a loopback port nobody reads.
    Connection c;
    c.name = QStringLiteral("pve-node-4");
    c.hostname = QStringLiteral("127.0.0.1");
    c.port = 1;
    c.kind = QStringLiteral("generic");
    c.macAddress = QStringLiteral("00:11:22:33:44:04");
    c.wolBroadcast = QStringLiteral("127.0.0.1");
    c.wolPort = 9;
    c.watch = false;
    const auto created = m_core->core().connections().create(c);
    QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
    QTRY_VERIFY(pane()->tile(created->id));
    HostTile *tile = pane()->tile(created->id);
    QTRY_VERIFY(tile->view().asleep);
    QSignalSpy messages(pane(), &FleetPane::message);

    // Wake: the core's wake-and-wait runs; the tile shows it and its button cancels it.
    QTest::mouseClick(tile->wakeButton(), Qt::LeftButton);
    QVERIFY(tile->isWaking());
    QTRY_VERIFY(m_core->core().wake().progress(created->id).has_value());
    QCOMPARE(tile->wakeButton()->text(), QStringLiteral("Cancel"));
    QTest::mouseClick(tile->wakeButton(), Qt::LeftButton);
    QTRY_VERIFY(!tile->isWaking());
    QVERIFY(!m_core->core().wake().progress(created->id).has_value());
    QTRY_VERIFY(!messages.isEmpty());
    QCOMPARE(messages.last().at(0).toString(), QStringLiteral("Stopped waiting for pve-node-4"));
    QCOMPARE(tile->wakeButton()->text(), QStringLiteral("Wake"));
}

QTEST_MAIN(TestGuiFleet)
#include "tst_gui_fleet.moc"
