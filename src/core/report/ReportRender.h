#pragma once

#include "report/StatusReport.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

enum class ReportFormat { Json, Markdown, Html };

QString reportFormatName(ReportFormat format); // json markdown html
QStringList reportFormatNames();
std::optional<ReportFormat> parseReportFormat(const QString &name);
QByteArray reportContentType(ReportFormat format); // with charset=utf-8 for the text formats
QString reportFileExtension(ReportFormat format);  // json md html
// The format a file name asks for by its extension (.md/.markdown, .html/.htm, .json); none for anything else.
std::optional<ReportFormat> reportFormatForPath(const QString &path);

// The report as UTF-8 text. JSON is StatusReport::toJson(); Markdown and HTML are the same content for people, every
// piece of data escaped for the format (HTML: &<>"' as entities; Markdown: its punctuation backslash-escaped, table
// pipes included, line breaks flattened), so a host or job name can never become markup, a link or a script.
QByteArray renderReport(const StatusReport &report, ReportFormat format);

// Exposed for tests.
QString markdownEscape(const QString &text);
QString htmlEscape(const QString &text);

} // namespace gpudeck
