#pragma once

#include "Result.h"
#include "models/SwapReport.h"

#include <QDateTime>
#include <QList>

namespace gpudeck {

class Database;

// The swap_history table: every finished model swap (succeeded, failed, cancelled), so the status report knows the
// swaps of the last day across restarts (ModelService keeps only this run's, in memory). Only the outcome and the
// short error are kept, never the start command's output. Pruned by age.
class SwapHistoryRepository
{
public:
    explicit SwapHistoryRepository(Database &db);

    Status insert(const SwapReport &swap);
    // Swaps finished at or after `since`, oldest first, at most `limit`.
    Result<QList<SwapReport>> listSince(const QDateTime &since, int limit = 1000);
    Result<int> prune(const QDateTime &before);

private:
    Database &m_db;
};

} // namespace gpudeck
