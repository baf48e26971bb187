#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QFuture>
#include <functional>
#include <optional>

namespace gpudeck {

// The hook through which a Proxmox cluster wakes one of its nodes (POST /nodes/{node}/wakeonlan on a node of the
// same cluster that is up): WakeService asks it first for a connection of kind "proxmox".
//
// - Return std::nullopt when the cluster cannot help (not a cluster member, no other node up, no API token): the
//   magic packet is sent from here as usual, and nothing is said about it.
// - Return a future otherwise: it finishes with success once the cluster has accepted the request (the node's
//   wakeonlan task started), or with the error that prevented it. On success WakeService sends no packet of its
//   own and waits for the SSH port as usual (outcome "via": "cluster"); on failure it notes the error in the
//   outcome's "cluster_error" and falls back to its own magic packets.
//
// Called on the wake thread ("gpudeck-wake"): it must not block; the future may finish on any thread. Set once
// with WakeService::setClusterWaker (e.g. by the Proxmox service when it starts); an empty function removes it.
using ClusterWaker = std::function<std::optional<QFuture<Status>>(const Connection &connection)>;

} // namespace gpudeck
