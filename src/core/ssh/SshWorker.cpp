#include "ssh/SshWorker.h"

#include "logging/Logging.h"
#include "ssh/PortForwarder.h"
#include "ssh/SftpClient.h"
#include "ssh/SshSession.h"

#include <QJsonArray>
#include <QProcess>
#include <QPromise>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <csignal>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h> // ssh_send_keepalive: declared with the server API, sends a client's request as well
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace gpudeck {

struct SshWorker::Command
{
    QByteArray text;
    ExecOptions options;
    ExecLane lane = ExecLane::Interactive; // the effective lane (an interactive command without timeout: Stream)
    QPromise<Result<CommandResult>> promise;
    bool answered = false; // the promise is resolved; a channel may still be closing or opening
    enum class Phase { Queued, Opening, Requesting, Running } phase = Phase::Queued;
    ssh_channel channel = nullptr;
    ssh_channel_callbacks_struct callbacks{};
    bool closed = false;
    // Output libssh read while another thread stood in for this one (AwakeLock: a forward's deliver): passed on
    // here, before anything newer, since its onOutput belongs to the link's thread.
    std::vector<std::pair<QByteArray, bool>> heldOutput;
    CommandResult result;
    QElapsedTimer asked;         // since exec() was called: the timeout counts from here
    QElapsedTimer timer;         // since the command started running on the host
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

void passHeldOutput(SshWorker::Command &c)
{
    for (const auto &[data, isStderr] : std::exchange(c.heldOutput, {})) {
        append(c.result, c.options, data.constData(), data.size(), isStderr);
    }
}

int channelData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *userdata)
{
    auto *c = static_cast<SshWorker::Command *>(userdata);
    if (AwakeLock::standingIn()) {
        c->heldOutput.emplace_back(QByteArray(static_cast<const char *>(data), len), isStderr != 0);
        return static_cast<int>(len);
    }
    passHeldOutput(*c);
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

// TCP keepalives and a user timeout, so a peer that vanished without a FIN is noticed by the kernel too.
void tuneSocket(int fd, const SshSettings &settings)
{
    const int on = 1;
    const int idle = qMax(1, settings.downAfterMs / 1000);
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
    return e.reason == QStringLiteral("host_key_changed") || e.reason == QStringLiteral("host_key_unknown") ||
           e.reason == QStringLiteral("auth_failed");
}

QString seconds(qint64 ms)
{
    return QString::number(static_cast<double>(ms) / 1000.0, 'g', 3);
}

Error cancelledError()
{
    return Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"), QStringLiteral("the command was cancelled"));
}

// At most this many probes wait for a banner at once: sshd starts refusing unauthenticated connections at
// random beyond MaxStartups (10 by default), and the real attempt must not be one of them.
constexpr int kMaxProbes = 3;

} // namespace

SshWorker::SshWorker(Connection connection, SshSettings settings)
    : m_connection(std::move(connection))
    , m_settings(std::move(settings))
    , m_local(m_connection.kind == QStringLiteral("local"))
    , m_liveness(new QTimer(this))
    , m_reconnect(new QTimer(this))
    , m_probeTimer(new QTimer(this))
    , m_poll(new QTimer(this))
{
    m_status.since = nowUtc();
    m_liveness->setSingleShot(true);
    connect(m_liveness, &QTimer::timeout, this, &SshWorker::checkLiveness);
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, [this] { connectNow(m_lastAccepted, true); });
    m_probeTimer->setSingleShot(true);
    connect(m_probeTimer, &QTimer::timeout, this, &SshWorker::probeTick);
    // While commands with a deadline are queued or run, a fine tick enforces the deadlines and catches anything
    // the socket notifier missed.
    m_poll->setInterval(20);
    connect(m_poll, &QTimer::timeout, this, &SshWorker::pump);
    applySettings(m_settings);
    if (!m_local) {
        m_forwardedPorts->attachToThisThread(); // a forward's requests may be written by the proxy's thread
    }
}

SshWorker::~SshWorker()
{
    stopProbing();
    failAll(Error::make(ErrorCode::Cancelled, QStringLiteral("disconnected"),
                        QStringLiteral("'%1' was disconnected").arg(m_connection.name)));
    stopIo();
    m_forwardedPorts->detachFromThisThread();
}

