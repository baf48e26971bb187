#include "models/ModelLogs.h"

#include "jobs/JobScripts.h"
#include "metrics/NvidiaSmiParser.h"
#include "models/ModelService.h"
#include "models/ModelsLogging.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"

#include <QPromise>
#include <QRecursiveMutex>
#include <deque>

namespace gpudeck {

int ModelLogs::tailWindowS = 2;

namespace {

template<typename T>
QFuture<T> ready(T value)
{
    QPromise<T> promise;
    promise.start();
    promise.addResult(std::move(value));
    promise.finish();
    return promise.future();
}

QByteArray joined(const QStringList &lines)
{
    QByteArray out;
    for (const QString &line : lines) {
        out += line.toUtf8();
        out += '\n';
    }
    return out;
}

QStringList lastOf(const std::deque<QString> &kept, int lines)
{
    QStringList out;
    const auto n = std::min<size_t>(kept.size(), size_t(qMax(0, lines)));
    for (auto it = kept.end() - qsizetype(n); it != kept.end(); ++it) {
        out.append(*it);
    }
    return out;
}

Error logsFailed(const QString &model, const QString &host, const CommandResult &r, const QString &lastLine)
{
    const QString how = r.exitSignal.isEmpty() ? QStringLiteral("exited with %1").arg(r.exitCode)
                                               : QStringLiteral("died of signal %1").arg(r.exitSignal);
    QString message = QStringLiteral("the log command of %1 on %2 %3").arg(model, host, how);
    if (!lastLine.trimmed().isEmpty()) {
        message += QStringLiteral(": ") + lastLine.trimmed().left(300);
    }
    return Error::make(ErrorCode::Upstream, QStringLiteral("logs_failed"), message,
                       {{QStringLiteral("exit_code"), r.exitCode}});
}

} // namespace

// One command following one model's log on one host, shared by its followers. Its methods run on the SSH worker's
// thread (output, end) and on the followers' threads (join, left); the recursive mutex lets a follower's callback
// stop it from inside a delivery.
struct ModelLogs::Stream
{
    QString model;
    QString host;
    std::shared_ptr<ExecCancel> cancel = std::make_shared<ExecCancel>();
    QRecursiveMutex mutex;
    LineBuffer buffer;
    std::deque<QString> kept;
    QList<std::shared_ptr<JobLogFollow>> followers;
    bool ended = false;   // the command is over; endStatus says how
    bool closing = false; // its last follower left: the command is being stopped
    Status endStatus;

    bool live()
    {
        QMutexLocker lock(&mutex);
        return !ended && !closing;
    }

    void output(const QByteArray &chunk)
    {
        QMutexLocker lock(&mutex);
        if (!ended) {
            pass(buffer.append(chunk));
        }
    }

    // The command's output is over: its last line, when that had no newline, is kept and passed on as a whole one.
    void flush()
    {
        QMutexLocker lock(&mutex);
        if (!ended) {
            pass(buffer.finish());
        }
    }

    // Keeps whole lines and hands them to the followers (mutex held).
    void pass(const QStringList &lines)
    {
        if (lines.isEmpty()) {
            return;
        }
        for (const QString &line : lines) {
            kept.push_back(line);
        }
        while (kept.size() > size_t(kKeptLines)) {
            kept.pop_front();
        }
        const QByteArray bytes = joined(lines);
        const auto current = followers; // a callback may stop its follower (left() changes the list)
        for (const auto &f : current) {
            f->deliver(bytes);
        }
    }

    void end(const Status &status)
    {
        flush();
        QList<std::shared_ptr<JobLogFollow>> current;
        {
            QMutexLocker lock(&mutex);
            if (ended) {
                return;
            }
            ended = true;
            endStatus = status;
            current = std::move(followers);
            followers.clear();
        }
        for (const auto &f : current) {
            f->finish(status);
        }
    }

    // A new follower: the last `lines` kept lines, then it follows (or, when the command is already over, it is
    // told how it ended). False when the stream is being stopped, or is over and `fresh` is not set: the caller
    // starts another.
    bool join(const std::shared_ptr<JobLogFollow> &follower, int lines, bool fresh)
    {
        QMutexLocker lock(&mutex);
        if (closing || (ended && !fresh)) {
            return false;
        }
        follower->deliver(joined(lastOf(kept, lines)));
        if (ended) {
            follower->finish(endStatus);
            return true;
        }
        followers.append(follower);
        return true;
    }

