#include "prometheus/MetricsExport.h"

#include "base/NoValue.h"
#include "prometheus/PrometheusText.h"
#include "store/Entities.h"

#include <functional>

namespace gpudeck {
namespace {

// One dcgm-exporter field: its name, HELP text (as in dcgm-exporter's default-counters.csv) and how to read it.
struct DcgmGauge
{
    const char *name;
    const char *help;
    std::function<double(const FleetGpu &)> read; // kNoValue: no sample for this GPU
};

double fbFree(const FleetGpu &g)
{
    const GpuSample &s = g.sample;
    if (s.unifiedMemory) {
        return kNoValue; // the host's memory, not a framebuffer: not exported as one (decision 73)
    }
    if (hasValue(s.memoryFreeMiB)) {
        return s.memoryFreeMiB;
    }
    return hasValue(s.memoryTotalMiB) && hasValue(s.memoryUsedMiB) ? s.memoryTotalMiB - s.memoryUsedMiB : kNoValue;
}

const QList<DcgmGauge> &dcgmGauges()
{
    static const QList<DcgmGauge> gauges{
        {"DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", [](const FleetGpu &g) { return g.sample.smClockMHz; }},
        {"DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).",
         [](const FleetGpu &g) { return g.sample.memoryClockMHz; }},
        {"DCGM_FI_DEV_MEMORY_TEMP", "Memory temperature (in C).",
         [](const FleetGpu &g) { return g.sample.memoryTemperatureC; }},
        {"DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", [](const FleetGpu &g) { return g.sample.temperatureC; }},
        {"DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", [](const FleetGpu &g) { return g.sample.powerDrawW; }},
        {"DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", [](const FleetGpu &g) { return g.sample.utilizationGpu; }},
        {"DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).",
         [](const FleetGpu &g) { return g.sample.utilizationMemory; }},
        {"DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", fbFree},
        {"DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).",
         [](const FleetGpu &g) { return g.sample.unifiedMemory ? kNoValue : g.sample.memoryUsedMiB; }},
    };
    return gauges;
}

PrometheusText::Labels gpuLabels(const FleetHost &host, const FleetGpu &g)
{
    // dcgm-exporter's labels, in its order. Hostname is the connection's name (unique in GPU Deck; the address may
    // be an IP); a GPU without a UUID in its readings gets UUID="" (the same as no UUID label to Prometheus), and
    // stays one series by Hostname and gpu.
    return {{QByteArrayLiteral("gpu"), QString::number(g.sample.index)},
            {QByteArrayLiteral("UUID"), g.sample.uuid},
            {QByteArrayLiteral("pci_bus_id"), g.sample.busId},
            {QByteArrayLiteral("device"), QStringLiteral("nvidia%1").arg(g.sample.index)},
            {QByteArrayLiteral("modelName"), g.sample.name},
            {QByteArrayLiteral("Hostname"), host.name}};
}

} // namespace

QByteArray renderMetrics(const MetricsExportInputs &in)
{
    PrometheusText out;
    // Each GPU's labels rendered once, for the ten families that carry them.
    QList<QByteArray> gpuBlocks;
    for (const FleetHost &host : in.fleet.hosts) {
        for (const FleetGpu &g : host.gpus) {
            gpuBlocks.append(PrometheusText::labelBlock(gpuLabels(host, g)));
        }
    }
    for (const DcgmGauge &gauge : dcgmGauges()) {
        out.family(gauge.name, "gauge", QString::fromLatin1(gauge.help));
        qsizetype i = 0;
        for (const FleetHost &host : in.fleet.hosts) {
            for (const FleetGpu &g : host.gpus) {
                const double value = gauge.read(g);
                if (hasValue(value)) {
                    out.sampleRendered(gauge.name, gpuBlocks.at(i), value);
                }
                ++i;
            }
        }
    }

    out.family("gpudeck_gpu_free", "gauge",
               QStringLiteral("1 when the GPU is free: no process and utilization under %1 % for the last %2 s "
                              "(GET /api/dgx/fleet), else 0.")
                   .arg(in.fleet.options.thresholdPercent)
                   .arg(in.fleet.options.windowS));
    qsizetype i = 0;
    for (const FleetHost &host : in.fleet.hosts) {
        for (const FleetGpu &g : host.gpus) {
            out.sampleRendered("gpudeck_gpu_free", gpuBlocks.at(i++), g.free ? 1 : 0);
        }
    }

    out.family("gpudeck_host_up", "gauge", QStringLiteral("1 when the connection's SSH link is connected, else 0."));
    out.family("gpudeck_host_gpus_watched", "gauge",
               QStringLiteral("1 when the host's GPU readings are current (metrics state ok), else 0."));
    for (const FleetHost &host : in.fleet.hosts) {
        const PrometheusText::Labels labels{{QByteArrayLiteral("connection"), host.name},
                                            {QByteArrayLiteral("kind"), host.kind}};
        out.sample("gpudeck_host_up", labels, host.link.state == LinkState::Connected ? 1 : 0);
        out.sample("gpudeck_host_gpus_watched", {{QByteArrayLiteral("connection"), host.name}},
                   host.metricsState == QStringLiteral("ok") ? 1 : 0);
    }

    out.family("gpudeck_jobs", "gauge", QStringLiteral("Jobs by status (all projects)."));
    QMap<QString, int> jobs = in.jobsByStatus;
    for (const QString &status : Job::statuses()) {
        jobs.insert(status, jobs.value(status, 0));
    }
    for (auto it = jobs.cbegin(); it != jobs.cend(); ++it) {
        out.sample("gpudeck_jobs", {{QByteArrayLiteral("state"), it.key()}}, it.value());
    }

    out.family("gpudeck_swaps_total", "counter",
               QStringLiteral("Model swaps finished since GPU Deck started, by outcome."));
    QMap<QString, quint64> swaps = in.swapsByOutcome;
    for (const QString &outcome :
         {QStringLiteral("succeeded"), QStringLiteral("failed"), QStringLiteral("cancelled")}) {
        swaps.insert(outcome, swaps.value(outcome, 0));
    }
    for (auto it = swaps.cbegin(); it != swaps.cend(); ++it) {
        out.sample("gpudeck_swaps_total", {{QByteArrayLiteral("outcome"), it.key()}}, double(it.value()));
    }

    out.family("gpudeck_alerts_active", "gauge", QStringLiteral("Active alerts, by severity."));
    QMap<QString, int> alerts{
        {QStringLiteral("info"), 0}, {QStringLiteral("warning"), 0}, {QStringLiteral("critical"), 0}};
    for (const FleetHost &host : in.fleet.hosts) {
        for (const Alert &a : host.alerts) {
            alerts[a.severity]++;
        }
    }
    for (const Alert &a : in.fleet.otherAlerts) {
        alerts[a.severity]++;
    }
    for (auto it = alerts.cbegin(); it != alerts.cend(); ++it) {
        out.sample("gpudeck_alerts_active", {{QByteArrayLiteral("severity"), it.key()}}, it.value());
    }

    out.family("gpudeck_api_requests_total", "counter",
               QStringLiteral("API requests answered since GPU Deck started, by method, route pattern and status "
                              "code (the scrape being answered is not counted yet)."));
    for (const ApiRequestStats::Count &c : in.apiRequests) {
        out.sample("gpudeck_api_requests_total",
                   {{QByteArrayLiteral("method"), QString::fromLatin1(c.method)},
                    {QByteArrayLiteral("route"), c.route},
                    {QByteArrayLiteral("code"), QString::number(c.status)}},
                   double(c.count));
    }
    return out.text();
}

} // namespace gpudeck