void SshWorker::applySettings(const SshSettings &settings)
{
    SshSettings next = settings;
    next.knownHostsPath = m_settings.knownHostsPath;
    next.userKnownHostsPath = m_settings.userKnownHostsPath;
    next.secrets = m_settings.secrets;
    m_settings = next;
    if (m_probeTimer->isActive()) {
        scheduleProbe(); // the next probe follows the new rules
    }
    if (m_session) {
        checkLiveness(); // reschedules for the new keepalive interval and down time
    }
    if (m_forwarder) {
        m_forwarder->setIdleMs(m_settings.forwardIdleMs);
    }
}

void SshWorker::updateConnection(const Connection &connection)
{
    m_connection.name = connection.name;
    m_connection.watch = connection.watch;
    m_connection.macAddress = connection.macAddress;
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
        if (state != LinkState::Down && state != LinkState::Reconnecting) {
            m_status.probes = 0;
            m_status.lastProbeAt = QDateTime();
            m_status.nextProbeAt = QDateTime();
        }
        if (m_session) {
            m_status.hostFingerprint = m_session->fingerprint();
            m_status.authMethod = m_session->authMethod();
        }
        copy = m_status;
    }
    qCInfo(lcSsh).noquote() << m_connection.name << linkStateName(state) << reason;
    Q_EMIT statusChanged(m_connection.id, copy);
}

Error SshWorker::notConnected() const
{
    const LinkStatus st = status();
    return Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                       QStringLiteral("'%1' is %2%3; connect it first")
                           .arg(m_connection.name, linkStateName(st.state),
                                st.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(st.reason)));
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
        stopProbing();
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
            m_backoffUntil = QDeadlineTimer();
            m_wasUp = true;
            setStatus(LinkState::Connected);
        } else if (!isPermanent(result.error()) && m_wanted && (reconnecting || m_wasUp || m_connection.watch)) {
            // A link that was up keeps reconnecting; a watched one that never was is Down. Either way it is probed
            // cheaply from now on and connects again once its sshd answers.
            const LinkState down = m_wasUp ? LinkState::Reconnecting : LinkState::Down;
            if (status().state != down) {
                setStatus(down, result.error().message);
            }
            if (reconnecting) {
                reconnectFailed(result.error());
                return; // waiters keep waiting for the link to come back
            }
            const auto waiters = std::exchange(m_connectWaiters, {});
            for (const auto &w : waiters) {
                w->addResult(result); // whoever asked hears why; the link keeps trying
                w->finish();
            }
            reconnectFailed(result.error());
            return;
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
    m_socketCounter = {};
    m_rawCounter = {};
    ssh_set_counters(s, &m_socketCounter, &m_rawCounter);
    m_lastInBytes = 0;
    m_heard.start();
    m_keepalive.start();
    ssh_event event = ssh_event_new();
    ssh_event_add_session(event, s);
    m_event = event;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SshWorker::pump);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &SshWorker::pump);
    m_liveness->start(static_cast<int>(m_settings.keepaliveIntervalMs()));
}

void SshWorker::stopIo()
{
    m_liveness->stop();
    m_poll->stop();
    delete m_notifier;
    m_notifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    for (auto &c : m_running) {
        if (c->channel) {
            ssh_remove_channel_callbacks(c->channel, &c->callbacks);
            ssh_channel_free(c->channel);
            c->channel = nullptr;
        }
    }
    m_forwarder.reset(); // its local sockets close: their clients see the link's end as their connection's
    if (m_event) {
        auto event = static_cast<ssh_event>(m_event);
        if (m_session) {
            ssh_event_remove_session(event, m_session->handle());
        }
        ssh_event_free(event);
        m_event = nullptr;
    }
    if (m_session) {
        ssh_set_counters(m_session->handle(), nullptr, nullptr);
    }
    m_session.reset();
}

