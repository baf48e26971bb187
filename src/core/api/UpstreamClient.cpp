#include "api/UpstreamClient.h"

#include "base/AppendNumber.h"
#include "base/HostAddress.h"
#include "base/SocketWrite.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QTcpSocket>
#include <QTimer>

namespace gpudeck {

int UpstreamClient::idleTimeoutMs = 30000;

namespace {
constexpr int kConnectTimeoutMs = 10000;
constexpr qint64 kUploadWriteAhead = 256 * 1024; // bytes of an upload handed to the socket ahead of the wire
constexpr qint64 kUploadPiece = 64 * 1024;
constexpr int kMaxIdlePerUpstream = 64;
} // namespace

// One keep-alive TCP connection to an upstream, carrying one request at a time.
class UpstreamConnection : public QObject
{
public:
    UpstreamConnection(UpstreamClient &client, QString key)
        : QObject(&client)
        , m_client(client)
        , m_key(std::move(key))
        , m_socket(new QTcpSocket(this))
        , m_timer(new QTimer(this))
    {
        m_parser.data = this;
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] {
            if (m_reply) {
                fail(UpstreamReply::Error::Connect, QStringLiteral("connecting timed out"));
            } else {
                close(); // idle too long
            }
        });
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            m_timer->stop();
            m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            sendHead();
        });
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { pumpUpload(); });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { onDisconnected(); });
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::RemoteHostClosedError) {
                return; // disconnected() follows and decides
            }
            if (!m_reply) {
                close();
                return;
            }
            fail(e == QAbstractSocket::ConnectionRefusedError ? UpstreamReply::Error::ConnectionRefused
                                                              : UpstreamReply::Error::Connect,
                 m_socket->errorString());
        });
    }

    const QString &key() const { return m_key; }

    // A new connection: resolves (IPv4 first) and connects; the request goes out once connected.
    void open(const QString &address, quint16 port)
    {
        m_timer->start(kConnectTimeoutMs);
        QHostAddress ip;
        if (ip.setAddress(address)) {
            m_socket->connectToHost(ip, port);
            return;
        }
        QPointer<UpstreamConnection> self(this);
        QHostInfo::lookupHost(address, this, [self, port](const QHostInfo &info) {
            if (!self) {
                return;
            }
            const QHostAddress chosen = preferIPv4(info.addresses());
            if (chosen.isNull()) {
                self->fail(UpstreamReply::Error::Connect, QStringLiteral("cannot resolve: %1").arg(info.errorString()));
                return;
            }
            self->m_socket->connectToHost(chosen, port);
        });
    }

    void carry(UpstreamReply *reply, std::shared_ptr<UpstreamRequest> request, bool reused)
    {
        m_timer->stop();
        m_reply = reply;
        reply->m_connection = this;
        m_request = std::move(request);
        m_reused = reused;
        m_answerBytes = 0;
        m_uploadSent = 0;
        m_messageDone = false;
        m_field.resize(0);
        m_value.resize(0);
        m_contentType.clear();
        http_parser_init(&m_parser, HTTP_RESPONSE);
        m_parser.data = this;
        if (reused) {
            sendHead();
        }
    }

    // The reply gave up (the client left): the connection cannot carry anything else now.
    void abortCurrent()
    {
        m_reply = nullptr;
        close();
    }

