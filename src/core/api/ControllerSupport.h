#pragma once

#include "api/ApiRequest.h"
#include "api/ApiResponse.h"
#include "store/ConnectionRepository.h"

#include <QFuture>
#include <QJsonArray>
#include <optional>

namespace gpudeck {

// What several controllers ask of a request or answer the same way; one place for each.

// `?connection_id=` as an id or a name; 0 when absent, NotFound when it names no connection.
inline Result<qint64> connectionFilter(ConnectionRepository &connections, const ApiRequest &req)
{
    const QString filter = req.queryValue(QStringLiteral("connection_id"));
    if (filter.isEmpty()) {
        return qint64(0);
    }
    const auto c = connections.find(filter);
    if (!c.ok()) {
        return c.error();
    }
    return c->id;
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

} // namespace gpudeck
