#pragma once

#include "api/RequestGuard.h"
#include "api/Router.h"

#include <QAbstractHttpServer>

namespace gpudeck {

// The HTTP front of the API: guard, route, answer. Lives on the API thread.
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpServer(RequestGuard guard, Router router, QObject *parent = nullptr);

    const Router &router() const { return m_router; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiResponse dispatch(const QHttpServerRequest &request);
    static void send(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response);

    RequestGuard m_guard;
    Router m_router;
};

} // namespace gpudeck
