#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QVariant>

namespace gpudeck {

// JSON objects (config, metrics) are stored as compact JSON text.
inline QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

inline QJsonObject jsonColumn(const QVariant &value)
{
    return QJsonDocument::fromJson(value.toString().toUtf8()).object();
}

} // namespace gpudeck
