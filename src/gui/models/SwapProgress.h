#pragma once

#include "models/SwapReport.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace gpudeck {

// One swap as it happens: step, a percent bar, its timestamped log, a Cancel button, and at the end the result
// (succeeded, or failed with the error and whether the previous model was restored).
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

private:
    SwapReport m_report;
    QLabel *m_title;
    QLabel *m_step;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
    QPlainTextEdit *m_log;
    QLabel *m_result;
};

} // namespace gpudeck
