// The API on several threads, hammered by 8 client threads with reads and writes on every kind of route
// (connections, projects, jobs CRUD, alerts, audit, settings) while the window is open:
// - no request fails;
// - no update is lost: each client thread owns one field of a shared job and writes it again and again, concurrently
//   with the others' read-modify-write PUTs of their fields; at the end each field holds its thread's last value;
// - change events arrive in commit order: every job.status event (from the EventHub and through GET /api/events)
//   has the previous event's status of that job as its previous_status, ids only grow, and the last event of each
//   job says the status the database has;
// - the window's lists (connections, projects, jobs) match the database at the end.
//
// GPUDECK_CONCURRENCY_SECONDS sets how long the clients hammer (CTest: 5 s; the figure reported in
// tests/bench/README.md is a 30 s run).
#include "HttpClient.h"
#include "MainWindow.h"
#include "RecordTable.h"
#include "SseClient.h"
#include "TestCore.h"
#include "connections/ConnectionsPane.h"
#include "events/EventHub.h"
#include "jobs/JobsPane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMutex>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

using namespace gpudeck;
using gpudeck::test::HttpClient;
using gpudeck::test::HttpReply;
using gpudeck::test::SseClient;
using gpudeck::test::TestCore;

namespace {

constexpr int kClients = 8;

// The job field client thread `t` owns, and the value it writes in its `n`th round.
const char *const kFields[kClients] = {"name",        "model_name", "container_id", "command",
                                       "working_dir", "config",     "metrics",      "env"};

QJsonValue fieldValue(int t, int n)
{
    const QString text = QStringLiteral("t%1-%2").arg(t).arg(n);
    if (t >= 5) { // config, metrics, env: objects (env: names to strings)
        return QJsonObject{{QStringLiteral("ROUND"), QString::number(n)}, {QStringLiteral("BY"), text}};
    }
    return text;
}

const QStringList kStatusCycle = {QStringLiteral("pending"), QStringLiteral("completed"), QStringLiteral("failed"),
                                  QStringLiteral("cancelled")};

struct StatusEvent
{
    quint64 id = 0;
    qint64 jobId = 0;
    QString status;
    QString previous; // empty: a new job
};

StatusEvent statusEvent(quint64 id, const QJsonObject &data)
{
    return {id, qint64(data.value(QStringLiteral("job_id")).toDouble()),
            data.value(QStringLiteral("status")).toString(), data.value(QStringLiteral("previous_status")).toString()};
}

// Events in commit order: ids grow, and each job's events chain (previous_status is the status before).
// Returns the first break found, or an empty string; `last` receives each job's last status.
QString checkChain(const QList<StatusEvent> &events, std::map<qint64, QString> *last)
{
    quint64 previousId = 0;
    for (const StatusEvent &e : events) {
        if (e.id <= previousId) {
            return QStringLiteral("event %1 after event %2").arg(e.id).arg(previousId);
        }
        previousId = e.id;
        const auto known = last->find(e.jobId);
        if (known != last->end() && known->second != e.previous) {
            return QStringLiteral("event %1: job %2 went %3 -> %4, but the event before said it was %5")
                .arg(e.id)
                .arg(e.jobId)
                .arg(e.previous, e.status, known->second);
        }
        (*last)[e.jobId] = e.status;
    }
    return {};
}

QStringList column0(const QTableView *view)
{
    QStringList out;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        out << model->index(row, 0).data().toString();
    }
    out.sort();
    return out;
}

// How long the window may take to show the last changes once the load has ended (it works through what it heard).
constexpr int kCatchUpMs = 120000;

int secondsToRun()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("GPUDECK_CONCURRENCY_SECONDS", &ok);
    return ok && s > 0 ? s : 5;
}

} // namespace

class TestApiConcurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hammerEveryRouteWithTheWindowOpen();

private:
    QTemporaryDir m_settingsDir;
};

void TestApiConcurrency::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
    qputenv("GPUDECK_API_THREADS", "2"); // on every machine, several API threads
}

