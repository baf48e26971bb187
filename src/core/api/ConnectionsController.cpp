#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "connections/ConnectionService.h"
#include "ssh/SshPool.h"

namespace gpudeck {

void registerConnectionRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/connections"),
               [&ctx](const ApiRequest &) { return ApiResponse::json(ctx.connections.listJson()); });

    router.add("POST", QStringLiteral("/api/dgx/connections"), [&ctx](const ApiRequest &req) {
        Connection c;
        if (Status s = c.applyJson(req.json, true); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto created = ctx.connections.create(c);
        return created.ok() ? ApiResponse::json(created->toJson(), 201) : ApiResponse::fromError(created.error());
    });

    router.add("GET", QStringLiteral("/api/dgx/connections/:id"), [&ctx](const ApiRequest &req) {
        return ApiResponse::json(ctx.connections.findJson(req.param(QStringLiteral("id"))));
    });

    router.add("PUT", QStringLiteral("/api/dgx/connections/:id"), [&ctx](const ApiRequest &req) {
        auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        if (Status s = c.value().applyJson(req.json, false); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        // A link that is up with other address, port, user or key is reconnected with the new ones.
        const auto updated = ctx.connectionService.update(c.value());
        return updated.ok() ? ApiResponse::json(updated->toJson()) : ApiResponse::fromError(updated.error());
    });

    router.add("DELETE", QStringLiteral("/api/dgx/connections/:id"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        const auto dryRun = dryRunQuery(req);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).deleteConnection(c->id, req.queryFlag(QStringLiteral("force"))));
        }
        // The row, the link and the connection's own secrets, as the GUI's delete does.
        const Status s = ctx.connectionService.remove(c->id, req.queryFlag(QStringLiteral("force")));
        return s.ok() ? ApiResponse::noContent() : ApiResponse::fromError(s.error());
    });

    router.setQueryParams("DELETE", QStringLiteral("/api/dgx/connections/:id"),
                          {QStringLiteral("force"), QStringLiteral("dry_run")});
}

} // namespace gpudeck
