// Jobs on a Slurm backend: a real single-node Slurm (munged, slurmctld, slurmd on this machine), reached as a
// login node through the real test sshd, driven through the real API over a real socket.
#include "HttpClient.h"
#include "JobsApi.h"
#include "SlurmCluster.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobScripts.h"
#include "jobs/JobSupervisor.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <pwd.h>
#include <unistd.h>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;
namespace jobs = test::jobs;

class TestJobsSlurm : public QObject
{
    Q_OBJECT

    test::SlurmCluster m_slurm;
    test::SshServer m_sshd;
    // The test user's $HOME for these sessions (and so for its Slurm jobs), so the cluster's jobs write where this
    // test can look and clean up.
    QTemporaryDir m_homeParent{QDir::tempPath() + QStringLiteral("/gpudeck-slurm-home-XXXXXX")};
    QString m_skipReason;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    int m_project = 0;

    QString home() const { return m_homeParent.filePath(QStringLiteral("home")); }

    // What Slurm itself says about a job, as root: "JobState=... ExitCode=..." fields of `scontrol show job`.
    QString slurmField(const QString &slurmId, const QString &field)
    {
        const auto r =
            m_slurm.run(QStringLiteral("scontrol"), {QStringLiteral("show"), QStringLiteral("job"), slurmId});
        static const QRegularExpression space(QStringLiteral("\\s+"));
        for (const QString &token : r.out.split(space, Qt::SkipEmptyParts)) {
            if (token.startsWith(field + QLatin1Char('='))) {
                return token.mid(field.size() + 1);
            }
        }
        return {};
    }
    QString squeue(const QString &slurmId)
    {
        return m_slurm
            .run(QStringLiteral("squeue"),
                 {QStringLiteral("-h"), QStringLiteral("-j"), slurmId, QStringLiteral("-o"), QStringLiteral("%T")})
            .out.trimmed();
    }

