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
    case ErrorCode::Unavailable:
        return {503, "unavailable"};
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
    return error(m.status, QString::fromLatin1(m.code), e.message, e.field);
}

} // namespace gpudeck
