#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "jobs/JobSupervisor.h"
#include "metrics/NvidiaSmiParser.h"
#include "ssh/SshPool.h"

#include <QTimer>

namespace gpudeck {
namespace {

ApiResponse jobResponse(const Result<Job> &r)
{
    return r.ok() ? ApiResponse::json(r->toJson()) : ApiResponse::fromError(r.error());
}

// Streams the job's log as server-sent events (one event per line) until the job ends or the client leaves.
void followLog(ApiContext &ctx, const ApiRequest &req, qint64 jobId, int lines, const std::shared_ptr<ResponseStream> &stream)
{
    const auto follow = ctx.jobRunner.followCommand(jobId, lines);
    if (!follow.ok()) {
        stream->respond(ApiResponse::fromError(follow.error()));
        return;
    }
    stream->begin(200, QByteArrayLiteral("text/event-stream"));
    auto cancel = std::make_shared<ExecCancel>();
    auto buffer = std::make_shared<LineBuffer>();
    ExecOptions options;
    options.timeoutMs = 0;
    options.collectOutput = false;
    options.cancel = cancel;
    options.onOutput = [stream, buffer](const QByteArray &chunk, bool isStderr) {
        if (isStderr) {
            return;
        }
        for (const QString &line : buffer->append(chunk)) {
            stream->write(ResponseStream::sseEvent(line.toUtf8()));
        }
    };
    ctx.ssh.exec(follow->first, follow->second, options).then([stream](const Result<CommandResult> &) {
        stream->write(ResponseStream::sseEvent(QByteArrayLiteral("{}"), QByteArrayLiteral("end")));
        stream->end();
    });
    stream->onClosed([cancel] { cancel->cancel(); });

    // Ends the stream once the job has ended (one more second for the last lines to arrive).
    auto *timer = new QTimer(req.context);
    auto endedTicks = std::make_shared<int>(0);
    JobRepository *jobs = &ctx.jobs;
    QObject::connect(timer, &QTimer::timeout, timer, [timer, jobs, jobId, cancel, stream, endedTicks] {
        const auto job = jobs->get(jobId);
        if (!stream->isOpen() || !job.ok() || (Job::isFinal(job->status) && ++*endedTicks >= 2)) {
            cancel->cancel();
            timer->deleteLater();
        }
    });
    timer->start(500);
}

} // namespace

void registerJobRunRoutes(Router &router, ApiContext &ctx)
{
    router.addAsync("POST", QStringLiteral("/api/dgx/jobs/:id/start"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        if (!req.json.isEmpty()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("start takes no body; set command, working_dir and env on the job")));
        }
        return ctx.jobRunner.startJob(id.value()).then(jobResponse);
    });

    router.addAsync("POST", QStringLiteral("/api/dgx/jobs/:id/cancel"), [&ctx](const ApiRequest &req) {
        const auto id = req.idParam(QStringLiteral("id"), QStringLiteral("job"));
        if (!id.ok()) {
            return ready(ApiResponse::fromError(id.error()));
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("grace_s")})) {
            return ready(*bad);
        }
        const QJsonValue grace = req.json.value(QStringLiteral("grace_s"));
        if (!grace.isUndefined() && (!grace.isDouble() || grace.toDouble() < 0 || grace.toDouble() > 3600)) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'grace_s' must be between 0 and 3600"), QStringLiteral("grace_s")));
        }
        const int graceMs = grace.isUndefined() ? 10000 : static_cast<int>(grace.toDouble() * 1000);
        return ctx.jobRunner.cancelJob(id.value(), graceMs).then(jobResponse);
    });

    router.addStream("GET", QStringLiteral("/api/dgx/jobs/:id/logs"),
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
                         if (req.queryFlag(QStringLiteral("follow"))) {
                             followLog(ctx, req, id.value(), lines, stream);
                             return;
                         }
                         ctx.jobRunner.tailLog(id.value(), lines).then([stream, id](const Result<QString> &r) {
                             if (!r.ok()) {
                                 stream->respond(ApiResponse::fromError(r.error()));
                                 return;
                             }
                             QStringList out = r.value().split(QLatin1Char('\n'));
                             if (!out.isEmpty() && out.last().isEmpty()) {
                                 out.removeLast();
                             }
                             stream->respond(ApiResponse::json(QJsonObject{{QStringLiteral("job_id"), id.value()},
                                                                           {QStringLiteral("lines"), QJsonArray::fromStringList(out)}}));
                         });
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
        const auto series = ctx.jobs.metricSeries(id.value());
        if (!series.ok()) {
            return ApiResponse::fromError(series.error());
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("job_id"), id.value()},
                                             {QStringLiteral("latest"), job->metrics},
                                             {QStringLiteral("series"), series.value()}});
    });
}

} // namespace gpudeck
