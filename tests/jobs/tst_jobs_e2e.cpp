// Jobs launched on a host: a real OpenSSH sshd on loopback, a real tmux, the real API over a real socket.
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobSupervisor.h"
#include "ssh/SshPool.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;
namespace jobs = test::jobs;

class TestJobsE2e : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    int m_project = 0;

    QString instanceId() { return m_tc->core().database().instanceId(); }

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
        m_tc = std::make_unique<test::TestCore>();
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        m_project = jobs::setUpHost(*m_http, m_sshd, QStringLiteral("box"), QStringLiteral("tmux"));
        QVERIFY(m_project > 0);
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void succeedsWithMetricsAndLog()
    {
        const int id =
            jobs::createJob(*m_http, m_project,
                            QStringLiteral("echo hello\necho 'GPUDECK_METRICS {\"epoch\": 1, \"loss\": 0.5}'\n"
                                           "sleep 0.5\necho 'GPUDECK_METRICS {\"epoch\": 2, \"loss\": 0.41}'\n"
                                           "echo 'GPUDECK_METRICS not json'\necho bye >&2"));
        QVERIFY(id > 0);
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY(!r.object().value(QStringLiteral("started_at")).isNull());
        // Named with this install's instance id and the attempt: nothing another install could also create.
        QCOMPARE(r.object().value(QStringLiteral("container_id")).toString(),
                 QStringLiteral("gpudeck-%1-%2-1").arg(instanceId()).arg(id));
        QCOMPARE(r.object().value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(r.object().value(QStringLiteral("backend")).toString(), QStringLiteral("tmux"));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        const QJsonObject done = jobs::job(*m_http, id);
        QCOMPARE(done.value(QStringLiteral("exit_code")).toInt(-1), 0);
        QVERIFY(!done.value(QStringLiteral("completed_at")).isNull());
        QCOMPARE(done.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("epoch")).toInt(), 2);
        QCOMPARE(done.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("loss")).toDouble(), 0.41);
        const QJsonArray series = m_http->get(QStringLiteral("/api/dgx/jobs/%1/metrics").arg(id))
                                      .object()
                                      .value(QStringLiteral("series"))
                                      .toArray();
        QCOMPARE(series.size(), 2);
        QCOMPARE(
            series.at(0).toObject().value(QStringLiteral("values")).toObject().value(QStringLiteral("loss")).toDouble(),
            0.5);
        const QStringList lines = jobs::logLines(*m_http, id);
        QVERIFY2(lines.contains(QStringLiteral("hello")), qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.contains(QStringLiteral("bye"))); // stderr goes to the log too
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?tail=1").arg(id))
                     .object()
                     .value(QStringLiteral("lines"))
                     .toArray()
                     .size(),
                 1);
        // Its files are in this install's folder for the job's first attempt.
        QVERIFY(QFile::exists(m_sshd.homeDir() +
                              QStringLiteral("/.gpudeck/%1/jobs/%2/1/exit_code").arg(instanceId()).arg(id)));
    }

    void failedJobRunsAgain()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo first run; exit 3"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("failed"), 15000);
        const QJsonObject first = jobs::job(*m_http, id);

        // Back to pending by hand: it stays pending (the first attempt's exit code is not read again).
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("status"), QStringLiteral("pending")},
                            {QStringLiteral("command"), QStringLiteral("echo second run")}})
                     .status,
                 200);
        QTest::qWait(5 * 200); // five polls: nothing may change it
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("pending"));

        const auto again = jobs::start(*m_http, id);
        QVERIFY2(again.status == 200, again.body.constData());
        QCOMPARE(again.object().value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(again.object().value(QStringLiteral("container_id")).toString(),
                 QStringLiteral("gpudeck-%1-%2-2").arg(instanceId()).arg(id));
        QVERIFY(again.object().value(QStringLiteral("exit_code")).isNull());
        QVERIFY(again.object().value(QStringLiteral("status_reason")).isNull());
        QVERIFY(again.object().value(QStringLiteral("completed_at")).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        const QJsonObject done = jobs::job(*m_http, id);
        QCOMPARE(done.value(QStringLiteral("exit_code")).toInt(-1), 0);
        QVERIFY(done.value(QStringLiteral("started_at")).toString() >
                first.value(QStringLiteral("completed_at")).toString());
        QCOMPARE(jobs::logLines(*m_http, id), QStringList{QStringLiteral("second run")});
        // The first attempt's log is still there.
        const auto old = m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=1").arg(id));
        QCOMPARE(old.status, 200);
        QCOMPARE(old.object().value(QStringLiteral("lines")).toArray(), QJsonArray{QStringLiteral("first run")});
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=2").arg(id))
                     .object()
                     .value(QStringLiteral("lines"))
                     .toArray(),
                 QJsonArray{QStringLiteral("second run")});
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=3").arg(id)).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=0").arg(id)).status, 400);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=x").arg(id)).status, 400);
        const QJsonArray attempts = m_http->get(QStringLiteral("/api/dgx/jobs/%1/attempts").arg(id)).array();
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(attempts.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        // Running, it cannot be started a second time.
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("command"), QStringLiteral("sleep 30")}})
                     .status,
                 200);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QCOMPARE(jobs::start(*m_http, id).status, 409);
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 0}}).status,
            200);
    }

    void missingRemotePath()
    {
        const QString folder = QStringLiteral("gd-missing-%1").arg(QDateTime::currentMSecsSinceEpoch());
        const QString path = m_sshd.homeDir() + QLatin1Char('/') + folder;
        const QJsonObject project{{QStringLiteral("connection_id"), QStringLiteral("box")},
                                  {QStringLiteral("name"), QStringLiteral("elsewhere")},
                                  {QStringLiteral("remote_path"), QStringLiteral("~/") + folder}};
        // Saved while connected: checked, and refused naming the path and the reason.
        const auto refused = m_http->post(QStringLiteral("/api/dgx/projects"), project);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("remote_path_unusable"));
        const QString message =
            refused.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(
                     QStringLiteral("cannot change to the working directory %1: No such file or directory").arg(path)),
                 qPrintable(message));
        // Asked to, GPU Deck creates it.
        QJsonObject creating = project;
        creating.insert(QStringLiteral("create_remote_path"), true);
        const auto created = m_http->post(QStringLiteral("/api/dgx/projects"), creating);
        QVERIFY2(created.status == 201, created.body.constData());
        QVERIFY(QFileInfo(path).isDir());
        const int projectId = created.object().value(QStringLiteral("id")).toInt();

        // The folder goes away; the job's start checks it again, and the job fails saying so (API, status_reason,
        // the notification).
        QVERIFY(QDir(path).removeRecursively());
        const int id = jobs::createJob(*m_http, projectId, QStringLiteral("pwd"));
        const auto start = jobs::start(*m_http, id);
        QCOMPARE(start.status, 400);
        QCOMPARE(start.errorCode(), QStringLiteral("working_dir_unusable"));
        const QString why =
            QStringLiteral("cannot change to the working directory %1: No such file or directory").arg(path);
        QVERIFY2(start.body.contains(why.toUtf8()), start.body.constData());
        const QJsonObject failed = jobs::job(*m_http, id);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("status_reason")).toString(), why);
        QVERIFY(failed.value(QStringLiteral("exit_code")).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(m_http->get(QStringLiteral("/api/dgx/alerts"))
                                     .body.contains(QStringLiteral("job 'job' failed: %1").arg(why).toUtf8()),
                                 5000);
        // Its log says the same.
        QCOMPARE(jobs::logLines(*m_http, id), QStringList{QStringLiteral("GPU Deck: ") + why});
        // Started with create_remote_path, it makes the folder and runs there.
        const auto again = m_http->post(QStringLiteral("/api/dgx/jobs/%1/start").arg(id),
                                        {{QStringLiteral("create_remote_path"), true}});
        QVERIFY2(again.status == 200, again.body.constData());
        QCOMPARE(again.object().value(QStringLiteral("attempt")).toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::logLines(*m_http, id), QStringList{path});
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/start").arg(id), {{QStringLiteral("create_remote_path"), 1}})
                .status,
            400);
        QVERIFY(QDir(path).removeRecursively());
    }

    void neverTakesOverANameOnTheHost()
    {
        // A session or folder of the name the next attempt would get, made by someone else: left alone, and the
        // start refused naming it.
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo mine"));
        const QString session = QStringLiteral("gpudeck-%1-%2-1").arg(instanceId()).arg(id);
        const auto exec = [&](const QString &command) {
            return m_http->post(QStringLiteral("/api/dgx/exec/box"), {{QStringLiteral("command"), command}})
                .object()
                .value(QStringLiteral("exit_code"))
                .toInt(-1);
        };
        QCOMPARE(exec(QStringLiteral("tmux new-session -d -s %1 'sleep 60'").arg(session)), 0);
        const auto taken = jobs::start(*m_http, id);
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.errorCode(), QStringLiteral("session_exists"));
        QCOMPARE(exec(QStringLiteral("tmux has-session -t =%1").arg(session)), 0); // still there
        const QString folder = m_sshd.homeDir() + QStringLiteral("/.gpudeck/%1/jobs/%2/1").arg(instanceId()).arg(id);
        QVERIFY(!QFile::exists(folder)); // the refused start took its folder away again
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("pending"));
        QCOMPARE(exec(QStringLiteral("tmux kill-session -t =%1").arg(session)), 0);

        QCOMPARE(
            exec(QStringLiteral(
                     "mkdir -p \"$HOME/.gpudeck/%1/jobs/%2/1\" && echo theirs > \"$HOME/.gpudeck/%1/jobs/%2/1/log\"")
                     .arg(instanceId())
                     .arg(id)),
            0);
        const auto exists = jobs::start(*m_http, id);
        QCOMPARE(exists.status, 409);
        QCOMPARE(exists.errorCode(), QStringLiteral("job_folder_exists"));
        QFile log(folder + QStringLiteral("/log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QCOMPARE(log.readAll(), QByteArray("theirs\n"));
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("pending"));
    }

    void failsWithItsExitCode()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo about to fail; exit 3"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("failed"), 15000);
        const QJsonObject j = jobs::job(*m_http, id);
        QCOMPARE(j.value(QStringLiteral("exit_code")).toInt(), 3);
        QVERIFY(j.value(QStringLiteral("status_reason")).toString().contains(QStringLiteral("3")));
        QVERIFY(!j.value(QStringLiteral("completed_at")).isNull());
    }

    void cancelInterruptsThenKills()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("trap '' INT; sleep 60"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs").arg(id)).status == 200, 5000);
        const auto c =
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 1}});
        QVERIFY2(c.status == 200, c.body.constData());
        QCOMPARE(c.object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(!c.object().value(QStringLiteral("completed_at")).isNull());
        // The interrupt is ignored by this job, so the session is killed after the grace period.
        const auto alive = [&] {
            return m_http
                ->post(QStringLiteral("/api/dgx/exec/box"),
                       {{QStringLiteral("command"),
                         QStringLiteral("tmux has-session -t =gpudeck-%1-%2-1").arg(instanceId()).arg(id)}})
                .object()
                .value(QStringLiteral("exit_code"))
                .toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(alive() != 0, 10000);
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("cancelled"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {}).status, 409);
    }

    // Every destructive route's dry run while a job runs: each plan names the job, its attempt and tmux session, and
    // nothing changes (the job's row, its session on the host, the link, the project and connection rows).
    void dryRunsLeaveARunningJobAlone()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("sleep 60"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const QString session = QStringLiteral("gpudeck-%1-%2-1").arg(instanceId()).arg(id);
        const auto sessionAlive = [&] {
            return m_http
                ->post(QStringLiteral("/api/dgx/exec/box"),
                       {{QStringLiteral("command"), QStringLiteral("tmux has-session -t =%1").arg(session)}})
                .object()
                .value(QStringLiteral("exit_code"))
                .toInt(-1);
        };
        QTRY_COMPARE_WITH_TIMEOUT(sessionAlive(), 0, 10000);
        const QJsonObject before = jobs::job(*m_http, id);
        QCOMPARE(before.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        const auto hasJob = [id](const QJsonArray &list) {
            for (const QJsonValue &v : list) {
                if (v.toObject().value(QStringLiteral("id")).toInt() == id) {
                    return true;
                }
            }
            return false;
        };

        // Cancel: which job, attempt, host and session; the real call would interrupt it.
        const auto cancel = m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id),
                                         {{QStringLiteral("dry_run"), true}, {QStringLiteral("grace_s"), 2}});
        QVERIFY2(cancel.status == 200, cancel.body.constData());
        QJsonObject plan = cancel.object();
        QCOMPARE(plan.value(QStringLiteral("action")).toString(), QStringLiteral("job.cancel"));
        QJsonObject target = plan.value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("id")).toInt(), id);
        QCOMPARE(target.value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(target.value(QStringLiteral("host")).toString(), QStringLiteral("box"));
        QCOMPARE(target.value(QStringLiteral("backend")).toString(), QStringLiteral("tmux"));
        QCOMPARE(target.value(QStringLiteral("session")).toString(), session);
        QCOMPARE(target.value(QStringLiteral("live")).toBool(), true);
        QCOMPARE(target.value(QStringLiteral("grace_s")).toDouble(), 2.0);
        QVERIFY(plan.value(QStringLiteral("would_refuse")).isNull());
        QVERIFY(plan.value(QStringLiteral("effects")).toArray().at(0).toString().contains(session));

        // Disconnect: the job supervised over the link.
        const auto disconnect =
            m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("dry_run"), true}});
        QCOMPARE(disconnect.status, 200);
        QVERIFY(hasJob(
            disconnect.object().value(QStringLiteral("target")).toObject().value(QStringLiteral("jobs")).toArray()));

        // Deleting the job, its project, its connection: it would be left running, unsupervised.
        const auto delJob = m_http->del(QStringLiteral("/api/dgx/jobs/%1?dry_run=true").arg(id));
        QVERIFY2(delJob.status == 200, delJob.body.constData());
        QCOMPARE(delJob.object()
                     .value(QStringLiteral("target"))
                     .toObject()
                     .value(QStringLiteral("running"))
                     .toObject()
                     .value(QStringLiteral("session"))
                     .toString(),
                 session);
        const auto delProject = m_http->del(QStringLiteral("/api/dgx/projects/%1?dry_run=1").arg(m_project));
        QCOMPARE(delProject.status, 200);
        target = delProject.object().value(QStringLiteral("target")).toObject();
        QVERIFY(hasJob(target.value(QStringLiteral("jobs")).toArray()));
        QVERIFY(hasJob(target.value(QStringLiteral("running_jobs")).toArray()));
        // Without force the real delete is refused (the connection has a project): the plan says so, exactly.
        const auto delConnection = m_http->del(QStringLiteral("/api/dgx/connections/box?dry_run=true"));
        QCOMPARE(delConnection.status, 200);
        const QJsonObject refusal = delConnection.object().value(QStringLiteral("would_refuse")).toObject();
        QCOMPARE(refusal.value(QStringLiteral("status")).toInt(), 409);
        QCOMPARE(refusal.value(QStringLiteral("code")).toString(), QStringLiteral("conflict"));
        QVERIFY(delConnection.object().value(QStringLiteral("effects")).toArray().isEmpty());
        const auto forced = m_http->del(QStringLiteral("/api/dgx/connections/box?force=true&dry_run=true"));
        QCOMPARE(forced.status, 200);
        QVERIFY(forced.object().value(QStringLiteral("would_refuse")).isNull());
        target = forced.object().value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("projects")).toArray().size(), 1);
        QVERIFY(hasJob(target.value(QStringLiteral("running_jobs")).toArray()));
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/connections/box?dry_run=maybe")).status, 400);

        // Nothing changed.
        QCOMPARE(jobs::job(*m_http, id), before);
        QCOMPARE(sessionAlive(), 0);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status/box")).object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("connected"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects/%1").arg(m_project)).status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections/box")).status, 200);

        // The real delete of the connection is refused with the very error the plan gave.
        const auto realDelete = m_http->del(QStringLiteral("/api/dgx/connections/box"));
        QCOMPARE(realDelete.status, 409);
        QJsonObject realError = realDelete.object().value(QStringLiteral("error")).toObject();
        realError.insert(QStringLiteral("status"), 409);
        QCOMPARE(refusal, realError);

        // Once the job has ended, a cancel has nothing to do: the plan carries the real call's refusal.
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 0}}).status,
            200);
        const auto again = m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {});
        QCOMPARE(again.status, 409);
        const auto ended =
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("dry_run"), true}});
        QCOMPARE(ended.status, 200);
        realError = again.object().value(QStringLiteral("error")).toObject();
        realError.insert(QStringLiteral("status"), 409);
        QCOMPARE(ended.object().value(QStringLiteral("would_refuse")).toObject(), realError);
        QVERIFY(ended.object().value(QStringLiteral("effects")).toArray().isEmpty());
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/jobs/999/cancel"), {{QStringLiteral("dry_run"), true}}).status,
                 404);
    }

    void quotingSurvivesAnyCommandText()
    {
        const QString command = QStringLiteral(
            "printf '%s\\n' \"it's\" 'a \"double\" quote' 'back\\slash' '$HOME stays literal' \"tab\there\"\n"
            "echo \"line two: $((6 * 7))\"\necho 'unicode: é ✓'");
        const int id = jobs::createJob(*m_http, m_project, command);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        const QStringList lines = jobs::logLines(*m_http, id);
        const QStringList expected = {QStringLiteral("it's"),        QStringLiteral("a \"double\" quote"),
                                      QStringLiteral("back\\slash"), QStringLiteral("$HOME stays literal"),
                                      QStringLiteral("tab\there"),   QStringLiteral("line two: 42"),
                                      QStringLiteral("unicode: é ✓")};
        QCOMPARE(lines, expected);
    }

    void environmentAndWorkingDirectory()
    {
        const int id = jobs::createJob(
            *m_http, m_project, QStringLiteral("echo \"$GREETING\"; pwd"),
            {{QStringLiteral("env"), QJsonObject{{QStringLiteral("GREETING"), QStringLiteral("hi 'there' $x")}}},
             {QStringLiteral("working_dir"), QStringLiteral("/tmp")}});
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::logLines(*m_http, id), (QStringList{QStringLiteral("hi 'there' $x"), QStringLiteral("/tmp")}));
        const int bad = jobs::createJob(*m_http, m_project, QStringLiteral("true"),
                                        {{QStringLiteral("working_dir"), QStringLiteral("/no/such/dir")}});
        const auto refused = jobs::start(*m_http, bad);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("working_dir"));
        QCOMPARE(jobs::status(*m_http, bad), QStringLiteral("failed"));
        QCOMPARE(jobs::job(*m_http, bad).value(QStringLiteral("status_reason")).toString(),
                 QStringLiteral("cannot change to the working directory /no/such/dir: No such file or directory"));
        QCOMPARE(jobs::createJob(*m_http, m_project, QStringLiteral("true"),
                                 {{QStringLiteral("env"), QJsonObject{{QStringLiteral("1BAD"), QStringLiteral("x")}}}}),
                 -1);
    }

    void startNeedsACommand()
    {
        const auto r =
            m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), m_project},
                                                           {QStringLiteral("name"), QStringLiteral("tracked")}});
        const int id = r.object().value(QStringLiteral("id")).toInt();
        QCOMPARE(jobs::start(*m_http, id).status, 400);
        QCOMPARE(jobs::start(*m_http, 424242).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs").arg(id)).status, 409);
    }

    void logsFollowAsServerSentEvents()
    {
        const int id = jobs::createJob(
            *m_http, m_project,
            QStringLiteral("for i in 1 2 3 4; do echo step $i; sleep 0.4; done; printf 'last, no newline'"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const jobs::FollowedLog followed = jobs::followLog(m_tc->port(), m_tc->token(), id, "data: step 1", 20000);
        const QByteArray &received = followed.received;
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.left(200).constData());
        QVERIFY(received.contains("text/event-stream"));
        for (int i = 1; i <= 4; ++i) {
            QVERIFY2(received.contains("data: step " + QByteArray::number(i)), received.constData());
        }
        QVERIFY(received.contains("event: end"));
        // A last line without a newline still reaches the client, before the end.
        const qsizetype last = received.indexOf("data: last, no newline\n");
        QVERIFY2(last > 0 && last < received.indexOf("event: end"), received.constData());
        // Lines arrive as they are printed, not when the job is over.
        QVERIFY(followed.markerAtMs >= 0 && followed.markerAtMs < followed.elapsedMs - 500);
    }

    void sshdKilledWhileAJobRuns()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("sleep 3; echo survived"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const qint64 connectionId = m_tc->core().connections().find(QStringLiteral("box"))->id;
        QTest::qWait(300);
        m_sshd.stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_tc->core().ssh().status(connectionId).state, LinkState::Reconnecting, 5000);
        QTest::qWait(3500); // the job ends on the host while GPU Deck cannot see it
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("running"));
        QString error;
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 40000);
        QVERIFY(jobs::logLines(*m_http, id).contains(QStringLiteral("survived")));
    }

    void gpuDeckRestartedWhileAJobRuns()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("sleep 2; echo finished while away"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const QString dataDir = m_tc->dataDir();
        // Stop GPU Deck without touching the job; keep the data dir for the second run.
        m_http.reset();
        QTemporaryDir keep;
        QVERIFY(QProcess::execute(QStringLiteral("cp"),
                                  {QStringLiteral("-a"), dataDir + QStringLiteral("/."), keep.path()}) == 0);
        m_tc.reset();
        QTest::qWait(2500);

        Core again{AppPaths(keep.path())};
        QVERIFY(again.open().ok());
        again.jobRunner().setPollIntervalMs(200);
        auto port = again.startApi(0);
        QVERIFY(port.ok());
        again.startJobSupervision(); // connects the host (its key is trusted in this data dir) and reconciles
        HttpClient http(port.value(), again.token().value());
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(http, id), QStringLiteral("completed"), 20000);
        QCOMPARE(jobs::job(http, id).value(QStringLiteral("exit_code")).toInt(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestJobsE2e)
#include "tst_jobs_e2e.moc"
