#pragma once

#include "costguard/PodControl.h"

namespace gpudeck {

class RunPodService;

// The cost guard's PodControl on RunPodService: a connection's pod is its runpod_pod_id; an action RunPod refuses
// because the pod already is where the guard wants it (stopped, or gone) counts as done.
class RunPodPodControl : public PodControl
{
public:
    explicit RunPodPodControl(RunPodService &service);

    QString podIdOf(const Connection &connection) const override;
    QFuture<Status> act(const QString &podId, const QString &action) override;
    QFuture<Result<PodCost>> cost(const QString &podId) override;

private:
    RunPodService &m_service;
};

} // namespace gpudeck
