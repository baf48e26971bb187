// The MCP server at /mcp over a real socket: the handshake with every supported protocol version, the transport's
// rules (202 for notifications, 405 for GET/DELETE, the MCP-Protocol-Version header, the guard), JSON-RPC errors,
// tools/list's schemas checked with ajv, every API route reachable by a tool, and docs/mcp.md listing every tool.
// The tools' calls against a real sshd are tst_mcp_tools.
#include "McpClient.h"
#include "TestCore.h"
#include "mcp/McpServer.h"
#include "mcp/McpTools.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace gpudeck;
using test::HttpReply;
using test::McpClient;

namespace {

// Routes no tool calls, each for a reason (docs/mcp.md says the same).
const QStringList kExcludedRoutes{
    QStringLiteral("POST /mcp"),             // MCP itself
    QStringLiteral("GET /api/openapi.json"), // the API's description: tools/list is MCP's own
    QStringLiteral("GET /v1/models"),        // the OpenAI-compatible proxy: models_list tells what is served
    QStringLiteral("POST /v1/chat/completions"),
    QStringLiteral("POST /v1/completions"),
    QStringLiteral("POST /v1/embeddings"),
    QStringLiteral("POST /v1/audio/transcriptions"),
    QStringLiteral("POST /v1/audio/translations"),
    QStringLiteral("POST /v1/audio/speech"),
    QStringLiteral("POST /v1/rerank"),
    QStringLiteral("POST /rerank"),
    QStringLiteral("GET /api/events"), // a Server-Sent Events stream that never ends: no tool result to give
    QStringLiteral("GET /metrics"),    // Prometheus text for a scraper, not for an agent (fleet has the figures)
};

} // namespace

