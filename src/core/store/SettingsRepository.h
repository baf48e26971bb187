#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QString>

namespace gpudeck {

class Database;

// A small key/value table for settings the API and the GUI both change (monitoring interval, thresholds).
class SettingsRepository
{
public:
    explicit SettingsRepository(Database &db);
    QJsonObject value(const QString &key);
    Status setValue(const QString &key, const QJsonObject &value);

private:
    Database &m_db;
};

} // namespace gpudeck
