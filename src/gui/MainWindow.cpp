#include "MainWindow.h"

#include "AppIcon.h"
#include "alerts/AlertsIndicator.h"
#include "app/Core.h"
#include "connections/ConnectionsPane.h"
#include "fleet/FleetPane.h"
#include "gpus/GpusPane.h"
#include "jobs/JobsPane.h"
#include "models/ModelsPane.h"
#include "report/ReportExport.h"
#include "report/ReportScheduleDialog.h"
#include "settings/PreferencesDialog.h"
#include "tray/TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolButton>

namespace gpudeck {
namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
// By the pane's object name, not its row: rows move when a pane is added (Fleet came first in issue 11).
const QString kPaneKey = QStringLiteral("window/paneName");
constexpr int kStatusMessageMs = 5000;

} // namespace

MainWindow::MainWindow(Core &core, QWidget *parent)
    : QMainWindow(parent)
    , m_core(core)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("GPU Deck"));
    setWindowIcon(AppIcon::make());
    buildPanes();
    buildMenus();
    buildStatusBar();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        buildTray();
    }
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanes()
{
    m_paneList = new QListWidget(this);
    m_paneList->setObjectName(QStringLiteral("paneList"));
    m_paneList->setFrameShape(QFrame::NoFrame);
    m_paneList->setFixedWidth(170);
    // Item padding only applies once the style sheet draws the items itself, hence the full rules.
    m_paneList->setStyleSheet(
        QStringLiteral("QListWidget#paneList { padding: 8px 6px; }"
                       "QListWidget#paneList::item { padding: 9px 12px; border: none; border-radius: 4px; }"
                       "QListWidget#paneList::item:selected { background: palette(highlight);"
                       " color: palette(highlighted-text); }"
                       "QListWidget#paneList::item:hover:!selected { background: palette(alternate-base); }"));
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("paneStack"));

    m_fleetPane = new FleetPane(m_core, m_stack);
    m_connectionsPane = new ConnectionsPane(m_core, m_stack);
    m_gpusPane = new GpusPane(m_core, m_stack);
    m_jobsPane = new JobsPane(m_core, m_stack);
    addPane(m_fleetPane, tr("Fleet"), QStringLiteral("fleetPane"));
    addPane(m_connectionsPane, tr("Connections"), QStringLiteral("connectionsPane"));
    addPane(m_gpusPane, tr("GPUs"), QStringLiteral("gpusPane"));
    m_modelsPane = new ModelsPane(m_core, m_stack);
    auto *modelsPane = m_modelsPane;
    addPane(modelsPane, tr("Models"), QStringLiteral("modelsPane"));
    addPane(m_jobsPane, tr("Jobs"), QStringLiteral("jobsPane"));
    connect(m_paneList, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_fleetPane, &FleetPane::hostActivated, this, &MainWindow::showHost);
    connect(m_fleetPane, &FleetPane::addConnectionRequested, this, [this] {
        showPane(ConnectionsPaneIndex);
        m_connectionsPane->addConnection();
    });
    connect(m_fleetPane, &FleetPane::importRequested, this, [this] {
        showPane(ConnectionsPaneIndex);
        m_connectionsPane->importFromSshConfig();
    });
    connect(m_fleetPane, &FleetPane::message, this, &MainWindow::showStatusMessage);
    connect(m_connectionsPane, &ConnectionsPane::message, this, &MainWindow::showStatusMessage);
    connect(m_jobsPane, &JobsPane::message, this, &MainWindow::showStatusMessage);
    connect(modelsPane, &ModelsPane::message, this, &MainWindow::showStatusMessage);
    connect(m_gpusPane, &GpusPane::message, this, &MainWindow::showStatusMessage);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_paneList);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
}

