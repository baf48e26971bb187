#pragma once

#include "store/Entities.h"

#include <QVariant>

namespace gpudeck {

// How values are bound: optional text and times become SQL NULL when empty; required text is never NULL
// (a null QString would bind as NULL and break NOT NULL columns).
inline QVariant sqlText(const QString &s)
{
    return QVariant(s.isNull() ? QString(QLatin1String("")) : s);
}

inline QVariant sqlNullableText(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

inline QVariant sqlNullableTime(const QDateTime &t)
{
    return t.isValid() ? QVariant(isoUtc(t)) : QVariant();
}

} // namespace gpudeck
