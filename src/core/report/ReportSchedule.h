#pragma once

#include "report/ReportRender.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QTime>

namespace gpudeck {

// The daily report: whether it is written, when (local time of day) and where, in which format. Stored in the
// settings table (key "report"); changed from the GUI (File → Report schedule) or PUT /api/config/report.
struct ReportSchedule
{
    bool enabled = false;
    QTime time = QTime(7, 0); // local time of day, to the minute
    QString folder;           // absolute; created when missing
    ReportFormat format = ReportFormat::Markdown;

    QJsonObject toJson() const;
    // Applies the fields present onto `out`; false with a message naming the field (changing nothing) when one is
    // bad. An enabled schedule needs a folder, and a folder must be an absolute path.
    static bool fromJson(const QJsonObject &json, ReportSchedule &out, QString *error);
};

// What the schedule last did (settings key "report_state"), so a restart neither writes a day twice nor forgets a
// failure.
struct ReportScheduleState
{
    QDate lastDate;          // the local day of the last report written
    QDateTime lastWrittenAt; // UTC
    QString lastFile;
    QString lastError; // the last attempt's failure (cleared by a success)
    QDateTime lastFailedAt;

    QJsonObject toJson() const;
    static ReportScheduleState fromJson(const QJsonObject &json);
};

// The rules of the schedule, pure (tests drive them with any clock).
namespace reportschedule {

// How long a failed attempt waits before the next one (a folder that is not there yet, a full disk).
inline constexpr int kRetryAfterS = 15 * 60;

// Is a report due at local time `now`: enabled with a folder, the time of day reached, none written yet that day,
// and no failure in the last kRetryAfterS. A day whose time passed while GPU Deck was not running is caught up the
// same day; a missed day is not written later.
bool isDue(const ReportSchedule &schedule, const ReportScheduleState &state, const QDateTime &now);
// The next local time a report will be due after `now` (invalid when disabled).
QDateTime nextRun(const ReportSchedule &schedule, const ReportScheduleState &state, const QDateTime &now);
// The file a report of local day `day` is written to: <folder>/gpudeck-report-<yyyy-MM-dd>.<md|html|json>.
QString fileFor(const ReportSchedule &schedule, const QDate &day);

} // namespace reportschedule

} // namespace gpudeck
