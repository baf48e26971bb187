// Watched hosts (issue 11, "monitoring that survives restarts"), against a real OpenSSH sshd on loopback: a restart
// reconnects the watched hosts without a click; a host that is down is probed cheaply (TCP + SSH banner), never
// retried with full connects in a loop, and connected by the probe path once its sshd answers; Connect all /
// Disconnect all; an edit reconnects; the unreachable alert is for a watched host that was up and went down.
#include "HttpClient.h"
#include "Ports.h"
#include "SshServer.h"
#include "app/Core.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

namespace {

// A "host" that accepts TCP and never says a word: what a probe must not mistake for sshd. Counts the accepts.
class SilentHost : public QObject
{
public:
    SilentHost()
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++m_accepts;
                s->setParent(this); // held open, silent
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int accepts() const { return m_accepts; }

private:
    QTcpServer m_server;
    int m_accepts = 0;
};

} // namespace

class TestWatch : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    QTemporaryDir m_dir;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<HttpClient> m_http;

    // A Core on the test's data dir (the same one across "restarts"), its API on a free port.
    void startCore(bool monitoring)
    {
        m_http.reset();
        m_core.reset();
        qputenv("GPUDECK_USER_KNOWN_HOSTS", m_dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
        m_core = std::make_unique<Core>(AppPaths(m_dir.path()), std::make_unique<MemorySecretStore>());
        QVERIFY(m_core->open().ok());
        const auto port = m_core->startApi(0);
        QVERIFY(port.ok());
        m_http = std::make_unique<HttpClient>(port.value(), m_core->token().value());
        if (monitoring) {
            m_core->startMonitoring();
        }
    }

    qint64 create(const QString &name, quint16 port, bool watch = true, const QString &key = QStringLiteral("ed25519"))
    {
        const auto created = m_http->post(QStringLiteral("/api/dgx/connections"),
                                          {{QStringLiteral("name"), name},
                                           {QStringLiteral("hostname"), m_sshd.host()},
                                           {QStringLiteral("port"), port},
                                           {QStringLiteral("username"), m_sshd.user()},
                                           {QStringLiteral("auth_method"), QStringLiteral("key")},
                                           {QStringLiteral("ssh_key_path"), m_sshd.keyPath(key)},
                                           {QStringLiteral("watch"), watch}});
        if (created.status != 201) {
            qWarning() << created.body;
            return -1;
        }
        return created.object().value(QStringLiteral("id")).toInteger();
    }

    // Connects through the API, trusting the test sshd's key (stored in the data dir's known_hosts).
    bool connectTrusting(const QString &name)
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/connect/") + name,
                                    {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        if (r.status != 200) {
            qWarning() << r.body;
        }
        return r.status == 200;
    }

    LinkStatus link(qint64 id) { return m_core->ssh().status(id); }

    QJsonArray alerts(const QString &connection)
    {
        return m_http->get(QStringLiteral("/api/dgx/alerts?connection_id=") + connection).array();
    }

    static bool hasAlert(const QJsonArray &alerts, const QString &kind, bool active)
    {
        for (const QJsonValue &a : alerts) {
            if (a[QStringLiteral("kind")].toString() == kind && a[QStringLiteral("active")].toBool() == active) {
                return true;
            }
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void init()
    {
        if (!m_sshd.isRunning()) {
            QString error;
            QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        }
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
    }

    void cleanup()
    {
        m_http.reset();
        m_core.reset();
    }

    // Three watched hosts, one of them down: after a restart the two come back without a click, the third is
    // probed (about one cheap probe a second), not retried with full connects in a loop.
    void restartReconnectsWatchedHostsAndProbesTheDownOne()
    {
        SilentHost silent;
        startCore(false);
        const qint64 alpha = create(QStringLiteral("alpha"), m_sshd.port());
        const qint64 beta = create(QStringLiteral("beta"), m_sshd.port());
        const auto gammaBody = m_http->post(QStringLiteral("/api/dgx/connections"),
                                            {{QStringLiteral("name"), QStringLiteral("gamma")},
                                             {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                                             {QStringLiteral("port"), silent.port()},
                                             {QStringLiteral("username"), QStringLiteral("ubuntu")}});
        QCOMPARE(gammaBody.status, 201);
        QVERIFY2(gammaBody.object().value(QStringLiteral("watch")).toBool(), "new connections are watched");
        const qint64 gamma = gammaBody.object().value(QStringLiteral("id")).toInteger();
        QVERIFY(alpha > 0 && beta > 0);
        QVERIFY(connectTrusting(QStringLiteral("alpha")));
        QVERIFY(connectTrusting(QStringLiteral("beta")));

        // Quit and start again on the same data dir: nothing is connected until monitoring starts, then the
        // watched hosts connect by themselves.
        startCore(false);
        QCOMPARE(link(alpha).state, LinkState::Disconnected);
        QElapsedTimer started;
        started.start();
        m_core->startMonitoring();
        QVERIFY2(started.elapsed() < 200, "starting the watch does not wait for any host");
        QTRY_COMPARE_WITH_TIMEOUT(link(alpha).state, LinkState::Connected, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(link(beta).state, LinkState::Connected, 10000);
        QTRY_VERIFY(m_core->connections().get(alpha)->isActive);
        const auto status = m_http->get(QStringLiteral("/api/dgx/status?state=connected")).array();
        QCOMPARE(status.size(), 2);

        // The silent host: one full attempt (it accepts TCP, never sends a banner, so libssh waits for its connect
        // timeout), then it is `down` and only probed.
        QTRY_COMPARE_WITH_TIMEOUT(link(gamma).state, LinkState::Down, 20000);
        QCOMPARE(link(gamma).attempt, 1);
        const int acceptsAtDown = silent.accepts();
        const int probesAtDown = link(gamma).probes;
        QElapsedTimer window;
        window.start();
        QTRY_VERIFY_WITH_TIMEOUT(link(gamma).probes >= probesAtDown + 4, 10000);
        const qint64 windowMs = window.elapsed();
        QTRY_VERIFY(silent.accepts() >= acceptsAtDown + 4); // each probe is one TCP connect, seen here
        const int probes = link(gamma).probes - probesAtDown;
        const int accepts = silent.accepts() - acceptsAtDown;
        qInfo("down host: %d probes (%d TCP accepts) in %lld ms; full attempts: %d", probes, accepts,
              static_cast<long long>(windowMs), link(gamma).attempt);
        QVERIFY2(windowMs >= 2500, "probes are about a second apart, not a tight loop");
        QVERIFY2(accepts <= probes + 1, "nothing but the probes connects to the down host");
        QCOMPARE(link(gamma).attempt, 1); // no banner: no second full connect
        const QJsonObject gammaStatus = m_http->get(QStringLiteral("/api/dgx/status/gamma")).object();
        QCOMPARE(gammaStatus.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        QVERIFY(gammaStatus.value(QStringLiteral("probes")).toInt() >= 4);
        QVERIFY(!gammaStatus.value(QStringLiteral("last_probe_at")).toString().isEmpty());
        QVERIFY(!gammaStatus.value(QStringLiteral("next_probe_at")).toString().isEmpty());
        // Down since the start, never up in this run: not an unreachable alert.
        QVERIFY(!hasAlert(alerts(QStringLiteral("gamma")), QStringLiteral("host_unreachable"), true));
    }

    // A watched host whose sshd is not there at start is probed and connected by the probe path once it answers;
    // the unreachable alert comes only once it was up and went down, and clears when it is back. A manual connect
    // that fails raises none.
    void probeConnectsAReturningHostAndAlertsOnlyAfterUpThenDown()
    {
        startCore(false);
        const qint64 delta = create(QStringLiteral("delta"), m_sshd.port());
        QVERIFY(delta > 0);
        QVERIFY(connectTrusting(QStringLiteral("delta")));
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/config/monitoring"),
                           {{QStringLiteral("thresholds"), QJsonObject{{QStringLiteral("unreachable_seconds"), 1}}}})
                     .status,
                 200);
        m_sshd.stop();

        startCore(true);
        QTRY_COMPARE_WITH_TIMEOUT(link(delta).state, LinkState::Down, 10000);
        QTRY_VERIFY(link(delta).probes >= 2);
        QCOMPARE(link(delta).attempt, 1);
        QString error;
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        QElapsedTimer back;
        back.start();
        QTRY_COMPARE_WITH_TIMEOUT(link(delta).state, LinkState::Connected, 10000);
        qInfo("sshd back: connected by the probe path %lld ms later", static_cast<long long>(back.elapsed()));
        QVERIFY(!hasAlert(alerts(QStringLiteral("delta")), QStringLiteral("host_unreachable"), true));

        // Manual connects that fail: an unwatched host (failed) and a watched one (down, probed): no alert.
        const quint16 closed = test::freePort();
        QVERIFY(create(QStringLiteral("epsilon"), closed, false) > 0);
        QVERIFY(create(QStringLiteral("zeta"), closed, true) > 0);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/epsilon"), {}).status, 502);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/epsilon")).object().value(QStringLiteral("state")),
                 QStringLiteral("failed"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/zeta"), {}).status, 502);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/zeta")).object().value(QStringLiteral("state")),
                 QStringLiteral("down"));

        // Up, then down: the alert, after unreachable_seconds.
        m_sshd.stop();
        QTRY_COMPARE_WITH_TIMEOUT(link(delta).state, LinkState::Reconnecting, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(hasAlert(alerts(QStringLiteral("delta")), QStringLiteral("host_unreachable"), true),
                                 10000);
        QVERIFY(!hasAlert(alerts(QStringLiteral("epsilon")), QStringLiteral("host_unreachable"), true));
        QVERIFY(!hasAlert(alerts(QStringLiteral("zeta")), QStringLiteral("host_unreachable"), true));
        // Back: cleared.
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(link(delta).state, LinkState::Connected, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!hasAlert(alerts(QStringLiteral("delta")), QStringLiteral("host_unreachable"), true),
                                 5000);
        QVERIFY(hasAlert(alerts(QStringLiteral("delta")), QStringLiteral("host_unreachable"), false));
    }

    void connectAllAndDisconnectAll()
    {
        startCore(false);
        const qint64 a = create(QStringLiteral("a"), m_sshd.port());
        const qint64 b = create(QStringLiteral("b"), m_sshd.port(), false);
        const qint64 c = create(QStringLiteral("c"), test::freePort(), false);
        QVERIFY(a > 0 && b > 0 && c > 0);
        QVERIFY(connectTrusting(QStringLiteral("a"))); // trusts the sshd's key for a and b (same host and port)
        m_http->post(QStringLiteral("/api/dgx/disconnect/a"), {});
        QCOMPARE(link(a).state, LinkState::Disconnected);

        const auto all = m_http->post(QStringLiteral("/api/dgx/connections/connect-all"), {});
        QCOMPARE(all.status, 200);
        const QJsonObject body = all.object();
        QCOMPARE(body.value(QStringLiteral("connected")).toInt(), 2);
        QCOMPARE(body.value(QStringLiteral("failed")).toInt(), 1);
        QCOMPARE(body.value(QStringLiteral("already_connected")).toInt(), 0);
        QHash<QString, QJsonObject> hosts;
        for (const QJsonValue &h : body.value(QStringLiteral("hosts")).toArray()) {
            hosts.insert(h[QStringLiteral("name")].toString(), h.toObject());
        }
        QCOMPARE(hosts.size(), 3);
        QCOMPARE(hosts[QStringLiteral("a")].value(QStringLiteral("state")).toString(), QStringLiteral("connected"));
        QCOMPARE(hosts[QStringLiteral("b")].value(QStringLiteral("outcome")).toString(), QStringLiteral("connected"));
        QCOMPARE(hosts[QStringLiteral("c")].value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
        QCOMPARE(hosts[QStringLiteral("c")].value(QStringLiteral("error"))[QStringLiteral("code")].toString(),
                 QStringLiteral("connect_failed"));
        QCOMPARE(link(a).state, LinkState::Connected);
        QCOMPARE(link(b).state, LinkState::Connected);

        const auto again = m_http->post(QStringLiteral("/api/dgx/connections/connect-all"), {}).object();
        QCOMPARE(again.value(QStringLiteral("already_connected")).toInt(), 2);

        // Disconnect all: a dry run first changes nothing.
        const auto plan =
            m_http->post(QStringLiteral("/api/dgx/connections/disconnect-all"), {{QStringLiteral("dry_run"), true}});
        QCOMPARE(plan.status, 200);
        QCOMPARE(plan.object().value(QStringLiteral("action")).toString(), QStringLiteral("connection.disconnect_all"));
        QCOMPARE(plan.object()[QStringLiteral("target")][QStringLiteral("connections")].toArray().size(), 3);
        QCOMPARE(link(a).state, LinkState::Connected);

        const auto off = m_http->post(QStringLiteral("/api/dgx/connections/disconnect-all"), {});
        QCOMPARE(off.status, 200);
        QCOMPARE(off.object().value(QStringLiteral("disconnected")).toInt(), 3);
        QCOMPARE(m_core->ssh().workerCount(), 0);
        QCOMPARE(link(a).state, LinkState::Disconnected);
        QTRY_VERIFY(!m_core->connections().get(a)->isActive);
        QVERIFY(m_http->get(QStringLiteral("/api/dgx/status")).array().isEmpty());
        const auto none = m_http->post(QStringLiteral("/api/dgx/connections/disconnect-all"), {}).object();
        QCOMPARE(none.value(QStringLiteral("not_connected")).toInt(), 3);
    }

    // Editing what the link uses (port, key) reconnects it, so what is shown is what is used; a name does not.
    void editReconnects()
    {
        startCore(false);
        const qint64 id = create(QStringLiteral("edited"), m_sshd.port());
        QVERIFY(id > 0);
        QVERIFY(connectTrusting(QStringLiteral("edited")));
        const QDateTime since = link(id).since;

        const auto renamed = m_http->put(QStringLiteral("/api/dgx/connections/edited"),
                                         {{QStringLiteral("name"), QStringLiteral("e2")}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(link(id).state, LinkState::Connected);
        QCOMPARE(link(id).since, since); // same session

        const quint16 closed = test::freePort();
        QCOMPARE(m_http->put(QStringLiteral("/api/dgx/connections/e2"), {{QStringLiteral("port"), closed}}).status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(link(id).state, LinkState::Down, 10000); // watched: probed on its new port

        QCOMPARE(
            m_http->put(QStringLiteral("/api/dgx/connections/e2"), {{QStringLiteral("port"), m_sshd.port()}}).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(link(id).state, LinkState::Connected, 10000);

        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/connections/e2"),
                           {{QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("stranger"))}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(link(id).state, LinkState::Failed, 10000); // the new key is refused: it is in use
    }

    // Probes back off: the first 30 of an outage at reconnect_probe_s, then doubling up to probe_max_s.
    void probesBackOff()
    {
        startCore(false);
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/config/ssh"),
                           {{QStringLiteral("reconnect_probe_s"), 0.2}, {QStringLiteral("probe_max_s"), 1}})
                     .status,
                 200);
        const qint64 id = create(QStringLiteral("gone"), test::freePort());
        QVERIFY(id > 0);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/gone"), {}).status, 502);
        QCOMPARE(link(id).state, LinkState::Down);
        QElapsedTimer t;
        t.start();
        QTRY_VERIFY_WITH_TIMEOUT(link(id).probes >= SshSettings::kFastProbes, 15000);
        const qint64 fastMs = t.elapsed();
        t.restart();
        QTRY_VERIFY_WITH_TIMEOUT(link(id).probes >= SshSettings::kFastProbes + 3, 10000);
        const qint64 slowMs = t.elapsed();
        qInfo("%d fast probes in %lld ms, the next 3 in %lld ms", SshSettings::kFastProbes,
              static_cast<long long>(fastMs), static_cast<long long>(slowMs));
        QVERIFY2(fastMs >= 4500, "fast probes are reconnect_probe_s apart");
        QVERIFY2(slowMs >= 1800, "then 0.4 s, 0.8 s, 1 s (the cap) apart");
        QCOMPARE(link(id).attempt, 1); // refused: never a banner, never a second full attempt
    }
};

QTEST_GUILESS_MAIN(TestWatch)
#include "tst_watch.moc"