    static bool needsCluster(const char *testFunction)
    {
        const QByteArray name(testFunction);
        return !name.startsWith("unit");
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            m_skipReason = m_sshd.unavailableReason();
            return;
        }
        if (!m_slurm.available()) {
            m_skipReason = m_slurm.unavailableReason();
            return;
        }
        QElapsedTimer t;
        t.start();
        QString error;
        QVERIFY2(m_slurm.start(&error), qPrintable(error));
        qInfo("single-node Slurm (node %s) up in %lld ms", qPrintable(m_slurm.nodeName()), t.elapsed());
        QVERIFY(m_homeParent.isValid());
        QFile::setPermissions(m_homeParent.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                       QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                       QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                       QFileDevice::ExeOther);
        QVERIFY(QDir(m_homeParent.path()).mkpath(QStringLiteral("home")));
        // The login node's Slurm commands (run by the test user through sshd) find this cluster's slurm.conf.
        m_sshd.setSessionEnv(QStringLiteral("SLURM_CONF"), m_slurm.configPath());
        m_sshd.setSessionEnv(QStringLiteral("HOME"), home());
        QVERIFY2(m_sshd.start(&error), qPrintable(error)); // creates the test user when missing
        const passwd *pw = ::getpwnam(test::SshServer::testUserName().toLocal8Bit().constData());
        QVERIFY(pw);
        QCOMPARE(::chown(home().toLocal8Bit().constData(), pw->pw_uid, pw->pw_gid), 0);
    }

    void cleanupTestCase()
    {
        m_sshd.stop();
        m_slurm.stop();
    }

    void init()
    {
        if (!needsCluster(QTest::currentTestFunction())) {
            return;
        }
        if (!m_skipReason.isEmpty()) {
            QSKIP(qPrintable(m_skipReason));
        }
        m_tc = std::make_unique<test::TestCore>();
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        m_project = jobs::setUpHost(*m_http, m_sshd, QStringLiteral("login"), QStringLiteral("slurm"));
        QVERIFY(m_project > 0);
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
        if (needsCluster(QTest::currentTestFunction()) && m_skipReason.isEmpty()) {
            // Job ids start at 1 again in the next test's database: nothing of this test may still run or remain.
            m_slurm.setNodeDrained(false);
            QVERIFY2(m_slurm.cancelAll(), "Slurm jobs did not end after scancel");
            QVERIFY(QDir(home() + QStringLiteral("/.gpudeck")).removeRecursively());
        }
    }

    // --- without a cluster -----------------------------------------------------------------------------------

    void unitStatusForSlurm_data()
    {
        QTest::addColumn<QString>("slurmState");
        QTest::addColumn<QString>("status");
        const QList<QPair<const char *, const char *>> rows = {
            {"PENDING", "pending"},
            {"CONFIGURING", "pending"},
            {"REQUEUED", "pending"},
            {"SUSPENDED", "pending"},
            {"RUNNING", "running"},
            {"COMPLETING", "running"},
            {"COMPLETED", "completed"},
            {"CANCELLED", "cancelled"},
            {"FAILED", "failed"},
            {"TIMEOUT", "failed"},
            {"NODE_FAIL", "failed"},
            {"OUT_OF_MEMORY", "failed"},
            {"BOOT_FAIL", "failed"},
            {"DEADLINE", "failed"},
            {"PREEMPTED", "failed"},
            {"UNKNOWN", ""},
            {"", ""},
        };
        for (const auto &[slurm, status] : rows) {
            QTest::newRow(slurm[0] ? slurm : "empty") << QString::fromLatin1(slurm) << QString::fromLatin1(status);
        }
    }
    void unitStatusForSlurm()
    {
        QFETCH(QString, slurmState);
        QFETCH(QString, status);
        QCOMPARE(JobScripts::statusForSlurm(slurmState), status);
    }

    void unitParsePollSlurmLines()
    {
        // What the poll prints: squeue's state for a queued or running job; scontrol's state and ExitCode
        // (code:signal) once squeue no longer lists it.
        const auto states = JobScripts::parsePoll(QStringLiteral("J 1 slurm PENDING \n"
                                                                 "J 2 slurm RUNNING\n"
                                                                 "J 3 slurm COMPLETED 0:0\n"
                                                                 "J 4 slurm FAILED 3:0\n"
                                                                 "J 5 slurm CANCELLED 0:15\n"
                                                                 "J 6 slurm UNKNOWN \n"
                                                                 "M 2 GPUDECK_METRICS {\"loss\": 0.3}\n"
                                                                 "J 7 exit 3\n"));
        QCOMPARE(states.size(), 7);
        QCOMPARE(states.value(1).state, QStringLiteral("slurm"));
        QCOMPARE(states.value(1).slurmState, QStringLiteral("PENDING"));
        QCOMPARE(states.value(1).exitCode, -1);
        QCOMPARE(states.value(2).slurmState, QStringLiteral("RUNNING"));
        QCOMPARE(states.value(2).metrics.size(), 1);
        QCOMPARE(states.value(2).metrics.at(0).value(QStringLiteral("loss")).toDouble(), 0.3);
        QCOMPARE(states.value(3).slurmState, QStringLiteral("COMPLETED"));
        QCOMPARE(states.value(3).exitCode, 0);
        QCOMPARE(states.value(4).slurmState, QStringLiteral("FAILED"));
        QCOMPARE(states.value(4).exitCode, 3);
        // Killed by a signal: there is no exit code to report.
        QCOMPARE(states.value(5).slurmState, QStringLiteral("CANCELLED"));
        QCOMPARE(states.value(5).exitCode, -1);
        QCOMPARE(states.value(6).slurmState, QStringLiteral("UNKNOWN"));
        QCOMPARE(states.value(6).exitCode, -1);
        QCOMPARE(states.value(7).state, QStringLiteral("exit"));
        QCOMPARE(states.value(7).exitCode, 3);
    }

    void unitParsePollLogAndReason()
    {
        // A followed log comes base64-framed from an offset; a job that never ran its command says why.
        const QByteArray bytes = "line one\nhalf a li";
        const auto states = JobScripts::parsePoll(
            QStringLiteral("J 1 exit 1\n"
                           "R 1 cannot change to the working directory /x y: No such file or directory \n"
                           "L 1 120 %1\n"
                           "L 2 0 \n"
                           "L 3 x AAAA\n")
                .arg(QString::fromLatin1(bytes.toBase64())));
        QCOMPARE(states.value(1).state, QStringLiteral("exit"));
        QCOMPARE(states.value(1).reason,
                 QStringLiteral("cannot change to the working directory /x y: No such file or directory"));
        QVERIFY(states.value(1).hasLog);
        QCOMPARE(states.value(1).logFrom, 120);
        QCOMPARE(states.value(1).log, bytes);
        QVERIFY(states.value(2).hasLog); // nothing new
        QVERIFY(states.value(2).log.isEmpty());
        QVERIFY(!states.value(3).hasLog); // a bad offset is ignored
    }

    void unitSubmitScriptOptions()
    {
        Job j;
        j.id = 12;
        j.command = QStringLiteral("true");
        j.config = {{QStringLiteral("gpus"), 2},
                    {QStringLiteral("time"), QStringLiteral("1:00:00")},
                    {QStringLiteral("partition"), QStringLiteral("gpu")}};
        JobAttempt a;
        a.jobId = 12;
        a.attempt = 2;
        a.hostDir = JobScripts::attemptDir(QStringLiteral("0123456789ab"), 12, 2);
        a.session = JobScripts::sessionName(QStringLiteral("0123456789ab"), 12, 2);
        QCOMPARE(a.hostDir, QStringLiteral("$HOME/.gpudeck/0123456789ab/jobs/12/2"));
        const QString script = JobScripts::slurmSubmit(j, QStringLiteral("~"), a, false);
        QVERIFY2(script.contains(QStringLiteral("sbatch --parsable --job-name='gpudeck-0123456789ab-12-2'")),
                 qPrintable(script));
        QVERIFY(script.contains(QStringLiteral("--gres=gpu:2")));
        QVERIFY(script.contains(QStringLiteral("--time='1:00:00'")));
        QVERIFY(script.contains(QStringLiteral("--partition='gpu'")));
        j.config = {};
        QVERIFY(!JobScripts::slurmSubmit(j, QStringLiteral("~"), a, false).contains(QStringLiteral("--gres")));
    }

    // --- against the cluster ---------------------------------------------------------------------------------

    void loginNodeSeesTheCluster()
    {
        const auto r = m_http->post(
            QStringLiteral("/api/dgx/exec/login"),
            {{QStringLiteral("command"), QStringLiteral("echo \"$SLURM_CONF\"; echo \"$HOME\"; sinfo -h -o '%P %T'")}});
        QVERIFY2(r.status == 200, r.body.constData());
        const QStringList out =
            r.object().value(QStringLiteral("stdout")).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(r.object().value(QStringLiteral("exit_code")).toInt() == 0, r.body.constData());
        QCOMPARE(out, (QStringList{m_slurm.configPath(), home(), QStringLiteral("debug* idle")}));
    }

    void submitsFollowsAndCompletes()
    {
        const int id =
            jobs::createJob(*m_http, m_project,
                            QStringLiteral("echo \"hello from $SLURM_JOB_ID\"\n"
                                           "echo 'GPUDECK_METRICS {\"epoch\": 1, \"loss\": 0.5}'\n"
                                           "sleep 0.5\necho 'GPUDECK_METRICS {\"epoch\": 2, \"loss\": 0.41}'\n"
                                           "echo 'GPUDECK_METRICS not json'\necho bye >&2"));
        QVERIFY(id > 0);
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("backend")).toString(), QStringLiteral("slurm"));
        const QString slurmId = r.object().value(QStringLiteral("container_id")).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+$")).match(slurmId).hasMatch(), qPrintable(slurmId));
        // Pending until Slurm runs it (or already running, when the poll was quicker than this reply).
        QVERIFY(QStringList({QStringLiteral("pending"), QStringLiteral("running")})
                    .contains(r.object().value(QStringLiteral("status")).toString()));
        // Slurm knows it under GPU Deck's name for it, as the login user.
        QCOMPARE(slurmField(slurmId, QStringLiteral("JobName")),
                 QStringLiteral("gpudeck-%1-%2-1").arg(m_tc->core().database().instanceId()).arg(id));
        QVERIFY(slurmField(slurmId, QStringLiteral("UserId")).startsWith(test::SshServer::testUserName()));
        QCOMPARE(jobs::start(*m_http, id).status, 409); // submitted once only

        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 20000);
        const QJsonObject done = jobs::job(*m_http, id);
        QCOMPARE(done.value(QStringLiteral("exit_code")).toInt(-1), 0);
        QVERIFY(!done.value(QStringLiteral("started_at")).isNull());
        QVERIFY(!done.value(QStringLiteral("completed_at")).isNull());
        QCOMPARE(done.value(QStringLiteral("container_id")).toString(), slurmId);
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
        QVERIFY2(lines.contains(QStringLiteral("hello from %1").arg(slurmId)),
                 qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.contains(QStringLiteral("bye"))); // stderr goes to the log too
        QTRY_COMPARE_WITH_TIMEOUT(slurmField(slurmId, QStringLiteral("JobState")), QStringLiteral("COMPLETED"), 10000);
    }

    void failsWithItsExitCode()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo about to fail; exit 3"));
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        const QString slurmId = r.object().value(QStringLiteral("container_id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("failed"), 20000);
        const QJsonObject j = jobs::job(*m_http, id);
        QCOMPARE(j.value(QStringLiteral("exit_code")).toInt(), 3);
        QVERIFY(j.value(QStringLiteral("status_reason")).toString().contains(QStringLiteral("3")));
        QVERIFY(!j.value(QStringLiteral("completed_at")).isNull());
        QVERIFY2(jobs::logLines(*m_http, id) == QStringList{QStringLiteral("about to fail")},
                 qPrintable(jobs::logLines(*m_http, id).join(QLatin1Char('|'))));
        // Slurm's own record agrees (the batch script ends with the command's code).
        QTRY_COMPARE_WITH_TIMEOUT(slurmField(slurmId, QStringLiteral("JobState")), QStringLiteral("FAILED"), 10000);
        QCOMPARE(slurmField(slurmId, QStringLiteral("ExitCode")), QStringLiteral("3:0"));

        // Run again: a second attempt, its own Slurm job, name, folder and log.
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("command"), QStringLiteral("echo now it works")}})
                     .status,
                 200);
        const auto again = jobs::start(*m_http, id);
        QVERIFY2(again.status == 200, again.body.constData());
        QCOMPARE(again.object().value(QStringLiteral("attempt")).toInt(), 2);
        const QString secondId = again.object().value(QStringLiteral("container_id")).toString();
        QVERIFY(secondId != slurmId);
        QCOMPARE(slurmField(secondId, QStringLiteral("JobName")),
                 QStringLiteral("gpudeck-%1-%2-2").arg(m_tc->core().database().instanceId()).arg(id));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 20000);
        QCOMPARE(jobs::logLines(*m_http, id), QStringList{QStringLiteral("now it works")});
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=1").arg(id))
                     .object()
                     .value(QStringLiteral("lines"))
                     .toArray(),
                 QJsonArray{QStringLiteral("about to fail")});
    }

    void waitsInTheQueueAndIsCancelledThere()
    {
        // A drained node runs nothing new: the job waits in the queue, and GPU Deck shows it pending.
        QVERIFY(m_slurm.setNodeDrained(true));
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo should not run"));
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        const QString slurmId = r.object().value(QStringLiteral("container_id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(squeue(slurmId), QStringLiteral("PENDING"), 5000);
        QTest::qWait(600); // several polls: still pending, still no start time
        const QJsonObject queued = jobs::job(*m_http, id);
        QCOMPARE(queued.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QVERIFY(queued.value(QStringLiteral("started_at")).isNull());
        // Pending, but submitted: a second start would run it twice.
        const auto again = jobs::start(*m_http, id);
        QCOMPARE(again.status, 409);
        QVERIFY2(again.body.contains(slurmId.toUtf8()), again.body.constData());
        QCOMPARE(
            m_slurm.run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%i")})
                .out.trimmed(),
            slurmId);

        const auto c = m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {});
        QVERIFY2(c.status == 200, c.body.constData());
        QCOMPARE(c.object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(squeue(slurmId), QString(), 10000);
        QCOMPARE(slurmField(slurmId, QStringLiteral("JobState")), QStringLiteral("CANCELLED"));
        QVERIFY(m_slurm.setNodeDrained(false));
        QTest::qWait(600);
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("cancelled"));
        QVERIFY(jobs::logLines(*m_http, id).isEmpty());
    }

    void logsFollowAsServerSentEvents()
    {
        const int id =
            jobs::createJob(*m_http, m_project, QStringLiteral("for i in 1 2 3 4; do echo step $i; sleep 0.4; done"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const jobs::FollowedLog followed = jobs::followLog(m_tc->port(), m_tc->token(), id, "data: step 1", 25000);
        const QByteArray &received = followed.received;
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.left(200).constData());
        QVERIFY(received.contains("text/event-stream"));
        for (int i = 1; i <= 4; ++i) {
            QVERIFY2(received.contains("data: step " + QByteArray::number(i)), received.constData());
        }
        // The stream ends by itself once the job has ended.
        QVERIFY(received.contains("event: end"));
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("completed"));
        // Lines arrive as they are printed, not when the job is over.
        QVERIFY(followed.markerAtMs >= 0 && followed.markerAtMs < followed.elapsedMs - 500);
    }

    void cancelStopsTheSlurmJob()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo started; sleep 300; echo never"));
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        const QString slurmId = r.object().value(QStringLiteral("container_id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("running"), 15000);
        QVERIFY(!jobs::job(*m_http, id).value(QStringLiteral("started_at")).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(jobs::logLines(*m_http, id).contains(QStringLiteral("started")), 10000);
        QCOMPARE(squeue(slurmId), QStringLiteral("RUNNING"));

        const auto c =
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 1}});
        QVERIFY2(c.status == 200, c.body.constData());
        QCOMPARE(c.object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(!c.object().value(QStringLiteral("completed_at")).isNull());
        // Slurm has really stopped it: squeue lists it no more (not even COMPLETING), scontrol says CANCELLED.
        QTRY_COMPARE_WITH_TIMEOUT(squeue(slurmId), QString(), 15000);
        QCOMPARE(slurmField(slurmId, QStringLiteral("JobState")), QStringLiteral("CANCELLED"));
        QTest::qWait(600); // a few more polls change nothing
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("cancelled"));
        QVERIFY(!jobs::logLines(*m_http, id).contains(QStringLiteral("never")));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {}).status, 409);
    }

    void cancelledOutsideGpuDeck()
    {
        // An administrator's scancel (or the time limit) ends the job in Slurm, leaving no exit code file.
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("sleep 300"));
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        const QString slurmId = r.object().value(QStringLiteral("container_id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("running"), 15000);
        QCOMPARE(m_slurm.run(QStringLiteral("scancel"), {slurmId}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("cancelled"), 15000);
        const QJsonObject j = jobs::job(*m_http, id);
        QVERIFY2(j.value(QStringLiteral("status_reason")).toString().contains(QStringLiteral("CANCELLED")),
                 qPrintable(j.value(QStringLiteral("status_reason")).toString()));
        QVERIFY(j.value(QStringLiteral("exit_code")).isNull()); // killed by a signal: no code to report
        QVERIFY(!j.value(QStringLiteral("completed_at")).isNull());
    }

    void gpuRequestOnANodeWithoutGpus()
    {
        // The node has no GPUs (no gres configured): sbatch refuses the request at once, and GPU Deck reports
        // sbatch's own message. The job stays pending, so it can be fixed (config) and started again.
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("nvidia-smi"),
                                       {{QStringLiteral("config"), QJsonObject{{QStringLiteral("gpus"), 1}}}});
        const auto r = jobs::start(*m_http, id);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("start_failed"));
        const QString message =
            r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("sbatch: error")) && message.contains(QStringLiteral("gres")),
                 qPrintable(message));
        const QJsonObject j = jobs::job(*m_http, id);
        QCOMPARE(j.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QVERIFY(j.value(QStringLiteral("container_id")).isNull());
        QVERIFY(j.value(QStringLiteral("backend")).isNull());
        QTest::qWait(500); // the supervisor does not pick it up
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("pending"));
        QCOMPARE(m_slurm
                     .run(QStringLiteral("squeue"),
                          {QStringLiteral("-h"), QStringLiteral("-n"),
                           QStringLiteral("gpudeck-%1-%2-1").arg(m_tc->core().database().instanceId()).arg(id)})
                     .out.trimmed(),
                 QString());

        // Without the GPU request the same job is accepted.
        QCOMPARE(
            m_http
                ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                      {{QStringLiteral("config"), QJsonObject{}}, {QStringLiteral("command"), QStringLiteral("true")}})
                .status,
            200);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 20000);

        // A partition the cluster does not have is refused the same way.
        const int other = jobs::createJob(
            *m_http, m_project, QStringLiteral("true"),
            {{QStringLiteral("config"), QJsonObject{{QStringLiteral("partition"), QStringLiteral("nosuch")}}}});
        const auto p = jobs::start(*m_http, other);
        QCOMPARE(p.status, 502);
        QVERIFY2(p.body.contains("partition"), p.body.constData());
    }

    void gpuDeckRestartedWhileASlurmJobRuns()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("sleep 2; echo finished while away; exit 4"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const QString dataDir = m_tc->dataDir();
        m_http.reset();
        QTemporaryDir keep;
        QVERIFY(QProcess::execute(QStringLiteral("cp"),
                                  {QStringLiteral("-a"), dataDir + QStringLiteral("/."), keep.path()}) == 0);
        m_tc.reset();
        QTest::qWait(3500);

        Core again{AppPaths(keep.path())};
        QVERIFY(again.open().ok());
        again.jobRunner().setPollIntervalMs(200);
        auto port = again.startApi(0);
        QVERIFY(port.ok());
        again.startJobSupervision(); // connects the login node and reconciles the job with Slurm
        HttpClient http(port.value(), again.token().value());
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(http, id), QStringLiteral("failed"), 20000);
        QCOMPARE(jobs::job(http, id).value(QStringLiteral("exit_code")).toInt(-1), 4);
        QVERIFY(jobs::logLines(http, id).contains(QStringLiteral("finished while away")));
    }
};

QTEST_GUILESS_MAIN(TestJobsSlurm)
#include "tst_jobs_slurm.moc"
