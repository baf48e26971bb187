#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace gpudeck {

// A condition worth a person's attention, raised once per episode and closed when it ends.
struct Alert
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString connectionName;
    int gpuIndex = -1; // -1: about the host, not one GPU
    QString kind;      // gpu_temperature, gpu_memory, host_unreachable (later: job_ended, swap_failed)
    QString severity;  // warning, critical, info
    QString message;
    double value = 0;
    double threshold = 0;
    QDateTime startedAt;
    QDateTime endedAt; // null while active
    // What makes it the same alert (e.g. "3/0/gpu_temperature": that GPU's temperature). Raised again while its row
    // is open, or after GPU Deck stopped seeing it, it is that row again, not a new one; empty: every raise is a row.
    QString key;
    // Why it ended: "cleared" (its condition ended) or "unseen" (GPU Deck stopped seeing it: the link was closed,
    // GPU Deck restarted; it is reopened if seen again). Empty while active.
    QString endReason;
    bool repeated = false; // not stored: this raise found its row already there (seen again), not news

    bool active() const { return !endedAt.isValid(); }
    QJsonObject toJson() const;
};

// When an alert starts and when it ends. Each pair (raise / clear) apart gives hysteresis, so a reading
// that hovers at the line raises one alert, not one per sample.
struct AlertThresholds
{
    double temperatureC = 85;
    double temperatureClearC = 80;
    double memoryPercent = 95;
    double memoryClearPercent = 90;
    int unreachableSeconds = 60; // a blip shorter than this is not "down"

    QJsonObject toJson() const;
    // Applies the fields present; a Validation error names the bad one and changes nothing.
    static bool fromJson(const QJsonObject &json, AlertThresholds &out, QString *error);
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::Alert)
