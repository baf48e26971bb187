#pragma once

#include "api/ApiContext.h"
#include "api/ApiRequest.h"
#include "api/ApiResponse.h"
#include "base/Ids.h"
#include "plans/ActionPlanner.h"
#include "store/ConnectionRepository.h"

#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <optional>

namespace gpudeck {

// What several controllers ask of a request or answer the same way; one place for each.

// A connection referred to by id (3 or "3") or by its unique name ("spark-1"), as a body field or query parameter
// named `field`. A number that is not a valid id (0, -2, 1.5) is a Validation error on `field`; an id or name
// that matches no connection is the repository's NotFound.
inline Result<Connection> connectionRef(ConnectionRepository &connections, const QJsonValue &value,
                                        const QString &field)
{
    if (value.isString() && !looksNumeric(value.toString())) {
        return connections.find(value.toString());
    }
    if (!value.isString() && !value.isDouble()) {
        return Error::validation(field, QStringLiteral("'%1' must be a connection id or name").arg(field));
    }
    const auto id = parseId(value, field);
    if (!id.ok()) {
        return id.error();
    }
    return connections.get(id.value());
}

// `?connection_id=` as an id or a name; 0 when absent, NotFound when it names no connection.
inline Result<qint64> connectionFilter(ConnectionRepository &connections, const ApiRequest &req)
{
    const QString filter = req.queryValue(QStringLiteral("connection_id"));
    if (filter.isEmpty()) {
        return qint64(0);
    }
    const auto c = connectionRef(connections, filter, QStringLiteral("connection_id"));
    if (!c.ok()) {
        return c.error();
    }
    return c->id;
}

// An id query parameter (`?project_id=3`): 0 when absent, else a positive integer or a Validation error.
inline Result<qint64> idQuery(const ApiRequest &req, const QString &name)
{
    const QString text = req.queryValue(name);
    if (text.isEmpty()) {
        return qint64(0);
    }
    return parseId(text, name);
}

// An integer query parameter within [min, max]; `fallback` when absent.
inline Result<int> intQuery(const ApiRequest &req, const QString &name, int fallback, int min, int max)
{
    const QString text = req.queryValue(name);
    if (text.isEmpty()) {
        return fallback;
    }
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max) {
        return Error::validation(name, QStringLiteral("'%1' must be between %2 and %3").arg(name).arg(min).arg(max));
    }
    return value;
}

// A filter that takes one or more values from a fixed set, comma-separated (`?status=running,pending`): the
// values (empty when the parameter is absent), or a Validation error naming the allowed ones.
inline Result<QStringList> listQuery(const ApiRequest &req, const QString &name, const QStringList &allowed)
{
    if (!req.query.hasQueryItem(name)) {
        return QStringList();
    }
    QStringList values;
    for (const QString &item : req.queryValue(name).split(QLatin1Char(','))) {
        const QString v = item.trimmed();
        if (!allowed.contains(v)) {
            return Error::validation(name, QStringLiteral("'%1' must be one of %2, or several of them separated by "
                                                          "commas (got '%3')")
                                               .arg(name, allowed.join(QStringLiteral(", ")), v));
        }
        if (!values.contains(v)) {
            values << v;
        }
    }
    return values;
}

// `?wait=S`: how long a GET may wait for its object to reach a final state, in milliseconds (0: answer at once).
// Seconds, 0 to 600, fractions allowed.
inline Result<int> waitQuery(const ApiRequest &req)
{
    const QString text = req.queryValue(QStringLiteral("wait"));
    if (text.isEmpty()) {
        return 0;
    }
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || !(seconds >= 0 && seconds <= 600)) {
        return Error::validation(QStringLiteral("wait"),
                                 QStringLiteral("'wait' must be a number of seconds between 0 and 600"));
    }
    return int(seconds * 1000);
}

// Only the named fields may appear in the body: 400 validation_failed naming the first other one.
inline std::optional<ApiResponse> rejectUnknown(const QJsonObject &json, const QStringList &allowed)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!allowed.contains(it.key())) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                      QStringLiteral("unknown field '%1'").arg(it.key()), it.key());
        }
    }
    return std::nullopt;
}

// An answer known at once, from a route that otherwise answers later.
inline QFuture<ApiResponse> ready(ApiResponse response)
{
    return QtFuture::makeReadyFuture(std::move(response));
}

// A list answer: each item's toJson(), or the error.
template<typename T>
ApiResponse listResponse(const Result<QList<T>> &items)
{
    if (!items.ok()) {
        return ApiResponse::fromError(items.error());
    }
    QJsonArray out;
    for (const T &item : items.value()) {
        out.append(item.toJson());
    }
    return ApiResponse::json(out);
}

// Dry runs (docs/api.md "Dry runs", decision in docs/decisions.md).

// `"dry_run"` in a POST body: absent is false; anything but a boolean is a Validation error.
inline Result<bool> dryRunField(const QJsonObject &json)
{
    const QJsonValue v = json.value(QStringLiteral("dry_run"));
    if (v.isUndefined()) {
        return false;
    }
    if (!v.isBool()) {
        return Error::validation(QStringLiteral("dry_run"), QStringLiteral("'dry_run' must be true or false"));
    }
    return v.toBool();
}

// `?dry_run` on a DELETE: true/1/yes (or no value) plan, false/0/no or absent act. Anything else is refused rather
// than read as false, so a typo can never turn a dry run into the real delete.
inline Result<bool> dryRunQuery(const ApiRequest &req)
{
    const QString name = QStringLiteral("dry_run");
    if (!req.query.hasQueryItem(name)) {
        return false;
    }
    const QString v = req.queryValue(name).toLower();
    if (v.isEmpty() || v == QStringLiteral("true") || v == QStringLiteral("1") || v == QStringLiteral("yes")) {
        return true;
    }
    if (v == QStringLiteral("false") || v == QStringLiteral("0") || v == QStringLiteral("no")) {
        return false;
    }
    return Error::validation(name, QStringLiteral("'dry_run' must be true or false"));
}

inline ActionPlanner planner(ApiContext &ctx)
{
    return ActionPlanner(ctx.connections, ctx.projects, ctx.jobs, ctx.ssh, ctx.jobRunner, ctx.models);
}

// The plan as the API answers it (200): {"dry_run": true, "action", "target", "effects", "would_refuse"}, where
// would_refuse is null or the very error object the real call would answer, plus its HTTP "status".
inline ApiResponse planResponse(const Result<ActionPlan> &plan)
{
    if (!plan.ok()) {
        return ApiResponse::fromError(plan.error());
    }
    QJsonValue refusal;
    if (plan->wouldRefuse) {
        const ApiResponse real = ApiResponse::fromError(*plan->wouldRefuse);
        QJsonObject error = QJsonDocument::fromJson(real.body).object().value(QStringLiteral("error")).toObject();
        error.insert(QStringLiteral("status"), real.status);
        refusal = error;
    }
    return ApiResponse::json(QJsonObject{{QStringLiteral("dry_run"), true},
                                         {QStringLiteral("action"), plan->action},
                                         {QStringLiteral("target"), plan->target},
                                         {QStringLiteral("effects"), QJsonArray::fromStringList(plan->effects)},
                                         {QStringLiteral("would_refuse"), refusal}});
}

} // namespace gpudeck
