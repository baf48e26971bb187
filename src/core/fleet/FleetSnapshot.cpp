#include "fleet/FleetSnapshot.h"

#include "base/NoValue.h"
#include "store/Entities.h"
#include "store/JsonValues.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonValue num(double v)
{
    return hasValue(v) ? QJsonValue(v) : QJsonValue();
}

} // namespace

QJsonObject FleetGpu::toJson() const
{
    const GpuSample &s = sample;
    double freeMiB = s.memoryFreeMiB;
    if (!hasValue(freeMiB) && hasValue(s.memoryTotalMiB) && hasValue(s.memoryUsedMiB)) {
        freeMiB = s.memoryTotalMiB - s.memoryUsedMiB;
    }
    QJsonArray procs;
    for (const GpuProcess &p : processes) {
        procs.append(QJsonObject{{QStringLiteral("pid"), p.pid},
                                 {QStringLiteral("name"), p.name},
                                 {QStringLiteral("used_memory_mb"), num(p.usedMemoryMiB)}});
    }
    return {{QStringLiteral("gpu_index"), s.index},
            {QStringLiteral("uuid"), textOrNull(s.uuid)},
            {QStringLiteral("name"), textOrNull(s.name)},
            {QStringLiteral("gpu_utilization"), num(s.utilizationGpu)},
            {QStringLiteral("memory_used_mb"), num(s.memoryUsedMiB)},
            {QStringLiteral("memory_total_mb"), num(s.memoryTotalMiB)},
            {QStringLiteral("memory_free_mb"), num(freeMiB)},
            {QStringLiteral("unified_memory"), s.unifiedMemory},
            {QStringLiteral("temperature_c"), num(s.temperatureC)},
            {QStringLiteral("power_watts"), num(s.powerDrawW)},
            {QStringLiteral("power_limit_watts"), num(s.powerLimitW)},
            {QStringLiteral("sm_clock_mhz"), num(s.smClockMHz)},
            {QStringLiteral("processes"), procs},
            {QStringLiteral("peak_utilization"), peakUtilization >= 0 ? QJsonValue(peakUtilization) : QJsonValue()},
            {QStringLiteral("free"), free},
            {QStringLiteral("verdict"), verdict},
            {QStringLiteral("recorded_at"), timeOrNull(s.time)}};
}

QJsonObject FleetJob::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("project_id"), projectId},
            {QStringLiteral("project_name"), projectName},
            {QStringLiteral("status"), status},
            {QStringLiteral("attempt"), attempt},
            {QStringLiteral("started_at"), timeOrNull(startedAt)},
            {QStringLiteral("on_end"), onEnd}};
}

bool hostAsleep(const QString &kind, const QString &macAddress, const LinkStatus &link)
{
    return !macAddress.isEmpty() && kind != QStringLiteral("local") && link.state != LinkState::Connected &&
           link.state != LinkState::Connecting;
}

int FleetHost::gpusFree() const
{
    return int(std::count_if(gpus.begin(), gpus.end(), [](const FleetGpu &g) { return g.free; }));
}

QJsonObject FleetHost::toJson() const
{
    QJsonObject linkJson{{QStringLiteral("state"), linkStateName(link.state)},
                         {QStringLiteral("since"), timeOrNull(link.since)},
                         {QStringLiteral("reason"), textOrNull(link.reason)}};
    QJsonValue servingJson;
    if (serving) {
        servingJson = QJsonObject{{QStringLiteral("model"), textOrNull(serving->model)},
                                  {QStringLiteral("health"), healthName(serving->health)},
                                  {QStringLiteral("swap_id"), textOrNull(serving->swapId)},
                                  {QStringLiteral("checked_at"), timeOrNull(serving->checkedAt)},
                                  {QStringLiteral("detail"), textOrNull(serving->detail)}};
    }
    QJsonArray servicesJson;
    for (const ServiceHealth &s : services) {
        servicesJson.append(QJsonObject{{QStringLiteral("name"), s.name},
                                        {QStringLiteral("kind"), textOrNull(s.kind)},
                                        {QStringLiteral("port"), s.port},
                                        {QStringLiteral("status"), healthName(s.health)},
                                        {QStringLiteral("since"), timeOrNull(s.since)}});
    }
    const int freeCount = gpusFree();
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("name"), name},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("hostname"), hostname},
            {QStringLiteral("mac_address"), textOrNull(macAddress)},
            {QStringLiteral("watch"), watch},
            {QStringLiteral("link"), linkJson},
            {QStringLiteral("asleep"), asleep},
            {QStringLiteral("metrics"), QJsonObject{{QStringLiteral("state"), metricsState},
                                                    {QStringLiteral("detail"), textOrNull(metricsDetail)},
                                                    {QStringLiteral("updated_at"), timeOrNull(metricsUpdatedAt)}}},
            {QStringLiteral("memory"),
             QJsonObject{{QStringLiteral("total_mb"), num(memory.totalMiB)},
                         {QStringLiteral("used_mb"), hasValue(memory.totalMiB) && hasValue(memory.availableMiB)
                                                         ? QJsonValue(memory.usedMiB())
                                                         : QJsonValue()},
                         {QStringLiteral("load_1m"), num(load.one)}}},
            {QStringLiteral("gpus"), toJsonArray(gpus)},
            {QStringLiteral("gpus_free"), freeCount},
            {QStringLiteral("gpus_busy"), int(gpus.size()) - freeCount},
            {QStringLiteral("jobs"), toJsonArray(jobs)},
            {QStringLiteral("serving"), servingJson},
            {QStringLiteral("services"), servicesJson},
            {QStringLiteral("alerts"), toJsonArray(alerts)}};
}

QJsonObject FleetTotals::toJson() const
{
    return {{QStringLiteral("hosts"), hosts},
            {QStringLiteral("hosts_connected"), hostsConnected},
            {QStringLiteral("gpus"), gpus},
            {QStringLiteral("gpus_free"), gpusFree},
            {QStringLiteral("gpus_busy"), gpusBusy},
            {QStringLiteral("memory_used_mb"), memoryUsedMiB},
            {QStringLiteral("memory_total_mb"), memoryTotalMiB},
            {QStringLiteral("power_watts"), powerDrawW},
            {QStringLiteral("running_jobs"), runningJobs},
            {QStringLiteral("active_alerts"), activeAlerts}};
}

QJsonObject FleetSnapshot::toJson() const
{
    return {{QStringLiteral("generated_at"), isoUtc(generatedAt)},
            {QStringLiteral("free_threshold_percent"), options.thresholdPercent},
            {QStringLiteral("free_window_s"), options.windowS},
            {QStringLiteral("totals"), totals.toJson()},
            {QStringLiteral("hosts"), toJsonArray(hosts)},
            {QStringLiteral("other_alerts"), toJsonArray(otherAlerts)}};
}

} // namespace gpudeck
