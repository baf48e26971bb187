#pragma once

#include "Result.h"

#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>
#include <functional>
#include <memory>

namespace gpudeck {

class SshPool;
struct Connection;

// Query or form parameters of one Proxmox API call, in order: {"type", "vm"}, {"timeout", "60"}.
using ProxmoxParams = QList<QPair<QString, QString>>;

// What `pvecm status` knows and /cluster/status does not. -1: not known.
struct ProxmoxVotes
{
    int expectedVotes = -1;
    int totalVotes = -1;
    int quorum = -1; // the votes needed for quorum
};

// Where a Proxmox cluster's data comes from. Two kinds plug in here:
// - "api": the node's HTTPS API (https://host:port/api2/json) with an API token (ProxmoxApiSource), used when the
//   connection has a proxmox_token_id;
// - "ssh": pvesh/pvecm over the connection's existing SSH link, as root (makeProxmoxShellSource), used without one.
//
// A source speaks in Proxmox API paths and answers the `data` member of the API's answer, which is exactly what
// `pvesh get PATH --output-format json` prints: every reading of the answers (ProxmoxTypes) is shared by both kinds.
//
// Threading: a source is created, called and destroyed on the Proxmox worker thread only (it may keep sockets or
// timers there). Every call answers through `done` exactly once, later (never from inside the call), on that thread.
// Destroying a source with calls in flight drops their answers (`done` is never called then).
//
// Errors are Error values with a machine-readable `reason` the API answers as its code, e.g.
// certificate_unknown / certificate_changed (details: fingerprint), proxmox_auth_failed, proxmox_unreachable,
// proxmox_error (Proxmox's own message), not_connected (the SSH link is down).
class ProxmoxSource
{
public:
    using Done = std::function<void(Result<QJsonValue>)>;

    virtual ~ProxmoxSource() = default;

    // "api" or "ssh", shown by the API as the status's `source`.
    virtual QString kind() const = 0;
    // GET `path` (e.g. "/cluster/resources") with `query` ({"type", "vm"}): the answer's `data`.
    virtual void get(const QString &path, const ProxmoxParams &query, Done done) = 0;
    // POST `path` (e.g. "/nodes/pve1/qemu/100/status/start") with form `params`: the answer's `data` (for an
    // action, the task's UPID as a JSON string).
    virtual void post(const QString &path, const ProxmoxParams &params, Done done) = 0;
    // Corosync's vote counts, when the source can read them (`pvecm status`). The default answers an error at once
    // (the one call allowed to answer from inside) and the caller counts one vote per node, corosync's default.
    virtual void votes(std::function<void(Result<ProxmoxVotes>)> done);
};

// The SSH fallback: pvesh/pvecm over the connection's SSH link (SshPool::exec), for a connection without an API
// token. Implemented in ProxmoxShellSource.cpp (the "pvesh" part of issue 11); called on the Proxmox worker thread.
std::unique_ptr<ProxmoxSource> makeProxmoxShellSource(const Connection &connection, SshPool &ssh);

} // namespace gpudeck