void MainWindow::addPane(QWidget *pane, const QString &title, const QString &objectName)
{
    pane->setObjectName(objectName);
    m_stack->addWidget(pane);
    new QListWidgetItem(title, m_paneList);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    m_reportExport = new ReportExport(m_core.reports(), this);
    connect(m_reportExport, &ReportExport::message, this, &MainWindow::showStatusMessage);
    QAction *exportReport = file->addAction(tr("&Export report…"), m_reportExport, &ReportExport::exportInteractive);
    exportReport->setObjectName(QStringLiteral("exportReportAction"));
    exportReport->setStatusTip(tr("Saves the status report (what needs attention, the fleet, the last 24 hours) as "
                                  "Markdown, HTML or JSON."));
    QAction *schedule = file->addAction(tr("Report &schedule…"), this, [this] {
        ReportScheduleDialog dialog(m_core.reports(), m_core.audit(), this);
        if (dialog.exec() == QDialog::Accepted) {
            showStatusMessage(tr("Report schedule saved"));
        }
    });
    schedule->setObjectName(QStringLiteral("reportScheduleAction"));
    file->addSeparator();
    QAction *preferences = file->addAction(tr("&Preferences…"), this, &MainWindow::openPreferences);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setMenuRole(QAction::PreferencesRole);
    // Qt knows no Preferences key on some desktops (plain X11, offscreen): Ctrl+, there, as GNOME and macOS use.
    QList<QKeySequence> preferencesKeys = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (preferencesKeys.isEmpty()) {
        preferencesKeys = {QKeySequence(Qt::CTRL | Qt::Key_Comma)};
    }
    preferences->setShortcuts(preferencesKeys);
    file->addSeparator();
    QAction *quitAction = file->addAction(tr("&Quit"), this, &MainWindow::quit);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence::Quit);

    buildViewMenu();

    QMenu *connections = menuBar()->addMenu(tr("&Connections"));
    connections->setObjectName(QStringLiteral("connectionsMenu"));
    m_connectionsPane->addMenuActions(connections);
    // The actions work on the pane's selection, so using one shows the pane.
    connect(connections, &QMenu::triggered, this, [this] { showPane(ConnectionsPaneIndex); });

    QMenu *monitoring = menuBar()->addMenu(tr("&Monitoring"));
    monitoring->addAction(m_gpusPane->pauseAction());
    monitoring->addAction(m_gpusPane->settingsAction());

    QMenu *api = menuBar()->addMenu(tr("&API"));
    QAction *copyAddress = api->addAction(tr("Copy API &address"), this, [this] {
        QGuiApplication::clipboard()->setText(apiAddress());
        showStatusMessage(tr("API address copied to the clipboard"));
    });
    copyAddress->setObjectName(QStringLiteral("copyAddressAction"));
    QAction *copyToken = api->addAction(tr("Copy API &token"), this, &MainWindow::copyApiToken);
    copyToken->setObjectName(QStringLiteral("copyTokenAction"));
    copyToken->setStatusTip(tr("Copies the token agents need for the local API, without showing it."));
    QAction *copyClaude = api->addAction(tr("Copy &Claude Code command"), this, &MainWindow::copyClaudeCommand);
    copyClaude->setObjectName(QStringLiteral("copyClaudeCommandAction"));
    copyClaude->setStatusTip(tr("Copies the 'claude mcp add' command that gives Claude Code GPU Deck's MCP tools "
                                "(it contains the token, which is not shown)."));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About GPU Deck"), this, [this] {
        QMessageBox::about(this, tr("About GPU Deck"),
                           tr("<b>GPU Deck %1</b><p>A command center for your GPU machines: a window and tray icon "
                              "for people, a local REST API for agents, both over the same core.</p>"
                              "<p>Instance id: <tt>%2</tt><br>Every name this install creates on a host and every "
                              "secret it keeps carries this id.</p>")
                               .arg(QCoreApplication::applicationVersion(), m_core.database().instanceId()));
    });
}

void MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    // One entry per pane, Ctrl+1 … Ctrl+5 in the order of the pane list.
    for (int i = 0; i < PaneCount; ++i) {
        QAction *show = view->addAction(m_paneList->item(i)->text(), this, [this, i] { showPane(i); });
        show->setObjectName(QStringLiteral("showPaneAction%1").arg(i + 1));
        show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *refresh = view->addAction(tr("&Refresh"), this, &MainWindow::refreshCurrentPane);
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setStatusTip(tr("Reads what the pane shows again now"));
    // "New" means what the pane makes: a connection, a job (or a project while there is none).
    QAction *create = view->addAction(tr("&New in this pane"), this, &MainWindow::newInCurrentPane);
    create->setObjectName(QStringLiteral("newAction"));
    create->setShortcut(QKeySequence::New);
    create->setStatusTip(tr("A new connection in Connections and Fleet, a new job (or project) in Jobs"));
}

void MainWindow::refreshCurrentPane()
{
    switch (currentPane()) {
    case FleetPaneIndex:
        m_fleetPane->refresh();
        break;
    case ConnectionsPaneIndex:
        m_connectionsPane->refresh();
        break;
    case GpusPaneIndex:
        m_gpusPane->refresh();
        break;
    case ModelsPaneIndex:
        m_modelsPane->refresh();
        break;
    case JobsPaneIndex:
        m_jobsPane->refresh();
        break;
    default:
        break;
    }
    showStatusMessage(tr("Refreshed"));
}

void MainWindow::newInCurrentPane()
{
    if (currentPane() == JobsPaneIndex) {
        if (!m_jobsPane->addJob()) {
            m_jobsPane->addProject(); // no project selected (or none yet): a project first
        }
        return;
    }
    showPane(ConnectionsPaneIndex);
    m_connectionsPane->addConnection();
}

