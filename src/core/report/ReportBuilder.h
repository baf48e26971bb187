#pragma once

#include "Result.h"
#include "report/StatusReport.h"

#include <functional>

namespace gpudeck {

class ConnectionRepository;
class Database;
class FleetReader;
class JobRepository;
class ProjectRepository;

// Everything a report is made of, as copies read at one moment (ReportReader gathers them). The lists may hold more
// than the window (buildReport() keeps only what falls in it).
struct ReportInputs
{
    QDateTime now;
    int hours = 24;
    FleetSnapshot fleet;
    std::optional<QList<ReportCluster>> clusters;
    QList<Alert> alerts;           // raised or ended since the window's start
    QList<Job> jobsEnded;          // ended since the window's start
    QList<Project> projects;       // to name a job's project and host
    QList<Connection> connections; // ditto
    QList<SwapReport> swaps;       // finished since the window's start
    QList<LinkEvent> linkEvents;   // since the window's start, oldest first
    QList<LinkEvent> linkBefore;   // each connection's latest event before the window: its state when it opened
};

// Pure: inputs in, report out, no I/O. The report's rules (the window, outages, what needs attention) live here.
StatusReport buildReport(const ReportInputs &inputs);

// The clusters the report shows, or nothing when no Proxmox core is there to ask.
using ClusterSource = std::function<QList<ReportCluster>()>;

// Gathers ReportInputs from the store and the core (through FleetReader for the fleet now). Thread-safe like the
// doors it reads; SQL reads by indexed time ranges only.
class ReportReader
{
public:
    ReportReader(Database &db, const FleetReader &fleet, ConnectionRepository &connections, ProjectRepository &projects,
                 JobRepository &jobs, ClusterSource clusters = {});

    Result<StatusReport> read(const QDateTime &now, int hours = 24) const;

private:
    Database &m_db;
    const FleetReader &m_fleet;
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    ClusterSource m_clusters;
};

} // namespace gpudeck
