#include "ssh/RemoteExec.h"

#include "logging/Logging.h"
#include "ssh/CommandGuard.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/ExecLogRepository.h"

#include <QObject>
#include <QPromise>

namespace gpudeck {
namespace {

QFuture<Result<CommandResult>> ready(Result<CommandResult> result)
{
    QPromise<Result<CommandResult>> promise;
    promise.start();
    promise.addResult(std::move(result));
    promise.finish();
    return promise.future();
}

QString outcomeOf(const Result<CommandResult> &r)
{
    if (r.ok()) {
        return r->exitCode == 0 ? QStringLiteral("ok") : QStringLiteral("failed");
    }
    return r.error().code == ErrorCode::Timeout ? QStringLiteral("timeout") : QStringLiteral("error");
}

} // namespace

RemoteExec::RemoteExec(ConnectionRepository &connections, SshPool &pool, ExecLogRepository &log)
    : m_connections(connections)
    , m_pool(pool)
    , m_log(log)
{
}

Status RemoteExec::validate(const Request &request)
{
    if (request.command.trimmed().isEmpty()) {
        return Error::validation(QStringLiteral("command"), QStringLiteral("'command' must not be empty"));
    }
    if (request.command.toUtf8().size() > kMaxCommandBytes) {
        return Error::validation(QStringLiteral("command"), QStringLiteral("'command' is longer than 64 KiB"));
    }
    if (request.timeoutMs < 1 || request.timeoutMs > kMaxTimeoutMs) {
        return Error::validation(QStringLiteral("timeout_s"),
                                 QStringLiteral("'timeout_s' must be between 1 and 3600 seconds"));
    }
    return {};
}

Error RemoteExec::refusal(const GuardVerdict &verdict)
{
    return Error::make(ErrorCode::Forbidden, QStringLiteral("command_refused"), verdict.reason);
}

QFuture<Result<CommandResult>> RemoteExec::run(const Request &request, QObject *context)
{
    if (Status s = validate(request); !s.ok()) {
        return ready(s.error());
    }
    const auto connection = m_connections.find(request.connection);
    if (!connection.ok()) {
        return ready(connection.error());
    }

    ExecLogEntry entry;
    entry.connectionId = connection->id;
    entry.connectionName = connection->name;
    entry.caller = request.caller;
    entry.command = request.command;
    entry.forced = request.force;

    const GuardVerdict verdict = checkCommand(request.command);
    if (!verdict.allowed && !request.force) {
        entry.outcome = QStringLiteral("refused");
        if (Status s = m_log.record(entry); !s.ok()) {
            qCWarning(lcSsh).noquote() << s.error().message;
        }
        return ready(refusal(verdict));
    }

    ExecOptions options;
    options.timeoutMs = request.timeoutMs;
    options.cancel = request.cancel;
    ExecLogRepository *log = &m_log;
    return m_pool.exec(connection->id, request.command, options)
        .then(context, [log, entry](Result<CommandResult> result) mutable {
            entry.outcome = outcomeOf(result);
            if (result.ok()) {
                entry.hasExitCode = true;
                entry.exitCode = result->exitCode;
                entry.durationMs = result->durationMs;
            }
            if (Status s = log->record(entry); !s.ok()) {
                qCWarning(lcSsh).noquote() << s.error().message;
            }
            return result;
        });
}

} // namespace gpudeck
