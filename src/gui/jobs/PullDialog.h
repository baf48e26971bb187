#pragma once

#include "FormErrors.h"
#include "store/Entities.h"
#include "sync/SyncService.h"

#include <QDialog>
#include <memory>

class QFileDialog;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace gpudeck {

// The way back from a project's host: named remote paths (files or folders, relative to the project's remote path
// or absolute), one a line, pulled into a local folder. On Pull the service starts the operation and the dialog
// closes (accepted) with it in started(); a refusal is shown inline and the dialog stays open.
class PullDialog : public QDialog
{
    Q_OBJECT
public:
    PullDialog(SyncService &service, const Project &project, const QString &hostName, QWidget *parent = nullptr);

    QPlainTextEdit *pathsEdit() const { return m_paths; }
    QLineEdit *localDirEdit() const { return m_localDir; }
    // The folder picker, opened without blocking.
    QFileDialog *browseLocalDir();
    // Remote paths from the text: one a line, trimmed, blank lines skipped.
    static QStringList parsePaths(const QString &text);

public Q_SLOTS:
    void accept() override;

Q_SIGNALS:
    void started(const gpudeck::SyncProgress &progress, const QFuture<gpudeck::SyncProgress> &done);

private:
    SyncService &m_service;
    Project m_project;
    QPlainTextEdit *m_paths;
    QLineEdit *m_localDir;
    QLabel *m_error;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
