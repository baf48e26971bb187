#pragma once

#include "Result.h"
#include "wol/WakeTypes.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace gpudeck {

class Core;
struct Connection;

// "Wake <host>": starts the wake (WakeService, off the GUI thread) and shows where it is — phase, time elapsed
// against the deadline, packets sent and where — with Cancel; then the outcome, in words. Closing it while the wake
// runs cancels the wake. Non-modal; deletes itself when closed.
class WakeDialog : public QDialog
{
    Q_OBJECT
public:
    WakeDialog(Core &core, const Connection &connection, QWidget *parent = nullptr);
    ~WakeDialog() override;

    // Starts the wake (once). `timeoutMs`: the deadline (WakeOptions' default when 0).
    void start(int timeoutMs = 0);
    bool isRunning() const { return m_running; }
    QString outcomeText() const;

Q_SIGNALS:
    void finished(const gpudeck::WakeOutcome &outcome);

protected:
    void reject() override;

private:
    void showProgress();
    void showOutcome(const Result<WakeOutcome> &outcome);

    Core &m_core;
    qint64 m_connectionId = 0;
    QString m_name;
    QLabel *m_phase;
    QLabel *m_details;
    QProgressBar *m_bar;
    QPushButton *m_button;
    QTimer *m_tick;
    bool m_running = false;
    bool m_started = false;
};

} // namespace gpudeck
