#include "metrics/MonitoringSettings.h"

namespace gpudeck {

QJsonObject MonitoringSettings::toJson() const
{
    return {{QStringLiteral("interval_ms"), intervalMs},
            {QStringLiteral("host_poll_ms"), hostPollMs},
            {QStringLiteral("paused"), paused},
            {QStringLiteral("thresholds"), thresholds.toJson()},
            {QStringLiteral("retention"),
             QJsonObject{{QStringLiteral("raw_hours"), static_cast<double>(retention.rawMs) / 3600000.0},
                         {QStringLiteral("minute_days"), static_cast<double>(retention.minuteMs) / 86400000.0},
                         {QStringLiteral("hour_days"), static_cast<double>(retention.hourMs) / 86400000.0}}},
            {QStringLiteral("cost_guard"), costGuard.toJson()}};
}

bool MonitoringSettings::fromJson(const QJsonObject &json, MonitoringSettings &out, QString *error)
{
    MonitoringSettings s = out;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString &k = it.key();
        const QJsonValue v = it.value();
        if (k == QStringLiteral("interval_ms")) {
            if (!v.isDouble() || v.toDouble() < 1000 || v.toDouble() > 60000) {
                *error = QStringLiteral("'interval_ms' must be between 1000 and 60000");
                return false;
            }
            s.intervalMs = v.toInt();
        } else if (k == QStringLiteral("host_poll_ms")) {
            if (!v.isDouble() || v.toDouble() < 1000 || v.toDouble() > 600000) {
                *error = QStringLiteral("'host_poll_ms' must be between 1000 and 600000");
                return false;
            }
            s.hostPollMs = v.toInt();
        } else if (k == QStringLiteral("paused")) {
            if (!v.isBool()) {
                *error = QStringLiteral("'paused' must be true or false");
                return false;
            }
            s.paused = v.toBool();
        } else if (k == QStringLiteral("thresholds")) {
            if (!v.isObject() || !AlertThresholds::fromJson(v.toObject(), s.thresholds, error)) {
                if (!v.isObject()) {
                    *error = QStringLiteral("'thresholds' must be an object");
                }
                return false;
            }
        } else if (k == QStringLiteral("retention")) {
            const QJsonObject r = v.toObject();
            for (auto rit = r.begin(); rit != r.end(); ++rit) {
                const double d = rit.value().toDouble(-1);
                if (!rit.value().isDouble() || d <= 0) {
                    *error = QStringLiteral("retention '%1' must be a positive number").arg(rit.key());
                    return false;
                }
                if (rit.key() == QStringLiteral("raw_hours")) {
                    s.retention.rawMs = static_cast<qint64>(d * 3600000.0);
                } else if (rit.key() == QStringLiteral("minute_days")) {
                    s.retention.minuteMs = static_cast<qint64>(d * 86400000.0);
                } else if (rit.key() == QStringLiteral("hour_days")) {
                    s.retention.hourMs = static_cast<qint64>(d * 86400000.0);
                } else {
                    *error = QStringLiteral("unknown retention field '%1'").arg(rit.key());
                    return false;
                }
            }
        } else if (k == QStringLiteral("cost_guard")) {
            if (!v.isObject()) {
                *error = QStringLiteral("'cost_guard' must be an object");
                return false;
            }
            if (!CostGuardSettings::fromJson(v.toObject(), s.costGuard, error)) {
                return false;
            }
        } else {
            *error = QStringLiteral("unknown field '%1'").arg(k);
            return false;
        }
    }
    out = s;
    return true;
}

} // namespace gpudeck
