#pragma once

#include "alerts/Alert.h"
#include "fleet/FleetSnapshot.h"
#include "models/SwapReport.h"
#include "store/Entities.h"
#include "store/LinkEventRepository.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <optional>

namespace gpudeck {

// A Proxmox cluster as the report shows it: quorum and nodes. Filled through ReportService::setClusterSource (the
// seam the Proxmox core plugs into); a report without that source has no cluster section.
struct ReportCluster
{
    QString connectionName; // the proxmox connection the cluster was read through
    QString cluster;        // the cluster's name (empty: a single node)
    bool quorate = true;
    int nodesOnline = 0;
    int nodesOffline = 0;
    int expectedVotes = 0;
    QString detail; // why the cluster could not be read, when it could not

    QJsonObject toJson() const;
};

// A job that reached a final state in the window, with where it ran.
struct ReportJob
{
    Job job;
    QString projectName;
    QString host; // the project's connection name (empty: the connection is gone)

    QJsonObject toJson() const;
};

// A time a host was down (its link reconnecting or failed) within the window, from the link history.
struct ReportOutage
{
    qint64 connectionId = 0;
    QString host;
    QDateTime downAt;        // the window's start when it was already down then
    bool downBefore = false; // already down when the window opened
    QDateTime upAt;          // null: still down at the end of the window (or let go, see endedBy)
    QString endedBy;         // "connected" (back up), "disconnected" (let go while down), empty: not over
    QString reason;          // why it went down (the link's first reason)

    QJsonObject toJson() const;
};

// One thing that needs a person: what, where, since when, how bad.
struct ReportAttention
{
    QString severity; // critical, warning
    QString kind;     // alert, host_down, job_failed, swap_failed, model_down, service_down, quorum_lost
    QString host;     // empty: not about one host
    QString message;
    QDateTime since;

    QJsonObject toJson() const;
};

// The daily status report: the fleet now, what happened in the window (the last 24 h), and what needs attention.
// A plain value: built by buildReport() and written as JSON, Markdown or HTML (ReportRender). Never holds a secret:
// no commands, environments, tokens, key paths or command output, only names, states, times and short reasons.
struct StatusReport
{
    QDateTime generatedAt;
    QDateTime from; // the window: [from, to]
    QDateTime to;
    FleetSnapshot fleet;
    std::optional<QList<ReportCluster>> clusters; // empty optional: no cluster source (the Proxmox core is absent)
    QList<Alert> alerts;                          // raised or cleared in the window, oldest raised first
    QList<ReportJob> jobsEnded;                   // newest end first
    QList<SwapReport> swaps;                      // finished in the window, oldest first
    QList<LinkEvent> linkEvents;                  // oldest first
    QList<ReportOutage> outages;                  // oldest first
    QList<ReportAttention> attention;             // critical first, then by time

    int hoursCovered() const;
    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::StatusReport)
