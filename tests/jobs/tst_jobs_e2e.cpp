// Jobs launched on a host: a real OpenSSH sshd on loopback, a real tmux, the real API over a real socket.
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobSupervisor.h"
#include "ssh/SshPool.h"

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
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo hello\necho 'GPUDECK_METRICS {\"epoch\": 1, \"loss\": 0.5}'\n"
                                                          "sleep 0.5\necho 'GPUDECK_METRICS {\"epoch\": 2, \"loss\": 0.41}'\n"
                                                          "echo 'GPUDECK_METRICS not json'\necho bye >&2"));
        QVERIFY(id > 0);
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY(!r.object().value(QStringLiteral("started_at")).isNull());
        QCOMPARE(r.object().value(QStringLiteral("container_id")).toString(), QStringLiteral("gpudeck-job-%1").arg(id));
        QCOMPARE(r.object().value(QStringLiteral("backend")).toString(), QStringLiteral("tmux"));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        const QJsonObject done = jobs::job(*m_http, id);
        QCOMPARE(done.value(QStringLiteral("exit_code")).toInt(-1), 0);
        QVERIFY(!done.value(QStringLiteral("completed_at")).isNull());
        QCOMPARE(done.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("epoch")).toInt(), 2);
        QCOMPARE(done.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("loss")).toDouble(), 0.41);
        const QJsonArray series =
            m_http->get(QStringLiteral("/api/dgx/jobs/%1/metrics").arg(id)).object().value(QStringLiteral("series")).toArray();
        QCOMPARE(series.size(), 2);
        QCOMPARE(series.at(0).toObject().value(QStringLiteral("values")).toObject().value(QStringLiteral("loss")).toDouble(), 0.5);
        const QStringList lines = jobs::logLines(*m_http, id);
        QVERIFY2(lines.contains(QStringLiteral("hello")), qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.contains(QStringLiteral("bye"))); // stderr goes to the log too
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs?tail=1").arg(id)).object().value(QStringLiteral("lines")).toArray().size(), 1);
        // Started once only.
        QCOMPARE(jobs::start(*m_http, id).status, 409);
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
        const auto c = m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 1}});
        QVERIFY2(c.status == 200, c.body.constData());
        QCOMPARE(c.object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(!c.object().value(QStringLiteral("completed_at")).isNull());
        // The interrupt is ignored by this job, so the session is killed after the grace period.
        const auto alive = [&] {
            return m_http->post(QStringLiteral("/api/dgx/exec/box"),
                                {{QStringLiteral("command"), QStringLiteral("tmux has-session -t gpudeck-job-%1").arg(id)}})
                .object()
                .value(QStringLiteral("exit_code"))
                .toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(alive() != 0, 10000);
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("cancelled"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {}).status, 409);
    }

    void quotingSurvivesAnyCommandText()
    {
        const QString command = QStringLiteral("printf '%s\\n' \"it's\" 'a \"double\" quote' 'back\\slash' '$HOME stays literal' \"tab\there\"\n"
                                               "echo \"line two: $((6 * 7))\"\necho 'unicode: é ✓'");
        const int id = jobs::createJob(*m_http, m_project, command);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        const QStringList lines = jobs::logLines(*m_http, id);
        const QStringList expected = {QStringLiteral("it's"), QStringLiteral("a \"double\" quote"), QStringLiteral("back\\slash"),
                                      QStringLiteral("$HOME stays literal"), QStringLiteral("tab\there"),
                                      QStringLiteral("line two: 42"), QStringLiteral("unicode: é ✓")};
        QCOMPARE(lines, expected);
    }

    void environmentAndWorkingDirectory()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("echo \"$GREETING\"; pwd"),
                                 {{QStringLiteral("env"), QJsonObject{{QStringLiteral("GREETING"), QStringLiteral("hi 'there' $x")}}},
                                  {QStringLiteral("working_dir"), QStringLiteral("/tmp")}});
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::logLines(*m_http, id), (QStringList{QStringLiteral("hi 'there' $x"), QStringLiteral("/tmp")}));
        const int bad = jobs::createJob(*m_http, m_project, QStringLiteral("true"), {{QStringLiteral("working_dir"), QStringLiteral("/no/such/dir")}});
        QCOMPARE(jobs::start(*m_http, bad).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, bad), QStringLiteral("failed"), 15000);
        QCOMPARE(jobs::createJob(*m_http, m_project, QStringLiteral("true"), {{QStringLiteral("env"), QJsonObject{{QStringLiteral("1BAD"), QStringLiteral("x")}}}}), -1);
    }

    void startNeedsACommand()
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), m_project},
                                                                      {QStringLiteral("name"), QStringLiteral("tracked")}});
        const int id = r.object().value(QStringLiteral("id")).toInt();
        QCOMPARE(jobs::start(*m_http, id).status, 400);
        QCOMPARE(jobs::start(*m_http, 424242).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1/logs").arg(id)).status, 409);
    }

    void logsFollowAsServerSentEvents()
    {
        const int id = jobs::createJob(*m_http, m_project, QStringLiteral("for i in 1 2 3 4; do echo step $i; sleep 0.4; done"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        const jobs::FollowedLog followed = jobs::followLog(m_tc->port(), m_tc->token(), id, "data: step 1", 20000);
        const QByteArray &received = followed.received;
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.left(200).constData());
        QVERIFY(received.contains("text/event-stream"));
        for (int i = 1; i <= 4; ++i) {
            QVERIFY2(received.contains("data: step " + QByteArray::number(i)), received.constData());
        }
        QVERIFY(received.contains("event: end"));
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
        QVERIFY(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), dataDir + QStringLiteral("/."), keep.path()}) == 0);
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
