#include "report/ReportBuilder.h"

#include "alerts/AlertRepository.h"
#include "fleet/FleetBuilder.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"
#include "store/SwapHistoryRepository.h"

#include <QHash>
#include <algorithm>

namespace gpudeck {
namespace {

const QString kConnected = QStringLiteral("connected");
const QString kDisconnected = QStringLiteral("disconnected");

bool isDownState(const QString &state)
{
    return state == QStringLiteral("reconnecting") || state == QStringLiteral("failed");
}

bool isDown(const LinkState state)
{
    return state == LinkState::Reconnecting || state == LinkState::Failed;
}

bool inWindow(const QDateTime &t, const QDateTime &from, const QDateTime &to)
{
    return t.isValid() && t >= from && t <= to;
}

// The link history, walked per connection: a stretch in reconnecting/failed is an outage; connected ends it, and so
// does a disconnect (the host was let go while down).
QList<ReportOutage> outagesOf(const QList<LinkEvent> &events, const QList<LinkEvent> &before, const QDateTime &from)
{
    QHash<qint64, ReportOutage> open;
    QList<ReportOutage> out;
    for (const LinkEvent &e : before) {
        if (isDownState(e.state)) {
            ReportOutage o;
            o.connectionId = e.connectionId;
            o.host = e.connectionName;
            o.downAt = from;
            o.downBefore = true;
            o.reason = e.reason;
            open.insert(e.connectionId, o);
        }
    }
    for (const LinkEvent &e : events) {
        const auto it = open.find(e.connectionId);
        if (isDownState(e.state)) {
            if (it == open.end()) {
                ReportOutage o;
                o.connectionId = e.connectionId;
                o.host = e.connectionName;
                o.downAt = e.at;
                o.reason = e.reason;
                open.insert(e.connectionId, o);
            } else if (it->reason.isEmpty()) {
                it->reason = e.reason;
            }
        } else if (it != open.end() && (e.state == kConnected || e.state == kDisconnected)) {
            ReportOutage o = *it;
            o.upAt = e.at;
            o.endedBy = e.state;
            o.host = e.connectionName; // the name it has now
            out.append(o);
            open.erase(it);
        }
    }
    for (const ReportOutage &o : open) {
        out.append(o);
    }
    std::sort(out.begin(), out.end(), [](const ReportOutage &a, const ReportOutage &b) {
        return a.downAt != b.downAt ? a.downAt < b.downAt : a.connectionId < b.connectionId;
    });
    return out;
}

QList<ReportAttention> attentionOf(const StatusReport &r)
{
    QList<ReportAttention> out;
    QSet<qint64> hostsDown;
    for (const FleetHost &h : r.fleet.hosts) {
        if (isDown(h.link.state)) {
            hostsDown.insert(h.connectionId);
            // A host that can be woken may just be asleep: worth a look, not an emergency.
            QString message = h.asleep ? QStringLiteral("%1 is not answering, asleep or down (%2)")
                                       : QStringLiteral("%1 is down (%2)");
            message = message.arg(h.name, linkStateName(h.link.state));
            if (!h.link.reason.isEmpty()) {
                message += QStringLiteral(": ") + h.link.reason;
            }
            out.append({h.asleep ? QStringLiteral("warning") : QStringLiteral("critical"), QStringLiteral("host_down"),
                        h.name, message, h.link.since});
        }
        if (h.serving && h.serving->health == Health::Down && !h.serving->model.isEmpty()) {
            out.append({QStringLiteral("warning"), QStringLiteral("model_down"), h.name,
                        QStringLiteral("model %1 is not answering%2")
                            .arg(h.serving->model,
                                 h.serving->detail.isEmpty() ? QString() : QStringLiteral(": ") + h.serving->detail),
                        h.serving->checkedAt});
        }
        for (const ServiceHealth &s : h.services) {
            if (s.health == Health::Down) {
                out.append({QStringLiteral("warning"), QStringLiteral("service_down"), h.name,
                            QStringLiteral("service %1 is down%2")
                                .arg(s.name, s.detail.isEmpty() ? QString() : QStringLiteral(": ") + s.detail),
                            s.since});
            }
        }
    }
    if (r.clusters) {
        for (const ReportCluster &c : *r.clusters) {
            if (!c.quorate) {
                out.append({QStringLiteral("critical"),
                            QStringLiteral("quorum_lost"),
                            c.connectionName,
                            QStringLiteral("cluster %1 has lost quorum (%2 of %3 nodes online)")
                                .arg(c.cluster.isEmpty() ? c.connectionName : c.cluster)
                                .arg(c.nodesOnline)
                                .arg(c.nodesOnline + c.nodesOffline),
                            {}});
            }
        }
    }
    // Active alerts that say something the lines above do not (a host that is down is said once).
    QList<Alert> active;
    for (const FleetHost &h : r.fleet.hosts) {
        active += h.alerts;
    }
    active += r.fleet.otherAlerts;
    for (const Alert &a : active) {
        if (a.severity != QStringLiteral("critical") && a.severity != QStringLiteral("warning")) {
            continue;
        }
        if (a.kind == QStringLiteral("host_unreachable") && hostsDown.contains(a.connectionId)) {
            continue;
        }
        out.append({a.severity, QStringLiteral("alert"), a.connectionName, a.message, a.startedAt});
    }
    for (const ReportJob &j : r.jobsEnded) {
        if (j.job.status == QStringLiteral("failed")) {
            QString message = QStringLiteral("job %1 failed").arg(j.job.name);
            if (j.job.exitCode) {
                message += QStringLiteral(" (exit code %1)").arg(*j.job.exitCode);
            }
            if (!j.job.statusReason.isEmpty()) {
                message += QStringLiteral(": ") + j.job.statusReason;
            }
            out.append({QStringLiteral("warning"), QStringLiteral("job_failed"), j.host, message, j.job.completedAt});
        }
    }
    for (const SwapReport &s : r.swaps) {
        if (s.state == SwapState::Failed) {
            QString message = QStringLiteral("swap to %1 failed").arg(s.model);
            if (!s.error.isEmpty()) {
                message += QStringLiteral(": ") + s.error;
            }
            if (s.restored) {
                message += *s.restored ? QStringLiteral(" (%1 restored)").arg(s.previous)
                                       : QStringLiteral(" (%1 NOT restored)").arg(s.previous);
            }
            out.append({QStringLiteral("warning"), QStringLiteral("swap_failed"), s.host, message, s.finishedAt});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const ReportAttention &a, const ReportAttention &b) {
        const bool ac = a.severity == QStringLiteral("critical");
        const bool bc = b.severity == QStringLiteral("critical");
        if (ac != bc) {
            return ac;
        }
        return a.since.isValid() && b.since.isValid() ? a.since < b.since : a.since.isValid();
    });
    return out;
}

} // namespace

StatusReport buildReport(const ReportInputs &in)
{
    StatusReport r;
    r.generatedAt = in.now.toUTC();
    r.to = r.generatedAt;
    r.from = r.to.addSecs(-qint64(qMax(1, in.hours)) * 3600);
    r.fleet = in.fleet;
    r.clusters = in.clusters;

    for (const Alert &a : in.alerts) {
        // A finished job is an (already ended) info alert too; the report lists jobs on their own.
        if (a.kind == QStringLiteral("job_ended")) {
            continue;
        }
        if (inWindow(a.startedAt, r.from, r.to) || inWindow(a.endedAt, r.from, r.to)) {
            r.alerts.append(a);
        }
    }
    std::stable_sort(r.alerts.begin(), r.alerts.end(),
                     [](const Alert &a, const Alert &b) { return a.startedAt < b.startedAt; });

    QHash<qint64, const Project *> projects;
    for (const Project &p : in.projects) {
        projects.insert(p.id, &p);
    }
    QHash<qint64, QString> hostNames;
    for (const Connection &c : in.connections) {
        hostNames.insert(c.id, c.name);
    }
    for (const Job &j : in.jobsEnded) {
        if (!Job::isFinal(j.status) || !inWindow(j.completedAt, r.from, r.to)) {
            continue;
        }
        ReportJob rj{j, {}, {}};
        if (const Project *p = projects.value(j.projectId)) {
            rj.projectName = p->name;
            rj.host = hostNames.value(p->connectionId);
        }
        r.jobsEnded.append(rj);
    }
    std::stable_sort(r.jobsEnded.begin(), r.jobsEnded.end(),
                     [](const ReportJob &a, const ReportJob &b) { return a.job.completedAt > b.job.completedAt; });

    for (const SwapReport &s : in.swaps) {
        if (s.finished() && inWindow(s.finishedAt, r.from, r.to)) {
            r.swaps.append(s);
        }
    }
    std::stable_sort(r.swaps.begin(), r.swaps.end(),
                     [](const SwapReport &a, const SwapReport &b) { return a.finishedAt < b.finishedAt; });

    QList<LinkEvent> before = in.linkBefore;
    for (const LinkEvent &e : in.linkEvents) {
        if (inWindow(e.at, r.from, r.to)) {
            r.linkEvents.append(e);
        } else if (e.at.isValid() && e.at < r.from) {
            before.append(e); // an older event handed in: it only says the state at the window's start
        }
    }
    std::stable_sort(r.linkEvents.begin(), r.linkEvents.end(),
                     [](const LinkEvent &a, const LinkEvent &b) { return a.at < b.at; });
    // Of the events before the window, each connection's latest.
    QHash<qint64, LinkEvent> latest;
    for (const LinkEvent &e : before) {
        const auto it = latest.constFind(e.connectionId);
        if (it == latest.constEnd() || it->at <= e.at) {
            latest.insert(e.connectionId, e);
        }
    }
    r.outages = outagesOf(r.linkEvents, latest.values(), r.from);
    r.attention = attentionOf(r);
    return r;
}

ReportReader::ReportReader(Database &db, const FleetReader &fleet, ConnectionRepository &connections,
                           ProjectRepository &projects, JobRepository &jobs, ClusterSource clusters)
    : m_db(db)
    , m_fleet(fleet)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_clusters(std::move(clusters))
{
}

Result<StatusReport> ReportReader::read(const QDateTime &now, int hours) const
{
    ReportInputs in;
    in.now = now.toUTC();
    in.hours = hours;
    const QDateTime from = in.now.addSecs(-qint64(qMax(1, hours)) * 3600);
    auto fleet = m_fleet.read();
    if (!fleet.ok()) {
        return fleet.error();
    }
    in.fleet = std::move(fleet.value());
    if (m_clusters) {
        in.clusters = m_clusters();
    }
    auto alerts = AlertRepository(m_db).listSince(from, 5000);
    if (!alerts.ok()) {
        return alerts.error();
    }
    in.alerts = std::move(alerts.value());
    auto jobs = m_jobs.listEndedSince(from, 1000);
    if (!jobs.ok()) {
        return jobs.error();
    }
    in.jobsEnded = std::move(jobs.value());
    auto projects = m_projects.list();
    if (!projects.ok()) {
        return projects.error();
    }
    in.projects = std::move(projects.value());
    auto connections = m_connections.list();
    if (!connections.ok()) {
        return connections.error();
    }
    in.connections = std::move(connections.value());
    auto swaps = SwapHistoryRepository(m_db).listSince(from);
    if (!swaps.ok()) {
        return swaps.error();
    }
    in.swaps = std::move(swaps.value());
    LinkEventRepository links(m_db);
    auto events = links.listSince(from);
    if (!events.ok()) {
        return events.error();
    }
    in.linkEvents = std::move(events.value());
    auto before = links.latestBefore(from);
    if (!before.ok()) {
        return before.error();
    }
    in.linkBefore = std::move(before.value());
    return buildReport(in);
}

} // namespace gpudeck
