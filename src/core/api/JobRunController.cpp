#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/LogFollowStream.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "jobs/JobSupervisor.h"
#include "store/JobRepository.h"

namespace gpudeck {
namespace {

ApiResponse jobResponse(const Result<Job> &r)
{
    return r.ok() ? ApiResponse::json(r->toJson()) : ApiResponse::fromError(r.error());
}

// `?attempt=N`: 0 (the latest) when absent.
Result<int> attemptQuery(const ApiRequest &req)
{
    const QString text = req.queryValue(QStringLiteral("attempt"));
    if (text.isEmpty()) {
        return 0;
    }
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || n < 1) {
        return Error::validation(QStringLiteral("attempt"),
                                 QStringLiteral("'attempt' must be a positive integer (1 is the first run)"));
    }
    return n;
}

// What the `end` event of a followed log says: how attempt `attempt` (0: the latest) of the job ended.
QJsonObject followEnd(JobRepository &jobs, qint64 jobId, int attempt, const Status &status)
{
    QJsonObject out{{QStringLiteral("job_id"), jobId}};
    if (!status.ok()) {
        out.insert(QStringLiteral("error"), status.error().message);
    }
    const auto job = jobs.get(jobId);
    if (!job.ok()) {
        return out;
    }
    const int which = attempt > 0 ? attempt : job->attempt;
    out.insert(QStringLiteral("attempt"), which);
    QString state = job->status;
    std::optional<int> exitCode = job->exitCode;
    QString reason = job->statusReason;
    if (which != job->attempt) {
        const auto a = jobs.attempt(jobId, which);
        if (a.ok()) {
            state = a->status;
            exitCode = a->exitCode;
            reason = a->statusReason;
        }
    }
    out.insert(QStringLiteral("status"), state);
    out.insert(QStringLiteral("exit_code"), exitCode ? QJsonValue(*exitCode) : QJsonValue());
    out.insert(QStringLiteral("status_reason"), reason.isEmpty() ? QJsonValue() : QJsonValue(reason));
    return out;
}

// Streams the job's log as server-sent events (one event per line) until the attempt ends or the client leaves.
// The supervisor reads the log by offset in its per-host poll and fans it out: no SSH channel is held per client.
// The last event says how the attempt ended: {job_id, attempt, status, exit_code, status_reason} (and `error` when
// following stopped for another reason, e.g. GPU Deck shutting down), written on the jobs thread after the poll that
// saw the end recorded it.
void followLog(ApiContext &ctx, qint64 jobId, int attempt, int lines, const std::shared_ptr<ResponseStream> &stream)
{
    streamLogFollow(
        stream,
        [&ctx, jobId, attempt, lines](JobLogFollow::Output output, JobLogFollow::Finished finished) {
            return ctx.jobRunner.followLog(jobId, attempt, lines, std::move(output), std::move(finished));
        },
        [&ctx, jobId, attempt](const Status &status) { return followEnd(ctx.jobs, jobId, attempt, status); });
}

} // namespace

