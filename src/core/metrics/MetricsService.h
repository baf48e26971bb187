#pragma once

#include "Result.h"
#include "alerts/Alert.h"
#include "base/WorkerThread.h"
#include "metrics/GpuActivity.h"
#include "metrics/HostMetrics.h"
#include "metrics/MonitoringSettings.h"
#include "store/Entities.h"
#include "store/MetricRepository.h"

#include <QMutex>
#include <QObject>

namespace gpudeck {

class AlertRepository;
class ConnectionRepository;
class Database;
class MetricsCollector;
class SettingsRepository;
class SshPool;

// Owns the metrics thread (`gpudeck-metrics`, a WorkerThread holding the MetricsCollector); the one door the GUI
// and the API use for GPU metrics, history, alerts and monitoring settings. Thread-safe; its signals arrive on the
// thread the service lives on (the main thread).
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
    // Every watched GPU's utilisation peak and process sightings since `sinceMs` (at most GpuActivity::kMaxWindowMs
    // back), from memory: by connection id, then GPU index. Empty while not monitoring.
    QHash<qint64, QHash<int, GpuActivitySummary>> activity(qint64 sinceMs) const;
    Result<History> history(HistoryQuery query) const;
    Result<QList<Alert>> alerts(bool activeOnly, qint64 connectionId, int limit) const;
    // alerts() as GET /api/dgx/alerts answers them, written straight from the rows (store/RowJson.h).
    Result<QByteArray> alertsJson(bool activeOnly, qint64 connectionId, int limit) const;
    // Records an alert raised elsewhere (e.g. swap_failed by model serving) and announces it like any other.
    // Thread-safe; `alert.endedAt` set means an event rather than a lasting condition. Answers the stored id (0 when it
    // could not be stored), for endAlert().
    qint64 recordAlert(gpudeck::Alert alert);
    // Ends a lasting alert raised with recordAlert() (its id set) and announces it (alertChanged(alert, false)).
    void endAlert(gpudeck::Alert alert);

    MonitoringSettings settings() const;
    Status setSettings(const MonitoringSettings &settings);
    Status setPaused(bool paused);
    // Records a finished job as an (already ended) info alert and announces it like any other alert.
    void recordJobEnded(const gpudeck::Job &job);

    // Rolls up and prunes the stored metrics now, on the metrics thread (what its minute timer does), and returns
    // when that is done. Does nothing while not monitoring.
    void maintain();

Q_SIGNALS:
    // A host's latest metrics changed; `metrics` is the new value (what snapshot() now answers).
    void hostUpdated(const gpudeck::HostMetrics &metrics);
    void alertChanged(const gpudeck::Alert &alert, bool raised);
    // New settings are stored and in effect (the collector applied them on its thread; at once when not
    // monitoring): settings() and everything it drives are current when this arrives.
    void settingsApplied(const gpudeck::MonitoringSettings &settings);

private:
    Database &m_db;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    WorkerThread<MetricsCollector> m_thread{QStringLiteral("gpudeck-metrics")};
    mutable QMutex m_settingsMutex;
    mutable MonitoringSettings m_settings; // the service's own copy: right at once after setSettings(), before start()
    mutable bool m_settingsLoaded = false;
};

} // namespace gpudeck
