#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <QMutex>

#include <atomic>
#include <functional>
#include <memory>

namespace gpudeck {

// The life of one connection's link, as the GUI and the API show it.
enum class LinkState {
    Disconnected, // not wanted, or never asked for
    Connecting,   // first attempt under way
    Connected,
    Reconnecting, // the link dropped; retrying with exponential backoff and jitter
    Failed,       // gave up: see the reason (authentication, host key, unreachable)
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
    void attach(std::function<void()> wake);

    std::atomic_bool m_cancelled{false};
    QMutex m_mutex;
    std::function<void()> m_wake;
};

struct ExecOptions
{
    int timeoutMs = 30000; // 0: no timeout (long-running streams such as `nvidia-smi -lms`)
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
