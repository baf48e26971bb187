#include "ssh/SshTypes.h"

#include "store/Entities.h"

namespace gpudeck {

QString linkStateName(LinkState state)
{
    switch (state) {
    case LinkState::Disconnected:
        return QStringLiteral("disconnected");
    case LinkState::Connecting:
        return QStringLiteral("connecting");
    case LinkState::Connected:
        return QStringLiteral("connected");
    case LinkState::Reconnecting:
        return QStringLiteral("reconnecting");
    case LinkState::Failed:
        return QStringLiteral("failed");
    case LinkState::Down:
        return QStringLiteral("down");
    }
    return QStringLiteral("unknown");
}

QJsonObject LinkStatus::toJson() const
{
    QJsonObject json{{QStringLiteral("state"), linkStateName(state)},
                     {QStringLiteral("since"), since.isValid() ? QJsonValue(isoUtc(since)) : QJsonValue()},
                     {QStringLiteral("reason"), reason.isEmpty() ? QJsonValue() : QJsonValue(reason)}};
    if (state == LinkState::Reconnecting || state == LinkState::Down) {
        json.insert(QStringLiteral("attempt"), attempt);
        json.insert(QStringLiteral("probes"), probes);
        json.insert(QStringLiteral("last_probe_at"),
                    lastProbeAt.isValid() ? QJsonValue(isoUtc(lastProbeAt)) : QJsonValue());
        json.insert(QStringLiteral("next_probe_at"),
                    nextProbeAt.isValid() ? QJsonValue(isoUtc(nextProbeAt)) : QJsonValue());
    }
    if (!hostFingerprint.isEmpty()) {
        json.insert(QStringLiteral("host_key_fingerprint"), hostFingerprint);
    }
    if (!authMethod.isEmpty()) {
        json.insert(QStringLiteral("auth_method"), authMethod);
    }
    return json;
}

void ExecCancel::cancel()
{
    m_cancelled = true;
    QMutexLocker lock(&m_mutex);
    if (m_wake) {
        m_wake(); // only posts a call to the worker's thread; under the lock so a detach waits for it
    }
}

void ExecCancel::attach(std::function<void()> wake)
{
    QMutexLocker lock(&m_mutex);
    m_wake = std::move(wake);
}

QJsonObject CommandResult::toJson() const
{
    QJsonObject json{{QStringLiteral("exit_code"), exitCode},
                     {QStringLiteral("stdout"), QString::fromUtf8(stdOut)},
                     {QStringLiteral("stderr"), QString::fromUtf8(stdErr)},
                     {QStringLiteral("duration_ms"), durationMs},
                     {QStringLiteral("truncated"), truncated}};
    if (!exitSignal.isEmpty()) {
        json.insert(QStringLiteral("exit_signal"), exitSignal);
    }
    return json;
}

} // namespace gpudeck
