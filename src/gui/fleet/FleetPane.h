#pragma once

#include "Confirm.h"
#include "fleet/FleetSnapshot.h"
#include "proxmox/ProxmoxTypes.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QScrollArea;
class QStackedWidget;
class QVBoxLayout;

namespace gpudeck {

class Core;
class FleetFeed;
class FleetPods;
class FleetProxmox;
class FleetWake;
class FlowLayout;
class HostTile;
class PodsSection;
class ProxmoxSection;

// The Fleet pane, the window's first: every host as a fixed-size tile (name, kind, link and since when, GPUs as
// utilisation and memory bars with temperature, the served model, running jobs, alerts; "asleep — Wake" for a host
// that can be woken), the fleet's totals above them, and one click from a tile to the host's details.
//
// Its content is the core's FleetSnapshot (what GET /api/dgx/fleet answers), read once a second on the feed's own
// thread while the pane is on screen; setSnapshot() is also the seam tests feed. Tiles are kept across snapshots
// and repaint only when what they show changed.
class FleetPane : public QWidget
{
    Q_OBJECT
public:
    explicit FleetPane(Core &core, QWidget *parent = nullptr);
    ~FleetPane() override;

    void setSnapshot(const FleetSnapshot &snapshot);
    // Reads the fleet now (while shown), e.g. when a link is known to have changed.
    void refresh();
    const FleetSnapshot &snapshot() const { return m_snapshot; }

    HostTile *tile(qint64 connectionId) const { return m_tiles.value(connectionId); }
    QList<HostTile *> tiles() const; // in the fleet's order
    FleetFeed *feed() const { return m_feed; }
    FleetProxmox *proxmox() const { return m_proxmox; }
    FleetWake *wake() const { return m_wake; }
    QWidget *totalsBar() const { return m_totals; }
    // A caption's value in the totals bar ("hosts", "gpus", "memory", "power", "jobs", "alerts").
    QString totalText(const QString &key) const;

    // A wake under way on that host's tile (the Wake button turns into Cancel).
    void setWaking(qint64 connectionId, bool waking, double progress = -1, const QString &text = {});

    // A Proxmox connection's latest read: its cluster section below the tiles (created on the first one). Several
    // connections to nodes of one cluster show it once, under the first of them by name.
    void setProxmoxStatus(const ProxmoxStatus &status);
    void removeProxmox(qint64 connectionId);
    ProxmoxSection *proxmoxSection(qint64 connectionId) const { return m_clusters.value(connectionId); }
    // How the Proxmox and Pods sections ask before an action (tests answer instead).
    void setQuestion(Confirm::Question question);

    // RunPod pods, below the hosts and clusters (FleetPods feeds it from the core's RunPodService).
    PodsSection *podsSection() const { return m_podsSection; }
    FleetPods *pods() const { return m_pods; }

Q_SIGNALS:
    // A tile was clicked: show that host's details.
    void hostActivated(qint64 connectionId);
    void wakeRequested(qint64 connectionId);
    void wakeCancelRequested(qint64 connectionId);
    // "Add a connection" from the empty view.
    void addConnectionRequested();
    // "Import from ~/.ssh/config" from the empty view.
    void importRequested();
    // Asked and confirmed in a Proxmox section: start, shutdown, stop or reboot that guest.
    void proxmoxActionRequested(qint64 connectionId, int vmid, const QString &action);
    void proxmoxTrustRequested(qint64 connectionId, const QString &fingerprint, bool replace);
    void message(const QString &text);
    // A snapshot was shown (after the tiles took it).
    void snapshotApplied(const gpudeck::FleetSnapshot &snapshot);
    // Tiles were added or removed.
    void tilesChanged();
    // The pane went on or off screen.
    void shownChanged(bool shown);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildTotals();
    QWidget *buildEmpty();
    void setTotal(const QString &key, const QString &text, const QString &toolTip = {}, bool attention = false);
    void updateTotals();
    HostTile *makeTile(qint64 connectionId);
    void arrangeClusters();
    void updateStack();

    Core &m_core;
    FleetFeed *m_feed;
    FleetProxmox *m_proxmox = nullptr;
    FleetWake *m_wake = nullptr;
    FleetPods *m_pods = nullptr;
    PodsSection *m_podsSection = nullptr;
    FleetSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    QWidget *m_totals = nullptr;
    QHash<QString, QLabel *> m_totalValues;
    QLabel *m_readError = nullptr;
    QStackedWidget *m_stack = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_tilesWidget = nullptr;
    FlowLayout *m_flow = nullptr;
    QVBoxLayout *m_content = nullptr;
    QHash<qint64, HostTile *> m_tiles;
    QList<HostTile *> m_order;
    QHash<qint64, ProxmoxSection *> m_clusters; // by connection
    Confirm::Question m_question = Confirm::standard();
};

} // namespace gpudeck
