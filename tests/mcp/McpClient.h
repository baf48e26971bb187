#pragma once

// A small MCP client over a real socket (tests and the benchmark): one JSON-RPC message per POST /mcp, as the
// Streamable HTTP transport sends it, through test::HttpClient so every header is under the test's control.

#include "HttpClient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryFile>

namespace gpudeck::test {

class McpClient
{
public:
    McpClient(quint16 port, QByteArray token)
        : m_http(port, std::move(token))
    {
    }

    HttpClient &http() { return m_http; }

    // POSTs `body` as it is to /mcp.
    HttpReply postRaw(const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers = {},
                      bool withToken = true) const
    {
        headers.append(
            qMakePair(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json, text/event-stream")));
        return m_http.request("POST", QStringLiteral("/mcp"), body, headers, withToken);
    }

    // A request (with the next id) or, without an id, a notification.
    HttpReply send(const QString &method, const QJsonObject &params = {}, bool notification = false,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QJsonObject message{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("method"), method}};
        if (!params.isEmpty()) {
            message.insert(QStringLiteral("params"), params);
        }
        if (!notification) {
            message.insert(QStringLiteral("id"), ++m_nextId);
        }
        return postRaw(QJsonDocument(message).toJson(QJsonDocument::Compact), headers);
    }

    // tools/call; the JSON-RPC answer as a whole ({"result": ...} or {"error": ...}).
    QJsonObject call(const QString &tool, const QJsonObject &arguments = {})
    {
        return send(QStringLiteral("tools/call"),
                    {{QStringLiteral("name"), tool}, {QStringLiteral("arguments"), arguments}})
            .object();
    }

    QJsonArray listTools()
    {
        return send(QStringLiteral("tools/list"))
            .object()
            .value(QStringLiteral("result"))
            .toObject()
            .value(QStringLiteral("tools"))
            .toArray();
    }

private:
    HttpClient m_http;
    int m_nextId = 0;
};

// Runs tests/mcp/validate_tools.mjs (ajv) over `tools` and `calls`; the problems it printed, empty when none. The
// npm test tools must be installed (tests/tools/install.sh): without them this fails, saying so.
inline QString validateTools(const QJsonArray &tools, const QJsonArray &calls)
{
    const QString toolsDir = QStringLiteral(GPUDECK_TEST_TOOLS_DIR);
    const QString node = toolsDir + QStringLiteral("/node_modules/.bin/node");
    if (!QFile::exists(node) || !QFile::exists(toolsDir + QStringLiteral("/node_modules/ajv"))) {
        return QStringLiteral("the npm test tools are missing (no %1): run tests/tools/install.sh").arg(node);
    }
    QTemporaryFile input;
    if (!input.open()) {
        return QStringLiteral("cannot write a temporary file");
    }
    input.write(QJsonDocument(QJsonObject{{QStringLiteral("tools"), tools}, {QStringLiteral("calls"), calls}})
                    .toJson(QJsonDocument::Compact));
    input.flush();
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(node,
            {QStringLiteral(GPUDECK_MCP_TEST_DIR) + QStringLiteral("/validate_tools.mjs"), toolsDir, input.fileName()});
    if (!p.waitForFinished(60000)) {
        return QStringLiteral("validate_tools.mjs did not finish: %1").arg(p.errorString());
    }
    const QString out = QString::fromUtf8(p.readAll());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        return out.isEmpty() ? QStringLiteral("validate_tools.mjs failed") : out;
    }
    return {};
}

} // namespace gpudeck::test
