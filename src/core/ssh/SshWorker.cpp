#include "ssh/SshWorker.h"

#include "logging/Logging.h"
#include "ssh/SshSession.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QPromise>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <cmath>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gpudeck {

struct SshWorker::Command
{
    QByteArray text;
    ExecOptions options;
    QPromise<Result<CommandResult>> promise;
    enum class Phase { Queued, Opening, Requesting, Running } phase = Phase::Queued;
    ssh_channel channel = nullptr;
    ssh_channel_callbacks_struct callbacks{};
    bool closed = false;
    CommandResult result;
    QElapsedTimer timer;
    QProcess *process = nullptr; // local connections
};

namespace {

void append(CommandResult &r, const ExecOptions &options, const char *data, qsizetype len, bool isStderr)
{
    if (options.onOutput) {
        options.onOutput(QByteArray(data, len), isStderr);
    }
    if (!options.collectOutput) {
        return;
    }
    QByteArray &target = isStderr ? r.stdErr : r.stdOut;
    const qsizetype room = qMax<qsizetype>(0, options.maxOutputBytes - target.size());
    if (len > room) {
        r.truncated = true;
    }
    target.append(data, qMin(len, room));
}

int channelData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *userdata)
{
    auto *c = static_cast<SshWorker::Command *>(userdata);
    append(c->result, c->options, static_cast<const char *>(data), static_cast<qsizetype>(len), isStderr != 0);
    return static_cast<int>(len);
}

void channelExitStatus(ssh_session, ssh_channel, int status, void *userdata)
{
    static_cast<SshWorker::Command *>(userdata)->result.exitCode = status;
}

void channelExitSignal(ssh_session, ssh_channel, const char *signal, int, const char *, const char *, void *userdata)
{
    static_cast<SshWorker::Command *>(userdata)->result.exitSignal = QString::fromLatin1(signal);
}

void channelClose(ssh_session, ssh_channel, void *userdata)
{
    static_cast<SshWorker::Command *>(userdata)->closed = true;
}

// TCP keepalives and a user timeout, so a peer that vanished without a FIN is noticed in seconds, not hours.
void tuneSocket(int fd, const SshSettings &settings)
{
    const int on = 1;
    const int idle = qMax(1, settings.keepaliveIntervalMs / 1000);
    const int interval = qMax(1, idle / 3);
    const int count = 3;
    const unsigned int userTimeout = static_cast<unsigned int>(settings.deadPeerTimeoutMs);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeout, sizeof userTimeout);
}

bool isPermanent(const Error &e)
{
    return e.reason == QStringLiteral("host_key_changed") || e.reason == QStringLiteral("host_key_unknown")
        || e.reason == QStringLiteral("auth_failed");
}

} // namespace

SshWorker::SshWorker(Connection connection, SshSettings settings)
    : m_connection(std::move(connection))
    , m_settings(std::move(settings))
    , m_local(m_connection.kind == QStringLiteral("local"))
    , m_keepalive(new QTimer(this))
    , m_reconnect(new QTimer(this))
    , m_poll(new QTimer(this))
{
    m_status.since = nowUtc();
    m_keepalive->setInterval(m_settings.keepaliveIntervalMs);
    connect(m_keepalive, &QTimer::timeout, this, &SshWorker::sendKeepalive);
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, [this] { connectNow(m_lastAccepted, true); });
    // While commands run, a coarse tick enforces timeouts and catches anything the socket notifier missed.
    m_poll->setInterval(50);
    connect(m_poll, &QTimer::timeout, this, &SshWorker::pump);
}

SshWorker::~SshWorker()
{
    stopIo();
}

LinkStatus SshWorker::status() const
{
    QMutexLocker lock(&m_statusMutex);
    return m_status;
}

void SshWorker::setStatus(LinkState state, const QString &reason)
{
    LinkStatus copy;
    {
        QMutexLocker lock(&m_statusMutex);
        if (m_status.state == state && m_status.reason == reason) {
            return;
        }
        m_status.state = state;
        m_status.reason = reason;
        m_status.since = nowUtc();
        if (m_session) {
            m_status.hostFingerprint = m_session->fingerprint();
            m_status.authMethod = m_session->authMethod();
        }
        copy = m_status;
    }
    qCInfo(lcSsh).noquote() << m_connection.name << linkStateName(state) << reason;
    Q_EMIT statusChanged(m_connection.id, copy);
}

QFuture<Status> SshWorker::requestConnect(const QString &acceptFingerprint)
{
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    QFuture<Status> future = promise->future();
    QMetaObject::invokeMethod(this, [this, promise, acceptFingerprint] {
        m_wanted = true;
        if (!acceptFingerprint.isEmpty()) {
            m_lastAccepted = acceptFingerprint;
        }
        const LinkState state = status().state;
        if (state == LinkState::Connected) {
            promise->addResult(Status());
            promise->finish();
            return;
        }
        m_connectWaiters.append(promise);
        if (state != LinkState::Connecting) {
            m_reconnect->stop();
            connectNow(acceptFingerprint, false);
        }
    });
    return future;
}

