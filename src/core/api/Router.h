#pragma once

#include "api/ApiRequest.h"
#include "api/ApiResponse.h"

#include <QByteArrayList>
#include <QFuture>
#include <QList>
#include <QStringList>
#include <functional>
#include <memory>

namespace gpudeck {

class AuditRepository;
class ResponseStream;

// Maps "METHOD /path/:param" to handlers. A dozen or two routes: a linear scan over pre-split patterns
// is faster than anything cleverer at this size.
class Router
{
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;
    // For work that waits on something (SSH, a remote HTTP service): answers when the future finishes,
    // without holding up the API thread meanwhile.
    using AsyncHandler = std::function<QFuture<ApiResponse>(const ApiRequest &)>;
    // For responses written as data arrives (server-sent events, proxied streams).
    using StreamHandler = std::function<void(const ApiRequest &, std::shared_ptr<ResponseStream>)>;

    enum class Outcome { Found, NoSuchPath, MethodNotAllowed };

    struct Match
    {
        Outcome outcome = Outcome::NoSuchPath;
        const Handler *handler = nullptr;
        const AsyncHandler *asyncHandler = nullptr;
        const StreamHandler *streamHandler = nullptr;
        QHash<QString, QString> params;
        QByteArrayList allowedMethods; // for 405
        qsizetype bodyLimit = 0;       // the route's own body limit (setBodyLimit); 0: the server's default
        QStringList queryParams;       // the query parameters the route takes (setQueryParams); others are refused
        bool rawBody = false;          // the handler parses the body itself (setRawBody)
        QByteArray streamedBody;       // the media type of a body read while the handler runs (setStreamedBody)
        QString pattern;               // the matched route's pattern ("/api/dgx/jobs/:id")
        bool audited = false;          // an action: recorded in the audit log (setAudited)
    };

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    void addAsync(const QByteArray &method, const QString &pattern, AsyncHandler handler);
    void addStream(const QByteArray &method, const QString &pattern, StreamHandler handler);
    Match match(const QByteArray &method, const QString &path) const;
    // A body limit of the route's own (e.g. an upload), instead of the server's default (HttpLimits). The
    // server checks it on the request head, before any body is read. The route must have been added.
    void setBodyLimit(const QByteArray &method, const QString &pattern, qsizetype bytes);

    // The query parameters a route takes. A request with any other is refused with 400 before the handler runs
    // (an agent's `?status=running` on a route without that filter must not silently answer everything).
    // A route that takes none needs no call. The route must have been added.
    void setQueryParams(const QByteArray &method, const QString &pattern, const QStringList &names);
    // The query parameters a route takes, or an empty list (none, or no such route).
    QStringList queryParams(const QByteArray &method, const QString &pattern) const;

    // The route parses its body itself (MCP's JSON-RPC answers a malformed body with its own error): the body is
    // not refused for not being a JSON object, and ApiRequest::json stays empty. The route must have been added.
    void setRawBody(const QByteArray &method, const QString &pattern);
    // The route takes a body of `mediaType` (e.g. multipart/form-data) that is not held before the handler runs:
    // the handler is called at the request's head and reads the body as it arrives (ApiRequest::bodyStream),
    // within the route's body limit. Other media types are refused (415). Implies setRawBody.
    void setStreamedBody(const QByteArray &method, const QString &pattern, const QByteArray &mediaType);

    // Whether calls of a route are actions recorded in the audit log (ApiDispatch does it). By default every POST,
    // PUT, PATCH and DELETE route is, and no other; a transport that carries other calls (POST /mcp, whose tool calls
    // are recorded themselves) or a pass-through to something else (the OpenAI-style proxy) is not.
    void setAudited(const QByteArray &method, const QString &pattern, bool audited);
    // Where ApiDispatch records actions; none: nothing is recorded (tests of the router alone).
    void setAuditLog(AuditRepository *audit) { m_audit = audit; }
    AuditRepository *auditLog() const { return m_audit; }

    // Every registered "METHOD pattern", for docs checks.
    QStringList routes() const;

private:
    struct Route
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Handler handler;
        AsyncHandler asyncHandler;
        StreamHandler streamHandler;
        qsizetype bodyLimit = 0;
        QStringList queryParams{};
        bool rawBody = false;
        bool audited = false;
        QByteArray streamedBody{};
    };
    QList<Route> m_routes;
    AuditRepository *m_audit = nullptr;
};

} // namespace gpudeck
