#pragma once

#include "models/SwapReport.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace gpudeck {

// One swap as it happens: step, a percent bar, its timestamped log (grouped under each step, in words), a Cancel
// button, and at the end the result (succeeded, or failed with the error and whether the previous model was
// restored). A swap the fit check refused offers "Swap anyway" (the API's `force`).
class SwapProgress : public QWidget
{
    Q_OBJECT
public:
    explicit SwapProgress(QWidget *parent = nullptr);

    void showReport(const SwapReport &report);
    QString swapId() const { return m_report.id; }
    const SwapReport &report() const { return m_report; }
    QLabel *resultLabel() const { return m_result; }

    static QString stateText(SwapState state);
    static QString stepText(const QString &step);         // "stop_current" → "stopping the current model"
    static QString outcomeText(const SwapReport &report); // "failed, previous model restored"

Q_SIGNALS:
    void cancelRequested(const QString &swapId);
    void forceRequested(const SwapReport &refused); // the fit check refused it: the same swap again, forced

private:
    SwapReport m_report;
    QLabel *m_title;
    QLabel *m_step;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
    QPushButton *m_force;
    QPlainTextEdit *m_log;
    QLabel *m_result;
};

} // namespace gpudeck
