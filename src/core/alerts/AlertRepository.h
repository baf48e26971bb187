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

    Result<qint64> insert(const Alert &alert);
    Status close(qint64 id, const QDateTime &endedAt, double lastValue);
    // Newest first. `activeOnly`: only those not ended; `connectionId` > 0 filters.
    Result<QList<Alert>> list(bool activeOnly = false, qint64 connectionId = 0, int limit = 200);
    // Alerts raised or ended at or after `since` (the status report's window), oldest raised first, at most `limit`.
    Result<QList<Alert>> listSince(const QDateTime &since, int limit = 1000);
    // At start: alerts left open by a previous run cannot be known to still hold; close them.
    Status closeAllOpen();

private:
    Database &m_db;
};

} // namespace gpudeck