void TestApiConcurrency::hammerEveryRouteWithTheWindowOpen()
{
    TestCore tc;
    Core &core = tc.core();
    MainWindow window(core);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPane(MainWindow::JobsPaneIndex);

    const HttpClient http(tc.port(), tc.token());
    // What every thread shares: a connection, a project, the job whose fields they split, the job whose status
    // they all change.
    const HttpReply base =
        http.post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("shared")},
                                                           {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")},
                                                           {QStringLiteral("username"), QStringLiteral("ubuntu")}});
    QCOMPARE(base.status, 201);
    const qint64 connectionId = qint64(base.object().value(QStringLiteral("id")).toDouble());
    const HttpReply project =
        http.post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("name"), QStringLiteral("shared-project")},
                                                        {QStringLiteral("connection_id"), connectionId}});
    QCOMPARE(project.status, 201);
    const qint64 projectId = qint64(project.object().value(QStringLiteral("id")).toDouble());
    const auto newJob = [&](const QString &name) {
        const HttpReply r = http.post(QStringLiteral("/api/dgx/jobs"),
                                      {{QStringLiteral("name"), name}, {QStringLiteral("project_id"), projectId}});
        return r.status == 201 ? qint64(r.object().value(QStringLiteral("id")).toDouble()) : qint64(0);
    };
    const qint64 fieldsJob = newJob(QStringLiteral("fields"));
    const qint64 statusJob = newJob(QStringLiteral("status"));
    QVERIFY(fieldsJob > 0 && statusJob > 0);
    window.jobsPane()->selectProject(projectId);

    // Every job.status event, as the hub publishes it (on the committing thread, in id order) and as a client of
    // GET /api/events reads it.
    QMutex eventsMutex;
    QList<StatusEvent> hubEvents;
    const quint64 subscription = core.eventHub().subscribe([&](const EventPtr &e) {
        if (e->type == QLatin1String("job.status")) {
            QMutexLocker lock(&eventsMutex);
            hubEvents.append(statusEvent(e->id, e->data));
        }
        return true;
    });
    SseClient sse(tc.port(), tc.token(), "/api/events?topics=job.status");
    QTRY_VERIFY(sse.started());
    QCOMPARE(sse.status(), 200);

    std::atomic<bool> stop{false};
    std::atomic<int> finished{0};
    // The clients keep the time themselves: the window's thread may be busy catching up with the changes for a
    // while (it reloads its lists on every change), and the load must end on time whatever it does.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(secondsToRun());
    std::atomic<int> requests{0};
    QMutex failuresMutex;
    QStringList failures;
    std::vector<int> lastRound(kClients, -1);
    std::vector<QStringList> keptConnections(kClients);
    std::vector<std::thread> clients;
    for (int t = 0; t < kClients; ++t) {
        clients.emplace_back([&, t] {
            const HttpClient client(tc.port(), tc.token());
            const auto expect = [&](const HttpReply &r, int status, const QString &what) {
                requests.fetch_add(1, std::memory_order_relaxed);
                if (r.status != status) {
                    QMutexLocker lock(&failuresMutex);
                    failures << QStringLiteral("thread %1: %2 answered %3 (expected %4): %5")
                                    .arg(t)
                                    .arg(what)
                                    .arg(r.status)
                                    .arg(status)
                                    .arg(QString::fromUtf8(r.body.left(300)));
                    return false;
                }
                return true;
            };
            const QString jobPath = QStringLiteral("/api/dgx/jobs/%1").arg(fieldsJob);
            const QString statusPath = QStringLiteral("/api/dgx/jobs/%1").arg(statusJob);
            for (int n = 0; !stop.load() && std::chrono::steady_clock::now() < deadline; ++n) {
                // The thread's own field of the shared job: a read-modify-write PUT racing the others'.
                if (!expect(client.put(jobPath, {{QString::fromLatin1(kFields[t]), fieldValue(t, n)}}), 200,
                            QStringLiteral("PUT job field"))) {
                    break;
                }
                lastRound[size_t(t)] = n;
                expect(client.put(statusPath, {{QStringLiteral("status"), kStatusCycle[(n + t) % 4]}}), 200,
                       QStringLiteral("PUT job status"));
                expect(client.get(jobPath), 200, QStringLiteral("GET job"));
                expect(client.get(QStringLiteral("/api/dgx/connections")), 200, QStringLiteral("GET connections"));
                expect(client.get(QStringLiteral("/api/dgx/projects")), 200, QStringLiteral("GET projects"));
                expect(client.get(QStringLiteral("/api/dgx/jobs")), 200, QStringLiteral("GET jobs"));
                expect(client.get(QStringLiteral("/api/dgx/alerts")), 200, QStringLiteral("GET alerts"));
                expect(client.get(QStringLiteral("/api/dgx/audit?limit=20")), 200, QStringLiteral("GET audit"));
                expect(client.get(QStringLiteral("/api/config/monitoring")), 200, QStringLiteral("GET settings"));
                if (n % 4 == 0) {
                    expect(client.put(QStringLiteral("/api/config/monitoring"), {{QStringLiteral("paused"), false}}),
                           200, QStringLiteral("PUT settings"));
                }

                // A connection of its own: created, changed, read, and every other one deleted again.
                const QString name = QStringLiteral("c%1-%2").arg(t).arg(n);
                const HttpReply c = client.post(QStringLiteral("/api/dgx/connections"),
                                                {{QStringLiteral("name"), name},
                                                 {QStringLiteral("hostname"), QStringLiteral("203.0.113.11")},
                                                 {QStringLiteral("username"), QStringLiteral("ubuntu")}});
                if (!expect(c, 201, QStringLiteral("POST connection"))) {
                    continue;
                }
                const QString cPath = QStringLiteral("/api/dgx/connections/%1")
                                          .arg(qint64(c.object().value(QStringLiteral("id")).toDouble()));
                expect(client.put(cPath, {{QStringLiteral("port"), 2200 + n % 100}}), 200,
                       QStringLiteral("PUT connection"));
                expect(client.get(cPath), 200, QStringLiteral("GET connection"));

                // A project on it with a job: created, changed, read; deleted again (or kept, every other round).
                const HttpReply p =
                    client.post(QStringLiteral("/api/dgx/projects"),
                                {{QStringLiteral("name"), QStringLiteral("p%1-%2").arg(t).arg(n)},
                                 {QStringLiteral("connection_id"), c.object().value(QStringLiteral("id"))}});
                if (!expect(p, 201, QStringLiteral("POST project"))) {
                    continue;
                }
                const QJsonValue pid = p.object().value(QStringLiteral("id"));
                const QString pPath = QStringLiteral("/api/dgx/projects/%1").arg(qint64(pid.toDouble()));
                const HttpReply j = client.post(QStringLiteral("/api/dgx/jobs"),
                                                {{QStringLiteral("name"), QStringLiteral("j%1-%2").arg(t).arg(n)},
                                                 {QStringLiteral("project_id"), pid}});
                if (!expect(j, 201, QStringLiteral("POST job"))) {
                    continue;
                }
                const QString jPath =
                    QStringLiteral("/api/dgx/jobs/%1").arg(qint64(j.object().value(QStringLiteral("id")).toDouble()));
                expect(client.put(jPath, {{QStringLiteral("status"), QStringLiteral("completed")}}), 200,
                       QStringLiteral("PUT job"));
                expect(client.put(pPath, {{QStringLiteral("description"), name}}), 200, QStringLiteral("PUT project"));
                expect(client.get(pPath), 200, QStringLiteral("GET project"));
                if (n % 2 == 0) {
                    expect(client.del(jPath), 204, QStringLiteral("DELETE job"));
                    expect(client.del(pPath), 204, QStringLiteral("DELETE project"));
                    expect(client.del(cPath), 204, QStringLiteral("DELETE connection"));
                } else {
                    keptConnections[size_t(t)] << name;
                }
            }
            finished.fetch_add(1);
        });
    }

    // The window runs meanwhile: it hears every change and reads the store on this thread.
    QElapsedTimer clock;
    clock.start();
    while (finished.load() < kClients) {
        QTest::qWait(50);
        QMutexLocker lock(&failuresMutex);
        if (!failures.isEmpty()) {
            break;
        }
    }
    stop = true;
    for (std::thread &c : clients) {
        c.join();
    }
    core.eventHub().unsubscribe(subscription);
    const double seconds = double(clock.elapsed()) / 1000.0;
    qInfo("%d requests from %d client threads in %.1f s: %.0f requests/s", requests.load(), kClients, seconds,
          requests.load() / seconds);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.mid(0, 10).join(QLatin1Char('\n'))));

    // No lost update: each thread's field holds the value of its last round.
    const auto fields = core.jobs().get(fieldsJob);
    QVERIFY(fields.ok());
    const QJsonObject stored = fields->toJson();
    for (int t = 0; t < kClients; ++t) {
        QVERIFY2(lastRound[size_t(t)] >= 0, "a client thread did not finish a single round");
        QCOMPARE(stored.value(QString::fromLatin1(kFields[t])), fieldValue(t, lastRound[size_t(t)]));
    }

    // Events in commit order, from the hub and through the event stream.
    std::map<qint64, QString> hubLast;
    {
        QMutexLocker lock(&eventsMutex);
        QVERIFY(hubEvents.size() > kClients);
        const QString broken = checkChain(hubEvents, &hubLast);
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
    }
    // The last event of every job still there says its status in the database.
    QVERIFY(hubLast.count(statusJob) == 1);
    for (const auto &[jobId, status] : hubLast) {
        const auto job = core.jobs().get(jobId);
        if (job.ok()) {
            QCOMPARE(status, job->status);
        }
    }
    const quint64 lastHubId = [&] {
        QMutexLocker lock(&eventsMutex);
        return hubEvents.constLast().id;
    }();
    QTRY_VERIFY_WITH_TIMEOUT(!sse.events().isEmpty() && sse.events().constLast().number() >= lastHubId, 10000);
    QList<StatusEvent> streamed;
    for (const auto &e : sse.events()) {
        if (e.event == "job.status") {
            streamed.append(statusEvent(e.number(), e.payload()));
        }
    }
    {
        QMutexLocker lock(&eventsMutex);
        QCOMPARE(streamed.size(), hubEvents.size());
    }
    std::map<qint64, QString> streamLast;
    const QString streamBroken = checkChain(streamed, &streamLast);
    QVERIFY2(streamBroken.isEmpty(), qPrintable(streamBroken));
    QCOMPARE(streamLast, hubLast);

    // The window's lists match the database.
    const auto names = [](const auto &list) {
        QStringList out;
        for (const auto &item : list) {
            out << item.name;
        }
        out.sort();
        return out;
    };
    const auto connections = core.connections().list();
    QVERIFY(connections.ok());
    QStringList kept{QStringLiteral("shared")};
    for (const QStringList &k : keptConnections) {
        kept << k;
    }
    kept.sort();
    QCOMPARE(names(connections.value()), kept);
    QTRY_COMPARE_WITH_TIMEOUT(column0(window.connectionsPane()->view()), names(connections.value()), kCatchUpMs);
    const auto projects = core.projects().list();
    QVERIFY(projects.ok());
    QTRY_COMPARE_WITH_TIMEOUT(column0(window.jobsPane()->projectsView()), names(projects.value()), kCatchUpMs);
    const qint64 shownProject = window.jobsPane()->selectedProjectId();
    QVERIFY(shownProject > 0);
    const auto jobs = core.jobs().list(shownProject);
    QVERIFY(jobs.ok());
    QTRY_COMPARE_WITH_TIMEOUT(column0(window.jobsPane()->jobsView()), names(jobs.value()), kCatchUpMs);
}

QTEST_MAIN(TestApiConcurrency)
#include "tst_api_concurrency.moc"
