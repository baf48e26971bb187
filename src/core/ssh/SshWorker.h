#pragma once

#include "Result.h"
#include "ssh/PortForwarder.h"
#include "ssh/SshSettings.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFuture>
#include <QMutex>
#include <QObject>
#include <deque>
#include <libssh/libssh.h>
#include <list>
#include <memory>

class QSocketNotifier;
class QTcpSocket;
class QTimer;

namespace gpudeck {

class SftpClient;
class SftpTask;
class SshSession;

// Owns one connection's link for its whole life, on one thread (libssh sessions are not thread-safe).
// Commands from any thread are queued to that thread and multiplexed as channels over the one session,
// non-blocking, driven by the session socket's readiness. At most SshSettings::maxChannels run at once, shared
// between lanes (ExecLane) so that streams cannot starve execs and supervision. Every command's timeout counts
// from the moment it was asked and holds while it is queued, while its channel opens and while it runs.
//
// Liveness: a keepalive the host must answer goes out every SshSettings::keepaliveIntervalMs(); when nothing
// came from the host for SshSettings::downAfterMs the link is declared down. A link that is down probes the
// host cheaply (TCP connect + SSH banner; SshSettings::probeDelayMs() apart) and reconnects as soon as the banner
// answers; full attempts that then fail back off exponentially with jitter. A link that was up and dropped is
// Reconnecting; a watched connection whose connect failed for a reason that may pass (unreachable, timeout) before
// it was ever up is Down, probed the same way. A `local` connection runs the same commands as local processes.
class SshWorker : public QObject
{
    Q_OBJECT
public:
    struct Command; // one queued or running command (implementation detail, public for libssh's C callbacks)

    SshWorker(Connection connection, SshSettings settings);
    ~SshWorker() override;

    // Thread-safe. Resolves once connected, or with the reason it could not.
    QFuture<Status> requestConnect(const QString &acceptFingerprint = {});
    // Thread-safe. Fails at once unless connected.
    QFuture<Result<CommandResult>> exec(const QString &command, const ExecOptions &options);
    // Thread-safe. Runs an SFTP task (a sync, a pull) on a channel of this link's session, on the worker's thread,
    // beside the commands: the task works in slices, so streams and execs keep being served. At most
    // kMaxSftpChannels run at once; more wait their turn. Refused at once unless connected over SSH (a `local`
    // connection has no SFTP); later failures reach the task through SftpTask::abort.
    Status runSftp(std::shared_ptr<SftpTask> task);
    static constexpr int kMaxSftpChannels = 2;
    // Thread-safe. The local port (on 127.0.0.1) through which `remotePort` on the host's own 127.0.0.1 is reached
    // over this link's session (PortForwarder); the same port while it is in use. Fails at once unless connected. A
    // `local` connection answers `remotePort` itself.
    QFuture<Result<quint16>> forward(int remotePort);
    // The local port of an open forward of `remotePort`, and the shortcut to its streams, at once and from any
    // thread (none: ask forward()).
    std::optional<LocalForward> forwardedPort(int remotePort) const
    {
        const std::optional<quint16> port = m_forwardedPorts->find(remotePort);
        return port ? std::optional<LocalForward>(LocalForward{*port, m_forwardedPorts}) : std::nullopt;
    }
    // Thread-safe snapshot.
    LinkStatus status() const;
    qint64 connectionId() const { return m_connection.id; }

    // On the worker's thread only.
    void shutdown();
    // On the worker's thread only: new timing rules (paths and secrets are kept).
    void applySettings(const SshSettings &settings);
    // On the worker's thread only: the connection's fields that do not change the link (name, watch).
    void updateConnection(const Connection &connection);

Q_SIGNALS:
    void statusChanged(qint64 connectionId, const gpudeck::LinkStatus &status);

private:
    void connectNow(const QString &acceptFingerprint, bool reconnecting);
    void setStatus(LinkState state, const QString &reason = {});
    void startIo();
    void stopIo();
    void pump();
    bool advance(Command &command); // true when done with (answered and its channel released)
    bool expired(const Command &command) const;
    void answer(Command &command, Result<CommandResult> result);
    void finish(Command &command, Result<CommandResult> result);
    bool mayStart(const Command &command) const;
    void startQueued();
    void expireQueued();
    void failAll(const Error &error);
    void linkLost(const QString &why);
    void checkLiveness();
    void noteHeard();
    void startProbing();
    void stopProbing();
    void probeTick();
    void scheduleProbe();
    void bannerSeen();
    void reconnectFailed(const Error &error);
    void startLocal(Command &command);
    void updatePollTimer();
    Error notConnected() const;
    void driveSftp();
    void startSftpQueued();
    void abortSftp(const Error &error);
    void schedulePump();
    void settleWritePending();
    void updateWriteNotifier();

    Connection m_connection;
    SshSettings m_settings;
    bool m_local = false;

    // Worker-thread state.
    std::unique_ptr<SshSession> m_session;
    // What m_forwarder listens on, for any thread; shared with the proxy's requests as their shortcut.
    const std::shared_ptr<ForwardedPorts> m_forwardedPorts = std::make_shared<ForwardedPorts>();
    std::unique_ptr<PortForwarder> m_forwarder; // created at the first forward(), dropped with the session
    void *m_event = nullptr;                    // ssh_event
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_liveness = nullptr;
    QTimer *m_reconnect = nullptr;
    QTimer *m_probeTimer = nullptr;
    QTimer *m_poll = nullptr;
    std::list<std::unique_ptr<Command>> m_running;
    std::deque<std::unique_ptr<Command>> m_queued;
    struct SftpRun
    {
        std::shared_ptr<SftpTask> task;
        std::unique_ptr<SftpClient> client;
        bool begun = false;
    };
    std::list<SftpRun> m_sftp;
    std::deque<std::shared_ptr<SftpTask>> m_sftpQueued;
    QSocketNotifier *m_writeNotifier = nullptr; // while libssh has output the socket did not take yet
    bool m_pumpQueued = false;
    bool m_wanted = false;
    bool m_wasUp = false; // connected at least once since the last requestConnect from Disconnected
    QString m_lastAccepted;
    QList<std::shared_ptr<QPromise<Status>>> m_connectWaiters;

    // Liveness: libssh counts the bytes it reads from the socket here; any growth means the host is alive.
    ssh_counter_struct m_socketCounter{};
    ssh_counter_struct m_rawCounter{};
    quint64 m_lastInBytes = 0;
    QElapsedTimer m_heard;     // since something last came from the host
    QElapsedTimer m_keepalive; // since the last keepalive went out

    // Reconnecting: the probes in flight (each with its start), and when the next full attempt may start.
    std::list<std::pair<QTcpSocket *, QElapsedTimer>> m_probes;
    QDeadlineTimer m_backoffUntil;

    mutable QMutex m_statusMutex;
    LinkStatus m_status;
};

} // namespace gpudeck
