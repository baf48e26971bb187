// The SSH worker pool end to end: a real OpenSSH sshd on loopback, the real API over a real socket.
#include "HttpClient.h"
#include "Keyring.h"
#include "SshServer.h"
#include "TestCore.h"
#include "ssh/SshPool.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

class TestSshApi : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    // One keyring daemon for the whole run: the Secret Service client keeps its session with the daemon.
    test::Keyring m_keyring;
    bool m_keyringUp = false;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    QString errorCode(const HttpReply &r) { return r.errorCode(); }

    int createConnection(const QString &name, const QString &key, const QString &auth = QStringLiteral("key"))
    {
        QJsonObject body{{QStringLiteral("name"), name},
                         {QStringLiteral("hostname"), m_sshd.host()},
                         {QStringLiteral("port"), m_sshd.port()},
                         {QStringLiteral("username"), m_sshd.user()},
                         {QStringLiteral("auth_method"), auth}};
        if (!key.isEmpty()) {
            body.insert(QStringLiteral("ssh_key_path"), m_sshd.keyPath(key));
        }
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"), body);
        if (r.status != 201) {
            qWarning() << r.body;
            return -1;
        }
        return r.object().value(QStringLiteral("id")).toInt();
    }

    HttpReply connectHost(const QString &name, const QString &fingerprint = {})
    {
        QJsonObject body;
        if (!fingerprint.isEmpty()) {
            body.insert(QStringLiteral("accept_fingerprint"), fingerprint);
        }
        return m_http->post(QStringLiteral("/api/dgx/connect/") + name, body);
    }

    HttpReply exec(const QString &name, const QString &command, double timeoutS = 30, bool force = false)
    {
        QJsonObject body{{QStringLiteral("command"), command}, {QStringLiteral("timeout_s"), timeoutS}};
        if (force) {
            body.insert(QStringLiteral("force"), true);
        }
        return m_http->post(QStringLiteral("/api/dgx/exec/") + name, body);
    }

    // Creates and connects a key-authenticated connection, trusting the test server's key.
    void ready(const QString &name, const QString &key = QStringLiteral("ed25519"))
    {
        QVERIFY(createConnection(name, key) > 0);
        const auto r = connectHost(name, m_sshd.hostKeyFingerprint());
        QVERIFY2(r.status == 200, r.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        m_keyringUp = m_keyring.start();
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void unknownHostKeyIsRefusedUntilAccepted()
    {
        const int id = createConnection(QStringLiteral("box"), QStringLiteral("ed25519"));
        QVERIFY(id > 0);
        const auto refused = connectHost(QStringLiteral("box"));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), QStringLiteral("host_key_unknown"));
        const QJsonObject err = refused.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(err.value(QStringLiteral("fingerprint")).toString(), m_sshd.hostKeyFingerprint());
        QVERIFY(err.value(QStringLiteral("message")).toString().contains(m_sshd.hostKeyFingerprint()));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/box")).object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("failed"));

        const auto wrong =
            connectHost(QStringLiteral("box"), QStringLiteral("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        QCOMPARE(wrong.status, 409);

        const auto ok = connectHost(QStringLiteral("box"), m_sshd.hostKeyFingerprint());
        QVERIFY2(ok.status == 200, ok.body.constData());
        QCOMPARE(ok.object().value(QStringLiteral("state")).toString(), QStringLiteral("connected"));
        QCOMPARE(ok.object().value(QStringLiteral("auth_method")).toString(), QStringLiteral("key"));
        QTRY_VERIFY(m_tc->core().connections().get(id)->isActive);
        QVERIFY(m_tc->core().connections().get(id)->lastConnectedAt.isValid());

        // Trusted from now on: a fresh connect needs no fingerprint.
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {}).status, 200);
        QTRY_VERIFY(!m_tc->core().connections().get(id)->isActive);
        QCOMPARE(connectHost(QStringLiteral("box")).status, 200);
        const auto all = m_http->get(QStringLiteral("/api/dgx/status"));
        QCOMPARE(all.array().size(), 1);
        QCOMPARE(all.array().at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("box"));
        QFile known(m_tc->dataDir() + QStringLiteral("/known_hosts"));
        QVERIFY(known.open(QIODevice::ReadOnly));
        QVERIFY(known.readAll().contains(QByteArray("[127.0.0.1]:") + QByteArray::number(m_sshd.port())));
    }

    void keyTypesAuthenticate_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("ed25519") << "ed25519";
        QTest::newRow("ecdsa") << "ecdsa";
        QTest::newRow("rsa") << "rsa";
    }

    void keyTypesAuthenticate()
    {
        QFETCH(QString, key);
        ready(QStringLiteral("k-") + key, key);
        const auto r = exec(QStringLiteral("k-") + key, QStringLiteral("whoami"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("stdout")).toString().trimmed(), m_sshd.user());
    }

    void strangerKeyIsRefused()
    {
        QVERIFY(createConnection(QStringLiteral("stranger"), QStringLiteral("stranger")) > 0);
        const auto r = connectHost(QStringLiteral("stranger"), m_sshd.hostKeyFingerprint());
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("auth_failed"));
        QVERIFY(r.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("rejected")));
        QCOMPARE(exec(QStringLiteral("stranger"), QStringLiteral("true")).status, 409);
    }

    void exitCodesAndStreams()
    {
        ready(QStringLiteral("box"));
        const auto r = exec(QStringLiteral("box"), QStringLiteral("echo out; echo err >&2; exit 3"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("stdout")).toString(), QStringLiteral("out\n"));
        QCOMPARE(o.value(QStringLiteral("stderr")).toString(), QStringLiteral("err\n"));
        QCOMPARE(o.value(QStringLiteral("truncated")).toBool(), false);
        QVERIFY(o.value(QStringLiteral("duration_ms")).toDouble() >= 0);
        QCOMPARE(
            exec(QStringLiteral("box"), QStringLiteral("true")).object().value(QStringLiteral("exit_code")).toInt(), 0);
        // Quotes, dollars and unicode reach the remote shell intact.
        const auto q = exec(QStringLiteral("box"), QStringLiteral("printf '%s|' \"a b\" 'c$d' \"é✓\""));
        QCOMPARE(q.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("a b|c$d|é✓|"));
    }

    void twentyMegabytesOfOutput()
    {
        ready(QStringLiteral("box"));
        const auto r = exec(QStringLiteral("box"), QStringLiteral("head -c 20000000 /dev/zero | tr '\\0' x"), 60);
        QCOMPARE(r.status, 200);
        const QString out = r.object().value(QStringLiteral("stdout")).toString();
        QCOMPARE(out.size(), 20000000);
        QVERIFY(out.startsWith(QStringLiteral("xxxx")) && out.endsWith(QStringLiteral("xxxx")));
        QCOMPARE(r.object().value(QStringLiteral("truncated")).toBool(), false);
    }

    void timeoutKillsTheRemoteCommand()
    {
        ready(QStringLiteral("box"));
        const QString marker = QStringLiteral("/tmp/gpudeck-timeout-%1").arg(QCoreApplication::applicationPid());
        QFile::remove(marker);
        QElapsedTimer t;
        t.start();
        const auto r = exec(QStringLiteral("box"), QStringLiteral("sleep 3 && touch %1").arg(marker), 1);
        QCOMPARE(r.status, 504);
        QCOMPARE(r.errorCode(), QStringLiteral("timeout"));
        QVERIFY(t.elapsed() < 2500);
        QTest::qWait(3000);
        QVERIFY2(!QFile::exists(marker), "the command ran on after its timeout");
        // The connection is still good.
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo alive"))
                     .object()
                     .value(QStringLiteral("stdout"))
                     .toString(),
                 QStringLiteral("alive\n"));
    }

    void fiftyConcurrentCommandsOverFiveConnections()
    {
        QList<qint64> ids;
        for (int i = 0; i < 5; ++i) {
            ready(QStringLiteral("c%1").arg(i));
            ids << m_tc->core().connections().find(QStringLiteral("c%1").arg(i))->id;
        }
        QElapsedTimer t;
        t.start();
        QList<QFuture<Result<CommandResult>>> futures;
        for (int i = 0; i < 50; ++i) {
            futures << m_tc->core().ssh().exec(ids.at(i % 5), QStringLiteral("sleep 0.3; echo %1").arg(i));
        }
        for (int i = 0; i < 50; ++i) {
            futures[i].waitForFinished();
            const auto r = futures[i].result();
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            QCOMPARE(r->stdOut, QByteArray::number(i) + '\n');
            QCOMPARE(r->exitCode, 0);
        }
        // 10 per connection, 8 channels at a time: two rounds of 0.3 s, far from 50 x 0.3 s in series.
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    }

    void guardRefusesDestructiveCommands()
    {
        ready(QStringLiteral("box"));
        const auto r = exec(QStringLiteral("box"), QStringLiteral("rm -rf /"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("command_refused"));
        QVERIFY(!r.object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo x; true || reboot")).status, 403);
        // With an explicit force it runs (harmless here: reboot is never reached).
        const auto forced = exec(QStringLiteral("box"), QStringLiteral("echo x; true || reboot"), 30, true);
        QCOMPARE(forced.status, 200);
        QCOMPARE(forced.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("x\n"));

        const auto log = m_http->get(QStringLiteral("/api/dgx/exec/log?connection_id=box"));
        QCOMPARE(log.status, 200);
        const QJsonArray entries = log.array();
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("forced")).toBool(), true);
        QCOMPARE(entries.at(1).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
        QCOMPARE(entries.at(2).toObject().value(QStringLiteral("command")).toString(), QStringLiteral("rm -rf /"));
        QVERIFY(entries.at(2).toObject().value(QStringLiteral("exit_code")).isNull());
    }

    void auditLogRecordsEveryRun()
    {
        ready(QStringLiteral("box"));
        exec(QStringLiteral("box"), QStringLiteral("exit 7"));
        exec(QStringLiteral("box"), QStringLiteral("true"));
        const auto log = m_http->get(QStringLiteral("/api/dgx/exec/log"));
        const QJsonArray entries = log.array();
        QCOMPARE(entries.size(), 2);
        const QJsonObject failed = entries.at(1).toObject();
        QCOMPARE(failed.value(QStringLiteral("command")).toString(), QStringLiteral("exit 7"));
        QCOMPARE(failed.value(QStringLiteral("exit_code")).toInt(), 7);
        QCOMPARE(failed.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("caller")).toString(), QStringLiteral("api"));
        QCOMPARE(failed.value(QStringLiteral("connection_name")).toString(), QStringLiteral("box"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/exec/log?limit=1")).array().size(), 1);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/exec/log?limit=0")).status, 400);
    }

    void execValidation()
    {
        ready(QStringLiteral("box"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/exec/box"), {}).status, 400);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/exec/box"), {{QStringLiteral("command"), 5}}).status, 400);
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("true"), 0).status, 400);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/dgx/exec/box"),
                            {{QStringLiteral("command"), QStringLiteral("true")}, {QStringLiteral("sudo"), true}})
                     .status,
                 400);
        QCOMPARE(exec(QStringLiteral("nobody"), QStringLiteral("true")).status, 404);
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("   ")).status, 400);
    }

    // A dry run answers what the exec would do and does nothing: no command on the host, no exec-log entry.
    void execDryRunRunsNothing()
    {
        ready(QStringLiteral("box"));
        const QString marker = m_sshd.tempDir() + QStringLiteral("/dry-run-marker");
        QFile::remove(marker);
        auto dryRun = [&](const QString &name, const QString &command, bool force = false) {
            QJsonObject body{{QStringLiteral("command"), command},
                             {QStringLiteral("timeout_s"), 5},
                             {QStringLiteral("dry_run"), true}};
            if (force) {
                body.insert(QStringLiteral("force"), true);
            }
            return m_http->post(QStringLiteral("/api/dgx/exec/") + name, body);
        };

        const auto plain = dryRun(QStringLiteral("box"), QStringLiteral("touch ") + marker);
        QVERIFY2(plain.status == 200, plain.body.constData());
        QJsonObject plan = plain.object();
        QCOMPARE(plan.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(plan.value(QStringLiteral("action")).toString(), QStringLiteral("connection.exec"));
        QJsonObject target = plan.value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("name")).toString(), QStringLiteral("box"));
        QCOMPARE(target.value(QStringLiteral("link_state")).toString(), QStringLiteral("connected"));
        QCOMPARE(target.value(QStringLiteral("timeout_s")).toDouble(), 5.0);
        QCOMPARE(target.value(QStringLiteral("guard")).toObject().value(QStringLiteral("allowed")).toBool(), true);
        QVERIFY(plan.value(QStringLiteral("would_refuse")).isNull());
        QVERIFY(!plan.value(QStringLiteral("effects")).toArray().isEmpty());

        // The guard's refusal is the very error the real call answers, with its status.
        const auto refusedPlan = dryRun(QStringLiteral("box"), QStringLiteral("sudo reboot"));
        QCOMPARE(refusedPlan.status, 200);
        plan = refusedPlan.object();
        const QJsonObject wouldRefuse = plan.value(QStringLiteral("would_refuse")).toObject();
        QCOMPARE(wouldRefuse.value(QStringLiteral("status")).toInt(), 403);
        QCOMPARE(wouldRefuse.value(QStringLiteral("code")).toString(), QStringLiteral("command_refused"));
        target = plan.value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("guard")).toObject().value(QStringLiteral("rule")).toString(),
                 QStringLiteral("power"));
        QVERIFY(plan.value(QStringLiteral("effects")).toArray().isEmpty());
        QVERIFY(m_http->get(QStringLiteral("/api/dgx/exec/log")).array().isEmpty()); // dry runs are not run
        const auto real = exec(QStringLiteral("box"), QStringLiteral("sudo reboot"));
        QCOMPARE(real.status, 403);
        QJsonObject realError = real.object().value(QStringLiteral("error")).toObject();
        realError.insert(QStringLiteral("status"), 403);
        QCOMPARE(wouldRefuse, realError);

        // force overrides the guard: the plan says so and would run it.
        const auto forced = dryRun(QStringLiteral("box"), QStringLiteral("sudo reboot"), true);
        QCOMPARE(forced.status, 200);
        QVERIFY(forced.object().value(QStringLiteral("would_refuse")).isNull());
        QVERIFY(forced.object()
                    .value(QStringLiteral("effects"))
                    .toArray()
                    .at(0)
                    .toString()
                    .contains(QStringLiteral("force")));

        // The same validation as the real call.
        QCOMPARE(dryRun(QStringLiteral("nobody"), QStringLiteral("true")).status, 404);
        QCOMPARE(dryRun(QStringLiteral("box"), QStringLiteral("  ")).status, 400);
        const auto badFlag = m_http->post(QStringLiteral("/api/dgx/exec/box"),
                                          {{QStringLiteral("command"), QStringLiteral("touch ") + marker},
                                           {QStringLiteral("dry_run"), QStringLiteral("yes")}});
        QCOMPARE(badFlag.status, 400);
        QCOMPARE(badFlag.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("dry_run"));

        // A link that is down: the plan says the real call would be refused.
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {}).status, 200);
        const auto down = dryRun(QStringLiteral("box"), QStringLiteral("true"));
        QCOMPARE(down.status, 200);
        QCOMPARE(
            down.object().value(QStringLiteral("would_refuse")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("not_connected"));

        QVERIFY(!QFile::exists(marker));
        const QJsonArray log = m_http->get(QStringLiteral("/api/dgx/exec/log")).array();
        QCOMPARE(log.size(), 1); // only the real, refused reboot
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
    }

    // A dry-run disconnect leaves the link up and says what the real one would close.
    void disconnectDryRunKeepsTheLink()
    {
        ready(QStringLiteral("box"));
        const auto r = m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("dry_run"), true}});
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject plan = r.object();
        QCOMPARE(plan.value(QStringLiteral("action")).toString(), QStringLiteral("connection.disconnect"));
        QCOMPARE(plan.value(QStringLiteral("target")).toObject().value(QStringLiteral("link_state")).toString(),
                 QStringLiteral("connected"));
        QVERIFY(plan.value(QStringLiteral("effects")).toArray().at(0).toString().contains(QStringLiteral("closes")));
        QVERIFY(plan.value(QStringLiteral("would_refuse")).isNull());
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/box")).object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("connected"));
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("true")).status, 200); // still usable
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("dry_run"), 1}}).status, 400);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("confirm"), true}}).status,
                 400);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/nobody"), {{QStringLiteral("dry_run"), true}}).status,
                 404);

        // Not connected: nothing to do.
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {}).status, 200);
        const auto idle = m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("dry_run"), true}});
        QCOMPARE(idle.status, 200);
        QVERIFY(idle.object().value(QStringLiteral("effects")).toArray().isEmpty());
    }

    void changedHostKeyIsRefusedUntilForgotten()
    {
        ready(QStringLiteral("box"));
        const QString oldFingerprint = m_sshd.hostKeyFingerprint();
        QString error;
        QVERIFY2(m_sshd.restart(true, &error), qPrintable(error));
        const QString newFingerprint = m_sshd.hostKeyFingerprint();
        QVERIFY(newFingerprint != oldFingerprint);
        m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {});

        const auto refused = connectHost(QStringLiteral("box"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("host_key_changed"));
        QVERIFY(refused.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("CHANGED")));
        // Accepting the new fingerprint is not enough while the old key is on record.
        QCOMPARE(connectHost(QStringLiteral("box"), newFingerprint).status, 403);

        const auto forgot = m_http->post(QStringLiteral("/api/dgx/connections/box/forget-host-key"), {});
        QCOMPARE(forgot.status, 200);
        QVERIFY(forgot.object().value(QStringLiteral("removed")).toInt() >= 1);
        QCOMPARE(connectHost(QStringLiteral("box")).status, 409); // unknown now, as it should be
        QCOMPARE(connectHost(QStringLiteral("box"), newFingerprint).status, 200);
    }

    void droppedConnectionReconnectsByItself()
    {
        ready(QStringLiteral("box"));
        const qint64 id = m_tc->core().connections().find(QStringLiteral("box"))->id;
        auto running = m_tc->core().ssh().exec(id, QStringLiteral("sleep 20"));
        QTest::qWait(300);
        m_sshd.stop(); // the listener and every session: the link drops mid-command
        running.waitForFinished();
        QVERIFY(!running.result().ok());
        QCOMPARE(running.result().error().reason, QStringLiteral("connection_lost"));
        QTRY_COMPARE_WITH_TIMEOUT(m_tc->core().ssh().status(id).state, LinkState::Reconnecting, 5000);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/box")).object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("reconnecting"));
        QTRY_VERIFY(!m_tc->core().connections().get(id)->isActive);

        QString error;
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error)); // same port, same host key
        QTRY_COMPARE_WITH_TIMEOUT(m_tc->core().ssh().status(id).state, LinkState::Connected, 40000);
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo back"))
                     .object()
                     .value(QStringLiteral("stdout"))
                     .toString(),
                 QStringLiteral("back\n"));
        QTRY_VERIFY(m_tc->core().connections().get(id)->isActive);
    }

    void killedSessionReconnects()
    {
        ready(QStringLiteral("box"));
        const qint64 id = m_tc->core().connections().find(QStringLiteral("box"))->id;
        auto running = m_tc->core().ssh().exec(id, QStringLiteral("sleep 20"));
        QTest::qWait(300);
        m_sshd.killClientSessions();
        running.waitForFinished();
        QVERIFY(!running.result().ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_tc->core().ssh().status(id).state, LinkState::Connected, 20000);
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo again")).status, 200);
    }

    void agentAuthentication()
    {
        test::SshAgent agent;
        QVERIFY(agent.start());
        QVERIFY(agent.add(m_sshd.keyPath(QStringLiteral("ed25519"))));
        const QByteArray previous = qgetenv("SSH_AUTH_SOCK");
        qputenv("SSH_AUTH_SOCK", agent.socketPath().toUtf8());
        QVERIFY(createConnection(QStringLiteral("agent"), {}, QStringLiteral("agent")) > 0);
        const auto r = connectHost(QStringLiteral("agent"), m_sshd.hostKeyFingerprint());
        qputenv("SSH_AUTH_SOCK", previous);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("auth_method")).toString(), QStringLiteral("agent"));
    }

    void passwordFromTheKeychain()
    {
        if (!m_keyringUp) {
            QSKIP(qPrintable(m_keyring.unavailableReason()));
        }
        QVERIFY(createConnection(QStringLiteral("pw"), {}, QStringLiteral("password")) > 0);
        const auto none = connectHost(QStringLiteral("pw"), m_sshd.hostKeyFingerprint());
        QCOMPARE(none.status, 502);
        QVERIFY(none.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("keychain")));

        const auto stored = m_http->request(
            "PUT", QStringLiteral("/api/dgx/connections/pw/credentials"),
            QJsonDocument(QJsonObject{{QStringLiteral("password"), m_sshd.password()}}).toJson(QJsonDocument::Compact));
        QCOMPARE(stored.status, 204);
        const auto r = connectHost(QStringLiteral("pw"), m_sshd.hostKeyFingerprint());
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("auth_method")).toString(), QStringLiteral("password"));
        // The secret is nowhere in the database file.
        QFile db(m_tc->core().paths().databasePath());
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(!db.readAll().contains(m_sshd.password().toUtf8()));
    }

    void passphraseKeyFromTheKeychain()
    {
        if (!m_keyringUp) {
            QSKIP(qPrintable(m_keyring.unavailableReason()));
        }
        QVERIFY(createConnection(QStringLiteral("pp"), QStringLiteral("ed25519-passphrase")) > 0);
        const auto locked = connectHost(QStringLiteral("pp"), m_sshd.hostKeyFingerprint());
        QCOMPARE(locked.status, 502);
        QCOMPARE(locked.errorCode(), QStringLiteral("auth_failed"));
        const auto stored =
            m_http->request("PUT", QStringLiteral("/api/dgx/connections/pp/credentials"),
                            QJsonDocument(QJsonObject{{QStringLiteral("key_passphrase"), m_sshd.keyPassphrase()}})
                                .toJson(QJsonDocument::Compact));
        QCOMPARE(stored.status, 204);
        const auto r = connectHost(QStringLiteral("pp"), m_sshd.hostKeyFingerprint());
        QVERIFY2(r.status == 200, r.body.constData());
    }

    void localConnectionRunsLocalProcesses()
    {
        const auto c =
            m_http->post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("here")},
                                                                  {QStringLiteral("kind"), QStringLiteral("local")}});
        QCOMPARE(c.status, 201);
        QCOMPARE(connectHost(QStringLiteral("here")).status, 200);
        const auto r = exec(QStringLiteral("here"), QStringLiteral("echo local; echo e >&2; exit 4"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("local\n"));
        QCOMPARE(r.object().value(QStringLiteral("stderr")).toString(), QStringLiteral("e\n"));
        QCOMPARE(r.object().value(QStringLiteral("exit_code")).toInt(), 4);
        const auto slow = exec(QStringLiteral("here"), QStringLiteral("sleep 5"), 0.5);
        QCOMPARE(slow.status, 504);
    }

    void unreachableHostFailsClearly()
    {
        const auto c = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("void")},
                                     {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                                     {QStringLiteral("port"), 1}});
        QCOMPARE(c.status, 201);
        const auto r = connectHost(QStringLiteral("void"));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("connect_failed"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/void")).object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("down")); // watched (the default): probed until it answers
    }
};

QTEST_GUILESS_MAIN(TestSshApi)
#include "tst_ssh_api.moc"
