#pragma once

#include "sync/SyncTypes.h"

#include <QDialog>
#include <QFuture>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace gpudeck {

class SyncService;

// One sync (push) or pull as it happens: files and bytes done of the total, the file being sent, a Cancel button;
// at the end the summary (sent, unchanged, deleted, extra files, bytes, time) or why it failed, and the per-file
// errors if any. Follows the service's progress signals for its operation id and its `done` future (which also
// covers an operation that ended before the dialog was shown). Not modal: the window stays usable.
class SyncProgressDialog : public QDialog
{
    Q_OBJECT
public:
    // `title`: what is synced where, e.g. "Sync llama-finetune to box-1:/srv/llama".
    SyncProgressDialog(SyncService &service, const SyncProgress &start, const QFuture<SyncProgress> &done,
                       const QString &title, QWidget *parent = nullptr);

    QString operationId() const { return m_progress.id; }
    qint64 projectId() const { return m_progress.projectId; }
    const SyncProgress &progress() const { return m_progress; }
    bool isFinished() const { return m_progress.isFinal(); }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *summaryLabel() const { return m_summary; }

    // "Sent 12 files (3.4 MB), 988 unchanged, 2 deleted on the host, in 1.2 s." and the like.
    static QString summaryText(const SyncProgress &progress);

public Q_SLOTS:
    void reject() override;

Q_SIGNALS:
    void ended(const gpudeck::SyncProgress &progress);

private:
    void display(const SyncProgress &progress);
    void requestCancel();

    SyncService &m_service;
    SyncProgress m_progress;
    QLabel *m_title;
    QLabel *m_state;
    QProgressBar *m_bar;
    QLabel *m_files;
    QLabel *m_bytes;
    QLabel *m_current;
    QLabel *m_summary;
    QPlainTextEdit *m_errors;
    QPushButton *m_cancel;
    QDialogButtonBox *m_buttons;
    QFormLayout *m_form = nullptr;
};

} // namespace gpudeck
