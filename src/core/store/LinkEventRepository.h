#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gpudeck {

class Database;

// One change of a connection's link state (connecting, connected, reconnecting, failed, disconnected), as SshPool
// reported it. The name is kept so the history outlives the connection (no foreign key on purpose).
struct LinkEvent
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString connectionName;
    QString state; // linkStateName()
    QString reason;
    QDateTime at;

    QJsonObject toJson() const;
};

// The link_events table: when hosts went down and came back, for the status report. Pruned by age.
class LinkEventRepository
{
public:
    explicit LinkEventRepository(Database &db);

    Status insert(const LinkEvent &event);
    // Events at or after `since`, oldest first, at most `limit` (the newest are kept when there are more).
    Result<QList<LinkEvent>> listSince(const QDateTime &since, int limit = 2000);
    // The latest event of each connection before `before`: the state a host was in when a window opened.
    Result<QList<LinkEvent>> latestBefore(const QDateTime &before);
    // Deletes events older than `before`; answers how many.
    Result<int> prune(const QDateTime &before);

private:
    Database &m_db;
};

} // namespace gpudeck
