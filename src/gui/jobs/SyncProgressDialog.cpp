#include "jobs/SyncProgressDialog.h"

#include "FormErrors.h"
#include "sync/SyncService.h"

#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

QString bytesText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString secondsText(const SyncProgress &p)
{
    if (!p.startedAt.isValid() || !p.finishedAt.isValid()) {
        return {};
    }
    const double s = static_cast<double>(p.startedAt.msecsTo(p.finishedAt)) / 1000.0;
    return QLocale().toString(s, 'f', s < 10 ? 1 : 0);
}

} // namespace

SyncProgressDialog::SyncProgressDialog(SyncService &service, const SyncProgress &start,
                                       const QFuture<SyncProgress> &done, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_progress(start)
    , m_title(new QLabel(title, this))
    , m_state(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_files(new QLabel(this))
    , m_bytes(new QLabel(this))
    , m_current(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_errors(new QPlainTextEdit(this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_buttons(new QDialogButtonBox(this))
{
    setObjectName(start.kind == QLatin1String("pull") ? QStringLiteral("pullProgressDialog")
                                                      : QStringLiteral("syncProgressDialog"));
    setWindowTitle(start.kind == QLatin1String("pull") ? tr("Pull") : tr("Sync"));
    setMinimumWidth(540);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_state->setObjectName(QStringLiteral("syncState"));
    m_bar->setObjectName(QStringLiteral("syncBar"));
    m_bar->setRange(0, 1000); // per mille of the bytes: a byte count overflows an int
    m_files->setObjectName(QStringLiteral("syncFiles"));
    m_bytes->setObjectName(QStringLiteral("syncBytes"));
    m_current->setObjectName(QStringLiteral("syncCurrent"));
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("syncSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setObjectName(QStringLiteral("syncErrors"));
    m_errors->setReadOnly(true);
    m_errors->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_errors->setMaximumHeight(120);
    m_cancel->setObjectName(QStringLiteral("cancelSyncButton"));
    m_buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    QPushButton *close = m_buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeSyncButton"));

    auto *form = new QFormLayout;
    form->addRow(tr("Files:"), m_files);
    form->addRow(tr("Data:"), m_bytes);
    form->addRow(tr("Now:"), m_current);
    m_form = form;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_state);
    layout->addWidget(m_bar);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_errors);
    layout->addStretch();
    layout->addWidget(m_buttons);

    // Cancel asks the service; the dialog stays until the operation says it ended. Close (or Esc) after the end.
    connect(m_cancel, &QPushButton::clicked, this, &SyncProgressDialog::requestCancel);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(&m_service, &SyncService::progressChanged, this, [this](const SyncProgress &p) {
        if (p.id == m_progress.id && !m_progress.isFinal()) {
            display(p);
        }
    });
    connect(&m_service, &SyncService::finished, this, [this](const SyncProgress &p) {
        if (p.id == m_progress.id) {
            display(p);
        }
    });
    // The future covers an operation that ended before these connections existed.
    QFuture<SyncProgress>(done).then(this, [this](const SyncProgress &p) { display(p); });
    display(m_service.progress(start.id).value_or(start));
}

void SyncProgressDialog::reject()
{
    // Esc or the window's close button while it runs: the operation goes on; the dialog only steps aside (the pane
    // shows it again, and says in the status bar how it ended).
    if (!m_progress.isFinal()) {
        hide();
        return;
    }
    QDialog::reject();
}

void SyncProgressDialog::requestCancel()
{
    if (m_progress.isFinal()) {
        reject();
        return;
    }
    m_cancel->setEnabled(false);
    m_state->setText(tr("Cancelling…"));
    m_service.cancel(m_progress.id);
}

QString SyncProgressDialog::summaryText(const SyncProgress &p)
{
    // No English plural forms are loaded (the app ships no .qm for English), so "1 file" / "N files" are spelled out.
    const SyncSummary &s = p.summary;
    const bool pull = p.kind == QLatin1String("pull");
    const QString took = secondsText(p);
    const QString size = bytesText(s.bytesSent);
    QStringList parts;
    if (pull) {
        parts.append(s.sent == 1 ? tr("Pulled 1 file (%1)").arg(size)
                                 : tr("Pulled %1 files (%2)").arg(s.sent).arg(size));
    } else {
        parts.append(s.sent == 1 ? tr("Sent 1 file (%1)").arg(size) : tr("Sent %1 files (%2)").arg(s.sent).arg(size));
        parts.append(tr("%1 unchanged").arg(s.unchanged));
        if (s.deleted > 0) {
            parts.append(tr("%1 deleted on the host").arg(s.deleted));
        }
    }
    if (s.failed > 0) {
        parts.append(tr("%1 failed").arg(s.failed));
    }
    QString text = parts.join(QStringLiteral(", "));
    text += took.isEmpty() ? QStringLiteral(".") : tr(", in %1 s.").arg(took);
    if (s.extra > 0) {
        text += QLatin1Char(' ') + (s.extra == 1 ? tr("The extra file was sent with mode 0600.")
                                                 : tr("The %1 extra files were sent with mode 0600.").arg(s.extra));
    }
    // Said only when there was a copy to check (a first sync checks nothing).
    if (s.verified && !pull && s.unchanged > 0) {
        text += QLatin1Char(' ') + tr("The host's copy was checked file by file.");
    }
    if (p.state == QLatin1String("cancelled")) {
        return tr("Cancelled. %1 Files not sent yet were left as they were on the host; none is half-written "
                  "under its name.")
            .arg(text);
    }
    if (p.state == QLatin1String("failed")) {
        const QString why = p.error ? FormErrors::text(*p.error) : tr("unknown error");
        return tr("Failed: %1").arg(why) + (s.sent > 0 || s.failed > 0 ? QStringLiteral("\n") + text : QString());
    }
    return text;
}

void SyncProgressDialog::display(const SyncProgress &p)
{
    if (m_progress.isFinal() && !p.isFinal()) {
        return; // a late progress signal after the end
    }
    const bool wasFinal = m_progress.isFinal();
    m_progress = p;
    const bool pull = p.kind == QLatin1String("pull");
    if (p.state == QLatin1String("planning")) {
        m_state->setText(pull ? tr("Listing the remote files…")
                              : tr("Listing what git tracks and what changed since the last sync…"));
    } else if (p.state == QLatin1String("running")) {
        m_state->setText(pull ? tr("Receiving…") : tr("Sending…"));
    } else if (p.state == QLatin1String("completed")) {
        m_state->setText(tr("Done."));
    } else if (p.state == QLatin1String("cancelled")) {
        m_state->setText(tr("Cancelled."));
    } else if (p.state == QLatin1String("failed")) {
        m_state->setText(tr("Failed."));
    }
    const QLocale locale;
    m_files->setText(tr("%1 of %2").arg(locale.toString(p.filesDone), locale.toString(p.filesTotal)));
    m_bytes->setText(tr("%1 of %2").arg(bytesText(p.bytesDone), bytesText(p.bytesTotal)));
    const int permille = p.bytesTotal > 0   ? static_cast<int>(p.bytesDone * 1000 / p.bytesTotal)
                         : p.filesTotal > 0 ? p.filesDone * 1000 / p.filesTotal
                                            : 0;
    m_bar->setValue(p.state == QLatin1String("completed") ? 1000 : std::clamp(permille, 0, 1000));
    // Nothing to show before planning ends: a busy bar rather than a bar stuck at 0.
    m_bar->setMaximum(p.state == QLatin1String("planning") ? 0 : 1000);
    const QFontMetrics metrics(m_current->font());
    m_current->setText(
        p.isFinal() ? QStringLiteral("—")
                    : metrics.elidedText(p.current.isEmpty() ? QStringLiteral("—") : p.current, Qt::ElideMiddle, 360));
    m_form->setRowVisible(m_current, !p.isFinal()); // nothing is "now" once it ended
    m_cancel->setVisible(!p.isFinal());
    m_buttons->button(QDialogButtonBox::Close)->setVisible(p.isFinal());
    m_summary->setVisible(p.isFinal());
    QStringList errors;
    for (const auto &[path, message] : p.summary.errors) {
        errors.append(path.isEmpty() ? message : QStringLiteral("%1: %2").arg(path, message));
    }
    m_errors->setPlainText(errors.join(QLatin1Char('\n')));
    m_errors->setVisible(p.isFinal() && !errors.isEmpty());
    if (p.isFinal()) {
        m_summary->setText(summaryText(p));
        const bool good = p.state == QLatin1String("completed") && p.summary.failed == 0;
        m_summary->setStyleSheet(good ? QString() : QStringLiteral("QLabel { color: #c0392b; }"));
        // A cancelled or failed bar says so rather than a percentage.
        m_bar->setFormat(p.state == QLatin1String("completed") ? QStringLiteral("%p%") : m_state->text());
        if (!wasFinal) {
            m_buttons->button(QDialogButtonBox::Close)->setDefault(true);
            // The summary (and the errors) take room the running dialog did not have.
            layout()->activate();
            adjustSize();
            Q_EMIT ended(p);
        }
    }
}

} // namespace gpudeck
