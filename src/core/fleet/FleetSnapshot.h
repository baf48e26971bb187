#pragma once

#include "alerts/Alert.h"
#include "metrics/GpuSample.h"
#include "models/ServingStatus.h"
#include "ssh/SshTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <optional>

namespace gpudeck {

// How the "free" verdict is reached: a GPU is free when no process was seen on it and its utilisation stayed
// under `thresholdPercent` for the last `windowS` seconds, watched all that time (docs/decisions.md, "A free GPU").
struct FleetOptions
{
    static constexpr double kDefaultThresholdPercent = 10;
    static constexpr int kDefaultWindowS = 60;
    static constexpr int kMaxWindowS = 600; // GpuActivity keeps ten minutes

    double thresholdPercent = kDefaultThresholdPercent;
    int windowS = kDefaultWindowS;
};

// One GPU as the fleet view shows it: the latest reading, its processes and the verdict.
struct FleetGpu
{
    GpuSample sample;
    QList<GpuProcess> processes;
    double peakUtilization = -1; // the highest utilisation sampled in the window (%); -1: none
    bool free = false;
    QString verdict; // the reason for `free`, in words ("idle: under 10 % for 60 s, no process", "2 processes")

    QJsonObject toJson() const;
};

// A running job of a host (through its project).
struct FleetJob
{
    qint64 id = 0;
    QString name;
    qint64 projectId = 0;
    QString projectName;
    QString status;
    QDateTime startedAt;
    int attempt = 0;
    QString onEnd = QStringLiteral("none"); // the cost guard: none, stop_pod or terminate_pod

    QJsonObject toJson() const;
};

// One connection: its link, GPUs, what it serves and runs, and what needs attention.
struct FleetHost
{
    qint64 connectionId = 0;
    QString name;
    QString kind;
    QString hostname;
    QString macAddress;         // the connection's, for Wake-on-LAN; empty: it cannot be woken
    bool watch = true;          // the connection's: connected at start and kept connected
    LinkStatus link;            // state and since when (disconnected connections: no since)
    bool asleep = false;        // can be woken (has a MAC) and is not up: see hostAsleep()
    QString metricsState;       // HostMetrics::state: ok, offline, starting, no_nvidia_smi, ...
    QString metricsDetail;      // why, when not ok
    QDateTime metricsUpdatedAt; // the latest GPU reading
    HostMemory memory;
    LoadAverage load;
    QList<FleetGpu> gpus; // only while the metrics are current (state ok); a host that is not watched has none
    QList<FleetJob> jobs; // running
    std::optional<HostServing> serving; // the host is in models.yaml
    QList<ServiceHealth> services;
    QList<Alert> alerts; // active

    int gpusFree() const;
    QJsonObject toJson() const;
};

// A host that can be woken (a MAC address, not this computer) and is not up (disconnected, failed, reconnecting or
// down): the Fleet pane offers "Wake".
bool hostAsleep(const QString &kind, const QString &macAddress, const LinkStatus &link);

struct FleetTotals
{
    int hosts = 0;
    int hostsConnected = 0;
    int gpus = 0; // GPUs with a current reading
    int gpusFree = 0;
    int gpusBusy = 0;
    double memoryUsedMiB = 0;
    double memoryTotalMiB = 0;
    double powerDrawW = 0;
    int runningJobs = 0;
    int activeAlerts = 0;

    QJsonObject toJson() const;
};

// The whole fleet at one moment: what GET /api/dgx/fleet answers, the `fleet` MCP tool returns and the Fleet pane
// shows. A plain value, safe to hand between threads.
struct FleetSnapshot
{
    QDateTime generatedAt;
    FleetOptions options;
    QList<FleetHost> hosts;   // in connection order (by name)
    QList<Alert> otherAlerts; // active alerts about no connection
    FleetTotals totals;

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::FleetSnapshot)
