#pragma once

#include "alerts/Alert.h"
#include "costguard/CostGuardSettings.h"
#include "store/MetricRepository.h"

#include <QJsonObject>
#include <QMetaType>

namespace gpudeck {

// How GPU Deck watches the hosts; changed from the GUI's settings or PUT /api/config/monitoring.
struct MonitoringSettings
{
    int intervalMs = 2000;  // nvidia-smi -lms; 1000 at least
    int hostPollMs = 10000; // /proc/meminfo, /proc/loadavg, GPU processes
    bool paused = false;
    AlertThresholds thresholds;
    MetricRetention retention;
    CostGuardSettings costGuard; // on_end grace and the idle pod alert

    QJsonObject toJson() const;
    // Applies the fields present onto `out`; false with a message (changing nothing) when one is bad.
    static bool fromJson(const QJsonObject &json, MonitoringSettings &out, QString *error);
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::MonitoringSettings)
