#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <functional>

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

struct ExecOptions
{
    int timeoutMs = 30000;
    qint64 maxOutputBytes = 64LL * 1024 * 1024; // per stream; the rest is discarded and `truncated` set
    // Called on the worker thread as output arrives (for log following); may be empty.
    std::function<void(const QByteArray &chunk, bool isStderr)> onOutput;
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
