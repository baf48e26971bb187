#include "fleet/FleetBuilder.h"

#include "base/NoValue.h"
#include "metrics/MetricsService.h"
#include "models/ModelService.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <algorithm>

namespace gpudeck {
namespace {

QString percent(double v)
{
    return QString::number(v, 'g', 4) + QStringLiteral(" %");
}

bool onGpu(const GpuProcess &p, const GpuSample &g)
{
    return (!p.gpuUuid.isEmpty() && p.gpuUuid == g.uuid) || (p.gpuUuid.isEmpty() && p.gpuIndex == g.index);
}

} // namespace

GpuVerdict judgeGpu(const GpuSample &sample, int processes, const GpuActivitySummary *activity, qint64 nowMs,
                    const FleetOptions &options, int sampleIntervalMs)
{
    Q_UNUSED(sample);
    const qint64 windowMs = qint64(options.windowS) * 1000;
    const qint64 windowStart = nowMs - windowMs;
    if (processes > 0) {
        return {false, processes == 1 ? QStringLiteral("1 process on it")
                                      : QStringLiteral("%1 processes on it").arg(processes)};
    }
    if (!activity || activity->samples == 0 || activity->peakUtilization < 0) {
        return {false, QStringLiteral("no utilisation reading in the last %1 s").arg(options.windowS)};
    }
    if (activity->lastProcessMs > 0 && activity->lastProcessMs >= windowStart) {
        return {false, QStringLiteral("a process ran on it %1 s ago").arg((nowMs - activity->lastProcessMs) / 1000)};
    }
    if (activity->peakUtilization >= options.thresholdPercent) {
        return {false, QStringLiteral("utilisation reached %1 in the last %2 s (free means under %3)")
                           .arg(percent(activity->peakUtilization))
                           .arg(options.windowS)
                           .arg(percent(options.thresholdPercent))};
    }
    // The whole window must have been watched: a GPU seen for ten seconds is not known to be idle for a minute.
    const qint64 slack = std::max(sampleIntervalMs, 1000) + 1000;
    if (activity->observedSinceMs <= 0 || activity->observedSinceMs > windowStart + slack) {
        const qint64 watched = activity->observedSinceMs > 0 ? (nowMs - activity->observedSinceMs) / 1000 : 0;
        return {false, QStringLiteral("watched for only %1 s of the %2 s needed").arg(watched).arg(options.windowS)};
    }
    return {true, QStringLiteral("idle: under %1 for the last %2 s, no process")
                      .arg(percent(options.thresholdPercent))
                      .arg(options.windowS)};
}

FleetSnapshot buildFleet(const FleetInputs &in, const FleetOptions &options)
{
    FleetSnapshot out;
    out.generatedAt = in.now;
    out.options = options;
    const qint64 nowMs = in.now.toMSecsSinceEpoch();

    QHash<qint64, const HostMetrics *> metricsById;
    for (const HostMetrics &m : in.metrics) {
        metricsById.insert(m.connectionId, &m);
    }
    QHash<qint64, const Project *> projectsById;
    for (const Project &p : in.projects) {
        projectsById.insert(p.id, &p);
    }
    QHash<qint64, QList<FleetJob>> jobsByConnection;
    for (const Job &j : in.runningJobs) {
        const Project *p = projectsById.value(j.projectId);
        if (!p) {
            continue;
        }
        jobsByConnection[p->connectionId].append(
            FleetJob{j.id, j.name, j.projectId, p->name, j.status, j.startedAt, j.attempt, j.onEnd});
    }
    QHash<QString, const HostServing *> servingByHost;
    for (const HostServing &s : in.serving) {
        servingByHost.insert(s.host, &s);
    }
    QHash<qint64, QList<Alert>> alertsByConnection;
    for (const Alert &a : in.activeAlerts) {
        if (a.connectionId > 0) {
            alertsByConnection[a.connectionId].append(a);
        }
    }

    QList<Connection> connections = in.connections;
    std::sort(connections.begin(), connections.end(),
              [](const Connection &a, const Connection &b) { return a.name < b.name; });
    QSet<qint64> known;
    for (const Connection &c : std::as_const(connections)) {
        known.insert(c.id);
        FleetHost host;
        host.connectionId = c.id;
        host.name = c.name;
        host.kind = c.kind;
        host.hostname = c.hostname;
        host.macAddress = c.macAddress;
        host.watch = c.watch;
        host.link = in.links.value(c.id);
        host.asleep = hostAsleep(c.kind, c.macAddress, host.link);
        if (const HostMetrics *m = metricsById.value(c.id)) {
            host.metricsState = m->state;
            host.metricsDetail = m->detail;
            host.metricsUpdatedAt = m->updatedAt;
            host.memory = m->memory;
            host.load = m->load;
            if (m->state == QStringLiteral("ok") && host.link.state == LinkState::Connected) {
                const QHash<int, GpuActivitySummary> activity = in.activity.value(c.id);
                for (const GpuSample &g : m->gpus) {
                    FleetGpu gpu;
                    gpu.sample = g;
                    for (const GpuProcess &p : m->processes) {
                        if (onGpu(p, g)) {
                            gpu.processes.append(p);
                        }
                    }
                    const auto a = activity.constFind(g.index);
                    const GpuActivitySummary *summary = a == activity.cend() ? nullptr : &a.value();
                    gpu.peakUtilization = summary ? summary->peakUtilization : -1;
                    const GpuVerdict v =
                        judgeGpu(g, int(gpu.processes.size()), summary, nowMs, options, in.sampleIntervalMs);
                    gpu.free = v.free;
                    gpu.verdict = v.reason;
                    host.gpus.append(gpu);
                }
            }
        } else {
            host.metricsState = QStringLiteral("offline");
        }
        host.jobs = jobsByConnection.value(c.id);
        if (const HostServing *s = servingByHost.value(c.name)) {
            host.serving = *s;
        }
        for (const ServiceHealth &s : in.services) {
            if (s.host == c.name) {
                host.services.append(s);
            }
        }
        host.alerts = alertsByConnection.value(c.id);

        FleetTotals &t = out.totals;
        t.hosts++;
        t.hostsConnected += host.link.state == LinkState::Connected ? 1 : 0;
        for (const FleetGpu &g : std::as_const(host.gpus)) {
            t.gpus++;
            (g.free ? t.gpusFree : t.gpusBusy)++;
            if (hasValue(g.sample.memoryUsedMiB) && !g.sample.unifiedMemory) {
                t.memoryUsedMiB += g.sample.memoryUsedMiB;
            }
            if (hasValue(g.sample.memoryTotalMiB) && !g.sample.unifiedMemory) {
                t.memoryTotalMiB += g.sample.memoryTotalMiB;
            }
            if (hasValue(g.sample.powerDrawW)) {
                t.powerDrawW += g.sample.powerDrawW;
            }
        }
        // Unified memory (GB10) is the host's memory, shared by its GPUs: counted once per host.
        const auto unified = std::find_if(host.gpus.cbegin(), host.gpus.cend(),
                                          [](const FleetGpu &g) { return g.sample.unifiedMemory; });
        if (unified != host.gpus.cend()) {
            if (hasValue(unified->sample.memoryUsedMiB)) {
                t.memoryUsedMiB += unified->sample.memoryUsedMiB;
            }
            if (hasValue(unified->sample.memoryTotalMiB)) {
                t.memoryTotalMiB += unified->sample.memoryTotalMiB;
            }
        }
        t.runningJobs += int(host.jobs.size());
        out.hosts.append(std::move(host));
    }
    for (const Alert &a : in.activeAlerts) {
        if (a.connectionId <= 0 || !known.contains(a.connectionId)) {
            out.otherAlerts.append(a);
        }
    }
    out.totals.activeAlerts = int(in.activeAlerts.size());
    return out;
}

FleetReader::FleetReader(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                         SshPool &ssh, MetricsService &metrics, ModelService &models)
    : m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_ssh(ssh)
    , m_metrics(metrics)
    , m_models(models)
{
}

Result<FleetSnapshot> FleetReader::read(const FleetOptions &options) const
{
    FleetInputs in;
    in.now = QDateTime::currentDateTimeUtc();
    auto connections = m_connections.list();
    if (!connections.ok()) {
        return connections.error();
    }
    in.connections = std::move(connections.value());
    in.links = m_ssh.statuses();
    in.metrics = m_metrics.snapshots();
    in.activity = m_metrics.activity(in.now.toMSecsSinceEpoch() - qint64(options.windowS) * 1000);
    in.sampleIntervalMs = m_metrics.settings().intervalMs;
    auto jobs = m_jobs.listByStatus({QStringLiteral("running")});
    if (!jobs.ok()) {
        return jobs.error();
    }
    in.runningJobs = std::move(jobs.value());
    if (!in.runningJobs.isEmpty()) {
        auto projects = m_projects.list();
        if (!projects.ok()) {
            return projects.error();
        }
        in.projects = std::move(projects.value());
    }
    in.serving = m_models.serving();
    in.services = m_models.services();
    auto alerts = m_metrics.alerts(true, 0, 1000);
    if (!alerts.ok()) {
        return alerts.error();
    }
    in.activeAlerts = std::move(alerts.value());
    return buildFleet(in, options);
}

} // namespace gpudeck
