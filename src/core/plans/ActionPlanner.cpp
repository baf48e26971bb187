#include "plans/ActionPlanner.h"

#include "jobs/JobStartCheck.h"
#include "jobs/JobSupervisor.h"
#include "models/ModelService.h"
#include "ssh/CommandGuard.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <QJsonArray>
#include <QSet>

namespace gpudeck {
namespace {

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonObject connectionTarget(const Connection &c, LinkState state)
{
    return {{QStringLiteral("kind"), QStringLiteral("connection")},
            {QStringLiteral("id"), c.id},
            {QStringLiteral("name"), c.name},
            {QStringLiteral("hostname"), c.hostname},
            {QStringLiteral("link_state"), linkStateName(state)}};
}

// A job that may still run on a host, as plans name it.
QJsonObject liveJobJson(const Job &job, const JobAttempt &attempt)
{
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("name"), job.name},
            {QStringLiteral("project_id"), job.projectId},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("attempt"), attempt.attempt},
            {QStringLiteral("backend"), attempt.backend},
            {QStringLiteral("session"), attempt.session},
            {QStringLiteral("container_id"), orNull(attempt.containerId)}};
}

QJsonObject jobJson(const Job &job)
{
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("name"), job.name},
            {QStringLiteral("project_id"), job.projectId},
            {QStringLiteral("status"), job.status}};
}

// "tmux session S" or "Slurm job 123 (S)": where an attempt runs, in words.
QString whereItRuns(const JobAttempt &attempt)
{
    if (attempt.backend == QStringLiteral("slurm")) {
        return attempt.containerId.isEmpty()
                   ? QStringLiteral("Slurm job %1").arg(attempt.session)
                   : QStringLiteral("Slurm job %1 (%2)").arg(attempt.containerId, attempt.session);
    }
    return QStringLiteral("tmux session %1").arg(attempt.session);
}

QString liveJobWords(const Job &job, const JobAttempt &attempt)
{
    return QStringLiteral("job %1 '%2' (attempt %3, %4)")
        .arg(job.id)
        .arg(job.name)
        .arg(attempt.attempt)
        .arg(whereItRuns(attempt));
}

} // namespace

ActionPlanner::ActionPlanner(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                             SshPool &pool, JobSupervisor &jobRunner, ModelService &models)
    : m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_pool(pool)
    , m_jobRunner(jobRunner)
    , m_models(models)
{
}

Result<ActionPlan> ActionPlanner::disconnect(const QString &connection)
{
    const auto c = m_connections.find(connection);
    if (!c.ok()) {
        return c.error();
    }
    const LinkState state = m_pool.status(c->id).state;
    ActionPlan plan;
    plan.action = QStringLiteral("connection.disconnect");
    plan.target = connectionTarget(c.value(), state);

    // The jobs supervised over this link: live attempts of the projects on this connection.
    QSet<qint64> projectIds;
    if (const auto projects = m_projects.list(c->id); projects.ok()) {
        for (const Project &p : projects.value()) {
            projectIds.insert(p.id);
        }
    }
    QJsonArray jobs;
    QStringList jobWords;
    if (const auto live = m_jobs.listLive(); live.ok()) {
        for (const auto &[job, attempt] : live.value()) {
            if (projectIds.contains(job.projectId)) {
                jobs.append(liveJobJson(job, attempt));
                jobWords << liveJobWords(job, attempt);
            }
        }
    }
    plan.target.insert(QStringLiteral("jobs"), jobs);
    const HostServing serving = m_models.serving(c->name);
    const QString served = serving.health == Health::Up ? serving.model : QString();
    plan.target.insert(QStringLiteral("serving"), orNull(served));
    QJsonArray services;
    for (const ServiceHealth &s : m_models.services()) {
        if (s.host == c->name) {
            services.append(s.name);
        }
    }
    plan.target.insert(QStringLiteral("services"), services);

    if (state == LinkState::Disconnected) {
        return plan; // nothing to close: the real call answers the same status and changes nothing
    }
    plan.effects << QStringLiteral("closes the SSH link to %1 (%2); commands running over it are stopped")
                        .arg(c->name, linkStateName(state));
    plan.effects << QStringLiteral("GPU metrics of %1 stop until it is connected again").arg(c->name);
    for (const QString &words : jobWords) {
        plan.effects << QStringLiteral("%1 keeps running on the host, but is not supervised (status, log, metrics) "
                                       "until the link is back")
                            .arg(words);
    }
    if (!served.isEmpty()) {
        plan.effects
            << QStringLiteral("%1 keeps serving %2; it cannot be swapped until the link is back").arg(c->name, served);
    }
    return plan;
}

