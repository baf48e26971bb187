#pragma once

#include <QToolButton>

class QTimer;

namespace gpudeck {

class Core;

// A status-bar button that shows how many alerts are active ("2 active alerts") and hides when none are.
// Clicking it asks for the alerts (MainWindow shows the GPUs pane, where they are listed).
class AlertsIndicator : public QToolButton
{
    Q_OBJECT
public:
    explicit AlertsIndicator(Core &core, QWidget *parent = nullptr);

    void reload();
    int activeCount() const { return m_active; }

private:
    Core &m_core;
    QTimer *m_reloadTimer;
    int m_active = 0;
};

} // namespace gpudeck
