#include "fleet/FleetProxmox.h"

#include "app/Core.h"
#include "fleet/FleetPane.h"
#include "fleet/FleetSnapshot.h"
#include "fleet/ProxmoxSection.h"
#include "proxmox/ProxmoxService.h"

namespace gpudeck {

FleetProxmox::FleetProxmox(Core &core, FleetPane *pane, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_pane(pane)
{
    ProxmoxService &service = m_core.proxmox();
    // Emitted on the Proxmox thread: queued to this one.
    connect(&service, &ProxmoxService::statusChanged, this, &FleetProxmox::statusRead);
    connect(&service, &ProxmoxService::taskUpdated, this, &FleetProxmox::taskUpdated);
    connect(m_pane, &FleetPane::proxmoxActionRequested, this, &FleetProxmox::act);
    connect(m_pane, &FleetPane::proxmoxTrustRequested, this, &FleetProxmox::trust);
}

FleetProxmox::~FleetProxmox()
{
    m_shown = false;
    apply(); // every watch ends with the pane
}

void FleetProxmox::follow(const FleetSnapshot &snapshot)
{
    QSet<qint64> proxmox;
    for (const FleetHost &host : snapshot.hosts) {
        if (host.kind == QStringLiteral("proxmox")) {
            proxmox.insert(host.connectionId);
        }
    }
    // A connection that is no longer a Proxmox node (deleted, its kind changed) loses its section.
    for (const qint64 id : m_proxmox) {
        if (!proxmox.contains(id)) {
            m_pane->removeProxmox(id);
        }
    }
    m_proxmox = proxmox;
    apply();
}

void FleetProxmox::setShown(bool shown)
{
    m_shown = shown;
    apply();
}

void FleetProxmox::apply()
{
    ProxmoxService &service = m_core.proxmox();
    const QSet<qint64> wanted = m_shown ? m_proxmox : QSet<qint64>{};
    for (const qint64 id : m_watched) {
        if (!wanted.contains(id)) {
            service.unwatch(id);
        }
    }
    for (const qint64 id : wanted) {
        if (!m_watched.contains(id)) {
            service.watch(id); // reads now, then every 10 s
            const ProxmoxStatus known = service.snapshot(id);
            if (known.hasData() || known.error) {
                m_pane->setProxmoxStatus(known);
            }
        }
    }
    m_watched = wanted;
}

void FleetProxmox::statusRead(const ProxmoxStatus &status)
{
    if (m_proxmox.contains(status.connectionId)) {
        m_pane->setProxmoxStatus(status);
    }
}

void FleetProxmox::taskUpdated(const ProxmoxTask &task)
{
    // Tasks started from this pane, and those an agent started through the API on a cluster shown here.
    const qint64 connectionId = task.connectionId > 0 ? task.connectionId : m_tasks.value(task.upid);
    if (!m_proxmox.contains(connectionId)) {
        return;
    }
    if (ProxmoxSection *section = m_pane->proxmoxSection(connectionId)) {
        section->setTask(task);
    }
    if (task.finished()) {
        m_core.proxmox().refresh(connectionId); // the guest's new state, without waiting for the poll
    }
}

void FleetProxmox::act(qint64 connectionId, int vmid, const QString &action)
{
    ProxmoxAction request;
    request.action = action;
    request.vmid = vmid;
    m_core.proxmox()
        .act(connectionId, request)
        .then(this, [this, connectionId, vmid, action](const Result<ProxmoxTask> &result) {
            ProxmoxSection *section = m_pane->proxmoxSection(connectionId);
            if (!result.ok()) {
                if (section) {
                    section->setActionFailed(vmid, action, result.error().message);
                }
                Q_EMIT message(result.error().message);
                return;
            }
            ProxmoxTask task = result.value();
            m_tasks.insert(task.upid, connectionId);
            // The task may have moved on (or ended) before this answer came: take the latest the service knows.
            for (const ProxmoxTask &t : m_core.proxmox().tasks(connectionId)) {
                if (t.upid == task.upid) {
                    task = t;
                    break;
                }
            }
            if (section) {
                section->setTask(task);
            }
            if (task.finished()) {
                m_core.proxmox().refresh(connectionId);
            }
        });
}

void FleetProxmox::trust(qint64 connectionId, const QString &fingerprint, bool replace)
{
    m_core.proxmox()
        .trust(connectionId, fingerprint, replace)
        .then(this, [this, connectionId](const Result<ProxmoxStatus> &result) {
            if (!result.ok()) {
                Q_EMIT message(tr("The certificate was not trusted: %1").arg(result.error().message));
                return;
            }
            Q_EMIT message(tr("Certificate trusted"));
            if (m_proxmox.contains(connectionId)) {
                m_pane->setProxmoxStatus(result.value());
            }
        });
}

} // namespace gpudeck
