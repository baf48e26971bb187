#pragma once

#include "Result.h"
#include "ssh/SshTypes.h"

#include <QFuture>
#include <QString>

class QObject;

namespace gpudeck {

class ConnectionRepository;
class ExecLogRepository;
class SshPool;
struct GuardVerdict;

// "Run this command on that host", for the GUI console and POST /api/dgx/exec alike: the destructive-command
// guard, the run itself, and an audit-log entry for every command run or refused.
class RemoteExec
{
public:
    struct Request
    {
        QString connection; // id or name
        QString command;
        int timeoutMs = 30000;
        bool force = false; // run even what the guard refuses (the GUI asks first)
        QString caller = QStringLiteral("api");
        std::shared_ptr<ExecCancel> cancel; // lets the caller stop the command (killing it on the host)
    };

    RemoteExec(ConnectionRepository &connections, SshPool &pool, ExecLogRepository &log);

    // The audit entry is written, and the future resolves, on `context`'s thread.
    QFuture<Result<CommandResult>> run(const Request &request, QObject *context);

    // The request's own checks (command present and at most 64 KiB, timeout 1 s to 1 h): Validation errors.
    static Status validate(const Request &request);
    // What run() answers for a command the guard refused (403 command_refused with the guard's reason).
    static Error refusal(const GuardVerdict &verdict);

    static constexpr int kMaxCommandBytes = 64 * 1024;
    static constexpr int kMaxTimeoutMs = 3600 * 1000;

private:
    ConnectionRepository &m_connections;
    SshPool &m_pool;
    ExecLogRepository &m_log;
};

} // namespace gpudeck