void registerJobRunRoutes(Router &router, ApiContext &ctx)
{
    router.addAsync("POST", QStringLiteral("/api/dgx/jobs/:id/start"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("create_remote_path")})) {
            return ready(
                ApiResponse::error(400, QStringLiteral("validation_failed"),
                                   QStringLiteral("start takes only 'create_remote_path'; set command, working_dir "
                                                  "and env on the job")));
        }
        const QJsonValue create = req.json.value(QStringLiteral("create_remote_path"));
        if (!create.isUndefined() && !create.isBool()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'create_remote_path' must be true or false"),
                                            QStringLiteral("create_remote_path")));
        }
        return ctx.jobRunner.startJob(id.value(), create.toBool(false)).then(jobResponse);
    });

    router.addAsync("POST", QStringLiteral("/api/dgx/jobs/:id/cancel"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("grace_s"), QStringLiteral("dry_run")})) {
            return ready(*bad);
        }
        const QJsonValue grace = req.json.value(QStringLiteral("grace_s"));
        if (!grace.isUndefined() && (!grace.isDouble() || grace.toDouble() < 0 || grace.toDouble() > 3600)) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'grace_s' must be between 0 and 3600"),
                                            QStringLiteral("grace_s")));
        }
        const int graceMs = grace.isUndefined() ? 10000 : static_cast<int>(grace.toDouble() * 1000);
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ready(ApiResponse::fromError(dryRun.error()));
        }
        if (dryRun.value()) {
            return ready(planResponse(planner(ctx).cancelJob(id.value(), graceMs)));
        }
        return ctx.jobRunner.cancelJob(id.value(), graceMs).then(jobResponse);
    });

    router.addStream(
        "GET", QStringLiteral("/api/dgx/jobs/:id/logs"),
        [&ctx](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
            const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
            if (!id.ok()) {
                stream->respond(ApiResponse::fromError(id.error()));
                return;
            }
            bool ok = true;
            const QString tailText = req.queryValue(QStringLiteral("tail"));
            const int lines = tailText.isEmpty() ? 100 : tailText.toInt(&ok);
            if (!ok || lines < 0 || lines > 100000) {
                stream->respond(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                   QStringLiteral("'tail' must be between 0 and 100000"),
                                                   QStringLiteral("tail")));
                return;
            }
            const auto attempt = attemptQuery(req);
            if (!attempt.ok()) {
                stream->respond(ApiResponse::fromError(attempt.error()));
                return;
            }
            if (req.queryFlag(QStringLiteral("follow"))) {
                followLog(ctx, id.value(), attempt.value(), lines, stream);
                return;
            }
            ctx.jobRunner.tailLog(id.value(), lines, attempt.value()).then([stream, id](const Result<QString> &r) {
                if (!r.ok()) {
                    stream->respond(ApiResponse::fromError(r.error()));
                    return;
                }
                QStringList out = r.value().split(QLatin1Char('\n'));
                if (!out.isEmpty() && out.last().isEmpty()) {
                    out.removeLast();
                }
                stream->respond(
                    ApiResponse::json(QJsonObject{{QStringLiteral("job_id"), id.value()},
                                                  {QStringLiteral("lines"), QJsonArray::fromStringList(out)}}));
            });
        });

    router.add("GET", QStringLiteral("/api/dgx/jobs/:id/attempts"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        if (const auto job = ctx.jobs.get(id.value()); !job.ok()) {
            return ApiResponse::fromError(job.error());
        }
        return ApiResponse::json(ctx.jobs.attemptsJson(id.value()));
    });

    router.add("GET", QStringLiteral("/api/dgx/jobs/:id/metrics"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ApiResponse::fromError(id.error());
        }
        const auto job = ctx.jobs.get(id.value());
        if (!job.ok()) {
            return ApiResponse::fromError(job.error());
        }
        const auto attempt = attemptQuery(req);
        if (!attempt.ok()) {
            return ApiResponse::fromError(attempt.error());
        }
        if (attempt.value() > job->attempt) {
            return ApiResponse::fromError(
                Error::notFound(QStringLiteral("job %1 has no attempt %2: it has run %3 time(s)")
                                    .arg(id.value())
                                    .arg(attempt.value())
                                    .arg(job->attempt)));
        }
        const int which = attempt.value() > 0 ? attempt.value() : job->attempt;
        const auto series = ctx.jobs.metricSeries(id.value(), 5000, which);
        if (!series.ok()) {
            return ApiResponse::fromError(series.error());
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("job_id"), id.value()},
                                             {QStringLiteral("attempt"), which},
                                             {QStringLiteral("latest"), job->metrics},
                                             {QStringLiteral("series"), series.value()}});
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/jobs/:id/logs"),
                          {QStringLiteral("tail"), QStringLiteral("attempt"), QStringLiteral("follow")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/jobs/:id/metrics"), {QStringLiteral("attempt")});
}

} // namespace gpudeck
