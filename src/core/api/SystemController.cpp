#include "api/ApiContext.h"
#include "api/ApiDescription.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "logging/Logging.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonObject logLevelJson()
{
    QJsonObject categories;
    for (const QString &c : LogLevel::categories()) {
        categories.insert(c, LogLevel::levelOf(c));
    }
    return {{QStringLiteral("level"), LogLevel::level()},
            {QStringLiteral("categories"), categories},
            {QStringLiteral("levels"), QJsonArray::fromStringList(LogLevel::levels())}};
}

} // namespace

void registerSystemRoutes(Router &router, ApiContext &ctx)
{
    const QString instanceId = ctx.instanceId;
    router.add("GET", QStringLiteral("/api/health"), [instanceId](const ApiRequest &) {
        return ApiResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                             {QStringLiteral("version"), QStringLiteral(GPUDECK_VERSION)},
                                             {QStringLiteral("instance_id"), instanceId}});
    });

    // The API description (docs/openapi.yaml, compiled in), as JSON.
    router.add("GET", QStringLiteral("/api/openapi.json"), [](const ApiRequest &) {
        const ApiDescription &description = ApiDescription::builtIn();
        if (!description.isValid()) {
            return ApiResponse::error(500, QStringLiteral("internal_error"),
                                      QStringLiteral("this build has no readable API description"));
        }
        ApiResponse r;
        r.body = description.json();
        return r;
    });

    router.add("GET", QStringLiteral("/api/config/log-level"),
               [](const ApiRequest &) { return ApiResponse::json(logLevelJson()); });

    router.add("POST", QStringLiteral("/api/config/log-level"), [](const ApiRequest &req) {
        for (auto it = req.json.begin(); it != req.json.end(); ++it) {
            if (it.key() != QStringLiteral("level") && it.key() != QStringLiteral("category")) {
                return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                          QStringLiteral("unknown field '%1'").arg(it.key()), it.key());
            }
        }
        const QString level = req.json.value(QStringLiteral("level")).toString().toLower();
        const QString category = req.json.value(QStringLiteral("category")).toString();
        if (!LogLevel::isValidLevel(level)) {
            return ApiResponse::error(
                400, QStringLiteral("validation_failed"),
                QStringLiteral("'level' must be one of: %1").arg(LogLevel::levels().join(QStringLiteral(", "))),
                QStringLiteral("level"));
        }
        if (!category.isEmpty() && !LogLevel::categories().contains(category)) {
            return ApiResponse::error(
                400, QStringLiteral("validation_failed"),
                QStringLiteral("'category' must be one of: %1").arg(LogLevel::categories().join(QStringLiteral(", "))),
                QStringLiteral("category"));
        }
        LogLevel::set(level, category);
        qCInfo(lcApp) << "log level set to" << level << (category.isEmpty() ? QStringLiteral("(all)") : category);
        return ApiResponse::json(logLevelJson());
    });
}

} // namespace gpudeck
