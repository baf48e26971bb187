#include "store/AuditRepository.h"

#include "logging/Logging.h"
#include "store/Database.h"
#include "store/Entities.h"
#include "store/RawQuery.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"

#include <QJsonArray>

namespace gpudeck {

QJsonObject AuditEntry::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("created_at"), isoUtc(createdAt)},
            {QStringLiteral("origin"), origin},
            {QStringLiteral("method"), method},
            {QStringLiteral("route"), route},
            {QStringLiteral("target"), target.isEmpty() ? QJsonValue() : QJsonValue(target)},
            {QStringLiteral("status"), status > 0 ? QJsonValue(status) : QJsonValue()},
            {QStringLiteral("outcome"), outcome},
            {QStringLiteral("fields"), QJsonArray::fromStringList(fields)}};
}

AuditRepository::AuditRepository(Database &db)
    : m_db(db)
{
}

QStringList AuditRepository::origins()
{
    return {QStringLiteral("gui"), QStringLiteral("api"), QStringLiteral("mcp"), QStringLiteral("auto")};
}

Status AuditRepository::record(AuditEntry e)
{
    // One per API action: written without the driver's per-bind placeholder names (RawQuery).
    RawQuery q(m_db, QByteArrayLiteral("INSERT INTO audit_log (created_at, origin, method, route, target, status, "
                                       "outcome, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    const bool done =
        q.bind({isoUtc(e.createdAt.isValid() ? e.createdAt : nowUtc()), sqlText(e.origin), sqlText(e.method),
                sqlText(e.route), sqlNullableText(e.target.left(256)), e.status > 0 ? QVariant(e.status) : QVariant(),
                sqlText(e.outcome), sqlText(e.fields.join(QLatin1Char(',')))}) &&
        q.exec();
    if (!done) {
        return Error::internal(QStringLiteral("cannot record the action in the audit log: %1").arg(q.error()));
    }
    return {};
}

void AuditRepository::recordGui(const QString &method, const QString &route, const QString &target,
                                const Status &result)
{
    AuditEntry e;
    e.origin = QStringLiteral("gui");
    e.method = method;
    e.route = route;
    e.target = target;
    e.outcome = result.ok() ? QStringLiteral("ok")
                            : (result.error().reason.isEmpty() ? QStringLiteral("error") : result.error().reason);
    if (Status s = record(e); !s.ok()) {
        qCWarning(lcStore).noquote() << s.error().message;
    }
}

Result<QByteArray> AuditRepository::listJson(const QString &origin, int limit)
{
    if (!origin.isEmpty()) {
        return RowJson::list(m_db, RowTables::audit(), "WHERE origin = ? ORDER BY id DESC LIMIT ?",
                             {origin, qBound(1, limit, 10000)});
    }
    return RowJson::list(m_db, RowTables::audit(), "ORDER BY id DESC LIMIT ?", {qBound(1, limit, 10000)});
}

Result<QList<AuditEntry>> AuditRepository::list(const QString &origin, int limit)
{
    const QString columns = QStringLiteral("id, created_at, origin, method, route, target, status, outcome, fields");
    QSqlQuery &q =
        origin.isEmpty()
            ? m_db.prepared(QStringLiteral("SELECT %1 FROM audit_log ORDER BY id DESC LIMIT ?").arg(columns))
            : m_db.prepared(
                  QStringLiteral("SELECT %1 FROM audit_log WHERE origin = ? ORDER BY id DESC LIMIT ?").arg(columns));
    if (!origin.isEmpty()) {
        q.addBindValue(origin);
    }
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read the audit log: %1").arg(sqlError(q)));
    }
    QList<AuditEntry> out;
    while (q.next()) {
        AuditEntry e;
        e.id = q.value(0).toLongLong();
        e.createdAt = parseIsoUtc(q.value(1).toString());
        e.origin = q.value(2).toString();
        e.method = q.value(3).toString();
        e.route = q.value(4).toString();
        e.target = q.value(5).toString();
        e.status = q.value(6).toInt();
        e.outcome = q.value(7).toString();
        e.fields = q.value(8).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        out.append(e);
    }
    q.finish();
    return out;
}

} // namespace gpudeck