QFuture<Result<CommandResult>> SshWorker::exec(const QString &command, const ExecOptions &options)
{
    auto cmd = std::make_unique<Command>();
    cmd->asked.start(); // the timeout counts from here, whatever the command waits for afterwards
    cmd->text = command.toUtf8();
    cmd->options = options;
    cmd->lane = options.lane == ExecLane::Interactive && options.timeoutMs <= 0 ? ExecLane::Stream : options.lane;
    cmd->promise.start();
    QFuture<Result<CommandResult>> future = cmd->promise.future();
    if (status().state != LinkState::Connected) {
        // Refused here, on the caller's thread: the worker's own thread may be busy in a blocking connect.
        cmd->promise.addResult(notConnected());
        cmd->promise.finish();
        return future;
    }
    // std::function needs a copyable callable: hand the unique_ptr over through a shared holder.
    auto holder = std::make_shared<std::unique_ptr<Command>>(std::move(cmd));
    QMetaObject::invokeMethod(this, [this, holder] {
        std::unique_ptr<Command> c = std::move(*holder);
        if (status().state != LinkState::Connected) {
            c->promise.addResult(notConnected());
            c->promise.finish();
            return;
        }
        if (c->options.cancel) {
            // Detached in answer(): after that the cancel handle can no longer reach this worker.
            c->options.cancel->attach(
                [this] { QMetaObject::invokeMethod(this, &SshWorker::pump, Qt::QueuedConnection); });
        }
        m_queued.push_back(std::move(c));
        startQueued();
    });
    return future;
}

bool SshWorker::mayStart(const Command &c) const
{
    const int channels = qMax(1, m_settings.maxChannels);
    const int total = static_cast<int>(m_running.size());
    const int streams = static_cast<int>(
        std::count_if(m_running.begin(), m_running.end(), [](const auto &r) { return r->lane == ExecLane::Stream; }));
    // Every channel but the last is for everyone; the last only for short supervision commands (job polls).
    const int general = qMax(1, channels - 1);
    switch (c.lane) {
    case ExecLane::Stream:
        // Two of the general channels stay free of streams: one for interactive execs, one for the metrics stream.
        return streams < qMax(1, channels - 3) && total < general;
    case ExecLane::Interactive:
        return total < general;
    case ExecLane::Supervision:
        return total < (c.options.timeoutMs > 0 ? channels : general);
    }
    return false;
}

void SshWorker::expireQueued()
{
    for (auto it = m_queued.begin(); it != m_queued.end();) {
        Command &c = **it;
        if (c.options.cancel && c.options.cancel->isCancelled()) {
            answer(c, cancelledError());
        } else if (expired(c)) {
            answer(c,
                   Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                               QStringLiteral("the command was still queued after %1 s (all %2 channels to '%3' were "
                                              "busy) and never ran")
                                   .arg(seconds(c.options.timeoutMs))
                                   .arg(m_settings.maxChannels)
                                   .arg(m_connection.name),
                               QJsonObject{{QStringLiteral("phase"), QStringLiteral("queued")},
                                           {QStringLiteral("duration_ms"), c.asked.elapsed()}}));
        } else {
            ++it;
            continue;
        }
        it = m_queued.erase(it);
    }
}

void SshWorker::startQueued()
{
    expireQueued();
    for (auto it = m_queued.begin(); it != m_queued.end();) {
        if (!mayStart(**it)) {
            ++it;
            continue;
        }
        std::unique_ptr<Command> c = std::move(*it);
        it = m_queued.erase(it);
        Command &ref = *c;
        m_running.push_back(std::move(c));
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
        if (advance(ref)) { // sends the open request now
            m_running.pop_back();
        }
    }
    updatePollTimer();
}

void SshWorker::updatePollTimer()
{
    // Only deadlines need the tick (and channels left to close); streams are driven by their socket alone.
    const bool busy =
        std::any_of(m_running.begin(), m_running.end(),
                    [](const auto &c) { return c->options.timeoutMs > 0 || c->answered; }) ||
        std::any_of(m_queued.begin(), m_queued.end(), [](const auto &c) { return c->options.timeoutMs > 0; });
    if (busy && !m_poll->isActive()) {
        m_poll->start();
    } else if (!busy && m_poll->isActive()) {
        m_poll->stop();
    }
}

void SshWorker::pump()
{
    expireQueued();
    if (m_local) {
        // Only timeouts to enforce; output and exit arrive through QProcess signals.
        for (auto &c : m_running) {
            const bool cancelled = c->options.cancel && c->options.cancel->isCancelled();
            if (c->process && (expired(*c) || cancelled)) {
                ::kill(-static_cast<pid_t>(c->process->processId()), SIGKILL);
            }
        }
        updatePollTimer();
        return;
    }
    if (!m_session) {
        return;
    }
    ssh_session s = m_session->handle();
    const int rc = ssh_event_dopoll(static_cast<ssh_event>(m_event), 0);
    noteHeard();
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
    if (m_forwarder) {
        m_forwarder->drive();
    }
    if (!m_queued.empty()) {
        startQueued();
    }
    driveSftp();
    updatePollTimer();
    settleWritePending();
    updateWriteNotifier();
}