Result<ActionPlan> ActionPlanner::disconnectAll()
{
    const auto all = m_connections.list();
    if (!all.ok()) {
        return all.error();
    }
    ActionPlan plan;
    plan.action = QStringLiteral("connection.disconnect_all");
    QJsonArray links;
    for (const Connection &c : all.value()) {
        if (m_pool.status(c.id).state == LinkState::Disconnected) {
            continue;
        }
        const auto one = disconnect(QString::number(c.id));
        if (!one.ok()) {
            continue; // deleted meanwhile
        }
        links.append(one->target);
        plan.effects << one->effects;
    }
    plan.target = {{QStringLiteral("kind"), QStringLiteral("fleet")}, {QStringLiteral("connections"), links}};
    if (!links.isEmpty()) {
        plan.effects << QStringLiteral("watched hosts among them stay disconnected until connected again or GPU Deck "
                                       "starts again");
    }
    return plan;
}

Result<ActionPlan> ActionPlanner::exec(const RemoteExec::Request &request)
{
    if (Status s = RemoteExec::validate(request); !s.ok()) {
        return s.error();
    }
    const auto c = m_connections.find(request.connection);
    if (!c.ok()) {
        return c.error();
    }
    const LinkState state = m_pool.status(c->id).state;
    const GuardVerdict verdict = checkCommand(request.command);
    ActionPlan plan;
    plan.action = QStringLiteral("connection.exec");
    plan.target = connectionTarget(c.value(), state);
    plan.target.insert(QStringLiteral("command"), request.command);
    plan.target.insert(QStringLiteral("timeout_s"), request.timeoutMs / 1000.0);
    plan.target.insert(QStringLiteral("force"), request.force);
    plan.target.insert(QStringLiteral("guard"), QJsonObject{{QStringLiteral("allowed"), verdict.allowed},
                                                            {QStringLiteral("rule"), orNull(verdict.rule)},
                                                            {QStringLiteral("reason"), orNull(verdict.reason)}});
    if (!verdict.allowed && !request.force) {
        plan.wouldRefuse = RemoteExec::refusal(verdict); // recorded in the exec log as refused by the real call
        return plan;
    }
    if (state != LinkState::Connected) {
        plan.wouldRefuse = Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                                       QStringLiteral("connection %1 is not connected; connect it first").arg(c->id));
        return plan;
    }
    if (!verdict.allowed) {
        plan.effects << QStringLiteral("the guard refuses it (%1), but force overrides the guard").arg(verdict.reason);
    }
    plan.effects << QStringLiteral("runs the command on %1 as %2, killed after %3 s if it has not ended")
                        .arg(c->name, c->username)
                        .arg(request.timeoutMs / 1000.0);
    plan.effects << QStringLiteral("records it in the exec log");
    return plan;
}

