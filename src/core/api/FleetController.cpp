#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "fleet/FleetBuilder.h"

namespace gpudeck {

namespace {

// `?threshold=` (percent) and `?window_s=` of the free verdict; the defaults otherwise.
Result<FleetOptions> fleetOptions(const ApiRequest &req)
{
    FleetOptions options;
    const QString threshold = req.queryValue(QStringLiteral("threshold"));
    if (!threshold.isEmpty()) {
        bool ok = false;
        options.thresholdPercent = threshold.toDouble(&ok);
        if (!ok || !(options.thresholdPercent > 0) || options.thresholdPercent > 100) {
            return Error::validation(QStringLiteral("threshold"),
                                     QStringLiteral("'threshold' must be a utilisation in percent, above 0 and at "
                                                    "most 100"));
        }
    }
    const auto window =
        intQuery(req, QStringLiteral("window_s"), FleetOptions::kDefaultWindowS, 1, FleetOptions::kMaxWindowS);
    if (!window.ok()) {
        return window.error();
    }
    options.windowS = window.value();
    return options;
}

} // namespace

void registerFleetRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/fleet"), [&ctx](const ApiRequest &req) {
        const auto options = fleetOptions(req);
        if (!options.ok()) {
            return ApiResponse::fromError(options.error());
        }
        const FleetReader reader(ctx.connections, ctx.projects, ctx.jobs, ctx.ssh, ctx.metrics, ctx.models);
        const auto fleet = reader.read(options.value());
        return fleet.ok() ? ApiResponse::json(fleet->toJson()) : ApiResponse::fromError(fleet.error());
    });
    router.setQueryParams("GET", QStringLiteral("/api/dgx/fleet"),
                          {QStringLiteral("threshold"), QStringLiteral("window_s")});
}

} // namespace gpudeck
