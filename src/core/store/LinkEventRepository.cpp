#include "store/LinkEventRepository.h"

#include "store/Database.h"
#include "store/Entities.h"
#include "store/SqlValues.h"

#include <algorithm>

namespace gpudeck {

namespace {

LinkEvent eventFromRow(const QSqlQuery &q)
{
    LinkEvent e;
    e.id = q.value(0).toLongLong();
    e.connectionId = q.value(1).toLongLong();
    e.connectionName = q.value(2).toString();
    e.state = q.value(3).toString();
    e.reason = q.value(4).toString();
    e.at = parseIsoUtc(q.value(5).toString());
    return e;
}

} // namespace

QJsonObject LinkEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("connection_id"), connectionId > 0 ? QJsonValue(connectionId) : QJsonValue()},
                       {QStringLiteral("connection_name"), connectionName},
                       {QStringLiteral("state"), state},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("at"), isoUtc(at)}};
}

LinkEventRepository::LinkEventRepository(Database &db)
    : m_db(db)
{
}

Status LinkEventRepository::insert(const LinkEvent &e)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO link_events (connection_id, connection_name, state, reason, at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(e.connectionId);
    q.addBindValue(sqlText(e.connectionName));
    q.addBindValue(sqlText(e.state));
    q.addBindValue(sqlText(e.reason));
    q.addBindValue(isoUtc(e.at.isValid() ? e.at : nowUtc()));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the link event: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Result<QList<LinkEvent>> LinkEventRepository::listSince(const QDateTime &since, int limit)
{
    // Times are ISO 8601 UTC with milliseconds throughout, so text order is time order.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT id, connection_id, connection_name, state, reason, at FROM link_events WHERE at >= ? "
                       "ORDER BY at DESC, id DESC LIMIT ?"));
    q.addBindValue(isoUtc(since));
    q.addBindValue(qBound(1, limit, 100000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list link events: %1").arg(sqlError(q)));
    }
    QList<LinkEvent> out;
    while (q.next()) {
        out.append(eventFromRow(q));
    }
    q.finish();
    std::reverse(out.begin(), out.end());
    return out;
}

Result<QList<LinkEvent>> LinkEventRepository::latestBefore(const QDateTime &before)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT id, connection_id, connection_name, state, reason, at FROM link_events WHERE id IN "
                       "(SELECT MAX(id) FROM link_events WHERE at < ? GROUP BY connection_id) ORDER BY connection_id"));
    q.addBindValue(isoUtc(before));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read link events: %1").arg(sqlError(q)));
    }
    QList<LinkEvent> out;
    while (q.next()) {
        out.append(eventFromRow(q));
    }
    q.finish();
    return out;
}

Result<int> LinkEventRepository::prune(const QDateTime &before)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM link_events WHERE at < ?"));
    q.addBindValue(isoUtc(before));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot prune link events: %1").arg(sqlError(q)));
    }
    const int n = q.numRowsAffected();
    q.finish();
    return n;
}

} // namespace gpudeck
