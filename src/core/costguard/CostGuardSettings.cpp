#include "costguard/CostGuardSettings.h"

namespace gpudeck {

QJsonObject CostGuardSettings::toJson() const
{
    return {{QStringLiteral("on_end_grace_seconds"), onEndGraceSeconds},
            {QStringLiteral("pod_idle_seconds"), podIdleSeconds},
            {QStringLiteral("idle_utilization_percent"), idleUtilizationPercent}};
}

bool CostGuardSettings::fromJson(const QJsonObject &json, CostGuardSettings &out, QString *error)
{
    CostGuardSettings s = out;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonValue v = it.value();
        const double d = v.toDouble(-1);
        if (it.key() == QStringLiteral("on_end_grace_seconds")) {
            if (!v.isDouble() || d != static_cast<int>(d) || d < 0 || d > 86400) {
                *error = QStringLiteral("'on_end_grace_seconds' must be a whole number of seconds from 0 to 86400");
                return false;
            }
            s.onEndGraceSeconds = static_cast<int>(d);
        } else if (it.key() == QStringLiteral("pod_idle_seconds")) {
            if (!v.isDouble() || d != static_cast<int>(d) || d < 0 || d > 7 * 86400) {
                *error = QStringLiteral("'pod_idle_seconds' must be a whole number of seconds from 0 (off) to 604800");
                return false;
            }
            s.podIdleSeconds = static_cast<int>(d);
        } else if (it.key() == QStringLiteral("idle_utilization_percent")) {
            if (!v.isDouble() || d <= 0 || d > 100) {
                *error = QStringLiteral("'idle_utilization_percent' must be above 0 and at most 100");
                return false;
            }
            s.idleUtilizationPercent = d;
        } else {
            *error = QStringLiteral("unknown cost_guard field '%1'").arg(it.key());
            return false;
        }
    }
    out = s;
    return true;
}

} // namespace gpudeck