QFuture<Result<quint16>> SshWorker::forward(int remotePort)
{
    auto promise = std::make_shared<QPromise<Result<quint16>>>();
    promise->start();
    QFuture<Result<quint16>> future = promise->future();
    auto settle = [promise](Result<quint16> r) {
        promise->addResult(std::move(r));
        promise->finish();
    };
    if (m_local) {
        settle(static_cast<quint16>(remotePort));
        return future;
    }
    if (status().state != LinkState::Connected) {
        settle(notConnected());
        return future;
    }
    QMetaObject::invokeMethod(this, [this, remotePort, settle] {
        if (status().state != LinkState::Connected || !m_session) {
            settle(notConnected());
            return;
        }
        if (!m_forwarder) {
            m_forwarder = std::make_unique<PortForwarder>(
                m_session->handle(), m_connection.name, [this] { schedulePump(); }, *m_forwardedPorts, m_socketCounter);
            m_forwarder->setIdleMs(m_settings.forwardIdleMs);
        }
        settle(m_forwarder->listen(remotePort));
    });
    return future;
}

Status SshWorker::runSftp(std::shared_ptr<SftpTask> task)
{
    if (m_local) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("sftp_unavailable"),
                           QStringLiteral("'%1' is a local connection: there is nothing to transfer over SFTP")
                               .arg(m_connection.name));
    }
    if (status().state != LinkState::Connected) {
        return notConnected();
    }
    QMetaObject::invokeMethod(this, [this, task] {
        if (status().state != LinkState::Connected || !m_session) {
            task->abort(notConnected());
            return;
        }
        task->attachWake([this] { QMetaObject::invokeMethod(this, &SshWorker::pump, Qt::QueuedConnection); });
        m_sftpQueued.push_back(task);
        startSftpQueued();
        pump();
    });
    return {};
}

void SshWorker::startSftpQueued()
{
    while (!m_sftpQueued.empty() && static_cast<int>(m_sftp.size()) < kMaxSftpChannels && m_session) {
        SftpRun run;
        run.task = m_sftpQueued.front();
        m_sftpQueued.pop_front();
        if (run.task->isCancelled()) {
            run.task->attachWake({});
            run.task->abort(cancelledError());
            continue;
        }
        run.client = std::make_unique<SftpClient>(m_session->handle(), m_connection.name);
        m_sftp.push_back(std::move(run));
    }
}

void SshWorker::driveSftp()
{
    bool more = false;
    for (auto it = m_sftp.begin(); it != m_sftp.end();) {
        SftpRun &run = *it;
        bool done = false;
        if (!run.client->ready() && !run.client->failed()) {
            run.client->advanceSetup();
        }
        if (run.client->ready() && !run.begun) {
            run.begun = true;
            run.task->begin(*run.client);
            run.client->flush();
        }
        // A few slices per wake-up at most; then the event loop serves everything else before the next ones. A task
        // that still has work while the channel has room is woken again through the event loop; one that waits for
        // room is woken by the host's answers (window adjustments arrive as reads).
        for (int slice = 0; run.begun && slice < 4; ++slice) {
            run.client->process();
            if (run.client->failed()) {
                break;
            }
            const bool again = run.task->feed(*run.client);
            run.client->flush();
            if (run.task->finished() || !again || run.client->queuedBytes() > 0) {
                break;
            }
            if (slice == 3) {
                more = true;
            }
        }
        if (run.client->failed()) {
            run.task->attachWake({});
            run.task->abort(*run.client->failed());
            done = true;
        } else if (run.begun && run.task->finished()) {
            run.task->attachWake({});
            done = true;
        }
        it = done ? m_sftp.erase(it) : std::next(it);
    }
    if (!m_sftpQueued.empty()) {
        const auto before = m_sftp.size();
        startSftpQueued();
        more = more || m_sftp.size() != before;
    }
    if (more) {
        schedulePump();
    }
}

void SshWorker::abortSftp(const Error &error)
{
    for (auto &run : m_sftp) {
        run.task->attachWake({});
        run.client->detach(); // the session frees the channel; no callback may reach the client
        run.client.reset();
        run.task->abort(error);
    }
    m_sftp.clear();
    for (auto &task : m_sftpQueued) {
        task->attachWake({});
        task->abort(error);
    }
    m_sftpQueued.clear();
}

