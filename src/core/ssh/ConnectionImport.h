#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace gpudeck {

class ConnectionRepository;

// Turns ~/.ssh/config hosts into connections, for the GUI's import dialog, POST /api/dgx/connections/import and
// the MCP tool import_ssh_config (decision 126).
struct ImportSkip
{
    // Why an entry is not imported, for a program to act on (the GUI words it in the user's language).
    enum class Code {
        NameTaken,   // a connection already has this name; never overwritten
        SameMachine, // an earlier entry of this import reaches the same address as the same user ("Host a b")
        SameAddress, // a connection (or an earlier entry) already reaches this address: imported only when named
        Proxy,       // reached through ProxyJump / ProxyCommand, which GPU Deck cannot follow: not importable
        Invalid,     // the entry does not make a valid connection
        NotInFile,   // asked for by name but not in the file
        Failed,      // the database refused it
    };

    QString alias;
    QString reason; // one English sentence
    Code code = Code::Invalid;
    QString sameAs; // SameMachine / SameAddress: the entry or connection it duplicates

    static QString codeName(Code code); // name_taken, same_machine, same_address, proxy, invalid, not_in_file, failed
    QJsonObject toJson() const;
};

struct ConnectionImportResult
{
    QList<Connection> created; // or, in a dry run, what would be created
    QList<ImportSkip> skipped;
    QStringList warnings; // from parsing the file

    QJsonObject toJson() const;
};

// `aliases` empty: every host in the file. A name already taken is skipped, never overwritten; entries for one
// machine (same address and user) are imported once, under the first alias; an entry whose address an existing
// connection (or an earlier entry with another user) already has is imported only when named in `aliases`; an
// entry reached through ProxyJump or ProxyCommand is never imported.
Result<ConnectionImportResult> importSshConfig(ConnectionRepository &connections, const QString &path,
                                               const QStringList &aliases, bool dryRun);

} // namespace gpudeck
