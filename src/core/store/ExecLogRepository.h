#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gpudeck {

class Database;

// One command run (or refused) on a host: who asked, what, and how it ended.
struct ExecLogEntry
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString connectionName;
    QString caller; // "api" or "gui"
    QString command;
    QString outcome; // ok, failed (non-zero exit), timeout, refused (guard), error (could not run)
    int exitCode = -1;
    bool hasExitCode = false;
    qint64 durationMs = 0;
    bool forced = false;
    QDateTime createdAt;

    QJsonObject toJson() const;
};

// The exec_log table: append-only audit of remote commands.
class ExecLogRepository
{
public:
    explicit ExecLogRepository(Database &db);

    Status record(ExecLogEntry entry);
    // Newest first; `connectionId` > 0 filters; at most `limit` entries.
    Result<QList<ExecLogEntry>> list(qint64 connectionId = 0, int limit = 100);
    // list() as the API answers it (ExecLogEntry::toJson()), written straight from the rows (store/RowJson.h).
    Result<QByteArray> listJson(qint64 connectionId = 0, int limit = 100);

private:
    Database &m_db;
};

} // namespace gpudeck