Result<ActionPlan> ActionPlanner::deleteConnection(qint64 connectionId, bool force)
{
    const auto c = m_connections.get(connectionId);
    if (!c.ok()) {
        return c.error();
    }
    const auto projects = m_projects.list(connectionId);
    if (!projects.ok()) {
        return projects.error();
    }
    const LinkState state = m_pool.status(connectionId).state;
    ActionPlan plan;
    plan.action = QStringLiteral("connection.delete");
    plan.target = connectionTarget(c.value(), state);
    plan.target.insert(QStringLiteral("force"), force);

    QJsonArray projectList;
    QJsonArray jobList;
    QJsonArray running;
    QStringList runningWords;
    QHash<qint64, JobAttempt> live;
    if (const auto l = m_jobs.listLive(); l.ok()) {
        for (const auto &[job, attempt] : l.value()) {
            live.insert(job.id, attempt);
        }
    }
    for (const Project &p : projects.value()) {
        projectList.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("name"), p.name}});
        const auto jobs = m_jobs.list(p.id);
        if (!jobs.ok()) {
            return jobs.error();
        }
        for (const Job &j : jobs.value()) {
            jobList.append(jobJson(j));
            if (const auto it = live.constFind(j.id); it != live.constEnd()) {
                running.append(liveJobJson(j, *it));
                runningWords << liveJobWords(j, *it);
            }
        }
    }
    plan.target.insert(QStringLiteral("projects"), projectList);
    plan.target.insert(QStringLiteral("jobs"), jobList);
    plan.target.insert(QStringLiteral("running_jobs"), running);
    const bool inCatalog = m_models.catalog().host(c->name) != nullptr;
    plan.target.insert(QStringLiteral("in_models_yaml"), inCatalog);

    if (!projects->isEmpty() && !force) {
        plan.wouldRefuse = ConnectionRepository::stillHasProjects(connectionId, static_cast<int>(projects->size()));
        return plan;
    }
    plan.effects << QStringLiteral("deletes connection %1 '%2' and its recorded GPU metrics").arg(c->id).arg(c->name);
    if (!projects->isEmpty()) {
        plan.effects << QStringLiteral("deletes its %1 project(s) and their %2 job(s)")
                            .arg(projects->size())
                            .arg(jobList.size());
    }
    for (const QString &words : runningWords) {
        plan.effects << QStringLiteral("%1 is deleted here but keeps running on the host, unsupervised").arg(words);
    }
    if (state != LinkState::Disconnected) {
        plan.effects << QStringLiteral("closes its SSH link (%1)").arg(linkStateName(state));
    }
    plan.effects << QStringLiteral("removes its password and key passphrase from the keychain, if any");
    if (inCatalog) {
        plan.effects << QStringLiteral("models.yaml still names '%1' as a host: the file will report an unknown host "
                                       "(the last good catalog stays in use)")
                            .arg(c->name);
    }
    return plan;
}

Result<ActionPlan> ActionPlanner::deleteProject(qint64 projectId)
{
    const auto p = m_projects.get(projectId);
    if (!p.ok()) {
        return p.error();
    }
    const auto jobs = m_jobs.list(projectId);
    if (!jobs.ok()) {
        return jobs.error();
    }
    const auto c = m_connections.get(p->connectionId);
    ActionPlan plan;
    plan.action = QStringLiteral("project.delete");
    plan.target = {{QStringLiteral("kind"), QStringLiteral("project")},
                   {QStringLiteral("id"), p->id},
                   {QStringLiteral("name"), p->name},
                   {QStringLiteral("connection_id"), p->connectionId},
                   {QStringLiteral("connection"), c.ok() ? QJsonValue(c->name) : QJsonValue()}};
    QHash<qint64, JobAttempt> live;
    if (const auto l = m_jobs.listLive(); l.ok()) {
        for (const auto &[job, attempt] : l.value()) {
            live.insert(job.id, attempt);
        }
    }
    QJsonArray jobList;
    QJsonArray running;
    QStringList runningWords;
    for (const Job &j : jobs.value()) {
        jobList.append(jobJson(j));
        if (const auto it = live.constFind(j.id); it != live.constEnd()) {
            running.append(liveJobJson(j, *it));
            runningWords << liveJobWords(j, *it);
        }
    }
    plan.target.insert(QStringLiteral("jobs"), jobList);
    plan.target.insert(QStringLiteral("running_jobs"), running);
    plan.effects << QStringLiteral("deletes project %1 '%2' and its %3 job(s) with their attempts and metrics")
                        .arg(p->id)
                        .arg(p->name)
                        .arg(jobList.size());
    for (const QString &words : runningWords) {
        plan.effects << QStringLiteral("%1 is deleted here but keeps running on the host, unsupervised").arg(words);
    }
    return plan;
}

Result<ActionPlan> ActionPlanner::deleteJob(qint64 jobId)
{
    const auto j = m_jobs.get(jobId);
    if (!j.ok()) {
        return j.error();
    }
    ActionPlan plan;
    plan.action = QStringLiteral("job.delete");
    plan.target = jobJson(j.value());
    plan.target.insert(QStringLiteral("kind"), QStringLiteral("job"));
    plan.target.insert(QStringLiteral("attempts"), j->attempt);
    std::optional<JobAttempt> running;
    if (j->attempt > 0 && !Job::isFinal(j->status)) {
        if (const auto a = m_jobs.attempt(jobId, j->attempt); a.ok() && a->isLive()) {
            running = a.value();
        }
    }
    plan.target.insert(QStringLiteral("running"),
                       running ? QJsonValue(liveJobJson(j.value(), *running)) : QJsonValue());
    plan.effects << (j->attempt == 0 ? QStringLiteral("deletes job %1 '%2' and its metrics").arg(j->id).arg(j->name)
                                     : QStringLiteral("deletes job %1 '%2' with its %3 attempt(s) and metrics")
                                           .arg(j->id)
                                           .arg(j->name)
                                           .arg(j->attempt));
    if (running) {
        plan.effects << QStringLiteral("%1 is deleted here but keeps running on the host, unsupervised: cancel it "
                                       "first to stop it")
                            .arg(liveJobWords(j.value(), *running));
    }
    return plan;
}

