#pragma once

class QObject;

namespace gpudeck {

class ConnectionRepository;
class EventHub;
class MetricsService;
class ModelService;
class SshPool;
class StoreEvents;

// Publishes on `hub` what the core's own signals announce (no state of its own is kept): the one place that says
// what each event type carries. `context` (Core) bounds the connections' lifetime.
//
//   connection.state   SshPool::statusChanged              {connection_id, name, state, since, reason, ...}
//   alert.raised       MetricsService::alertChanged(raised)  the alert as GET /api/dgx/alerts shows it
//   alert.cleared      MetricsService::alertChanged(!raised) the same, with ended_at
//   job.status         StoreEvents::jobStatusChanged         {job_id, project_id, name, status, previous_status,
//                                                            attempt, exit_code, status_reason, started_at,
//                                                            completed_at} (never the command, env or config)
//   swap.progress      ModelService::swapUpdated (live)      {id, host, model, previous, state, step, percent, message}
//   swap.finished      ModelService::swapFinished            the swap report as GET /api/dgx/models/swap/:id shows it
//   catalog.reloaded   ModelService::catalogChanged / catalogErrorsChanged
//                                                          {ok, models, hosts, loaded_at} or {ok: false, errors}
//   metrics.sample     MetricsService::hostUpdated           the host's metrics as GET /api/dgx/metrics/:id shows them
//
// Job status changes are heard on the thread that commits them (a direct connection: no wait for the GUI thread);
// the others arrive on the thread the services live on (the main thread).
void publishCoreEvents(EventHub &hub, QObject *context, StoreEvents &store, ConnectionRepository &connections,
                       SshPool &ssh, MetricsService &metrics, ModelService &models);

} // namespace gpudeck
