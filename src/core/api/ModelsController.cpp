#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/LogFollowStream.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "events/EventWait.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"
#include "store/Entities.h"

#include <QFileInfo>
#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonObject swapSummary(const SwapReport &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("model"), r.model},
            {QStringLiteral("state"), swapStateName(r.state)},
            {QStringLiteral("step"), r.step},
            {QStringLiteral("percent"), r.percent}};
}

// The catalog per host, each model with its status, the host's services, and the file's problems if any.
QJsonObject catalogJson(const ModelService &models, ConnectionRepository &connections)
{
    const ModelCatalog catalog = models.catalog();
    const QList<CatalogError> errors = models.catalogErrors();
    const QList<ServiceHealth> services = models.services();
    QJsonArray hosts;
    for (const HostCatalog &h : catalog.hosts) {
        const HostServing serving = models.serving(h.host);
        QJsonObject host = serving.toJson();
        host.insert(QStringLiteral("host"), h.host);
        const auto c = connections.find(h.host);
        host.insert(QStringLiteral("connection_id"), c.ok() ? QJsonValue(c->id) : QJsonValue());
        if (!h.address.isEmpty()) {
            host.insert(QStringLiteral("address"), h.address);
        }
        if (!serving.swapId.isEmpty()) {
            const auto swap = models.swap(serving.swapId);
            host.insert(QStringLiteral("swap"), swap.ok() ? QJsonValue(swapSummary(swap.value())) : QJsonValue());
        } else {
            host.insert(QStringLiteral("swap"), QJsonValue());
        }
        QJsonArray list;
        for (const ModelSpec &m : h.models) {
            QJsonObject model = m.toJson();
            QString status;
            if (!serving.swapId.isEmpty()) {
                status = QStringLiteral("swapping");
            } else if (serving.health == Health::Unknown) {
                status = QStringLiteral("unknown");
            } else {
                status = serving.health == Health::Up && serving.model == m.id ? QStringLiteral("up")
                                                                               : QStringLiteral("down");
            }
            model.insert(QStringLiteral("status"), status);
            model.insert(QStringLiteral("serving"), status == QStringLiteral("up"));
            model.insert(QStringLiteral("stats"), models.stats(m.id));
            list.append(model);
        }
        host.insert(QStringLiteral("models"), list);
        QJsonArray svc;
        for (const ServiceHealth &s : services) {
            if (s.host == h.host) {
                svc.append(s.toJson());
            }
        }
        host.insert(QStringLiteral("services"), svc);
        hosts.append(host);
    }
    QJsonArray errorList;
    for (const CatalogError &e : errors) {
        errorList.append(e.toJson());
    }
    return {
        {QStringLiteral("file"), models.catalogPath()},
        {QStringLiteral("file_exists"), QFileInfo::exists(models.catalogPath())},
        {QStringLiteral("loaded_at"), catalog.loadedAt.isValid() ? QJsonValue(isoUtc(catalog.loadedAt)) : QJsonValue()},
        {QStringLiteral("poll_interval_s"), catalog.pollIntervalS},
        {QStringLiteral("error"), errors.isEmpty() ? QJsonValue() : QJsonValue(errors.first().toJson())},
        {QStringLiteral("errors"), errorList},
        {QStringLiteral("hosts"), hosts}};
}

// Streams a model's log as server-sent events (one per line) until the client leaves or the command ends; the last
// event, `end`, says how it ended ({model, host, error?, code?}; `host` the one followed: without one asked for, the
// model's own, its head's when it spans hosts). One command per model however many follow it.
void followModelLog(ApiContext &ctx, const QString &model, const QString &host, int lines,
                    const std::shared_ptr<ResponseStream> &stream)
{
    QString followed = host;
    if (followed.isEmpty()) {
        if (const std::optional<ModelSpec> spec = ctx.models.spec(model)) {
            followed = spec->host;
        }
    }
    streamLogFollow(
        stream,
        [&ctx, model, host, lines](JobLogFollow::Output output, JobLogFollow::Finished finished) {
            return ctx.modelLogs.follow(model, host, lines, std::move(output), std::move(finished));
        },
        [model, followed](const Status &status) {
            QJsonObject end{{QStringLiteral("model"), model}};
            if (!followed.isEmpty()) {
                end.insert(QStringLiteral("host"), followed);
            }
            if (!status.ok()) {
                end.insert(QStringLiteral("error"), status.error().message);
                if (!status.error().reason.isEmpty()) {
                    end.insert(QStringLiteral("code"), status.error().reason);
                }
            }
            return end;
        });
}

} // namespace

void registerModelRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/models"), [&ctx](const ApiRequest &req) {
        if (req.queryFlag(QStringLiteral("refresh"))) {
            ctx.models.refresh();
        }
        return ApiResponse::json(catalogJson(ctx.models, ctx.connections));
    });

    // A model that declares its memory is checked against what the host would have free first (it reads the host):
    // the dry run carries the figures, a swap that does not fit is refused (409 does_not_fit) unless `force`.
    router.addAsync("POST", QStringLiteral("/api/dgx/models/swap"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("host"), QStringLiteral("model"),
                                                QStringLiteral("confirm"), QStringLiteral("force"),
                                                QStringLiteral("stop_unit"), QStringLiteral("dry_run")})) {
            return ready(*bad);
        }
        const QJsonValue host = req.json.value(QStringLiteral("host"));
        const QJsonValue model = req.json.value(QStringLiteral("model"));
        const QJsonValue confirm = req.json.value(QStringLiteral("confirm"));
        const QJsonValue force = req.json.value(QStringLiteral("force"));
        if (!host.isString() || host.toString().isEmpty()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'host' (a connection name) is required"),
                                            QStringLiteral("host")));
        }
        if (!model.isString() || model.toString().isEmpty()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'model' (a model id) is required"),
                                            QStringLiteral("model")));
        }
        for (const QString &name : {QStringLiteral("confirm"), QStringLiteral("force"), QStringLiteral("stop_unit")}) {
            const QJsonValue value = req.json.value(name);
            if (!value.isUndefined() && !value.isBool()) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'%1' must be true or false").arg(name), name));
            }
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ready(ApiResponse::fromError(dryRun.error()));
        }
        const SwapRequest request{host.toString(), model.toString(), confirm.toBool(false), force.toBool(false),
                                  req.json.value(QStringLiteral("stop_unit")).toBool(false)};
        auto start = [&ctx](const SwapRequest &r) {
            const auto report = ctx.models.startSwap(r);
            if (!report.ok()) {
                return ApiResponse::fromError(report.error());
            }
            ApiResponse answer = ApiResponse::json(report->toJson(), 202);
            answer.headers.append({QByteArrayLiteral("Location"), "/api/dgx/models/swap/" + report->id.toUtf8()});
            return answer;
        };
        const bool plan = dryRun.value(); // `confirm` is not needed to ask what would happen
        if (!plan && (!request.confirm || request.force)) {
            return ready(start(request));
        }
        return ctx.models.checkFit(request).then(req.context, [&ctx, request, plan,
                                                               start](const std::optional<FitReport> &fit) {
            if (plan) {
                auto p = planner(ctx).swap(request);
                if (p.ok() && fit) {
                    ModelService::addFit(p.value(), request, *fit);
                }
                return planResponse(p);
            }
            if (fit && fit->known && !fit->fits) {
                return ApiResponse::fromError(FitCheck::refusal(fit->host.isEmpty() ? request.host : fit->host, *fit));
            }
            return start(request);
        });
    });

    router.add("GET", QStringLiteral("/api/dgx/models/swaps"), [&ctx](const ApiRequest &) {
        QJsonArray out;
        for (const SwapReport &r : ctx.models.swaps()) {
            out.append(r.toJson());
        }
        return ApiResponse::json(out);
    });

    // `?wait=S`: answers once the swap has finished (at once if it has), or when S seconds have passed (a swap.finished
    // event ends the wait: nothing polls).
    router.addAsync("GET", QStringLiteral("/api/dgx/models/swap/:id"), [&ctx](const ApiRequest &req) {
        const QString swapId = req.param(QStringLiteral("id"));
        const auto waitMs = waitQuery(req);
        if (!waitMs.ok()) {
            return ready(ApiResponse::fromError(waitMs.error()));
        }
        auto answer = [&ctx, swapId] {
            const auto report = ctx.models.swap(swapId);
            return report.ok() ? ApiResponse::json(report->toJson()) : ApiResponse::fromError(report.error());
        };
        if (waitMs.value() == 0) {
            return ready(answer());
        }
        auto *wait = new EventWait(
            ctx.events,
            [swapId](const Event &e) {
                return e.type == QLatin1String("swap.finished") &&
                       e.data.value(QStringLiteral("id")).toString() == swapId;
            },
            waitMs.value(), req.context);
        const auto report = ctx.models.swap(swapId);
        if (!report.ok() || report->finished()) {
            wait->cancel();
            return ready(report.ok() ? ApiResponse::json(report->toJson()) : ApiResponse::fromError(report.error()));
        }
        return wait->future().then(req.context, [answer](bool) { return answer(); });
    });

    router.add("POST", QStringLiteral("/api/dgx/models/swap/:id/cancel"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("dry_run")})) {
            return *bad;
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).cancelSwap(req.param(QStringLiteral("id"))));
        }
        const auto report = ctx.models.cancelSwap(req.param(QStringLiteral("id")));
        return report.ok() ? ApiResponse::json(report->toJson(), 202) : ApiResponse::fromError(report.error());
    });

    router.add("GET", QStringLiteral("/api/dgx/services"), [&ctx](const ApiRequest &req) {
        if (req.queryFlag(QStringLiteral("refresh"))) {
            ctx.models.refresh();
        }
        QJsonArray out;
        for (const ServiceHealth &s : ctx.models.services()) {
            out.append(s.toJson());
        }
        return ApiResponse::json(out);
    });

    // `?model=ID&host=NAME&tail=N`: the last N lines of the model's log; with follow=true an event stream (models.yaml
    // logs_follow). The model is a query parameter, not a path segment: model ids contain '/'.
    router.addStream("GET", QStringLiteral("/api/dgx/models/logs"),
                     [&ctx](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
                         const QString model = req.queryValue(QStringLiteral("model"));
                         const QString host = req.queryValue(QStringLiteral("host"));
                         bool ok = true;
                         const QString tailText = req.queryValue(QStringLiteral("tail"));
                         const int lines = tailText.isEmpty() ? 100 : tailText.toInt(&ok);
                         if (!ok || lines < 0 || lines > 10000) {
                             stream->respond(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                                QStringLiteral("'tail' must be between 0 and 10000"),
                                                                QStringLiteral("tail")));
                             return;
                         }
                         if (req.queryFlag(QStringLiteral("follow"))) {
                             followModelLog(ctx, model, host, lines, stream);
                             return;
                         }
                         ctx.modelLogs.tail(model, host, lines).then([stream, model](const Result<QStringList> &r) {
                             stream->respond(r.ok() ? ApiResponse::json(QJsonObject{
                                                          {QStringLiteral("model"), model},
                                                          {QStringLiteral("lines"), QJsonArray::fromStringList(*r)}})
                                                    : ApiResponse::fromError(r.error()));
                         });
                     });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/models"), {QStringLiteral("refresh")});
    router.setQueryParams(
        "GET", QStringLiteral("/api/dgx/models/logs"),
        {QStringLiteral("model"), QStringLiteral("host"), QStringLiteral("tail"), QStringLiteral("follow")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/services"), {QStringLiteral("refresh")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/models/swap/:id"), {QStringLiteral("wait")});
}

} // namespace gpudeck
