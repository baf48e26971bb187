#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "models/FitCheck.h"
#include "models/ModelCatalog.h"
#include "models/ModelStats.h"
#include "models/ModelSwap.h"
#include "models/ServingStatus.h"
#include "models/SwapReport.h"
#include "plans/ActionPlan.h"

#include <QFuture>
#include <QObject>
#include <memory>
#include <optional>

namespace gpudeck {

class ConnectionRepository;
class Database;
class MetricsService;
class ModelEngine;
class SshPool;
class StoreEvents;
struct ModelsState;

// A request to serve `model` on `host`. Nothing happens without `confirm` (the GUI asks first, naming what
// will stop: see wouldStop()).
struct SwapRequest
{
    QString host;
    QString model; // id or alias
    bool confirm = false;
    bool force = false; // go ahead even when the fit check says it does not fit
    // A host that is part of a model up across hosts is swapped alone only with this: that model is stopped on every
    // one of its hosts first (and they are all held, and restored on a failure). Without it: 409 unit_member.
    bool stopUnit = false;
};

// Where the proxy sends a request for a model.
struct ProxyRoute
{
    QString model; // the catalog id (what the upstream server is asked for)
    QString host;
    QString address; // IPv4 address of the host (or its hostname until resolved)
    int port = 0;
    bool renamed = false; // the client used an alias: the body's "model" must become `model`
    bool viaSsh = false;  // the port is reached through the host's SSH link (SshPool::forward)
    qint64 connectionId = 0;
    QString basePath = QStringLiteral("/v1"); // where the upstream serves the OpenAI-style routes
    QString service;                          // the service serving it (empty: a catalog model)
};

// Model serving: the door the GUI and the API use. models.yaml (in the data dir) says what each host can serve
// and which services it runs; this service keeps the last good catalog (a broken file is reported, never used),
// finds out which model each host actually serves, polls the services' health, and runs swaps as transactions
// (ModelSwap). The work happens on its own thread ("gpudeck-models"); every method here is thread-safe and
// returns at once with a copy of the current state. Signals arrive on the thread the service lives on (the GUI
// thread).
class ModelService : public QObject
{
    Q_OBJECT
public:
    ModelService(QString catalogPath, Database &db, ConnectionRepository &connections, SshPool &pool,
                 MetricsService *metrics = nullptr, QObject *parent = nullptr);
    ~ModelService() override;

    // Starts the models thread and loads models.yaml (returns once the first load is done); then watches the file
    // and polls. `events` (optional) re-validates the catalog when connections change (host names).
    void start(StoreEvents *events = nullptr);
    void stop(); // aborts swaps in flight (no restore), stops polling, joins the thread

    QString catalogPath() const { return m_path; }

    // The catalog in use (the last good one), and the current file's problems (empty when it is fine).
    ModelCatalog catalog() const;
    QList<CatalogError> catalogErrors() const;
    void reload();

    // Which model each catalog host serves, as last found out; refresh() asks again now. A host that is part of a
    // model up across hosts shows that model (with unitHosts and its role), the workers too.
    QList<HostServing> serving() const;
    HostServing serving(const QString &host) const;
    QList<ServiceHealth> services() const;
    void refresh(const QString &host = {});

