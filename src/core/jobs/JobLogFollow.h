#pragma once

#include "Result.h"

#include <QByteArray>
#include <QRecursiveMutex>
#include <functional>

namespace gpudeck {

// One follower of a job's log (JobSupervisor::followLog). The jobs thread hands it the log's bytes, in order — first
// the last lines asked for, then each new piece as its per-host poll reads it by offset — and at the end exactly one
// `finished`: ok once the attempt has ended and everything it wrote was delivered, or the error that stopped it.
//
// The callbacks run on the jobs thread, one at a time. stop() may be called from any thread; once it returns no
// callback runs any more (it waits for one in progress), so a caller can stop() in its destructor and let the
// callbacks post to itself. A follower costs nothing on the host: no command runs for it alone after it joined.
class JobLogFollow
{
public:
    using Output = std::function<void(const QByteArray &bytes)>;
    using Finished = std::function<void(const Status &status)>;

    JobLogFollow(Output output, Finished finished);

    void stop();
    bool isStopped() const;
    // Runs once, on the thread that calls stop(), after it (not after finish()): the producer learns that this
    // follower left (ModelLogs ends a remote command when its last follower leaves).
    void onStopped(std::function<void()> callback);

    // The jobs thread's side.
    void deliver(const QByteArray &bytes);
    void finish(const Status &status); // the last call; stops it

private:
    mutable QRecursiveMutex m_mutex;
    bool m_stopped = false;
    Output m_output;
    Finished m_finished;
    std::function<void()> m_onStopped;
};

} // namespace gpudeck
