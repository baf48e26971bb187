#include "models/SwapProgress.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {

SwapProgress::SwapProgress(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_step(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("&Cancel swap"), this))
    , m_force(new QPushButton(tr("Swap &anyway…"), this))
    , m_log(new QPlainTextEdit(this))
    , m_result(new QLabel(this))
{
    setObjectName(QStringLiteral("swapProgress"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_step->setObjectName(QStringLiteral("swapStep"));
    m_bar->setObjectName(QStringLiteral("swapBar"));
    m_bar->setRange(0, 100);
    m_cancel->setObjectName(QStringLiteral("cancelSwapButton"));
    m_force->setObjectName(QStringLiteral("forceSwapButton"));
    m_force->setToolTip(tr("Start this swap again without the fit check's refusal"));
    m_log->setObjectName(QStringLiteral("swapLog"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumBlockCount(2000);
    m_result->setObjectName(QStringLiteral("swapResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *row = new QHBoxLayout;
    row->addWidget(m_step);
    row->addWidget(m_bar, 1);
    row->addWidget(m_cancel);
    row->addWidget(m_force);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(row);
    layout->addWidget(m_result);
    layout->addWidget(m_log, 1);
    connect(m_cancel, &QPushButton::clicked, this, [this] { Q_EMIT cancelRequested(m_report.id); });
    connect(m_force, &QPushButton::clicked, this, [this] { Q_EMIT forceRequested(m_report); });
    m_result->hide();
    m_force->hide();
}

QString SwapProgress::stateText(SwapState state)
{
    switch (state) {
    case SwapState::Running:
        return tr("running");
    case SwapState::RollingBack:
        return tr("rolling back");
    case SwapState::Succeeded:
        return tr("succeeded");
    case SwapState::Failed:
        return tr("failed");
    case SwapState::Cancelled:
        return tr("cancelled");
    }
    return {};
}

QString SwapProgress::stepText(const QString &step)
{
    static const QHash<QString, const char *> words{
        {QStringLiteral("queued"), QT_TR_NOOP("waiting to start")},
        {QStringLiteral("detect"), QT_TR_NOOP("finding out what runs")},
        {QStringLiteral("check_fit"), QT_TR_NOOP("checking that it fits in memory")},
        {QStringLiteral("stop_current"), QT_TR_NOOP("stopping the current model")},
        {QStringLiteral("start"), QT_TR_NOOP("starting the new model")},
        {QStringLiteral("wait_healthy"), QT_TR_NOOP("waiting for it to become healthy")},
        {QStringLiteral("verify"), QT_TR_NOOP("checking that it is listed")},
        {QStringLiteral("done"), QT_TR_NOOP("done")},
        {QStringLiteral("collect_logs"), QT_TR_NOOP("reading the model's log")},
        {QStringLiteral("stop_new"), QT_TR_NOOP("stopping the new model")},
        {QStringLiteral("restore"), QT_TR_NOOP("starting the previous model again")},
        {QStringLiteral("restore_wait"), QT_TR_NOOP("waiting for the previous model")},
    };
    const auto it = words.constFind(step);
    return it == words.constEnd() ? step : tr(*it);
}

QString SwapProgress::outcomeText(const SwapReport &report)
{
    if (report.state == SwapState::Failed && report.refused) {
        return tr("refused, nothing was stopped");
    }
    if (report.state == SwapState::Failed || report.state == SwapState::Cancelled) {
        const QString state = stateText(report.state);
        if (!report.restored.has_value()) {
            return state;
        }
        return *report.restored ? tr("%1, previous model restored").arg(state)
                                : tr("%1, previous model not restored").arg(state);
    }
    return stateText(report.state);
}

void SwapProgress::showReport(const SwapReport &report)
{
    m_report = report;
    // A model across hosts: every host the swap holds, and what ran on each.
    const QString where = report.hosts.size() > 1 ? report.hosts.join(QStringLiteral(" + ")) : report.host;
    QStringList before;
    for (const QString &m : report.previousOn.values() + QStringList{report.previous}) {
        if (!m.isEmpty() && !before.contains(m)) {
            before << m;
        }
    }
    const QString previous = before.join(QStringLiteral(", "));
    m_title->setText(previous.isEmpty() ? tr("Swap on %1: start %2").arg(where, report.model)
                                        : tr("Swap on %1: %2 → %3").arg(where, previous, report.model));
    const bool unsuccessful = report.finished() && report.state != SwapState::Succeeded;
    m_step->setText(
        unsuccessful ? tr("Stopped while %1").arg(stepText(report.errorStep.isEmpty() ? report.step : report.errorStep))
                     : tr("Step: %1 (%2)").arg(stepText(report.step), stateText(report.state)));
    // A swap that did not succeed shows an empty bar with its outcome in words: a full bar reads as success.
    m_bar->setValue(unsuccessful ? 0 : report.percent);
    m_bar->setFormat(unsuccessful ? outcomeText(report) : QStringLiteral("%p%"));
    m_cancel->setEnabled(report.state == SwapState::Running);
    m_cancel->setVisible(!report.finished());
    m_force->setVisible(report.finished() && report.refused && report.errorStep == QLatin1String("check_fit") &&
                        !report.force);

    // Each step in words, its lines under it.
    QStringList lines;
    QString step;
    for (const SwapLogLine &line : report.log) {
        const QString at = QLocale().toString(line.at.toLocalTime().time(), QStringLiteral("HH:mm:ss"));
        if (line.step != step || lines.isEmpty()) {
            step = line.step;
            QString words = stepText(step);
            if (!words.isEmpty()) {
                words[0] = words[0].toUpper();
            }
            lines.append(QStringLiteral("%1  %2").arg(at, words));
        }
        lines.append(
            QStringLiteral("%1    %2%3")
                .arg(QString(at.size(), QLatin1Char(' ')),
                     line.level == QLatin1String("info") ? QString() : line.level.toUpper() + QStringLiteral(": "),
                     line.message));
    }
    m_log->setPlainText(lines.join(QLatin1Char('\n')));
    m_log->moveCursor(QTextCursor::End);

    if (!report.finished()) {
        m_result->hide();
        return;
    }
    QString text;
    QString colour;
    if (report.state == SwapState::Succeeded) {
        text = tr("Succeeded: %1 is up on %2.").arg(report.model, where);
        colour = QStringLiteral("#1b7f3b");
    } else {
        text = report.state == SwapState::Cancelled
                   ? tr("Cancelled.")
                   : tr("Failed while %1: %2").arg(stepText(report.errorStep), report.error);
        if (report.refused) {
            text += QLatin1Char('\n') + (previous.isEmpty() ? tr("Nothing was stopped.")
                                                            : tr("Nothing was stopped: %1 still runs.").arg(previous));
        } else if (!report.restored.has_value()) {
            text += QLatin1Char('\n') + tr("No model was up before, so there was nothing to restore.");
        } else if (*report.restored) {
            text += QLatin1Char('\n') + tr("The previous model %1 was restored.").arg(previous);
        } else {
            text += QLatin1Char('\n') +
                    tr("The previous model %1 could not be restored: %2").arg(previous, report.restoreError);
        }
        if (!report.errorOutput.isEmpty()) {
            m_log->appendPlainText(QStringLiteral("\n") + tr("Last output:") + QLatin1Char('\n') + report.errorOutput);
        }
        colour = QStringLiteral("#b3261e");
    }
    m_result->setText(text);
    m_result->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(colour));
    m_result->show();
}

} // namespace gpudeck
