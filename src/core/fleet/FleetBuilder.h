#pragma once

#include "Result.h"
#include "fleet/FleetSnapshot.h"
#include "metrics/GpuActivity.h"
#include "metrics/HostMetrics.h"
#include "store/Entities.h"

#include <QHash>

namespace gpudeck {

class ConnectionRepository;
class JobRepository;
class MetricsService;
class ModelService;
class ProjectRepository;
class SshPool;

// Everything the fleet view is made of, as copies read at one moment (FleetReader gathers them).
struct FleetInputs
{
    QDateTime now;
    QList<Connection> connections;
    QHash<qint64, LinkStatus> links; // connections without an entry are disconnected
    QList<HostMetrics> metrics;
    QHash<qint64, QHash<int, GpuActivitySummary>> activity; // since now − the window
    int sampleIntervalMs = 2000;                            // how late the first sample of a window may be
    QList<Project> projects;
    QList<Job> runningJobs;
    QList<HostServing> serving; // by host (connection) name
    QList<ServiceHealth> services;
    QList<Alert> activeAlerts;
};

// Pure: inputs in, snapshot out, no I/O. The rules of the fleet view (the free verdict, the totals) live here.
FleetSnapshot buildFleet(const FleetInputs &inputs, const FleetOptions &options);

// The verdict on one GPU (exposed for tests): free or not, and why in words.
struct GpuVerdict
{
    bool free = false;
    QString reason;
};
GpuVerdict judgeGpu(const GpuSample &sample, int processes, const GpuActivitySummary *activity, qint64 nowMs,
                    const FleetOptions &options, int sampleIntervalMs);

// Gathers FleetInputs from the core and builds the snapshot. Thread-safe (every door it reads is); cheap enough
// for the API thread: memory reads plus a few small SQL reads (connections; running jobs and active alerts by index;
// projects only when a job runs): 0.3 ms median for 8 hosts × 8 GPUs (tests/bench/fleet_bench).
class FleetReader
{
public:
    FleetReader(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &ssh,
                MetricsService &metrics, ModelService &models);

    Result<FleetSnapshot> read(const FleetOptions &options = {}) const;

private:
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_ssh;
    MetricsService &m_metrics;
    ModelService &m_models;
};

} // namespace gpudeck
