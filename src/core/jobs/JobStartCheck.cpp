#include "jobs/JobStartCheck.h"

namespace gpudeck {

QString JobStartCheck::jobText(const Job &job)
{
    return QStringLiteral("job '%1'").arg(job.name);
}

Status JobStartCheck::check(const Job &job, const std::optional<JobAttempt> &latest, const QString &host,
                            const LinkStatus &link)
{
    if (job.command.trimmed().isEmpty()) {
        return Error::validation(QStringLiteral("command"),
                                 QStringLiteral("%1 has no command to run; set 'command' first").arg(jobText(job)));
    }
    if (job.status == QStringLiteral("running")) {
        return Error::conflict(QStringLiteral("%1 is running (attempt %2); cancel it or let it end before running it "
                                              "again")
                                   .arg(jobText(job))
                                   .arg(job.attempt));
    }
    if (latest && latest->isLive() && job.status == QStringLiteral("pending")) {
        // A submitted Slurm job stays pending while it waits in the queue; submitting it again would run it twice.
        return Error::conflict(latest->backend == QStringLiteral("slurm")
                                   ? QStringLiteral("%1 was already submitted to Slurm (job %2) and is waiting in the "
                                                    "queue")
                                         .arg(jobText(job), latest->containerId)
                                   : QStringLiteral("%1 may still run on its host (attempt %2, session %3); cancel it "
                                                    "first")
                                         .arg(jobText(job))
                                         .arg(latest->attempt)
                                         .arg(latest->session));
    }
    if (link.state != LinkState::Connected) {
        // The launch is a command on the link: the same refusal the link would give, before anything is prepared.
        return Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                           QStringLiteral("'%1' is %2%3; connect it first to start %4")
                               .arg(host, linkStateName(link.state),
                                    link.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(link.reason),
                                    jobText(job)));
    }
    return {};
}

} // namespace gpudeck
