#pragma once

#include "base/LoopbackShortcut.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QMutex>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace gpudeck {

// A forward's local port (SshPool::forwardedPort), and the shortcut to its streams (ForwardedPorts::deliver) for
// what the proxy sends through it.
struct LocalForward
{
    quint16 port = 0;
    std::shared_ptr<LoopbackShortcut> shortcut;
};

// The life of one connection's link, as the GUI and the API show it.
enum class LinkState {
    Disconnected, // not wanted, or never asked for
    Connecting,   // first attempt under way
    Connected,
    Reconnecting, // the link dropped; retrying with exponential backoff and jitter
    Failed,       // gave up: see the reason (authentication, host key, unreachable)
    Down,         // a watched host that could not be reached (yet): probed cheaply until its sshd answers
};

QString linkStateName(LinkState state);

struct LinkStatus
{
    LinkState state = LinkState::Disconnected;
    QString reason;          // why Failed / Reconnecting, or the last error
    QDateTime since;         // when the state was entered
    int attempt = 0;         // reconnect attempt number
    QString hostFingerprint; // SHA256:... of the host key in use (or offered)
    QString authMethod;      // the method that succeeded
    // While Down or Reconnecting: the cheap probes (TCP connect + SSH banner) of this outage.
    int probes = 0;
    QDateTime lastProbeAt;
    QDateTime nextProbeAt;

    QJsonObject toJson() const;
};

// Cancels a running command from any thread (closing its channel and killing it on the host).
class ExecCancel
{
public:
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }

private:
    friend class SshWorker;
    // The worker wakes itself through this while the command runs, and detaches it (empty) when the command
    // ends: cancel() calls it under the lock, so once detached it can never reach a worker that is gone.
    void attach(std::function<void()> wake);

    std::atomic_bool m_cancelled{false};
    QMutex m_mutex;
    std::function<void()> m_wake;
};

// Which share of a connection's channels a command may use (SshSettings::maxChannels, M, 8 by default):
// - Stream: long-lived output followers (log tails). At most M - 3 of them run at once; the rest wait.
// - Interactive: execs from a person or an agent. They never take the last free channel.
// - Supervision: the job supervisor's polls and the metrics stream and polls. A short one (with a timeout) may
//   take any free channel, so the last channel is only ever used by short supervision commands and a poll
//   waits at most for another poll; a long-lived one (no timeout) leaves that last channel free too.
// An Interactive command without a timeout counts as a Stream.
enum class ExecLane { Interactive, Supervision, Stream };

struct ExecOptions
{
    // 0: no timeout (long-running streams such as `nvidia-smi -lms`). Counted from the moment exec() is called:
    // the time a command waits for a channel, and for the channel to open, is part of it.
    int timeoutMs = 30000;
    ExecLane lane = ExecLane::Interactive;
    qint64 maxOutputBytes = 64LL * 1024 * 1024; // per stream; the rest is discarded and `truncated` set
    // Called on the worker thread as output arrives (for following a log or a stream); may be empty.
    std::function<void(const QByteArray &chunk, bool isStderr)> onOutput;
    // Keep the output in the result too. Off for endless streams read through onOutput.
    bool collectOutput = true;
    std::shared_ptr<ExecCancel> cancel;
};

struct CommandResult
{
    int exitCode = -1;
    QString exitSignal; // e.g. "KILL" when the command died of a signal
    QByteArray stdOut;
    QByteArray stdErr;
    qint64 durationMs = 0;
    bool truncated = false;

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::LinkStatus)
