#pragma once

#include "Result.h"

#include <QList>
#include <QStringList>

class QSqlDatabase;

namespace gpudeck {

// The schema's history: element N-1 holds the statements that take a database from
// `PRAGMA user_version` N-1 to N. Append new steps; never edit a released one.
const QList<QStringList> &migrations();

// What a step does beyond its statements (converting rows), run after them in the same transaction; nullptr for
// most. `version` is the schema version the step makes.
using MigrationCode = Status (*)(QSqlDatabase &db);
MigrationCode migrationCode(int version);

} // namespace gpudeck
