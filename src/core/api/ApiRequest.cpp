#include "api/ApiRequest.h"

#include "base/Ids.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <algorithm>

namespace gpudeck {

bool ApiRequest::queryFlag(const QString &name) const
{
    const QString v = queryValue(name).toLower();
    return v == QStringLiteral("true") || v == QStringLiteral("1") || v == QStringLiteral("yes");
}

QByteArray ApiRequest::header(const char *name) const
{
    for (const auto &h : headers) {
        if (qstricmp(h.first.constData(), name) == 0) {
            return h.second;
        }
    }
    return {};
}

Result<qint64> ApiRequest::idParam(const QString &name, const QString &what) const
{
    const Result<qint64> id = parseId(param(name), name);
    if (!id.ok()) {
        return Error::notFound(QStringLiteral("no %1 with id '%2'").arg(what, param(name)));
    }
    return id.value();
}

int ApiRequest::jsonDepth(QByteArrayView json, int stopAfter)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            deepest = std::max(deepest, ++depth);
            if (deepest > stopAfter) {
                return deepest;
            }
            break;
        case ']':
        case '}':
            --depth;
            break;
        default:
            break;
        }
    }
    return deepest;
}

bool ApiRequest::isJson(const QByteArray &body)
{
    QJsonParseError parseError;
    QJsonDocument::fromJson(body, &parseError);
    return parseError.error == QJsonParseError::NoError;
}

Result<QJsonObject> ApiRequest::parseJsonObject(const QByteArray &body)
{
    if (jsonDepth(body) > kMaxJsonDepth) {
        return Error::make(
            ErrorCode::Validation, QStringLiteral("malformed_json"),
            QStringLiteral("the body nests arrays and objects deeper than %1 levels").arg(kMaxJsonDepth));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error::make(ErrorCode::Validation, QStringLiteral("malformed_json"),
                           QStringLiteral("the body is not valid JSON (offset %1: %2)")
                               .arg(parseError.offset)
                               .arg(parseError.errorString()));
    }
    if (!doc.isObject()) {
        return Error::make(ErrorCode::Validation, QStringLiteral("malformed_json"),
                           QStringLiteral("the body must be a JSON object"));
    }
    return doc.object();
}

} // namespace gpudeck
