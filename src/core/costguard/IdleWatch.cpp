#include "costguard/IdleWatch.h"

#include "base/NoValue.h"

namespace gpudeck {

bool IdleWatch::isIdle(const HostMetrics &m, double utilizationPercent)
{
    if (m.state != QStringLiteral("ok") || m.gpus.isEmpty() || !m.processes.isEmpty()) {
        return false;
    }
    for (const GpuSample &g : m.gpus) {
        if (!hasValue(g.utilizationGpu) || g.utilizationGpu >= utilizationPercent) {
            return false;
        }
    }
    return true;
}

IdleWatch::Change IdleWatch::update(const HostMetrics &m, qint64 nowMs, const CostGuardSettings &settings,
                                    qint64 *idleForMs)
{
    *idleForMs = 0;
    Track &t = m_tracks[m.connectionId];
    if (!settings.idleAlertOn() || !isIdle(m, settings.idleUtilizationPercent)) {
        t.idleSinceMs = -1;
        if (t.alerted) {
            t.alerted = false;
            return Change::Clear;
        }
        return Change::None;
    }
    if (t.idleSinceMs < 0) {
        t.idleSinceMs = nowMs;
    }
    *idleForMs = nowMs - t.idleSinceMs;
    if (!t.alerted && *idleForMs >= qint64(settings.podIdleSeconds) * 1000) {
        t.alerted = true;
        return Change::Raise;
    }
    return Change::None;
}

bool IdleWatch::forget(qint64 connectionId)
{
    const auto it = m_tracks.constFind(connectionId);
    const bool alerted = it != m_tracks.constEnd() && it->alerted;
    m_tracks.remove(connectionId);
    return alerted;
}

QList<qint64> IdleWatch::reset()
{
    QList<qint64> alerted;
    for (auto it = m_tracks.cbegin(); it != m_tracks.cend(); ++it) {
        if (it->alerted) {
            alerted.append(it.key());
        }
    }
    m_tracks.clear();
    return alerted;
}

} // namespace gpudeck
