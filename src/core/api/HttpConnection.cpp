#include "api/HttpConnection.h"

#include "api/HttpServer.h"
#include "api/RequestBody.h"
#include "api/RequestGuard.h"
#include "base/SocketWrite.h"
#include "logging/Logging.h"

#include <QPointer>
#include <QTcpSocket>
#include <algorithm>
#include <sys/socket.h>

namespace gpudeck {
namespace {

// Read at most this much from the socket per parser pass, and let Qt buffer at most this much of what the
// client sends: the kernel holds the rest (TCP flow control) until the gate has looked at what came before.
constexpr qsizetype kReadChunk = 64 * 1024;

ApiResponse badRequest(const QString &message)
{
    return ApiResponse::error(400, QStringLiteral("bad_request"), message);
}

bool hasWhitespace(const QByteArray &name)
{
    return std::any_of(name.begin(), name.end(), [](char c) { return c == ' ' || c == '\t'; });
}

} // namespace

// http_parser's callbacks, with access to the connection they parse for.
struct HttpParserCallbacks
{
    static HttpConnection &of(http_parser *p) { return *static_cast<HttpConnection *>(p->data); }

    static int messageBegin(http_parser *p)
    {
        HttpConnection &c = of(p);
        c.m_requestStarted = true;
        if (c.m_served > 0) { // the first request's head counts from the connection's start
            c.m_deadline = HttpServer::nowMs() + c.m_limits.headTimeoutMs;
        }
        return 0;
    }
    static int url(http_parser *p, const char *at, size_t length)
    {
        of(p).m_request.target.append(at, qsizetype(length));
        return 0;
    }
    static int headerField(http_parser *p, const char *at, size_t length)
    {
        HttpConnection &c = of(p);
        if (c.m_inValue) {
            c.storeHeader();
        }
        c.m_sawHeader = true;
        c.m_field.append(at, qsizetype(length));
        return 0;
    }
    static int headerValue(http_parser *p, const char *at, size_t length)
    {
        HttpConnection &c = of(p);
        c.m_inValue = true;
        c.m_value.append(at, qsizetype(length));
        return 0;
    }
    static int headersComplete(http_parser *p)
    {
        HttpConnection &c = of(p);
        if (c.m_inValue) {
            c.storeHeader();
        }
        c.m_headDone = true;
        http_parser_pause(p, 1); // the gate looks at the head before a byte of the body is parsed
        return 0;
    }
    static int body(http_parser *p, const char *at, size_t length)
    {
        HttpConnection &c = of(p);
        if (c.m_bodyStream) {
            if (c.m_bodyStream->received() + qint64(length) > c.m_request.bodyLimit) {
                c.m_refusal = RequestGuard::payloadTooLarge(c.m_request.bodyLimit);
                return -1;
            }
            c.m_bodyStream->append(at, qsizetype(length));
            return 0;
        }
        if (c.m_dropBody) {
            return 0;
        }
        if (c.m_request.body.size() + qsizetype(length) > c.m_request.bodyLimit) {
            c.m_refusal = RequestGuard::payloadTooLarge(c.m_request.bodyLimit);
            return -1;
        }
        c.m_request.body.append(at, qsizetype(length));
        return 0;
    }
    static int messageComplete(http_parser *p)
    {
        of(p).m_messageDone = true;
        http_parser_pause(p, 1); // one request at a time, also when they come pipelined
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings x;
            http_parser_settings_init(&x);
            x.on_message_begin = messageBegin;
            x.on_url = url;
            x.on_header_field = headerField;
            x.on_header_value = headerValue;
            x.on_headers_complete = headersComplete;
            x.on_body = body;
            x.on_message_complete = messageComplete;
            return x;
        }();
        return s;
    }
};

HttpConnection::HttpConnection(qintptr descriptor, HttpServer &server, const HttpLimits &limits)
    : m_server(server)
    , m_limits(limits)
    , m_socket(new QTcpSocket(this))
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    m_lastActivity = HttpServer::nowMs();
    m_deadline = m_lastActivity + m_limits.headTimeoutMs;
    m_socket->setSocketDescriptor(descriptor);
    m_socket->setReadBufferSize(kReadChunk);
    // Answers are written whole (or a stream's pieces as they come) and flushed: Nagle's algorithm would only hold
    // a small last piece (a stream's end) back until the client's delayed acknowledgement, 40 ms later.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_bodyStream) {
            m_bodyStream->fail(QStringLiteral("the client left before its request body ended"));
            m_bodyStream.reset();
        }
        Q_EMIT finished(this);
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_phase == Phase::Lingering && m_socket->bytesToWrite() == 0) {
            shutdownWrite();
        }
    });
}

HttpConnection::~HttpConnection()
{
    sendQueued(*m_socket); // an answer of the API thread's last pass (at shutdown): sent, as it was before the close
}

void HttpConnection::storeHeader()
{
    m_request.headers.append({std::move(m_field), std::move(m_value)});
    m_field.clear();
    m_value.clear();
    m_inValue = false;
}

