#pragma once

#include "alerts/Alert.h"
#include "metrics/GpuSample.h"

#include <QHash>
#include <QList>

namespace gpudeck {

// Decides when alerts start and end; knows nothing of storage or notifications. One instance, one thread.
class AlertEngine
{
public:
    struct Change
    {
        bool raised = true; // false: the alert with this key ended
        Alert alert;
    };

    void setThresholds(const AlertThresholds &thresholds) { m_thresholds = thresholds; }
    const AlertThresholds &thresholds() const { return m_thresholds; }

    QList<Change> onSample(qint64 connectionId, const QString &connectionName, const GpuSample &sample);
    // `reachable` false while the link is down although wanted; the alert fires after unreachableSeconds.
    QList<Change> onHostState(qint64 connectionId, const QString &connectionName, bool reachable, qint64 nowMs);
    // The connection is gone or no longer monitored: end everything it had open.
    QList<Change> forget(qint64 connectionId);

    // The id the store gave a raised alert, so its end can be recorded.
    void setStoredId(const QString &key, qint64 id);
    static QString keyOf(const Alert &alert);

private:
    QList<Change> evaluate(const QString &key, bool over, bool under, const Alert &candidate);

    AlertThresholds m_thresholds;
    QHash<QString, Alert> m_open;      // key -> the active alert
    QHash<qint64, qint64> m_downSince; // connection -> ms when it became unreachable
};

} // namespace gpudeck
