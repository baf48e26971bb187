#include "costguard/RunPodPodControl.h"

#include "runpod/RunPodService.h"

#include <QPromise>
#include <memory>

namespace gpudeck {
namespace {

// Where `action` leaves a pod: there already, nothing is left to do.
bool alreadyThere(const QString &action, const QString &status)
{
    if (action == QStringLiteral("terminate")) {
        return status == QStringLiteral("TERMINATED");
    }
    return status == QStringLiteral("EXITED") || status == QStringLiteral("TERMINATED");
}

} // namespace

RunPodPodControl::RunPodPodControl(RunPodService &service)
    : m_service(service)
{
}

QString RunPodPodControl::podIdOf(const Connection &connection) const
{
    return connection.runpodPodId;
}

QFuture<Status> RunPodPodControl::act(const QString &podId, const QString &action)
{
    auto promise = std::make_shared<QPromise<Status>>();
    QFuture<Status> future = promise->future();
    promise->start();
    const auto finish = [promise](const Status &s) {
        promise->addResult(s);
        promise->finish();
    };
    RunPodService *service = &m_service;
    m_service.action(podId, action).then([service, podId, action, finish](const Result<RunPodPod> &r) {
        if (r.ok()) {
            return finish({});
        }
        const Error e = r.error();
        if (e.code == ErrorCode::NotFound) {
            // Gone: terminated (by hand, or an earlier try whose answer was lost). Nothing runs, nothing is billed.
            return finish({});
        }
        if (e.reason != QStringLiteral("runpod_action_not_allowed")) {
            return finish(e);
        }
        // Refused for the pod's status: fine when that status is where the action leads.
        service->pod(podId).then([action, e, finish](const Result<RunPodPod> &pod) {
            if (pod.ok() ? alreadyThere(action, pod->status) : pod.error().code == ErrorCode::NotFound) {
                return finish({});
            }
            finish(e);
        });
    });
    return future;
}

QFuture<Result<PodCost>> RunPodPodControl::cost(const QString &podId)
{
    return m_service.pod(podId).then([](const Result<RunPodPod> &pod) -> Result<PodCost> {
        if (!pod.ok()) {
            return pod.error();
        }
        PodCost c;
        c.podId = pod->id;
        c.name = pod->name;
        c.status = pod->status;
        c.costPerHr = pod->costPerHr;
        c.costSoFar = pod->costSoFar();
        return c;
    });
}

} // namespace gpudeck