void HttpConnection::onReadyRead()
{
    char buffer[kReadChunk];
    m_lastActivity = HttpServer::nowMs();
    while (m_socket->bytesAvailable() > 0) {
        if (m_phase == Phase::Lingering || m_phase == Phase::Finishing) {
            m_socket->skip(m_socket->bytesAvailable()); // nothing more is parsed on this connection
            return;
        }
        if (m_phase == Phase::Body) {
            if (m_bodyStream && m_bodyStream->full()) {
                return; // its reader resumes us (RequestBody::setResume); meanwhile TCP holds the client back
            }
            m_deadline = m_lastActivity + m_limits.idleTimeoutMs; // the body is moving
        }
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n <= 0) {
            return;
        }
        feed(buffer, n);
    }
}

void HttpConnection::feed(const char *data, qsizetype size)
{
    qsizetype offset = 0;
    while (offset < size && (m_phase == Phase::Head || m_phase == Phase::Body)) {
        qsizetype length = size - offset;
        if (m_phase == Phase::Head) {
            length = std::min(length, m_limits.maxHeadBytes - m_headBytes + 1);
        }
        const auto parsed =
            qsizetype(http_parser_execute(&m_parser, &HttpParserCallbacks::settings(), data + offset, size_t(length)));
        offset += parsed;
        (m_phase == Phase::Head ? m_headBytes : m_bodyWireBytes) += parsed;

        const auto error = HTTP_PARSER_ERRNO(&m_parser);
        if (error == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            if (m_headDone) {
                m_headDone = false;
                if (!headComplete()) {
                    return;
                }
            }
            if (m_messageDone) {
                m_messageDone = false;
                messageComplete();
            }
            continue;
        }
        if (error != HPE_OK) {
            parseFailed();
            return;
        }
        if (m_phase == Phase::Head && m_headBytes > m_limits.maxHeadBytes) {
            if (!m_sawHeader) {
                refuse(ApiResponse::error(
                    414, QStringLiteral("uri_too_long"),
                    QStringLiteral("the request line is longer than %1 bytes").arg(m_limits.maxHeadBytes)));
            } else {
                refuse(ApiResponse::error(431, QStringLiteral("headers_too_large"),
                                          QStringLiteral("the request line and headers are longer than %1 bytes")
                                              .arg(m_limits.maxHeadBytes)));
            }
            return;
        }
        // Chunk framing is not body, but it is bytes to read: bound it too (many tiny or padded chunks).
        if (m_phase == Phase::Body && m_bodyWireBytes > 4 * m_request.bodyLimit + 64 * 1024) {
            refuse(RequestGuard::payloadTooLarge(m_request.bodyLimit));
            return;
        }
    }
}

bool HttpConnection::headComplete()
{
    m_request.method = http_method_str(http_method(m_parser.method));
    m_request.keepAlive = http_should_keep_alive(&m_parser) != 0 && !m_parser.upgrade;
    m_request.http10 = m_parser.http_minor == 0;
    m_request.chunked = (m_parser.flags & F_CHUNKED) != 0;
    m_request.contentLength = (m_parser.flags & F_CONTENTLENGTH) ? qint64(m_parser.content_length) : -1;
    m_http10KeepAlive = m_request.http10 && m_request.keepAlive;

    if (m_parser.http_major != 1) {
        refuse(badRequest(QStringLiteral("only HTTP/1.0 and HTTP/1.1 are spoken here")));
        return false;
    }
    for (const auto &h : std::as_const(m_request.headers)) {
        if (h.first.isEmpty() || hasWhitespace(h.first)) {
            refuse(badRequest(QStringLiteral("a header name is empty or contains whitespace")));
            return false;
        }
    }
    if (auto refusal = m_server.admit(m_request)) {
        refuse(*refusal);
        return false;
    }
    m_phase = Phase::Body;
    m_deadline = HttpServer::nowMs() + m_limits.idleTimeoutMs;
    const bool bodyComing = m_request.chunked || m_request.contentLength > 0;
    if (bodyComing &&
        RequestGuard::header(m_request.headers, "expect").trimmed().compare("100-continue", Qt::CaseInsensitive) == 0) {
        writeNow(*m_socket, "HTTP/1.1 100 Continue\r\n\r\n"); // the client waits for it before it sends the body
    }
    if (!m_request.match.streamedBody.isEmpty() && bodyComing) {
        if (m_request.chunked) {
            refuse(
                ApiResponse::error(411, QStringLiteral("length_required"),
                                   QStringLiteral("an upload needs a Content-Length (a chunked body is not taken)")));
            return false;
        }
        // The handler runs now and reads the body as it arrives.
        m_bodyStream = std::make_shared<RequestBody>(m_request.contentLength);
        QPointer<HttpConnection> self(this);
        m_bodyStream->setResume([self] {
            if (self) {
                self->onReadyRead();
            }
        });
        HttpRequest head = m_request;
        head.bodyStream = m_bodyStream;
        m_streamedRequest = true;
        m_server.dispatch(std::move(head), *this);
        if (m_bodyStream.use_count() == 1) { // answered at once (a refusal): the body is read and dropped
            m_bodyStream.reset();
            m_dropBody = true;
        }
    }
    return true;
}

