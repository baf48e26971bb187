#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace gpudeck {

class ConnectionsPane;
class Core;
class FleetPane;
class GpusPane;
class JobsPane;
class ModelsPane;
class PreferencesDialog;
class ReportExport;
class TrayIcon;

// The window: a list of panes on the left, the chosen pane on the right, the API address in the status bar.
// With a system tray, closing the window hides it and GPU Deck keeps running; without one, closing quits.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The order of the pane list, also what QSettings remembers.
    enum Pane { FleetPaneIndex, ConnectionsPaneIndex, GpusPaneIndex, ModelsPaneIndex, JobsPaneIndex, PaneCount };

    explicit MainWindow(Core &core, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the window, or with `minimized` (--minimized, the autostart entry) or "Start minimised to the tray"
    // keeps it in the tray.
    void showOnStart(bool minimized = false);
    PreferencesDialog *openPreferences();
    void showPane(int pane);
    int currentPane() const;
    // View ▸ Refresh (F5) and View ▸ New (Ctrl+N) for the pane shown.
    void refreshCurrentPane();
    void newInCurrentPane();
    // A host's details: its column in the GPUs pane when it has one there, else its row in Connections (selected
    // in both either way).
    void showHost(qint64 connectionId);
    bool hasTray() const { return m_tray != nullptr; }

    FleetPane *fleetPane() const { return m_fleetPane; }
    ConnectionsPane *connectionsPane() const { return m_connectionsPane; }
    GpusPane *gpusPane() const { return m_gpusPane; }
    JobsPane *jobsPane() const { return m_jobsPane; }
    ReportExport *reportExport() const { return m_reportExport; }

    void copyApiToken();
    // `claude mcp add --transport http gpu-deck http://127.0.0.1:<port>/mcp --header "Authorization: Bearer <token>"`
    void copyClaudeCommand();
    QString claudeCommand() const;
    void quit();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildPanes();
    void addPane(QWidget *pane, const QString &title, const QString &objectName);
    void buildMenus();
    void buildViewMenu();
    void buildStatusBar();
    void buildTray();
    void toggleVisible();
    void showStatusMessage(const QString &text);
    void restoreSettings();
    void saveSettings() const;
    QString apiAddress() const;

    Core &m_core;
    QListWidget *m_paneList = nullptr;
    QStackedWidget *m_stack = nullptr;
    FleetPane *m_fleetPane = nullptr;
    ConnectionsPane *m_connectionsPane = nullptr;
    GpusPane *m_gpusPane = nullptr;
    ModelsPane *m_modelsPane = nullptr;
    JobsPane *m_jobsPane = nullptr;
    QLabel *m_apiLabel = nullptr;
    TrayIcon *m_tray = nullptr;
    ReportExport *m_reportExport = nullptr;
    bool m_trayHintShown = false;
};

} // namespace gpudeck
