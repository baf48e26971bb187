#pragma once

#include <QList>
#include <QStringList>

namespace gpudeck {

// The schema's history: element N-1 holds the statements that take a database from
// `PRAGMA user_version` N-1 to N. Append new steps; never edit a released one.
const QList<QStringList> &migrations();

} // namespace gpudeck
