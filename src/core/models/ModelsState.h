#pragma once

#include "models/ModelCatalog.h"
#include "models/ServingStatus.h"
#include "models/SwapReport.h"

#include <QHash>
#include <QMap>
#include <QMutex>
#include <QStringList>

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
    QMap<QString, SwapReport> swaps;    // by id
    QStringList swapOrder;              // oldest first
    QHash<QString, QString> activeSwap; // host → swap id
    int nextSwapNumber = 1;
    QHash<QString, quint64> swapOutcomes; // finished swaps since start, by final state (succeeded, failed, cancelled)
};

} // namespace gpudeck