void SshWorker::schedulePump()
{
    if (m_pumpQueued) {
        return;
    }
    m_pumpQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpQueued = false;
            pump();
        },
        Qt::QueuedConnection);
}

void SshWorker::settleWritePending()
{
    // libssh 0.10 leaves POLLOUT armed when the session socket was readable and writable in the same poll (its
    // callback lets go of the poll handle once it has passed data on), although it has marked the socket writable:
    // SSH_WRITE_PENDING then says output waits when none does, and the write notifier would be switched on, fire at
    // once and be switched off (with GLib's loop, each switch is a write to the thread's wake-up eventfd, and the
    // round a pass of the loop), and ForwardedPorts::deliver would decline meanwhile. One more zero-time poll of the
    // session settles it here. What that poll reads, or an error it meets, is handled by a pump queued at once
    // (which sees a lost link the way every pump does).
    if (!m_session || !m_event || !writePending(m_session->handle())) {
        return;
    }
    const uint64_t heard = m_socketCounter.in_bytes;
    const int rc = ssh_event_dopoll(static_cast<ssh_event>(m_event), 0);
    if (rc == SSH_ERROR || m_socketCounter.in_bytes != heard || !ssh_is_connected(m_session->handle())) {
        schedulePump();
    }
}

void SshWorker::updateWriteNotifier()
{
    if (!m_writeNotifier || !m_session) {
        return;
    }
    const bool pending = writePending(m_session->handle());
    if (m_writeNotifier->isEnabled() != pending) {
        m_writeNotifier->setEnabled(pending);
    }
}

bool SshWorker::expired(const Command &c) const
{
    return c.options.timeoutMs > 0 && c.asked.elapsed() >= c.options.timeoutMs;
}

bool SshWorker::advance(Command &c)
{
    passHeldOutput(c);
    if (c.answered) {
        // Its caller already has the answer (a timeout or a cancel while the channel was opening). A channel
        // freed while opening would stay open on the host, so it is opened to the end, then closed.
        if (c.phase == Command::Phase::Opening && ssh_channel_open_session(c.channel) == SSH_AGAIN) {
            return false;
        }
        finish(c, c.result);
        return true;
    }
    auto failChannel = [&](const QString &what) {
        finish(c,
               Error::make(ErrorCode::Upstream, QStringLiteral("exec_failed"),
                           QStringLiteral("%1 on '%2': %3")
                               .arg(what, m_connection.name, QString::fromUtf8(ssh_get_error(m_session->handle())))));
        return true;
    };
    const bool cancelled = c.options.cancel && c.options.cancel->isCancelled();
    if (c.phase == Command::Phase::Opening || c.phase == Command::Phase::Requesting) {
        if (cancelled || expired(c)) {
            const bool opening = c.phase == Command::Phase::Opening;
            answer(c, cancelled
                          ? cancelledError()
                          : Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                                        opening ? QStringLiteral("no channel to '%1' opened within %2 s (is the "
                                                                 "host responding?); the command never ran")
                                                      .arg(m_connection.name, seconds(c.options.timeoutMs))
                                                : QStringLiteral("'%1' did not start the command within %2 s")
                                                      .arg(m_connection.name, seconds(c.options.timeoutMs)),
                                        QJsonObject{{QStringLiteral("phase"),
                                                     opening ? QStringLiteral("opening") : QStringLiteral("starting")},
                                                    {QStringLiteral("duration_ms"), c.asked.elapsed()}}));
            return advance(c);
        }
    }
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
    if (cancelled) {
        ssh_channel_request_send_signal(c.channel, "KILL");
        finish(c, cancelledError());
        return true;
    }
    if (expired(c)) {
        // Kill the remote command, not just our end of it.
        ssh_channel_request_send_signal(c.channel, "KILL");
        finish(c, Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                              QStringLiteral("the command did not finish within %1 s and was killed")
                                  .arg(seconds(c.options.timeoutMs)),
                              QJsonObject{{QStringLiteral("phase"), QStringLiteral("running")},
                                          {QStringLiteral("stdout"), QString::fromUtf8(c.result.stdOut)},
                                          {QStringLiteral("stderr"), QString::fromUtf8(c.result.stdErr)},
                                          {QStringLiteral("duration_ms"), c.asked.elapsed()}}));
        return true;
    }
    return false;
}

