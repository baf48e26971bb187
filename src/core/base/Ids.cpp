#include "base/Ids.h"

#include <cmath>

namespace gpudeck {
namespace {

// JSON numbers are doubles: ids beyond 2^53 cannot be told apart, so they are refused rather than rounded.
constexpr double kMaxJsonId = 9007199254740992.0;

Error badId(const QString &field, const QString &got)
{
    return Error::validation(field, QStringLiteral("'%1' must be a positive integer id, as a number (3) or a numeric "
                                                   "string (\"3\"); got %2")
                                        .arg(field, got));
}

} // namespace

bool looksNumeric(const QString &text)
{
    const QString t = text.trimmed();
    qsizetype i = (t.startsWith(QLatin1Char('-')) || t.startsWith(QLatin1Char('+'))) ? 1 : 0;
    if (i >= t.size()) {
        return false;
    }
    for (; i < t.size(); ++i) {
        if (!t.at(i).isDigit() || t.at(i).unicode() > 127) {
            return false;
        }
    }
    return true;
}

Result<qint64> parseId(const QString &text, const QString &field)
{
    const QString t = text.trimmed();
    const QString shown =
        QLatin1Char('\'') + (t.size() > 40 ? t.left(40) + QStringLiteral("...") : t) + QLatin1Char('\'');
    if (!looksNumeric(t)) {
        return badId(field, shown);
    }
    bool ok = false;
    const qint64 id = t.toLongLong(&ok);
    if (!ok) {
        return badId(field, shown + QStringLiteral(" (too large)"));
    }
    if (id <= 0) {
        return badId(field, shown);
    }
    return id;
}

Result<qint64> parseId(const QJsonValue &value, const QString &field)
{
    switch (value.type()) {
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isnan(d) || d != std::floor(d) || std::fabs(d) > kMaxJsonId) {
            return badId(field, QString::number(d, 'g', 17));
        }
        if (d <= 0) {
            return badId(field, QString::number(static_cast<qint64>(d)));
        }
        return static_cast<qint64>(d);
    }
    case QJsonValue::String:
        return parseId(value.toString(), field);
    case QJsonValue::Null:
        return badId(field, QStringLiteral("null"));
    case QJsonValue::Bool:
        return badId(field, value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    case QJsonValue::Array:
        return badId(field, QStringLiteral("an array"));
    case QJsonValue::Object:
        return badId(field, QStringLiteral("an object"));
    case QJsonValue::Undefined:
        break;
    }
    return badId(field, QStringLiteral("nothing"));
}

} // namespace gpudeck