class TestMcp : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<McpClient> m_mcp;

    QJsonObject error(const HttpReply &r) { return r.object().value(QStringLiteral("error")).toObject(); }

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_mcp = std::make_unique<McpClient>(m_tc->port(), m_tc->token());
    }

    void cleanup()
    {
        m_mcp.reset();
        m_tc.reset();
    }

    void handshake_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("answered");
        QTest::newRow("2025-11-25") << "2025-11-25"
                                    << "2025-11-25";
        QTest::newRow("2025-06-18") << "2025-06-18"
                                    << "2025-06-18";
        QTest::newRow("2025-03-26") << "2025-03-26"
                                    << "2025-03-26";
        QTest::newRow("unknown: the newest is offered") << "2024-11-05"
                                                        << "2025-11-25";
        QTest::newRow("nonsense") << "next week"
                                  << "2025-11-25";
    }

    void handshake()
    {
        QFETCH(QString, asked);
        QFETCH(QString, answered);
        const HttpReply init = m_mcp->send(
            QStringLiteral("initialize"),
            {{QStringLiteral("protocolVersion"), asked},
             {QStringLiteral("capabilities"), QJsonObject{}},
             {QStringLiteral("clientInfo"), QJsonObject{{QStringLiteral("name"), QStringLiteral("test")},
                                                        {QStringLiteral("version"), QStringLiteral("1")}}}});
        QCOMPARE(init.status, 200);
        QVERIFY(init.header("content-type").startsWith("application/json"));
        const QJsonObject result = init.object().value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("protocolVersion")).toString(), answered);
        QVERIFY(result.value(QStringLiteral("capabilities")).toObject().contains(QStringLiteral("tools")));
        QCOMPARE(result.value(QStringLiteral("serverInfo")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("gpu-deck"));
        const QByteArray session = init.header("mcp-session-id");
        QVERIFY(session.size() >= 32);
        for (const char c : session) {
            QVERIFY(c >= 0x21 && c <= 0x7e);
        }

        // initialized: 202, no body; with the session id or without it (it is never required back).
        const HttpReply initialized =
            m_mcp->send(QStringLiteral("notifications/initialized"), {}, true,
                        {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", answered.toUtf8()}});
        QCOMPARE(initialized.status, 202);
        QVERIFY(initialized.body.isEmpty());
        const HttpReply ping =
            m_mcp->send(QStringLiteral("ping"), {}, false, {{"MCP-Protocol-Version", answered.toUtf8()}});
        QCOMPARE(ping.status, 200);
        QCOMPARE(ping.object().value(QStringLiteral("result")).toObject(), QJsonObject{});
        QCOMPARE(m_mcp->send(QStringLiteral("ping")).status, 200); // no session id, no version header
    }

    void protocolVersionHeader()
    {
        for (const QByteArray &v : {QByteArray("2025-11-25"), QByteArray("2025-06-18"), QByteArray("2025-03-26")}) {
            QCOMPARE(m_mcp->send(QStringLiteral("ping"), {}, false, {{"MCP-Protocol-Version", v}}).status, 200);
        }
        const HttpReply unknown =
            m_mcp->send(QStringLiteral("ping"), {}, false, {{"MCP-Protocol-Version", "2099-01-01"}});
        QCOMPARE(unknown.status, 400);
        QVERIFY(error(unknown).value(QStringLiteral("message")).toString().contains(QStringLiteral("2099-01-01")));
    }

    void notificationsAndResponsesAre202()
    {
        for (const QString &method :
             {QStringLiteral("notifications/cancelled"), QStringLiteral("notifications/whatever")}) {
            const HttpReply r = m_mcp->send(method, {{QStringLiteral("requestId"), 1}}, true);
            QCOMPARE(r.status, 202);
            QVERIFY(r.body.isEmpty());
        }
        const HttpReply response = m_mcp->postRaw(R"({"jsonrpc":"2.0","id":7,"result":{}})");
        QCOMPARE(response.status, 202);
    }

    void badJsonRpc()
    {
        // -32700: not JSON at all.
        for (const QByteArray &body :
             {QByteArray("{\"jsonrpc\": \"2.0\", "), QByteArray("not json"), QByteArray(" ")}) {
            const HttpReply r = m_mcp->postRaw(body);
            QCOMPARE(r.status, 400);
            QCOMPARE(error(r).value(QStringLiteral("code")).toInt(), -32700);
            QVERIFY(r.object().value(QStringLiteral("id")).isNull());
        }
        // -32600: JSON, but not a request (batches are not supported: decision in docs/decisions.md).
        for (const QByteArray &body :
             {QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"), QByteArray(R"({"id":1,"method":"ping"})"),
              QByteArray(R"({"jsonrpc":"2.0","id":1,"method":5})"),
              QByteArray(R"({"jsonrpc":"2.0","id":{},"method":"ping"})"), QByteArray(R"("ping")")}) {
            const HttpReply r = m_mcp->postRaw(body);
            QCOMPARE(r.status, 400);
            QCOMPARE(error(r).value(QStringLiteral("code")).toInt(), -32600);
        }
        // -32601: an unknown method, answered with the request's id.
        HttpReply r = m_mcp->postRaw(R"({"jsonrpc":"2.0","id":"a-1","method":"resources/list"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(error(r).value(QStringLiteral("code")).toInt(), -32601);
        QCOMPARE(r.object().value(QStringLiteral("id")).toString(), QStringLiteral("a-1"));
        // -32602: an unknown tool, an unknown argument, arguments that are not an object, a missing path parameter.
        QCOMPARE(m_mcp->call(QStringLiteral("no_such_tool"))
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toInt(),
                 -32602);
        const QJsonObject unknownArg = m_mcp->call(QStringLiteral("jobs_list"), {{QStringLiteral("colour"), 1}});
        QCOMPARE(unknownArg.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), -32602);
        QVERIFY(unknownArg.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("colour")));
        r = m_mcp->postRaw(
            R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"health","arguments":[1]}})");
        QCOMPARE(error(r).value(QStringLiteral("code")).toInt(), -32602);
        QCOMPARE(m_mcp->call(QStringLiteral("job_get"))
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toInt(),
                 -32602);
        QCOMPARE(m_mcp->call(QStringLiteral("job_get"), {{QStringLiteral("id"), QStringLiteral("a/b")}})
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toInt(),
                 -32602);
    }

    void failedActionIsAResultWithIsError()
    {
        const QJsonObject result = m_mcp->call(QStringLiteral("job_get"), {{QStringLiteral("id"), 4242}})
                                       .value(QStringLiteral("result"))
                                       .toObject();
        QCOMPARE(result.value(QStringLiteral("isError")).toBool(), true);
        const QString text =
            result.value(QStringLiteral("content")).toArray().at(0).toObject().value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(QStringLiteral("not_found")) && text.contains(QStringLiteral("4242")), qPrintable(text));
        // The route's own validation, with its code and message.
        const QJsonObject bad =
            m_mcp->call(QStringLiteral("connection_create"), {{QStringLiteral("name"), QStringLiteral("x")}})
                .value(QStringLiteral("result"))
                .toObject();
        QCOMPARE(bad.value(QStringLiteral("isError")).toBool(), true);
        QVERIFY(bad.value(QStringLiteral("content"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("text"))
                    .toString()
                    .contains(QStringLiteral("validation_failed")));
    }

    void guard()
    {
        const QByteArray ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
        HttpReply r = m_mcp->postRaw(ping, {{"Origin", "https://evil.example"}});
        QCOMPARE(r.status, 403);
        r = m_mcp->postRaw(ping, {{"Host", "evil.example"}});
        QCOMPARE(r.status, 403);
        r = m_mcp->postRaw(ping, {}, false);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.header("www-authenticate"), QByteArray("Bearer"));
        r = m_mcp->postRaw(ping, {{"X-API-Key", "wrong"}}, false);
        QCOMPARE(r.status, 401);
        // No SSE stream and no session to end: GET and DELETE are 405, naming POST.
        for (const QByteArray &method : {QByteArray("GET"), QByteArray("DELETE")}) {
            r = m_mcp->http().request(method, QStringLiteral("/mcp"), {}, {{"Accept", "text/event-stream"}});
            QCOMPARE(r.status, 405);
            QCOMPARE(r.header("allow"), QByteArray("POST"));
        }
    }

    void toolsListSchemasAreValid()
    {
        const QJsonArray tools = m_mcp->listTools();
        QVERIFY(tools.size() >= 40);
        for (const QJsonValue &v : tools) {
            const QJsonObject t = v.toObject();
            const QString name = t.value(QStringLiteral("name")).toString();
            QVERIFY2(!t.value(QStringLiteral("description")).toString().isEmpty(), qPrintable(name));
            const QJsonObject a = t.value(QStringLiteral("annotations")).toObject();
            QVERIFY2(a.contains(QStringLiteral("readOnlyHint")), qPrintable(name));
            const bool destructive = a.value(QStringLiteral("destructiveHint")).toBool();
            // A destructive tool takes confirm; no other does.
            QCOMPARE(t.value(QStringLiteral("inputSchema"))
                         .toObject()
                         .value(QStringLiteral("properties"))
                         .toObject()
                         .contains(QStringLiteral("confirm")),
                     destructive);
            if (a.value(QStringLiteral("readOnlyHint")).toBool()) {
                QVERIFY2(!destructive, qPrintable(name));
            }
        }
        const QString problems = test::validateTools(tools, {});
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }

    void destructiveToolsAreMarked()
    {
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &v : m_mcp->listTools()) {
            byName.insert(v.toObject().value(QStringLiteral("name")).toString(),
                          v.toObject().value(QStringLiteral("annotations")).toObject());
        }
        for (const QString &name :
             {QStringLiteral("disconnect"), QStringLiteral("exec"), QStringLiteral("job_cancel"),
              QStringLiteral("swap"), QStringLiteral("swap_cancel"), QStringLiteral("connection_delete"),
              QStringLiteral("project_delete"), QStringLiteral("job_delete")}) {
            QVERIFY2(byName.contains(name), qPrintable(name));
            QVERIFY2(byName.value(name).value(QStringLiteral("destructiveHint")).toBool(), qPrintable(name));
        }
        for (const QString &name :
             {QStringLiteral("host_status"), QStringLiteral("jobs_list"), QStringLiteral("health"),
              QStringLiteral("metrics_history"), QStringLiteral("job_logs")}) {
            QVERIFY2(byName.value(name).value(QStringLiteral("readOnlyHint")).toBool(), qPrintable(name));
        }
    }

    void everyRouteHasATool()
    {
        const QStringList routes = m_tc->core().apiRoutes();
        QVERIFY(routes.size() > 30);
        QSet<QString> listed;
        for (const QJsonValue &v : m_mcp->listTools()) {
            listed.insert(v.toObject().value(QStringLiteral("name")).toString());
        }
        QSet<QString> reachable;
        for (const McpTools::Spec &spec : McpTools::specs()) {
            if (listed.contains(spec.name)) {
                reachable.insert(QString::fromLatin1(spec.method) + QLatin1Char(' ') + spec.pattern);
            }
        }
        QStringList missing;
        for (const QString &route : routes) {
            if (!reachable.contains(route) && !kExcludedRoutes.contains(route)) {
                missing << route;
            }
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("routes without an MCP tool (add one to McpTools::specs(), or exclude it "
                                           "here and in docs/mcp.md with the reason): ") +
                            missing.join(QStringLiteral(", "))));
        // Every tool listed is one of the specs, and its route exists.
        for (const McpTools::Spec &spec : McpTools::specs()) {
            if (listed.contains(spec.name)) {
                QVERIFY(routes.contains(QString::fromLatin1(spec.method) + QLatin1Char(' ') + spec.pattern));
            }
        }
    }

    void docsListEveryTool()
    {
        QFile doc(QStringLiteral(GPUDECK_DOCS_DIR) + QStringLiteral("/mcp.md"));
        QVERIFY2(doc.open(QIODevice::ReadOnly), "docs/mcp.md is missing");
        const QString text = QString::fromUtf8(doc.readAll());
        QStringList missing;
        for (const QJsonValue &v : m_mcp->listTools()) {
            const QString name = v.toObject().value(QStringLiteral("name")).toString();
            // A table row: | `name` | ...
            if (!text.contains(QStringLiteral("| `%1` |").arg(name))) {
                missing << name;
            }
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("tools not in docs/mcp.md: ") + missing.join(QStringLiteral(", "))));
        for (const QString &route : kExcludedRoutes) {
            if (m_tc->core().apiRoutes().contains(route)) {
                QVERIFY2(text.contains(QStringLiteral("`%1`").arg(route)),
                         qPrintable(QStringLiteral("docs/mcp.md does not name the excluded route ") + route));
            }
        }
    }

    void openApiJsonIsServed()
    {
        const HttpReply r = m_mcp->http().get(QStringLiteral("/api/openapi.json"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        const QJsonObject doc = r.object();
        QVERIFY(doc.value(QStringLiteral("openapi")).toString().startsWith(QStringLiteral("3.")));
        QVERIFY(doc.value(QStringLiteral("paths")).toObject().contains(QStringLiteral("/mcp")));
        QVERIFY(doc.value(QStringLiteral("paths")).toObject().contains(QStringLiteral("/api/openapi.json")));
        // Quoted YAML stays a string; plain numbers and booleans become JSON ones.
        QVERIFY(doc.value(QStringLiteral("paths"))
                    .toObject()
                    .value(QStringLiteral("/api/health"))
                    .toObject()
                    .value(QStringLiteral("get"))
                    .toObject()
                    .value(QStringLiteral("responses"))
                    .toObject()
                    .contains(QStringLiteral("200")));
        // Token-protected like the rest.
        QCOMPARE(m_mcp->http().request("GET", QStringLiteral("/api/openapi.json"), {}, {}, false).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestMcp)
#include "tst_mcp.moc"
