#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "metrics/MetricsService.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

ApiResponse invalid(const QString &field, const QString &message)
{
    return ApiResponse::error(400, QStringLiteral("validation_failed"), message, field);
}

} // namespace

void registerMetricsRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/api/dgx/metrics/:id"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        HostMetrics m = ctx.metrics.snapshot(c->id);
        m.connectionId = c->id;
        m.name = c->name;
        return ApiResponse::json(m.toJson());
    });

    router.add("GET", QStringLiteral("/api/dgx/metrics/:id/history"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        HistoryQuery q;
        q.connectionId = c->id;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        q.toMs = now;
        const QString fromText = req.queryValue(QStringLiteral("from"));
        const QString toText = req.queryValue(QStringLiteral("to"));
        const QString hoursText = req.queryValue(QStringLiteral("hours"));
        if (!toText.isEmpty()) {
            const QDateTime to = parseIsoUtc(toText);
            if (!to.isValid()) {
                return invalid(QStringLiteral("to"), QStringLiteral("'to' must be an ISO 8601 time"));
            }
            q.toMs = to.toMSecsSinceEpoch();
        }
        if (!fromText.isEmpty()) {
            const QDateTime from = parseIsoUtc(fromText);
            if (!from.isValid()) {
                return invalid(QStringLiteral("from"), QStringLiteral("'from' must be an ISO 8601 time"));
            }
            q.fromMs = from.toMSecsSinceEpoch();
        } else {
            bool ok = true;
            const double hours = hoursText.isEmpty() ? 1.0 : hoursText.toDouble(&ok);
            if (!ok || hours <= 0 || hours > 24 * 366) {
                return invalid(QStringLiteral("hours"),
                               QStringLiteral("'hours' must be a number of hours between 0 and 8784"));
            }
            q.fromMs = q.toMs - static_cast<qint64>(hours * 3600.0 * 1000.0);
        }
        if (q.fromMs >= q.toMs) {
            return invalid(QStringLiteral("from"), QStringLiteral("'from' must be before 'to'"));
        }
        const QString gpuText = req.queryValue(QStringLiteral("gpu"));
        if (!gpuText.isEmpty()) {
            bool ok = false;
            q.gpu = gpuText.toInt(&ok);
            if (!ok || q.gpu < 0) {
                return invalid(QStringLiteral("gpu"), QStringLiteral("'gpu' must be a GPU index (0, 1, ...)"));
            }
        }
        const QString pointsText = req.queryValue(QStringLiteral("max_points"));
        if (!pointsText.isEmpty()) {
            bool ok = false;
            q.maxPoints = pointsText.toInt(&ok);
            if (!ok || q.maxPoints < 2 || q.maxPoints > 10000) {
                return invalid(QStringLiteral("max_points"),
                               QStringLiteral("'max_points' must be between 2 and 10000"));
            }
        }
        const auto history = ctx.metrics.history(q);
        if (!history.ok()) {
            return ApiResponse::fromError(history.error());
        }
        // Straight to bytes (the same document as toJson's): no QJsonObject per point.
        return ApiResponse{
            200, history->toJsonBytes(c->id, q.fromMs, q.toMs), QByteArrayLiteral("application/json"), {}};
    });

    router.add("GET", QStringLiteral("/api/dgx/alerts"), [&ctx](const ApiRequest &req) {
        const auto connectionId = connectionFilter(ctx.connections, req);
        if (!connectionId.ok()) {
            return ApiResponse::fromError(connectionId.error());
        }
        const auto limit = intQuery(req, QStringLiteral("limit"), 200, 1, 10000);
        if (!limit.ok()) {
            return ApiResponse::fromError(limit.error());
        }
        return ApiResponse::json(
            ctx.metrics.alertsJson(req.queryFlag(QStringLiteral("active")), connectionId.value(), limit.value()));
    });

    router.add("GET", QStringLiteral("/api/config/monitoring"),
               [&ctx](const ApiRequest &) { return ApiResponse::json(ctx.metrics.settings().toJson()); });

    router.add("PUT", QStringLiteral("/api/config/monitoring"), [&ctx](const ApiRequest &req) {
        MonitoringSettings s = ctx.metrics.settings();
        QString error;
        if (!MonitoringSettings::fromJson(req.json, s, &error)) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"), error);
        }
        if (Status st = ctx.metrics.setSettings(s); !st.ok()) {
            return ApiResponse::fromError(st.error());
        }
        return ApiResponse::json(s.toJson());
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/metrics/:id/history"),
                          {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("hours"), QStringLiteral("gpu"),
                           QStringLiteral("max_points")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/alerts"),
                          {QStringLiteral("connection_id"), QStringLiteral("limit"), QStringLiteral("active")});
}

} // namespace gpudeck
