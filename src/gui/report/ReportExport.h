#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QWidget;

namespace gpudeck {

class ReportService;

// File → Export report…: asks where to save (the format follows the extension: .md, .html, .json), then builds and
// writes the report on the report service's thread; the window only hears how it went.
class ReportExport : public QObject
{
    Q_OBJECT
public:
    ReportExport(ReportService &reports, QWidget *window);

    // Opens the save dialog, then exports to the file chosen.
    void exportInteractive();
    // Exports to `path` without asking (the dialog's second half; tests call it). A path without a known extension
    // gets `.md`.
    void exportTo(const QString &path);

    // The file name the dialog proposes: gpudeck-report-<today>.md in the folder used last (home at first).
    static QString proposedPath();

Q_SIGNALS:
    void message(const QString &text);
    // The export ended: the file written, or the error in words (for tests and the status bar).
    void finished(const QString &path, const QString &error);

private:
    ReportService &m_reports;
    QPointer<QWidget> m_window;
};

} // namespace gpudeck
