#pragma once

#include "api/RequestGuard.h"
#include "api/Router.h"

#include <QAbstractHttpServer>

#include <variant>

namespace gpudeck {

// The HTTP front of the API: guard, route, answer. Lives on the API thread. Responses are written to the
// socket in one piece; asynchronous routes answer later on the same socket, if the client is still there.
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpServer(RequestGuard guard, Router router, QObject *parent = nullptr);

    const Router &router() const { return m_router; }

    static QByteArray serialize(const ApiResponse &response, bool close);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Streamed
    {
    };
    using Dispatched = std::variant<ApiResponse, QFuture<ApiResponse>, Streamed>;
    Dispatched dispatch(const QHttpServerRequest &request, QTcpSocket *socket);
    static void write(QTcpSocket *socket, const ApiResponse &response, bool close);

    RequestGuard m_guard;
    Router m_router;
};

} // namespace gpudeck
