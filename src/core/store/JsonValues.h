#pragma once

#include "store/Entities.h"

#include <QJsonArray>
#include <QJsonValue>

namespace gpudeck {

// How the API writes optional values: an empty text or an invalid time is null, a list of values is an array of
// their toJson().
inline QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

inline QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue();
}

template<typename T>
QJsonArray toJsonArray(const QList<T> &items)
{
    QJsonArray out;
    for (const T &item : items) {
        out.append(item.toJson());
    }
    return out;
}

} // namespace gpudeck
