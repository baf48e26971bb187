#pragma once

#include "Result.h"
#include "base/AwakeLock.h"
#include "base/LoopbackShortcut.h"
#include "ssh/SshTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>
#include <functional>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <list>
#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace gpudeck {

class PortForwarder;

// The local ports of a link's open forwards, readable from any thread: the proxy finds the port for each request
// here without a round trip to the link's thread. PortForwarder writes it as listeners open and close.
// It is also the forwards' shortcut (LoopbackShortcut): a request for a forwarded port is written into its stream's
// channel by the sender's thread itself while the link's thread is parked (AwakeLock, attached by the link's
// thread), instead of through the loopback socket, which costs a wake-up of the link's thread on the way out.
class ForwardedPorts : public LoopbackShortcut
{
public:
    std::optional<quint16> find(int remotePort) const;
    void set(int remotePort, quint16 localPort);
    void remove(int remotePort);
    void clear();

    // On the link's thread.
    void attachToThisThread() { m_awake.attach(); }
    void detachFromThisThread() { m_awake.detach(); }
    void setForwarder(PortForwarder *forwarder) { m_forwarder = forwarder; } // while the link's thread is awake

    bool deliver(quint16 serverPort, quint16 clientPort, QByteArrayView data) override;

private:
    mutable QMutex m_mutex;
    QHash<int, quint16> m_ports;
    AwakeLock m_awake;
    PortForwarder *m_forwarder = nullptr; // written by the link's thread while awake: read under m_awake only
};

// Ports of a host reached through its SSH link: for each remote port asked for, a listener on 127.0.0.1 (a random
// free port) whose every accepted connection becomes a direct-tcpip channel to 127.0.0.1:<port> on the host, on
// the link's one session. Lives on the link's worker thread (SshWorker) and is driven by it: pump() calls drive()
// after libssh has read the socket, and the local sockets wake the worker when they have data or room. What the
// host sends is passed to the local socket by the channel's data callback as libssh reads it (no stream is asked
// "anything for you?", which costs libssh a poll of the session socket per stream); what the local socket sends
// goes to the channel as it arrives. Many streams share the session; each one's bytes are passed on only while the
// other side has room (the channel's window, the local socket's write buffer), so a slow reader holds back its own
// stream and nothing else.
// A listener with no stream for idleMs is closed. Everything closes when the link goes (the forwarder is dropped).
class PortForwarder : public QObject
{
public:
    // `received`: the session's socket counter (ssh_set_counters), to see whether a write from another thread
    // (deliver) made libssh read the socket as well.
    PortForwarder(ssh_session session, QString connectionName, std::function<void()> wake, ForwardedPorts &published,
                  const ssh_counter_struct &received, QObject *parent = nullptr);
    ~PortForwarder() override; // closes every local socket and frees every channel (the session must still exist)

    // The local port forwarding to `remotePort` on the host (the same one while it is in use).
    Result<quint16> listen(int remotePort);
    void drive();
    void driveNow(); // drive() at once unless it is running (then the worker's next pump)
    // How long a listener may have no stream before it closes (checked every qBound(10 ms, ms, 5 s)); the idle
    // ones close at once when that is already over.
    void setIdleMs(int ms);
    // From another thread holding the link's AwakeLock (ForwardedPorts::deliver): `data` written into the stream of
    // the local connection 127.0.0.1:clientPort → serverPort, when nothing of that stream waits anywhere on our
    // side (else false, and it comes through the socket in order). May leave a pump for the link's thread.
    bool deliver(quint16 serverPort, quint16 clientPort, QByteArrayView data);

    int streamCount() const { return static_cast<int>(m_streams.size()); }
    int listenerCount() const { return static_cast<int>(m_listeners.size()); }

private:
    struct Stream
    {
        QTcpSocket *socket = nullptr;
        ssh_channel channel = nullptr;
        int remotePort = 0;
        quint16 peerPort = 0;
        bool open = false;
        QByteArray toRemote; // read from the local socket, not yet taken by the channel
        bool remoteEof = false;
        bool backlog = false; // the local socket was full: the channel holds data for it (read in advance())
        ssh_channel_callbacks_struct callbacks{};
    };
    struct Listener
    {
        QTcpServer *server = nullptr;
        QElapsedTimer idleSince; // since its last stream ended
    };

    void accept(int remotePort);
    bool advance(Stream &s);                                        // true when the stream is over (and released)
    static int toLocal(Stream &s, const char *data, uint32_t size); // the channel's data callback: bytes taken
    static void freeChannel(Stream &s);
    bool drop(Stream &s); // resets the local connection and releases the stream: true, for advance()
    void release(Stream &s);
    void closeIdle();

    ssh_session m_session;
    QString m_name;
    std::function<void()> m_wake;
    ForwardedPorts &m_published;
    const ssh_counter_struct &m_received;
    QHash<int, Listener> m_listeners; // by remote port
    std::list<std::unique_ptr<Stream>> m_streams;
    QTimer *m_idleTimer;
    int m_idleMs = 60000;
    bool m_driving = false;
};

} // namespace gpudeck
