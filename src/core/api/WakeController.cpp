#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "wol/WakeService.h"

namespace gpudeck {
namespace {

const QStringList kWakeFields{QStringLiteral("wait"), QStringLiteral("timeout_s"), QStringLiteral("connect")};

QJsonObject errorJson(const Error &error)
{
    const ApiResponse r = ApiResponse::fromError(error);
    QJsonObject e = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toObject();
    e.insert(QStringLiteral("status"), r.status);
    return e;
}

} // namespace

void registerWakeRoutes(Router &router, ApiContext &ctx)
{
    // Wake-on-LAN, and (by default) wait until the host answers on its SSH port: the answer comes when it is awake,
    // when timeout_s has passed, or when the wake is cancelled; never holds up the API thread meanwhile.
    router.addAsync("POST", QStringLiteral("/api/dgx/wake/:id"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, kWakeFields)) {
            return ready(*bad);
        }
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ready(ApiResponse::fromError(c.error()));
        }
        const auto options = WakeService::optionsFromJson(req.json);
        if (!options.ok()) {
            return ready(ApiResponse::fromError(options.error()));
        }
        return ctx.wake.wake(c.value(), options.value()).then([](const Result<WakeOutcome> &outcome) {
            return outcome.ok() ? ApiResponse::json(outcome->toJson()) : ApiResponse::fromError(outcome.error());
        });
    });

    // Wake all: every watched host with a MAC address whose link is not up, at once.
    router.addAsync("POST", QStringLiteral("/api/dgx/wake"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, kWakeFields)) {
            return ready(*bad);
        }
        const auto options = WakeService::optionsFromJson(req.json);
        if (!options.ok()) {
            return ready(ApiResponse::fromError(options.error()));
        }
        return ctx.wake.wakeAll(options.value()).then([](const QList<QPair<Connection, Result<WakeOutcome>>> &all) {
            QJsonArray hosts;
            QJsonArray errors;
            for (const auto &[c, outcome] : all) {
                if (outcome.ok()) {
                    hosts.append(outcome->toJson());
                } else {
                    errors.append(QJsonObject{{QStringLiteral("connection_id"), c.id},
                                              {QStringLiteral("name"), c.name},
                                              {QStringLiteral("error"), errorJson(outcome.error())}});
                }
            }
            return ApiResponse::json(QJsonObject{{QStringLiteral("hosts"), hosts}, {QStringLiteral("errors"), errors}});
        });
    });

    router.add("GET", QStringLiteral("/api/dgx/wake"), [&ctx](const ApiRequest &) {
        QJsonArray out;
        for (const WakeProgress &p : ctx.wake.inProgress()) {
            out.append(p.toJson());
        }
        return ApiResponse::json(out);
    });

    // Stops waiting: the waiting POST answers "cancelled". Packets already sent stay sent.
    router.add("POST", QStringLiteral("/api/dgx/wake/:id/cancel"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {})) {
            return *bad;
        }
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        const auto progress = ctx.wake.progress(c->id);
        if (!progress || !ctx.wake.cancel(c->id)) {
            return ApiResponse::fromError(Error::make(ErrorCode::NotFound, QStringLiteral("no_wake"),
                                                      QStringLiteral("no wake of '%1' is in progress").arg(c->name)));
        }
        return ApiResponse::json(progress->toJson());
    });
}

} // namespace gpudeck
