#pragma once

#include "models/HttpProbe.h"
#include "models/ModelCatalog.h"
#include "models/ModelSwap.h"
#include "models/SwapReport.h"
#include "store/Entities.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>
#include <functional>

class QFileSystemWatcher;
class QTimer;

namespace gpudeck {

class ConnectionRepository;
class Database;
class HealthMonitor;
class MetricsService;
class SshPool;
struct ModelsState;

// The models thread's worker, behind ModelService: watches models.yaml, runs the health monitor and the swaps,
// resolves host addresses. Writes what it learns into ModelsState and announces it with signals. Internal.
class ModelEngine : public QObject
{
    Q_OBJECT
public:
    ModelEngine(ModelsState &state, QString path, Database &db, ConnectionRepository &connections, SshPool &pool,
                MetricsService *metrics, QObject *parent = nullptr);
    ~ModelEngine() override;

    void init();
    void shutdown();

    void reload();
    void refresh(const QString &host);
    void runSwap(const SwapReport &report);
    bool cancelSwap(const QString &id, QString *why);
    void setSwapTimings(const SwapTimings &timings) { m_timings = timings; }
    // How the engine starts a swap itself (preload): ModelService::startSwap, confirmed. True when started.
    void setSwapStarter(std::function<bool(const QString &host, const QString &model)> starter)
    {
        m_startSwap = std::move(starter);
    }
    void onConnectionsChanged();

Q_SIGNALS:
    void catalogChanged();
    void catalogErrors(const QList<gpudeck::CatalogError> &errors);
    void servingChanged(const QString &host);
    void servicesChanged();
    void swapUpdated(const gpudeck::SwapReport &report);
    void swapFinished(const gpudeck::SwapReport &report);

private:
    void scheduleReload();
    void watch();
    void refreshConnections();
    ProbeTarget targetFor(const QString &host);
    void resolve(const QString &hostname);
    void onSwapFinished(const SwapReport &report);
    // Every second: stops models idle longer than their ttl_s, starts preload models on hosts that serve nothing.
    void housekeeping();
    void unload(const QString &host, const ModelSpec &model, qint64 idleS);

    ModelsState &m_state;
    QString m_path;
    Database &m_db;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    QPointer<MetricsService> m_metrics;
    SwapTimings m_timings;

    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_reloadTimer = nullptr;
    HttpProbe *m_probe = nullptr;
    HealthMonitor *m_monitor = nullptr;
    QHash<QString, Connection> m_byName;
    QHash<QString, QString> m_resolved; // hostname → IPv4 address
    QHash<QString, QPointer<ModelSwap>> m_swaps;
    QByteArray m_lastFingerprint; // file bytes + connection names of the last load
    std::function<bool(const QString &, const QString &)> m_startSwap;
    QTimer *m_housekeeping = nullptr;
    QHash<QString, QPair<QString, QDateTime>> m_upSince; // host → the model seen up, since when (ttl_s of unused ones)
    QSet<QString> m_preloaded;                           // hosts whose preload was dealt with (started or not needed)
};

} // namespace gpudeck
