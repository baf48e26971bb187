#include "HttpClient.h"
#include "TestCore.h"

#include <QTest>

using namespace gpudeck;
using test::HttpClient;

namespace {
QString errorField(const test::HttpReply &r)
{
    return r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}
} // namespace

class TestApiProjectsJobs : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    int m_conn1 = 0;
    int m_conn2 = 0;

    int createProject(const QJsonValue &connection, const QString &name, const QString &type = QStringLiteral("nlp"))
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), connection},
                                     {QStringLiteral("name"), name},
                                     {QStringLiteral("project_type"), type},
                                     {QStringLiteral("remote_path"), QStringLiteral("/srv/") + name},
                                     {QStringLiteral("config"), QJsonObject{{QStringLiteral("gpus"), 2}}}});
        return r.status == 201 ? r.object().value(QStringLiteral("id")).toInt() : -r.status;
    }

    int createJob(int project, const QString &name, const QString &status = QStringLiteral("pending"))
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), project},
                                                                      {QStringLiteral("name"), name},
                                                                      {QStringLiteral("status"), status}});
        return r.status == 201 ? r.object().value(QStringLiteral("id")).toInt() : -r.status;
    }

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        for (const QString &name : {QStringLiteral("spark-1"), QStringLiteral("spark-2")}) {
            const auto r = m_http->post(
                QStringLiteral("/api/dgx/connections"),
                {{QStringLiteral("name"), name}, {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")}});
            QCOMPARE(r.status, 201);
            (name.endsWith(QLatin1Char('1')) ? m_conn1 : m_conn2) = r.object().value(QStringLiteral("id")).toInt();
        }
    }
    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void projectCrud()
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), m_conn1},
                                     {QStringLiteral("name"), QStringLiteral("llm-finetune")},
                                     {QStringLiteral("description"), QStringLiteral("LoRA on 8B")},
                                     {QStringLiteral("project_type"), QStringLiteral("generative")},
                                     {QStringLiteral("config"), QJsonObject{{QStringLiteral("epochs"), 3}}}});
        QCOMPARE(r.status, 201);
        QJsonObject p = r.object();
        for (const char *field : {"id", "connection_id", "name", "description", "project_type", "remote_path", "status",
                                  "config", "created_at", "updated_at"}) {
            QVERIFY2(p.contains(QLatin1String(field)), field);
        }
        QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(p.value(QStringLiteral("config")).toObject().value(QStringLiteral("epochs")).toInt(), 3);
        const QString path = QStringLiteral("/api/dgx/projects/%1").arg(p.value(QStringLiteral("id")).toInt());

        const auto u = m_http->put(path, {{QStringLiteral("status"), QStringLiteral("paused")},
                                          {QStringLiteral("connection_id"), QStringLiteral("spark-2")}});
        QCOMPARE(u.status, 200);
        QCOMPARE(u.object().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
        QCOMPARE(u.object().value(QStringLiteral("connection_id")).toInt(), m_conn2);
        QCOMPARE(u.object().value(QStringLiteral("description")).toString(), QStringLiteral("LoRA on 8B"));

        QCOMPARE(m_http->del(path).status, 204);
        QCOMPARE(m_http->get(path).status, 404);
        QCOMPARE(m_http->del(path).status, 404);
        QCOMPARE(m_http->put(path, {{QStringLiteral("name"), QStringLiteral("x")}}).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects/abc")).status, 404);
    }

    void projectValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QByteArray(R"({"connection_id":1})") << "name";
        QTest::newRow("no connection") << QByteArray(R"({"name":"x"})") << "connection_id";
        QTest::newRow("unknown connection") << QByteArray(R"({"name":"x","connection_id":999})") << "connection_id";
        QTest::newRow("fractional connection") << QByteArray(R"({"name":"x","connection_id":1.7})") << "connection_id";
        QTest::newRow("unknown connection name")
            << QByteArray(R"({"name":"x","connection_id":"nobody"})") << "connection_id";
        QTest::newRow("bad type") << QByteArray(R"({"name":"x","connection_id":1,"project_type":"magic"})")
                                  << "project_type";
        QTest::newRow("bad status") << QByteArray(R"({"name":"x","connection_id":1,"status":"zombie"})") << "status";
        QTest::newRow("config not object") << QByteArray(R"({"name":"x","connection_id":1,"config":[1]})") << "config";
        QTest::newRow("unknown field") << QByteArray(R"({"name":"x","connection_id":1,"colour":"red"})") << "colour";
    }

    void projectValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/projects"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        QCOMPARE(errorField(r), field);
        QCOMPARE(m_tc->core().projects().list()->size(), 0);
    }

    void projectTypesAllAccepted()
    {
        for (const QString &type : Project::projectTypes()) {
            QVERIFY2(createProject(m_conn1, type, type) > 0, qPrintable(type));
        }
    }

    void projectFilterAndEmbeddedJobs()
    {
        const int a = createProject(m_conn1, QStringLiteral("a"));
        const int b = createProject(m_conn2, QStringLiteral("b"));
        QVERIFY(a > 0 && b > 0);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects")).array().size(), 2);
        const auto byId = m_http->get(QStringLiteral("/api/dgx/projects?connection_id=%1").arg(m_conn2));
        QCOMPARE(byId.array().size(), 1);
        QCOMPARE(byId.array().at(0).toObject().value(QStringLiteral("id")).toInt(), b);
        const auto byName = m_http->get(QStringLiteral("/api/dgx/projects?connection_id=spark-1"));
        QCOMPARE(byName.array().size(), 1);
        QCOMPARE(byName.array().at(0).toObject().value(QStringLiteral("id")).toInt(), a);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects?connection_id=ghost")).status, 404);

        const int j1 = createJob(a, QStringLiteral("j1"));
        const int j2 = createJob(a, QStringLiteral("j2"));
        createJob(b, QStringLiteral("other"));
        const auto detail = m_http->get(QStringLiteral("/api/dgx/projects/%1").arg(a));
        QCOMPARE(detail.status, 200);
        const QJsonArray jobs = detail.object().value(QStringLiteral("jobs")).toArray();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).toObject().value(QStringLiteral("id")).toInt(), j1);
        QCOMPARE(jobs.at(1).toObject().value(QStringLiteral("id")).toInt(), j2);
        // The list does not embed jobs.
        QVERIFY(!byName.array().at(0).toObject().contains(QStringLiteral("jobs")));
    }

    void deletingAProjectDeletesItsJobs()
    {
        const int a = createProject(m_conn1, QStringLiteral("a"));
        const int j = createJob(a, QStringLiteral("j"));
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/projects/%1").arg(a)).status, 204);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(j)).status, 404);
    }

    void jobCrudAndTimestamps()
    {
        const int p = createProject(m_conn1, QStringLiteral("p"));
        const auto created = m_http->post(QStringLiteral("/api/dgx/jobs"),
                                          {{QStringLiteral("project_id"), p},
                                           {QStringLiteral("name"), QStringLiteral("sft-run")},
                                           {QStringLiteral("model_name"), QStringLiteral("example/llm-8b")},
                                           {QStringLiteral("config"), QJsonObject{{QStringLiteral("lr"), 0.0002}}}});
        QCOMPARE(created.status, 201);
        const QJsonObject j = created.object();
        for (const char *field : {"id", "project_id", "name", "model_name", "status", "config", "metrics",
                                  "container_id", "started_at", "completed_at", "created_at"}) {
            QVERIFY2(j.contains(QLatin1String(field)), field);
        }
        QCOMPARE(j.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QVERIFY(j.value(QStringLiteral("started_at")).isNull());
        const QString path = QStringLiteral("/api/dgx/jobs/%1").arg(j.value(QStringLiteral("id")).toInt());

        const auto running = m_http->put(path, {{QStringLiteral("status"), QStringLiteral("running")},
                                                {QStringLiteral("container_id"), QStringLiteral("abc123")}});
        QCOMPARE(running.status, 200);
        const QString started = running.object().value(QStringLiteral("started_at")).toString();
        QVERIFY(!started.isEmpty());
        QVERIFY(running.object().value(QStringLiteral("completed_at")).isNull());
        QCOMPARE(running.object().value(QStringLiteral("container_id")).toString(), QStringLiteral("abc123"));

        const auto metrics = m_http->put(
            path,
            {{QStringLiteral("metrics"), QJsonObject{{QStringLiteral("loss"), 0.41}, {QStringLiteral("epoch"), 3}}}});
        QCOMPARE(metrics.object().value(QStringLiteral("metrics")).toObject().value(QStringLiteral("epoch")).toInt(),
                 3);
        QCOMPARE(metrics.object().value(QStringLiteral("started_at")).toString(), started);

        const auto done = m_http->put(path, {{QStringLiteral("status"), QStringLiteral("completed")}});
        QCOMPARE(done.status, 200);
        QVERIFY(!done.object().value(QStringLiteral("completed_at")).toString().isEmpty());
        QCOMPARE(done.object().value(QStringLiteral("started_at")).toString(), started);
        QVERIFY(QDateTime::fromString(done.object().value(QStringLiteral("completed_at")).toString(),
                                      Qt::ISODateWithMs) >= QDateTime::fromString(started, Qt::ISODateWithMs));

        const auto stored = m_http->get(path);
        QCOMPARE(stored.object(), done.object());

        QCOMPARE(m_http->del(path).status, 204);
        QCOMPARE(m_http->get(path).status, 404);
        QCOMPARE(m_http->del(path).status, 404);
    }

    void everyStatusAccepted()
    {
        const int p = createProject(m_conn1, QStringLiteral("p"));
        for (const QString &status : Job::statuses()) {
            const int id = createJob(p, status, status);
            QVERIFY2(id > 0, qPrintable(status));
            const QJsonObject j = m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(id)).object();
            QCOMPARE(j.value(QStringLiteral("status")).toString(), status);
            QCOMPARE(!j.value(QStringLiteral("started_at")).isNull(), status == QStringLiteral("running"));
            QCOMPARE(!j.value(QStringLiteral("completed_at")).isNull(), Job::isFinal(status));
        }
    }

    void jobValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QByteArray(R"({"project_id":1})") << "name";
        QTest::newRow("no project") << QByteArray(R"({"name":"x"})") << "project_id";
        QTest::newRow("unknown project") << QByteArray(R"({"name":"x","project_id":999})") << "project_id";
        QTest::newRow("bad status") << QByteArray(R"({"name":"x","project_id":1,"status":"done"})") << "status";
        QTest::newRow("metrics not object")
            << QByteArray(R"({"name":"x","project_id":1,"metrics":"high"})") << "metrics";
        QTest::newRow("bad time") << QByteArray(R"({"name":"x","project_id":1,"started_at":"yesterday"})")
                                  << "started_at";
        QTest::newRow("unknown field") << QByteArray(R"({"name":"x","project_id":1,"stauts":"running"})") << "stauts";
    }

    void jobValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QVERIFY(createProject(m_conn1, QStringLiteral("p")) == 1);
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/jobs"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorField(r), field);
        QCOMPARE(m_tc->core().jobs().list()->size(), 0);
    }

    void jobUpdateValidationKeepsTheRecord()
    {
        const int p = createProject(m_conn1, QStringLiteral("p"));
        const int j = createJob(p, QStringLiteral("keep"));
        const QString path = QStringLiteral("/api/dgx/jobs/%1").arg(j);
        const auto r = m_http->put(path, {{QStringLiteral("status"), QStringLiteral("finished")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(errorField(r), QStringLiteral("status"));
        QCOMPARE(m_http->get(path).object().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(m_http->put(path, {{QStringLiteral("project_id"), 999}}).status, 400);
        QCOMPARE(
            m_http->put(QStringLiteral("/api/dgx/jobs/9999"), {{QStringLiteral("name"), QStringLiteral("x")}}).status,
            404);
    }

    // DELETE ...?dry_run=true answers the plan and deletes nothing; an unknown id is 404 as for the real delete.
    void deleteDryRunsDeleteNothing()
    {
        const int project = createProject(m_conn1, QStringLiteral("keep"));
        const int job = createJob(project, QStringLiteral("kept"), QStringLiteral("running")); // tracked: no host
        QVERIFY(project > 0 && job > 0);
        const QByteArray jobBefore = m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(job)).body;
        const QByteArray projectBefore = m_http->get(QStringLiteral("/api/dgx/projects/%1").arg(project)).body;
        const QByteArray connectionsBefore = m_http->get(QStringLiteral("/api/dgx/connections")).body;

        const auto j = m_http->del(QStringLiteral("/api/dgx/jobs/%1?dry_run=true").arg(job));
        QCOMPARE(j.status, 200);
        QCOMPARE(j.object().value(QStringLiteral("action")).toString(), QStringLiteral("job.delete"));
        QVERIFY(j.object().value(QStringLiteral("target")).toObject().value(QStringLiteral("running")).isNull());
        QCOMPARE(j.object().value(QStringLiteral("effects")).toArray().size(), 1);

        const auto p = m_http->del(QStringLiteral("/api/dgx/projects/%1?dry_run=yes").arg(project));
        QCOMPARE(p.status, 200);
        const QJsonObject target = p.object().value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("connection")).toString(), QStringLiteral("spark-1"));
        QCOMPARE(target.value(QStringLiteral("jobs")).toArray().at(0).toObject().value(QStringLiteral("id")).toInt(),
                 job);
        QVERIFY(target.value(QStringLiteral("running_jobs")).toArray().isEmpty());

        const auto c = m_http->del(QStringLiteral("/api/dgx/connections/spark-1?dry_run"));
        QCOMPARE(c.status, 200);
        QCOMPARE(c.object().value(QStringLiteral("would_refuse")).toObject().value(QStringLiteral("status")).toInt(),
                 409);
        const auto spare = m_http->del(QStringLiteral("/api/dgx/connections/spark-2?dry_run=true"));
        QCOMPARE(spare.status, 200);
        QVERIFY(spare.object().value(QStringLiteral("would_refuse")).isNull());
        QCOMPARE(
            spare.object().value(QStringLiteral("target")).toObject().value(QStringLiteral("link_state")).toString(),
            QStringLiteral("disconnected"));
        // The audit log tells a dry run from the real thing.
        const QJsonObject audited = m_http->get(QStringLiteral("/api/dgx/audit?limit=1")).array().at(0).toObject();
        QCOMPARE(audited.value(QStringLiteral("route")).toString(), QStringLiteral("/api/dgx/connections/:id"));
        QCOMPARE(audited.value(QStringLiteral("outcome")).toString(), QStringLiteral("dry_run"));

        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(job)).body, jobBefore);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects/%1").arg(project)).body, projectBefore);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections")).body, connectionsBefore);

        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/jobs/999?dry_run=true")).status, 404);
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/projects/999?dry_run=true")).status, 404);
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/connections/nobody?dry_run=true")).status, 404);
        const auto bad = m_http->del(QStringLiteral("/api/dgx/jobs/%1?dry_run=ture").arg(job));
        QCOMPARE(bad.status, 400);
        QCOMPARE(errorField(bad), QStringLiteral("dry_run"));
        // dry_run=false is the real delete.
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/jobs/%1?dry_run=false").arg(job)).status, 204);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(job)).status, 404);
    }

    void jobFilter()
    {
        const int a = createProject(m_conn1, QStringLiteral("a"));
        const int b = createProject(m_conn1, QStringLiteral("b"));
        createJob(a, QStringLiteral("1"));
        createJob(b, QStringLiteral("2"));
        createJob(b, QStringLiteral("3"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs")).array().size(), 3);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=%1").arg(b)).array().size(), 2);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=%1").arg(a)).array().size(), 1);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=x")).status, 400);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=424242")).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestApiProjectsJobs)
#include "tst_api_projects_jobs.moc"
