#include "WolFixture.h"
#include "secrets/ConnectionSecrets.h"
#include "store/ConnectionRepository.h"
#include "wol/MacAddress.h"
#include "wol/MagicPacket.h"
#include "wol/WakeService.h"
#include "wol/WakeTargets.h"

#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QTest>

using namespace gpudeck;
using namespace gpudeck::test;

namespace {

// Every message logged while a test runs, to prove a secret never reaches the log.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previous = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    if (g_previous) {
        g_previous(type, context, message);
    }
}

const QByteArray kMac = QByteArray::fromHex("0a1b2c3d4e5f");

QByteArray expectedPacket(const QByteArray &mac, const QByteArray &secureOn = {})
{
    QByteArray p;
    for (int i = 0; i < 6; ++i) {
        p.append(char(0xff));
    }
    for (int i = 0; i < 16; ++i) {
        p.append(mac);
    }
    return p + secureOn;
}

} // namespace

class TestWol : public QObject
{
    Q_OBJECT

    std::unique_ptr<WolCore> m_env;

    Connection addHost(const QString &name, quint16 sshPort, quint16 wolPort,
                       const QString &mac = QStringLiteral("0A-1B-2C-3D-4E-5F"))
    {
        Connection c;
        c.name = name;
        c.hostname = QStringLiteral("127.0.0.1");
        c.port = sshPort;
        c.username = QStringLiteral("ops");
        c.macAddress = mac;
        c.wolBroadcast = QStringLiteral("127.0.0.1");
        c.wolPort = wolPort;
        c.watch = false;
        const auto created = m_env->core->connections().create(c);
        if (!created.ok()) {
            qFatal("cannot create connection: %s", qPrintable(created.ok() ? QString() : created.error().message));
        }
        return created.value();
    }

    WakeService &wake() { return m_env->core->wake(); }

    static Result<WakeOutcome> await(QFuture<Result<WakeOutcome>> future, int timeoutMs = 20000)
    {
        QElapsedTimer t;
        t.start();
        while (!future.isFinished() && t.elapsed() < timeoutMs) {
            QTest::qWait(5); // runs the event loop: the catcher and the fake SSH port answer meanwhile
        }
        if (!future.isFinished()) {
            return Error::internal(QStringLiteral("the wake did not answer in time"));
        }
        return future.result();
    }

private Q_SLOTS:
    void init() { m_env = std::make_unique<WolCore>(false); }
    void cleanup() { m_env.reset(); }

