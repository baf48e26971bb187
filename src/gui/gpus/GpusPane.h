#pragma once

#include "alerts/Alert.h"
#include "gpus/LiveBuffer.h"
#include "metrics/HostMetrics.h"
#include "store/Entities.h"
#include "store/MetricRepository.h"

#include <QHash>
#include <QSet>
#include <QWidget>
#include <map>

class QAction;
class QButtonGroup;
class QHBoxLayout;
class QLabel;
class QMenu;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace gpudeck {

class AlertsPanel;
class Core;
class HostColumn;
class MonitoringSettingsDialog;

// The GPUs pane: one column per host, side by side (a DGX Spark pair reads left and right), each with
// utilisation, memory, temperature and power over the chosen range, the current readings per GPU and the
// processes on them; the alerts below.
//
// Live (5 min) is drawn from memory: every snapshot the collector publishes is appended to a per-host
// buffer, and the charts are redrawn at most once a second, only while the pane is on screen, and only the
// hosts that sent something (the others' time axes move on every ten seconds). Nothing changed, nothing is
// redrawn: the redraw timer stops until the next snapshot. Longer
// ranges read the stored roll-ups once when chosen, then again every 30 s (1 h) or 5 min (longer).
class GpusPane : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Live, Hour, Day, Week, Month };

    explicit GpusPane(Core &core, QWidget *parent = nullptr);
    ~GpusPane() override;

    Range range() const { return m_range; }
    void setRange(Range range);
    static qint64 spanMs(Range range);

    // A host's latest metrics: what MetricsService::hostUpdated brings in, and the seam tests feed.
    // Appends its new readings to the live buffer; the charts follow at the next redraw.
    void applySnapshot(const HostMetrics &metrics);
    // Redraws every host that changed now, without waiting for the once-a-second tick.
    void refreshNow();
    // Reads the stored history of every host again (longer ranges).
    void reloadHistory();
    // Both: the history again, then every host redrawn (View ▸ Refresh, F5).
    void refresh()
    {
        reloadHistory();
        refreshNow();
    }

    // Brings that host's column into view and marks it (shown again if it was hidden); false when the host has
    // no column (never monitored, nothing stored): its details are elsewhere.
    bool focusHost(qint64 connectionId);
    qint64 focusedHost() const { return m_focused; }

    // In how many ms the next redraw is due (a second after a snapshot; ten seconds when nothing came in, to move
    // the live time axes on), -1 when none is (nothing live, nothing changed).
    int nextRedrawMs() const;

    HostColumn *hostColumn(qint64 connectionId) const;
    QList<HostColumn *> hostColumns() const; // left to right
    AlertsPanel *alertsPanel() const { return m_alerts; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *settingsAction() const { return m_settingsAction; }
    MonitoringSettingsDialog *openSettings();

Q_SIGNALS:
    void message(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Host
    {
        qint64 id = 0;
        QString name;
        HostMetrics metrics;
        bool live = false;   // the collector has a snapshot of it
        bool seeded = false; // the live buffer was primed from the store once
        LiveBuffer buffer;
        History history;
        qint64 historyToMs = 0;
        bool dirty = true;
        qint64 drawnMs = 0; // last redrawn (its time axis moved)
        HostColumn *column = nullptr;
    };

    QWidget *buildToolbar();
    void reloadConnections();
    Host &host(qint64 id, const QString &name);
    void seedLive(Host &h);
    bool isShown(const Host &h) const;
    void updateColumns();
    void tick();
    void scheduleTick(); // the redraw timer runs again, when the pane is shown
    void render(Host &h, qint64 nowMs);
    void renderLive(Host &h, qint64 nowMs, bool rebuild);
    void renderHistory(Host &h);
    void setPaused(bool paused);
    void syncSettings();
    void rebuildHostsMenu();
    void saveSettings() const;

    Core &m_core;
    Range m_range = Range::Live;
    int m_intervalMs = 2000;
    AlertThresholds m_thresholds;
    std::map<qint64, Host> m_hosts;  // node-based: Host addresses stay valid
    QList<Connection> m_connections; // sorted by name
    QSet<qint64> m_hidden;

    QButtonGroup *m_rangeButtons = nullptr;
    QToolButton *m_hostsButton = nullptr;
    QMenu *m_hostsMenu = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyHint = nullptr;
    QScrollArea *m_scroll = nullptr;
    QHBoxLayout *m_columnsLayout = nullptr;
    QList<HostColumn *> m_columnOrder;
    AlertsPanel *m_alerts = nullptr;
    QTimer *m_tick = nullptr;
    QTimer *m_historyTimer = nullptr;
    bool m_historyStale = false;
    qint64 m_focused = 0;
};

} // namespace gpudeck
