#include "api/ApiResponse.h"

#include <QJsonDocument>

namespace gpudeck {
namespace {

struct Mapping
{
    int status;
    const char *code;
};

// The one place where core errors become HTTP statuses.
Mapping mappingFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound:
        return {404, "not_found"};
    case ErrorCode::Validation:
        return {400, "validation_failed"};
    case ErrorCode::Conflict:
        return {409, "conflict"};
    case ErrorCode::Forbidden:
        return {403, "forbidden"};
    case ErrorCode::Unavailable:
        return {503, "unavailable"};
    case ErrorCode::Upstream:
        return {502, "upstream_failed"};
    case ErrorCode::Timeout:
        return {504, "timeout"};
    case ErrorCode::Cancelled:
        return {409, "cancelled"};
    case ErrorCode::Internal:
        break;
    }
    return {500, "internal_error"};
}

} // namespace

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    return {status, QJsonDocument(object).toJson(QJsonDocument::Compact), QByteArrayLiteral("application/json"), {}};
}

ApiResponse ApiResponse::json(const QJsonArray &array, int status)
{
    return {status, QJsonDocument(array).toJson(QJsonDocument::Compact), QByteArrayLiteral("application/json"), {}};
}

ApiResponse ApiResponse::json(const Result<QByteArray> &json, int status)
{
    if (!json.ok()) {
        return fromError(json.error());
    }
    return {status, json.value(), QByteArrayLiteral("application/json"), {}};
}

ApiResponse ApiResponse::noContent()
{
    return {204, {}, {}, {}};
}

ApiResponse ApiResponse::error(int status, const QString &code, const QString &message, const QString &field)
{
    QJsonObject inner{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!field.isEmpty()) {
        inner.insert(QStringLiteral("field"), field);
    }
    return json(QJsonObject{{QStringLiteral("error"), inner}}, status);
}

ApiResponse ApiResponse::fromError(const Error &e)
{
    const Mapping m = mappingFor(e.code);
    ApiResponse r = error(m.status, e.reason.isEmpty() ? QString::fromLatin1(m.code) : e.reason, e.message, e.field);
    if (!e.details.isEmpty()) {
        QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QJsonObject inner = body.value(QStringLiteral("error")).toObject();
        for (auto it = e.details.begin(); it != e.details.end(); ++it) {
            inner.insert(it.key(), it.value());
        }
        body.insert(QStringLiteral("error"), inner);
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    return r;
}

} // namespace gpudeck
