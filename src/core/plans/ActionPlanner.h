#pragma once

#include "Result.h"
#include "plans/ActionPlan.h"
#include "ssh/RemoteExec.h"

namespace gpudeck {

class ConnectionRepository;
class JobRepository;
class JobSupervisor;
class ModelService;
class ProjectRepository;
class SshPool;
struct SwapRequest;

// The dry run of every destructive action: what it would do, computed from what is known now (the database, the
// links' states, the model catalog and what is served), with no side effect and no command on a host. The GUI's
// confirmations and the API's `"dry_run": true` (and so MCP tools called without `"confirm": true`) use the same
// plans.
//
// Each method mirrors its real action's rules: input the real call rejects (an unknown id, a bad field) is the same
// error here; a refusal the real call would answer once the input is valid (the exec guard, a connection that still
// has projects, a job that has already ended, a swap in progress, a link that is down) is the plan's `wouldRefuse`,
// and then `effects` is empty because the real call would do nothing.
//
// Cheap to make (references only) and thread-safe as the repositories are: build one where it is needed.
class ActionPlanner
{
public:
    ActionPlanner(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &pool,
                  JobSupervisor &jobRunner, ModelService &models);

    // POST /api/dgx/disconnect: the link that closes, the jobs supervised over it, what the host serves.
    Result<ActionPlan> disconnect(const QString &connection);
    // POST /api/dgx/connections/disconnect-all: every link that closes, with what each disconnect would reach.
    Result<ActionPlan> disconnectAll();
    // POST /api/dgx/exec: whether the guard would refuse the command (and why), the host, the timeout.
    Result<ActionPlan> exec(const RemoteExec::Request &request);
    // DELETE /api/dgx/connections: its projects and jobs (with `force`), running jobs left unsupervised, the link.
    Result<ActionPlan> deleteConnection(qint64 connectionId, bool force);
    // DELETE /api/dgx/projects: its jobs, running ones left unsupervised.
    Result<ActionPlan> deleteProject(qint64 projectId);
    // DELETE /api/dgx/jobs: the job, its attempts and metrics; left running on its host when it runs.
    Result<ActionPlan> deleteJob(qint64 jobId);
    // POST /api/dgx/jobs/{id}/cancel: which attempt is interrupted, where (tmux session or Slurm job), how.
    Result<ActionPlan> cancelJob(qint64 jobId, int graceMs);
    // POST /api/dgx/models/swap and .../cancel: see ModelService::planSwap / planCancelSwap.
    Result<ActionPlan> swap(const SwapRequest &request);
    Result<ActionPlan> cancelSwap(const QString &swapId);

private:
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_pool;
    JobSupervisor &m_jobRunner;
    ModelService &m_models;
};

} // namespace gpudeck
