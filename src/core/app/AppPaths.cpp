#include "app/AppPaths.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace gpudeck {

AppPaths::AppPaths(const QString &dataDirOverride)
{
    if (!dataDirOverride.isEmpty()) {
        m_dataDir = QDir(dataDirOverride).absolutePath();
        m_configDir = m_dataDir;
    } else {
        m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        m_configDir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    }
}

QString AppPaths::databasePath() const
{
    return m_dataDir + QStringLiteral("/gpudeck.sqlite3");
}

QString AppPaths::tokenPath() const
{
    return m_configDir + QStringLiteral("/api-token");
}

bool AppPaths::ensureExists(QString *error) const
{
    for (const QString &dir : {m_dataDir, m_configDir}) {
        const bool existed = QDir(dir).exists();
        if (!QDir().mkpath(dir)) {
            if (error) {
                *error = QStringLiteral("cannot create directory %1").arg(dir);
            }
            return false;
        }
        // Only a directory GPU Deck created is made private: `--data-dir /tmp` must never lock /tmp.
        if (!existed) {
            QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
    }
    return true;
}

} // namespace gpudeck
