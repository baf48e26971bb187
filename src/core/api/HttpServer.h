#pragma once

#include "Result.h"
#include "api/ApiDispatch.h"
#include "api/ApiRequestStats.h"
#include "api/HttpLimits.h"
#include "api/HttpRequest.h"
#include "api/RequestGuard.h"
#include "api/Router.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <optional>
#include <variant>

namespace gpudeck {

class HttpConnection;
class HttpListener;

// The HTTP front of the API: accept, gate, guard, route, answer. Lives on the API thread.
// Each connection is an HttpConnection, which parses requests off the socket and asks admit() about each
// head before any body is read; a complete request comes back through dispatch(). Responses are written to
// the socket in one piece; asynchronous routes answer later on the same socket, if the client is still there.
// At most HttpLimits::maxConnections are open at once (fitted to the open-file limit); the excess is answered
// 503 and closed at once. A sweep timer closes connections past their head, idle or linger deadline.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    HttpServer(RequestGuard guard, Router router, HttpLimits limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens on `address`:`port` (0 picks a free port); the bound port.
    Result<quint16> listen(const QHostAddress &address, quint16 port);

    const Router &router() const { return m_router; }
    const HttpLimits &limits() const { return m_limits; }
    qsizetype connectionCount() const { return m_connections.size(); }
    // Requests answered so far, by method, route and status (GET /metrics).
    const ApiRequestStats &requestStats() const { return m_stats; }

    static QByteArray serialize(const ApiResponse &response, bool close);
    static qint64 nowMs();

    // For HttpConnection: checks a request's head (host, origin, token, declared size against the route's
    // limit) and fills in its path, route and body limit. nullopt: read the body; else the refusal.
    std::optional<ApiResponse> admit(HttpRequest &request) const;
    // For HttpConnection: routes a complete request and answers it on `connection`.
    void dispatch(HttpRequest request, HttpConnection &connection);

private:
    ApiDispatch::Answer route(HttpRequest &request, HttpConnection &connection);
    void accept(qintptr descriptor);
    void sweep();

    RequestGuard m_guard;
    Router m_router;
    HttpLimits m_limits;
    HttpListener *m_listener = nullptr;
    QSet<HttpConnection *> m_connections;
    QTimer m_sweep;
    mutable ApiRequestStats m_stats; // admit() is const and counts its refusals
};

} // namespace gpudeck
