#pragma once

#include "Result.h"
#include "metrics/Alert.h"
#include "metrics/HostMetrics.h"
#include "metrics/MonitoringSettings.h"
#include "store/Entities.h"
#include "store/MetricRepository.h"

#include <QObject>
#include <QMutex>
#include <QThread>

#include <memory>

namespace gpudeck {

class AlertRepository;
class ConnectionRepository;
class Database;
class MetricsCollector;
class SettingsRepository;
class SshPool;

// Owns the metrics thread and its collector; the one door the GUI and the API use for GPU metrics,
// history, alerts and monitoring settings. Thread-safe.
class MetricsService : public QObject
{
    Q_OBJECT
public:
    MetricsService(Database &db, ConnectionRepository &connections, SshPool &pool, QObject *parent = nullptr);
    ~MetricsService() override;

    void start();
    void stop();

    HostMetrics snapshot(qint64 connectionId) const;
    QList<HostMetrics> snapshots() const;
    Result<History> history(HistoryQuery query) const;
    Result<QList<Alert>> alerts(bool activeOnly, qint64 connectionId, int limit) const;
    // Records an alert raised elsewhere (e.g. swap_failed by model serving) and announces it like any other.
    // Thread-safe; `alert.endedAt` set means an event rather than a lasting condition.
    void recordAlert(gpudeck::Alert alert);

    MonitoringSettings settings() const;
    Status setSettings(const MonitoringSettings &settings);
    Status setPaused(bool paused);
    // Records a finished job as an (already ended) info alert and announces it like any other alert.
    void recordJobEnded(const gpudeck::Job &job);

    // The collector, for connecting to hostUpdated / alertChanged (emitted on the metrics thread).
    MetricsCollector *collector() const { return m_collector.get(); }

Q_SIGNALS:
    // Re-emitted on the service's (GUI) thread.
    void hostUpdated(qint64 connectionId);
    void alertChanged(const gpudeck::Alert &alert, bool raised);
    void settingsChanged();

private:
    Database &m_db;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    QThread m_thread;
    std::unique_ptr<MetricsCollector> m_collector;
    mutable QMutex m_settingsMutex;
    mutable MonitoringSettings m_settings; // the service's own copy: right at once after setSettings(), before start()
    mutable bool m_settingsLoaded = false;
};

} // namespace gpudeck

