#include "store/ExecLogRepository.h"

#include "store/Database.h"
#include "store/Entities.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"

namespace gpudeck {

QJsonObject ExecLogEntry::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("connection_id"), connectionId > 0 ? QJsonValue(connectionId) : QJsonValue()},
            {QStringLiteral("connection_name"), connectionName},
            {QStringLiteral("caller"), caller},
            {QStringLiteral("command"), command},
            {QStringLiteral("outcome"), outcome},
            {QStringLiteral("exit_code"), hasExitCode ? QJsonValue(exitCode) : QJsonValue()},
            {QStringLiteral("duration_ms"), durationMs},
            {QStringLiteral("forced"), forced},
            {QStringLiteral("created_at"), isoUtc(createdAt)}};
}

ExecLogRepository::ExecLogRepository(Database &db)
    : m_db(db)
{
}

Status ExecLogRepository::record(ExecLogEntry e)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO exec_log (connection_id, connection_name, caller, command, outcome, exit_code, duration_ms, "
        "forced, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(e.connectionId > 0 ? QVariant(e.connectionId) : QVariant());
    q.addBindValue(sqlText(e.connectionName));
    q.addBindValue(sqlText(e.caller));
    q.addBindValue(sqlText(e.command));
    q.addBindValue(sqlText(e.outcome));
    q.addBindValue(e.hasExitCode ? QVariant(e.exitCode) : QVariant());
    q.addBindValue(e.durationMs);
    q.addBindValue(e.forced ? 1 : 0);
    q.addBindValue(isoUtc(e.createdAt.isValid() ? e.createdAt : nowUtc()));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the command in the audit log: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Result<QByteArray> ExecLogRepository::listJson(qint64 connectionId, int limit)
{
    if (connectionId > 0) {
        return RowJson::list(m_db, RowTables::execLog(), "WHERE connection_id = ? ORDER BY id DESC LIMIT ?",
                             {connectionId, qBound(1, limit, 10000)});
    }
    return RowJson::list(m_db, RowTables::execLog(), "ORDER BY id DESC LIMIT ?", {qBound(1, limit, 10000)});
}

Result<QList<ExecLogEntry>> ExecLogRepository::list(qint64 connectionId, int limit)
{
    const QString columns = QStringLiteral(
        "id, connection_id, connection_name, caller, command, outcome, exit_code, duration_ms, forced, created_at");
    QSqlQuery &q =
        connectionId > 0
            ? m_db.prepared(QStringLiteral("SELECT %1 FROM exec_log WHERE connection_id = ? ORDER BY id DESC LIMIT ?")
                                .arg(columns))
            : m_db.prepared(QStringLiteral("SELECT %1 FROM exec_log ORDER BY id DESC LIMIT ?").arg(columns));
    if (connectionId > 0) {
        q.addBindValue(connectionId);
    }
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read the audit log: %1").arg(sqlError(q)));
    }
    QList<ExecLogEntry> out;
    while (q.next()) {
        ExecLogEntry e;
        e.id = q.value(0).toLongLong();
        e.connectionId = q.value(1).toLongLong();
        e.connectionName = q.value(2).toString();
        e.caller = q.value(3).toString();
        e.command = q.value(4).toString();
        e.outcome = q.value(5).toString();
        e.hasExitCode = !q.value(6).isNull();
        e.exitCode = q.value(6).toInt();
        e.durationMs = q.value(7).toLongLong();
        e.forced = q.value(8).toBool();
        e.createdAt = parseIsoUtc(q.value(9).toString());
        out.append(e);
    }
    q.finish();
    return out;
}

} // namespace gpudeck
