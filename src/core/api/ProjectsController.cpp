#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"

namespace gpudeck {
namespace {

// connection_id may be given as the id (3) or the connection's unique name ("spark-1").
Status resolveConnection(ApiContext &ctx, const QJsonObject &json, Project &project)
{
    const QString key = QStringLiteral("connection_id");
    if (!json.contains(key)) {
        return {};
    }
    const QJsonValue v = json.value(key);
    QString ref;
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != static_cast<double>(static_cast<qint64>(d))) {
            return Error::validation(key, QStringLiteral("'connection_id' must be an integer id or a name"));
        }
        ref = QString::number(static_cast<qint64>(d));
    } else if (v.isString()) {
        ref = v.toString();
    } else {
        return Error::validation(key, QStringLiteral("'connection_id' must be a connection id or name"));
    }
    const auto c = ctx.connections.find(ref);
    if (!c.ok()) {
        return Error::validation(key, QStringLiteral("no connection with id or name '%1'").arg(ref));
    }
    project.connectionId = c->id;
    return {};
}

Result<QJsonObject> projectWithJobs(ApiContext &ctx, const Project &p)
{
    const auto jobs = ctx.jobs.list(p.id);
    if (!jobs.ok()) {
        return jobs.error();
    }
    QJsonArray out;
    for (const Job &j : jobs.value()) {
        out.append(j.toJson());
    }
    QJsonObject json = p.toJson();
    json.insert(QStringLiteral("jobs"), out);
    return json;
}

} // namespace

void registerProjectRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/projects"), [&ctx](const ApiRequest &req) {
        const auto connectionId = connectionFilter(ctx.connections, req);
        if (!connectionId.ok()) {
            return ApiResponse::fromError(connectionId.error());
        }
        return listResponse(ctx.projects.list(connectionId.value()));
    });

    router.add("POST", QStringLiteral("/api/dgx/projects"), [&ctx](const ApiRequest &req) {
        Project p;
        if (Status s = p.applyJson(req.json, true); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        if (Status s = resolveConnection(ctx, req.json, p); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto created = ctx.projects.create(p);
        return created.ok() ? ApiResponse::json(created->toJson(), 201) : ApiResponse::fromError(created.error());
    });

    router.add("GET", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto p = ctx.projects.get(id.value());
        if (!p.ok()) {
            return ApiResponse::fromError(p.error());
        }
        const auto json = projectWithJobs(ctx, p.value());
        return json.ok() ? ApiResponse::json(json.value()) : ApiResponse::fromError(json.error());
    });

    router.add("PUT", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        auto p = ctx.projects.get(id.value());
        if (!p.ok()) {
            return ApiResponse::fromError(p.error());
        }
        if (Status s = p.value().applyJson(req.json, false); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        if (Status s = resolveConnection(ctx, req.json, p.value()); !s.ok()) {
            return ApiResponse::fromError(s.error());
        }
        const auto updated = ctx.projects.update(p.value());
        return updated.ok() ? ApiResponse::json(updated->toJson()) : ApiResponse::fromError(updated.error());
    });

    router.add("DELETE", QStringLiteral("/api/dgx/projects/:id"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const Status s = ctx.projects.remove(id.value());
        return s.ok() ? ApiResponse::noContent() : ApiResponse::fromError(s.error());
    });
}

} // namespace gpudeck
