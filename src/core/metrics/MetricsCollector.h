#pragma once

#include "alerts/AlertEngine.h"
#include "metrics/GpuActivity.h"
#include "metrics/HostMetrics.h"
#include "metrics/MonitoringSettings.h"
#include "metrics/NvidiaSmiParser.h"
#include "ssh/SshTypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <memory>

class QTimer;

namespace gpudeck {

class AlertRepository;
class ConnectionRepository;
class Database;
class MetricRepository;
class SshPool;

// Watches every connected host's GPUs, on a thread of its own: one long-lived `nvidia-smi -lms` stream per
// host over its SSH session, a slower poll for memory, load and GPU processes, batched writes to the
// metrics tiers, roll-ups and pruning, and the alert rules. Restarts a stream that dies (with backoff);
// a host without nvidia-smi or without a GPU is reported as such and retried rarely, never in a loop.
class MetricsCollector : public QObject
{
    Q_OBJECT
public:
    MetricsCollector(Database &db, ConnectionRepository &connections, SshPool &pool, MonitoringSettings settings);
    ~MetricsCollector() override;

    // Thread-safe.
    HostMetrics snapshot(qint64 connectionId) const;
    QList<HostMetrics> snapshots() const;
    MonitoringSettings settings() const;
    const GpuActivity &activity() const { return m_activity; }

    // On the collector's thread (MetricsService invokes them there).
    void start();
    void stop();
    void applySettings(const MonitoringSettings &settings);
    void onLinkStatus(qint64 connectionId, const gpudeck::LinkStatus &status);
    void flush();    // writes the pending batch now
    void maintain(); // roll-ups and pruning now

Q_SIGNALS:
    void hostUpdated(const gpudeck::HostMetrics &metrics);
    void alertChanged(const gpudeck::Alert &alert, bool raised);
    void settingsApplied(const gpudeck::MonitoringSettings &settings); // at the end of applySettings()

private:
    struct Host;

    void startHost(qint64 connectionId);
    void stopHost(qint64 connectionId, const QString &state, const QString &detail);
    void startStream(Host &host);
    void onStreamData(qint64 connectionId, int generation, const QByteArray &chunk, bool isStderr);
    void onStreamEnded(qint64 connectionId, int generation, const Result<CommandResult> &result);
    void pollHost(Host &host);
    void onPollResult(qint64 connectionId, const Result<CommandResult> &result);
    void checkReachability();
    void handleAlerts(const QList<AlertEngine::Change> &changes);
    void publish(const Host &host);
    Host *hostFor(qint64 connectionId, int generation = -1);

    Database &m_db;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    std::unique_ptr<MetricRepository> m_metrics;
    std::unique_ptr<AlertRepository> m_alerts;
    AlertEngine m_engine;

    QHash<qint64, std::shared_ptr<Host>> m_hosts;
    // Stream generations are unique across Host objects: a host stopped and started again (new interval,
    // reconnect) must never match the late callbacks of its predecessor's stream.
    int m_lastGeneration = 0;
    QList<StoredSample> m_pending;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_maintenanceTimer = nullptr;
    QTimer *m_reachabilityTimer = nullptr;

    mutable QMutex m_mutex; // guards the two below, read from other threads
    QHash<qint64, HostMetrics> m_snapshots;
    MonitoringSettings m_settings;
    GpuActivity m_activity; // thread-safe itself
};

} // namespace gpudeck