void SshWorker::connectNow(const QString &acceptFingerprint, bool reconnecting)
{
    Status result;
    if (m_local) {
        setStatus(LinkState::Connected);
    } else {
        if (!reconnecting) {
            setStatus(LinkState::Connecting);
        }
        stopIo();
        auto session = std::make_unique<SshSession>();
        result = session->open(m_connection, m_settings, acceptFingerprint);
        if (result.ok()) {
            m_session = std::move(session);
            startIo();
            {
                QMutexLocker lock(&m_statusMutex);
                m_status.attempt = 0;
            }
            setStatus(LinkState::Connected);
        } else if (reconnecting && !isPermanent(result.error()) && m_wanted) {
            qCInfo(lcSsh).noquote() << m_connection.name << "reconnect failed:" << result.error().message;
            scheduleReconnect();
            return; // waiters keep waiting for the link to come back
        } else {
            m_wanted = false;
            {
                QMutexLocker lock(&m_statusMutex);
                m_status.hostFingerprint = session->fingerprint();
            }
            setStatus(LinkState::Failed, result.error().message);
        }
    }
    const auto waiters = std::exchange(m_connectWaiters, {});
    for (const auto &w : waiters) {
        w->addResult(result);
        w->finish();
    }
}

void SshWorker::startIo()
{
    ssh_session s = m_session->handle();
    ssh_set_blocking(s, 0);
    const int fd = ssh_get_fd(s);
    tuneSocket(fd, m_settings);
    ssh_event event = ssh_event_new();
    ssh_event_add_session(event, s);
    m_event = event;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SshWorker::pump);
    m_keepalive->start();
}

void SshWorker::stopIo()
{
    m_keepalive->stop();
    m_poll->stop();
    delete m_notifier;
    m_notifier = nullptr;
    for (auto &c : m_running) {
        if (c->channel) {
            ssh_channel_free(c->channel);
            c->channel = nullptr;
        }
    }
    if (m_event) {
        auto event = static_cast<ssh_event>(m_event);
        if (m_session) {
            ssh_event_remove_session(event, m_session->handle());
        }
        ssh_event_free(event);
        m_event = nullptr;
    }
    m_session.reset();
}

QFuture<Result<CommandResult>> SshWorker::exec(const QString &command, const ExecOptions &options)
{
    auto cmd = std::make_unique<Command>();
    cmd->text = command.toUtf8();
    cmd->options = options;
    cmd->promise.start();
    QFuture<Result<CommandResult>> future = cmd->promise.future();
    // std::function needs a copyable callable: hand the unique_ptr over through a shared holder.
    auto holder = std::make_shared<std::unique_ptr<Command>>(std::move(cmd));
    QMetaObject::invokeMethod(this, [this, holder] {
        std::unique_ptr<Command> c = std::move(*holder);
        c->timer.start();
        if (status().state != LinkState::Connected) {
            const LinkStatus st = status();
            c->promise.addResult(Error::make(
                ErrorCode::Conflict, QStringLiteral("not_connected"),
                QStringLiteral("'%1' is %2%3; connect it first")
                    .arg(m_connection.name, linkStateName(st.state),
                         st.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(st.reason))));
            c->promise.finish();
            return;
        }
        m_queued.push_back(std::move(c));
        startQueued();
    });
    return future;
}

void SshWorker::startQueued()
{
    while (!m_queued.empty() && static_cast<int>(m_running.size()) < m_settings.maxChannels) {
        std::unique_ptr<Command> c = std::move(m_queued.front());
        m_queued.pop_front();
        Command &ref = *c;
        m_running.push_back(std::move(c));
        if (ref.options.cancel) {
            std::weak_ptr<SshWorker> self = weak_from_this();
            ref.options.cancel->attach([self] {
                if (auto worker = self.lock()) {
                    QMetaObject::invokeMethod(worker.get(), [worker] { worker->pump(); });
                }
            });
        }
        if (m_local) {
            startLocal(ref);
            continue;
        }
        ref.channel = ssh_channel_new(m_session->handle());
        ref.callbacks.userdata = &ref;
        ref.callbacks.channel_data_function = channelData;
        ref.callbacks.channel_exit_status_function = channelExitStatus;
        ref.callbacks.channel_exit_signal_function = channelExitSignal;
        ref.callbacks.channel_close_function = channelClose;
        ssh_callbacks_init(&ref.callbacks);
        ssh_set_channel_callbacks(ref.channel, &ref.callbacks);
        ref.phase = Command::Phase::Opening;
    }
    if (!m_local) {
        pump();
    }
    updatePollTimer();
}

