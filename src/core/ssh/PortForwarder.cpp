#include "ssh/PortForwarder.h"

#include "base/SocketWrite.h"
#include "logging/Logging.h"
#include "ssh/SshSession.h"

#include <QHostAddress>
#include <QScopedValueRollback>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace gpudeck {
namespace {

// What one stream holds in memory at most in each direction: a chunk read from the local socket waiting for the
// channel's window, and what the local socket has not sent yet (beyond it the channel is not read, so its window
// closes and the host stops sending).
constexpr qsizetype kChunk = 64 * 1024;
constexpr qint64 kMaxLocalPending = 256 * 1024;

} // namespace

std::optional<quint16> ForwardedPorts::find(int remotePort) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_ports.constFind(remotePort);
    return it == m_ports.constEnd() ? std::nullopt : std::optional<quint16>(*it);
}

void ForwardedPorts::set(int remotePort, quint16 localPort)
{
    const QMutexLocker lock(&m_mutex);
    m_ports.insert(remotePort, localPort);
}

void ForwardedPorts::remove(int remotePort)
{
    const QMutexLocker lock(&m_mutex);
    m_ports.remove(remotePort);
}

void ForwardedPorts::clear()
{
    const QMutexLocker lock(&m_mutex);
    m_ports.clear();
}

bool ForwardedPorts::deliver(quint16 serverPort, quint16 clientPort, QByteArrayView data)
{
    if (!m_awake.tryLock()) {
        return false; // the link's thread is busy (or not attached): the socket carries it
    }
    const bool done = m_forwarder && m_forwarder->deliver(serverPort, clientPort, data);
    m_awake.unlock();
    return done;
}

PortForwarder::PortForwarder(ssh_session session, QString connectionName, std::function<void()> wake,
                             ForwardedPorts &published, const ssh_counter_struct &received, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_name(std::move(connectionName))
    , m_wake(std::move(wake))
    , m_published(published)
    , m_received(received)
    , m_idleTimer(new QTimer(this))
{
    m_idleTimer->setInterval(5000);
    connect(m_idleTimer, &QTimer::timeout, this, &PortForwarder::closeIdle);
    m_published.setForwarder(this);
}

PortForwarder::~PortForwarder()
{
    m_published.setForwarder(nullptr);
    m_published.clear();
    for (auto &s : m_streams) {
        s->socket->disconnect(this);
        s->socket->abort();
        delete s->socket;
        freeChannel(*s);
    }
    m_streams.clear();
    for (const Listener &l : std::as_const(m_listeners)) {
        delete l.server;
    }
}

Result<quint16> PortForwarder::listen(int remotePort)
{
    if (auto it = m_listeners.find(remotePort); it != m_listeners.end()) {
        it->idleSince.start();
        return it->server->serverPort();
    }
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        const QString why = server->errorString();
        delete server;
        return Error::make(
            ErrorCode::Internal, QStringLiteral("tunnel_failed"),
            QStringLiteral("cannot open a local port for %1:%2: %3").arg(m_name).arg(remotePort).arg(why));
    }
    connect(server, &QTcpServer::newConnection, this, [this, remotePort] { accept(remotePort); });
    Listener l;
    l.server = server;
    l.idleSince.start();
    m_listeners.insert(remotePort, l);
    m_published.set(remotePort, server->serverPort());
    if (!m_idleTimer->isActive()) {
        m_idleTimer->start();
    }
    qCInfo(lcSsh).noquote() << QStringLiteral("%1: port %2 forwarded from 127.0.0.1:%3")
                                   .arg(m_name)
                                   .arg(remotePort)
                                   .arg(server->serverPort());
    return server->serverPort();
}

