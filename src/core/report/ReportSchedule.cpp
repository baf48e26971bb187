#include "report/ReportSchedule.h"

#include "store/Entities.h"

#include <QDir>
#include <QFileInfo>

namespace gpudeck {

QJsonObject ReportSchedule::toJson() const
{
    return QJsonObject{{QStringLiteral("enabled"), enabled},
                       {QStringLiteral("time"), time.toString(QStringLiteral("HH:mm"))},
                       {QStringLiteral("folder"), folder.isEmpty() ? QJsonValue() : QJsonValue(folder)},
                       {QStringLiteral("format"), reportFormatName(format)}};
}

bool ReportSchedule::fromJson(const QJsonObject &json, ReportSchedule &out, QString *error)
{
    ReportSchedule s = out;
    const QStringList known{QStringLiteral("enabled"), QStringLiteral("time"), QStringLiteral("folder"),
                            QStringLiteral("format")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            *error = QStringLiteral("unknown field '%1' (known: %2)").arg(it.key(), known.join(QStringLiteral(", ")));
            return false;
        }
    }
    if (json.contains(QStringLiteral("enabled"))) {
        const QJsonValue v = json.value(QStringLiteral("enabled"));
        if (!v.isBool()) {
            *error = QStringLiteral("'enabled' must be true or false");
            return false;
        }
        s.enabled = v.toBool();
    }
    if (json.contains(QStringLiteral("time"))) {
        const QJsonValue v = json.value(QStringLiteral("time"));
        const QTime t = QTime::fromString(v.toString(), QStringLiteral("HH:mm"));
        if (!v.isString() || !t.isValid()) {
            *error = QStringLiteral("'time' must be a local time of day as HH:MM (24-hour), e.g. \"07:00\"");
            return false;
        }
        s.time = t;
    }
    if (json.contains(QStringLiteral("folder"))) {
        const QJsonValue v = json.value(QStringLiteral("folder"));
        if (v.isNull() || (v.isString() && v.toString().trimmed().isEmpty())) {
            s.folder.clear();
        } else if (!v.isString() || !QDir::isAbsolutePath(v.toString().trimmed())) {
            *error = QStringLiteral("'folder' must be an absolute path");
            return false;
        } else {
            s.folder = QDir::cleanPath(v.toString().trimmed());
        }
    }
    if (json.contains(QStringLiteral("format"))) {
        const auto f = parseReportFormat(json.value(QStringLiteral("format")).toString());
        if (!f) {
            *error = QStringLiteral("'format' must be one of: ") + reportFormatNames().join(QStringLiteral(", "));
            return false;
        }
        s.format = *f;
    }
    if (s.enabled && s.folder.isEmpty()) {
        *error = QStringLiteral("'folder' is needed for an enabled schedule: where should the report be written?");
        return false;
    }
    out = s;
    return true;
}

QJsonObject ReportScheduleState::toJson() const
{
    return QJsonObject{
        {QStringLiteral("last_date"), lastDate.isValid() ? QJsonValue(lastDate.toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("last_written_at"), lastWrittenAt.isValid() ? QJsonValue(isoUtc(lastWrittenAt)) : QJsonValue()},
        {QStringLiteral("last_file"), lastFile.isEmpty() ? QJsonValue() : QJsonValue(lastFile)},
        {QStringLiteral("last_error"), lastError.isEmpty() ? QJsonValue() : QJsonValue(lastError)},
        {QStringLiteral("last_failed_at"), lastFailedAt.isValid() ? QJsonValue(isoUtc(lastFailedAt)) : QJsonValue()}};
}

ReportScheduleState ReportScheduleState::fromJson(const QJsonObject &json)
{
    ReportScheduleState s;
    s.lastDate = QDate::fromString(json.value(QStringLiteral("last_date")).toString(), Qt::ISODate);
    s.lastWrittenAt = parseIsoUtc(json.value(QStringLiteral("last_written_at")).toString());
    s.lastFile = json.value(QStringLiteral("last_file")).toString();
    s.lastError = json.value(QStringLiteral("last_error")).toString();
    s.lastFailedAt = parseIsoUtc(json.value(QStringLiteral("last_failed_at")).toString());
    return s;
}

namespace reportschedule {

bool isDue(const ReportSchedule &schedule, const ReportScheduleState &state, const QDateTime &now)
{
    if (!schedule.enabled || schedule.folder.isEmpty() || !now.isValid()) {
        return false;
    }
    const QDateTime local = now.toLocalTime();
    if (local.time() < schedule.time || state.lastDate == local.date()) {
        return false;
    }
    return !state.lastFailedAt.isValid() || state.lastFailedAt.secsTo(now) >= kRetryAfterS ||
           state.lastFailedAt > now; // a clock set back must not block the schedule for good
}

QDateTime nextRun(const ReportSchedule &schedule, const ReportScheduleState &state, const QDateTime &now)
{
    if (!schedule.enabled || schedule.folder.isEmpty()) {
        return {};
    }
    const QDateTime local = now.toLocalTime();
    if (isDue(schedule, state, now)) {
        return local;
    }
    QDateTime today(local.date(), schedule.time, Qt::LocalTime);
    if (state.lastDate != local.date() && local < today) {
        return today;
    }
    if (state.lastDate != local.date() && state.lastFailedAt.isValid()) {
        return state.lastFailedAt.toLocalTime().addSecs(kRetryAfterS); // today's attempt failed: the retry
    }
    return QDateTime(local.date().addDays(1), schedule.time, Qt::LocalTime);
}

QString fileFor(const ReportSchedule &schedule, const QDate &day)
{
    return QDir(schedule.folder)
        .filePath(QStringLiteral("gpudeck-report-%1.%2")
                      .arg(day.toString(Qt::ISODate), reportFileExtension(schedule.format)));
}

} // namespace reportschedule

} // namespace gpudeck
