#include "api/ApiServer.h"

#include "api/Controllers.h"
#include "api/HttpServer.h"
#include "logging/Logging.h"
#include "mcp/McpServer.h"
#include "store/Database.h"

#include <QHostAddress>
#include <QThread>
#include <algorithm>
#include <unistd.h>

namespace gpudeck {

ApiServer::ApiServer(Database &db, ApiContext context, ApiToken token, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_context(context)
    , m_token(std::move(token))
{
}

ApiServer::~ApiServer()
{
    stop();
}

Router ApiServer::buildRouter(ApiContext &context)
{
    Router router;
    registerSystemRoutes(router, context);
    registerConnectionRoutes(router, context);
    registerProjectRoutes(router, context);
    registerJobRoutes(router, context);
    registerSshRoutes(router, context);
    registerMetricsRoutes(router, context);
    registerModelRoutes(router, context);
    registerProxyRoutes(router, context);
    registerJobRunRoutes(router, context);
    registerFleetRoutes(router, context);
    registerAuditRoutes(router, context);
    registerPrometheusRoutes(router, context);
    registerEventRoutes(router, context);
    registerProxmoxRoutes(router, context);
    registerWakeRoutes(router, context);
    registerReportRoutes(router, context);
    registerRunPodRoutes(router, context);
    registerSyncRoutes(router, context);
    registerMcpRoutes(router);

    // Every action is recorded in the audit log by ApiDispatch, except what only carries or passes on other calls:
    // the MCP transport (each tool call is recorded itself, as origin mcp) and the OpenAI-style proxy.
    router.setAuditLog(&context.audit);
    for (const QString &route : router.routes()) {
        const qsizetype space = route.indexOf(QLatin1Char(' '));
        const QString pattern = route.mid(space + 1);
        if (pattern == QStringLiteral("/mcp") || pattern.startsWith(QStringLiteral("/v1/")) ||
            pattern == QStringLiteral("/rerank")) {
            router.setAudited(route.left(space).toLatin1(), pattern, false);
        }
    }
    return router;
}

QStringList ApiServer::routes() const
{
    ApiContext context = m_context; // the handlers are dropped with the router, never called
    return buildRouter(context).routes();
}

QHash<QString, QStringList> ApiServer::routeQueryParams() const
{
    ApiContext context = m_context;
    const Router router = buildRouter(context);
    QHash<QString, QStringList> out;
    for (const QString &route : router.routes()) {
        const qsizetype space = route.indexOf(QLatin1Char(' '));
        out.insert(route, router.queryParams(route.left(space).toLatin1(), route.mid(space + 1)));
    }
    return out;
}

int ApiServer::threadCount() const
{
    if (m_limits.threads > 0) {
        return std::min(m_limits.threads, HttpLimits::kMaxThreads);
    }
    return std::clamp(QThread::idealThreadCount(), 2, 4);
}

Result<quint16> ApiServer::start(quint16 port)
{
    if (!m_threads.empty()) {
        return Error::conflict(QStringLiteral("the API server is already running"));
    }
    const int count = threadCount();
    auto shared = std::make_shared<HttpShared>(RequestGuard(m_token), buildRouter(m_context), m_limits);
    shared->servers = count;
    // A descriptor accepted on the first thread goes to its server's thread, queued (or at once when that is the
    // accepting thread). A thread already stopped (shutting down) cannot take it: it is closed.
    shared->handOff = [this](qintptr descriptor, int target, int hops) {
        const int n = int(m_threads.size());
        const int index = target >= 0 ? target : int(m_next.fetch_add(1, std::memory_order_relaxed) % unsigned(n));
        WorkerThread<HttpServer> &thread = *m_threads[size_t(index)];
        if (thread.thread() == QThread::currentThread()) {
            if (HttpServer *server = thread.worker()) {
                server->adopt(descriptor, hops);
                return;
            }
        } else if (thread.post([descriptor, hops](HttpServer *server) { server->adopt(descriptor, hops); })) {
            return;
        }
        ::close(int(descriptor));
    };
    for (int i = 0; i < count; ++i) {
        m_threads.push_back(std::make_unique<WorkerThread<HttpServer>>(QStringLiteral("gpudeck-api-%1").arg(i + 1)));
    }

    // Each server is created on its own thread, so it and its connections belong to that thread. The serving
    // threads start first; the first thread, which listens, last: every server exists before a connection comes.
    for (int i = 1; i < count; ++i) {
        m_threads[size_t(i)]->start([shared, i] { return new HttpServer(shared, i); });
    }
    QString error;
    quint16 bound = 0;
    m_threads.front()->start([&]() -> HttpServer * {
        auto *server = new HttpServer(shared, 0);
        Result<quint16> listening = server->listen(QHostAddress::LocalHost, port);
        if (!listening) {
            error = listening.error().message;
            delete server;
            return nullptr; // the thread ends at once
        }
        bound = listening.value();
        return server;
    });
    if (!m_threads.front()->isRunning()) {
        stop();
        return Error::make(ErrorCode::Unavailable, QStringLiteral("port_unavailable"), error);
    }
    m_port = bound;
    qCInfo(lcApi).noquote()
        << QStringLiteral("API listening on http://127.0.0.1:%1 (%2 threads)").arg(m_port).arg(count);
    return m_port;
}

void ApiServer::stop()
{
    // The listening thread first, so no connection is handed to a thread that has stopped. Each server (and every
    // socket and stream it owns) is deleted on its API thread after its loop ended; the thread's database
    // connection is released there first.
    for (auto &thread : m_threads) {
        thread->stop([this](HttpServer *) { m_db.releaseThread(); });
    }
    m_threads.clear();
    m_port = 0;
}

} // namespace gpudeck
