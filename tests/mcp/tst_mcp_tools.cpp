// Every MCP tool called at least once over a real socket, against a real sshd whose sessions run the fake
// nvidia-smi (2 GPUs) and the fake OpenAI server as a served model. Read tools' structuredContent is checked
// against their outputSchema (and every call's arguments against the inputSchema) with ajv; destructive tools
// change nothing without "confirm": true and act with it. Exec through MCP is logged with caller "mcp".
#include "FakeNvidiaSmi.h"
#include "Keyring.h"
#include "McpClient.h"
#include "Ports.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobSupervisor.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace gpudeck;
using test::freePort;
using test::McpClient;
using test::portOpen;

class TestMcpTools : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::FakeNvidiaSmi m_fake;
    test::Keyring m_keyring;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<McpClient> m_mcp;
    QString m_fakeDir;
    quint16 m_modelPort = 0;
    QJsonArray m_calls;     // every call: {tool, arguments[, structuredContent]} for ajv
    QSet<QString> m_called; // tools called at least once

    QString fake() const { return m_fakeDir + QStringLiteral("/fake_openai_server.py"); }

    QByteArray catalogYaml() const
    {
        const QString launch =
            QStringLiteral("nohup /usr/bin/python3 %1 --port ${PORT} --model ${MODEL} --max-lifetime 120 %2 "
                           "< /dev/null > %3/${PORT}.log 2>&1 & echo $! > %3/${PORT}.pid");
        return QStringLiteral(
                   "poll_interval: 1\n"
                   "defaults:\n"
                   "  port: %1\n"
                   "  readiness_timeout: 40\n"
                   "  stop: 'if [ -f %2/${PORT}.pid ]; then kill $(cat %2/${PORT}.pid); rm -f %2/${PORT}.pid; fi'\n"
                   "  logs_follow: 'tail -n 20 -f %2/${PORT}.log'\n"
                   "hosts:\n"
                   "  box-1:\n"
                   "    models:\n"
                   "      - id: example/model-a\n        start: '%3'\n"
                   "      - id: example/slow\n        start: '%4'\n")
            .arg(m_modelPort)
            .arg(m_fakeDir)
            .arg(launch.arg(fake(), QStringLiteral("--ready-after 0.3"), m_fakeDir),
                 launch.arg(fake(), QStringLiteral("--ready-after 30"), m_fakeDir))
            .toUtf8();
    }

    // tools/call, recorded; the CallToolResult (a failed JSON-RPC call fails the test).
    QJsonObject call(const QString &tool, const QJsonObject &arguments = {})
    {
        const QJsonObject answer = m_mcp->call(tool, arguments);
        if (answer.contains(QStringLiteral("error"))) {
            qWarning().noquote() << tool << "answered a JSON-RPC error:" << QJsonDocument(answer).toJson();
            return QJsonObject{{QStringLiteral("isError"), true}, {QStringLiteral("rpcError"), true}};
        }
        const QJsonObject result = answer.value(QStringLiteral("result")).toObject();
        QJsonObject record{{QStringLiteral("tool"), tool}, {QStringLiteral("arguments"), arguments}};
        if (!result.value(QStringLiteral("isError")).toBool()) {
            record.insert(QStringLiteral("structuredContent"), result.value(QStringLiteral("structuredContent")));
            // The same JSON as text.
            const QJsonObject text = QJsonDocument::fromJson(result.value(QStringLiteral("content"))
                                                                 .toArray()
                                                                 .at(0)
                                                                 .toObject()
                                                                 .value(QStringLiteral("text"))
                                                                 .toString()
                                                                 .toUtf8())
                                         .object();
            if (text != result.value(QStringLiteral("structuredContent")).toObject()) {
                qWarning() << tool << "text content differs from structuredContent";
                return QJsonObject{{QStringLiteral("isError"), true}};
            }
        }
        m_calls.append(record);
        m_called.insert(tool);
        return result;
    }

    // A call that must succeed: its structuredContent.
    QJsonObject ok(const QString &tool, const QJsonObject &arguments = {})
    {
        const QJsonObject result = call(tool, arguments);
        if (result.value(QStringLiteral("isError")).toBool()) {
            qWarning().noquote() << tool << QJsonDocument(arguments).toJson(QJsonDocument::Compact)
                                 << "failed:" << QJsonDocument(result).toJson(QJsonDocument::Compact);
            return {};
        }
        return result.value(QStringLiteral("structuredContent")).toObject();
    }

    // A destructive tool without confirm: a dry run, not an error.
    bool dryRun(const QString &tool, const QJsonObject &arguments)
    {
        const QJsonObject s = ok(tool, arguments);
        if (!s.value(QStringLiteral("dry_run")).toBool()) {
            qWarning().noquote() << tool << "without confirm did not answer a dry run:"
                                 << QJsonDocument(s).toJson(QJsonDocument::Compact);
            return false;
        }
        return true;
    }

    QJsonObject confirmed(const QString &tool, QJsonObject arguments)
    {
        arguments.insert(QStringLiteral("confirm"), true);
        return ok(tool, arguments);
    }

    QString linkState(const QString &name)
    {
        return m_mcp->call(QStringLiteral("host_status"), {{QStringLiteral("id"), name}})
            .value(QStringLiteral("result"))
            .toObject()
            .value(QStringLiteral("structuredContent"))
            .toObject()
            .value(QStringLiteral("state"))
            .toString();
    }

    QString jobStatus(int id)
    {
        return m_mcp->call(QStringLiteral("job_get"), {{QStringLiteral("id"), id}})
            .value(QStringLiteral("result"))
            .toObject()
            .value(QStringLiteral("structuredContent"))
            .toObject()
            .value(QStringLiteral("status"))
            .toString();
    }

    QJsonObject swapReport(const QString &id)
    {
        return m_mcp->call(QStringLiteral("swap_status"), {{QStringLiteral("id"), id}})
            .value(QStringLiteral("result"))
            .toObject()
            .value(QStringLiteral("structuredContent"))
            .toObject();
    }

    void killFake()
    {
        for (const QString &pidPath : QDir(m_fakeDir).entryList({QStringLiteral("*.pid")})) {
            QFile pidFile(m_fakeDir + QLatin1Char('/') + pidPath);
            if (pidFile.open(QIODevice::ReadOnly)) {
                const qint64 pid = pidFile.readAll().trimmed().toLongLong();
                if (pid > 1) {
                    ::kill(pid_t(pid), SIGTERM);
                }
                pidFile.remove();
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_fake.setGpus(2);
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        m_keyring.start();
        m_fakeDir = m_sshd.tempDir() + QStringLiteral("/fake-openai");
        QVERIFY(QDir().mkpath(m_fakeDir));
        QVERIFY(QFile::setPermissions(m_fakeDir, QFileDevice::Permissions(0x7777)));
        QVERIFY(QFile::copy(QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), fake()));
        QVERIFY(QFile::setPermissions(fake(), QFileDevice::Permissions(0x7555)));
        m_modelPort = freePort();

        // RunPod without a key, at an address where nothing listens: its tools answer errors, never the real RunPod.
        qputenv("RUNPOD_API_BASE", "http://127.0.0.1:9");
        qunsetenv("RUNPOD_API_KEY");
        m_tc = std::make_unique<test::TestCore>();
        qunsetenv("RUNPOD_API_BASE");
        m_mcp = std::make_unique<McpClient>(m_tc->port(), m_tc->token());
        m_tc->core().startMonitoring();
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        SwapTimings fast;
        fast.commandTimeoutMs = 20000;
        fast.portFreeTimeoutMs = 10000;
        fast.probeTimeoutMs = 2000;
        fast.backoffInitialMs = 100;
        fast.backoffMaxMs = 400;
        m_tc->core().models().setSwapTimings(fast);
    }

    void cleanupTestCase()
    {
        m_mcp.reset();
        m_tc.reset();
        killFake();
    }

    void settingsAndHealth()
    {
        QCOMPARE(ok(QStringLiteral("health")).value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QVERIFY(!ok(QStringLiteral("log_level_get")).value(QStringLiteral("level")).toString().isEmpty());
        QCOMPARE(ok(QStringLiteral("log_level_set"), {{QStringLiteral("level"), QStringLiteral("info")}})
                     .value(QStringLiteral("level"))
                     .toString(),
                 QStringLiteral("info"));
        QVERIFY(!ok(QStringLiteral("monitoring_config_get")).isEmpty());
        QVERIFY(!ok(QStringLiteral("monitoring_config_set"), {{QStringLiteral("interval_ms"), 1000}}).isEmpty());
        const QJsonObject ssh = ok(QStringLiteral("ssh_config_get"));
        QVERIFY(!ssh.isEmpty());
        QVERIFY(!ok(QStringLiteral("ssh_config_set"),
                    {{QStringLiteral("down_after_s"), ssh.value(QStringLiteral("down_after_s"))}})
                     .isEmpty());
    }

    void connectionsAndHosts()
    {
        const QJsonObject created = ok(QStringLiteral("connection_create"),
                                       {{QStringLiteral("name"), QStringLiteral("box-1")},
                                        {QStringLiteral("hostname"), m_sshd.host()},
                                        {QStringLiteral("port"), m_sshd.port()},
                                        {QStringLiteral("username"), m_sshd.user()},
                                        {QStringLiteral("auth_method"), QStringLiteral("key")},
                                        {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}});
        QCOMPARE(created.value(QStringLiteral("name")).toString(), QStringLiteral("box-1"));
        const int id = created.value(QStringLiteral("id")).toInt();
        // By id, by its digits as a string, by name.
        QCOMPARE(
            ok(QStringLiteral("connection_get"), {{QStringLiteral("id"), id}}).value(QStringLiteral("name")).toString(),
            QStringLiteral("box-1"));
        QCOMPARE(ok(QStringLiteral("connection_get"), {{QStringLiteral("id"), QString::number(id)}})
                     .value(QStringLiteral("id"))
                     .toInt(),
                 id);
        QCOMPARE(ok(QStringLiteral("connections_list")).value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(ok(QStringLiteral("connection_update"), {{QStringLiteral("id"), QStringLiteral("box-1")},
                                                          {QStringLiteral("kind"), QStringLiteral("dgx-spark")}})
                     .value(QStringLiteral("kind"))
                     .toString(),
                 QStringLiteral("dgx-spark"));

        // A new host key is refused unless named; then connected.
        QVERIFY(call(QStringLiteral("connect"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                    .value(QStringLiteral("isError"))
                    .toBool());
        QCOMPARE(ok(QStringLiteral("connect"), {{QStringLiteral("id"), QStringLiteral("box-1")},
                                                {QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}})
                     .value(QStringLiteral("state"))
                     .toString(),
                 QStringLiteral("connected"));
        QCOMPARE(ok(QStringLiteral("host_status"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                     .value(QStringLiteral("state"))
                     .toString(),
                 QStringLiteral("connected"));
        QCOMPARE(ok(QStringLiteral("host_status_all")).value(QStringLiteral("items")).toArray().size(), 1);

        // Live metrics from the fake nvidia-smi: two GPUs.
        QTRY_VERIFY_WITH_TIMEOUT(
            ok(QStringLiteral("metrics_current"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                    .value(QStringLiteral("gpus"))
                    .toArray()
                    .size() == 2,
            15000);
        QVERIFY(ok(QStringLiteral("metrics_history"),
                   {{QStringLiteral("id"), QStringLiteral("box-1")}, {QStringLiteral("hours"), 1}})
                    .contains(QStringLiteral("gpus")));
        QVERIFY(ok(QStringLiteral("alerts_list"), {{QStringLiteral("limit"), 10}}).contains(QStringLiteral("items")));

        // Secrets go to the keychain (204 -> {"ok": true}) when there is one.
        const QJsonObject secret = call(QStringLiteral("connection_set_credentials"),
                                        {{QStringLiteral("id"), QStringLiteral("box-1")},
                                         {QStringLiteral("key_passphrase"), QStringLiteral("not-used")}});
        if (m_keyring.isRunning()) {
            QCOMPARE(secret.value(QStringLiteral("structuredContent")).toObject().value(QStringLiteral("ok")).toBool(),
                     true);
        }

        // ~/.ssh/config import.
        const QString config = m_tc->dataDir() + QStringLiteral("/ssh_config");
        QFile cf(config);
        QVERIFY(cf.open(QIODevice::WriteOnly));
        cf.write("Host imported-1\n  HostName 192.0.2.10\n  User someone\n");
        cf.close();
        const QJsonObject imported = ok(QStringLiteral("import_ssh_config"), {{QStringLiteral("path"), config}});
        QVERIFY2(!imported.isEmpty(), "import failed");
        QCOMPARE(ok(QStringLiteral("connections_list")).value(QStringLiteral("items")).toArray().size(), 2);
    }

    void execIsGuardedAndLogged()
    {
        const QString marker = m_sshd.homeDir() + QStringLiteral("/mcp-exec-marker");
        QFile::remove(marker);
        const QJsonObject args{{QStringLiteral("id"), QStringLiteral("box-1")},
                               {QStringLiteral("command"), QStringLiteral("touch %1 && echo made").arg(marker)}};
        QVERIFY(dryRun(QStringLiteral("exec"), args));
        QVERIFY(!QFile::exists(marker));
        const QJsonObject ran = confirmed(QStringLiteral("exec"), args);
        QCOMPARE(ran.value(QStringLiteral("exit_code")).toInt(-1), 0);
        QVERIFY(ran.value(QStringLiteral("stdout")).toString().contains(QStringLiteral("made")));
        QVERIFY(QFile::exists(marker));
        // The guard still refuses a destructive pattern, confirm or not: a tool error with the API's code.
        const QJsonObject refused =
            call(QStringLiteral("exec"), {{QStringLiteral("id"), QStringLiteral("box-1")},
                                          {QStringLiteral("command"), QStringLiteral("rm -rf /")},
                                          {QStringLiteral("confirm"), true}});
        QVERIFY(refused.value(QStringLiteral("isError")).toBool());
        // Logged with its origin.
        const QJsonArray log =
            ok(QStringLiteral("exec_log"), {{QStringLiteral("limit"), 5}}).value(QStringLiteral("items")).toArray();
        QVERIFY(!log.isEmpty());
        bool seen = false;
        for (const QJsonValue &e : log) {
            if (e.toObject().value(QStringLiteral("command")).toString().contains(QStringLiteral("mcp-exec-marker"))) {
                QCOMPARE(e.toObject().value(QStringLiteral("caller")).toString(), QStringLiteral("mcp"));
                seen = true;
            }
        }
        QVERIFY(seen);
    }

    void projectsAndJobs()
    {
        const QJsonObject project =
            ok(QStringLiteral("project_create"), {{QStringLiteral("connection_id"), QStringLiteral("box-1")},
                                                  {QStringLiteral("name"), QStringLiteral("train")},
                                                  {QStringLiteral("remote_path"), QStringLiteral("~")}});
        const int pid = project.value(QStringLiteral("id")).toInt();
        QVERIFY(pid > 0);
        QCOMPARE(ok(QStringLiteral("projects_list")).value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(ok(QStringLiteral("project_update"),
                    {{QStringLiteral("id"), pid}, {QStringLiteral("description"), QStringLiteral("d")}})
                     .value(QStringLiteral("description"))
                     .toString(),
                 QStringLiteral("d"));

        // A job that runs to its end.
        const int jid =
            ok(QStringLiteral("job_create"), {{QStringLiteral("project_id"), pid},
                                              {QStringLiteral("name"), QStringLiteral("hello")},
                                              {QStringLiteral("command"), QStringLiteral("echo hello-from-mcp")}})
                .value(QStringLiteral("id"))
                .toInt();
        QVERIFY(jid > 0);
        QCOMPARE(
            ok(QStringLiteral("job_start"), {{QStringLiteral("id"), jid}}).value(QStringLiteral("attempt")).toInt(), 1);
        if (m_mcp->call(QStringLiteral("job_wait"), {{QStringLiteral("id"), jid}, {QStringLiteral("wait"), 20}})
                .contains(QStringLiteral("result"))) {
            QCOMPARE(ok(QStringLiteral("job_wait"), {{QStringLiteral("id"), jid}, {QStringLiteral("wait"), 20}})
                         .value(QStringLiteral("status"))
                         .toString(),
                     QStringLiteral("completed"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(jobStatus(jid), QStringLiteral("completed"), 15000);
        QCOMPARE(
            ok(QStringLiteral("job_get"), {{QStringLiteral("id"), jid}}).value(QStringLiteral("status")).toString(),
            QStringLiteral("completed"));
        QVERIFY(ok(QStringLiteral("job_logs"), {{QStringLiteral("id"), jid}, {QStringLiteral("tail"), 10}})
                    .value(QStringLiteral("lines"))
                    .toArray()
                    .contains(QStringLiteral("hello-from-mcp")));
        QCOMPARE(ok(QStringLiteral("job_attempts"), {{QStringLiteral("id"), jid}})
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
                 1);
        QCOMPARE(
            ok(QStringLiteral("job_metrics"), {{QStringLiteral("id"), jid}}).value(QStringLiteral("job_id")).toInt(),
            jid);
        QCOMPARE(ok(QStringLiteral("jobs_list"), {{QStringLiteral("project_id"), pid}})
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
                 1);
        QCOMPARE(ok(QStringLiteral("project_get"), {{QStringLiteral("id"), pid}}).value(QStringLiteral("id")).toInt(),
                 pid);

        // A job that is cancelled: nothing happens without confirm.
        const int longJob = ok(QStringLiteral("job_create"), {{QStringLiteral("project_id"), pid},
                                                              {QStringLiteral("name"), QStringLiteral("long")},
                                                              {QStringLiteral("command"), QStringLiteral("sleep 60")}})
                                .value(QStringLiteral("id"))
                                .toInt();
        QVERIFY(!ok(QStringLiteral("job_start"), {{QStringLiteral("id"), longJob}}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(jobStatus(longJob), QStringLiteral("running"), 10000);
        QVERIFY(
            dryRun(QStringLiteral("job_cancel"), {{QStringLiteral("id"), longJob}, {QStringLiteral("grace_s"), 1}}));
        QTest::qWait(600); // three supervision polls: still running
        QCOMPARE(jobStatus(longJob), QStringLiteral("running"));
        QVERIFY(
            !confirmed(QStringLiteral("job_cancel"), {{QStringLiteral("id"), longJob}, {QStringLiteral("grace_s"), 1}})
                 .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(jobStatus(longJob), QStringLiteral("cancelled"), 15000);

        QCOMPARE(ok(QStringLiteral("job_update"),
                    {{QStringLiteral("id"), QString::number(jid)}, {QStringLiteral("name"), QStringLiteral("renamed")}})
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("renamed"));
        QVERIFY(dryRun(QStringLiteral("job_delete"), {{QStringLiteral("id"), jid}}));
        QCOMPARE(jobStatus(jid), QStringLiteral("completed"));
        QCOMPARE(
            confirmed(QStringLiteral("job_delete"), {{QStringLiteral("id"), jid}}).value(QStringLiteral("ok")).toBool(),
            true);
        QVERIFY(
            call(QStringLiteral("job_get"), {{QStringLiteral("id"), jid}}).value(QStringLiteral("isError")).toBool());

        // A project of its own to delete.
        const int spare =
            ok(QStringLiteral("project_create"), {{QStringLiteral("connection_id"), QStringLiteral("box-1")},
                                                  {QStringLiteral("name"), QStringLiteral("spare")},
                                                  {QStringLiteral("remote_path"), QStringLiteral("~")}})
                .value(QStringLiteral("id"))
                .toInt();
        QVERIFY(dryRun(QStringLiteral("project_delete"), {{QStringLiteral("id"), spare}}));
        QCOMPARE(ok(QStringLiteral("project_get"), {{QStringLiteral("id"), spare}}).value(QStringLiteral("id")).toInt(),
                 spare);
        QCOMPARE(confirmed(QStringLiteral("project_delete"), {{QStringLiteral("id"), spare}})
                     .value(QStringLiteral("ok"))
                     .toBool(),
                 true);
    }

    // A small git work tree synced to box-1, read back, listed; a cancel of an ended sync is an error.
    void syncTools()
    {
        QTemporaryDir repo;
        QVERIFY(repo.isValid());
        QProcess git;
        git.setWorkingDirectory(repo.path());
        QFile f(repo.filePath(QStringLiteral("train.py")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("print(1)\n");
        f.close();
        const QString script = QStringLiteral("git init -q && git add . && git -c user.name=T -c "
                                              "user.email=t@example.invalid commit -q -m x");
        git.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
        QVERIFY(git.waitForFinished(30000) && git.exitCode() == 0);
        const QString remote = QStringLiteral("mcp-sync-%1").arg(QCoreApplication::applicationPid());
        const QJsonObject project =
            ok(QStringLiteral("project_create"), {{QStringLiteral("connection_id"), QStringLiteral("box-1")},
                                                  {QStringLiteral("name"), QStringLiteral("synced")},
                                                  {QStringLiteral("remote_path"), QStringLiteral("~/") + remote},
                                                  {QStringLiteral("create_remote_path"), true},
                                                  {QStringLiteral("local_path"), repo.path()}});
        const int pid = project.value(QStringLiteral("id")).toInt();
        QVERIFY(pid > 0);
        const QJsonObject synced =
            ok(QStringLiteral("project_sync"), {{QStringLiteral("id"), pid}, {QStringLiteral("wait"), 60}});
        QCOMPARE(synced.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QString id = synced.value(QStringLiteral("id")).toString();
        QVERIFY(ok(QStringLiteral("syncs_list")).value(QStringLiteral("items")).toArray().size() >= 1);
        QCOMPARE(ok(QStringLiteral("sync_get"), {{QStringLiteral("id"), id}}).value(QStringLiteral("id")).toString(),
                 id);
        QVERIFY(call(QStringLiteral("sync_cancel"), {{QStringLiteral("id"), id}})
                    .value(QStringLiteral("isError"))
                    .toBool());
        QTemporaryDir back;
        const QJsonObject pulled =
            ok(QStringLiteral("project_pull"), {{QStringLiteral("id"), pid},
                                                {QStringLiteral("paths"), QJsonArray{QStringLiteral("train.py")}},
                                                {QStringLiteral("local_dir"), back.path()},
                                                {QStringLiteral("wait"), 60}});
        QCOMPARE(pulled.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QVERIFY(QFile::exists(back.filePath(QStringLiteral("train.py"))));
        QVERIFY(dryRun(QStringLiteral("project_delete"), {{QStringLiteral("id"), pid}}));
        QVERIFY(confirmed(QStringLiteral("project_delete"), {{QStringLiteral("id"), pid}})
                    .value(QStringLiteral("ok"))
                    .toBool());
        QDir(m_sshd.homeDir() + QLatin1Char('/') + remote).removeRecursively();
    }

    void modelsAndSwaps()
    {
        // models.yaml names the connection box-1, made above.
        QFile f(m_tc->dataDir() + QStringLiteral("/models.yaml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(catalogYaml());
        f.close();
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), 2);
        QVERIFY(ok(QStringLiteral("models_list")).contains(QStringLiteral("hosts")));
        QVERIFY(ok(QStringLiteral("services_list")).contains(QStringLiteral("items")));
        const QJsonObject args{{QStringLiteral("host"), QStringLiteral("box-1")},
                               {QStringLiteral("model"), QStringLiteral("example/model-a")}};
        QVERIFY(dryRun(QStringLiteral("swap"), args));
        QTest::qWait(300);
        QVERIFY(!portOpen(m_modelPort)); // nothing started
        const QJsonObject started = confirmed(QStringLiteral("swap"), args);
        const QString swapId = started.value(QStringLiteral("id")).toString();
        QVERIFY2(!swapId.isEmpty(), "the swap did not start");
        QTRY_VERIFY_WITH_TIMEOUT(swapReport(swapId).value(QStringLiteral("finished")).toBool(), 30000);
        QCOMPARE(ok(QStringLiteral("swap_status"), {{QStringLiteral("id"), swapId}})
                     .value(QStringLiteral("state"))
                     .toString(),
                 QStringLiteral("succeeded"));
        QVERIFY(portOpen(m_modelPort));

        // The model server's own log: its last lines (what logs_follow prints first; a follow is not a tool).
        const QJsonArray logLines =
            ok(QStringLiteral("model_logs"),
               {{QStringLiteral("model"), QStringLiteral("example/model-a")}, {QStringLiteral("tail"), 3}})
                .value(QStringLiteral("lines"))
                .toArray();
        QVERIFY(!logLines.isEmpty() && logLines.size() <= 3);
        QCOMPARE(m_tc->core().modelLogs().streamCount(), 0); // the command it ran is stopped again

        // A slow swap, cancelled: not without confirm.
        const QJsonObject slow =
            confirmed(QStringLiteral("swap"), {{QStringLiteral("host"), QStringLiteral("box-1")},
                                               {QStringLiteral("model"), QStringLiteral("example/slow")}});
        const QString slowId = slow.value(QStringLiteral("id")).toString();
        QVERIFY(!slowId.isEmpty());
        QVERIFY(dryRun(QStringLiteral("swap_cancel"), {{QStringLiteral("id"), slowId}}));
        QTest::qWait(300);
        QVERIFY(!swapReport(slowId).value(QStringLiteral("finished")).toBool());
        QVERIFY(!confirmed(QStringLiteral("swap_cancel"), {{QStringLiteral("id"), slowId}}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(swapReport(slowId).value(QStringLiteral("finished")).toBool(), 30000);
        QVERIFY(ok(QStringLiteral("swaps_list")).value(QStringLiteral("items")).toArray().size() >= 2);
    }

    void fleetWhenThereIsOne()
    {
        bool listed = false;
        for (const QJsonValue &t : m_mcp->listTools()) {
            listed = listed || t.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("fleet");
        }
        if (!listed) {
            QSKIP("this build has no GET /api/dgx/fleet yet");
        }
        QVERIFY(!ok(QStringLiteral("fleet")).isEmpty());
    }

    void disconnectForgetAndDelete()
    {
        QVERIFY(dryRun(QStringLiteral("disconnect"), {{QStringLiteral("id"), QStringLiteral("box-1")}}));
        QCOMPARE(linkState(QStringLiteral("box-1")), QStringLiteral("connected"));
        QVERIFY(!confirmed(QStringLiteral("disconnect"), {{QStringLiteral("id"), QStringLiteral("box-1")}}).isEmpty());
        QTRY_VERIFY(linkState(QStringLiteral("box-1")) != QStringLiteral("connected"));

        QFile known(m_tc->dataDir() + QStringLiteral("/known_hosts"));
        auto knownHas = [&] {
            QFile f(known.fileName());
            return f.open(QIODevice::ReadOnly) &&
                   f.readAll().contains(QByteArray("[127.0.0.1]:") + QByteArray::number(m_sshd.port()));
        };
        QVERIFY(knownHas());
        QVERIFY(
            dryRun(QStringLiteral("connection_forget_host_key"), {{QStringLiteral("id"), QStringLiteral("box-1")}}));
        QVERIFY(knownHas());
        QVERIFY(
            !confirmed(QStringLiteral("connection_forget_host_key"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                 .isEmpty());
        QVERIFY(!knownHas());

        QVERIFY(dryRun(QStringLiteral("connection_delete"), {{QStringLiteral("id"), QStringLiteral("imported-1")}}));
        QCOMPARE(ok(QStringLiteral("connections_list")).value(QStringLiteral("items")).toArray().size(), 2);
        QCOMPARE(confirmed(QStringLiteral("connection_delete"), {{QStringLiteral("id"), QStringLiteral("imported-1")}})
                     .value(QStringLiteral("ok"))
                     .toBool(),
                 true);
        QCOMPARE(ok(QStringLiteral("connections_list")).value(QStringLiteral("items")).toArray().size(), 1);
    }

    void actionsAreAuditedAsMcp()
    {
        const QJsonArray entries = ok(QStringLiteral("audit_log"), {{QStringLiteral("origin"), QStringLiteral("mcp")},
                                                                    {QStringLiteral("limit"), 500}})
                                       .value(QStringLiteral("items"))
                                       .toArray();
        QStringList routes;
        for (const QJsonValue &e : entries) {
            QCOMPARE(e.toObject().value(QStringLiteral("origin")).toString(), QStringLiteral("mcp"));
            routes << e.toObject().value(QStringLiteral("route")).toString();
        }
        QVERIFY2(routes.contains(QStringLiteral("/api/dgx/exec/:id")), qPrintable(routes.join(QLatin1Char(' '))));
        QVERIFY(routes.contains(QStringLiteral("/api/dgx/jobs/:id/cancel")));
    }

    // The fleet tools of issue 11 against this test's plain hosts: a report, the schedule, wakes (no MAC: refused),
    // Connect all / Disconnect all, and the Proxmox tools refusing a connection that is not a Proxmox node.
    void fleetToolsAnswer()
    {
        QVERIFY(!ok(QStringLiteral("report")).isEmpty());
        const QJsonObject schedule = ok(QStringLiteral("report_config_get"));
        QVERIFY(!schedule.isEmpty());
        QVERIFY(!call(QStringLiteral("report_config_set"), {{QStringLiteral("enabled"), false}})
                     .value(QStringLiteral("rpcError"))
                     .toBool());
        QVERIFY(ok(QStringLiteral("wakes_list")).contains(QStringLiteral("items")));
        QVERIFY(call(QStringLiteral("wake"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                    .value(QStringLiteral("isError"))
                    .toBool());
        QVERIFY(call(QStringLiteral("wake_cancel"), {{QStringLiteral("id"), QStringLiteral("box-1")}})
                    .value(QStringLiteral("isError"))
                    .toBool());
        QVERIFY(!call(QStringLiteral("wake_all")).value(QStringLiteral("rpcError")).toBool());
        QVERIFY(dryRun(QStringLiteral("disconnect_all"), {}));
        QVERIFY(!call(QStringLiteral("connect_all")).value(QStringLiteral("rpcError")).toBool());
        const QJsonObject box{{QStringLiteral("connection"), QStringLiteral("box-1")}};
        for (const QString &tool : {QStringLiteral("proxmox_status"), QStringLiteral("proxmox_resources"),
                                    QStringLiteral("proxmox_storage")}) {
            QVERIFY2(call(tool, box).value(QStringLiteral("isError")).toBool(), qPrintable(tool));
        }
        QJsonObject action = box;
        action.insert(QStringLiteral("vmid"), 100);
        action.insert(QStringLiteral("action"), QStringLiteral("start"));
        QVERIFY(call(QStringLiteral("proxmox_action"), action).value(QStringLiteral("isError")).toBool());
        QJsonObject task = box;
        task.insert(QStringLiteral("upid"), QStringLiteral("UPID:node-1:0000:0000:00000000:qmstart:100:root@pam:"));
        QVERIFY(call(QStringLiteral("proxmox_task"), task).value(QStringLiteral("isError")).toBool());
        QJsonObject trust = box;
        trust.insert(QStringLiteral("accept_fingerprint"), QStringLiteral("AA:BB"));
        QVERIFY(call(QStringLiteral("proxmox_trust"), trust).value(QStringLiteral("isError")).toBool());
        // RunPod without a key: what needs RunPod says so; the dry runs and the key's state answer.
        QVERIFY(ok(QStringLiteral("runpod_credentials_get")).contains(QStringLiteral("configured")));
        QVERIFY(call(QStringLiteral("runpod_pods")).value(QStringLiteral("isError")).toBool());
        QVERIFY(call(QStringLiteral("runpod_pod"), {{QStringLiteral("id"), QStringLiteral("nope")}})
                    .value(QStringLiteral("isError"))
                    .toBool());
        QVERIFY(call(QStringLiteral("runpod_gpu_types")).value(QStringLiteral("isError")).toBool());
        QVERIFY(call(QStringLiteral("runpod_ssh_key_register")).value(QStringLiteral("isError")).toBool());
        QVERIFY(dryRun(QStringLiteral("runpod_pod_create"), {{QStringLiteral("name"), QStringLiteral("p")},
                                                             {QStringLiteral("gpu_type"), QStringLiteral("RTX")}}));
        QVERIFY(dryRun(QStringLiteral("runpod_pod_action"), {{QStringLiteral("id"), QStringLiteral("nope")},
                                                             {QStringLiteral("action"), QStringLiteral("stop")}}));
        QVERIFY(!call(QStringLiteral("runpod_credentials_set"), {{QStringLiteral("api_key"), QJsonValue()}})
                     .value(QStringLiteral("rpcError"))
                     .toBool());
    }

    // Last: every tool was called, and every answer matched its schemas.
    void everyToolCalledAndValid()
    {
        QStringList notCalled;
        const QJsonArray tools = m_mcp->listTools();
        for (const QJsonValue &t : tools) {
            const QString name = t.toObject().value(QStringLiteral("name")).toString();
            if (!m_called.contains(name)) {
                notCalled << name;
            }
        }
        QVERIFY2(notCalled.isEmpty(),
                 qPrintable(QStringLiteral("tools never called: ") + notCalled.join(QStringLiteral(", "))));
        const QString problems = test::validateTools(tools, m_calls);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }
};

QTEST_GUILESS_MAIN(TestMcpTools)
#include "tst_mcp_tools.moc"
