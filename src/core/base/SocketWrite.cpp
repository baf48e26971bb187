#include "base/SocketWrite.h"

#include <QTcpSocket>
#include <cerrno>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace gpudeck {

void writeNow(QTcpSocket &socket, QByteArrayView data)
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

bool nothingUnsent(const QTcpSocket &socket)
{
    int unsent = 0;
    return socket.bytesToWrite() == 0 && ::ioctl(int(socket.socketDescriptor()), SIOCOUTQNSD, &unsent) == 0 &&
           unsent == 0;
}

bool nothingUnread(const QTcpSocket &socket)
{
    int unread = 0;
    return socket.bytesAvailable() == 0 && ::ioctl(int(socket.socketDescriptor()), FIONREAD, &unread) == 0 &&
           unread == 0;
}

} // namespace gpudeck
