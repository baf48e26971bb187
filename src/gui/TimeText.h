#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace gpudeck {

// Times are stored in UTC; people read them in their own time zone. Null times read as empty.
inline QString localTimeText(const QDateTime &utc)
{
    return utc.isValid() ? QLocale().toString(utc.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

} // namespace gpudeck
