#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace gpudeck {

class ConnectionRepository;

// Turns ~/.ssh/config hosts into connections, for the GUI's import dialog and POST /api/dgx/connections/import.
struct ConnectionImportResult
{
    QList<Connection> created;              // or, in a dry run, what would be created
    QList<QPair<QString, QString>> skipped; // alias, why
    QStringList warnings;                   // from parsing the file

    QJsonObject toJson() const;
};

// `aliases` empty: every host in the file. A name already taken is skipped, never overwritten.
Result<ConnectionImportResult> importSshConfig(ConnectionRepository &connections, const QString &path,
                                               const QStringList &aliases, bool dryRun);

} // namespace gpudeck
