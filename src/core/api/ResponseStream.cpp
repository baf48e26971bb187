#include "api/ResponseStream.h"

#include "api/HttpServer.h"
#include "base/SocketWrite.h"

#include <QTcpSocket>
#include <QThread>
#include <utility>

namespace gpudeck {

ResponseStream::ResponseStream(QObject *apiThreadObject, QTcpSocket *socket)
    : m_context(apiThreadObject)
    , m_socket(socket)
{
}

std::shared_ptr<ResponseStream> ResponseStream::capture(std::function<void(const ApiResponse &)> done)
{
    auto stream = std::make_shared<ResponseStream>(nullptr, nullptr);
    stream->m_capture = std::move(done);
    return stream;
}

void ResponseStream::onClosed(std::function<void()> callback)
{
    std::weak_ptr<ResponseStream> weak = weak_from_this();
    {
        QMutexLocker lock(&m_mutex);
        m_onClosed = std::move(callback);
    }
    if (m_capture) {
        return; // nobody can go away
    }
    post([weak](QTcpSocket *socket) {
        auto owner = weak.lock();
        if (!owner) {
            return;
        }
        owner->m_closedConnection = QObject::connect(socket, &QTcpSocket::disconnected, socket, [weak] {
            auto self = weak.lock();
            if (!self) {
                return;
            }
            std::function<void()> notify;
            {
                QMutexLocker lock(&self->m_mutex);
                if (self->m_ended || self->m_closed) {
                    return;
                }
                self->m_closed = true;
                notify = self->m_onClosed;
            }
            if (notify) {
                notify();
            }
        });
    });
}

void ResponseStream::onFinished(std::function<void()> callback)
{
    QMutexLocker lock(&m_mutex);
    m_onFinished = std::move(callback);
}

void ResponseStream::abort()
{
    post([](QTcpSocket *socket) {
        sendQueued(*socket); // what was written before the reset is on its way first, as with writeNow
        socket->abort();
    });
}

qint64 ResponseStream::backlog() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

bool ResponseStream::isOpen() const
{
    QMutexLocker lock(&m_mutex);
    return !m_closed && !m_ended;
}

void ResponseStream::post(std::function<void(QTcpSocket *)> action)
{
    QObject *context = m_context.data();
    if (!context) {
        return; // the API server is gone, and the socket with it
    }
    if (context->thread() == QThread::currentThread()) { // the usual case: the answer is made on the API thread
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
            action(m_socket.data());
        }
        return;
    }
    auto self = shared_from_this();
    QMetaObject::invokeMethod(context, [self, action] {
        if (self->m_socket && self->m_socket->state() == QAbstractSocket::ConnectedState) {
            action(self->m_socket.data());
        }
    });
}

void ResponseStream::respond(const ApiResponse &response)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_begun || m_ended) {
            return;
        }
        m_ended = true;
    }
    if (m_capture) {
        m_capture(response);
        return;
    }
    auto self = shared_from_this();
    post([self, response](QTcpSocket *socket) {
        writeAtPassEnd(*socket, HttpServer::serialize(response, false)); // with the pass's other answers
        QObject::disconnect(self->m_closedConnection);
        self->finished();
    });
}

void ResponseStream::begin(int status, const QByteArray &contentType,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_begun || m_ended) {
            return;
        }
        m_begun = true;
        if (m_capture) {
            m_captured.status = status;
            m_captured.contentType = contentType;
            m_captured.headers = headers;
            return;
        }
    }
    ApiResponse head;
    head.status = status;
    head.contentType = contentType;
    head.headers = headers;
    head.headers.append({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")});
    head.headers.append({QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")});
    post([head](QTcpSocket *socket) {
        QByteArray bytes = HttpServer::serialize(head, false);
        // serialize() always adds Content-Length; a chunked response must not carry one.
        bytes.replace(QByteArrayLiteral("Content-Length: 0\r\n"), QByteArray());
        writeNow(*socket, bytes);
    });
}

void ResponseStream::write(const QByteArray &data)
{
    if (data.isEmpty()) {
        return;
    }
    {
        QMutexLocker lock(&m_mutex);
        if (!m_begun || m_ended || m_closed) {
            return;
        }
        if (m_capture) {
            m_captured.body += data;
            return;
        }
    }
    post([data](QTcpSocket *socket) {
        writeNow(*socket, QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    });
}

void ResponseStream::end()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_begun || m_ended) {
            return;
        }
        m_ended = true;
    }
    if (m_capture) {
        m_capture(m_captured);
        return;
    }
    auto self = shared_from_this();
    post([self](QTcpSocket *socket) {
        writeNow(*socket, "0\r\n\r\n");
        QObject::disconnect(self->m_closedConnection);
        self->finished();
    });
}

void ResponseStream::finished()
{
    std::function<void()> callback;
    {
        QMutexLocker lock(&m_mutex);
        callback = std::exchange(m_onFinished, nullptr);
    }
    if (callback) {
        callback();
    }
}

QByteArray ResponseStream::sseEvent(const QByteArray &data, const QByteArray &event)
{
    QByteArray out;
    if (!event.isEmpty()) {
        out += "event: " + event + '\n';
    }
    for (const QByteArray &line : data.split('\n')) {
        out += "data: " + line + '\n';
    }
    out += '\n';
    return out;
}

} // namespace gpudeck
