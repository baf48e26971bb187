#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace gpudeck {

// What a destructive action would do, computed without doing any of it: the API's dry runs (`"dry_run": true`),
// the MCP tools called without `"confirm": true`, and the text a GUI confirmation can show. Read from memory and the
// database only: making a plan never touches a host.
struct ActionPlan
{
    // connection.disconnect, connection.exec, connection.delete, project.delete, job.delete, job.cancel,
    // model.swap, model.swap_cancel
    QString action;
    // What the action is aimed at, resolved (ids and names), and what it reaches: documented per action in
    // docs/api.md ("Dry runs").
    QJsonObject target;
    // What the real call would do, in order, in plain words; empty when it would do nothing.
    QStringList effects;
    // The error the real call would answer instead of acting (a guard, a conflict, a link that is down), if any.
    std::optional<Error> wouldRefuse;
};

} // namespace gpudeck
