#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "events/EventWait.h"

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
        return ApiResponse::json(ctx.jobs.listJson(projectId.value(), statuses.value()));
    });

    router.add("POST", QStringLiteral("/api/dgx/jobs"), [&ctx](const ApiRequest &req) {
        Job j;
        if (Status s = j.applyJson(req.json, true); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto created = ctx.jobs.create(j);
        return created.ok() ? ApiResponse::json(created->toJson(), 201) : ApiResponse::fromError(created.error());
    });

    // `?wait=S`: answers once the job is in a final state (at once if it is), or when S seconds have passed, with the
    // job as it then is. Nothing polls and no thread waits: a job.status event ends the wait (EventWait).
    router.addAsync("GET", QStringLiteral("/api/dgx/jobs/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        const auto waitMs = waitQuery(req);
        if (!waitMs.ok()) {
            return ready(ApiResponse::fromError(waitMs.error()));
        }
        const qint64 jobId = id.value();
        auto answer = [&ctx, jobId] { return ApiResponse::json(ctx.jobs.getJson(jobId)); };
        if (waitMs.value() == 0) {
            return ready(answer());
        }
        // Subscribed before the job is read: a change committed in between is not missed.
        auto *wait = new EventWait(
            ctx.events,
            [jobId](const Event &e) {
                return e.type == QLatin1String("job.status") &&
                       qint64(e.data.value(QStringLiteral("job_id")).toDouble()) == jobId &&
                       Job::isFinal(e.data.value(QStringLiteral("status")).toString());
            },
            waitMs.value(), req.context);
        const auto j = ctx.jobs.get(jobId);
        if (!j.ok() || Job::isFinal(j->status)) {
            wait->cancel();
            return ready(j.ok() ? answer() : ApiResponse::fromError(j.error()));
        }
        return wait->future().then(req.context, [answer](bool) { return answer(); });
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
        if (!updated.ok()) {
            return ApiResponse::fromError(updated.error());
        }
        // The row as stored, straight to bytes (the same JSON as the job's toJson(), tst_api_rows_json).
        return ApiResponse::json(ctx.jobs.getJson(updated->id));
    });

    router.add("DELETE", QStringLiteral("/api/dgx/jobs/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto dryRun = dryRunQuery(req);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).deleteJob(id.value()));
        }
        const Status s = ctx.jobs.remove(id.value());
        return s.ok() ? ApiResponse::noContent() : ApiResponse::fromError(s.error());
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/jobs"),
                          {QStringLiteral("project_id"), QStringLiteral("status")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/jobs/:id"), {QStringLiteral("wait")});
    router.setQueryParams("DELETE", QStringLiteral("/api/dgx/jobs/:id"), {QStringLiteral("dry_run")});
}

} // namespace gpudeck
