#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "runpod/RunPodService.h"

#include <QUrl>

namespace gpudeck {
namespace {

ApiResponse podResponse(const Result<RunPodPod> &pod, int status = 200)
{
    if (!pod.ok()) {
        return ApiResponse::fromError(pod.error());
    }
    return ApiResponse::json(pod->toJson(), status);
}

std::optional<ApiResponse> badConfirm(const QJsonObject &json)
{
    const QJsonValue confirm = json.value(QStringLiteral("confirm"));
    if (!confirm.isUndefined() && !confirm.isBool()) {
        return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                  QStringLiteral("'confirm' must be true or false"), QStringLiteral("confirm"));
    }
    return std::nullopt;
}

QJsonObject credentialsBody(ApiContext &ctx, const RunPodKeyState &state)
{
    QJsonObject body = state.toJson();
    const QString line = ctx.runpod.publicKeyLine();
    body.insert(QStringLiteral("ssh_public_key"), line.isEmpty() ? QJsonValue() : QJsonValue(line));
    body.insert(QStringLiteral("rate_limit"), ctx.runpod.rateLimit().toJson());
    return body;
}

} // namespace

void registerRunPodRoutes(Router &router, ApiContext &ctx)
{
    router.addAsync("GET", QStringLiteral("/api/runpod/pods"), [&ctx](const ApiRequest &) {
        return ctx.runpod.pods().then([](Result<QList<RunPodPod>> pods) {
            if (!pods.ok()) {
                return ApiResponse::fromError(pods.error());
            }
            QJsonArray out;
            const QDateTime now = QDateTime::currentDateTimeUtc();
            for (const RunPodPod &p : pods.value()) {
                out.append(p.toJson(now));
            }
            return ApiResponse::json(out);
        });
    });

    router.addAsync("POST", QStringLiteral("/api/runpod/pods"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json,
                                     {QStringLiteral("name"), QStringLiteral("gpu_type"), QStringLiteral("gpu_count"),
                                      QStringLiteral("image"), QStringLiteral("cloud"), QStringLiteral("disk_gb"),
                                      QStringLiteral("volume_gb"), QStringLiteral("ports"), QStringLiteral("env"),
                                      QStringLiteral("confirm"), QStringLiteral("dry_run")})) {
            return ready(*bad);
        }
        if (auto bad = badConfirm(req.json)) {
            return ready(*bad);
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ready(ApiResponse::fromError(dryRun.error()));
        }
        const auto request = RunPodCreate::fromJson(req.json);
        if (!request.ok()) {
            return ready(ApiResponse::fromError(request.error()));
        }
        // Without "confirm": true nothing is created: the answer is the dry run, with the hourly price.
        if (dryRun.value() || !req.json.value(QStringLiteral("confirm")).toBool(false)) {
            return ctx.runpod.planCreate(request.value()).then([](Result<ActionPlan> plan) {
                return planResponse(plan);
            });
        }
        return ctx.runpod.create(request.value()).then([](Result<RunPodPod> pod) {
            ApiResponse r = podResponse(pod, 201);
            if (pod.ok()) {
                r.headers.append(
                    {QByteArrayLiteral("Location"), QStringLiteral("/api/runpod/pods/%1").arg(pod->id).toUtf8()});
            }
            return r;
        });
    });

    router.addAsync("GET", QStringLiteral("/api/runpod/pods/:id"), [&ctx](const ApiRequest &req) {
        const QString id = QUrl::fromPercentEncoding(req.param(QStringLiteral("id")).toUtf8());
        return ctx.runpod.pod(id).then([](Result<RunPodPod> pod) { return podResponse(pod); });
    });

    router.addAsync("POST", QStringLiteral("/api/runpod/pods/:id/action"), [&ctx](const ApiRequest &req) {
        const QString id = QUrl::fromPercentEncoding(req.param(QStringLiteral("id")).toUtf8());
        if (auto bad = rejectUnknown(
                req.json, {QStringLiteral("action"), QStringLiteral("confirm"), QStringLiteral("dry_run")})) {
            return ready(*bad);
        }
        const QJsonValue action = req.json.value(QStringLiteral("action"));
        if (!action.isString() || !RunPodPod::allActions().contains(action.toString())) {
            return ready(ApiResponse::error(
                400, QStringLiteral("validation_failed"),
                QStringLiteral("'action' must be one of %1").arg(RunPodPod::allActions().join(QStringLiteral(", "))),
                QStringLiteral("action")));
        }
        if (auto bad = badConfirm(req.json)) {
            return ready(*bad);
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ready(ApiResponse::fromError(dryRun.error()));
        }
        if (dryRun.value() || !req.json.value(QStringLiteral("confirm")).toBool(false)) {
            return ready(planResponse(ctx.runpod.planAction(id, action.toString())));
        }
        return ctx.runpod.action(id, action.toString()).then([](Result<RunPodPod> pod) { return podResponse(pod); });
    });

    router.addAsync("GET", QStringLiteral("/api/runpod/gpu-types"), [&ctx](const ApiRequest &) {
        return ctx.runpod.gpuTypes().then([](Result<QList<RunPodGpuType>> types) { return listResponse(types); });
    });

    router.addAsync("GET", QStringLiteral("/api/runpod/credentials"), [&ctx](const ApiRequest &) {
        return ctx.runpod.keyState().then(
            [&ctx](RunPodKeyState state) { return ApiResponse::json(credentialsBody(ctx, state)); });
    });

    // The key is write-only: stored in the keychain, never answered, logged or audited (field names only).
    router.addAsync("PUT", QStringLiteral("/api/runpod/credentials"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("api_key")})) {
            return ready(*bad);
        }
        const QJsonValue key = req.json.value(QStringLiteral("api_key"));
        if (!key.isString() && !key.isNull()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'api_key' is required: the RunPod API key, or null (or "
                                                           "\"\") to remove it from the keychain"),
                                            QStringLiteral("api_key")));
        }
        if (key.toString().size() > 1024) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'api_key' is too long"), QStringLiteral("api_key")));
        }
        return ctx.runpod.setApiKey(key.toString())
            .then([&ctx](Status s) {
                if (!s.ok()) {
                    return QtFuture::makeReadyFuture(ApiResponse::fromError(s.error()));
                }
                return ctx.runpod.keyState().then(
                    [&ctx](RunPodKeyState state) { return ApiResponse::json(credentialsBody(ctx, state)); });
            })
            .unwrap();
    });

    router.addAsync("POST", QStringLiteral("/api/runpod/ssh-key"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {})) {
            return ready(*bad);
        }
        return ctx.runpod.registerSshKey().then([](Result<QString> line) {
            if (!line.ok()) {
                return ApiResponse::fromError(line.error());
            }
            return ApiResponse::json(
                QJsonObject{{QStringLiteral("ssh_public_key"), line.value()}, {QStringLiteral("registered"), true}});
        });
    });
}

} // namespace gpudeck
