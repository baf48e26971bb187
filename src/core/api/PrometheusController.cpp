#include "api/ApiContext.h"
#include "api/Controllers.h"
#include "api/HttpServer.h"
#include "api/Router.h"
#include "fleet/FleetBuilder.h"
#include "models/ModelService.h"
#include "prometheus/MetricsExport.h"
#include "prometheus/PrometheusText.h"

namespace gpudeck {

void registerPrometheusRoutes(Router &router, ApiContext &ctx)
{
    // What a Prometheus server scrapes (bearer token in its scrape config, like every route): the fleet's GPUs under
    // dcgm-exporter's names, and GPU Deck's own counters. Read from the same snapshot as GET /api/dgx/fleet.
    router.add("GET", QStringLiteral("/metrics"), [&ctx](const ApiRequest &req) {
        MetricsExportInputs in;
        const FleetReader reader(ctx.connections, ctx.projects, ctx.jobs, ctx.ssh, ctx.metrics, ctx.models);
        auto fleet = reader.read();
        if (!fleet.ok()) {
            return ApiResponse::fromError(fleet.error());
        }
        in.fleet = std::move(fleet.value());
        auto jobs = ctx.jobs.countByStatus();
        if (!jobs.ok()) {
            return ApiResponse::fromError(jobs.error());
        }
        in.jobsByStatus = std::move(jobs.value());
        const QHash<QString, quint64> swaps = ctx.models.swapOutcomes();
        for (auto it = swaps.cbegin(); it != swaps.cend(); ++it) {
            in.swapsByOutcome.insert(it.key(), it.value());
        }
        // Counted by the HTTP server; an in-process caller (MCP) has none to report.
        if (const auto *server = qobject_cast<const HttpServer *>(req.context)) {
            in.apiRequests = server->requestStats().counts();
        }
        ApiResponse response;
        response.body = renderMetrics(in);
        response.contentType = PrometheusText::kContentType;
        return response;
    });
}

} // namespace gpudeck