void PortForwarder::accept(int remotePort)
{
    const auto it = m_listeners.constFind(remotePort);
    if (it == m_listeners.constEnd()) {
        return;
    }
    while (QTcpSocket *socket = it->server->nextPendingConnection()) {
        auto s = std::make_unique<Stream>();
        s->socket = socket;
        s->remotePort = remotePort;
        s->peerPort = socket->peerPort();
        socket->setParent(this);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setReadBufferSize(kChunk * 4); // beyond it the kernel holds the data back: the client slows down
        // What the client sends goes to the channel at once, not a pass of the worker's event loop later.
        connect(socket, &QTcpSocket::readyRead, this, [this] { driveNow(); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this] { m_wake(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { m_wake(); });
        s->channel = ssh_channel_new(m_session);
        m_streams.push_back(std::move(s));
    }
    m_wake(); // the worker's pump opens the channels (and flushes what libssh queued for the session socket)
}

void PortForwarder::driveNow()
{
    if (m_driving) {
        m_wake(); // a signal from inside drive(): the next pass takes it
        return;
    }
    drive();
    if (writePending(m_session)) {
        m_wake(); // the worker's pump watches the session socket until libssh has sent it all
    }
}

void PortForwarder::drive()
{
    const QScopedValueRollback driving(m_driving, true);
    for (auto it = m_streams.begin(); it != m_streams.end();) {
        if (advance(**it)) {
            const int port = (*it)->remotePort;
            it = m_streams.erase(it);
            if (auto l = m_listeners.find(port); l != m_listeners.end()) {
                l->idleSince.start();
            }
        } else {
            ++it;
        }
    }
}

bool PortForwarder::deliver(quint16 serverPort, quint16 clientPort, QByteArrayView data)
{
    // The link's thread is parked (AwakeLock): its sockets and the session are ours until we return.
    const auto it = std::find_if(m_streams.begin(), m_streams.end(), [&](const auto &s) {
        return s->peerPort == clientPort && s->socket->localPort() == serverPort;
    });
    if (it == m_streams.end()) {
        return false; // not accepted yet
    }
    Stream &s = **it;
    // Only when nothing of this stream is still on its way through the socket (Qt's buffer, the kernel's, or a
    // chunk waiting for the channel's window): what the socket carried goes first.
    if (!s.open || !s.channel || s.remoteEof || !s.toRemote.isEmpty() || !nothingUnread(*s.socket)) {
        return false;
    }
    // Not while libssh waits for room in the session socket (its write would only be queued, for the link's
    // thread to flush) or the channel's window is short.
    if (writePending(m_session) || ssh_channel_window_size(s.channel) < data.size()) {
        return false;
    }
    const uint64_t heard = m_received.in_bytes;
    const int n = ssh_channel_write(s.channel, data.data(), uint32_t(data.size()));
    const bool flushed = n > 0 && ssh_blocking_flush(m_session, 0) == SSH_OK;
    // libssh may have read the session socket on the way (a key re-exchange under way, a flush that had to wait):
    // what it read waits for the link's thread, which the socket no longer wakes. Likewise output it could not send.
    if (!flushed || n != data.size() || m_received.in_bytes != heard) {
        m_wake();
    }
    if (n <= 0) {
        return false; // nothing taken (a key re-exchange, an error): through the socket, as ever
    }
    if (n < data.size()) {
        s.toRemote = data.sliced(n).toByteArray(); // the link's thread sends the rest before anything newer
    }
    return true;
}

bool PortForwarder::advance(Stream &s)
{
    if (!s.channel) {
        // The host's side is over; the local socket is sending what it still holds.
        if (s.socket->state() == QAbstractSocket::UnconnectedState) {
            release(s);
            return true;
        }
        return false;
    }
    if (!s.open) {
        // Opened to the end even when the client has left meanwhile: a channel freed while opening stays open on
        // the host.
        const int rc = ssh_channel_open_forward(s.channel, "127.0.0.1", s.remotePort, "127.0.0.1", s.peerPort);
        if (rc == SSH_AGAIN) {
            return false;
        }
        if (rc != SSH_OK) {
            // Nothing listens there (or the host forbids forwarding): the client sees its connection closed.
            qCDebug(lcSsh).noquote() << QStringLiteral("%1: cannot reach port %2 through the link: %3")
                                            .arg(m_name)
                                            .arg(s.remotePort)
                                            .arg(QString::fromUtf8(ssh_get_error(m_session)));
            freeChannel(s);
            return drop(s);
        }
        s.open = true;
        ssh_callbacks_init(&s.callbacks);
        s.callbacks.userdata = &s;
        s.callbacks.channel_data_function = [](ssh_session, ssh_channel, void *data, uint32_t size, int isStderr,
                                               void *stream) -> int {
            // A direct-tcpip channel has no stderr; anything there is dropped.
            return isStderr ? int(size)
                            : toLocal(*static_cast<Stream *>(stream), static_cast<const char *>(data), size);
        };
        ssh_set_channel_callbacks(s.channel, &s.callbacks);
    }
    if (s.socket->state() == QAbstractSocket::UnconnectedState) {
        release(s); // the client left
        return true;
    }
    // Local → host, as far as the channel's window allows.
    for (;;) {
        if (s.toRemote.size() < kChunk && s.socket->bytesAvailable() > 0) {
            s.toRemote += s.socket->read(kChunk - s.toRemote.size());
        }
        if (s.toRemote.isEmpty()) {
            break;
        }
        const uint32_t window = ssh_channel_window_size(s.channel);
        if (window == 0) {
            break; // the host's answer adjusting the window wakes us
        }
        const auto len = static_cast<uint32_t>(std::min<qsizetype>(s.toRemote.size(), window));
        const int n = ssh_channel_write(s.channel, s.toRemote.constData(), len);
        if (n == SSH_ERROR) {
            return drop(s);
        }
        if (n <= 0) {
            break;
        }
        s.toRemote.remove(0, n);
    }
    // Host → local: the data callback passes it on as it comes; what it left while the local socket was full is
    // read here once the socket has room.
    if (s.backlog && s.socket->bytesToWrite() < kMaxLocalPending) {
        s.backlog = false;
        char buffer[32 * 1024];
        while (s.socket->bytesToWrite() < kMaxLocalPending) {
            const int n = ssh_channel_read_nonblocking(s.channel, buffer, sizeof buffer, 0);
            if (n == SSH_ERROR) {
                return drop(s);
            }
            if (n <= 0) {
                break;
            }
            writeNow(*s.socket, QByteArrayView(buffer, n));
        }
        s.backlog = s.backlog || s.socket->bytesToWrite() >= kMaxLocalPending;
    }
    if (!s.backlog && (ssh_channel_is_eof(s.channel) || ssh_channel_is_closed(s.channel))) { // all passed on
        s.remoteEof = true;
    }
    if (s.remoteEof) {
        ssh_channel_close(s.channel);
        freeChannel(s);
        s.socket->disconnectFromHost(); // after what it still holds is sent
        if (s.socket->state() == QAbstractSocket::UnconnectedState) {
            release(s);
            return true;
        }
    }
    return false;
}

bool PortForwarder::drop(Stream &s)
{
    s.socket->abort(); // the client sees its connection reset
    release(s);
    return true;
}

int PortForwarder::toLocal(Stream &s, const char *data, uint32_t size)
{
    if (AwakeLock::standingIn()) {
        // libssh read the session on another thread's write (deliver): the socket is the link thread's, which
        // reads this from the channel when its pump comes (woken by deliver).
        s.backlog = true;
        return 0;
    }
    if (s.socket->state() != QAbstractSocket::ConnectedState) {
        return int(size); // the client left: the stream is released at the next drive()
    }
    if (s.socket->bytesToWrite() >= kMaxLocalPending) {
        s.backlog = true; // kept in the channel, whose window closes as it fills: the host stops sending
        return 0;
    }
    writeNow(*s.socket, QByteArrayView(data, size)); // now, not when the socket's write notifier comes round
    return int(size);
}

void PortForwarder::freeChannel(Stream &s)
{
    if (!s.channel) {
        return;
    }
    if (s.open) {
        // libssh keeps a channel closed on our side until the host's close arrives: no callback may reach the
        // stream after this.
        ssh_remove_channel_callbacks(s.channel, &s.callbacks);
    }
    ssh_channel_free(s.channel);
    s.channel = nullptr;
}

void PortForwarder::release(Stream &s)
{
    if (s.channel) {
        ssh_channel_close(s.channel);
        freeChannel(s);
    }
    s.socket->disconnect(this);
    s.socket->deleteLater();
}

void PortForwarder::setIdleMs(int ms)
{
    m_idleMs = qMax(0, ms);
    m_idleTimer->setInterval(qBound(10, m_idleMs, 5000));
    if (!m_listeners.isEmpty()) {
        closeIdle();
    }
}

void PortForwarder::closeIdle()
{
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        const int port = it.key();
        const bool busy =
            std::any_of(m_streams.begin(), m_streams.end(), [port](const auto &s) { return s->remotePort == port; });
        if (!busy && it->idleSince.elapsed() >= m_idleMs) {
            qCInfo(lcSsh).noquote() << QStringLiteral("%1: forward of port %2 closed (idle)").arg(m_name).arg(port);
            m_published.remove(port); // before it closes: a request from now on asks the worker for a new one
            delete it->server;
            it = m_listeners.erase(it);
        } else {
            ++it;
        }
    }
    if (m_listeners.isEmpty()) {
        m_idleTimer->stop();
    }
}

} // namespace gpudeck