void SshWorker::answer(Command &c, Result<CommandResult> result)
{
    if (c.answered) {
        return;
    }
    c.answered = true;
    if (c.options.cancel) {
        c.options.cancel->attach({});
    }
    if (result.ok()) {
        result.value().durationMs = c.asked.elapsed();
    }
    c.promise.addResult(std::move(result));
    c.promise.finish();
}

void SshWorker::finish(Command &c, Result<CommandResult> result)
{
    answer(c, std::move(result));
    if (c.channel) {
        ssh_remove_channel_callbacks(c.channel, &c.callbacks);
        ssh_channel_close(c.channel);
        ssh_channel_free(c.channel);
        c.channel = nullptr;
    }
}

void SshWorker::failAll(const Error &error)
{
    abortSftp(error);
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
        answer(*c, error);
    }
    m_running.clear();
    for (auto &c : m_queued) {
        answer(*c, error);
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
    m_backoffUntil = QDeadlineTimer();
    startProbing();
}

void SshWorker::noteHeard()
{
    if (m_socketCounter.in_bytes != m_lastInBytes) {
        m_lastInBytes = m_socketCounter.in_bytes;
        m_heard.restart();
    }
}

void SshWorker::checkLiveness()
{
    if (!m_session) {
        return;
    }
    noteHeard();
    const qint64 downAfter = m_settings.downAfterMs;
    const qint64 interval = m_settings.keepaliveIntervalMs();
    if (m_heard.elapsed() > downAfter) {
        linkLost(QStringLiteral("no answer from the host for %1 s").arg(seconds(m_heard.elapsed())));
        return;
    }
    // A keepalive only when the host has been quiet for an interval: a host that streams (the metrics stream
    // reports every couple of seconds) proves itself alive without one.
    if (m_heard.elapsed() >= interval && m_keepalive.elapsed() >= interval) {
        m_keepalive.restart();
        ssh_session s = m_session->handle();
        // libssh keeps one global request in flight: the first call collects the answer to the previous
        // keepalive if it came, the second then sends a new one; while one is unanswered neither sends. Either
        // way the answer is seen as bytes read from the socket (m_socketCounter), which is all that counts here.
        ssh_send_keepalive(s);
        ssh_send_keepalive(s);
        if (!ssh_is_connected(s)) {
            linkLost(QStringLiteral("keepalive failed: %1").arg(QString::fromUtf8(ssh_get_error(s))));
            return;
        }
    }
    // Wake when the next keepalive may be due, or just after the moment the host would count as down if nothing
    // comes meanwhile (whatever comes is noted by pump(), which runs whenever the socket has data).
    const qint64 untilKeepalive = qMax(interval - m_keepalive.elapsed(), interval - m_heard.elapsed());
    const qint64 untilDown = downAfter - m_heard.elapsed() + 1;
    m_liveness->start(static_cast<int>(qBound<qint64>(10, qMin(untilKeepalive, untilDown), interval)));
}

void SshWorker::startProbing()
{
    if (!m_wanted || m_local) {
        return;
    }
    probeTick();
}

void SshWorker::scheduleProbe()
{
    int delay = 0;
    {
        QMutexLocker lock(&m_statusMutex);
        delay = m_settings.probeDelayMs(m_status.probes);
        const QDateTime last = m_status.lastProbeAt.isValid() ? m_status.lastProbeAt : nowUtc();
        const qint64 sinceLast = qMax<qint64>(0, last.msecsTo(nowUtc()));
        delay = static_cast<int>(qMax<qint64>(0, delay - sinceLast));
        m_status.nextProbeAt = nowUtc().addMSecs(delay);
    }
    m_probeTimer->start(delay);
}

void SshWorker::stopProbing()
{
    m_probeTimer->stop();
    for (auto &probe : m_probes) {
        probe.first->disconnect(this);
        probe.first->abort();
        probe.first->deleteLater();
    }
    m_probes.clear();
}

