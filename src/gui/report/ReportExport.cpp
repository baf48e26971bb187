#include "report/ReportExport.h"

#include "FormErrors.h"
#include "report/ReportService.h"

#include <QDate>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QSettings>

namespace gpudeck {
namespace {

const QString kFolderKey = QStringLiteral("report/exportFolder");

} // namespace

ReportExport::ReportExport(ReportService &reports, QWidget *window)
    : QObject(window)
    , m_reports(reports)
    , m_window(window)
{
}

QString ReportExport::proposedPath()
{
    const QString folder = QSettings().value(kFolderKey, QDir::homePath()).toString();
    return QDir(folder).filePath(
        QStringLiteral("gpudeck-report-%1.md").arg(QDate::currentDate().toString(Qt::ISODate)));
}

void ReportExport::exportInteractive()
{
    const QString markdown = tr("Markdown (*.md)");
    const QString html = tr("HTML page (*.html)");
    const QString json = tr("JSON (*.json)");
    QString filter = markdown;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export report"), proposedPath(),
                                                QStringList{markdown, html, json}.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty()) {
        return;
    }
    if (!reportFormatForPath(path)) {
        // No extension typed: the filter chosen says which.
        path += filter == html   ? QStringLiteral(".html")
                : filter == json ? QStringLiteral(".json")
                                 : QStringLiteral(".md");
    }
    QSettings().setValue(kFolderKey, QFileInfo(path).absolutePath());
    exportTo(path);
}

void ReportExport::exportTo(const QString &path)
{
    QString target = path;
    auto format = reportFormatForPath(target);
    if (!format) {
        target += QStringLiteral(".md");
        format = ReportFormat::Markdown;
    }
    Q_EMIT message(tr("Writing the report to %1…").arg(target));
    auto *watcher = new QFutureWatcher<Result<QString>>(this);
    connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<QString> result = watcher->result();
        if (!result.ok()) {
            const QString error = FormErrors::text(result.error());
            Q_EMIT message(tr("The report could not be written: %1").arg(error));
            if (m_window && m_window->isVisible()) {
                QMessageBox::warning(m_window, tr("Export report"),
                                     tr("The report could not be written.\n\n%1").arg(error));
            }
            Q_EMIT finished({}, error);
            return;
        }
        Q_EMIT message(tr("Report saved to %1").arg(result.value()));
        Q_EMIT finished(result.value(), {});
    });
    watcher->setFuture(m_reports.exportTo(target, *format));
}

} // namespace gpudeck