void MainWindow::buildStatusBar()
{
    m_apiLabel = new QLabel(this);
    m_apiLabel->setObjectName(QStringLiteral("apiAddressLabel"));
    m_apiLabel->setText(m_core.apiPort() == 0 ? tr("API not running") : tr("API on %1").arg(apiAddress()));
    m_apiLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *copyToken = new QToolButton(this);
    copyToken->setObjectName(QStringLiteral("copyTokenButton"));
    copyToken->setText(tr("Copy token"));
    copyToken->setToolTip(tr("Copy the API token to the clipboard"));
    copyToken->setAutoRaise(true);
    connect(copyToken, &QToolButton::clicked, this, &MainWindow::copyApiToken);
    auto *alerts = new AlertsIndicator(m_core, this);
    connect(alerts, &QToolButton::clicked, this, [this] { showPane(GpusPaneIndex); });
    statusBar()->addPermanentWidget(alerts);
    statusBar()->addPermanentWidget(m_apiLabel);
    statusBar()->addPermanentWidget(copyToken);
}

void MainWindow::buildTray()
{
    m_tray = new TrayIcon(m_core, this);
    connect(m_tray, &TrayIcon::toggleWindowRequested, this, &MainWindow::toggleVisible);
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    // With the window hidden, closing any dialog would otherwise count as "last window closed" and quit.
    QApplication::setQuitOnLastWindowClosed(false);
}

QString MainWindow::apiAddress() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_core.apiPort());
}

void MainWindow::showStatusMessage(const QString &text)
{
    statusBar()->showMessage(text, kStatusMessageMs);
}

void MainWindow::copyApiToken()
{
    // The token is a password for the API: it goes to the clipboard, never onto the screen.
    QGuiApplication::clipboard()->setText(QString::fromLatin1(m_core.token().value()));
    showStatusMessage(tr("API token copied to the clipboard"));
}

QString MainWindow::claudeCommand() const
{
    return QStringLiteral(
               "claude mcp add --transport http gpu-deck http://%1/mcp --header \"Authorization: Bearer %2\"")
        .arg(apiAddress(), QString::fromLatin1(m_core.token().value()));
}

void MainWindow::copyClaudeCommand()
{
    // It carries the token: to the clipboard only, like the token itself.
    QGuiApplication::clipboard()->setText(claudeCommand());
    showStatusMessage(tr("Claude Code command copied to the clipboard: run it in a terminal"));
}

void MainWindow::showOnStart(bool minimized)
{
    if (!minimized && !PreferencesDialog::startMinimized()) {
        show();
        return;
    }
    // In the tray, the window hidden until the tray icon or its menu shows it; with no tray to come back from,
    // minimised instead.
    if (!m_tray) {
        showMinimized();
    }
}

PreferencesDialog *MainWindow::openPreferences()
{
    auto *dialog = new PreferencesDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] { showStatusMessage(tr("Preferences saved")); });
    dialog->open();
    return dialog;
}

void MainWindow::showPane(int pane)
{
    m_paneList->setCurrentRow(qBound(0, pane, PaneCount - 1));
}

int MainWindow::currentPane() const
{
    return m_paneList->currentRow();
}

void MainWindow::showHost(qint64 connectionId)
{
    m_connectionsPane->select(connectionId);
    showPane(m_gpusPane->focusHost(connectionId) ? GpusPaneIndex : ConnectionsPaneIndex);
}

void MainWindow::toggleVisible()
{
    if (isVisible() && !isMinimized()) {
        hide();
        return;
    }
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::quit()
{
    // A hidden window is not closed on the way out, so its settings are saved here.
    saveSettings();
    QCoreApplication::quit();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    // Only a person closing the window sends it to the tray. Qt closes windows itself when the application
    // quits (tray menu, SIGTERM, session end); refusing those would cancel the quit.
    if (!m_tray || !event->spontaneous()) {
        event->accept();
        return;
    }
    hide();
    event->ignore();
    if (!m_trayHintShown) {
        m_trayHintShown = true;
        m_tray->notify(tr("GPU Deck is still running"),
                       tr("Monitoring and the API keep running. Quit from the tray menu."));
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_tray) {
        m_tray->setWindowShown(true);
    }
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    if (m_tray) {
        m_tray->setWindowShown(false);
    }
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) {
        resize(1100, 700);
    }
    restoreState(settings.value(kStateKey).toByteArray());
    const QString pane = settings.value(kPaneKey).toString();
    int row = FleetPaneIndex;
    for (int i = 0; i < m_stack->count(); ++i) {
        if (m_stack->widget(i)->objectName() == pane) {
            row = i;
        }
    }
    showPane(row);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    if (const QWidget *pane = m_stack->currentWidget()) {
        settings.setValue(kPaneKey, pane->objectName());
    }
}

} // namespace gpudeck
