#pragma once

#include "models/ModelCatalog.h"
#include "models/ModelStats.h"
#include "models/ServingStatus.h"
#include "models/SwapReport.h"

#include <QHash>
#include <QMap>
#include <QMutex>
#include <QPromise>
#include <QSet>
#include <QStringList>
#include <memory>

namespace gpudeck {

// What the models thread knows, shared with the GUI and API threads under one mutex: readers take a copy of
// what they need, so nothing waits on a probe or a swap. Internal to models/ (ModelService is the door).
struct ModelsState
{
    mutable QMutex mutex;
    ModelCatalog catalog;                 // the last good catalog
    QList<CatalogError> errors;           // the file's problems, when it is broken (the catalog above stays in use)
    QHash<QString, HostServing> serving;  // by host
    QHash<QString, quint64> servingEpoch; // bumped when a swap sets a host's state: older poll results are dropped
    QList<ServiceHealth> services;
    QHash<QString, QString> addresses;  // host → the address its ports are reached at (IPv4 when resolved)
    QSet<QString> tunnelled;            // addresses whose ports answered only through the SSH link (HttpProbe)
    QHash<QString, qint64> connections; // host → its connection's id
    QMap<QString, SwapReport> swaps;    // by id
    QStringList swapOrder;              // oldest first
    // host → the swap running there, or the ttl_s stop of its idle model ("idle-stop-<n>", isIdleStop): either holds
    // every host it touches, so nothing else starts or stops a model there meanwhile.
    QHash<QString, QString> activeSwap;
    int nextSwapNumber = 1;
    int nextIdleStopNumber = 1;
    QHash<QString, quint64> swapOutcomes; // finished swaps since start, by final state (succeeded, failed, cancelled)

    // What the proxy does with each model (by id): requests in flight (max_concurrency, ttl_s), the last one, stats.
    struct ModelUse
    {
        int inFlight = 0;
        QDateTime lastUse;
        ModelStats stats;
    };
    QHash<QString, ModelUse> use;
    // Waiting for a swap to finish (on-demand requests), by swap id: fulfilled by the models thread.
    QHash<QString, QList<std::shared_ptr<QPromise<SwapReport>>>> swapWaiters;

    static bool isIdleStop(const QString &id) { return id.startsWith(QLatin1String("idle-stop-")); }
};

} // namespace gpudeck
