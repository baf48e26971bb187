#include "HttpClient.h"
#include "SshServer.h"
#include "WolFixture.h"
#include "wol/WakeService.h"

#include <QFile>
#include <QTest>
#include <future>

using namespace gpudeck;
using namespace gpudeck::test;

namespace {

const QByteArray kMac = QByteArray::fromHex("0a1b2c3d4e5f");

QByteArray expectedPacket(const QByteArray &secureOn = {})
{
    QByteArray p(6, char(0xff));
    for (int i = 0; i < 16; ++i) {
        p.append(kMac);
    }
    return p + secureOn;
}

} // namespace

class TestWolApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<WolCore> m_env;
    std::unique_ptr<HttpClient> m_http;

    QJsonObject addHost(const QString &name, quint16 sshPort, quint16 wolPort, const QJsonObject &extra = {})
    {
        QJsonObject body{{QStringLiteral("name"), name},
                         {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("port"), sshPort},
                         {QStringLiteral("username"), QStringLiteral("ops")},
                         {QStringLiteral("auth_method"), QStringLiteral("agent")},
                         {QStringLiteral("mac_address"), QStringLiteral("0a1b2c3d4e5f")},
                         {QStringLiteral("wol_broadcast"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("wol_port"), wolPort},
                         {QStringLiteral("watch"), false}};
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            body.insert(it.key(), it.value());
        }
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"), body);
        if (r.status != 201) {
            qWarning() << r.body;
        }
        return r.object();
    }

    // A blocking request on a thread of its own, so this thread's event loop keeps the catcher and the fake SSH
    // port answering meanwhile.
    std::future<HttpReply> postInBackground(const QString &path, const QJsonObject &body)
    {
        const quint16 port = m_env->core->apiPort();
        const QByteArray token = m_env->core->token().value();
        return std::async(std::launch::async,
                          [port, token, path, body] { return HttpClient(port, token).post(path, body); });
    }
    static bool isReady(const std::future<HttpReply> &f)
    {
        return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    }

