#pragma once

// SshConfigImport: reads the hosts out of an OpenSSH client config (~/.ssh/config) so they can become
// connections. It follows the ssh_config(5) rules that matter for that:
//
//   - keywords are case-insensitive; "Key value", "Key=value" and "Key = value"; "#" comments; "quoted values";
//   - each name on a Host line that is not a pattern (no * or ?, no leading !) becomes its own entry;
//   - an entry's settings are what OpenSSH itself would use for that alias: every Host block whose patterns
//     match it (including "Host *" and wildcard blocks, with "!" negation), in file order, first value wins;
//     lines before the first Host/Match apply to every host; "Match all" is treated like "Host *", any
//     other Match block is skipped (its conditions need a live connection to evaluate);
//   - Include is followed where it appears (relative paths are relative to ~/.ssh, "~" and globs expand,
//     results sorted like glob(3)), at most 16 levels deep; a missing include is ignored like ssh does;
//   - HostName defaults to the alias; "%h" in it is the alias and "%%" is "%";
//   - IdentityFile: the first one wins, "~" expands to the home directory, "none" means no key; other % tokens
//     are not expanded (a warning says so);
//   - Port must be 1..65535: an entry with a bad port is left out with a warning;
//   - ProxyJump and ProxyCommand (whichever is obtained first; "none" means neither) are recorded, because a host
//     reached only through another one cannot be imported: GPU Deck connects directly (decision 126).
//
// Only HostName, User, Port, IdentityFile, ProxyJump and ProxyCommand are read; everything else is ignored.

#include "Result.h"
#include "store/Entities.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

struct SshConfigHost
{
    QString alias;
    QString hostname;
    QString user; // empty: ssh would use the local user name
    int port = 22;
    QString identityFile; // absolute when it started with "~"; empty when none
    QString proxyKeyword; // "ProxyJump" or "ProxyCommand" when the host is reached through one; else empty
    QString proxy;        // its value
};

struct SshConfigImportResult
{
    QList<SshConfigHost> hosts; // in the order their Host lines appear
    QStringList warnings;       // entries left out and settings not understood, one sentence each
};

// Reads `path`. homeDir (default: the user's home) expands "~" and anchors relative Include paths
// (<homeDir>/.ssh). Fails only when the file itself cannot be read.
Result<SshConfigImportResult> parseSshConfig(const QString &path, const QString &homeDir = {});

// Parses config text; Include lines still read files (relative to <homeDir>/.ssh).
SshConfigImportResult parseSshConfigText(const QString &text, const QString &homeDir);

// A new connection for an imported host: name = alias, authMethod "key" with an IdentityFile, else "agent".
Connection toConnection(const SshConfigHost &host);

} // namespace gpudeck
