#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "sync/SyncService.h"

#include <QTimer>

namespace gpudeck {
namespace {

// 200 for an operation that has ended, 202 while it runs.
ApiResponse progressResponse(const SyncProgress &p)
{
    return ApiResponse::json(p.toJson(), p.isFinal() ? 200 : 202);
}

// `?wait=S`: the operation once it has ended, or as it is after S seconds, whichever comes first. No thread waits:
// the operation's own future and a single-shot timer on the API thread race to answer.
QFuture<ApiResponse> answerAfterWait(SyncService &sync, const QString &id, QFuture<SyncProgress> done, int waitMs,
                                     QObject *context)
{
    if (waitMs <= 0 || done.isFinished()) {
        const auto p = done.isFinished() && done.resultCount() > 0 ? std::optional<SyncProgress>(done.result())
                                                                   : sync.progress(id);
        return ready(p ? progressResponse(*p)
                       : ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_sync"),
                                                            QStringLiteral("no sync or pull with id '%1'").arg(id))));
    }
    struct Race
    {
        QPromise<ApiResponse> promise;
        bool answered = false;
    };
    auto race = std::make_shared<Race>();
    race->promise.start();
    auto answer = [race](const ApiResponse &r) {
        if (race->answered) {
            return;
        }
        race->answered = true;
        race->promise.addResult(r);
        race->promise.finish();
    };
    QTimer::singleShot(waitMs, context, [answer, &sync, id] {
        const auto p = sync.progress(id);
        answer(p ? progressResponse(*p)
                 : ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_sync"),
                                                      QStringLiteral("no sync or pull with id '%1'").arg(id))));
    });
    done.then(context, [answer](const SyncProgress &p) { answer(progressResponse(p)); });
    return race->promise.future();
}

Result<bool> boolField(const QJsonObject &json, const QString &key)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) {
        return false;
    }
    if (!v.isBool()) {
        return Error::validation(key, QStringLiteral("'%1' must be true or false").arg(key));
    }
    return v.toBool();
}

} // namespace

void registerSyncRoutes(Router &router, ApiContext &ctx)
{
    // Starts a sync of the project's git-tracked files (and extra files) to its host: 202 with the operation, or
    // with ?wait=S the operation once it ended (200) or as it is after S seconds (202).
    router.addAsync("POST", QStringLiteral("/api/dgx/projects/:id/sync"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("verify")})) {
            return ready(*bad);
        }
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        const auto waitMs = waitQuery(req);
        if (!waitMs.ok()) {
            return ready(ApiResponse::fromError(waitMs.error()));
        }
        const auto verify = boolField(req.json, QStringLiteral("verify"));
        if (!verify.ok()) {
            return ready(ApiResponse::fromError(verify.error()));
        }
        SyncOptions options;
        options.verify = verify.value();
        const auto started = ctx.sync.sync(id.value(), options);
        if (!started.ok()) {
            return ready(ApiResponse::fromError(started.error()));
        }
        return answerAfterWait(ctx.sync, started->progress.id, started->done, waitMs.value(), req.context);
    });

    // The way back: named remote paths (relative to the project's remote_path, or absolute) into a local folder.
    router.addAsync("POST", QStringLiteral("/api/dgx/projects/:id/pull"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("paths"), QStringLiteral("local_dir")})) {
            return ready(*bad);
        }
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("project"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        const auto waitMs = waitQuery(req);
        if (!waitMs.ok()) {
            return ready(ApiResponse::fromError(waitMs.error()));
        }
        PullRequest pull;
        const QJsonValue paths = req.json.value(QStringLiteral("paths"));
        if (!paths.isArray()) {
            return ready(ApiResponse::fromError(Error::validation(
                QStringLiteral("paths"), QStringLiteral("'paths' must be an array of remote paths"))));
        }
        for (const QJsonValue &p : paths.toArray()) {
            if (!p.isString()) {
                return ready(ApiResponse::fromError(
                    Error::validation(QStringLiteral("paths"), QStringLiteral("'paths' must hold strings"))));
            }
            pull.remotePaths.append(p.toString());
        }
        const QJsonValue dir = req.json.value(QStringLiteral("local_dir"));
        if (!dir.isString()) {
            return ready(ApiResponse::fromError(
                Error::validation(QStringLiteral("local_dir"),
                                  QStringLiteral("'local_dir' must be an absolute folder on this computer"))));
        }
        pull.localDir = dir.toString();
        const auto started = ctx.sync.pull(id.value(), pull);
        if (!started.ok()) {
            return ready(ApiResponse::fromError(started.error()));
        }
        return answerAfterWait(ctx.sync, started->progress.id, started->done, waitMs.value(), req.context);
    });

    router.add("GET", QStringLiteral("/api/dgx/sync"), [&ctx](const ApiRequest &req) {
        const auto projectId = idQuery(req, QStringLiteral("project_id"));
        if (!projectId.ok()) {
            return ApiResponse::fromError(projectId.error());
        }
        QJsonArray out;
        for (const SyncProgress &p : ctx.sync.operations()) {
            if (projectId.value() == 0 || p.projectId == projectId.value()) {
                out.append(p.toJson());
            }
        }
        return ApiResponse::json(out);
    });

    router.addAsync("GET", QStringLiteral("/api/dgx/sync/:id"), [&ctx](const ApiRequest &req) {
        const QString id = req.param(QStringLiteral("id"));
        const auto waitMs = waitQuery(req);
        if (!waitMs.ok()) {
            return ready(ApiResponse::fromError(waitMs.error()));
        }
        const auto done = ctx.sync.whenDone(id);
        if (!done) {
            return ready(ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_sync"),
                                                            QStringLiteral("no sync or pull with id '%1'").arg(id))));
        }
        if (waitMs.value() == 0) {
            const auto p = ctx.sync.progress(id);
            return ready(
                p ? ApiResponse::json(p->toJson())
                  : ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_sync"),
                                                       QStringLiteral("no sync or pull with id '%1'").arg(id))));
        }
        return answerAfterWait(ctx.sync, id, *done, waitMs.value(), req.context).then([](const ApiResponse &r) {
            ApiResponse out = r;
            if (out.status == 202) {
                out.status = 200; // a read answers 200 whatever the state
            }
            return out;
        });
    });

    // Stops a sync or pull: what is in flight is closed and its temporary files removed; files already in place
    // stay (and the manifest knows them). Answers the operation as it is (it ends shortly after).
    router.add("POST", QStringLiteral("/api/dgx/sync/:id/cancel"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {})) {
            return *bad;
        }
        const QString id = req.param(QStringLiteral("id"));
        const auto p = ctx.sync.progress(id);
        if (!p) {
            return ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_sync"),
                                                      QStringLiteral("no sync or pull with id '%1'").arg(id)));
        }
        if (!ctx.sync.cancel(id)) {
            return ApiResponse::fromError(Error::make(ErrorCode::Conflict, QStringLiteral("sync_ended"),
                                                      QStringLiteral("%1 has already ended (%2)").arg(id, p->state)));
        }
        return ApiResponse::json(ctx.sync.progress(id).value_or(*p).toJson());
    });

    router.setQueryParams("POST", QStringLiteral("/api/dgx/projects/:id/sync"), {QStringLiteral("wait")});
    router.setQueryParams("POST", QStringLiteral("/api/dgx/projects/:id/pull"), {QStringLiteral("wait")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/sync"), {QStringLiteral("project_id")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/sync/:id"), {QStringLiteral("wait")});
}

} // namespace gpudeck
