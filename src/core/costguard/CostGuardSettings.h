#pragma once

#include <QJsonObject>
#include <QString>

namespace gpudeck {

// How the cost guard acts (part of the monitoring settings, "cost_guard" in GET/PUT /api/config/monitoring).
struct CostGuardSettings
{
    // After a job with on_end ends, how long before its pod is stopped or terminated: time to read the log, copy a
    // result, or start the job again (which calls the action off).
    int onEndGraceSeconds = 60;
    // A RunPod pod with no GPU process and every GPU under idleUtilizationPercent for this long raises a pod_idle
    // alert with its cost so far. 0: off (the default).
    int podIdleSeconds = 0;
    double idleUtilizationPercent = 5;

    bool idleAlertOn() const { return podIdleSeconds > 0; }
    bool operator==(const CostGuardSettings &) const = default;

    QJsonObject toJson() const;
    // Applies the fields present onto `out`; false with a message (changing nothing) when one is bad.
    static bool fromJson(const QJsonObject &json, CostGuardSettings &out, QString *error);
};

} // namespace gpudeck
