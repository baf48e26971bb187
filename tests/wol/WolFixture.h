#pragma once

#include "Ports.h"
#include "app/Core.h"
#include "secrets/MemorySecretStore.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <memory>

namespace gpudeck::test {

// A Core on a temporary data dir whose secrets live in memory (a SecureOn password can be stored without a
// keychain), with its API on an ephemeral loopback port.
struct WolCore
{
    explicit WolCore(bool api = true)
    {
        qunsetenv("API_SERVER_KEY");
        qputenv("GPUDECK_USER_KNOWN_HOSTS", dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
        core = std::make_unique<Core>(AppPaths(dir.path()), std::make_unique<MemorySecretStore>());
        if (Status s = core->open(); !s.ok()) {
            qFatal("cannot open core: %s", qPrintable(s.error().message));
        }
        if (api && !core->startApi(0).ok()) {
            qFatal("cannot start the API");
        }
    }
    QTemporaryDir dir;
    std::unique_ptr<Core> core;
};

// What a sleeping host's NIC sees: the datagrams sent to a loopback UDP port (the connection's wol_port, with
// wol_broadcast 127.0.0.1).
struct PacketCatcher
{
    PacketCatcher()
    {
        socket.bind(QHostAddress::LocalHost, 0);
        QObject::connect(&socket, &QUdpSocket::readyRead, &socket, [this] {
            while (socket.hasPendingDatagrams()) {
                QByteArray data(int(socket.pendingDatagramSize()), Qt::Uninitialized);
                socket.readDatagram(data.data(), data.size());
                packets.append(data);
                if (onPacket) {
                    onPacket(int(packets.size()));
                }
            }
        });
    }
    quint16 port() const { return socket.localPort(); }

    QUdpSocket socket;
    QList<QByteArray> packets;
    std::function<void(int count)> onPacket;
};

// The host's SSH port: closed until open() is called (from PacketCatcher::onPacket: the host "boots" when woken),
// then it greets every client with an SSH banner, as sshd does.
struct SleepingSshPort
{
    SleepingSshPort()
        : port(freePort())
    {
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                s->write(banner);
                s->flush();
            }
        });
    }
    bool open() { return server.isListening() || server.listen(QHostAddress::LocalHost, port); }

    QTcpServer server;
    quint16 port;
    QByteArray banner = QByteArrayLiteral("SSH-2.0-OpenSSH_9.2 test\r\n");
};

} // namespace gpudeck::test
