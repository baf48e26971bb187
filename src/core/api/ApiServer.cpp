#include "api/ApiServer.h"

#include "api/Controllers.h"
#include "api/HttpServer.h"
#include "logging/Logging.h"
#include "mcp/McpServer.h"
#include "store/Database.h"

#include <QHostAddress>

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

Result<quint16> ApiServer::start(quint16 port)
{
    if (m_thread.isRunning()) {
        return Error::conflict(QStringLiteral("the API server is already running"));
    }
    Router router = buildRouter(m_context);

    QString error;
    quint16 bound = 0;
    // The server and its listening socket are created and bound on the API thread, so they belong to it.
    m_thread.start([&]() -> HttpServer * {
        auto *server = new HttpServer(RequestGuard(m_token), std::move(router), m_limits);
        Result<quint16> listening = server->listen(QHostAddress::LocalHost, port);
        if (!listening) {
            error = listening.error().message;
            delete server;
            return nullptr; // the thread ends at once
        }
        bound = listening.value();
        return server;
    });
    if (!m_thread.isRunning()) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("port_unavailable"), error);
    }
    m_port = bound;
    qCInfo(lcApi).noquote() << QStringLiteral("API listening on http://127.0.0.1:%1").arg(m_port);
    return m_port;
}

void ApiServer::stop()
{
    // The server (and every socket and stream it owns) is deleted on the API thread after its loop ended; the
    // thread's database connection is released there first.
    m_thread.stop([this](HttpServer *) { m_db.releaseThread(); });
    m_port = 0;
}

} // namespace gpudeck
