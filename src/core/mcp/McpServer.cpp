#include "mcp/McpServer.h"

#include "api/ApiDescription.h"
#include "api/ApiDispatch.h"
#include "api/Router.h"
#include "logging/Logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUuid>

namespace gpudeck {
namespace {

// JSON-RPC 2.0 error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

ApiResponse jsonRpc(const QJsonObject &message, int status = 200)
{
    ApiResponse r;
    r.status = status;
    r.body = QJsonDocument(message).toJson(QJsonDocument::Compact);
    return r;
}

ApiResponse rpcResult(const QJsonValue &id, const QJsonObject &result)
{
    return jsonRpc(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                               {QStringLiteral("id"), id},
                               {QStringLiteral("result"), result}});
}

// An error answer. `id` null for a message whose id could not be read. A request that is not one at all
// (unparsable, not an object, a batch) is also refused at the HTTP level, 400, as the transport asks.
ApiResponse rpcError(const QJsonValue &id, int code, const QString &message, int status = 200)
{
    return jsonRpc(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                               {QStringLiteral("id"), id},
                               {QStringLiteral("error"),
                                QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}},
                   status);
}

ApiResponse accepted()
{
    ApiResponse r;
    r.status = 202;
    r.contentType.clear();
    return r;
}

bool validId(const QJsonValue &id)
{
    return id.isString() || (id.isDouble() && id.toDouble() == double(qint64(id.toDouble())));
}

} // namespace

const QStringList &McpServer::supportedVersions()
{
    static const QStringList versions{QStringLiteral("2025-11-25"), QStringLiteral("2025-06-18"),
                                      QStringLiteral("2025-03-26")};
    return versions;
}

const McpTools &McpServer::tools(const Router &router)
{
    // Built once, by whichever API thread asks first; read-only afterwards, so every API thread may use it.
    std::call_once(m_toolsBuilt, [&] { m_tools = std::make_unique<McpTools>(router, ApiDescription::builtIn()); });
    return *m_tools;
}

QJsonObject McpServer::initializeResult(const QJsonObject &params) const
{
    const QString asked = params.value(QStringLiteral("protocolVersion")).toString();
    const QString version = supportedVersions().contains(asked) ? asked : supportedVersions().first();
    return QJsonObject{
        {QStringLiteral("protocolVersion"), version},
        {QStringLiteral("capabilities"),
         QJsonObject{{QStringLiteral("tools"), QJsonObject{{QStringLiteral("listChanged"), false}}}}},
        {QStringLiteral("serverInfo"), QJsonObject{{QStringLiteral("name"), QStringLiteral("gpu-deck")},
                                                   {QStringLiteral("title"), QStringLiteral("GPU Deck")},
                                                   {QStringLiteral("version"), QStringLiteral(GPUDECK_VERSION)}}},
        {QStringLiteral("instructions"),
         QStringLiteral("GPU Deck manages a few GPU hosts over SSH: connections, live GPU metrics, jobs in tmux, "
                        "model serving. Start with `fleet` (or `connections_list` and `host_status`). Tools marked "
                        "destructive change nothing unless called with \"confirm\": true; without it they answer "
                        "what they would do. Hosts are given by connection id or unique name.")}};
}

