#include "proxmox/ProxmoxShell.h"
#include "proxmox/ProxmoxSource.h"
#include "ssh/SshPool.h"
#include "store/Entities.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>

namespace gpudeck {
namespace {

// A read: pvesh answers at once, from the node's cluster file system.
constexpr int kReadTimeoutMs = 30 * 1000;
// An action: pvesh runs the task in the foreground, so it answers when the task has ended (a clean shutdown waits
// for the guest): the task's own timeout plus a margin, 3 min when it has none.
constexpr int kActionMarginMs = 120 * 1000;
constexpr int kActionDefaultS = 180;
constexpr int kMaxTimeoutMs = 3600 * 1000;
constexpr qint64 kMaxOutputBytes = 16LL * 1024 * 1024;

// The SSH fallback: the same Proxmox API paths as the HTTPS source, run as pvesh/pvecm over the connection's
// existing link (SshPool::exec: the worker thread of that connection does the waiting; this object only hands the
// command over and reads the answer). See proxmox/ProxmoxShell.h for the command lines.
class ShellSource : public ProxmoxSource
{
public:
    ShellSource(const Connection &connection, SshPool &pool)
        : m_connectionId(connection.id)
        , m_host(connection.name)
        , m_asRoot(connection.username == QLatin1String("root"))
        , m_pool(pool)
    {
    }

    // Calls still running are stopped on the host (their channels freed); their answers are dropped.
    ~ShellSource() override
    {
        for (const auto &cancel : std::as_const(m_running)) {
            cancel->cancel();
        }
    }

    QString kind() const override { return QStringLiteral("ssh"); }

    void get(const QString &path, const ProxmoxParams &query, Done done) override
    {
        call(QStringLiteral("get"), path, query, kReadTimeoutMs, ExecLane::Supervision, std::move(done));
    }

    void post(const QString &path, const ProxmoxParams &params, Done done) override
    {
        int taskTimeoutS = kActionDefaultS;
        for (const auto &[name, value] : params) {
            bool ok = false;
            const int t = value.toInt(&ok);
            if (name == QLatin1String("timeout") && ok && t >= 0) {
                taskTimeoutS = t;
            }
        }
        const int timeoutMs = int(qMin<qint64>(qint64(taskTimeoutS) * 1000 + kActionMarginMs, kMaxTimeoutMs));
        // A person or an agent asked for it: it never takes the channel kept for the polls.
        call(QStringLiteral("create"), path, params, timeoutMs, ExecLane::Interactive, std::move(done));
    }

    void votes(std::function<void(Result<ProxmoxVotes>)> done) override
    {
        const QString host = m_host;
        run(proxmoxshell::pvecmStatusCommand(m_asRoot), kReadTimeoutMs, ExecLane::Supervision,
            [host, done = std::move(done)](const Result<CommandResult> &r) {
                done(r.ok() ? proxmoxshell::readPvecmStatus(r.value(), host) : Result<ProxmoxVotes>(r.error()));
            });
    }

private:
    void call(const QString &verb, const QString &path, const ProxmoxParams &params, int timeoutMs, ExecLane lane,
              Done done)
    {
        const Result<QString> command = proxmoxshell::pveshCommand(verb, path, params, m_asRoot);
        if (!command.ok()) {
            later([done = std::move(done), e = command.error()] { done(e); });
            return;
        }
        const QString host = m_host;
        run(command.value(), timeoutMs, lane, [host, done = std::move(done)](const Result<CommandResult> &r) {
            done(r.ok() ? proxmoxshell::readPvesh(r.value(), host) : Result<QJsonValue>(r.error()));
        });
    }

    // Runs `command` on the link; `handler` is called later on this object's thread, never from inside the call and
    // never after the source is gone.
    void run(const QString &command, int timeoutMs, ExecLane lane,
             std::function<void(const Result<CommandResult> &)> handler)
    {
        ExecOptions options;
        options.timeoutMs = timeoutMs;
        options.lane = lane;
        options.maxOutputBytes = kMaxOutputBytes;
        options.cancel = std::make_shared<ExecCancel>();
        m_running.append(options.cancel);
        auto *watcher = new QFutureWatcher<Result<CommandResult>>(&m_context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, &m_context,
                         [this, watcher, cancel = options.cancel, handler = std::move(handler)]() mutable {
                             m_running.removeOne(cancel);
                             const QFuture<Result<CommandResult>> f = watcher->future();
                             Result<CommandResult> r = f.resultCount() > 0
                                                           ? f.result()
                                                           : Result<CommandResult>(Error::make(
                                                                 ErrorCode::Cancelled, QStringLiteral("cancelled"),
                                                                 QStringLiteral("the command was abandoned")));
                             watcher->deleteLater();
                             // Out of the watcher's signal first: `handler` may destroy this source.
                             later([handler = std::move(handler), r = std::move(r)] { handler(r); });
                         });
        watcher->setFuture(m_pool.exec(m_connectionId, command, options));
    }

    template<typename F>
    void later(F &&f)
    {
        QMetaObject::invokeMethod(&m_context, std::forward<F>(f), Qt::QueuedConnection);
    }

    qint64 m_connectionId;
    QString m_host;
    bool m_asRoot;
    SshPool &m_pool;
    QList<std::shared_ptr<ExecCancel>> m_running;
    QObject m_context; // on the Proxmox worker thread; the answers die with it
};

} // namespace

std::unique_ptr<ProxmoxSource> makeProxmoxShellSource(const Connection &connection, SshPool &ssh)
{
    return std::make_unique<ShellSource>(connection, ssh);
}

} // namespace gpudeck
