#include "alerts/AlertRepository.h"

#include "store/Database.h"
#include "store/Entities.h"
#include "store/JsonColumn.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"

#include <optional>

namespace gpudeck {

AlertRepository::AlertRepository(Database &db)
    : m_db(db)
{
}

Result<qint64> AlertRepository::insert(const Alert &a)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO alerts (connection_id, connection_name, gpu_index, kind, severity, message, value, threshold, "
        "started_at, ended_at, alert_key, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
    q.addBindValue(a.key.isEmpty() ? QVariant() : QVariant(a.key));
    q.addBindValue(a.endedAt.isValid() ? QVariant(a.endReason.isEmpty() ? QStringLiteral("cleared") : a.endReason)
                                       : QVariant());
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the alert: %1").arg(sqlError(q)));
    }
    const qint64 id = q.lastInsertId().toLongLong();
    q.finish();
    return id;
}

Status AlertRepository::close(qint64 id, const QDateTime &endedAt, double lastValue, const QString &reason)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("UPDATE alerts SET ended_at = ?, value = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL"));
    q.addBindValue(isoUtc(endedAt));
    q.addBindValue(lastValue);
    q.addBindValue(reason.isEmpty() ? QStringLiteral("cleared") : reason);
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot close alert %1: %2").arg(id).arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Status AlertRepository::closeAllOpen()
{
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("UPDATE alerts SET ended_at = ?, end_reason = 'unseen' WHERE ended_at IS NULL"));
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
    a.key = q.value(11).toString();
    a.endReason = q.value(12).toString();
    return a;
}

const QString kColumns =
    QStringLiteral("id, connection_id, connection_name, gpu_index, kind, severity, message, value, "
                   "threshold, started_at, ended_at, alert_key, end_reason");

} // namespace

Result<Alert> AlertRepository::raise(const Alert &alert)
{
    if (!alert.key.isEmpty()) {
        // The newest row of this key decides: open (the same alert, still on), ended unseen (the same alert, seen
        // again: reopened), or, for an event, there at all (the same event, reported again).
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("SELECT %1 FROM alerts WHERE alert_key = ? ORDER BY id DESC LIMIT 1").arg(kColumns));
        q.addBindValue(alert.key);
        if (!q.exec()) {
            return Error::internal(QStringLiteral("cannot look up the alert: %1").arg(sqlError(q)));
        }
        std::optional<Alert> newest;
        if (q.next()) {
            newest = alertFromRow(q);
        }
        q.finish();
        const bool event = alert.endedAt.isValid();
        if (newest && (event || newest->active())) {
            newest->repeated = true;
            return *newest;
        }
        if (newest && newest->endReason == QStringLiteral("unseen")) {
            QSqlQuery &u =
                m_db.prepared(QStringLiteral("UPDATE alerts SET ended_at = NULL, end_reason = NULL, value = ?, "
                                             "message = ?, severity = ? WHERE id = ?"));
            u.addBindValue(alert.value);
            u.addBindValue(sqlText(alert.message));
            u.addBindValue(sqlText(alert.severity));
            u.addBindValue(newest->id);
            if (!u.exec()) {
                return Error::internal(QStringLiteral("cannot reopen alert %1: %2").arg(newest->id).arg(sqlError(u)));
            }
            u.finish();
            Alert reopened = alert;
            reopened.id = newest->id;
            reopened.startedAt = newest->startedAt;
            reopened.endedAt = {};
            reopened.endReason.clear();
            reopened.repeated = true;
            return reopened;
        }
    }
    Alert stored = alert;
    if (!stored.startedAt.isValid()) {
        stored.startedAt = nowUtc();
    }
    if (stored.endedAt.isValid() && stored.endReason.isEmpty()) {
        stored.endReason = QStringLiteral("cleared");
    }
    const auto id = insert(stored);
    if (!id.ok()) {
        return id.error();
    }
    stored.id = id.value();
    return stored;
}

Result<QList<Alert>> AlertRepository::listSince(const QDateTime &since, int limit)
{
    // Times are ISO 8601 UTC with milliseconds throughout, so text order is time order.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM alerts WHERE started_at >= ? OR ended_at >= ? ORDER BY started_at, id LIMIT ?")
            .arg(kColumns));
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

Result<QByteArray> AlertRepository::listJson(bool activeOnly, qint64 connectionId, int limit)
{
    QByteArray tail = "WHERE 1 = 1";
    QVariantList binds;
    if (activeOnly) {
        tail += " AND ended_at IS NULL";
    }
    if (connectionId > 0) {
        tail += " AND connection_id = ?";
        binds << connectionId;
    }
    tail += " ORDER BY id DESC LIMIT ?";
    binds << qBound(1, limit, 10000);
    return RowJson::list(m_db, RowTables::alerts(), tail, binds);
}

Result<QList<Alert>> AlertRepository::list(bool activeOnly, qint64 connectionId, int limit)
{
    QString sql = QStringLiteral("SELECT %1 FROM alerts WHERE 1 = 1").arg(kColumns);
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
