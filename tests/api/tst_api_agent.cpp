// What an agent following the docs trips on (issue 10): ids sent as numeric strings, query parameters a route does
// not take, and the filters an agent reaches for (?status= on jobs, ?state= on status).
#include "HttpClient.h"
#include "TestCore.h"
#include "api/ApiContext.h"
#include "api/ApiDispatch.h"
#include "api/ApiServer.h"

#include <QSqlQuery>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

namespace {

QString errorField(const HttpReply &r)
{
    return r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

QString errorMessage(const HttpReply &r)
{
    return r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}

QStringList names(const HttpReply &r)
{
    QStringList out;
    for (const QJsonValue &v : r.array()) {
        out << v.toObject().value(QStringLiteral("name")).toString();
    }
    return out;
}

} // namespace

class TestApiAgent : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    qint64 m_conn = 0;

    qint64 createProject(const QJsonValue &connection, const QString &name)
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), connection}, {QStringLiteral("name"), name}});
        return r.status == 201 ? r.object().value(QStringLiteral("id")).toInteger() : -r.status;
    }

    qint64 createJob(const QJsonValue &project, const QString &name, const QString &status = QStringLiteral("pending"))
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), project},
                                                                      {QStringLiteral("name"), name},
                                                                      {QStringLiteral("status"), status}});
        return r.status == 201 ? r.object().value(QStringLiteral("id")).toInteger() : -r.status;
    }

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("spark-1")},
                                     {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")}});
        QCOMPARE(r.status, 201);
        m_conn = r.object().value(QStringLiteral("id")).toInteger();
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    // ---- ids as numeric strings

    void numericStringIdsInBodies()
    {
        // connection_id on projects: a number, a numeric string or the name.
        const qint64 p1 = createProject(QString::number(m_conn), QStringLiteral("by-string"));
        QVERIFY(p1 > 0);
        QVERIFY(createProject(m_conn, QStringLiteral("by-number")) > 0);
        QVERIFY(createProject(QStringLiteral("spark-1"), QStringLiteral("by-name")) > 0);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects/%1").arg(p1))
                     .object()
                     .value(QStringLiteral("connection_id"))
                     .toInteger(),
                 m_conn);

        // project_id on jobs: "1" as well as 1, on create and on update.
        const qint64 j = createJob(QString::number(p1), QStringLiteral("string-project"));
        QVERIFY2(j > 0, qPrintable(QString::number(j)));
        const auto got = m_http->get(QStringLiteral("/api/dgx/jobs/%1").arg(j));
        QCOMPARE(got.object().value(QStringLiteral("project_id")).toInteger(), p1);
        const qint64 p2 = createProject(m_conn, QStringLiteral("second"));
        const auto moved = m_http->put(QStringLiteral("/api/dgx/jobs/%1").arg(j),
                                       {{QStringLiteral("project_id"), QString::number(p2)}});
        QVERIFY2(moved.status == 200, moved.body.constData());
        QCOMPARE(moved.object().value(QStringLiteral("project_id")).toInteger(), p2);
        const auto back = m_http->put(QStringLiteral("/api/dgx/projects/%1").arg(p2),
                                      {{QStringLiteral("connection_id"), QString::number(m_conn)}});
        QCOMPARE(back.status, 200);
    }

    void badIdsAreRefusedClearly_data()
    {
        QTest::addColumn<QByteArray>("jobBody");
        QTest::newRow("word") << QByteArray(R"({"name":"x","project_id":"one"})");
        QTest::newRow("zero string") << QByteArray(R"({"name":"x","project_id":"0"})");
        QTest::newRow("zero") << QByteArray(R"({"name":"x","project_id":0})");
        QTest::newRow("negative string") << QByteArray(R"({"name":"x","project_id":"-3"})");
        QTest::newRow("negative") << QByteArray(R"({"name":"x","project_id":-3})");
        QTest::newRow("fraction") << QByteArray(R"({"name":"x","project_id":1.5})");
        QTest::newRow("fraction string") << QByteArray(R"({"name":"x","project_id":"1.5"})");
        QTest::newRow("empty string") << QByteArray(R"({"name":"x","project_id":""})");
        QTest::newRow("too large") << QByteArray(R"({"name":"x","project_id":"99999999999999999999999"})");
        QTest::newRow("boolean") << QByteArray(R"({"name":"x","project_id":true})");
        QTest::newRow("null") << QByteArray(R"({"name":"x","project_id":null})");
    }

    void badIdsAreRefusedClearly()
    {
        QFETCH(QByteArray, jobBody);
        QVERIFY(createProject(m_conn, QStringLiteral("p")) > 0);
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/jobs"), jobBody);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        QCOMPARE(errorField(r), QStringLiteral("project_id"));
        QVERIFY2(errorMessage(r).contains(QStringLiteral("positive integer id")), qPrintable(errorMessage(r)));
        QCOMPARE(m_tc->core().jobs().list()->size(), 0);
    }

    void badConnectionRefsAreRefusedClearly()
    {
        for (const QByteArray &ref : {QByteArray("\"0\""), QByteArray("\"-1\""), QByteArray("0"), QByteArray("2.5"),
                                      QByteArray("\"42\""), QByteArray("\"nobody\""), QByteArray("[1]")}) {
            const auto r = m_http->request("POST", QStringLiteral("/api/dgx/projects"),
                                           R"({"name":"p","connection_id":)" + ref + "}");
            QVERIFY2(r.status == 400, ref.constData());
            QCOMPARE(errorField(r), QStringLiteral("connection_id"));
        }
        QCOMPARE(m_tc->core().projects().list()->size(), 0);
    }

    void idsInQueryFilters()
    {
        const qint64 p = createProject(m_conn, QStringLiteral("p"));
        createJob(p, QStringLiteral("a"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=%1").arg(p)).array().size(), 1);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects?connection_id=%1").arg(m_conn)).array().size(), 1);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects?connection_id=spark-1")).array().size(), 1);
        for (const QString &bad :
             {QStringLiteral("0"), QStringLiteral("-1"), QStringLiteral("x"), QStringLiteral("1.5")}) {
            const auto jobs = m_http->get(QStringLiteral("/api/dgx/jobs?project_id=") + bad);
            QCOMPARE(jobs.status, 400);
            QCOMPARE(errorField(jobs), QStringLiteral("project_id"));
        }
        // (A text that is not an integer is a name there: "1.5" names no connection.)
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects?connection_id=1.5")).status, 404);
        for (const QString &bad : {QStringLiteral("0"), QStringLiteral("-1"), QStringLiteral("+0")}) {
            const auto projects = m_http->get(QStringLiteral("/api/dgx/projects?connection_id=") + bad);
            QCOMPARE(projects.status, 400);
            QCOMPARE(errorField(projects), QStringLiteral("connection_id"));
        }
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects?connection_id=99")).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=99")).status, 404);
    }

    // ---- query parameters

    void unknownQueryParametersAre400_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("connections") << QStringLiteral("/api/dgx/connections?status=running") << "status";
        QTest::newRow("jobs") << QStringLiteral("/api/dgx/jobs?state=running") << "state";
        QTest::newRow("jobs typo") << QStringLiteral("/api/dgx/jobs?projectid=1") << "projectid";
        QTest::newRow("status") << QStringLiteral("/api/dgx/status?status=connected") << "status";
        QTest::newRow("one job") << QStringLiteral("/api/dgx/jobs/1?verbose=1") << "verbose";
        QTest::newRow("health") << QStringLiteral("/api/health?x=1") << "x";
    }

    void unknownQueryParametersAre400()
    {
        QFETCH(QString, path);
        QFETCH(QString, parameter);
        const auto r = m_http->get(path);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        QCOMPARE(errorField(r), parameter);
        QVERIFY2(errorMessage(r).contains(parameter), qPrintable(errorMessage(r)));
    }

    void declaredParametersNameThemselves()
    {
        const auto r = m_http->get(QStringLiteral("/api/dgx/jobs?stauts=running"));
        QCOMPARE(r.status, 400);
        QVERIFY2(errorMessage(r).contains(QStringLiteral("project_id, status")), qPrintable(errorMessage(r)));
    }

    void jobsFilterByStatus()
    {
        const qint64 a = createProject(m_conn, QStringLiteral("a"));
        const qint64 b = createProject(m_conn, QStringLiteral("b"));
        createJob(a, QStringLiteral("a-pending"));
        createJob(a, QStringLiteral("a-running"), QStringLiteral("running"));
        createJob(a, QStringLiteral("a-done"), QStringLiteral("completed"));
        createJob(b, QStringLiteral("b-running"), QStringLiteral("running"));
        createJob(b, QStringLiteral("b-failed"), QStringLiteral("failed"));

        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/jobs?status=running"))),
                 (QStringList{QStringLiteral("a-running"), QStringLiteral("b-running")}));
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/jobs?status=running&project_id=%1").arg(b))),
                 QStringList{QStringLiteral("b-running")});
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/jobs?project_id=%1&status=completed,failed").arg(a))),
                 QStringList{QStringLiteral("a-done")});
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/jobs?status=completed,failed"))),
                 (QStringList{QStringLiteral("a-done"), QStringLiteral("b-failed")}));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs?status=cancelled")).array().size(), 0);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/jobs")).array().size(), 5);

        for (const QString &bad :
             {QStringLiteral("done"), QStringLiteral(""), QStringLiteral("running,"), QStringLiteral("RUNNING")}) {
            const auto r = m_http->get(QStringLiteral("/api/dgx/jobs?status=") + bad);
            QVERIFY2(r.status == 400, qPrintable(bad));
            QCOMPARE(errorField(r), QStringLiteral("status"));
            QVERIFY(errorMessage(r).contains(QStringLiteral("pending, running, completed, failed, cancelled")));
        }
    }

    void statusFilterByState()
    {
        // A local connection connects without a host; one to a closed port fails.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("here")},
                                                                     {QStringLiteral("kind"), QStringLiteral("local")}})
                     .status,
                 201);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/dgx/connections"),
                            {{QStringLiteral("name"), QStringLiteral("void")},
                             {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                             {QStringLiteral("port"), 1}})
                     .status,
                 201);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/here"), {}).status, 200);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/void"), {}).status, 502);

        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/status"))),
                 (QStringList{QStringLiteral("here"), QStringLiteral("void")}));
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/status?state=connected"))),
                 QStringList{QStringLiteral("here")});
        // "void" is watched (the default): a host that cannot be reached is down and probed, not failed.
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/status?state=down"))), QStringList{QStringLiteral("void")});
        QCOMPARE(names(m_http->get(QStringLiteral("/api/dgx/status?state=down,connected"))).size(), 2);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/status?state=reconnecting")).array().size(), 0);
        for (const QString &bad : {QStringLiteral("up"), QStringLiteral("disconnected"), QStringLiteral("")}) {
            const auto r = m_http->get(QStringLiteral("/api/dgx/status?state=") + bad);
            QVERIFY2(r.status == 400, qPrintable(bad));
            QCOMPARE(errorField(r), QStringLiteral("state"));
        }
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/here"), {}).status, 200);
    }

    // ---- the audit log

    void apiActionsAreAudited()
    {
        const auto created = m_http->post(QStringLiteral("/api/dgx/connections"),
                                          {{QStringLiteral("name"), QStringLiteral("box")},
                                           {QStringLiteral("hostname"), QStringLiteral("203.0.113.11")}});
        QCOMPARE(created.status, 201);
        const QString boxId = QString::number(created.object().value(QStringLiteral("id")).toInteger());
        QCOMPARE(m_http->put(QStringLiteral("/api/dgx/connections/box"), {{QStringLiteral("port"), 0}}).status, 400);
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/connections/box")).status, 204);
        // Reads are not actions.
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections")).status, 200);

        const auto audit = m_http->get(QStringLiteral("/api/dgx/audit"));
        QCOMPARE(audit.status, 200);
        const QJsonArray entries = audit.array();
        QCOMPARE(entries.size(), 4); // spark-1 (init), box, the refused edit, the delete
        const QJsonObject del = entries.at(0).toObject();
        QCOMPARE(del.value(QStringLiteral("origin")).toString(), QStringLiteral("api"));
        QCOMPARE(del.value(QStringLiteral("method")).toString(), QStringLiteral("DELETE"));
        QCOMPARE(del.value(QStringLiteral("route")).toString(), QStringLiteral("/api/dgx/connections/:id"));
        QCOMPARE(del.value(QStringLiteral("target")).toString(), QStringLiteral("box"));
        QCOMPARE(del.value(QStringLiteral("status")).toInt(), 204);
        QCOMPARE(del.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        const QJsonObject refused = entries.at(1).toObject();
        QCOMPARE(refused.value(QStringLiteral("method")).toString(), QStringLiteral("PUT"));
        QCOMPARE(refused.value(QStringLiteral("status")).toInt(), 400);
        QCOMPARE(refused.value(QStringLiteral("outcome")).toString(), QStringLiteral("validation_failed"));
        QCOMPARE(refused.value(QStringLiteral("fields")).toArray(), QJsonArray{QStringLiteral("port")});
        const QJsonObject create = entries.at(2).toObject();
        QCOMPARE(create.value(QStringLiteral("route")).toString(), QStringLiteral("/api/dgx/connections"));
        QCOMPARE(create.value(QStringLiteral("target")).toString(), boxId); // the new object's id
        QCOMPARE(create.value(QStringLiteral("status")).toInt(), 201);
        QCOMPARE(create.value(QStringLiteral("fields")).toArray(),
                 (QJsonArray{QStringLiteral("hostname"), QStringLiteral("name")}));
        QVERIFY(!create.value(QStringLiteral("created_at")).toString().isEmpty());

        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/audit?limit=2")).array().size(), 2);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/audit?origin=api")).array().size(), 4);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/audit?origin=gui")).array().size(), 0);
        for (const QString &bad : {QStringLiteral("origin=web"), QStringLiteral("origin=api,gui"),
                                   QStringLiteral("limit=0"), QStringLiteral("since=1")}) {
            QCOMPARE(m_http->get(QStringLiteral("/api/dgx/audit?") + bad).status, 400);
        }
    }

    void asyncActionsAreAuditedWithTheirAnswer()
    {
        QCOMPARE(m_http
                     ->post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("here")},
                                                                     {QStringLiteral("kind"), QStringLiteral("local")}})
                     .status,
                 201);
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connect/here"), {}).status, 200);
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/exec/here"), {{QStringLiteral("command"), QStringLiteral("exit 3")}})
                .status,
            200);
        const QJsonArray entries = m_http->get(QStringLiteral("/api/dgx/audit")).array();
        QVERIFY(entries.size() >= 3);
        const QJsonObject exec = entries.at(0).toObject();
        QCOMPARE(exec.value(QStringLiteral("route")).toString(), QStringLiteral("/api/dgx/exec/:id"));
        QCOMPARE(exec.value(QStringLiteral("target")).toString(), QStringLiteral("here"));
        QCOMPARE(exec.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(exec.value(QStringLiteral("fields")).toArray(), QJsonArray{QStringLiteral("command")});
        const QJsonObject connect = entries.at(1).toObject();
        QCOMPARE(connect.value(QStringLiteral("route")).toString(), QStringLiteral("/api/dgx/connect/:id"));
        QCOMPARE(connect.value(QStringLiteral("status")).toInt(), 200);
        // The command itself is in the exec log, not in the audit log.
        QVERIFY(!m_http->get(QStringLiteral("/api/dgx/audit")).body.contains("exit 3"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/exec/log"))
                     .array()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("command"))
                     .toString(),
                 QStringLiteral("exit 3"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/here"), {}).status, 200);
    }

    void secretsNeverReachTheAuditLog()
    {
        const QByteArray secret = "audit-must-not-see-this-0123";
        const auto r = m_http->request("PUT", QStringLiteral("/api/dgx/connections/spark-1/credentials"),
                                       R"({"password":")" + secret + R"("})");
        QVERIFY2(r.status == 204 || r.status == 503, r.body.constData());
        const QJsonObject entry = m_http->get(QStringLiteral("/api/dgx/audit")).array().at(0).toObject();
        QCOMPARE(entry.value(QStringLiteral("route")).toString(),
                 QStringLiteral("/api/dgx/connections/:id/credentials"));
        QCOMPARE(entry.value(QStringLiteral("fields")).toArray(), QJsonArray{QStringLiteral("password")});
        // Nowhere in the table.
        QSqlQuery q(m_tc->core().database().connection());
        QVERIFY(q.exec(QStringLiteral("SELECT * FROM audit_log")));
        int rows = 0;
        while (q.next()) {
            ++rows;
            for (int i = 0; i < 9; ++i) {
                QVERIFY(!q.value(i).toString().contains(QString::fromLatin1(secret)));
            }
        }
        QCOMPARE(rows, 2);
    }

    void inProcessCallsAreAuditedWithTheirOrigin()
    {
        // The MCP server calls routes in process through ApiDispatch::call with caller "mcp": the same recording.
        Core &core = m_tc->core();
        ApiContext context{core.connections(),
                           core.projects(),
                           core.jobs(),
                           core.execLog(),
                           core.ssh(),
                           core.remoteExec(),
                           core.connectionService(),
                           core.metrics(),
                           core.jobRunner(),
                           core.models(),
                           core.eventHub(),
                           core.database().instanceId(),
                           core.audit(),
                           core.proxmox(),
                           core.wake(),
                           core.reports(),
                           core.runpod(),
                           core.sync(),
                           core.modelLogs()};
        const Router router = ApiServer::buildRouter(context);
        ApiRequest request;
        request.method = "POST";
        request.path = QStringLiteral("/api/dgx/projects");
        request.body = R"({"name":"from-mcp","connection_id":"spark-1"})";
        request.caller = QStringLiteral("mcp");
        request.context = this;
        auto answer = ApiDispatch::call(router, request);
        QTRY_VERIFY(answer.isFinished());
        QCOMPARE(answer.result().status, 201);
        const QJsonArray entries = m_http->get(QStringLiteral("/api/dgx/audit?origin=mcp")).array();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("route")).toString(),
                 QStringLiteral("/api/dgx/projects"));
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("status")).toInt(), 201);
        // The MCP transport itself (POST /mcp) and the OpenAI-style proxy are not actions of their own.
        for (const QString &route : router.routes()) {
            if (route.endsWith(QStringLiteral(" /mcp")) || route.contains(QStringLiteral(" /v1/"))) {
                const qsizetype space = route.indexOf(QLatin1Char(' '));
                QVERIFY2(!router.match(route.left(space).toLatin1(), route.mid(space + 1)).audited, qPrintable(route));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestApiAgent)
#include "tst_api_agent.moc"