    void macNotations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical"); // empty: refused
        QTest::newRow("colons") << "00:11:22:33:44:55"
                                << "00:11:22:33:44:55";
        QTest::newRow("colons upper") << "AA:BB:CC:DD:EE:FF"
                                      << "aa:bb:cc:dd:ee:ff";
        QTest::newRow("dashes") << "00-11-22-AA-bb-55"
                                << "00:11:22:aa:bb:55";
        QTest::newRow("dotted") << "0011.22aa.BB55"
                                << "00:11:22:aa:bb:55";
        QTest::newRow("bare") << "001122AABB55"
                              << "00:11:22:aa:bb:55";
        QTest::newRow("blanks around") << "  00:11:22:33:44:55 "
                                       << "00:11:22:33:44:55";
        QTest::newRow("mixed separators") << "00:11-22:33:44:55"
                                          << "";
        QTest::newRow("five bytes") << "00:11:22:33:44"
                                    << "";
        QTest::newRow("seven bytes") << "00:11:22:33:44:55:66"
                                     << "";
        QTest::newRow("not hex") << "00:11:22:33:44:5g"
                                 << "";
        QTest::newRow("single digits") << "0:1:2:3:4:5"
                                       << "";
        QTest::newRow("dotted wrong groups") << "001.122.334.455"
                                             << "";
        QTest::newRow("bare 11 digits") << "00112233445"
                                        << "";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("inner blank") << "00:11:22 :33:44:55"
                                     << "";
    }
    void macNotations()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto bytes = MacAddress::parse(text);
        QCOMPARE(bytes.has_value(), !canonical.isEmpty());
        if (bytes) {
            QCOMPARE(bytes->size(), 6);
            QCOMPARE(MacAddress::format(*bytes), canonical);
            QCOMPARE(MacAddress::canonical(text), canonical);
        } else {
            QCOMPARE(MacAddress::canonical(text), text.trimmed()); // left as typed, for validation to name
        }
    }

    void macStoredInOneForm()
    {
        Connection c;
        c.name = QStringLiteral("node-1");
        c.hostname = QStringLiteral("198.51.100.7");
        c.macAddress = QStringLiteral("0A1B.2C3D.4E5F");
        auto created = m_env->core->connections().create(c);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        QCOMPARE(created->macAddress, QStringLiteral("0a:1b:2c:3d:4e:5f"));
        QCOMPARE(m_env->core->connections().get(created->id)->macAddress, QStringLiteral("0a:1b:2c:3d:4e:5f"));
        created.value().macAddress = QStringLiteral("0A-1B-2C-3D-4E-60");
        const auto updated = m_env->core->connections().update(created.value());
        QVERIFY(updated.ok());
        QCOMPARE(updated->macAddress, QStringLiteral("0a:1b:2c:3d:4e:60"));

        c.name = QStringLiteral("node-2");
        c.macAddress = QStringLiteral("00:11-22:33:44:55");
        const auto refused = m_env->core->connections().create(c);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().field, QStringLiteral("mac_address"));
        QVERIFY(refused.error().message.contains(QStringLiteral("0011.2233.4455")));
    }

    void magicPacketBytes()
    {
        const QByteArray plain = magicPacket(kMac);
        QCOMPARE(plain.size(), 102);
        QCOMPARE(plain, expectedPacket(kMac));
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(quint8(plain.at(i)), quint8(0xff));
        }
        for (int r = 0; r < 16; ++r) {
            QCOMPARE(plain.mid(6 + 6 * r, 6), kMac);
        }
        const QByteArray secureOn = QByteArray::fromHex("a1b2c3d4e5f6");
        const QByteArray withPassword = magicPacket(kMac, secureOn);
        QCOMPARE(withPassword.size(), 108);
        QCOMPARE(withPassword.left(102), plain);
        QCOMPARE(withPassword.right(6), secureOn);
        QVERIFY(magicPacket(QByteArray(5, 'a')).isEmpty());
        QVERIFY(magicPacket(kMac, QByteArray(4, 'a')).isEmpty());
    }

    void destinations()
    {
        auto subnet = [](const QString &name, const QString &ip, int prefix) {
            QNetworkAddressEntry e;
            e.setIp(QHostAddress(ip));
            e.setPrefixLength(prefix);
            return LocalSubnet{name, e};
        };
        const QList<LocalSubnet> subnets{subnet(QStringLiteral("eth0"), QStringLiteral("192.0.2.10"), 24),
                                         subnet(QStringLiteral("eth1"), QStringLiteral("198.51.100.130"), 25),
                                         subnet(QStringLiteral("wg0"), QStringLiteral("203.0.113.1"), 32),
                                         subnet(QStringLiteral("eth2"), QStringLiteral("2001:db8::1"), 64)};
        // Configured: only there.
        auto t =
            wakeTargets(QStringLiteral("198.51.100.255"), 7, {QHostAddress(QStringLiteral("192.0.2.20"))}, subnets);
        QCOMPARE(t.size(), 1);
        QCOMPARE(t.first().text(), QStringLiteral("198.51.100.255:7"));
        // Default: the limited broadcast and the directed broadcast of the subnet that holds the host.
        t = wakeTargets({}, 9, {QHostAddress(QStringLiteral("192.0.2.20"))}, subnets);
        QCOMPARE(t.size(), 2);
        QCOMPARE(t.at(0).text(), QStringLiteral("255.255.255.255:9"));
        QCOMPARE(t.at(1).text(), QStringLiteral("192.0.2.255:9"));
        QVERIFY(t.at(1).reason.contains(QStringLiteral("eth0")));
        // A /25: the broadcast of the upper half; a host outside every subnet, or unresolved: the limited one only.
        t = wakeTargets({}, 9, {QHostAddress(QStringLiteral("198.51.100.200")), QHostAddress(QStringLiteral("::1"))},
                        subnets);
        QCOMPARE(t.size(), 2);
        QCOMPARE(t.at(1).text(), QStringLiteral("198.51.100.255:9"));
        QCOMPARE(wakeTargets({}, 9, {QHostAddress(QStringLiteral("198.51.100.20"))}, subnets).size(), 1);
        QCOMPARE(wakeTargets({}, 9, {}, subnets).size(), 1);
        // Two addresses in one subnet: one destination.
        QCOMPARE(wakeTargets({}, 9,
                             {QHostAddress(QStringLiteral("192.0.2.20")), QHostAddress(QStringLiteral("192.0.2.21"))},
                             subnets)
                     .size(),
                 2);
        // This machine's own subnets are readable (whatever they are here).
        for (const LocalSubnet &s : localSubnets()) {
            QCOMPARE(s.entry.ip().protocol(), QAbstractSocket::IPv4Protocol);
        }
    }

    void packetCapturedOnLoopback()
    {
        PacketCatcher catcher;
        const Connection c = addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        WakeOptions o;
        o.wait = false;
        const auto outcome = await(wake().wake(QString::number(c.id), o));
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        QCOMPARE(outcome->outcome, QStringLiteral("sent"));
        QCOMPARE(outcome->packetsSent, 1);
        QCOMPARE(outcome->targets, QStringList{QStringLiteral("127.0.0.1:%1").arg(catcher.port())});
        QCOMPARE(outcome->secureOn, false);
        QTRY_COMPARE(catcher.packets.size(), 1);
        QCOMPARE(catcher.packets.first(), expectedPacket(kMac));
    }

    void packetWithSecureOn()
    {
        g_log.clear();
        g_previous = qInstallMessageHandler(captureLog);
        PacketCatcher catcher;
        const Connection c = addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        bool written = false;
        m_env->core->connectionSecrets().write(c.id, SecretKind::WolPassword, QStringLiteral("a1:b2:c3:d4:e5:f6"),
                                               [&](Status s) { written = s.ok(); });
        QTRY_VERIFY(written);
        WakeOptions o;
        o.wait = false;
        const auto outcome = await(wake().wake(c.name, o));
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        QCOMPARE(outcome->secureOn, true);
        QTRY_COMPARE(catcher.packets.size(), 1);
        QCOMPARE(catcher.packets.first(), expectedPacket(kMac, QByteArray::fromHex("a1b2c3d4e5f6")));
        qInstallMessageHandler(g_previous);

        // Never in the database, the log or the outcome.
        const QString json = QString::fromUtf8(QJsonDocument(outcome->toJson()).toJson());
        QFile db(m_env->core->database().path());
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray dbBytes = db.readAll();
        QMutexLocker lock(&g_logMutex);
        const QString log = g_log.join(QLatin1Char('\n'));
        QVERIFY(log.contains(QStringLiteral("node-1"))); // the wake was logged...
        for (const QString &form : {QStringLiteral("a1:b2:c3:d4:e5:f6"), QStringLiteral("a1b2c3d4e5f6"),
                                    QStringLiteral("A1B2C3D4E5F6"), QStringLiteral("a1-b2-c3-d4-e5-f6")}) {
            QVERIFY2(!log.contains(form, Qt::CaseInsensitive), qPrintable(form)); // ...without the password
            QVERIFY(!json.contains(form, Qt::CaseInsensitive));
            QVERIFY(!dbBytes.contains(form.toLatin1()));
        }
        QVERIFY(!dbBytes.contains(QByteArray::fromHex("a1b2c3d4e5f6")));
    }

    void wakeAndWaitUntilTheSshPortAnswers()
    {
        // The host "boots" when its third magic packet arrives: the packet is repeated while waiting, and the wait
        // ends at the SSH banner.
        PacketCatcher catcher;
        SleepingSshPort ssh;
        catcher.onPacket = [&](int count) {
            if (count == 3) {
                QVERIFY(ssh.open());
            }
        };
        const Connection c = addHost(QStringLiteral("node-1"), ssh.port, catcher.port());
        WakeOptions o;
        o.timeoutMs = 30000;
        o.resendIntervalMs = 100;
        o.probeIntervalMs = 20;
        QList<WakeProgress> seen;
        connect(&wake(), &WakeService::progressChanged, this, [&](const WakeProgress &p) { seen.append(p); });
        auto future = wake().wake(c, o);
        QTRY_VERIFY(wake().progress(c.id).has_value() || future.isFinished());
        const auto outcome = await(future);
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        QCOMPARE(outcome->outcome, QStringLiteral("awake"));
        QVERIFY(outcome->packetsSent >= 3);
        QVERIFY(outcome->elapsedMs < 30000);
        QVERIFY(!outcome->connected.has_value()); // not watched: not connected
        QVERIFY(!wake().progress(c.id).has_value());
        QTRY_VERIFY(!seen.isEmpty());
        QVERIFY(std::any_of(seen.cbegin(), seen.cend(),
                            [](const WakeProgress &p) { return p.phase == QStringLiteral("waiting"); }));
        for (const QByteArray &p : std::as_const(catcher.packets)) {
            QCOMPARE(p, expectedPacket(kMac));
        }
    }

    void somethingElseOnThePortIsNotAwake()
    {
        // A port that answers without an SSH banner is not the host's sshd: keep waiting until the deadline.
        PacketCatcher catcher;
        SleepingSshPort other;
        other.banner = QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\n\r\n");
        QVERIFY(other.open());
        const Connection c = addHost(QStringLiteral("node-1"), other.port, catcher.port());
        WakeOptions o;
        o.timeoutMs = 800;
        o.probeIntervalMs = 20;
        const auto outcome = await(wake().wake(c, o));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->outcome, QStringLiteral("timeout"));
    }

    void hostThatNeverWakes()
    {
        PacketCatcher catcher;
        const Connection c = addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        WakeOptions o;
        o.timeoutMs = 1000;
        o.resendIntervalMs = 200;
        o.probeIntervalMs = 20;
        const auto outcome = await(wake().wake(c, o));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->outcome, QStringLiteral("timeout"));
        QVERIFY(outcome->elapsedMs >= 1000);
        QVERIFY2(outcome->packetsSent >= 4, qPrintable(QString::number(outcome->packetsSent)));
        QTRY_COMPARE(catcher.packets.size(), outcome->packetsSent);
        QVERIFY(wake().inProgress().isEmpty());
    }

    void cancelWhileWaiting()
    {
        PacketCatcher catcher;
        const Connection c = addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        catcher.onPacket = [&](int count) {
            if (count == 1) {
                QVERIFY(wake().cancel(c.id));
            }
        };
        WakeOptions o;
        o.timeoutMs = 60000;
        const auto outcome = await(wake().wake(c, o));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->outcome, QStringLiteral("cancelled"));
        QVERIFY(outcome->elapsedMs < 60000);
        QVERIFY(!wake().cancel(c.id)); // nothing left to cancel
    }

    void secondWakeJoinsTheFirst()
    {
        PacketCatcher catcher;
        const Connection c = addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        WakeOptions o;
        o.timeoutMs = 60000;
        auto first = wake().wake(c, o);
        auto second = wake().wake(c.name);
        QCOMPARE(wake().inProgress().size(), 1);
        QCOMPARE(wake().inProgress().first().name, QStringLiteral("node-1"));
        QVERIFY(wake().cancel(c.id));
        QCOMPARE(await(first)->outcome, QStringLiteral("cancelled"));
        QCOMPARE(await(second)->outcome, QStringLiteral("cancelled"));
    }

    void refusals()
    {
        Connection none;
        none.name = QStringLiteral("no-mac");
        none.hostname = QStringLiteral("198.51.100.8");
        none = m_env->core->connections().create(none).value();
        auto r = await(wake().wake(none.name));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().reason, QStringLiteral("no_mac_address"));
        r = await(wake().wake(QStringLiteral("no-such-host")));
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        Connection local;
        local.name = QStringLiteral("this-computer");
        local.kind = QStringLiteral("local");
        local.macAddress = QStringLiteral("00:11:22:33:44:55");
        local = m_env->core->connections().create(local).value();
        r = await(wake().wake(local));
        QCOMPARE(r.error().code, ErrorCode::Conflict);
        WakeOptions o;
        o.timeoutMs = 0;
        PacketCatcher catcher;
        r = await(wake().wake(addHost(QStringLiteral("node-1"), freePort(), catcher.port()), o));
        QCOMPARE(r.error().code, ErrorCode::Validation);
    }

    void clusterHookIsPreferredForProxmoxNodes()
    {
        PacketCatcher catcher;
        SleepingSshPort ssh;
        Connection c = addHost(QStringLiteral("pve-2"), ssh.port, catcher.port());
        c.kind = QStringLiteral("proxmox");
        c = m_env->core->connections().update(c).value();
        int asked = 0;
        wake().setClusterWaker([&](const Connection &node) -> std::optional<QFuture<Status>> {
            ++asked;
            if (node.name != QStringLiteral("pve-2")) {
                return std::nullopt;
            }
            QMetaObject::invokeMethod(&ssh.server, [&ssh] { ssh.open(); }); // the cluster woke it
            return QtFuture::makeReadyFuture(Status());
        });
        WakeOptions o;
        o.probeIntervalMs = 20;
        auto outcome = await(wake().wake(c, o));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->outcome, QStringLiteral("awake"));
        QCOMPARE(outcome->via, QStringLiteral("cluster"));
        QCOMPARE(outcome->packetsSent, 0);
        QCOMPARE(asked, 1);
        QCOMPARE(catcher.packets.size(), 0);

        // A cluster that fails: noted, and the packets go out from here.
        wake().setClusterWaker([](const Connection &) -> std::optional<QFuture<Status>> {
            return QtFuture::makeReadyFuture(
                Status(Error::make(ErrorCode::Upstream, QStringLiteral("x"), QStringLiteral("no other node is up"))));
        });
        o.wait = false;
        outcome = await(wake().wake(c, o));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->via, QStringLiteral("magic_packet"));
        QCOMPARE(outcome->clusterError, QStringLiteral("no other node is up"));
        QTRY_COMPARE(catcher.packets.size(), 1);
        wake().setClusterWaker({});
    }
};

QTEST_GUILESS_MAIN(TestWol)
#include "tst_wol.moc"
