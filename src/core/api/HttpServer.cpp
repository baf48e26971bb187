#include "api/HttpServer.h"

#include "api/HttpConnection.h"
#include "api/HttpListener.h"
#include "api/ResponseStream.h"
#include "base/AppendNumber.h"
#include "logging/Logging.h"

#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <algorithm>
#include <chrono>
#include <sys/socket.h>
#include <unistd.h>

namespace gpudeck {
namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 202:
        return QByteArrayLiteral("Accepted");
    case 204:
        return QByteArrayLiteral("No Content");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 409:
        return QByteArrayLiteral("Conflict");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 414:
        return QByteArrayLiteral("URI Too Long");
    case 415:
        return QByteArrayLiteral("Unsupported Media Type");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    default:
        return QByteArrayLiteral("Status");
    }
}

} // namespace

HttpServer::HttpServer(RequestGuard guard, Router router, HttpLimits limits, QObject *parent)
    : HttpServer(std::make_shared<HttpShared>(std::move(guard), std::move(router), limits), 0, parent)
{
}

HttpServer::HttpServer(std::shared_ptr<HttpShared> shared, int index, QObject *parent)
    : QObject(parent)
    , m_shared(std::move(shared))
    , m_index(index)
{
    // Deadlines are checked in sweeps, not with a timer per connection: a request costs no timer work.
    const HttpLimits &l = m_shared->limits;
    m_sweep.setInterval(std::clamp(std::min({l.headTimeoutMs, l.idleTimeoutMs, l.lingerMs}) / 10, 20, 1000));
    connect(&m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
    m_sweep.start();
}

HttpServer::~HttpServer()
{
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    m_shared->connections -= int(connections.size());
    qDeleteAll(connections);
}

qint64 HttpServer::nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Result<quint16> HttpServer::listen(const QHostAddress &address, quint16 port)
{
    auto *listener = new HttpListener([this](qintptr descriptor) { accept(descriptor); }, this);
    if (!listener->listen(address, port)) {
        const QString why = listener->errorString();
        delete listener;
        return Error::make(ErrorCode::Unavailable, QStringLiteral("port_unavailable"),
                           QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    m_listener = listener;
    return m_listener->serverPort();
}

void HttpServer::accept(qintptr descriptor)
{
    if (m_shared->handOff && m_shared->servers > 1) {
        m_shared->handOff(descriptor, -1, 0);
    } else {
        adopt(descriptor, 0);
    }
}

bool HttpServer::reserveConnection()
{
    int open = m_shared->connections.load();
    while (open < m_shared->limits.maxConnections) {
        if (m_shared->connections.compare_exchange_weak(open, open + 1)) {
            return true;
        }
    }
    return false;
}

void HttpServer::forget(HttpConnection *connection)
{
    if (m_connections.remove(connection)) {
        --m_shared->connections;
        connection->deleteLater();
    }
}

void HttpServer::refuseBusy(qintptr descriptor, int maxConnections)
{
    // Answered and closed at once, without a socket object: the excess costs a descriptor for a moment.
    const QByteArray refusal = serialize(
        ApiResponse::error(
            503, QStringLiteral("too_many_connections"),
            QStringLiteral("the API has %1 busy connections open, its limit; try again shortly").arg(maxConnections)),
        true);
    [[maybe_unused]] const auto sent =
        ::send(int(descriptor), refusal.constData(), size_t(refusal.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(int(descriptor), SHUT_WR);
    ::close(int(descriptor));
    qCDebug(lcApi) << "connection refused: every one of" << maxConnections << "connections is busy";
}

void HttpServer::adopt(qintptr descriptor, int hops)
{
    const int maxConnections = m_shared->limits.maxConnections;
    bool reserved = reserveConnection();
    if (!reserved) {
        // At the limit: make room by dropping this server's connection that has waited longest for a request (idle
        // keep-alive, or a head that is not arriving), so a flood of idle connections cannot lock out a client
        // that sends a request. A server with none passes the new connection on to the next; only when every
        // connection of every server is busy is the new one refused.
        HttpConnection *quietest = nullptr;
        for (HttpConnection *c : std::as_const(m_connections)) {
            if (c->isWaiting() && (!quietest || c->lastActivityMs() < quietest->lastActivityMs())) {
                quietest = c;
            }
        }
        if (quietest) {
            qCDebug(lcApi) << "at the connection limit of" << maxConnections << "- dropping the quietest";
            quietest->drop();
            forget(quietest);
            reserved = reserveConnection();
        }
    }
    if (!reserved) {
        if (m_shared->handOff && hops + 1 < m_shared->servers) {
            m_shared->handOff(descriptor, (m_index + 1) % m_shared->servers, hops + 1);
        } else {
            refuseBusy(descriptor, maxConnections);
        }
        return;
    }
    auto *connection = new HttpConnection(descriptor, *this, m_shared->limits);
    connection->setParent(this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::finished, this, [this](HttpConnection *c) { forget(c); });
}

void HttpServer::sweep()
{
    const qint64 now = nowMs();
    // checkDeadline may close a socket, which may emit finished() and change the set: iterate over a copy.
    const QList<HttpConnection *> connections = m_connections.values();
    for (HttpConnection *c : connections) {
        if (m_connections.contains(c)) {
            c->checkDeadline(now);
        }
    }
}

std::optional<ApiResponse> HttpServer::admit(HttpRequest &request) const
{
    request.url = QUrl::fromEncoded(request.target);
    request.path = request.url.path(QUrl::FullyDecoded);
    RequestGuard::Request guarded{request.method,
                                  request.path,
                                  request.headers,
                                  qsizetype(std::max<qint64>(request.contentLength, 0)),
                                  m_shared->limits.maxBodyBytes,
                                  {}};
    if (!request.url.scheme().isEmpty() || !request.url.authority().isEmpty()) {
        guarded.targetAuthority = request.url.authority(QUrl::FullyEncoded).toUtf8();
        if (guarded.targetAuthority.isEmpty()) {
            guarded.targetAuthority = QByteArrayLiteral("(none)");
        }
    }
    request.match = m_shared->router.match(request.method, request.path);
    if (request.match.bodyLimit > 0) {
        guarded.bodyLimit = request.match.bodyLimit;
    } else if (!request.match.streamedBody.isEmpty()) {
        guarded.bodyLimit = m_shared->limits.maxUploadBytes;
    }
    request.bodyLimit = guarded.bodyLimit;
    if (auto refusal = m_shared->guard.checkHead(guarded)) {
        qCDebug(lcApi) << request.method << request.path << "refused" << refusal->status;
        m_shared->stats.add(request.method, request.match.pattern, refusal->status);
        return refusal;
    }
    return std::nullopt;
}

void HttpServer::dispatch(HttpRequest request, HttpConnection &connection)
{
    const bool close = !request.keepAlive;
    const bool headOnly = request.method == "HEAD";
    const QByteArray method = request.method;
    const QString pattern = request.match.pattern;
    ApiDispatch::Answer result = route(request, connection);
    if (auto *response = std::get_if<ApiResponse>(&result)) {
        m_shared->stats.add(method, pattern, response->status);
        connection.respond(*response, close, headOnly);
        return;
    }
    if (std::holds_alternative<ApiDispatch::Streamed>(result)) {
        m_shared->stats.add(method, pattern, 200); // counted when it starts: the handler owns the response now
        return;
    }
    QPointer<HttpConnection> guarded(&connection);
    connection.beginAsync();
    std::get<QFuture<ApiResponse>>(result)
        .then(this,
              [this, guarded, close, headOnly, method, pattern](const ApiResponse &response) {
                  m_shared->stats.add(method, pattern, response.status);
                  if (guarded) {
                      guarded->endAsync();
                      guarded->respond(response, close, headOnly);
                  }
              })
        .onCanceled(this, [guarded, close] {
            if (guarded) {
                guarded->endAsync();
                guarded->respond(
                    ApiResponse::error(503, QStringLiteral("cancelled"),
                                       QStringLiteral("the request was abandoned (GPU Deck is shutting down?)")),
                    close);
            }
        });
}

ApiDispatch::Answer HttpServer::route(HttpRequest &request, HttpConnection &connection)
{
    const RequestGuard::Request guarded{request.method,      request.path,      request.headers,
                                        request.body.size(), request.bodyLimit, {}};
    if (!request.match.streamedBody.isEmpty()) {
        // An upload: its own media type, its body read by the handler as it arrives.
        const QByteArray type = RequestGuard::mediaType(request.headers);
        if (type != request.match.streamedBody) {
            return ApiResponse::error(
                415, QStringLiteral("unsupported_media_type"),
                QStringLiteral("this route takes a %1 body (got %2)")
                    .arg(QString::fromLatin1(request.match.streamedBody),
                         type.isEmpty() ? QStringLiteral("no Content-Type") : QString::fromLatin1(type.left(100))));
        }
    } else if (auto refusal = RequestGuard::checkBody(guarded)) {
        return *refusal;
    }
    // checkBody let a body labelled application/x-www-form-urlencoded through (curl -d): only JSON is taken.
    if (request.match.streamedBody.isEmpty() && RequestGuard::isFormLabelled(request.headers) &&
        !request.body.trimmed().isEmpty() && ApiRequest::jsonDepth(request.body) <= ApiRequest::kMaxJsonDepth &&
        !ApiRequest::isJson(request.body)) {
        return RequestGuard::notJson(RequestGuard::mediaType(request.headers)); // real form data
    }

    ApiRequest api;
    api.method = request.method;
    api.path = request.path;
    api.query = QUrlQuery(request.url);
    api.body = std::move(request.body);
    api.bodyStream = std::move(request.bodyStream);
    api.headers = std::move(request.headers);
    api.context = this;
    api.router = &m_shared->router;
    return ApiDispatch::invoke(request.match, std::move(api), [this, &connection] {
        connection.markStreaming();
        auto stream = std::make_shared<ResponseStream>(this, connection.socket());
        stream->onFinished([guarded = QPointer<HttpConnection>(&connection)] {
            if (guarded) {
                guarded->streamEnded();
            }
        });
        return stream;
    });
}

QByteArray HttpServer::serialize(const ApiResponse &response, bool close)
{
    // Appended into one buffer sized up front: every answer passes here (no temporary per `+`).
    const QByteArray reason = reasonPhrase(response.status);
    qsizetype size = 96 + reason.size() + response.contentType.size() + response.body.size();
    for (const auto &h : response.headers) {
        size += h.first.size() + h.second.size() + 4;
    }
    QByteArray out;
    out.reserve(size);
    out.append("HTTP/1.1 ");
    appendInteger(out, response.status);
    out.append(' ').append(reason).append("\r\n");
    if (!response.contentType.isEmpty()) {
        out.append("Content-Type: ").append(response.contentType).append("\r\n");
    }
    for (const auto &h : response.headers) {
        out.append(h.first).append(": ").append(h.second).append("\r\n");
    }
    out.append("Content-Length: ");
    appendInteger(out, response.body.size());
    out.append("\r\n");
    if (close) {
        out.append("Connection: close\r\n");
    }
    out.append("\r\n").append(response.body);
    return out;
}

} // namespace gpudeck
