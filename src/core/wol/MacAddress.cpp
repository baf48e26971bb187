#include "wol/MacAddress.h"

#include <QRegularExpression>

namespace gpudeck {

std::optional<QByteArray> MacAddress::parse(const QString &text)
{
    static const QRegularExpression colons(QStringLiteral("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"));
    static const QRegularExpression dashes(QStringLiteral("^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$"));
    static const QRegularExpression dotted(QStringLiteral("^[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){2}$"));
    static const QRegularExpression bare(QStringLiteral("^[0-9A-Fa-f]{12}$"));
    const QString t = text.trimmed();
    if (!colons.match(t).hasMatch() && !dashes.match(t).hasMatch() && !dotted.match(t).hasMatch() &&
        !bare.match(t).hasMatch()) {
        return std::nullopt;
    }
    QString hex = t;
    hex.remove(QLatin1Char(':')).remove(QLatin1Char('-')).remove(QLatin1Char('.'));
    return QByteArray::fromHex(hex.toLatin1());
}

QString MacAddress::format(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(':'));
}

QString MacAddress::canonical(const QString &text)
{
    const auto bytes = parse(text);
    return bytes ? format(*bytes) : text.trimmed();
}

QString MacAddress::notationsHint()
{
    return QStringLiteral("6 bytes in hex, as 00:11:22:33:44:55, 00-11-22-33-44-55, 0011.2233.4455 or 001122334455");
}

} // namespace gpudeck