void SshWorker::updatePollTimer()
{
    // Only commands with a deadline need the tick; streams are driven by their socket alone.
    const bool busy = std::any_of(m_running.begin(), m_running.end(),
                                  [](const auto &c) { return c->options.timeoutMs > 0; });
    if (busy && !m_poll->isActive()) {
        m_poll->start();
    } else if (!busy && m_poll->isActive()) {
        m_poll->stop();
    }
}

void SshWorker::pump()
{
    if (m_local) {
        // Only timeouts to enforce; output and exit arrive through QProcess signals.
        for (auto &c : m_running) {
            const bool expired = c->options.timeoutMs > 0 && c->timer.elapsed() > c->options.timeoutMs;
            const bool cancelled = c->options.cancel && c->options.cancel->isCancelled();
            if (c->process && (expired || cancelled)) {
                ::kill(-static_cast<pid_t>(c->process->processId()), SIGKILL);
            }
        }
        return;
    }
    if (!m_session) {
        return;
    }
    ssh_session s = m_session->handle();
    const int rc = ssh_event_dopoll(static_cast<ssh_event>(m_event), 0);
    for (auto it = m_running.begin(); it != m_running.end();) {
        if (advance(**it)) {
            it = m_running.erase(it);
        } else {
            ++it;
        }
    }
    if (rc == SSH_ERROR || !ssh_is_connected(s) || (ssh_get_status(s) & (SSH_CLOSED | SSH_CLOSED_ERROR))) {
        linkLost(QString::fromUtf8(ssh_get_error(s)));
        return;
    }
    if (!m_queued.empty() && static_cast<int>(m_running.size()) < m_settings.maxChannels) {
        startQueued();
    }
    updatePollTimer();
}

bool SshWorker::advance(Command &c)
{
    auto failChannel = [&](const QString &what) {
        finish(c, Error::make(ErrorCode::Upstream, QStringLiteral("exec_failed"),
                              QStringLiteral("%1 on '%2': %3")
                                  .arg(what, m_connection.name,
                                       QString::fromUtf8(ssh_get_error(m_session->handle())))));
        return true;
    };
    if (c.phase == Command::Phase::Opening) {
        const int rc = ssh_channel_open_session(c.channel);
        if (rc == SSH_AGAIN) {
            return false;
        }
        if (rc != SSH_OK) {
            return failChannel(QStringLiteral("cannot open a channel"));
        }
        c.phase = Command::Phase::Requesting;
    }
    if (c.phase == Command::Phase::Requesting) {
        const int rc = ssh_channel_request_exec(c.channel, c.text.constData());
        if (rc == SSH_AGAIN) {
            return false;
        }
        if (rc != SSH_OK) {
            return failChannel(QStringLiteral("cannot start the command"));
        }
        c.phase = Command::Phase::Running;
    }
    if (c.closed) {
        finish(c, c.result);
        return true;
    }
    if (c.options.cancel && c.options.cancel->isCancelled()) {
        ssh_channel_request_send_signal(c.channel, "KILL");
        finish(c, Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"), QStringLiteral("the command was cancelled")));
        return true;
    }
    if (c.options.timeoutMs > 0 && c.timer.elapsed() > c.options.timeoutMs) {
        // Kill the remote command, not just our end of it.
        ssh_channel_request_send_signal(c.channel, "KILL");
        ssh_channel_close(c.channel);
        CommandResult partial = c.result;
        partial.durationMs = c.timer.elapsed();
        finish(c, Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                              QStringLiteral("the command did not finish within %1 s and was killed")
                                  .arg(c.options.timeoutMs / 1000.0),
                              QJsonObject{{QStringLiteral("stdout"), QString::fromUtf8(partial.stdOut)},
                                          {QStringLiteral("stderr"), QString::fromUtf8(partial.stdErr)},
                                          {QStringLiteral("duration_ms"), partial.durationMs}}));
        return true;
    }
    return false;
}

void SshWorker::finish(Command &c, Result<CommandResult> result)
{
    if (result.ok()) {
        result.value().durationMs = c.timer.elapsed();
    }
    if (c.channel) {
        ssh_remove_channel_callbacks(c.channel, &c.callbacks);
        ssh_channel_close(c.channel);
        ssh_channel_free(c.channel);
        c.channel = nullptr;
    }
    c.promise.addResult(std::move(result));
    c.promise.finish();
}

