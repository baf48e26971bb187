#pragma once

#include "Result.h"
#include "ssh/SshSettings.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QMutex>
#include <QObject>

#include <deque>
#include <list>
#include <memory>

class QSocketNotifier;
class QTimer;

namespace gpudeck {

class SshSession;

// Owns one connection's link for its whole life, on one thread (libssh sessions are not thread-safe).
// Commands from any thread are queued to that thread and multiplexed as channels over the one session,
// non-blocking, driven by the session socket's readiness; at most SshSettings::maxChannels run at once,
// the rest wait their turn. A dropped link is reconnected with exponential backoff and jitter.
// A `local` connection runs the same commands as local processes instead.
class SshWorker : public QObject, public std::enable_shared_from_this<SshWorker>
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
    // Thread-safe snapshot.
    LinkStatus status() const;
    qint64 connectionId() const { return m_connection.id; }

    // On the worker's thread only (the pool calls it, blocking, before stopping the thread).
    void shutdown();

Q_SIGNALS:
    void statusChanged(qint64 connectionId, const gpudeck::LinkStatus &status);

private:
    void connectNow(const QString &acceptFingerprint, bool reconnecting);
    void setStatus(LinkState state, const QString &reason = {});
    void startIo();
    void stopIo();
    void pump();
    bool advance(Command &command); // true when finished
    void finish(Command &command, Result<CommandResult> result);
    void startQueued();
    void failAll(const Error &error);
    void linkLost(const QString &why);
    void scheduleReconnect();
    void sendKeepalive();
    void startLocal(Command &command);
    void updatePollTimer();


    Connection m_connection;
    SshSettings m_settings;
    bool m_local = false;

    // Worker-thread state.
    std::unique_ptr<SshSession> m_session;
    void *m_event = nullptr; // ssh_event
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_keepalive = nullptr;
    QTimer *m_reconnect = nullptr;
    QTimer *m_poll = nullptr;
    std::list<std::unique_ptr<Command>> m_running;
    std::deque<std::unique_ptr<Command>> m_queued;
    bool m_wanted = false;
    QString m_lastAccepted;
    QList<std::shared_ptr<QPromise<Status>>> m_connectWaiters;

    mutable QMutex m_statusMutex;
    LinkStatus m_status;
};

} // namespace gpudeck

