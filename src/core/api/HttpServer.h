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
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

namespace gpudeck {

class HttpConnection;
class HttpListener;

// What the API's servers share, one HttpServer per API thread (ApiServer): the routes, the guard and the limits
// (read-only once serving), the request counts (thread-safe), the number of open connections (atomic, against
// HttpLimits::maxConnections) and how a descriptor accepted by the listening server reaches a server.
struct HttpShared
{
    HttpShared(RequestGuard g, Router r, HttpLimits l)
        : guard(std::move(g))
        , router(std::move(r))
        , limits(l.fittedToFileLimit())
    {
    }

    const RequestGuard guard;
    const Router router;
    const HttpLimits limits;
    ApiRequestStats stats;
    std::atomic<int> connections{0}; // open HttpConnections of all servers
    // Hands an accepted `descriptor` to the server number `target` (-1: the next one, round robin), which adopts
    // it on its own thread; `hops` counts the servers already asked (at the connection limit, each server in turn
    // looks for a quiet connection to drop). Unset: the accepting server keeps every connection.
    std::function<void(qintptr descriptor, int target, int hops)> handOff;
    int servers = 1;
};

// The HTTP front of the API on one API thread: accept, gate, guard, route, answer. Each API thread has its own
// HttpServer with the connections it adopted; a connection lives its whole life on that thread, and so do its
// asynchronous answers and streams (`this` is ApiRequest::context). The first server also listens and hands
// every accepted descriptor to a server, round robin (itself included; HttpShared::handOff).
// Each connection is an HttpConnection, which parses requests off the socket and asks admit() about each
// head before any body is read; a complete request comes back through dispatch(). Responses are written to
// the socket in one piece; asynchronous routes answer later on the same socket, if the client is still there.
// At most HttpLimits::maxConnections are open at once over all servers (fitted to the open-file limit): at the
// limit a server drops its quietest connection for a new one, or passes the new one to the next server; when no
// server has a quiet one, it is answered 503 and closed at once. A sweep timer closes connections past their
// head, idle or linger deadline.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    // A server of its own (one thread, nothing shared).
    HttpServer(RequestGuard guard, Router router, HttpLimits limits = {}, QObject *parent = nullptr);
    // Server number `index` of those sharing `shared`.
    HttpServer(std::shared_ptr<HttpShared> shared, int index, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens on `address`:`port` (0 picks a free port); the bound port.
    Result<quint16> listen(const QHostAddress &address, quint16 port);

    const Router &router() const { return m_shared->router; }
    const HttpLimits &limits() const { return m_shared->limits; }
    qsizetype connectionCount() const { return m_connections.size(); }
    // Requests answered so far by every server, by method, route and status (GET /metrics).
    const ApiRequestStats &requestStats() const { return m_shared->stats; }

    static QByteArray serialize(const ApiResponse &response, bool close);
    static qint64 nowMs();

    // For HttpConnection: checks a request's head (host, origin, token, declared size against the route's
    // limit) and fills in its path, route and body limit. nullopt: read the body; else the refusal.
    std::optional<ApiResponse> admit(HttpRequest &request) const;
    // For HttpConnection: routes a complete request and answers it on `connection`.
    void dispatch(HttpRequest request, HttpConnection &connection);

    // On this server's thread: takes an accepted descriptor (see HttpShared::handOff).
    void adopt(qintptr descriptor, int hops);

private:
    ApiDispatch::Answer route(HttpRequest &request, HttpConnection &connection);
    void accept(qintptr descriptor);
    bool reserveConnection();
    void forget(HttpConnection *connection);
    static void refuseBusy(qintptr descriptor, int maxConnections);
    void sweep();

    std::shared_ptr<HttpShared> m_shared;
    int m_index = 0;
    HttpListener *m_listener = nullptr;
    QSet<HttpConnection *> m_connections;
    QTimer m_sweep;
};

} // namespace gpudeck