Result<ActionPlan> ActionPlanner::cancelJob(qint64 jobId, int graceMs)
{
    const auto j = m_jobs.get(jobId);
    if (!j.ok()) {
        return j.error();
    }
    const Job &job = j.value();
    ActionPlan plan;
    plan.action = QStringLiteral("job.cancel");
    plan.target = jobJson(job);
    plan.target.insert(QStringLiteral("kind"), QStringLiteral("job"));
    plan.target.insert(QStringLiteral("attempt"), job.attempt);
    plan.target.insert(QStringLiteral("grace_s"), graceMs / 1000.0);

    std::optional<JobAttempt> live;
    if (job.attempt > 0) {
        if (const auto a = m_jobs.attempt(jobId, job.attempt); a.ok() && a->isLive()) {
            live = a.value();
        }
    }
    std::optional<Connection> host;
    if (const auto p = m_projects.get(job.projectId); p.ok()) {
        if (const auto c = m_connections.get(p->connectionId); c.ok()) {
            host = c.value();
        }
    }
    plan.target.insert(QStringLiteral("host"), host ? QJsonValue(host->name) : QJsonValue());
    plan.target.insert(QStringLiteral("connection_id"), host ? QJsonValue(host->id) : QJsonValue());
    plan.target.insert(QStringLiteral("backend"), live ? QJsonValue(live->backend) : QJsonValue());
    plan.target.insert(QStringLiteral("session"), live ? QJsonValue(live->session) : QJsonValue());
    plan.target.insert(QStringLiteral("container_id"), live ? orNull(live->containerId) : QJsonValue());
    plan.target.insert(QStringLiteral("live"), live.has_value());

    // The same order of checks as the real cancel (JobEngine::cancelJob).
    if (!m_jobRunner.isRunning()) {
        plan.wouldRefuse = Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                                       QStringLiteral("job supervision is not started"));
        return plan;
    }
    if (!host) {
        plan.wouldRefuse = Error::notFound(QStringLiteral("the project or connection of job %1 is gone").arg(jobId));
        return plan;
    }
    if (Job::isFinal(job.status)) {
        plan.wouldRefuse =
            Error::conflict(QStringLiteral("%1 has already ended (%2)").arg(JobStartCheck::jobText(job), job.status));
        return plan;
    }
    if (!live) {
        plan.effects << QStringLiteral("nothing of job %1 runs on a host (%2): it is only recorded as cancelled")
                            .arg(jobId)
                            .arg(job.attempt == 0 ? QStringLiteral("never started") : QStringLiteral("not live"));
        return plan;
    }
    if (m_pool.status(host->id).state != LinkState::Connected) {
        plan.wouldRefuse =
            Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                        QStringLiteral("connection %1 is not connected; connect it first").arg(host->id));
        return plan;
    }
    if (live->backend == QStringLiteral("slurm")) {
        plan.effects << QStringLiteral("cancels %1 on %2 with scancel").arg(whereItRuns(*live), host->name);
    } else {
        plan.effects << QStringLiteral("sends Ctrl-C to %1 on %2").arg(whereItRuns(*live), host->name);
        plan.effects << QStringLiteral("kills that session after %1 s if it is still there").arg(graceMs / 1000.0);
    }
    plan.effects
        << QStringLiteral("marks job %1 '%2' (attempt %3) cancelled").arg(jobId).arg(job.name).arg(live->attempt);
    return plan;
}

Result<ActionPlan> ActionPlanner::swap(const SwapRequest &request)
{
    return m_models.planSwap(request);
}

Result<ActionPlan> ActionPlanner::cancelSwap(const QString &swapId)
{
    return m_models.planCancelSwap(swapId);
}

} // namespace gpudeck
