#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"

namespace gpudeck {

void registerAuditRoutes(Router &router, ApiContext &ctx)
{
    // The audit log: every action taken through the window (gui), the API (api) or MCP tools (mcp), newest first.
    router.add("GET", QStringLiteral("/api/dgx/audit"), [&ctx](const ApiRequest &req) {
        const auto origins = listQuery(req, QStringLiteral("origin"), AuditRepository::origins());
        if (!origins.ok()) {
            return ApiResponse::fromError(origins.error());
        }
        if (origins->size() > 1) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                      QStringLiteral("'origin' takes one of gui, api, mcp"), QStringLiteral("origin"));
        }
        const auto limit = intQuery(req, QStringLiteral("limit"), 100, 1, 10000);
        if (!limit.ok()) {
            return ApiResponse::fromError(limit.error());
        }
        return ApiResponse::json(ctx.audit.listJson(origins->value(0), limit.value()));
    });
    router.setQueryParams("GET", QStringLiteral("/api/dgx/audit"), {QStringLiteral("origin"), QStringLiteral("limit")});
}

} // namespace gpudeck