void SshWorker::failAll(const Error &error)
{
    for (auto &c : m_running) {
        if (c->process) {
            c->process->disconnect(this);
            ::kill(-static_cast<pid_t>(c->process->processId()), SIGKILL);
            c->process->waitForFinished(1000);
        }
        if (c->channel) {
            // The session frees the channel; it must not call back into a command that is gone.
            ssh_remove_channel_callbacks(c->channel, &c->callbacks);
            c->channel = nullptr;
        }
        c->promise.addResult(error);
        c->promise.finish();
    }
    m_running.clear();
    for (auto &c : m_queued) {
        c->promise.addResult(error);
        c->promise.finish();
    }
    m_queued.clear();
}

void SshWorker::linkLost(const QString &why)
{
    const QString reason = why.isEmpty() ? QStringLiteral("the connection dropped") : why;
    qCWarning(lcSsh).noquote() << m_connection.name << "link lost:" << reason;
    // The state changes before the in-flight commands fail, so whoever sees a "connection_lost" result
    // also sees the link as reconnecting (or disconnected), never still "connected".
    if (m_wanted) {
        {
            QMutexLocker lock(&m_statusMutex);
            m_status.attempt = 0;
        }
        setStatus(LinkState::Reconnecting, reason);
    } else {
        setStatus(LinkState::Disconnected, reason);
    }
    failAll(Error::make(ErrorCode::Upstream, QStringLiteral("connection_lost"),
                        QStringLiteral("the connection to '%1' was lost: %2").arg(m_connection.name, reason)));
    stopIo();
    if (m_wanted) {
        scheduleReconnect();
    }
}

void SshWorker::scheduleReconnect()
{
    int attempt = 0;
    {
        QMutexLocker lock(&m_statusMutex);
        attempt = ++m_status.attempt;
    }
    const double base = qMin<double>(m_settings.backoffMaxMs,
                                     m_settings.backoffInitialMs * std::pow(2.0, qMin(attempt - 1, 16)));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = static_cast<int>(base * jitter);
    qCInfo(lcSsh).noquote() << m_connection.name << QStringLiteral("reconnect attempt %1 in %2 ms").arg(attempt).arg(delay);
    Q_EMIT statusChanged(m_connection.id, status()); // publishes the new attempt number
    m_reconnect->start(delay);
}

void SshWorker::sendKeepalive()
{
    if (!m_session) {
        return;
    }
    if (ssh_send_ignore(m_session->handle(), "") != SSH_OK) {
        linkLost(QStringLiteral("keepalive failed: %1").arg(QString::fromUtf8(ssh_get_error(m_session->handle()))));
    }
}

void SshWorker::startLocal(Command &c)
{
    auto *p = new QProcess(this);
    c.process = p;
    c.phase = Command::Phase::Running;
    // Its own process group, so a timeout kills the whole command tree.
    p->setChildProcessModifier([] { ::setsid(); });
    connect(p, &QProcess::readyReadStandardOutput, this,
            [&c, p] { const QByteArray d = p->readAllStandardOutput(); append(c.result, c.options, d.constData(), d.size(), false); });
    connect(p, &QProcess::readyReadStandardError, this,
            [&c, p] { const QByteArray d = p->readAllStandardError(); append(c.result, c.options, d.constData(), d.size(), true); });
    connect(p, &QProcess::finished, this, [this, &c, p](int exitCode, QProcess::ExitStatus exitStatus) {
        const QByteArray out = p->readAllStandardOutput();
        append(c.result, c.options, out.constData(), out.size(), false);
        const QByteArray err = p->readAllStandardError();
        append(c.result, c.options, err.constData(), err.size(), true);
        const bool timedOut = c.options.timeoutMs > 0 && c.timer.elapsed() > c.options.timeoutMs;
        if (timedOut) {
            finish(c, Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                                  QStringLiteral("the command did not finish within %1 s and was killed")
                                      .arg(c.options.timeoutMs / 1000.0)));
        } else {
            c.result.exitCode = exitStatus == QProcess::NormalExit ? exitCode : -1;
            if (exitStatus != QProcess::NormalExit) {
                c.result.exitSignal = QStringLiteral("KILL");
            }
            finish(c, c.result);
        }
        p->deleteLater();
        for (auto it = m_running.begin(); it != m_running.end(); ++it) {
            if (it->get() == &c) {
                m_running.erase(it);
                break;
            }
        }
        startQueued();
    });
    p->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromUtf8(c.text)});
}

void SshWorker::shutdown()
{
    m_wanted = false;
    m_reconnect->stop();
    failAll(Error::make(ErrorCode::Cancelled, QStringLiteral("disconnected"),
                        QStringLiteral("'%1' was disconnected").arg(m_connection.name)));
    stopIo();
    const auto waiters = std::exchange(m_connectWaiters, {});
    for (const auto &w : waiters) {
        w->addResult(Error::make(ErrorCode::Cancelled, QStringLiteral("disconnected"),
                                 QStringLiteral("'%1' was disconnected").arg(m_connection.name)));
        w->finish();
    }
    setStatus(LinkState::Disconnected);
}

} // namespace gpudeck
