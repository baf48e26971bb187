#include "WolFixture.h"
#include "connections/ConnectionsPane.h"
#include "connections/WakeDialog.h"
#include "store/AuditRepository.h"
#include "store/ConnectionRepository.h"
#include "tray/TrayIcon.h"
#include "wol/WakeService.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTest>

using namespace gpudeck;
using namespace gpudeck::test;

class TestGuiWol : public QObject
{
    Q_OBJECT

    std::unique_ptr<WolCore> m_env;

    Connection addHost(const QString &name, quint16 sshPort, quint16 wolPort, const QString &mac)
    {
        Connection c;
        c.name = name;
        c.hostname = QStringLiteral("127.0.0.1");
        c.port = sshPort;
        c.macAddress = mac;
        c.wolBroadcast = QStringLiteral("127.0.0.1");
        c.wolPort = wolPort;
        c.watch = false;
        return m_env->core->connections().create(c).value();
    }

private Q_SLOTS:
    void init() { m_env = std::make_unique<WolCore>(false); }
    void cleanup() { m_env.reset(); }

    void wakeButtonAndDialog()
    {
        PacketCatcher catcher;
        SleepingSshPort ssh;
        catcher.onPacket = [&](int) { ssh.open(); };
        const Connection sleeper =
            addHost(QStringLiteral("node-1"), ssh.port, catcher.port(), QStringLiteral("0a1b2c3d4e5f"));
        const Connection noMac = addHost(QStringLiteral("node-2"), freePort(), catcher.port(), QString());
        ConnectionsPane pane(*m_env->core);
        pane.resize(900, 500);
        pane.show();
        auto *button = pane.findChild<QPushButton *>(QStringLiteral("wakeButton"));
        QVERIFY(button);
        pane.select(noMac.id);
        QVERIFY(!button->isEnabled());
        pane.select(sleeper.id);
        QVERIFY(button->isEnabled());

        button->click();
        auto *dialog = pane.findChild<WakeDialog *>(QStringLiteral("wakeDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 20000);
        QVERIFY2(dialog->outcomeText().contains(QStringLiteral("is awake")), qPrintable(dialog->outcomeText()));
        QCOMPARE(dialog->findChild<QPushButton *>(QStringLiteral("wakeCancelButton"))->text(), QStringLiteral("Close"));
        QVERIFY(catcher.packets.size() >= 1);
        const auto audit = m_env->core->audit().list(QStringLiteral("gui"));
        QVERIFY(audit.ok() && !audit->isEmpty());
        QCOMPARE(audit->first().route, QStringLiteral("/api/dgx/wake/:id"));
        dialog->close();
    }

    void cancelInTheDialog()
    {
        PacketCatcher catcher;
        const Connection sleeper =
            addHost(QStringLiteral("node-1"), freePort(), catcher.port(), QStringLiteral("0a1b2c3d4e5f"));
        ConnectionsPane pane(*m_env->core);
        pane.show();
        pane.select(sleeper.id);
        WakeDialog *dialog = pane.wake(sleeper.id, 60000);
        QVERIFY(dialog);
        QTRY_VERIFY(!catcher.packets.isEmpty()); // waiting now
        QTRY_VERIFY(m_env->core->wake().progress(sleeper.id).has_value());
        QCOMPARE(pane.wake(sleeper.id), dialog); // one per host
        dialog->findChild<QPushButton *>(QStringLiteral("wakeCancelButton"))->click();
        QTRY_VERIFY(!dialog->isRunning());
        QVERIFY2(dialog->outcomeText().contains(QStringLiteral("Stopped waiting")), qPrintable(dialog->outcomeText()));
        QVERIFY(!m_env->core->wake().progress(sleeper.id).has_value());
    }

    void trayWakeMenu()
    {
        PacketCatcher catcher;
        Connection watched =
            addHost(QStringLiteral("node-1"), freePort(), catcher.port(), QStringLiteral("0a1b2c3d4e5f"));
        watched.watch = true;
        watched = m_env->core->connections().update(watched).value();
        addHost(QStringLiteral("node-2"), freePort(), catcher.port(), QStringLiteral("0a1b2c3d4e60")); // not watched
        TrayIcon tray(*m_env->core);
        tray.fillWakeMenu();
        QStringList entries;
        for (QAction *a : tray.wakeMenu()->actions()) {
            if (!a->isSeparator()) {
                entries << a->text();
            }
        }
        QCOMPARE(entries, (QStringList{QStringLiteral("node-1"), QStringLiteral("Wake all")}));
        for (QAction *a : tray.wakeMenu()->actions()) {
            if (a->text() == QStringLiteral("node-1")) {
                a->trigger();
            }
        }
        QTRY_VERIFY(!catcher.packets.isEmpty());
        tray.fillWakeMenu();
        QVERIFY(tray.wakeMenu()->actions().first()->text().contains(QStringLiteral("waking")));
        QVERIFY(m_env->core->wake().cancel(watched.id));
        QTRY_VERIFY(!m_env->core->wake().progress(watched.id).has_value());
    }
};

QTEST_MAIN(TestGuiWol)
#include "tst_gui_wol.moc"
