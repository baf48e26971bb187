#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

// What `pvecm status` prints on a Proxmox VE node (Proxmox VE 8: its own "Cluster information" block, then
// corosync-quorumtool's "Quorum information", "Votequorum information" and "Membership information"), read into
// values. -1: the line was not there.
struct PvecmMember
{
    int nodeId = -1; // corosync's node id ("0x00000001"); 0 for a QDevice
    int votes = -1;
    QString name; // what corosync knows the member by: usually its ring address, or "Qdevice"
    bool local = false;
    QString qdeviceFlags; // "A,V,NMW" when the cluster has a QDevice; empty otherwise
};

struct PvecmStatus
{
    QString clusterName;
    int configVersion = -1;
    QString transport; // knet, udpu, ...
    int nodes = -1;    // members online now
    int localNodeId = -1;
    bool quorate = false;
    int expectedVotes = -1;
    int highestExpected = -1;
    int totalVotes = -1;
    int quorum = -1;              // the votes needed for quorum
    bool activityBlocked = false; // "Quorum: 3 Activity blocked"
    QStringList flags;            // "Quorate", "WaitForAll", "Qdevice", ...
    QList<PvecmMember> members;
};

// Reads the text. A Validation error (field "pvecm status") when it is not pvecm status output, names the first
// line it cannot read, or lacks "Quorate:"; the reason "proxmox_not_clustered" when the node is not part of a
// cluster (pvecm's own "Corosync config ... does not exist - is this node part of a cluster?").
Result<PvecmStatus> parsePvecmStatus(const QString &text);

} // namespace gpudeck