void SshWorker::probeTick()
{
    {
        QMutexLocker lock(&m_statusMutex);
        ++m_status.probes;
        m_status.lastProbeAt = nowUtc();
    }
    scheduleProbe();
    // A fresh probe every tick, the oldest given up: a host that comes back answers a new SYN at once, where an
    // old one would wait for its next retransmission.
    auto drop = [this](std::list<std::pair<QTcpSocket *, QElapsedTimer>>::iterator it) {
        it->first->disconnect(this);
        it->first->abort();
        it->first->deleteLater();
        return m_probes.erase(it);
    };
    for (auto it = m_probes.begin(); it != m_probes.end();) {
        it = it->second.elapsed() > m_settings.connectTimeoutMs ? drop(it) : std::next(it);
    }
    while (static_cast<int>(m_probes.size()) >= kMaxProbes) {
        drop(m_probes.begin());
    }
    auto *socket = new QTcpSocket(this);
    QElapsedTimer age;
    age.start();
    m_probes.emplace_back(socket, age);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
        if (socket->bytesAvailable() < 4) {
            return;
        }
        if (socket->peek(4) == QByteArrayLiteral("SSH-")) {
            bannerSeen();
            return;
        }
        // Something answers that is not sshd: not a reason to try a full connect yet.
        for (auto it = m_probes.begin(); it != m_probes.end(); ++it) {
            if (it->first == socket) {
                it->first->disconnect(this);
                it->first->abort();
                it->first->deleteLater();
                m_probes.erase(it);
                break;
            }
        }
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket] {
        for (auto it = m_probes.begin(); it != m_probes.end(); ++it) {
            if (it->first == socket) {
                it->first->disconnect(this);
                it->first->deleteLater();
                m_probes.erase(it);
                break;
            }
        }
    });
    socket->connectToHost(m_connection.hostname, static_cast<quint16>(m_connection.port));
}

void SshWorker::bannerSeen()
{
    stopProbing();
    if (!m_wanted) {
        return;
    }
    if (!m_backoffUntil.hasExpired()) {
        // The last full attempt failed although the banner answered then too: wait out its backoff.
        m_reconnect->start(static_cast<int>(qMax<qint64>(0, m_backoffUntil.remainingTime())));
        return;
    }
    qCInfo(lcSsh).noquote() << m_connection.name << "answers again; reconnecting";
    connectNow(m_lastAccepted, true);
}

void SshWorker::reconnectFailed(const Error &error)
{
    int attempt = 0;
    {
        QMutexLocker lock(&m_statusMutex);
        attempt = ++m_status.attempt;
    }
    const double base =
        qMin<double>(m_settings.backoffMaxMs, m_settings.backoffInitialMs * std::pow(2.0, qMin(attempt - 1, 16)));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = static_cast<int>(base * jitter);
    m_backoffUntil = QDeadlineTimer(delay);
    qCInfo(lcSsh).noquote() << m_connection.name
                            << QStringLiteral("reconnect attempt %1 failed (%2); next full attempt in %3 ms at the "
                                              "earliest, once the host answers")
                                   .arg(attempt)
                                   .arg(error.message)
                                   .arg(delay);
    Q_EMIT statusChanged(m_connection.id, status()); // publishes the new attempt number
    startProbing();
}

void SshWorker::startLocal(Command &c)
{
    auto *p = new QProcess(this);
    c.process = p;
    c.phase = Command::Phase::Running;
    // Its own process group, so a timeout kills the whole command tree.
    p->setChildProcessModifier([] { ::setsid(); });
    connect(p, &QProcess::readyReadStandardOutput, this, [&c, p] {
        const QByteArray d = p->readAllStandardOutput();
        append(c.result, c.options, d.constData(), d.size(), false);
    });
    connect(p, &QProcess::readyReadStandardError, this, [&c, p] {
        const QByteArray d = p->readAllStandardError();
        append(c.result, c.options, d.constData(), d.size(), true);
    });
    connect(p, &QProcess::finished, this, [this, &c, p](int exitCode, QProcess::ExitStatus exitStatus) {
        const QByteArray out = p->readAllStandardOutput();
        append(c.result, c.options, out.constData(), out.size(), false);
        const QByteArray err = p->readAllStandardError();
        append(c.result, c.options, err.constData(), err.size(), true);
        if (c.options.cancel && c.options.cancel->isCancelled()) {
            finish(c, cancelledError());
        } else if (expired(c)) {
            finish(c, Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                                  QStringLiteral("the command did not finish within %1 s and was killed")
                                      .arg(seconds(c.options.timeoutMs))));
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
    stopProbing();
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