void HttpConnection::messageComplete()
{
    if (m_streamedRequest) { // its handler has it already
        if (m_bodyStream) {
            m_bodyStream->finish();
            m_bodyStream.reset();
        }
        m_dropBody = false;
        m_streamedRequest = false;
        const bool keepAlive = m_request.keepAlive;
        m_request = HttpRequest{};
        m_sawHeader = false;
        m_headBytes = 0;
        m_bodyWireBytes = 0;
        m_requestStarted = false;
        ++m_served;
        if (m_phase != Phase::Lingering) {
            m_phase = keepAlive ? Phase::Head : Phase::Finishing;
        }
        m_deadline = HttpServer::nowMs() + m_limits.idleTimeoutMs;
        return;
    }
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest{};
    m_sawHeader = false;
    m_headBytes = 0;
    m_bodyWireBytes = 0;
    m_requestStarted = false;
    ++m_served;
    m_phase = request.keepAlive ? Phase::Head : Phase::Finishing;
    m_deadline = HttpServer::nowMs() + m_limits.idleTimeoutMs;
    m_server.dispatch(std::move(request), *this);
}

void HttpConnection::parseFailed()
{
    if (m_bodyStream) {
        m_bodyStream->fail(QStringLiteral("the request body was refused"));
        m_bodyStream.reset();
    }
    if (m_refusal) {
        refuse(*std::exchange(m_refusal, std::nullopt));
        return;
    }
    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    if (error == HPE_HEADER_OVERFLOW) {
        refuse(ApiResponse::error(431, QStringLiteral("headers_too_large"),
                                  QStringLiteral("the request line and headers are too long")));
        return;
    }
    qCDebug(lcApi) << "malformed request:" << http_errno_name(error);
    refuse(badRequest(
        QStringLiteral("malformed HTTP request: %1").arg(QString::fromLatin1(http_errno_description(error)))));
}

void HttpConnection::respond(const ApiResponse &response, bool close, bool headOnly)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState || m_phase == Phase::Lingering) {
        return;
    }
    QByteArray bytes;
    if (!close && m_http10KeepAlive) {
        ApiResponse withHeader = response;
        withHeader.headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("keep-alive")});
        bytes = HttpServer::serialize(withHeader, false);
    } else {
        bytes = HttpServer::serialize(response, close);
    }
    if (headOnly) {
        bytes.chop(response.body.size());
    }
    writeNow(*m_socket, bytes); // now, not when the write notifier comes round in the next pass of the event loop
    if (close) {
        lingerClose();
    }
}

void HttpConnection::streamEnded()
{
    m_streaming = false;
    m_lastActivity = HttpServer::nowMs();
    m_deadline = m_lastActivity + m_limits.idleTimeoutMs;
    if (m_phase == Phase::Finishing && m_socket->state() == QAbstractSocket::ConnectedState) {
        lingerClose();
    }
}

void HttpConnection::lingerClose()
{
    m_phase = Phase::Lingering;
    m_deadline = HttpServer::nowMs() + m_limits.lingerMs;
    sendQueued(*m_socket); // an answer waiting for the end of the pass goes before the half-close
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0) {
        shutdownWrite();
    }
    m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::shutdownWrite()
{
    if (m_writeShut) {
        return;
    }
    m_writeShut = true;
    // QAbstractSocket has no half-close: the client reads our answer and EOF, closes, and Qt sees that.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::drop()
{
    sendQueued(*m_socket); // a waiting connection dropped in the pass that answered it still gets that answer
    m_socket->abort();     // frees the descriptor now; emits disconnected, so finished()
}

void HttpConnection::checkDeadline(qint64 nowMs)
{
    if (nowMs < m_deadline || m_socket->state() != QAbstractSocket::ConnectedState) {
        return;
    }
    if (m_inFlight > 0 || m_streaming) {
        m_deadline = nowMs + m_limits.idleTimeoutMs; // the answer is being worked on, or is being streamed
        return;
    }
    switch (m_phase) {
    case Phase::Head:
        if (m_requestStarted || m_served == 0) {
            refuse(ApiResponse::error(
                408, QStringLiteral("request_timeout"),
                QStringLiteral("the request head did not arrive within %1 ms").arg(m_limits.headTimeoutMs)));
        } else {
            lingerClose(); // an idle keep-alive connection
        }
        return;
    case Phase::Body:
        refuse(ApiResponse::error(
            408, QStringLiteral("request_timeout"),
            QStringLiteral("the request body stopped arriving for %1 ms").arg(m_limits.idleTimeoutMs)));
        return;
    case Phase::Finishing:
        lingerClose();
        return;
    case Phase::Lingering:
        m_socket->abort();
        return;
    }
}

} // namespace gpudeck
