#include "base/SocketWrite.h"

#include <QAbstractEventDispatcher>
#include <QList>
#include <QPointer>
#include <QTcpSocket>
#include <cerrno>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace gpudeck {

namespace {

// Writes of this thread waiting for the end of its event loop's pass, a socket's bytes in one entry, in order.
struct Outbox
{
    QList<std::pair<QPointer<QTcpSocket>, QByteArray>> entries;
    QPointer<QAbstractEventDispatcher> hookedTo; // the dispatcher whose awake and aboutToBlock send them

    qsizetype indexOf(const QTcpSocket &socket) const
    {
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (entries[i].first == &socket) {
                return i;
            }
        }
        return -1;
    }

    // Adds `data` behind what waits for the socket; false when nothing does.
    bool join(const QTcpSocket &socket, QByteArrayView data)
    {
        const qsizetype i = indexOf(socket);
        if (i < 0) {
            return false;
        }
        entries[i].second.append(data);
        return true;
    }
};

thread_local Outbox outbox;

void sendDirect(QTcpSocket &socket, QByteArrayView data)
{
    qsizetype sent = 0;
    if (socket.bytesToWrite() == 0 && socket.state() == QAbstractSocket::ConnectedState) {
        const int fd = int(socket.socketDescriptor());
        while (sent < data.size()) {
            const ssize_t n = ::send(fd, data.data() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
            if (n > 0) {
                sent += n;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                break; // full (EAGAIN) or an error: the rest goes through Qt, which sends it or reports the error
            }
        }
    }
    if (sent < data.size()) {
        socket.write(data.data() + sent, data.size() - sent);
    }
}

void sendAll()
{
    // Taken first: what a send sets off (an error signal, say) may queue more, for the next pass.
    const auto entries = std::exchange(outbox.entries, {});
    for (const auto &[socket, data] : entries) {
        if (socket && socket->state() == QAbstractSocket::ConnectedState) {
            sendDirect(*socket, data);
        }
    }
}

} // namespace

void writeNow(QTcpSocket &socket, QByteArrayView data)
{
    if (!outbox.join(socket, data)) {
        sendDirect(socket, data);
    }
}

void writeAtPassEnd(QTcpSocket &socket, QByteArray data)
{
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (!dispatcher) {
        writeNow(socket, data);
        return;
    }
    if (outbox.hookedTo != dispatcher) {
        outbox.hookedTo = dispatcher;
        // awake: after a waiting pass, and before a pass that does not wait (QCoreApplication::processEvents in a
        // loop of one's own); aboutToBlock: before a pass that may wait.
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher, &sendAll, Qt::DirectConnection);
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher, &sendAll,
                         Qt::DirectConnection);
    }
    if (!outbox.join(socket, data)) {
        outbox.entries.append({QPointer<QTcpSocket>(&socket), std::move(data)});
    }
}

void sendQueued(QTcpSocket &socket)
{
    const qsizetype i = outbox.indexOf(socket);
    if (i < 0) {
        return;
    }
    const QByteArray data = outbox.entries.takeAt(i).second;
    if (socket.state() == QAbstractSocket::ConnectedState) {
        sendDirect(socket, data);
    }
}

bool nothingUnsent(const QTcpSocket &socket)
{
    int unsent = 0;
    return outbox.indexOf(socket) < 0 && socket.bytesToWrite() == 0 &&
           ::ioctl(int(socket.socketDescriptor()), SIOCOUTQNSD, &unsent) == 0 && unsent == 0;
}

bool nothingUnread(const QTcpSocket &socket)
{
    int unread = 0;
    return socket.bytesAvailable() == 0 && ::ioctl(int(socket.socketDescriptor()), FIONREAD, &unread) == 0 &&
           unread == 0;
}

} // namespace gpudeck
