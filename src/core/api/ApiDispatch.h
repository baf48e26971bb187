#pragma once

#include "api/ApiRequest.h"
#include "api/ApiResponse.h"
#include "api/Router.h"

#include <QFuture>
#include <functional>
#include <memory>
#include <variant>

namespace gpudeck {

class ResponseStream;

// The one way a request reaches a route's handler, whoever asks: HttpServer for an HTTP request (after its own
// checks: Host, Origin, token, sizes, content type) and the MCP server for a tool call, in process. From the
// route on, both take exactly this path: 404/405, undeclared query parameters refused, the JSON body parsed,
// the handler run. Whatever must happen for every API action, whatever its origin (ApiRequest::caller), belongs
// here and nowhere else.
class ApiDispatch
{
public:
    struct Streamed
    {
    };
    // An answer now, an answer later, or (a stream route) the handler owns the response.
    using Answer = std::variant<ApiResponse, QFuture<ApiResponse>, Streamed>;
    // Opens a stream route's response (HTTP: on the connection's socket).
    using StreamOpener = std::function<std::shared_ptr<ResponseStream>()>;

    // Runs the route `match` (router.match(request.method, request.path)) for `request`, which carries method,
    // path, query, body, headers, caller and context. The body is parsed here as the JSON object POST/PUT take,
    // unless the route parses its own (Router::setRawBody).
    static Answer invoke(Router::Match &match, ApiRequest request, const StreamOpener &openStream);

    // For in-process callers: routes `request` through `router` and always answers through a future (ready at
    // once for a synchronous route). A stream route's response is captured: an ordinary response as it is, a
    // streamed one in full when it ends (so never ask for an endless stream here).
    static QFuture<ApiResponse> call(const Router &router, ApiRequest request);
};

} // namespace gpudeck