private:
    void sendHead()
    {
        if (!m_reply || !m_request) {
            return;
        }
        const UpstreamRequest &r = *m_request;
        const qint64 length = r.upload ? r.uploadSize : r.body.size();
        // Appended into one buffer sized up front (no temporary per `+`): every proxied request passes here.
        qsizetype size = 128 + r.path.size() + r.address.size() + r.contentType.size() + (r.upload ? 0 : r.body.size());
        for (const auto &[name, value] : r.headers) {
            size += name.size() + value.size() + 4;
        }
        QByteArray head;
        head.reserve(size);
        head.append("POST ").append(r.path).append(" HTTP/1.1\r\nHost: ").append(r.address.toUtf8()).append(':');
        appendInteger(head, r.port);
        head.append("\r\nContent-Type: ").append(r.contentType).append("\r\nContent-Length: ");
        appendInteger(head, length);
        head.append("\r\n");
        for (const auto &[name, value] : r.headers) {
            head.append(name).append(": ").append(value).append("\r\n");
        }
        head.append("\r\n");
        if (!r.upload) {
            head += r.body;
            if (r.shortcut && nothingUnsent(*m_socket) &&
                r.shortcut->deliver(m_socket->peerPort(), m_socket->localPort(), head)) {
                return; // written into the SSH channel on this thread: the link's thread is not woken to do it
            }
            // Sent as this pass of the loop ends (with the other requests and answers it made), not at the socket's
            // write notifier in the next pass.
            writeAtPassEnd(*m_socket, std::move(head));
            return;
        }
        m_socket->write(head);
        connect(r.upload, &QIODevice::readyRead, this, &UpstreamConnection::pumpUpload, Qt::UniqueConnection);
        pumpUpload();
    }

    void pumpUpload()
    {
        if (!m_reply || !m_request || !m_request->upload || m_uploadSent >= m_request->uploadSize) {
            return;
        }
        QIODevice *source = m_request->upload;
        while (m_socket->bytesToWrite() < kUploadWriteAhead && m_uploadSent < m_request->uploadSize) {
            const QByteArray piece = source->read(std::min(kUploadPiece, m_request->uploadSize - m_uploadSent));
            if (piece.isEmpty()) {
                return; // more comes with the source's readyRead
            }
            m_uploadSent += piece.size();
            m_socket->write(piece);
        }
        if (m_uploadSent >= m_request->uploadSize) {
            disconnect(source, nullptr, this, nullptr);
        }
    }

    void onReadyRead()
    {
        const UpstreamClient::Handling handling(m_client);
        const QByteArray data = m_socket->readAll();
        if (!m_reply) {
            close(); // an answer nobody asked for (or after an abort)
            return;
        }
        feed(data.constData(), data.size());
    }

    void onDisconnected()
    {
        const UpstreamClient::Handling handling(m_client);
        m_timer->stop();
        if (m_reply && !m_messageDone) {
            // The end of a close-delimited answer, or a connection that went away under us.
            feed(nullptr, 0);
            if (m_reply && !m_messageDone) {
                if (m_reused && m_answerBytes == 0 && !m_request->upload) {
                    // The upstream closed this idle keep-alive connection as we sent on it: once more on a new one.
                    UpstreamReply *reply = m_reply;
                    const auto request = m_request;
                    m_reply = nullptr;
                    m_request.reset();
                    m_client.start(reply, request, false);
                } else {
                    fail(UpstreamReply::Error::Closed,
                         m_answerBytes == 0 ? QStringLiteral("the upstream closed the connection without answering")
                                            : QStringLiteral("the upstream closed the connection mid-answer"));
                }
            }
        }
        m_client.forget(this);
        deleteLater();
    }

    void feed(const char *data, qsizetype size)
    {
        m_answerBytes += size;
        const QPointer<UpstreamReply> reply(m_reply);
        const QPointer<UpstreamConnection> self(this);
        const int hadStatus = reply->m_status;
        const qsizetype hadBody = reply->m_body.size();
        const size_t used = http_parser_execute(&m_parser, &settings(), data, size_t(size));
        if (HTTP_PARSER_ERRNO(&m_parser) != HPE_OK && HTTP_PARSER_ERRNO(&m_parser) != HPE_PAUSED) {
            if (size == 0) {
                return; // the connection ended before the answer did: onDisconnected() says so
            }
            fail(UpstreamReply::Error::Protocol,
                 QStringLiteral("the upstream's answer is not HTTP: %1")
                     .arg(QString::fromLatin1(http_errno_description(HTTP_PARSER_ERRNO(&m_parser)))));
            return;
        }
        Q_UNUSED(used);
        // Each signal may abort the reply (or delete it): look again after each.
        if (!hadStatus && reply->m_status) {
            Q_EMIT reply->headReceived();
            if (!self || !reply || m_reply != reply) {
                return;
            }
        }
        if (reply->m_body.size() > hadBody) {
            Q_EMIT reply->readyRead();
            if (!self || !reply || m_reply != reply) {
                return;
            }
        }
        if (!m_messageDone) {
            return;
        }
        const bool reusable = http_should_keep_alive(&m_parser) &&
                              (!m_request->upload || m_uploadSent >= m_request->uploadSize) && m_socket->isOpen();
        m_reply = nullptr;
        m_request.reset();
        reply->m_connection = nullptr;
        if (reusable) {
            m_client.release(this);
            m_timer->start(UpstreamClient::idleTimeoutMs);
        } else {
            close();
        }
        reply->complete();
    }

    void fail(UpstreamReply::Error error, const QString &why)
    {
        QPointer<UpstreamReply> reply(m_reply);
        m_reply = nullptr;
        m_request.reset();
        close();
        if (reply) {
            reply->m_connection = nullptr;
            reply->fail(error, why);
        }
    }

    void close()
    {
        m_timer->stop();
        m_client.forget(this);
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        deleteLater();
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings x;
            http_parser_settings_init(&x);
            x.on_header_field = [](http_parser *p, const char *at, size_t n) {
                auto *c = static_cast<UpstreamConnection *>(p->data);
                if (c->m_inValue) {
                    c->storeHeader();
                }
                c->m_field.append(at, qsizetype(n));
                return 0;
            };
            x.on_header_value = [](http_parser *p, const char *at, size_t n) {
                auto *c = static_cast<UpstreamConnection *>(p->data);
                if (!c->m_inValue) {
                    c->m_inValue = true;
                    c->m_wanted = c->m_field.compare("content-type", Qt::CaseInsensitive) == 0;
                }
                if (c->m_wanted) { // the only header kept: the others are not copied
                    c->m_value.append(at, qsizetype(n));
                }
                return 0;
            };
            x.on_headers_complete = [](http_parser *p) {
                auto *c = static_cast<UpstreamConnection *>(p->data);
                c->storeHeader();
                if (p->status_code / 100 == 1) {
                    return 0; // 100 Continue and friends: the real head follows
                }
                c->m_reply->m_status = int(p->status_code);
                c->m_reply->m_contentType = c->m_contentType;
                return 0;
            };
            x.on_body = [](http_parser *p, const char *at, size_t n) {
                static_cast<UpstreamConnection *>(p->data)->m_reply->m_body.append(at, qsizetype(n));
                return 0;
            };
            x.on_message_complete = [](http_parser *p) {
                auto *c = static_cast<UpstreamConnection *>(p->data);
                if (c->m_reply->m_status == 0) {
                    return 0; // the end of an interim (1xx) answer
                }
                c->m_messageDone = true;
                http_parser_pause(p, 1); // one answer per request: anything after it is not ours
                return 0;
            };
            return x;
        }();
        return s;
    }

    void storeHeader()
    {
        if (m_wanted) {
            m_contentType = m_value.trimmed();
        }
        m_field.resize(0); // keeps its buffer for the next header
        m_value.resize(0);
        m_inValue = false;
        m_wanted = false;
    }

    UpstreamClient &m_client;
    QString m_key;
    QTcpSocket *m_socket;
    QTimer *m_timer; // connect deadline while connecting; idle deadline while idle
    http_parser m_parser{};
    UpstreamReply *m_reply = nullptr;
    std::shared_ptr<UpstreamRequest> m_request;
    bool m_reused = false;
    qint64 m_answerBytes = 0;
    qint64 m_uploadSent = 0;
    bool m_messageDone = false;
    QByteArray m_field;
    QByteArray m_value;
    bool m_inValue = false;
    bool m_wanted = false; // the header being read is Content-Type
    QByteArray m_contentType;
};

