#pragma once

#include "api/ApiRequestStats.h"
#include "fleet/FleetSnapshot.h"

#include <QByteArray>
#include <QMap>

namespace gpudeck {

// What GET /metrics exports, read at one moment.
struct MetricsExportInputs
{
    FleetSnapshot fleet;
    QMap<QString, int> jobsByStatus;       // every job status, counted (missing ones are 0)
    QMap<QString, quint64> swapsByOutcome; // finished swaps since start: succeeded, failed, cancelled
    QList<ApiRequestStats::Count> apiRequests;
};

// The Prometheus text for `inputs` (pure). GPU gauges carry dcgm-exporter's names, units, HELP texts and labels
// (gpu, UUID, pci_bus_id, device, modelName, Hostname), so a Grafana dashboard made for dcgm-exporter works
// unchanged; GPU Deck's own metrics are prefixed gpudeck_. See docs/api.md ("Prometheus") and decision 73.
QByteArray renderMetrics(const MetricsExportInputs &inputs);

} // namespace gpudeck