private Q_SLOTS:
    void init()
    {
        m_env = std::make_unique<WolCore>();
        m_http = std::make_unique<HttpClient>(m_env->core->apiPort(), m_env->core->token().value());
    }
    void cleanup()
    {
        m_http.reset();
        m_env.reset();
    }

    void macNotationsThroughTheApi()
    {
        PacketCatcher catcher;
        const QJsonObject c = addHost(QStringLiteral("node-1"), freePort(), catcher.port(),
                                      {{QStringLiteral("mac_address"), QStringLiteral("0A1B.2C3D.4E5F")}});
        QCOMPARE(c.value(QStringLiteral("mac_address")).toString(), QStringLiteral("0a:1b:2c:3d:4e:5f"));
        auto r = m_http->put(QStringLiteral("/api/dgx/connections/node-1"),
                             {{QStringLiteral("mac_address"), QStringLiteral("0A-1B-2C-3D-4E-60")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("mac_address")).toString(), QStringLiteral("0a:1b:2c:3d:4e:60"));
        r = m_http->put(QStringLiteral("/api/dgx/connections/node-1"),
                        {{QStringLiteral("mac_address"), QStringLiteral("0a:1b:2c:3d:4e")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("mac_address"));
        r = m_http->put(QStringLiteral("/api/dgx/connections/node-1"), {{QStringLiteral("mac_address"), QJsonValue()}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.object().value(QStringLiteral("mac_address")).isNull());
    }

    void wakeWithoutWaiting()
    {
        PacketCatcher catcher;
        addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        const auto r = m_http->post(QStringLiteral("/api/dgx/wake/node-1"), {{QStringLiteral("wait"), false}});
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("sent"));
        QCOMPARE(o.value(QStringLiteral("packets_sent")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("node-1"));
        QCOMPARE(o.value(QStringLiteral("targets")).toArray().at(0).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(catcher.port()));
        QTRY_COMPARE(catcher.packets.size(), 1);
        QCOMPARE(catcher.packets.first(), expectedPacket());
    }

    void wakeAndWaitUntilAwake()
    {
        PacketCatcher catcher;
        SleepingSshPort ssh;
        catcher.onPacket = [&](int) { ssh.open(); };
        addHost(QStringLiteral("node-1"), ssh.port, catcher.port());
        auto reply = postInBackground(QStringLiteral("/api/dgx/wake/node-1"), {{QStringLiteral("timeout_s"), 30}});
        QTRY_VERIFY_WITH_TIMEOUT(isReady(reply), 30000);
        const HttpReply r = reply.get();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("outcome")).toString(), QStringLiteral("awake"));
        QVERIFY(r.object().value(QStringLiteral("packets_sent")).toInt() >= 1);
        QVERIFY(r.object().value(QStringLiteral("connected")).isNull()); // not watched
    }

    void wakeThatTimesOut()
    {
        PacketCatcher catcher;
        addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        const auto r = m_http->post(QStringLiteral("/api/dgx/wake/node-1"), {{QStringLiteral("timeout_s"), 0.5}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("outcome")).toString(), QStringLiteral("timeout"));
        QVERIFY(r.object().value(QStringLiteral("elapsed_ms")).toInt() >= 500);
    }

    void listAndCancel()
    {
        PacketCatcher catcher;
        const qint64 id =
            addHost(QStringLiteral("node-1"), freePort(), catcher.port()).value(QStringLiteral("id")).toInteger();
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/wake")).array().size(), 0);
        auto r = m_http->post(QStringLiteral("/api/dgx/wake/node-1/cancel"), {});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("no_wake"));

        auto reply = postInBackground(QStringLiteral("/api/dgx/wake/%1").arg(id), {{QStringLiteral("timeout_s"), 120}});
        QTRY_VERIFY(catcher.packets.size() >= 1); // it is waiting now
        const auto list = m_http->get(QStringLiteral("/api/dgx/wake"));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.array().size(), 1);
        const QJsonObject p = list.array().at(0).toObject();
        QCOMPARE(p.value(QStringLiteral("connection_id")).toInteger(), id);
        QCOMPARE(p.value(QStringLiteral("timeout_ms")).toInt(), 120000);
        QVERIFY(p.value(QStringLiteral("packets_sent")).toInt() >= 1);

        r = m_http->post(QStringLiteral("/api/dgx/wake/node-1/cancel"), {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("name")).toString(), QStringLiteral("node-1"));
        QTRY_VERIFY(isReady(reply));
        const HttpReply answer = reply.get();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.object().value(QStringLiteral("outcome")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/wake")).array().size(), 0);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown field") << "node-1" << QByteArray(R"({"wiat":true})") << 400 << "validation_failed";
        QTest::newRow("wait not bool") << "node-1" << QByteArray(R"({"wait":"yes"})") << 400 << "validation_failed";
        QTest::newRow("timeout string") << "node-1" << QByteArray(R"({"timeout_s":"5"})") << 400 << "validation_failed";
        QTest::newRow("timeout zero") << "node-1" << QByteArray(R"({"timeout_s":0})") << 400 << "validation_failed";
        QTest::newRow("timeout too long")
            << "node-1" << QByteArray(R"({"timeout_s":601})") << 400 << "validation_failed";
        QTest::newRow("connect not bool") << "node-1" << QByteArray(R"({"connect":1})") << 400 << "validation_failed";
        QTest::newRow("no such host") << "nowhere" << QByteArray("{}") << 404 << "not_found";
        QTest::newRow("no MAC") << "no-mac" << QByteArray("{}") << 409 << "no_mac_address";
    }
    void refusals()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        PacketCatcher catcher;
        addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        addHost(QStringLiteral("no-mac"), freePort(), catcher.port(), {{QStringLiteral("mac_address"), QJsonValue()}});
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/wake/") + path, body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QCOMPARE(catcher.packets.size(), 0);
    }

    void wakeAll()
    {
        PacketCatcher a;
        PacketCatcher b;
        addHost(QStringLiteral("node-a"), freePort(), a.port(), {{QStringLiteral("watch"), true}});
        addHost(QStringLiteral("node-b"), freePort(), b.port(), {{QStringLiteral("watch"), true}});
        addHost(QStringLiteral("not-watched"), freePort(), b.port());
        addHost(QStringLiteral("no-mac"), freePort(), b.port(),
                {{QStringLiteral("watch"), true}, {QStringLiteral("mac_address"), QJsonValue()}});
        const auto r = m_http->post(QStringLiteral("/api/dgx/wake"), {{QStringLiteral("wait"), false}});
        QCOMPARE(r.status, 200);
        const QJsonArray hosts = r.object().value(QStringLiteral("hosts")).toArray();
        QCOMPARE(hosts.size(), 2);
        QCOMPARE(hosts.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("node-a"));
        QCOMPARE(hosts.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("node-b"));
        QCOMPARE(r.object().value(QStringLiteral("errors")).toArray().size(), 0);
        QTRY_COMPARE(a.packets.size(), 1);
        QTRY_COMPARE(b.packets.size(), 1);

        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/wake"), {{QStringLiteral("bogus"), 1}}).status, 400);
    }

    void secureOnPasswordIsWriteOnly()
    {
        PacketCatcher catcher;
        addHost(QStringLiteral("node-1"), freePort(), catcher.port());
        auto r = m_http->put(QStringLiteral("/api/dgx/connections/node-1/credentials"),
                             {{QStringLiteral("wol_password"), QStringLiteral("not-six-bytes-secret")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("wol_password"));
        QVERIFY(!r.body.contains("not-six-bytes-secret"));
        r = m_http->put(QStringLiteral("/api/dgx/connections/node-1/credentials"),
                        {{QStringLiteral("wol_password"), QStringLiteral("A1-B2-C3-D4-E5-F6")}});
        QCOMPARE(r.status, 204);

        r = m_http->post(QStringLiteral("/api/dgx/wake/node-1"), {{QStringLiteral("wait"), false}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("secure_on")).toBool(), true);
        QTRY_COMPARE(catcher.packets.size(), 1);
        QCOMPARE(catcher.packets.at(0), expectedPacket(QByteArray::fromHex("a1b2c3d4e5f6")));

        // Nowhere to be read back: not in the connection, its answers, the audit log or the database file.
        for (const QString &path : {QStringLiteral("/api/dgx/connections/node-1"), QStringLiteral("/api/dgx/audit")}) {
            const auto got = m_http->get(path);
            QCOMPARE(got.status, 200);
            QVERIFY(!got.body.toLower().contains("a1:b2"));
            QVERIFY(!got.body.toLower().contains("a1-b2"));
        }
        QVERIFY(!r.body.toLower().contains("a1:b2"));
        QFile db(m_env->core->database().path());
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray bytes = db.readAll().toLower();
        QVERIFY(!bytes.contains("a1:b2:c3"));
        QVERIFY(!bytes.contains("a1-b2-c3"));
        QVERIFY(!bytes.contains("a1b2c3"));

        // null removes it: the next packet carries none.
        r = m_http->put(QStringLiteral("/api/dgx/connections/node-1/credentials"),
                        {{QStringLiteral("wol_password"), QJsonValue()}});
        QCOMPARE(r.status, 204);
        r = m_http->post(QStringLiteral("/api/dgx/wake/node-1"), {{QStringLiteral("wait"), false}});
        QCOMPARE(r.object().value(QStringLiteral("secure_on")).toBool(), false);
        QTRY_COMPARE(catcher.packets.size(), 2);
        QCOMPARE(catcher.packets.at(1), expectedPacket());
    }

    void watchedHostIsConnectedOnceAwake()
    {
        // The test sshd, stopped: the host sleeps. Its first magic packet starts it again on the same port.
        SshServer sshd;
        QString error;
        if (!sshd.start(&error)) {
            QSKIP(qPrintable(QStringLiteral("no test sshd: ") + error));
        }
        sshd.stop();
        QFile known(m_env->dir.filePath(QStringLiteral("known_hosts")));
        QVERIFY(known.open(QIODevice::Append));
        known.write(sshd.knownHostsLine().toUtf8() + '\n');
        known.close();
        PacketCatcher catcher;
        bool started = false;
        catcher.onPacket = [&](int) {
            if (!started) {
                started = true;
                QVERIFY(sshd.restart()); // same port as before
            }
        };
        addHost(QStringLiteral("node-1"), sshd.port(), catcher.port(),
                {{QStringLiteral("watch"), true},
                 {QStringLiteral("username"), sshd.user()},
                 {QStringLiteral("auth_method"), QStringLiteral("key")},
                 {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
        // Through the core (the HTTP client gives up after 10 s; sshd's start and the connect may take longer here).
        WakeOptions o;
        o.timeoutMs = 60000;
        o.probeIntervalMs = 100;
        auto future = m_env->core->wake().wake(QStringLiteral("node-1"), o);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        const auto outcome = future.result();
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->outcome, QStringLiteral("awake"));
        QVERIFY2(outcome->connected.value_or(false), qPrintable(outcome->connectError));
        QCOMPARE(
            m_http->get(QStringLiteral("/api/dgx/status/node-1")).object().value(QStringLiteral("state")).toString(),
            QStringLiteral("connected"));
    }
};

QTEST_GUILESS_MAIN(TestWolApi)
#include "tst_wol_api.moc"
