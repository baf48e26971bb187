#include "alerts/AlertRepository.h"

#include "store/Database.h"
#include "store/Entities.h"
#include "store/JsonColumn.h"
#include "store/SqlValues.h"

namespace gpudeck {

AlertRepository::AlertRepository(Database &db)
    : m_db(db)
{
}

Result<qint64> AlertRepository::insert(const Alert &a)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO alerts (connection_id, connection_name, gpu_index, kind, severity, message, value, threshold, "
        "started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(a.connectionId > 0 ? QVariant(a.connectionId) : QVariant());
    q.addBindValue(sqlText(a.connectionName));
    q.addBindValue(a.gpuIndex >= 0 ? QVariant(a.gpuIndex) : QVariant());
    q.addBindValue(sqlText(a.kind));
    q.addBindValue(sqlText(a.severity));
    q.addBindValue(sqlText(a.message));
    q.addBindValue(a.value);
    q.addBindValue(a.threshold);
    q.addBindValue(isoUtc(a.startedAt.isValid() ? a.startedAt : nowUtc()));
    q.addBindValue(sqlNullableTime(a.endedAt));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the alert: %1").arg(sqlError(q)));
    }
    const qint64 id = q.lastInsertId().toLongLong();
    q.finish();
    return id;
}

Status AlertRepository::close(qint64 id, const QDateTime &endedAt, double lastValue)
{
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("UPDATE alerts SET ended_at = ?, value = ? WHERE id = ? AND ended_at IS NULL"));
    q.addBindValue(isoUtc(endedAt));
    q.addBindValue(lastValue);
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot close alert %1: %2").arg(id).arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Status AlertRepository::closeAllOpen()
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("UPDATE alerts SET ended_at = ? WHERE ended_at IS NULL"));
    q.addBindValue(isoUtc(nowUtc()));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot close old alerts: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

namespace {

Alert alertFromRow(const QSqlQuery &q)
{
    Alert a;
    a.id = q.value(0).toLongLong();
    a.connectionId = q.value(1).toLongLong();
    a.connectionName = q.value(2).toString();
    a.gpuIndex = q.value(3).isNull() ? -1 : q.value(3).toInt();
    a.kind = q.value(4).toString();
    a.severity = q.value(5).toString();
    a.message = q.value(6).toString();
    a.value = q.value(7).toDouble();
    a.threshold = q.value(8).toDouble();
    a.startedAt = parseIsoUtc(q.value(9).toString());
    a.endedAt = parseIsoUtc(q.value(10).toString());
    return a;
}

} // namespace

Result<QList<Alert>> AlertRepository::listSince(const QDateTime &since, int limit)
{
    // Times are ISO 8601 UTC with milliseconds throughout, so text order is time order.
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "SELECT id, connection_id, connection_name, gpu_index, kind, severity, message, value, threshold, started_at, "
        "ended_at FROM alerts WHERE started_at >= ? OR ended_at >= ? ORDER BY started_at, id LIMIT ?"));
    q.addBindValue(isoUtc(since));
    q.addBindValue(isoUtc(since));
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list alerts: %1").arg(sqlError(q)));
    }
    QList<Alert> out;
    while (q.next()) {
        out.append(alertFromRow(q));
    }
    q.finish();
    return out;
}

Result<QList<Alert>> AlertRepository::list(bool activeOnly, qint64 connectionId, int limit)
{
    QString sql = QStringLiteral(
        "SELECT id, connection_id, connection_name, gpu_index, kind, severity, message, value, threshold, started_at, "
        "ended_at FROM alerts WHERE 1 = 1");
    if (activeOnly) {
        sql += QStringLiteral(" AND ended_at IS NULL");
    }
    if (connectionId > 0) {
        sql += QStringLiteral(" AND connection_id = ?");
    }
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    QSqlQuery &q = m_db.prepared(sql);
    if (connectionId > 0) {
        q.addBindValue(connectionId);
    }
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list alerts: %1").arg(sqlError(q)));
    }
    QList<Alert> out;
    while (q.next()) {
        out.append(alertFromRow(q));
    }
    q.finish();
    return out;
}

} // namespace gpudeck
