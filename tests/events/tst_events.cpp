// GET /api/events, the waits on jobs and swaps, and the end event of a followed log: the real API over real sockets,
// jobs in tmux on a real sshd, swaps against the fake OpenAI server (tests/fake/fake_openai_server.py).
#include "HttpClient.h"
#include "JobsApi.h"
#include "Ports.h"
#include "SseClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "events/EventHub.h"
#include "jobs/JobSupervisor.h"
#include "metrics/MetricsService.h"
#include "models/ModelService.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTest>
#include <chrono>
#include <csignal>
#include <sys/resource.h>
#include <thread>

using namespace gpudeck;
using test::freePort;
using test::HttpClient;
using test::HttpReply;
using test::portOpen;
using test::SseClient;
using test::SseEvent;
namespace jobs = test::jobs;

namespace {

// CPU time (user + system) this process has used so far, in milliseconds.
double processCpuMs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
}

QStringList typesOf(const QList<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events) {
        out << QString::fromUtf8(e.event);
    }
    return out;
}

QList<quint64> idsOf(const QList<SseEvent> &events)
{
    QList<quint64> out;
    for (const SseEvent &e : events) {
        out << e.number();
    }
    return out;
}

bool strictlyIncreasing(const QList<quint64> &ids)
{
    for (qsizetype i = 1; i < ids.size(); ++i) {
        if (ids[i] <= ids[i - 1]) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestEvents : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    QString m_fakeDir;
    quint16 m_modelPort = 0;

    quint16 port() const { return m_tc->port(); }
    QByteArray token() const { return m_tc->token(); }
    std::unique_ptr<SseClient> events(const QByteArray &query = {}, const QByteArray &lastId = {})
    {
        return std::make_unique<SseClient>(port(), token(), "/api/events" + query, lastId);
    }

    // A tracked job (nothing runs it: its status changes only through the API) on a host that is not connected.
    int trackedJob()
    {
        if (m_http->get(QStringLiteral("/api/dgx/connections/idle-box")).status == 404) {
            const auto c = m_http->post(QStringLiteral("/api/dgx/connections"),
                                        {{QStringLiteral("name"), QStringLiteral("idle-box")},
                                         {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                                         {QStringLiteral("port"), 9},
                                         {QStringLiteral("username"), QStringLiteral("nobody")}});
            if (c.status != 201) {
                qWarning() << c.body;
                return -1;
            }
        }
        const auto p = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), QStringLiteral("idle-box")},
                                     {QStringLiteral("name"), QStringLiteral("tracked")}});
        const auto j = m_http->post(QStringLiteral("/api/dgx/jobs"),
                                    {{QStringLiteral("project_id"), p.object().value(QStringLiteral("id")).toInt()},
                                     {QStringLiteral("name"), QStringLiteral("tracked")}});
        if (p.status != 201 || j.status != 201) {
            qWarning() << p.body << j.body;
            return -1;
        }
        return j.object().value(QStringLiteral("id")).toInt();
    }

    void setStatus(int job, const QString &status)
    {
        const auto r = m_http->put(QStringLiteral("/api/dgx/jobs/%1").arg(job), {{QStringLiteral("status"), status}});
        QVERIFY2(r.status == 200, r.body.constData());
    }

    // The loopback sshd as host "box" with a tmux project, and a catalog serving the fake OpenAI server there.
    int setUpHost()
    {
        if (!m_sshd.isRunning()) {
            return -1;
        }
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        SwapTimings fast;
        fast.commandTimeoutMs = 20000;
        fast.portFreeTimeoutMs = 10000;
        fast.probeTimeoutMs = 2000;
        fast.backoffInitialMs = 100;
        fast.backoffMaxMs = 400;
        m_tc->core().models().setSwapTimings(fast);
        const int project = jobs::setUpHost(*m_http, m_sshd, QStringLiteral("box"), QStringLiteral("tmux"));
        const QString fake = m_fakeDir + QStringLiteral("/fake_openai_server.py");
        const QString launch =
            QStringLiteral("nohup /usr/bin/python3 %1 --port ${PORT} --model ${MODEL} --max-lifetime 120 %2 "
                           "< /dev/null > %3/${PORT}.log 2>&1 & echo $! > %3/${PORT}.pid");
        const QString yaml =
            QStringLiteral(
                "poll_interval: 1\n"
                "defaults:\n"
                "  port: %1\n"
                "  readiness_timeout: 10\n"
                "  stop: 'if [ -f %2/${PORT}.pid ]; then kill $(cat %2/${PORT}.pid); rm -f %2/${PORT}.pid; fi'\n"
                "hosts:\n"
                "  box:\n"
                "    models:\n"
                "      - id: example/model-a\n"
                "        start: '%3'\n"
                "      - id: example/slow\n"
                "        start: '%4'\n")
                .arg(m_modelPort)
                .arg(m_fakeDir, launch.arg(fake, QStringLiteral("--ready-after 0.3"), m_fakeDir),
                     launch.arg(fake, QStringLiteral("--ready-after 30"), m_fakeDir));
        QFile f(m_tc->dataDir() + QStringLiteral("/models.yaml"));
        if (!f.open(QIODevice::WriteOnly)) {
            return -1;
        }
        f.write(yaml.toUtf8());
        f.close();
        if (!QTest::qWaitFor([&] { return m_tc->core().models().catalog().modelIds().size() == 2; }, 10000)) {
            qWarning() << "catalog not loaded" << m_tc->core().models().catalogErrors().size();
            return -1;
        }
        return project;
    }

    void killFake()
    {
        QFile pidFile(m_fakeDir + QStringLiteral("/%1.pid").arg(m_modelPort));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const qint64 pid = pidFile.readAll().trimmed().toLongLong();
            if (pid > 1) {
                ::kill(pid_t(pid), SIGTERM);
            }
            pidFile.remove();
        }
        QTRY_VERIFY_WITH_TIMEOUT(!portOpen(m_modelPort), 5000);
    }

    QString startSwap(const QString &model)
    {
        const auto r =
            m_http->post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("box")},
                                                                  {QStringLiteral("model"), model},
                                                                  {QStringLiteral("confirm"), true}});
        if (r.status != 202) {
            qWarning() << r.body;
            return {};
        }
        return r.object().value(QStringLiteral("id")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (m_sshd.available() && m_sshd.start(&error)) {
            m_fakeDir = m_sshd.tempDir() + QStringLiteral("/fake-openai");
            QVERIFY(QDir().mkpath(m_fakeDir));
            QVERIFY(QFile::setPermissions(m_fakeDir, QFileDevice::Permissions(0x7777)));
            const QString fake = m_fakeDir + QStringLiteral("/fake_openai_server.py");
            QVERIFY(QFile::copy(QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), fake));
            QVERIFY(QFile::setPermissions(fake, QFileDevice::Permissions(0x7555)));
            m_modelPort = freePort();
        } else {
            qWarning() << "no sshd: the tests that run jobs and swaps are skipped:" << m_sshd.unavailableReason()
                       << error;
        }
    }

    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        // The catalog's first load announces itself (catalog.reloaded) through the main thread: let it pass before a
        // test counts events.
        QTRY_COMPARE(m_tc->core().eventHub().publishedCount(), quint64(1));
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
        if (m_modelPort) {
            killFake();
        }
    }

    void topicsFilter()
    {
        const int job = trackedJob();
        QVERIFY(job > 0);
        auto all = events();
        auto jobsOnly = events("?topics=job");
        auto metricsOnly = events("?topics=metrics");
        auto raisedOnly = events("?topics=alert.raised");
        auto everything = events("?topics=all");
        QTRY_VERIFY(all->started() && jobsOnly->started() && metricsOnly->started() && raisedOnly->started() &&
                    everything->started());
        QCOMPARE(all->status(), 200);
        QVERIFY(all->head().toLower().contains("content-type: text/event-stream"));

        setStatus(job, QStringLiteral("running"));
        HostMetrics host;
        host.connectionId = 7;
        host.name = QStringLiteral("sample-host");
        host.state = QStringLiteral("ok");
        Q_EMIT m_tc->core().metrics().hostUpdated(host);
        Alert alert;
        alert.kind = QStringLiteral("gpu_temperature");
        alert.severity = QStringLiteral("warning");
        alert.message = QStringLiteral("hot");
        alert.startedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT m_tc->core().metrics().alertChanged(alert, true);
        alert.endedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT m_tc->core().metrics().alertChanged(alert, false);
        setStatus(job, QStringLiteral("completed")); // the last of them: everyone has all before it

        QTRY_COMPARE(everything->events().size(), 5);
        QTRY_COMPARE(all->events().size(), 4);
        QCOMPARE(typesOf(all->events()), (QStringList{QStringLiteral("job.status"), QStringLiteral("alert.raised"),
                                                      QStringLiteral("alert.cleared"), QStringLiteral("job.status")}));
        QCOMPARE(
            typesOf(everything->events()),
            (QStringList{QStringLiteral("job.status"), QStringLiteral("metrics.sample"), QStringLiteral("alert.raised"),
                         QStringLiteral("alert.cleared"), QStringLiteral("job.status")}));
        QTRY_COMPARE(jobsOnly->events().size(), 2);
        QCOMPARE(typesOf(jobsOnly->events()),
                 (QStringList{QStringLiteral("job.status"), QStringLiteral("job.status")}));
        QTRY_COMPARE(metricsOnly->events().size(), 1);
        QCOMPARE(metricsOnly->events().at(0).event, QByteArray("metrics.sample"));
        QCOMPARE(metricsOnly->events().at(0).payload().value(QStringLiteral("name")).toString(),
                 QStringLiteral("sample-host"));
        QTRY_COMPARE(raisedOnly->events().size(), 1);
        QCOMPARE(raisedOnly->events().at(0).event, QByteArray("alert.raised"));
        QVERIFY(strictlyIncreasing(idsOf(everything->events())));

        // What a job.status event says, and the envelope every event has.
        const SseEvent done = all->events().constLast();
        const QJsonObject envelope = done.json();
        QCOMPARE(quint64(envelope.value(QStringLiteral("id")).toDouble()), done.number());
        QCOMPARE(envelope.value(QStringLiteral("type")).toString(), QStringLiteral("job.status"));
        QVERIFY(QDateTime::fromString(envelope.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).isValid());
        const QJsonObject data = done.payload();
        QCOMPARE(data.value(QStringLiteral("job_id")).toInt(), job);
        QCOMPARE(data.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(data.value(QStringLiteral("previous_status")).toString(), QStringLiteral("running"));
        QVERIFY(data.contains(QStringLiteral("exit_code")));
        QVERIFY(!data.contains(QStringLiteral("command")) && !data.contains(QStringLiteral("env")));

        // A topic that does not exist, and a query parameter the route does not take.
        auto bad = events("?topics=jobs");
        QTRY_VERIFY(bad->answered());
        QCOMPARE(bad->status(), 400);
        QVERIFY2(bad->body().contains("validation_failed") && bad->body().contains("connection"), bad->body());
        auto unknown = events("?since=3");
        QTRY_VERIFY(unknown->answered());
        QCOMPARE(unknown->status(), 400);
        auto badId = events({}, "yesterday");
        QTRY_VERIFY(badId->answered());
        QCOMPARE(badId->status(), 400);
    }

    void reconnectResumesWithoutLossOrDuplicates()
    {
        const int job = trackedJob();
        QVERIFY(job > 0);
        auto control = events("?topics=job");
        auto first = events("?topics=job");
        QTRY_VERIFY(control->started() && first->started());
        // Every change is a status change (one event each): running, failed, pending, running, ...
        const QStringList cycle{QStringLiteral("running"), QStringLiteral("failed"), QStringLiteral("pending")};
        int changes = 0;
        auto change = [&] { setStatus(job, cycle.at(changes++ % 3)); };
        for (int i = 0; i < 3; ++i) {
            change();
        }
        QTRY_COMPARE(first->events().size(), 3);
        const QByteArray seen = first->lastId();
        first->close();
        for (int i = 0; i < 4; ++i) { // missed while away
            change();
        }
        QTRY_COMPARE(control->events().size(), 7);
        auto again = events("?topics=job", seen);
        QTRY_VERIFY(again->started());
        for (int i = 0; i < 2; ++i) { // live again
            change();
        }
        QTRY_COMPARE(control->events().size(), 9);
        QTRY_COMPARE(again->events().size(), 6);
        QCOMPARE(idsOf(again->events()), idsOf(control->events()).mid(3));
        QVERIFY(strictlyIncreasing(idsOf(control->events())));
        for (qsizetype i = 0; i < 6; ++i) {
            QCOMPARE(again->events().at(i).data, control->events().at(i + 3).data);
        }

        // The same through the query parameter (for a client that cannot set the header).
        auto byQuery = events("?topics=job&last_event_id=" + seen);
        QTRY_COMPARE(byQuery->events().size(), 6);
        QCOMPARE(idsOf(byQuery->events()), idsOf(control->events()).mid(3));
    }

    void lostIdsGetReset()
    {
        EventHub &hub = m_tc->core().eventHub();
        // An id of an earlier run (or any id older than the ring): reset first, then live events.
        auto stale = events({}, "1");
        QTRY_COMPARE(stale->events().size(), 1);
        QCOMPARE(stale->events().at(0).event, QByteArray("reset"));
        QCOMPARE(stale->events().at(0).payload().value(QStringLiteral("last_event_id")).toInt(), 1);
        hub.publish(QStringLiteral("catalog.reloaded"), {{QStringLiteral("ok"), true}});
        QTRY_COMPARE(stale->events().size(), 2);
        QCOMPARE(stale->events().at(1).event, QByteArray("catalog.reloaded"));
        QVERIFY(stale->events().at(1).number() > stale->events().at(0).number());

        // More than the ring holds since the client's id: reset. Within the ring: exactly what it missed.
        const quint64 before = hub.lastId();
        for (int i = 0; i < EventHub::kRingSize + 1; ++i) {
            hub.publish(QStringLiteral("job.status"), {{QStringLiteral("job_id"), i}});
        }
        auto tooLate = events({}, QByteArray::number(before));
        auto inTime = events({}, QByteArray::number(hub.lastId() - 5));
        QTRY_VERIFY(!tooLate->events().isEmpty());
        QCOMPARE(tooLate->events().at(0).event, QByteArray("reset"));
        QTRY_COMPARE(inTime->events().size(), 5);
        QCOMPARE(inTime->events().at(4).number(), hub.lastId());
        QCOMPARE(inTime->events().at(0).payload().value(QStringLiteral("job_id")).toInt(), EventHub::kRingSize - 4);

        // Metrics samples have their own share of the ring: many of them never push the other events out.
        const quint64 beforeMetrics = hub.lastId();
        hub.publish(QStringLiteral("alert.raised"), {{QStringLiteral("kind"), QStringLiteral("gpu_temperature")}});
        for (int i = 0; i < EventHub::kMetricsRingSize + 10; ++i) {
            hub.publish(QStringLiteral("metrics.sample"), {{QStringLiteral("connection_id"), i}});
        }
        auto important = events({}, QByteArray::number(beforeMetrics));
        auto metrics = events("?topics=metrics", QByteArray::number(beforeMetrics));
        QTRY_COMPARE(important->events().size(), 1);
        QCOMPARE(important->events().at(0).event, QByteArray("alert.raised"));
        QTRY_COMPARE(metrics->events().size(), 1);
        QCOMPARE(metrics->events().at(0).event, QByteArray("reset"));
    }

    void hundredIdleClientsCostNoCpu()
    {
        std::vector<std::unique_ptr<SseClient>> clients;
        for (int i = 0; i < 100; ++i) {
            clients.push_back(events());
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->started(); }), 20000);
        QCOMPARE(clients.front()->status(), 200);
        // A window in which nothing happens: the test's thread sleeps (its 100 sockets are idle), the API thread has
        // 100 open streams and nothing to send. Whatever CPU the process uses now is the cost of idle clients.
        const double cpuBefore = processCpuMs();
        QElapsedTimer window;
        window.start();
        std::this_thread::sleep_for(std::chrono::seconds(3));
        const double cpuUsed = processCpuMs() - cpuBefore;
        const double share = cpuUsed / double(window.elapsed());
        qInfo().noquote() << QStringLiteral("100 idle event clients: %1 ms of CPU in %2 ms (%3 % of a core)")
                                 .arg(cpuUsed, 0, 'f', 1)
                                 .arg(window.elapsed())
                                 .arg(share * 100, 0, 'f', 2);
        QVERIFY2(share < 0.01, qPrintable(QStringLiteral("%1 ms of CPU").arg(cpuUsed)));
        // They were all there all along: one event reaches every one of them.
        m_tc->core().eventHub().publish(QStringLiteral("catalog.reloaded"), {{QStringLiteral("ok"), true}});
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->events().size() == 1; }), 20000);
    }

    void jobStartEndAndSwapInOrder()
    {
        auto stream = events();
        QTRY_VERIFY(stream->started());
        const int project = setUpHost();
        if (project < 0) {
            QSKIP("no sshd");
        }
        const int id = jobs::createJob(*m_http, project, QStringLiteral("sleep 0.3; exit 0"));
        QVERIFY(id > 0);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        auto jobEvents = [&] {
            QList<SseEvent> out;
            for (const SseEvent &e : stream->ofType("job.status")) {
                if (e.payload().value(QStringLiteral("job_id")).toInt() == id) {
                    out << e;
                }
            }
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(jobEvents().size(), 3, 15000); // created pending, running, completed
        const QList<SseEvent> j = jobEvents();
        QCOMPARE(j.at(0).payload().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(j.at(1).payload().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QCOMPARE(j.at(1).payload().value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(j.at(2).payload().value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(j.at(2).payload().value(QStringLiteral("exit_code")).toInt(-1), 0);
        QCOMPARE(j.at(2).payload().value(QStringLiteral("previous_status")).toString(), QStringLiteral("running"));

        const QString swap = startSwap(QStringLiteral("example/model-a"));
        QVERIFY(!swap.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(stream->ofType("swap.finished").size(), 1, 30000);
        const SseEvent finished = stream->ofType("swap.finished").at(0);
        QCOMPARE(finished.payload().value(QStringLiteral("id")).toString(), swap);
        QCOMPARE(finished.payload().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QList<SseEvent> progress = stream->ofType("swap.progress");
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.at(0).payload().value(QStringLiteral("id")).toString(), swap);

        // In order: the connection came up, the job ran and ended, then the swap progressed and finished.
        const QList<SseEvent> all = stream->events();
        QVERIFY(strictlyIncreasing(idsOf(all)));
        auto indexOf = [&](const SseEvent &e) { return idsOf(all).indexOf(e.number()); };
        qsizetype connected = -1;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all[i].event == "connection.state" &&
                all[i].payload().value(QStringLiteral("state")).toString() == QStringLiteral("connected")) {
                connected = i;
                break;
            }
        }
        QVERIFY2(connected >= 0, qPrintable(typesOf(all).join(QLatin1Char(' '))));
        QCOMPARE(all[connected].payload().value(QStringLiteral("name")).toString(), QStringLiteral("box"));
        QVERIFY(connected < indexOf(j.at(1)));
        QVERIFY(indexOf(j.at(1)) < indexOf(j.at(2)));
        QVERIFY(indexOf(j.at(2)) < indexOf(progress.at(0)));
        QVERIFY(indexOf(progress.constLast()) < indexOf(finished));
        // The job's end is an alert too.
        bool jobAlert = false;
        for (const SseEvent &e : stream->ofType("alert.raised")) {
            jobAlert = jobAlert || e.payload().value(QStringLiteral("kind")).toString() == QStringLiteral("job_ended");
        }
        QVERIFY(jobAlert);
    }

    void jobWaitReturnsOnCompletion()
    {
        const int project = setUpHost();
        if (project < 0) {
            QSKIP("no sshd");
        }
        const int id = jobs::createJob(*m_http, project, QStringLiteral("sleep 1; exit 3"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        SseClient wait(port(), token(), "/api/dgx/jobs/" + QByteArray::number(id) + "?wait=60");
        QTRY_VERIFY_WITH_TIMEOUT(wait.answered(), 30000);
        QCOMPARE(wait.status(), 200);
        QCOMPARE(wait.object().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(wait.object().value(QStringLiteral("exit_code")).toInt(), 3);
        QVERIFY2(wait.answeredAtMs() < 15000, qPrintable(QString::number(wait.answeredAtMs())));
    }

    void jobWaitEndsOnAnyFinalChange()
    {
        const int job = trackedJob();
        QVERIFY(job > 0);
        setStatus(job, QStringLiteral("running"));
        SseClient wait(port(), token(), "/api/dgx/jobs/" + QByteArray::number(job) + "?wait=600");
        // Only once the route is waiting (a request with nothing to answer yet) is the job changed.
        QTRY_VERIFY(m_tc->core().eventHub().subscriberCount() >= 1);
        QVERIFY(!wait.answered());
        setStatus(job, QStringLiteral("completed"));
        QTRY_VERIFY_WITH_TIMEOUT(wait.answered(), 5000);
        QCOMPARE(wait.status(), 200);
        QCOMPARE(wait.object().value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY2(wait.answeredAtMs() < 5000, qPrintable(QString::number(wait.answeredAtMs())));
        QTRY_COMPARE(m_tc->core().eventHub().subscriberCount(), 0); // the wait let go of the hub
    }

    void jobWaitTimesOut()
    {
        const int job = trackedJob();
        QVERIFY(job > 0);
        SseClient wait(port(), token(), "/api/dgx/jobs/" + QByteArray::number(job) + "?wait=0.5");
        QTRY_VERIFY_WITH_TIMEOUT(wait.answered(), 10000);
        QCOMPARE(wait.status(), 200);
        QCOMPARE(wait.object().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QVERIFY2(wait.answeredAtMs() >= 450 && wait.answeredAtMs() < 5000,
                 qPrintable(QString::number(wait.answeredAtMs())));

        // Already final: at once, whatever the wait.
        setStatus(job, QStringLiteral("cancelled"));
        QElapsedTimer t;
        t.start();
        const auto r = m_http->get(QStringLiteral("/api/dgx/jobs/%1?wait=600").arg(job));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(t.elapsed() < 5000);

        for (const QString &bad : {QStringLiteral("601"), QStringLiteral("-1"), QStringLiteral("soon")}) {
            const auto refused = m_http->get(QStringLiteral("/api/dgx/jobs/%1?wait=%2").arg(job).arg(bad));
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), QStringLiteral("validation_failed"));
        }
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/99999?wait=1")).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/models/swap/swap-99999?wait=1")).status, 404);
    }

    void swapWait()
    {
        if (setUpHost() < 0) {
            QSKIP("no sshd");
        }
        const QString swap = startSwap(QStringLiteral("example/model-a"));
        QVERIFY(!swap.isEmpty());
        SseClient wait(port(), token(), "/api/dgx/models/swap/" + swap.toUtf8() + "?wait=120");
        QTRY_VERIFY_WITH_TIMEOUT(wait.answered(), 60000);
        QCOMPARE(wait.status(), 200);
        QCOMPARE(wait.object().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(wait.object().value(QStringLiteral("finished")).toBool());
        QVERIFY2(wait.answeredAtMs() < 30000, qPrintable(QString::number(wait.answeredAtMs())));

        // A swap that takes longer than the wait: the answer comes at the end of the wait, not finished.
        const QString slow = startSwap(QStringLiteral("example/slow"));
        QVERIFY(!slow.isEmpty());
        SseClient shortWait(port(), token(), "/api/dgx/models/swap/" + slow.toUtf8() + "?wait=0.5");
        QTRY_VERIFY_WITH_TIMEOUT(shortWait.answered(), 10000);
        QCOMPARE(shortWait.object().value(QStringLiteral("finished")).toBool(), false);
        QVERIFY2(shortWait.answeredAtMs() >= 450 && shortWait.answeredAtMs() < 5000,
                 qPrintable(QString::number(shortWait.answeredAtMs())));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/models/swap/%1/cancel").arg(slow), {}).status, 202);
        // (Not with the blocking client: swap events reach the hub through this, the main, thread.)
        SseClient untilCancelled(port(), token(), "/api/dgx/models/swap/" + slow.toUtf8() + "?wait=60");
        QTRY_VERIFY_WITH_TIMEOUT(untilCancelled.answered(), 30000);
        QCOMPARE(untilCancelled.object().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
    }

    void logFollowEndsWithStatusAndExitCode()
    {
        const int project = setUpHost();
        if (project < 0) {
            QSKIP("no sshd");
        }
        const int id = jobs::createJob(*m_http, project, QStringLiteral("echo hello-from-job; sleep 0.5; exit 4"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        SseClient follow(port(), token(), "/api/dgx/jobs/" + QByteArray::number(id) + "/logs?follow=true");
        QTRY_VERIFY_WITH_TIMEOUT(!follow.ofType("end").isEmpty(), 20000);
        const QJsonObject end = QJsonDocument::fromJson(follow.ofType("end").at(0).data).object();
        QCOMPARE(end.value(QStringLiteral("job_id")).toInt(), id);
        QCOMPARE(end.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(end.value(QStringLiteral("exit_code")).toInt(), 4);
        QCOMPARE(end.value(QStringLiteral("attempt")).toInt(), 1);
        QVERIFY(follow.body().contains("hello-from-job"));
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
