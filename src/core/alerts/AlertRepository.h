#pragma once

#include "Result.h"
#include "alerts/Alert.h"

#include <QList>

namespace gpudeck {

class Database;

// The alerts table: every alert raised, and when it ended.
class AlertRepository
{
public:
    explicit AlertRepository(Database &db);

    // A new row, whatever is there already.
    Result<qint64> insert(const Alert &alert);
    // Records a raised alert, the way every raiser does: an alert with a key that is already open is that row; one
    // whose newest row with that key ended "unseen" reopens that row (value and message updated); an event (ended
    // when raised) whose key is recorded already is that row. Those come back with `repeated` set. Otherwise, or
    // without a key, a new row. Answers the alert as stored, with its id.
    Result<Alert> raise(const Alert &alert);
    // Ends an open alert; `reason` "cleared" (its condition ended) or "unseen" (no longer looked at).
    Status close(qint64 id, const QDateTime &endedAt, double lastValue,
                 const QString &reason = QStringLiteral("cleared"));
    // Newest first. `activeOnly`: only those not ended; `connectionId` > 0 filters.
    Result<QList<Alert>> list(bool activeOnly = false, qint64 connectionId = 0, int limit = 200);
    // list() as the API answers it (Alert::toJson()), written straight from the rows (store/RowJson.h).
    Result<QByteArray> listJson(bool activeOnly = false, qint64 connectionId = 0, int limit = 200);
    // Alerts raised or ended at or after `since` (the status report's window), oldest raised first, at most `limit`.
    Result<QList<Alert>> listSince(const QDateTime &since, int limit = 1000);
    // At start: alerts left open by a previous run cannot be known to still hold; close them as "unseen".
    Status closeAllOpen();

private:
    Database &m_db;
};

} // namespace gpudeck
