#pragma once

#include "Result.h"
#include "jobs/JobLogFollow.h"
#include "models/ModelCatalog.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QStringList>
#include <memory>

namespace gpudeck {

class ConnectionRepository;
class ModelService;
class SshPool;

// A model's own log (models.yaml `logs_follow`, e.g. `docker logs -f --tail 200 vllm`; of a model across hosts, each
// host's part has its own), followed over the host's SSH link: one command per model and host however many follow it
// (the GUI's Logs window, GET /api/dgx/models/logs with follow=true), run as a stream on the link (SshPool::exec with
// onOutput), and ended when its last follower leaves, when the link drops or when GPU Deck stops. A follower joining a
// running stream first gets the lines it kept.
//
// Nothing is left behind on the host: the command runs under a small shell wrapper (wrap()) whose watchdog sees the
// channel close (its stdin ends) and then signals the process group sshd made for that one channel, so only what
// this follow started is ever killed, never another install's command of the same text on a shared account.
//
// Every method is thread-safe and returns at once. A follower's callbacks (JobLogFollow) run on the SSH worker's
// thread, one at a time, with whole lines ("...\n").
class ModelLogs
{
public:
    ModelLogs(ModelService &models, ConnectionRepository &connections, SshPool &pool);
    ~ModelLogs(); // stop()
    ModelLogs(const ModelLogs &) = delete;
    ModelLogs &operator=(const ModelLogs &) = delete;

    // Follows `model` (id or alias) on `host`: of a model across hosts, the head's log (`host` empty or the head's)
    // or a worker's (`host` that worker's host, its own logs_follow); first up to `lines` lines the running stream
    // kept, then each new line, until the follower stops, the command ends (finished: ok when it exited 0, else
    // Upstream "logs_failed") or the link drops. NotFound (no such model, or no part of it on `host`), Validation
    // (no model), Conflict "no_logs_command" (no logs_follow there) or "not_connected".
    Result<std::shared_ptr<JobLogFollow>> follow(const QString &model, const QString &host, int lines,
                                                 JobLogFollow::Output output, JobLogFollow::Finished finished);

    // The last `lines` lines of the model's log: the `logs` command's output when it has one, else what a running
    // stream kept, else what `logs_follow` prints in its first tailWindowS seconds (its backlog). The same errors as
    // follow(), "no_logs_command" when it has neither command; Upstream "logs_failed" when the command failed.
    QFuture<Result<QStringList>> tail(const QString &model, const QString &host, int lines);

    // Streams running on hosts now (not ended, not being stopped).
    int streamCount() const;
    // Ends every stream; their followers finish with Unavailable "stopping".
    void stop();

    // `command` under the wrapper that stops it when its channel closes (see the class comment), stderr merged.
    static QString wrap(const QString &command);

    static constexpr int kKeptLines = 1000;      // per stream, for followers who join later and for tail()
    static constexpr int kTailTimeoutMs = 15000; // a tail() command
    static int tailWindowS;                      // tail() through logs_follow: how long it may print

private:
    struct Stream;
    // One host's part of a model (its head's or a worker's), with that part's commands (substituted).
    struct Target
    {
        QString model; // id
        QString host;
        QString logs;
        QString logsFollow;
        qint64 connectionId = 0;
    };
    Result<Target> resolve(const QString &model, const QString &host, bool follow) const;
    std::shared_ptr<Stream> liveStream(const QString &key) const; // m_mutex held
    std::shared_ptr<Stream> start(const Target &target);          // m_mutex held
    // Runs `logCommand` once, stderr merged, and answers its last `lines` lines; an exit status other than 0 and
    // `alsoFine` is Upstream "logs_failed".
    QFuture<Result<QStringList>> tailOnce(const Target &target, int lines, const QString &logCommand, int alsoFine = 0);
    static QString keyOf(const Target &target);

    ModelService &m_models;
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    mutable QMutex m_mutex;
    QHash<QString, std::shared_ptr<Stream>> m_streams; // "<connection id>/<model id>"
};

} // namespace gpudeck
