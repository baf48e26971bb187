#pragma once

#include "api/ApiRequest.h"
#include "api/ApiResponse.h"
#include "mcp/McpTools.h"

#include <QFuture>
#include <QJsonObject>
#include <QStringList>
#include <memory>
#include <mutex>

namespace gpudeck {

class Router;

// The MCP server at POST /mcp (Streamable HTTP transport, JSON answers only, no SSE): one JSON-RPC message per
// request. initialize, ping, tools/list and tools/call; a notification or a client's response is accepted with
// 202 and no body. Runs on the API thread behind the same guard as every route (loopback Host, no Origin, the
// token). Tool calls go through ApiDispatch::call into the routes themselves (McpTools), with caller "mcp".
// Stateless: a session id is issued on initialize but never required back (some clients drop it), and any
// supported MCP-Protocol-Version header is accepted on any request.
class McpServer
{
public:
    // Newest first: what initialize offers when the client asks for a version it does not know.
    static const QStringList &supportedVersions();

    // Answers one POST /mcp; `request.router` is the router whose routes the tools call.
    QFuture<ApiResponse> handle(const ApiRequest &request);

    // The tools for `router` (built on first use).
    const McpTools &tools(const Router &router);

private:
    QJsonObject initializeResult(const QJsonObject &params) const;

    std::once_flag m_toolsBuilt;
    std::unique_ptr<McpTools> m_tools;
};

// Adds POST /mcp (GET and DELETE are answered 405 by the router: no SSE stream, no session to end).
void registerMcpRoutes(Router &router);

} // namespace gpudeck
