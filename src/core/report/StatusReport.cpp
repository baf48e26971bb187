#include "report/StatusReport.h"

#include "store/JsonValues.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

// An alert as the report lists it: what, where, when raised and cleared (no measured value: the message says it).
QJsonObject alertJson(const Alert &a)
{
    return QJsonObject{{QStringLiteral("id"), a.id},
                       {QStringLiteral("connection_name"), textOrNull(a.connectionName)},
                       {QStringLiteral("gpu_index"), a.gpuIndex >= 0 ? QJsonValue(a.gpuIndex) : QJsonValue()},
                       {QStringLiteral("kind"), a.kind},
                       {QStringLiteral("severity"), a.severity},
                       {QStringLiteral("message"), a.message},
                       {QStringLiteral("started_at"), timeOrNull(a.startedAt)},
                       {QStringLiteral("ended_at"), timeOrNull(a.endedAt)}};
}

// A finished swap: its outcome and the short error, never the start command's output.
QJsonObject swapJson(const SwapReport &s)
{
    return QJsonObject{{QStringLiteral("id"), s.id},
                       {QStringLiteral("host"), s.host},
                       {QStringLiteral("model"), s.model},
                       {QStringLiteral("previous"), textOrNull(s.previous)},
                       {QStringLiteral("state"), swapStateName(s.state)},
                       {QStringLiteral("error"), textOrNull(s.error)},
                       {QStringLiteral("restored"), s.restored ? QJsonValue(*s.restored) : QJsonValue()},
                       {QStringLiteral("started_at"), timeOrNull(s.startedAt)},
                       {QStringLiteral("finished_at"), timeOrNull(s.finishedAt)}};
}

} // namespace

QJsonObject ReportCluster::toJson() const
{
    return QJsonObject{{QStringLiteral("connection_name"), connectionName},
                       {QStringLiteral("cluster"), textOrNull(cluster)},
                       {QStringLiteral("quorate"), quorate},
                       {QStringLiteral("nodes_online"), nodesOnline},
                       {QStringLiteral("nodes_offline"), nodesOffline},
                       {QStringLiteral("expected_votes"), expectedVotes},
                       {QStringLiteral("detail"), textOrNull(detail)}};
}

QJsonObject ReportJob::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), job.id},
                       {QStringLiteral("name"), job.name},
                       {QStringLiteral("project_id"), job.projectId},
                       {QStringLiteral("project_name"), textOrNull(projectName)},
                       {QStringLiteral("connection_name"), textOrNull(host)},
                       {QStringLiteral("status"), job.status},
                       {QStringLiteral("exit_code"), job.exitCode ? QJsonValue(*job.exitCode) : QJsonValue()},
                       {QStringLiteral("status_reason"), textOrNull(job.statusReason)},
                       {QStringLiteral("attempt"), job.attempt},
                       {QStringLiteral("started_at"), timeOrNull(job.startedAt)},
                       {QStringLiteral("completed_at"), timeOrNull(job.completedAt)}};
}

QJsonObject ReportOutage::toJson() const
{
    return QJsonObject{
        {QStringLiteral("connection_id"), connectionId}, {QStringLiteral("connection_name"), host},
        {QStringLiteral("down_at"), timeOrNull(downAt)}, {QStringLiteral("down_before_window"), downBefore},
        {QStringLiteral("up_at"), timeOrNull(upAt)},     {QStringLiteral("ended_by"), textOrNull(endedBy)},
        {QStringLiteral("reason"), textOrNull(reason)}};
}

QJsonObject ReportAttention::toJson() const
{
    return QJsonObject{{QStringLiteral("severity"), severity},
                       {QStringLiteral("kind"), kind},
                       {QStringLiteral("connection_name"), textOrNull(host)},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("since"), timeOrNull(since)}};
}

int StatusReport::hoursCovered() const
{
    return int(qRound(double(from.secsTo(to)) / 3600.0));
}

QJsonObject StatusReport::toJson() const
{
    QJsonArray alertArray;
    int raised = 0;
    int cleared = 0;
    for (const Alert &a : alerts) {
        alertArray.append(alertJson(a));
        raised += a.startedAt >= from ? 1 : 0;
        cleared += a.endedAt.isValid() ? 1 : 0;
    }
    QJsonArray swapArray;
    for (const SwapReport &s : swaps) {
        swapArray.append(swapJson(s));
    }
    QJsonObject jobCounts;
    for (const ReportJob &j : jobsEnded) {
        jobCounts.insert(j.job.status, jobCounts.value(j.job.status).toInt() + 1);
    }
    QJsonObject out{
        {QStringLiteral("generated_at"), timeOrNull(generatedAt)},
        {QStringLiteral("window"), QJsonObject{{QStringLiteral("from"), timeOrNull(from)},
                                               {QStringLiteral("to"), timeOrNull(to)},
                                               {QStringLiteral("hours"), hoursCovered()}}},
        {QStringLiteral("attention"), toJsonArray(attention)},
        {QStringLiteral("fleet"), fleet.toJson()},
        {QStringLiteral("clusters"), clusters ? QJsonValue(toJsonArray(*clusters)) : QJsonValue()},
        {QStringLiteral("history"), QJsonObject{{QStringLiteral("alerts"), alertArray},
                                                {QStringLiteral("alerts_raised"), raised},
                                                {QStringLiteral("alerts_cleared"), cleared},
                                                {QStringLiteral("jobs_ended"), toJsonArray(jobsEnded)},
                                                {QStringLiteral("jobs_ended_by_status"), jobCounts},
                                                {QStringLiteral("swaps"), swapArray},
                                                {QStringLiteral("outages"), toJsonArray(outages)},
                                                {QStringLiteral("link_events"), toJsonArray(linkEvents)}}},
    };
    return out;
}

} // namespace gpudeck
