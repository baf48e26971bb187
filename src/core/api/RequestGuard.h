#pragma once

#include "api/ApiResponse.h"
#include "api/ApiToken.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <optional>

namespace gpudeck {

// The API's security rules. They are checked on the request head, at the socket, before any body is read
// (checkHead), and on the body once it is complete (checkBody):
//  - exactly one Host header, and it names a loopback host (127.0.0.1, localhost, [::1]) with a numeric
//    port or none; an absolute-form request target must name one too (DNS rebinding), 403 (400 for two);
//  - an Origin header is refused (a web page trying a cross-site request), 403, unless it is the request's own
//    origin, http://<its loopback Host> (MCP clients may send it; no page is ever served from there);
//  - a token is required everywhere but GET /api/health, 401;
//  - a body over the route's limit (1 MiB unless the route has its own) is refused, 413: the declared
//    Content-Length at the head, a chunked body as it streams;
//  - a POST/PUT/PATCH body must be application/json, 415; a body labelled application/x-www-form-urlencoded (what
//    `curl -d` sends) passes here and is taken when it parses as JSON, else refused 415 (notJson()).
class RequestGuard
{
public:
    static constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

    struct Request
    {
        QByteArray method;
        QString path;
        QList<QPair<QByteArray, QByteArray>> headers;
        // At the head: the declared Content-Length (0 when there is none); after the body: its size.
        qsizetype bodySize = 0;
        qsizetype bodyLimit = kMaxBodyBytes;
        // The authority of an absolute-form request target ("GET http://host:port/path"); empty otherwise.
        QByteArray targetAuthority;
    };

    explicit RequestGuard(ApiToken token);

    // nullopt when the request may proceed, else the refusal to send. check() is both.
    std::optional<ApiResponse> checkHead(const Request &request) const;
    static std::optional<ApiResponse> checkBody(const Request &request);
    std::optional<ApiResponse> check(const Request &request) const;

    static ApiResponse payloadTooLarge(qsizetype limit);
    // The 415 for a body that is not JSON under a type checkBody let through (form-urlencoded).
    static ApiResponse notJson(const QByteArray &mediaType);

    // The Content-Type's media type, lower case, without parameters ("" when there is none).
    static QByteArray mediaType(const QList<QPair<QByteArray, QByteArray>> &headers);
    // Whether the body is labelled application/x-www-form-urlencoded (accepted when it is JSON).
    static bool isFormLabelled(const QList<QPair<QByteArray, QByteArray>> &headers);

    static QByteArray header(const QList<QPair<QByteArray, QByteArray>> &headers, const char *name);
    static bool isLoopbackHost(const QByteArray &hostHeader);

private:
    ApiToken m_token;
};

} // namespace gpudeck
