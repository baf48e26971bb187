#include "store/SettingsRepository.h"

#include "store/Database.h"
#include "store/JsonColumn.h"
#include "store/SqlValues.h"

namespace gpudeck {

SettingsRepository::SettingsRepository(Database &db)
    : m_db(db)
{
}

QJsonObject SettingsRepository::value(const QString &key)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    QJsonObject out;
    if (q.exec() && q.next()) {
        out = jsonColumn(q.value(0));
    }
    q.finish();
    return out;
}

Status SettingsRepository::setValue(const QString &key, const QJsonObject &value)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"));
    q.addBindValue(key);
    q.addBindValue(jsonText(value));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot save setting %1: %2").arg(key, sqlError(q)));
    }
    q.finish();
    return {};
}

} // namespace gpudeck
