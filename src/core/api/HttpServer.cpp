#include "api/HttpServer.h"

#include "api/ResponseStream.h"
#include "logging/Logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTcpSocket>

namespace gpudeck {
namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    default:
        return QByteArrayLiteral("OTHER");
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 409: return QByteArrayLiteral("Conflict");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 415: return QByteArrayLiteral("Unsupported Media Type");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    default: return QByteArrayLiteral("Status");
    }
}

} // namespace

HttpServer::HttpServer(RequestGuard guard, Router router, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_guard(std::move(guard))
    , m_router(std::move(router))
{
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const bool close =
        RequestGuard::header(request.headers(), "connection").trimmed().compare("close", Qt::CaseInsensitive) == 0;
    Dispatched result = dispatch(request, socket);
    if (auto *response = std::get_if<ApiResponse>(&result)) {
        write(socket, *response, close);
        return true;
    }
    if (std::holds_alternative<Streamed>(result)) {
        return true; // the handler owns the response now
    }
    QPointer<QTcpSocket> guarded(socket);
    std::get<QFuture<ApiResponse>>(result)
        .then(this, [guarded, close](const ApiResponse &response) {
            if (guarded) {
                write(guarded, response, close);
            }
        })
        .onCanceled(this, [guarded, close] {
            if (guarded) {
                write(guarded,
                      ApiResponse::error(503, QStringLiteral("cancelled"),
                                         QStringLiteral("the request was abandoned (GPU Deck is shutting down?)")),
                      close);
            }
        });
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    write(socket, ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")), true);
}

HttpServer::Dispatched HttpServer::dispatch(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ApiRequest api;
    api.method = methodName(request.method());
    const QUrl url = request.url();
    api.path = url.path(QUrl::FullyDecoded);
    api.body = request.body();

    const RequestGuard::Request guarded{api.method, api.path, request.headers(), api.body.size()};
    if (auto refusal = m_guard.check(guarded)) {
        qCDebug(lcApi) << api.method << api.path << "refused" << refusal->status;
        return *refusal;
    }

    Router::Match match = m_router.match(api.method, api.path);
    if (match.outcome == Router::Outcome::NoSuchPath) {
        return ApiResponse::error(404, QStringLiteral("not_found"),
                                  QStringLiteral("no endpoint %1 %2").arg(QString::fromLatin1(api.method), api.path));
    }
    if (match.outcome == Router::Outcome::MethodNotAllowed) {
        ApiResponse r = ApiResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2").arg(QString::fromLatin1(api.method), api.path));
        r.headers.append({QByteArrayLiteral("Allow"), match.allowedMethods.join(", ")});
        return r;
    }

    if ((api.method == "POST" || api.method == "PUT") && !api.body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(api.body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            return ApiResponse::error(400, QStringLiteral("malformed_json"),
                                      QStringLiteral("the body is not valid JSON (offset %1: %2)")
                                          .arg(parseError.offset)
                                          .arg(parseError.errorString()));
        }
        if (!doc.isObject()) {
            return ApiResponse::error(400, QStringLiteral("malformed_json"),
                                      QStringLiteral("the body must be a JSON object"));
        }
        api.json = doc.object();
    }

    api.params = std::move(match.params);
    api.query = QUrlQuery(url);
    api.context = this;
    if (match.asyncHandler) {
        return (*match.asyncHandler)(api);
    }
    if (match.streamHandler) {
        (*match.streamHandler)(api, std::make_shared<ResponseStream>(this, socket));
        return Streamed{};
    }
    ApiResponse response = (*match.handler)(api);
    qCDebug(lcApi) << api.method << api.path << response.status;
    return response;
}

QByteArray HttpServer::serialize(const ApiResponse &response, bool close)
{
    const QByteArray reason = reasonPhrase(response.status);
    QByteArray out;
    out.reserve(160 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason + "\r\n";
    if (!response.contentType.isEmpty()) {
        out += "Content-Type: " + response.contentType + "\r\n";
    }
    for (const auto &h : response.headers) {
        out += h.first + ": " + h.second + "\r\n";
    }
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (close) {
        out += "Connection: close\r\n";
    }
    out += "\r\n";
    out += response.body;
    return out;
}

void HttpServer::write(QTcpSocket *socket, const ApiResponse &response, bool close)
{
    socket->write(serialize(response, close));
    if (close) {
        socket->disconnectFromHost();
    }
}

} // namespace gpudeck
