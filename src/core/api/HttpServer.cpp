#include "api/HttpServer.h"

#include "logging/Logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
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

} // namespace

HttpServer::HttpServer(RequestGuard guard, Router router, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_guard(std::move(guard))
    , m_router(std::move(router))
{
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const ApiResponse response = dispatch(request);
    send(request, socket, response);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    send(request, socket, ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")));
}

ApiResponse HttpServer::dispatch(const QHttpServerRequest &request)
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
    ApiResponse response = (*match.handler)(api);
    qCDebug(lcApi) << api.method << api.path << response.status;
    return response;
}

void HttpServer::send(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    if (!response.contentType.isEmpty()) {
        responder.writeHeader(QByteArrayLiteral("Content-Type"), response.contentType);
    }
    for (const auto &h : response.headers) {
        responder.writeHeader(h.first, h.second);
    }
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}

} // namespace gpudeck