    // A follower stopped: the last one to leave stops the command (closing its channel; see wrap()).
    void left()
    {
        QMutexLocker lock(&mutex);
        followers.removeIf([](const std::shared_ptr<JobLogFollow> &f) { return f->isStopped(); });
        if (followers.isEmpty() && !ended && !closing) {
            closing = true;
            qCDebug(lcModels).noquote()
                << QStringLiteral("log of %1 on %2: last follower left, stopping").arg(model, host);
            cancel->cancel();
        }
    }
};

ModelLogs::ModelLogs(ModelService &models, ConnectionRepository &connections, SshPool &pool)
    : m_models(models)
    , m_connections(connections)
    , m_pool(pool)
{
}

ModelLogs::~ModelLogs()
{
    stop();
}

QString ModelLogs::wrap(const QString &command)
{
    // The command runs in the background (stdin /dev/null, stderr merged); a watchdog reads the channel's stdin,
    // which ends only when the channel closes (GPU Deck never writes to it). Then it signals the process group sshd
    // created for this channel alone (checked: our group is our session's, and that session was started by us or by
    // the login shell that runs us), TERM and after 2 s KILL; where that cannot be told, only the command's own
    // process. The wrapper exits with the command's status.
    static const QString script = QStringLiteral(
        "c=$1; exec 3<&0 </dev/null; g=\n"
        "if [ -r /proc/$$/stat ]; then set -- $(sed 's/^.*) //' /proc/$$/stat)\n"
        "  [ \"$3\" = \"$4\" ] && { [ \"$4\" = $$ ] || [ \"$4\" = \"$2\" ]; } && g=0; fi\n"
        "sh -c \"$c\" 2>&1 & p=$!\n"
        "{ trap '' TERM; read -r _ <&3; kill -TERM ${g:-$p}; sleep 2; kill -KILL ${g:-$p}; } >/dev/null 2>&1 & w=$!\n"
        "exec 3<&-; wait $p; r=$?; kill -KILL $w 2>/dev/null; exit $r");
    return QStringLiteral("sh -c %1 gpudeck-logs %2")
        .arg(JobScripts::shellQuote(script), JobScripts::shellQuote(command));
}

QString ModelLogs::keyOf(const Target &target)
{
    return QStringLiteral("%1/%2").arg(target.connectionId).arg(target.model);
}

Result<ModelLogs::Target> ModelLogs::resolve(const QString &model, const QString &host, bool follow) const
{
    if (model.isEmpty()) {
        return Error::validation(QStringLiteral("model"), QStringLiteral("'model' (a model id or alias) is required"));
    }
    const ModelCatalog catalog = m_models.catalog();
    const ModelSpec *m = catalog.model(model);
    if (!m) {
        return Error::notFound(QStringLiteral("there is no model '%1' in models.yaml").arg(model));
    }
    // A model across hosts: the head's log unless `host` names one of its workers.
    const std::optional<ServingStep> part = m->partOn(host.isEmpty() ? m->host : host);
    if (!part) {
        return Error::notFound(QStringLiteral("model '%1' has no part on host '%2' in models.yaml (its hosts: %3)")
                                   .arg(m->id, host, m->hosts().join(QStringLiteral(", "))));
    }
    Target t;
    t.model = m->id;
    t.host = part->host;
    t.logs = part->logs;
    t.logsFollow = part->logsFollow;
    if (t.logsFollow.isEmpty() && (follow || t.logs.isEmpty())) {
        const QString whose = part->role == QLatin1String("worker")
                                  ? QStringLiteral("the worker of model '%1' on %2").arg(m->id, t.host)
                                  : QStringLiteral("model '%1'").arg(m->id);
        return Error::make(
            ErrorCode::Conflict, QStringLiteral("no_logs_command"),
            QStringLiteral("%1 has no %2 command in models.yaml (e.g. `logs_follow: docker logs -f --tail 200 vllm`)")
                .arg(whose, follow ? QStringLiteral("logs_follow") : QStringLiteral("logs or logs_follow")));
    }
    const auto connection = m_connections.find(t.host);
    if (!connection.ok()) {
        return connection.error();
    }
    if (m_pool.status(connection->id).state != LinkState::Connected) {
        return Error::make(
            ErrorCode::Conflict, QStringLiteral("not_connected"),
            QStringLiteral("%1 is not connected: connect it first (POST /api/dgx/connect/%1)").arg(t.host));
    }
    t.connectionId = connection->id;
    return t;
}

std::shared_ptr<ModelLogs::Stream> ModelLogs::liveStream(const QString &key) const
{
    const auto s = m_streams.value(key);
    return s && s->live() ? s : nullptr;
}

std::shared_ptr<ModelLogs::Stream> ModelLogs::start(const Target &target)
{
    auto stream = std::make_shared<Stream>();
    stream->model = target.model;
    stream->host = target.host;
    m_streams.insert(keyOf(target), stream);
    ExecOptions options;
    options.timeoutMs = 0;
    options.lane = ExecLane::Stream;
    options.collectOutput = false;
    options.cancel = stream->cancel;
    options.onOutput = [stream](const QByteArray &chunk, bool) { stream->output(chunk); };
    qCDebug(lcModels).noquote()
        << QStringLiteral("following the log of %1 on %2: %3").arg(target.model, target.host, target.logsFollow);
    const QString model = target.model;
    const QString host = target.host;
    m_pool.exec(target.connectionId, wrap(target.logsFollow), options)
        .then([stream, model, host](const Result<CommandResult> &r) {
            stream->flush(); // before its last line is read for the error
            if (!r.ok()) {
                stream->end(r.error());
            } else if (r->exitCode != 0 || !r->exitSignal.isEmpty()) {
                QMutexLocker lock(&stream->mutex);
                const QString last = stream->kept.empty() ? QString() : stream->kept.back();
                lock.unlock();
                stream->end(logsFailed(model, host, r.value(), last));
            } else {
                stream->end(Status());
            }
        });
    return stream;
}

Result<std::shared_ptr<JobLogFollow>> ModelLogs::follow(const QString &model, const QString &host, int lines,
                                                        JobLogFollow::Output output, JobLogFollow::Finished finished)
{
    const auto target = resolve(model, host, true);
    if (!target.ok()) {
        return target.error();
    }
    auto follower = std::make_shared<JobLogFollow>(std::move(output), std::move(finished));
    std::shared_ptr<Stream> stream;
    {
        QMutexLocker lock(&m_mutex);
        stream = m_streams.value(keyOf(target.value()));
        if (!stream || !stream->join(follower, lines, false)) {
            stream = start(target.value());
            stream->join(follower, lines, true);
        }
    }
    const std::weak_ptr<Stream> weak = stream;
    follower->onStopped([weak] {
        if (const auto s = weak.lock()) {
            s->left();
        }
    });
    if (follower->isStopped()) {
        stream->left(); // stopped before it could say so
    }
    return follower;
}

QFuture<Result<QStringList>> ModelLogs::tail(const QString &model, const QString &host, int lines)
{
    const auto target = resolve(model, host, false);
    if (!target.ok()) {
        return ready(Result<QStringList>(target.error()));
    }
    if (!target->logs.isEmpty()) {
        return tailOnce(target.value(), lines, target->logs);
    }
    {
        QMutexLocker lock(&m_mutex);
        if (const auto stream = liveStream(keyOf(target.value()))) {
            QMutexLocker streamLock(&stream->mutex);
            return ready(Result<QStringList>(lastOf(stream->kept, lines)));
        }
    }
    // Only logs_follow: what it prints in a short window (its backlog comes first), then `timeout` ends it (124).
    return tailOnce(
        target.value(), lines,
        QStringLiteral("timeout -k 2 %1 sh -c %2").arg(tailWindowS).arg(JobScripts::shellQuote(target->logsFollow)),
        124);
}

QFuture<Result<QStringList>> ModelLogs::tailOnce(const Target &target, int lines, const QString &logCommand,
                                                 int alsoFine)
{
    // The command's own exit status, as a last line that `tail` keeps, after a line break of its own: a log whose
    // last line has no newline keeps that line whole (then the break ends it), else it adds one empty line.
    static const QString marker = QStringLiteral("gpudeck-logs-exit:");
    const QString command = QStringLiteral("{ ( %1 ) 2>&1; r=$?; echo; echo %2$r; } | tail -n %3")
                                .arg(logCommand, marker)
                                .arg(qMax(0, lines) + 2);
    ExecOptions options;
    options.timeoutMs = kTailTimeoutMs;
    const QString model = target.model;
    const QString host = target.host;
    return m_pool.exec(target.connectionId, command, options)
        .then([model, host, lines, alsoFine](const Result<CommandResult> &r) -> Result<QStringList> {
            if (!r.ok()) {
                return r.error();
            }
            QStringList out = QString::fromUtf8(r->stdOut).split(QLatin1Char('\n'));
            if (!out.isEmpty() && out.last().isEmpty()) {
                out.removeLast();
            }
            CommandResult status = r.value();
            if (!out.isEmpty() && out.last().startsWith(marker)) {
                status.exitCode = out.takeLast().mid(marker.size()).toInt();
                if (!out.isEmpty() && out.last().isEmpty()) {
                    out.removeLast(); // the marker's own line break after a log that ended with a newline
                }
            }
            while (out.size() > lines) {
                out.removeFirst();
            }
            if (status.exitCode != 0 && status.exitCode != alsoFine) {
                return logsFailed(model, host, status, out.isEmpty() ? QString() : out.last());
            }
            return out;
        });
}

int ModelLogs::streamCount() const
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (const auto &s : m_streams) {
        n += s->live() ? 1 : 0;
    }
    return n;
}

void ModelLogs::stop()
{
    QHash<QString, std::shared_ptr<Stream>> streams;
    {
        QMutexLocker lock(&m_mutex);
        streams.swap(m_streams);
    }
    for (const auto &s : std::as_const(streams)) {
        s->cancel->cancel();
        s->end(Error::make(ErrorCode::Unavailable, QStringLiteral("stopping"), QStringLiteral("GPU Deck is stopping")));
    }
}

} // namespace gpudeck
