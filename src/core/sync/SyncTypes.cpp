#include "sync/SyncTypes.h"

#include "store/Entities.h"

#include <QJsonArray>

namespace gpudeck {

QJsonObject SyncSummary::toJson() const
{
    QJsonArray errs;
    for (const auto &[path, message] : errors) {
        errs.append(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("message"), message}});
    }
    return {
        {QStringLiteral("sent"), sent},         {QStringLiteral("unchanged"), unchanged},
        {QStringLiteral("deleted"), deleted},   {QStringLiteral("extra_files_sent"), extra},
        {QStringLiteral("failed"), failed},     {QStringLiteral("bytes_sent"), bytesSent},
        {QStringLiteral("verified"), verified}, {QStringLiteral("errors"), errs},
    };
}

QJsonObject SyncProgress::toJson() const
{
    QJsonObject o{
        {QStringLiteral("id"), id},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("project_id"), projectId},
        {QStringLiteral("connection_id"), connectionId},
        {QStringLiteral("state"), state},
        {QStringLiteral("files_total"), filesTotal},
        {QStringLiteral("files_done"), filesDone},
        {QStringLiteral("bytes_total"), bytesTotal},
        {QStringLiteral("bytes_done"), bytesDone},
        {QStringLiteral("current"), current.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(current)},
        {QStringLiteral("started_at"), isoUtc(startedAt)},
        {QStringLiteral("finished_at"),
         finishedAt.isValid() ? QJsonValue(isoUtc(finishedAt)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("summary"), summary.toJson()},
    };
    if (error) {
        o.insert(QStringLiteral("error"),
                 QJsonObject{
                     {QStringLiteral("code"), error->reason.isEmpty() ? QStringLiteral("sync_failed") : error->reason},
                     {QStringLiteral("message"), error->message}});
    } else {
        o.insert(QStringLiteral("error"), QJsonValue(QJsonValue::Null));
    }
    return o;
}

} // namespace gpudeck
