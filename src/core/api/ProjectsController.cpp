#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "jobs/JobSupervisor.h"

namespace gpudeck {
namespace {

// connection_id may be given as the id (3 or "3") or the connection's unique name ("spark-1").
Status resolveConnection(ApiContext &ctx, const QJsonObject &json, Project &project)
{
    const QString key = QStringLiteral("connection_id");
    if (!json.contains(key)) {
        return {};
    }
    const QJsonValue v = json.value(key);
    const auto c = connectionRef(ctx.connections, v, key);
    if (!c.ok()) {
        if (c.error().code != ErrorCode::NotFound) {
            return c.error();
        }
        const QString ref = v.isDouble() ? QString::number(v.toInteger()) : v.toString();
        return Error::validation(key, QStringLiteral("no connection with id or name '%1'").arg(ref));
    }
    project.connectionId = c->id;
    return {};
}

// The request's "create_remote_path" (not a project field): taken out of the body, which is then a project.
Result<bool> takeCreateFlag(QJsonObject &json)
{
    const QJsonValue v = json.take(QStringLiteral("create_remote_path"));
    if (v.isUndefined() || v.isNull()) {
        return false;
    }
    if (!v.isBool()) {
        return Error::validation(QStringLiteral("create_remote_path"),
                                 QStringLiteral("'create_remote_path' must be true or false"));
    }
    return v.toBool();
}

// Saves `p` once its remote_path has been checked on the host (when connected) and, if asked, created there.
QFuture<ApiResponse> checkThenSave(ApiContext &ctx, const ApiRequest &req, const Project &p, bool create,
                                   bool pathChanged, int createdStatus)
{
    if (Status s = p.validate(); !s.ok()) {
        return ready(ApiResponse::fromError(s.error()));
    }
    if ((!pathChanged || p.remotePath.isEmpty()) && !create) { // empty: the home directory
        const auto saved = createdStatus == 201 ? ctx.projects.create(p) : ctx.projects.update(p);
        return ready(saved.ok() ? ApiResponse::json(saved->toJson(), createdStatus)
                                : ApiResponse::fromError(saved.error()));
    }
    ApiContext *c = &ctx;
    return ctx.jobRunner.checkRemotePath(p.connectionId, p.remotePath, create)
        .then(req.context, [c, p, createdStatus](const Status &checked) {
            if (!checked.ok()) {
                return ApiResponse::fromError(checked.error());
            }
            const auto saved = createdStatus == 201 ? c->projects.create(p) : c->projects.update(p);
            return saved.ok() ? ApiResponse::json(saved->toJson(), createdStatus)
                              : ApiResponse::fromError(saved.error());
        });
}

} // namespace

void registerProjectRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/projects"), [&ctx](const ApiRequest &req) {
        const auto connectionId = connectionFilter(ctx.connections, req);
        if (!connectionId.ok()) {
            return ApiResponse::fromError(connectionId.error());
        }
        return ApiResponse::json(ctx.projects.listJson(connectionId.value()));
    });

    router.addAsync("POST", QStringLiteral("/api/dgx/projects"), [&ctx](const ApiRequest &req) {
        QJsonObject body = req.json;
        const auto create = takeCreateFlag(body);
        if (!create.ok()) {
            return ready(ApiResponse::fromError(create.error()));
        }
        Project p;
        if (Status s = p.applyJson(body, true); !s.ok()) {
            return ready(ApiResponse::fromError(s.error()));
        }
        if (Status s = resolveConnection(ctx, body, p); !s.ok()) {
            return ready(ApiResponse::fromError(s.error()));
        }
        return checkThenSave(ctx, req, p, create.value(), true, 201);
    });

    router.add("GET", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        // The project with its jobs in the "jobs" key (an unknown id has none, and answers 404).
        const auto jobs = ctx.jobs.listJson(id.value());
        if (!jobs.ok()) {
            return ApiResponse::fromError(jobs.error());
        }
        return ApiResponse::json(ctx.projects.getJson(id.value(), {{QByteArrayLiteral("jobs"), jobs.value()}}));
    });

    router.addAsync("PUT", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        QJsonObject body = req.json;
        const auto create = takeCreateFlag(body);
        if (!create.ok()) {
            return ready(ApiResponse::fromError(create.error()));
        }
        auto p = ctx.projects.get(id.value());
        if (!p.ok()) {
            return ready(ApiResponse::fromError(p.error()));
        }
        const Project before = p.value();
        if (Status s = p.value().applyJson(body, false); !s.ok()) {
            return ready(ApiResponse::fromError(s.error()));
        }
        if (Status s = resolveConnection(ctx, body, p.value()); !s.ok()) {
            return ready(ApiResponse::fromError(s.error()));
        }
        // Checked when it names another folder or host: an unrelated edit is not held up by the link.
        const bool changed = p->remotePath != before.remotePath || p->connectionId != before.connectionId;
        return checkThenSave(ctx, req, p.value(), create.value(), changed, 200);
    });

    router.add("DELETE", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto dryRun = dryRunQuery(req);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).deleteProject(id.value()));
        }
        const Status s = ctx.projects.remove(id.value());
        return s.ok() ? ApiResponse::noContent() : ApiResponse::fromError(s.error());
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/projects"), {QStringLiteral("connection_id")});
    router.setQueryParams("DELETE", QStringLiteral("/api/dgx/projects/:id"), {QStringLiteral("dry_run")});
}

} // namespace gpudeck
