#pragma once

#include "Result.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <optional>

namespace gpudeck {

// Whether a job can start a new attempt now, from what the store and its host's link say. The one rule behind
// POST /api/dgx/jobs/:id/start, the start_job tool and the Jobs pane's Start / Run again button (enabled exactly when
// this says yes, its tooltip the reason when not). Errors name the job and the host by name, never by id alone.
class JobStartCheck
{
public:
    // `latest`: the job's latest attempt, when it has one; `host`: the connection of its project; `link`: that
    // connection's link state. Ok: it can start.
    static Status check(const Job &job, const std::optional<JobAttempt> &latest, const QString &host,
                        const LinkStatus &link);
    // "job 'train-a'": how messages name a job.
    static QString jobText(const Job &job);
};

} // namespace gpudeck