    // What a swap of `host` would stop (empty: nothing is known to be up).
    QString wouldStop(const QString &host) const;
    // Starts a swap. Validation (400: unknown host or model, confirmation_required), Conflict (409:
    // swap_in_progress, not_connected). The report carries the swap id; follow it with swap() / swapUpdated.
    Result<SwapReport> startSwap(const SwapRequest &request);
    // What startSwap() would do, without doing it (`confirm` is not looked at): the same Validation errors for an
    // unknown host or model; a swap in progress or a link that is down is the plan's refusal.
    Result<ActionPlan> planSwap(const SwapRequest &request) const;
    // The fit check a swap runs first, run now (reads the host, changes nothing): nullopt when there is nothing to
    // check (the model declares no memory, the request is invalid or the host not connected: startSwap/planSwap say).
    QFuture<std::optional<FitReport>> checkFit(const SwapRequest &request) const;
    // Adds the fit check's figures to a swap's plan: its refusal when it does not fit and `force` is not set.
    static void addFit(ActionPlan &plan, const SwapRequest &request, const FitReport &fit);
    Result<SwapReport> swap(const QString &id) const;
    QList<SwapReport> swaps() const; // newest first, at most 100
    // How many swaps finished since start, by final state (succeeded, failed, cancelled): GET /metrics.
    QHash<QString, quint64> swapOutcomes() const;
    // Conflict when it has finished or is already restoring.
    Result<SwapReport> cancelSwap(const QString &id);
    // What cancelSwap() would do: NotFound for an unknown id; a finished or restoring swap is the plan's refusal.
    Result<ActionPlan> planCancelSwap(const QString &id) const;
    void setSwapTimings(const SwapTimings &timings); // tests shorten them

    // For the OpenAI-compatible proxy: Validation "model_not_found" (details: choices) when `model` is not in the
    // catalog (a model, or a name a service declares under `models:`), Unavailable "model_not_up" when it is known
    // not to be served right now.
    Result<ProxyRoute> route(const QString &model) const;

    // Proxy admission. acquire(): route() plus a slot under the model's max_concurrency (Unavailable
    // "too_many_requests" past it, details retry_after_s); every acquire() that succeeded is paired with a release()
    // that records the request in the model's stats (and its last use, for ttl_s).
    Result<ProxyRoute> acquire(const QString &model);
    void release(const QString &model, qint64 latencyMs, bool error, const TokenUsage &usage);
    // The catalog entry a proxied name means (id or alias), if any.
    std::optional<ModelSpec> spec(const QString &model) const;
    // For an on_demand model that is not up: starts a swap to it (confirmed), or finds the swap already running on
    // its host; the id of the swap to wait for.
    Result<QString> startOnDemand(const QString &model);
    // Fulfilled when the swap has finished (at once when it has); no result when the service stops first.
    QFuture<SwapReport> whenSwapFinished(const QString &id) const;
    // The model's proxy stats over the last hour (ModelStats::summary) plus in_flight and last_used_at.
    QJsonObject stats(const QString &modelId) const;

Q_SIGNALS:
    void catalogChanged();
    // The file is broken (the previous catalog stays in use); an empty list when it is fine again.
    void catalogErrorsChanged(const QList<gpudeck::CatalogError> &errors);
    void servingChanged(const QString &host);
    void servicesChanged();
    void swapUpdated(const gpudeck::SwapReport &report);
    void swapFinished(const gpudeck::SwapReport &report);

private:
    // What a swap request names, checked against the catalog and what is served (under the state's mutex).
    struct SwapCheck
    {
        QString host; // where the model is served (its head's host)
        ModelSpec model;
        QStringList hosts;    // the hosts the swap holds: the model's, and those of a unit it stops (stop_unit)
        QString wouldStop;    // the model up on the host now; empty when none is known
        QStringList stopsAll; // the models known to be up on any of `hosts`
        QString activeSwap;   // the swap running on one of the hosts, if any
        QString activeHost;   // ... and that host
        std::optional<Error> unitMember; // 409 unit_member: a host is part of a model up across other hosts too
    };
    Result<SwapCheck> checkSwap(const SwapRequest &request) const;
    // Under the state's mutex: the host's serving state with the model across hosts it is part of, if up.
    HostServing servingOf(const QString &host) const;
    const ModelSpec *runningUnitOn(const QString &host) const;
    Result<ProxyRoute> serviceRoute(const HostCatalog &host, const ServiceSpec &service, const QString &model) const;
    Result<ProxyRoute> routeLocked(const QString &model) const; // route() with the state's mutex held

    QString m_path;
    Database &m_db;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    MetricsService *m_metrics;
    std::unique_ptr<ModelsState> m_state;
    QString m_fitCommand; // SwapTimings::fitCommand (under the state's mutex)
    WorkerThread<ModelEngine> m_engine{QStringLiteral("gpudeck-models")};
};

} // namespace gpudeck
