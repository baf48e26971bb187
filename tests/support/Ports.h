#pragma once

#include <QHostAddress>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

namespace gpudeck::test {

// A loopback port free at the moment of asking (0 when none could be had), for a server a test starts itself.
inline quint16 freePort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

// Whether something accepts connections on the loopback port (within half a second).
inline bool portOpen(quint16 port, const QString &address = QStringLiteral("127.0.0.1"))
{
    QTcpSocket s;
    s.connectToHost(address, port);
    return s.waitForConnected(500);
}

} // namespace gpudeck::test
