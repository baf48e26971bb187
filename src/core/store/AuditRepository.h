#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

class Database;

// One action taken on GPU Deck (something that changes state), whoever took it: a person in the window (`gui`), a
// script over the REST API (`api`) or an agent through an MCP tool (`mcp`). Never a body's values: only the names
// of the fields that were sent, so a password or passphrase can never reach the table.
struct AuditEntry
{
    qint64 id = 0;
    QDateTime createdAt;
    QString origin;     // gui, api, mcp; auto: GPU Deck on its own (the cost guard stopping a pod)
    QString method;     // POST, PUT, DELETE: the action's REST twin
    QString route;      // its route pattern, e.g. "/api/dgx/jobs/:id/start"
    QString target;     // the id or name acted on (the path's, or the created object's); empty when none
    int status = 0;     // the HTTP status answered (api, mcp); 0 for the GUI, which has none
    QString outcome;    // "ok", or the error's code (e.g. "not_connected", "validation_failed")
    QStringList fields; // the names of the body fields sent, never their values

    QJsonObject toJson() const;
};

// The audit_log table: append-only. API and MCP actions are recorded in one place (ApiDispatch, the path every
// request takes to its handler); GUI actions by the panes, through record(). Commands run on hosts are also in the
// exec log (ExecLogRepository), which keeps the command text: the audit log says only that an exec happened.
class AuditRepository
{
public:
    explicit AuditRepository(Database &db);

    static QStringList origins(); // gui api mcp auto

    Status record(AuditEntry entry);
    // A GUI action and how it ended (`result`), recorded as its REST twin `method route` on `target`. A failure to
    // record is logged, never shown: the action itself has happened.
    void recordGui(const QString &method, const QString &route, const QString &target, const Status &result = {});
    // Newest first; only `origin`'s when it is not empty; at most `limit` entries.
    Result<QList<AuditEntry>> list(const QString &origin = {}, int limit = 100);
    // list() as the API answers it (AuditEntry::toJson()), written straight from the rows (store/RowJson.h).
    Result<QByteArray> listJson(const QString &origin = {}, int limit = 100);

    // The database it records into (ApiDispatch takes its write lock around each action).
    Database &database() const { return m_db; }

private:
    Database &m_db;
};

} // namespace gpudeck
