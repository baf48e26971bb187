#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QDateTime>
#include <QFuture>
#include <QString>

namespace gpudeck {

// What the cost guard knows of a pod: enough to say what it costs.
struct PodCost
{
    QString podId;
    QString name;
    QString status;        // RunPod's desiredStatus (RUNNING, EXITED, TERMINATED, ...)
    double costPerHr = -1; // dollars per hour; < 0 unknown
    double costSoFar = -1; // dollars since it last started; < 0 unknown
};

// The cost guard's way to RunPod: the seam between it and RunPodService (RunPodPodControl), so its rules can be
// tested on their own. Every method may be called from any thread; answers arrive on any thread.
class PodControl
{
public:
    virtual ~PodControl() = default;

    // The pod a `runpod` connection was made from; empty when it has none.
    virtual QString podIdOf(const Connection &connection) const = 0;
    // `action` is "stop" or "terminate". Ok once RunPod accepted it, or when the pod already is in that state
    // (stopped, or gone).
    virtual QFuture<Status> act(const QString &podId, const QString &action) = 0;
    virtual QFuture<Result<PodCost>> cost(const QString &podId) = 0;
};

} // namespace gpudeck
