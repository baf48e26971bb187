#pragma once

#include "Result.h"
#include "api/ApiContext.h"
#include "api/ApiToken.h"
#include "api/HttpLimits.h"
#include "api/Router.h"
#include "base/WorkerThread.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

namespace gpudeck {

class Database;
class HttpServer;

// Runs the local REST API on threads of its own (`gpudeck-api-1` ... `gpudeck-api-N`, N = HttpLimits::threads, each a
// WorkerThread holding an HttpServer), bound to 127.0.0.1 only. The first thread listens and hands each accepted
// connection to a thread, round robin; a connection and every request on it are served on that thread. Route
// handlers run on the API threads, so a slow request never freezes the window, and the window never delays the API;
// reads run in parallel, actions one at a time (the store's write lock, decision 137).
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(Database &db, ApiContext context, ApiToken token, QObject *parent = nullptr);
    ~ApiServer() override;

    // The HTTP server's limits (connections, sizes, timeouts) for the next start(); by default
    // HttpLimits::fromEnvironment().
    void setLimits(const HttpLimits &limits) { m_limits = limits; }

    // Starts listening on 127.0.0.1:`port` (0 picks a free port). Blocks only until the socket is bound.
    Result<quint16> start(quint16 port);
    void stop();

    quint16 port() const { return m_port; }

    // Every route of the API over `context` (what start() serves; tests list the routes from it).
    static Router buildRouter(ApiContext &context);
    // Every "METHOD /pattern" this server serves (from a router built over its context), in registration order.
    QStringList routes() const;
    // The query parameters each of those routes takes ("METHOD /pattern" -> names; Router::setQueryParams).
    QHash<QString, QStringList> routeQueryParams() const;
    const ApiToken &token() const { return m_token; }

private:
    Database &m_db;
    ApiContext m_context;
    ApiToken m_token;
    HttpLimits m_limits = HttpLimits::fromEnvironment();
    std::vector<std::unique_ptr<WorkerThread<HttpServer>>> m_threads;
    std::atomic<unsigned> m_next{0}; // round robin over m_threads
    // How many API threads start() runs: HttpLimits::threads, else the ideal thread count, between 2 and 4.
    int threadCount() const;
    quint16 m_port = 0;
};

} // namespace gpudeck