QFuture<ApiResponse> McpServer::handle(const ApiRequest &request)
{
    const auto ready = [](ApiResponse r) { return QtFuture::makeReadyFuture(std::move(r)); };

    const QByteArray version = request.header("mcp-protocol-version").trimmed();
    if (!version.isEmpty() && !supportedVersions().contains(QString::fromLatin1(version))) {
        return ready(rpcError(QJsonValue(), kInvalidRequest,
                              QStringLiteral("unsupported MCP-Protocol-Version '%1'; this server speaks %2")
                                  .arg(QString::fromLatin1(version), supportedVersions().join(QStringLiteral(", "))),
                              400));
    }

    QJsonParseError parseError{};
    const QJsonDocument doc = ApiRequest::jsonDepth(request.body) > ApiRequest::kMaxJsonDepth
                                  ? QJsonDocument()
                                  : QJsonDocument::fromJson(request.body, &parseError);
    if (doc.isNull() && parseError.error != QJsonParseError::NoError &&
        QJsonDocument::fromJson("[" + request.body + "]").isArray() && !request.body.trimmed().isEmpty()) {
        // Valid JSON, but a bare string, number, ... : not a JSON-RPC message.
        return ready(
            rpcError(QJsonValue(), kInvalidRequest, QStringLiteral("a JSON-RPC message must be an object"), 400));
    }
    if (doc.isNull()) {
        return ready(rpcError(
            QJsonValue(), kParseError,
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("parse error: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                : QStringLiteral("parse error: an empty body, or nested too deeply"),
            400));
    }
    if (doc.isArray()) {
        return ready(rpcError(QJsonValue(), kInvalidRequest,
                              QStringLiteral("JSON-RPC batches are not supported: send one message per request"), 400));
    }
    const QJsonObject message = doc.object();
    const QJsonValue id = message.value(QStringLiteral("id"));
    const QJsonValue method = message.value(QStringLiteral("method"));
    if (message.value(QStringLiteral("jsonrpc")).toString() != QStringLiteral("2.0")) {
        return ready(rpcError(validId(id) ? id : QJsonValue(), kInvalidRequest,
                              QStringLiteral("not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\" is missing)"), 400));
    }
    if (method.isUndefined() &&
        (message.contains(QStringLiteral("result")) || message.contains(QStringLiteral("error")))) {
        return ready(accepted()); // a client's answer: this server asks nothing, so there is nothing to match
    }
    if (!method.isString()) {
        return ready(rpcError(validId(id) ? id : QJsonValue(), kInvalidRequest,
                              QStringLiteral("a request needs a string \"method\""), 400));
    }
    if (id.isUndefined()) {
        return ready(accepted()); // a notification (initialized, cancelled, ...): nothing to answer
    }
    if (!validId(id)) {
        return ready(rpcError(QJsonValue(), kInvalidRequest,
                              QStringLiteral("a request's \"id\" must be a string or an integer"), 400));
    }
    const QJsonValue paramsValue = message.value(QStringLiteral("params"));
    if (!paramsValue.isUndefined() && !paramsValue.isObject()) {
        return ready(rpcError(id, kInvalidParams, QStringLiteral("\"params\" must be an object")));
    }
    const QJsonObject params = paramsValue.toObject();
    const QString name = method.toString();

    if (name == QStringLiteral("initialize")) {
        ApiResponse r = rpcResult(id, initializeResult(params));
        r.headers.append(
            {QByteArrayLiteral("Mcp-Session-Id"), QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1()});
        return ready(r);
    }
    if (name == QStringLiteral("ping")) {
        return ready(rpcResult(id, QJsonObject{}));
    }
    if (!request.router) {
        return ready(rpcError(id, -32603, QStringLiteral("the MCP server has no routes to call")));
    }
    const McpTools &table = tools(*request.router);
    if (name == QStringLiteral("tools/list")) {
        return ready(rpcResult(id, QJsonObject{{QStringLiteral("tools"), table.definitions()}}));
    }
    if (name != QStringLiteral("tools/call")) {
        return ready(rpcError(id, kMethodNotFound, QStringLiteral("method not found: %1").arg(name)));
    }

    const QJsonValue toolName = params.value(QStringLiteral("name"));
    const McpTools::Tool *tool = toolName.isString() ? table.find(toolName.toString()) : nullptr;
    if (!tool) {
        return ready(rpcError(id, kInvalidParams,
                              toolName.isString() ? QStringLiteral("unknown tool: %1").arg(toolName.toString())
                                                  : QStringLiteral("tools/call needs the tool's \"name\"")));
    }
    const QJsonValue arguments = params.value(QStringLiteral("arguments"));
    if (!arguments.isUndefined() && !arguments.isNull() && !arguments.isObject()) {
        return ready(rpcError(id, kInvalidParams, QStringLiteral("\"arguments\" must be an object")));
    }
    McpTools::Call call = McpTools::prepare(*tool, arguments.toObject());
    if (!call.error.isEmpty()) {
        return ready(rpcError(id, kInvalidParams, call.error));
    }
    if (call.result) {
        const QByteArray text = QJsonDocument(*call.result).toJson(QJsonDocument::Compact);
        return ready(
            rpcResult(id, QJsonObject{{QStringLiteral("content"),
                                       QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                              {QStringLiteral("text"), QString::fromUtf8(text)}}}},
                                      {QStringLiteral("structuredContent"), *call.result},
                                      {QStringLiteral("isError"), false}}));
    }
    ApiRequest inner = std::move(*call.request);
    inner.context = request.context;
    inner.router = request.router;
    const McpTools::Tool toolCopy = *tool;
    QFuture<ApiResponse> answer = ApiDispatch::call(*request.router, std::move(inner));
    const auto toResult = [id, toolCopy](const ApiResponse &response) {
        return rpcResult(id, McpTools::result(toolCopy, response));
    };
    if (answer.isFinished() && answer.resultCount() > 0) {
        return ready(toResult(answer.result()));
    }
    return answer.then(request.context, toResult);
}

void registerMcpRoutes(Router &router)
{
    auto server = std::make_shared<McpServer>();
    router.addAsync("POST", QStringLiteral("/mcp"), [server](const ApiRequest &req) { return server->handle(req); });
    router.setRawBody("POST", QStringLiteral("/mcp"));
}

} // namespace gpudeck
