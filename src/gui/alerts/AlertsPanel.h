#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QTimer;

namespace gpudeck {

class AlertsModel;
class Core;
class RecordTable;

// The alerts GPU Deck raised, newest first (the last 200), active ones highlighted. Reloads from the store
// whenever an alert is raised or ends.
class AlertsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsPanel(Core &core, QWidget *parent = nullptr);

    void reload();
    AlertsModel *model() const { return m_model; }
    RecordTable *view() const { return m_view; }

private:
    Core &m_core;
    AlertsModel *m_model;
    RecordTable *m_view;
    QLabel *m_summary;
    QCheckBox *m_activeOnly;
    QLabel *m_emptyHint;
    QTimer *m_reloadTimer;
};

} // namespace gpudeck
