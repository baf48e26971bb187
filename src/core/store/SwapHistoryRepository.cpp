#include "store/SwapHistoryRepository.h"

#include "store/Database.h"
#include "store/Entities.h"
#include "store/SqlValues.h"

#include <algorithm>

namespace gpudeck {

namespace {

SwapState stateFromName(const QString &name)
{
    for (SwapState s : {SwapState::Succeeded, SwapState::Failed, SwapState::Cancelled}) {
        if (swapStateName(s) == name) {
            return s;
        }
    }
    return SwapState::Failed;
}

} // namespace

SwapHistoryRepository::SwapHistoryRepository(Database &db)
    : m_db(db)
{
}

Status SwapHistoryRepository::insert(const SwapReport &s)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO swap_history (swap_id, host, model, previous, state, error_step, error, restored, started_at, "
        "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(sqlText(s.id));
    q.addBindValue(sqlText(s.host));
    q.addBindValue(sqlText(s.model));
    q.addBindValue(sqlText(s.previous));
    q.addBindValue(swapStateName(s.state));
    q.addBindValue(sqlText(s.errorStep));
    q.addBindValue(sqlText(s.error));
    q.addBindValue(s.restored ? QVariant(int(*s.restored)) : QVariant());
    q.addBindValue(sqlNullableTime(s.startedAt));
    q.addBindValue(isoUtc(s.finishedAt.isValid() ? s.finishedAt : nowUtc()));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot record the swap: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

Result<QList<SwapReport>> SwapHistoryRepository::listSince(const QDateTime &since, int limit)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT swap_id, host, model, previous, state, error_step, error, restored, started_at, "
                       "finished_at FROM swap_history WHERE finished_at >= ? ORDER BY finished_at DESC, id DESC "
                       "LIMIT ?"));
    q.addBindValue(isoUtc(since));
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list swaps: %1").arg(sqlError(q)));
    }
    QList<SwapReport> out;
    while (q.next()) {
        SwapReport s;
        s.id = q.value(0).toString();
        s.host = q.value(1).toString();
        s.model = q.value(2).toString();
        s.previous = q.value(3).toString();
        s.state = stateFromName(q.value(4).toString());
        s.errorStep = q.value(5).toString();
        s.error = q.value(6).toString();
        if (!q.value(7).isNull()) {
            s.restored = q.value(7).toInt() != 0;
        }
        s.startedAt = parseIsoUtc(q.value(8).toString());
        s.finishedAt = parseIsoUtc(q.value(9).toString());
        out.append(s);
    }
    q.finish();
    std::reverse(out.begin(), out.end());
    return out;
}

Result<int> SwapHistoryRepository::prune(const QDateTime &before)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM swap_history WHERE finished_at < ?"));
    q.addBindValue(isoUtc(before));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot prune the swap history: %1").arg(sqlError(q)));
    }
    const int n = q.numRowsAffected();
    q.finish();
    return n;
}

} // namespace gpudeck
