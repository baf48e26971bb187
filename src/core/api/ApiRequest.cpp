#include "api/ApiRequest.h"


namespace gpudeck {

bool ApiRequest::queryFlag(const QString &name) const
{
    const QString v = queryValue(name).toLower();
    return v == QStringLiteral("true") || v == QStringLiteral("1") || v == QStringLiteral("yes");
}

Result<qint64> ApiRequest::idParam(const QString &name, const QString &what) const
{
    bool ok = false;
    const qint64 id = param(name).toLongLong(&ok);
    if (!ok || id <= 0) {
        return Error::notFound(QStringLiteral("no %1 with id '%2'").arg(what, param(name)));
    }
    return id;
}

} // namespace gpudeck
