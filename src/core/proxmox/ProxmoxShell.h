#pragma once

// The pieces of the SSH fallback (makeProxmoxShellSource) that need no link, apart so they can be tested alone: the
// command lines GPU Deck runs on a Proxmox VE node instead of calling its HTTPS API, and the reading of what they
// print.
//
//   GET  PATH ?k=v    ->  pvesh get PATH --k v --output-format json      (prints the API's `data` as JSON)
//   POST PATH  k=v    ->  pvesh create PATH --k v --output-format json   (an action prints its task's UPID)
//   votes             ->  pvecm status                                   (text: see PvecmStatus.h)
//
// pvesh and pvecm need root: a login that is not root runs them through `sudo -n` (never a password prompt; a sudo
// that wants one is a clear error). Every word is shell-quoted; paths and parameter names are checked first, so a
// node name or a UPID can never become shell syntax.

#include "Result.h"
#include "proxmox/ProxmoxSource.h"
#include "proxmox/PvecmStatus.h"
#include "ssh/SshTypes.h"

#include <QJsonValue>
#include <QString>

namespace gpudeck::proxmoxshell {

// 'text' with every ' escaped, for a POSIX shell.
QString quote(const QString &text);

// `pvesh <verb> PATH --k v ... --output-format json`, `sudo -n` in front unless `asRoot`. A Validation error for a
// path that is not an absolute API path ("/nodes/node-1/qemu/100/status/start": no spaces, quotes or control
// characters, no ".." component) or a parameter name that is not one Proxmox could have ([A-Za-z][A-Za-z0-9_-]*).
Result<QString> pveshCommand(const QString &verb, const QString &path, const ProxmoxParams &params, bool asRoot);
QString pvecmStatusCommand(bool asRoot);

// What pvesh printed, as the API's `data`: its JSON, or for an action that printed the bare UPID, that text as a
// JSON string. Errors (reason, ErrorCode): pvesh's own message when it failed (proxmox_error, Upstream; details
// exit_code), no pvesh on the host (proxmox_not_installed, Upstream), sudo wanting a password or a login without the
// rights (proxmox_not_root, Upstream), output that is neither (proxmox_bad_answer, Upstream, as the API source says).
Result<QJsonValue> readPvesh(const CommandResult &result, const QString &host);

// `pvecm status`'s votes. A node in no cluster answers an error (proxmox_not_clustered): the caller then counts one
// vote per node.
Result<ProxmoxVotes> readPvecmStatus(const CommandResult &result, const QString &host);

// Failures common to both tools (not installed, not root), or an empty optional when the result is not one.
std::optional<Error> toolFailure(const CommandResult &result, const QString &tool, const QString &host);

} // namespace gpudeck::proxmoxshell
