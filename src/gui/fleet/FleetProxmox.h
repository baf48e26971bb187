#pragma once

#include <QHash>
#include <QObject>
#include <QSet>

namespace gpudeck {

class Core;
class FleetPane;
struct FleetSnapshot;
struct ProxmoxStatus;
struct ProxmoxTask;

// The Fleet pane's Proxmox sections on the core's ProxmoxService: every `proxmox` connection in the fleet is
// watched (read every 10 s) while the pane is shown and unwatched when it is hidden or the connection goes; each read
// updates its section; a confirmed action is started with ProxmoxService::act and its task followed (taskUpdated)
// to its end on the section that asked.
class FleetProxmox : public QObject
{
    Q_OBJECT
public:
    FleetProxmox(Core &core, FleetPane *pane, QObject *parent = nullptr);
    ~FleetProxmox() override;

    // Which connections are watched: the fleet's proxmox connections while `shown`.
    void follow(const FleetSnapshot &snapshot);
    void setShown(bool shown);
    QSet<qint64> watched() const { return m_watched; }

Q_SIGNALS:
    void message(const QString &text);

private:
    void apply();
    void statusRead(const ProxmoxStatus &status);
    void taskUpdated(const ProxmoxTask &task);
    void act(qint64 connectionId, int vmid, const QString &action);
    void trust(qint64 connectionId, const QString &fingerprint, bool replace);

    Core &m_core;
    FleetPane *m_pane;
    bool m_shown = false;
    QSet<qint64> m_proxmox;         // the fleet's proxmox connections
    QSet<qint64> m_watched;         // watched on the service now
    QHash<QString, qint64> m_tasks; // UPID → connection, for the tasks this pane started
};

} // namespace gpudeck
