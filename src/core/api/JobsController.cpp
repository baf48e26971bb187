#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"

namespace gpudeck {

void registerJobRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/jobs"), [&ctx](const ApiRequest &req) {
        const auto projectId = idQuery(req, QStringLiteral("project_id"));
        if (!projectId.ok()) {
            return ApiResponse::fromError(projectId.error());
        }
        if (projectId.value() > 0) {
            if (const auto p = ctx.projects.get(projectId.value()); !p.ok()) {
                return ApiResponse::fromError(p.error());
            }
        }
        const auto statuses = listQuery(req, QStringLiteral("status"), Job::statuses());
        if (!statuses.ok()) {
            return ApiResponse::fromError(statuses.error());
        }
        return listResponse(ctx.jobs.list(projectId.value(), statuses.value()));
    });

    router.add("POST", QStringLiteral("/api/dgx/jobs"), [&ctx](const ApiRequest &req) {
        Job j;
        if (Status s = j.applyJson(req.json, true); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto created = ctx.jobs.create(j);
        return created.ok() ? ApiResponse::json(created->toJson(), 201) : ApiResponse::fromError(created.error());
    });

    router.add("GET", QStringLiteral("/api/dgx/jobs/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto j = ctx.jobs.get(id.value());
        return j.ok() ? ApiResponse::json(j->toJson()) : ApiResponse::fromError(j.error());
    });

    router.add("PUT", QStringLiteral("/api/dgx/jobs/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto stored = ctx.jobs.get(id.value());
        if (!stored.ok()) {
            return ApiResponse::fromError(stored.error());
        }
        Job changed = stored.value();
        if (Status s = changed.applyJson(req.json, false); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto updated = ctx.jobs.update(changed, stored.value());
        return updated.ok() ? ApiResponse::json(updated->toJson()) : ApiResponse::fromError(updated.error());
    });

    router.add("DELETE", QStringLiteral("/api/dgx/jobs/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const Status s = ctx.jobs.remove(id.value());
        return s.ok() ? ApiResponse::noContent() : ApiResponse::fromError(s.error());
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/jobs"),
                          {QStringLiteral("project_id"), QStringLiteral("status")});
}

} // namespace gpudeck