UpstreamReply::UpstreamReply(QObject *parent)
    : QObject(parent)
{
}

QByteArray UpstreamReply::readAll()
{
    return std::exchange(m_body, QByteArray());
}

void UpstreamReply::abort()
{
    if (m_finished) {
        return;
    }
    if (m_connection) {
        UpstreamConnection *c = m_connection;
        m_connection = nullptr;
        c->abortCurrent();
    }
    fail(Error::Canceled, QStringLiteral("cancelled"));
}

void UpstreamReply::fail(Error error, const QString &why)
{
    if (m_finished) {
        return;
    }
    m_error = error;
    m_errorString = why;
    complete();
}

void UpstreamReply::complete()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    Q_EMIT finished();
}

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
{
}

UpstreamClient::~UpstreamClient() = default;

UpstreamClient::Handling::Handling(UpstreamClient &client)
    : m_client(client)
{
    ++m_client.m_handling;
}

UpstreamClient::Handling::~Handling()
{
    if (--m_client.m_handling == 0) {
        for (const QPointer<UpstreamReply> &reply : std::exchange(m_client.m_disposed, {})) {
            delete reply.data(); // null when deleted meanwhile, or listed twice and deleted already
        }
    }
}

void UpstreamClient::dispose(UpstreamReply *reply)
{
    if (m_handling > 0) {
        m_disposed.append(reply);
    } else {
        reply->deleteLater();
    }
}

QString UpstreamClient::key(const QString &address, quint16 port)
{
    return address + QLatin1Char(':') + QString::number(port);
}

UpstreamReply *UpstreamClient::post(UpstreamRequest request)
{
    auto *reply = new UpstreamReply(this);
    const bool mayReuse = request.upload == nullptr;
    start(reply, std::make_shared<UpstreamRequest>(std::move(request)), mayReuse);
    return reply;
}

void UpstreamClient::start(UpstreamReply *reply, const std::shared_ptr<UpstreamRequest> &request, bool mayReuse)
{
    const QString k = key(request->address, request->port);
    if (mayReuse) {
        QList<UpstreamConnection *> &idle = m_idle[k];
        if (!idle.isEmpty()) {
            UpstreamConnection *c = idle.takeLast(); // the most recently used: the least likely to have timed out
            c->carry(reply, request, true);
            return;
        }
    }
    auto *c = new UpstreamConnection(*this, k);
    ++m_opened;
    c->carry(reply, request, false);
    c->open(request->address, request->port);
}

void UpstreamClient::release(UpstreamConnection *connection)
{
    QList<UpstreamConnection *> &idle = m_idle[connection->key()];
    if (idle.size() >= kMaxIdlePerUpstream) {
        connection->abortCurrent();
        return;
    }
    idle.append(connection);
}

void UpstreamClient::forget(UpstreamConnection *connection)
{
    auto it = m_idle.find(connection->key());
    if (it != m_idle.end()) {
        it->removeOne(connection);
    }
}

int UpstreamClient::idleConnections() const
{
    int n = 0;
    for (const auto &list : m_idle) {
        n += int(list.size());
    }
    return n;
}

} // namespace gpudeck
