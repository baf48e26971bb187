#include "api/ApiServer.h"

#include "api/Controllers.h"
#include "api/HttpServer.h"
#include "logging/Logging.h"
#include "store/Database.h"

#include <QTcpServer>

namespace gpudeck {

ApiServer::ApiServer(Database &db, ApiContext context, ApiToken token, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_context(context)
    , m_token(std::move(token))
{
    m_thread.setObjectName(QStringLiteral("gpudeck-api"));
}

ApiServer::~ApiServer()
{
    stop();
}

Result<quint16> ApiServer::start(quint16 port)
{
    if (m_server) {
        return Error::conflict(QStringLiteral("the API server is already running"));
    }
    Router router;
    registerSystemRoutes(router, m_context);
    registerConnectionRoutes(router, m_context);
    registerProjectRoutes(router, m_context);
    registerJobRoutes(router, m_context);
    registerSshRoutes(router, m_context);
    registerMetricsRoutes(router, m_context);
    registerModelRoutes(router, m_context);
    registerProxyRoutes(router, m_context);
    registerJobRunRoutes(router, m_context);

    m_thread.start();
    QString error;
    quint16 bound = 0;
    // Create and bind the server on the API thread so its sockets belong to that thread.
    QObject *anchor = new QObject;
    anchor->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            auto *tcp = new QTcpServer;
            if (!tcp->listen(QHostAddress::LocalHost, port)) {
                error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(tcp->errorString());
                delete tcp;
                return;
            }
            m_server = new HttpServer(RequestGuard(m_token), std::move(router));
            m_server->bind(tcp); // the HTTP server takes ownership
            bound = tcp->serverPort();
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater();
    if (!m_server) {
        m_thread.quit();
        m_thread.wait();
        return Error::make(ErrorCode::Unavailable, QStringLiteral("port_unavailable"), error);
    }
    m_port = bound;
    qCInfo(lcApi).noquote() << QStringLiteral("API listening on http://127.0.0.1:%1").arg(m_port);
    return m_port;
}

void ApiServer::stop()
{
    if (!m_thread.isRunning()) {
        return;
    }
    if (m_server) {
        HttpServer *server = m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(
            server,
            [this, server] {
                delete server;
                m_db.releaseThread();
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    m_port = 0;
}

} // namespace gpudeck
