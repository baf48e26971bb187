#pragma once

#include "costguard/CostGuardSettings.h"
#include "metrics/HostMetrics.h"

#include <QHash>
#include <QList>

namespace gpudeck {

// Decides when a pod counts as idle long enough to say so, from its host's metrics as they arrive: no GPU process
// and every GPU under the idle utilisation, without a break, for the configured time. Raises once per idle spell and
// clears when the host is busy again or stops reporting (stopped, offline, paused). Knows nothing of alerts or pods;
// one instance, one thread.
class IdleWatch
{
public:
    enum class Change { None, Raise, Clear };

    // `idleForMs` is set to how long the host has been idle (0 when it is not).
    Change update(const HostMetrics &metrics, qint64 nowMs, const CostGuardSettings &settings, qint64 *idleForMs);
    // Stops watching a host; true when it had an alert up (to be cleared).
    bool forget(qint64 connectionId);
    // The hosts with an alert up, all forgotten (the alert was turned off).
    QList<qint64> reset();

    static bool isIdle(const HostMetrics &metrics, double utilizationPercent);

private:
    struct Track
    {
        qint64 idleSinceMs = -1;
        bool alerted = false;
    };
    QHash<qint64, Track> m_tracks;
};

} // namespace gpudeck
