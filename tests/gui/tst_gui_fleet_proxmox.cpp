// The Fleet pane's Proxmox section over the real core: a `proxmox` connection against FakeProxmox (the Proxmox API
// over HTTPS on loopback, a certificate made at test time), read by ProxmoxService while the pane is shown. The
// unknown certificate is shown with its fingerprint and trusted from the pane; then the quorum, the nodes and the
// guests appear; a Start asked and confirmed in the pane runs as a Proxmox task followed to its end, and the guest
// shows running. Hidden, the pane stops watching the cluster.
#include "FakeProxmox.h"
#include "HttpClient.h"
#include "MainWindow.h"
#include "RecordTable.h"
#include "TestCore.h"
#include "fleet/FleetFeed.h"
#include "fleet/FleetPane.h"
#include "fleet/FleetProxmox.h"
#include "fleet/ProxmoxGuestsModel.h"
#include "fleet/ProxmoxNodeTile.h"
#include "fleet/ProxmoxSection.h"
#include "proxmox/ProxmoxService.h"
#include "secrets/MemorySecretStore.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace gpudeck;

class TestGuiFleetProxmox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void clusterTrustedReadAndActedOnFromThePane();

private:
    QTemporaryDir m_settingsDir;
    test::FakeProxmox m_fake;
    std::unique_ptr<test::TestCore> m_core;
};

void TestGuiFleetProxmox::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
    QString error;
    QVERIFY2(m_fake.start(&error), qPrintable(error));
    m_core = std::make_unique<test::TestCore>(true, std::make_unique<MemorySecretStore>());
    m_core->core().proxmox().setTaskPollIntervalMs(20);
}

void TestGuiFleetProxmox::cleanupTestCase()
{
    m_core.reset();
    m_fake.stop();
}

void TestGuiFleetProxmox::clusterTrustedReadAndActedOnFromThePane()
{
    test::HttpClient http(m_core->port(), m_core->token());
    const auto created =
        http.post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("pve")},
                                                           {QStringLiteral("hostname"), m_fake.host()},
                                                           {QStringLiteral("username"), QStringLiteral("root")},
                                                           {QStringLiteral("kind"), QStringLiteral("proxmox")},
                                                           {QStringLiteral("proxmox_token_id"), m_fake.tokenId()},
                                                           {QStringLiteral("proxmox_api_port"), m_fake.port()}});
    QVERIFY2(created.status == 201, created.body.constData());
    const qint64 id = created.object().value(QStringLiteral("id")).toInteger();
    QCOMPARE(http.put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                      {{QStringLiteral("proxmox_token_secret"), m_fake.tokenSecret()}})
                 .status,
             204);

    MainWindow window(m_core->core());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    FleetPane *pane = window.fleetPane();
    QString asked;
    pane->setQuestion([&](QWidget *, const QString &title, const QString &text, const QString &) {
        asked = title + QLatin1Char('\n') + text;
        return true;
    });

    // Shown, the pane watches the cluster: its first read stops at the certificate, shown with its fingerprint.
    QTRY_VERIFY_WITH_TIMEOUT(pane->proxmoxSection(id), 10000);
    QVERIFY(pane->proxmox()->watched().contains(id));
    ProxmoxSection *section = pane->proxmoxSection(id);
    QTRY_VERIFY_WITH_TIMEOUT(section->trustButton()->isVisible(), 10000);
    section->trustButton()->click();
    QVERIFY2(asked.contains(m_fake.fingerprint()), qPrintable(asked));

    // Trusted: read, with its quorum, nodes and guests.
    QTRY_VERIFY_WITH_TIMEOUT(section->status().hasData(), 10000);
    QVERIFY(!section->trustButton()->isVisible());
    QVERIFY(!m_core->core().connections().get(id)->proxmoxFingerprint.isEmpty());
    QVERIFY2(section->quorumLabel()->text().startsWith(QStringLiteral("Quorate")),
             qPrintable(section->quorumLabel()->text()));
    QVERIFY(!section->nodeTiles().isEmpty());
    QVERIFY(section->guestModel()->rowCount() > 0);
    const ProxmoxGuest *guest = section->guestModel()->guest(101);
    QVERIFY(guest);
    QCOMPARE(guest->status, QStringLiteral("stopped"));

    // Start it from the pane: asked, then a task followed to its end, and the guest shows running.
    section->guestTable()->selectId(101);
    QVERIFY(section->actionButton(QStringLiteral("start"))->isEnabled());
    section->actionButton(QStringLiteral("start"))->click();
    QVERIFY(asked.startsWith(QStringLiteral("Start 101")));
    QTRY_VERIFY2_WITH_TIMEOUT(section->taskLabel()->text().endsWith(QStringLiteral("done (OK)")),
                              qPrintable(section->taskLabel()->text()), 15000);
    QCOMPARE(m_fake.guestStatus(101), QStringLiteral("running"));
    QTRY_COMPARE_WITH_TIMEOUT(section->guestModel()->guest(101)->status, QStringLiteral("running"), 15000);
    QVERIFY(!section->actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(section->actionButton(QStringLiteral("shutdown"))->isEnabled());

    // Off screen, nobody watches it.
    window.showPane(MainWindow::JobsPaneIndex);
    QVERIFY(pane->proxmox()->watched().isEmpty());
    window.showPane(MainWindow::FleetPaneIndex);
    QVERIFY(pane->proxmox()->watched().contains(id));
}

QTEST_MAIN(TestGuiFleetProxmox)
#include "tst_gui_fleet_proxmox.moc"
