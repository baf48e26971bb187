#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

// What GPU Deck knows of one Proxmox VE cluster (or a single node), read from its API or over SSH. The field names
// follow Proxmox's own where they mean the same; sizes are bytes, CPU a fraction of the node's (0..1 per Proxmox).

struct ProxmoxCluster
{
    QString name; // empty for a single node that is not part of a cluster
    bool clustered = false;
    bool quorate = true; // a single node is always quorate
    int nodes = 0;       // nodes in the cluster, online or not
    int nodesOnline = 0;
    int expectedVotes = 0; // corosync's, or one per node when the source cannot read them
    int totalVotes = -1;   // -1: not known (only pvecm status says)
    int version = -1;      // the corosync configuration's version, -1: not known

    QJsonObject toJson() const;
};

struct ProxmoxNode
{
    QString name;
    QString status; // online, offline, unknown
    int nodeId = -1;
    QString ip;
    bool local = false; // the node that answered
    double cpu = 0;     // fraction of maxcpu
    int maxCpu = 0;
    qint64 mem = 0;
    qint64 maxMem = 0;
    qint64 uptime = 0;      // seconds
    QString sslFingerprint; // the node's certificate, as Proxmox reports it

    QJsonObject toJson() const;
};

// A VM (qemu) or container (lxc).
struct ProxmoxGuest
{
    int vmid = 0;
    QString name;
    QString node;
    QString type;   // qemu, lxc
    QString status; // running, stopped, paused, ...
    double cpu = 0;
    double maxCpu = 0;
    qint64 mem = 0;
    qint64 maxMem = 0;
    qint64 uptime = 0;
    QStringList tags;
    bool templ = false;
    QString lock;

    QJsonObject toJson() const;
};

struct ProxmoxStorage
{
    QString storage;
    QString node;
    QString type; // plugintype: dir, lvmthin, zfspool, rbd, ...
    QString status;
    QString content;
    bool shared = false;
    qint64 used = 0;  // disk
    qint64 total = 0; // maxdisk
    double usedFraction() const { return total > 0 ? double(used) / double(total) : 0; }

    QJsonObject toJson() const;
};

// One Proxmox task (UPID), as GPU Deck follows it after an action.
struct ProxmoxTask
{
    QString upid;
    QString node;
    QString type; // qmstart, qmshutdown, vzstop, ...
    QString id;   // the vmid, as Proxmox writes it
    QString user;
    QString status;     // running, stopped
    QString exitStatus; // "OK" or the reason it failed; empty while running
    QDateTime startedAt;
    QDateTime endedAt;
    // What GPU Deck asked for, when it started the task.
    QString action; // start, shutdown, stop, reboot
    int vmid = 0;
    qint64 connectionId = 0;

    bool finished() const { return status == QStringLiteral("stopped"); }
    bool succeeded() const { return finished() && exitStatus == QStringLiteral("OK"); }
    QJsonObject toJson() const;
    // The parts of a UPID: "UPID:node:pid:pstart:starttime:type:id:user:". Empty node when it is not one.
    static ProxmoxTask fromUpid(const QString &upid);
};

// Everything read in one refresh, and how it went.
struct ProxmoxStatus
{
    qint64 connectionId = 0;
    QString connectionName;
    QString source;      // api, ssh; empty before the first read
    QDateTime fetchedAt; // the last successful read; null before one
    QDateTime attemptedAt;
    std::optional<Error> error; // the last read failed: why (the data are then from fetchedAt)
    ProxmoxCluster cluster;
    QList<ProxmoxNode> nodes;
    QList<ProxmoxGuest> guests;
    QList<ProxmoxStorage> storage;

    bool hasData() const { return fetchedAt.isValid(); }
    const ProxmoxGuest *guest(int vmid) const;
    // The status route's body: connection, source, times, error, cluster and nodes.
    QJsonObject toJson() const;
};

// Reading the `data` of the API's answers (or pvesh's output) into the structs above. Lenient as the API is: a
// missing optional field keeps its default; a wrong shape is a Validation error naming the path.
namespace proxmoxparse {
Status clusterStatus(const QJsonValue &data, ProxmoxCluster &cluster, QList<ProxmoxNode> &nodes);
Status nodes(const QJsonValue &data, QList<ProxmoxNode> &nodes); // merges into those of clusterStatus by name
Result<QList<ProxmoxGuest>> guests(const QJsonValue &data);
Result<QList<ProxmoxStorage>> storage(const QJsonValue &data);
Result<ProxmoxTask> taskStatus(const QJsonValue &data);
} // namespace proxmoxparse

// "AB:CD:…" (64 hex digits, upper case, colon separated, as Proxmox shows a certificate's SHA-256 fingerprint)
// from any of "ab:cd…", "ABCD…", "SHA256:AB:CD…"; empty when `text` is not a SHA-256 fingerprint.
QString normalizeCertFingerprint(const QString &text);

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::ProxmoxStatus)
Q_DECLARE_METATYPE(gpudeck::ProxmoxTask)
