#pragma once

#include "Confirm.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace gpudeck {

class Core;
class ModelLogDialog;
class SwapProgress;
struct SwapReport;
struct SwapRequest;

// The Models pane: per host (connection name) the models models.yaml lists, the one being served marked with
// its health, a Swap button per model (asks first, naming what will stop), the running swap's progress, and
// the declared services' health. A broken models.yaml is reported above the last good catalog.
class ModelsPane : public QWidget
{
    Q_OBJECT
public:
    enum ModelColumn {
        NameColumn,
        IdColumn,
        PortColumn,
        SettingsColumn,
        TrafficColumn,
        StateColumn,
        SwapColumn,
        LogsColumn, // a Logs button: the model's own log, followed (ModelLogDialog)
        ColumnCount
    };

    explicit ModelsPane(Core &core, QWidget *parent = nullptr);

    // Asks every host what it serves and checks the services now, as "Refresh status" does (View ▸ Refresh, F5).
    void refresh();

    // Asks (through the confirm question), then starts the swap. False when declined or refused.
    bool swapTo(const QString &host, const QString &model);
    void setConfirm(Confirm::Question question) { m_confirm = std::move(question); }
    // Opens (or raises) the window following `model`'s own log on `host`; it starts following at once.
    ModelLogDialog *showLogs(const QString &host, const QString &model);

    QTreeWidget *modelsView() const { return m_models; }
    QTreeWidget *servicesView() const { return m_services; }
    QLabel *errorsLabel() const { return m_errors; }
    SwapProgress *swapProgress() const { return m_swap; }

Q_SIGNALS:
    void message(const QString &text);

private:
    void reloadCatalog();
    void reloadErrors();
    void reloadServing();
    void reloadServices();
    void reloadTraffic(); // the proxy's per-model figures, every few seconds while the pane is shown
    void showSwap(const SwapReport &report);
    bool startSwap(const SwapRequest &request); // the swap's start, audited; an error is shown
    void forceSwap(const SwapReport &refused);

    Core &m_core;
    QLabel *m_path;
    QLabel *m_errors;
    QTreeWidget *m_models;
    QTreeWidget *m_services;
    SwapProgress *m_swap;
    QPushButton *m_reloadButton;
    QPushButton *m_refreshButton;
    QTimer *m_trafficTimer;
    Confirm::Question m_confirm = Confirm::standard();
    QHash<QString, QPointer<ModelLogDialog>> m_logWindows; // "<host>/<model>"
};

} // namespace gpudeck
