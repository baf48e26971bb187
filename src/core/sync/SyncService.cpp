#include "sync/SyncService.h"

#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/ProjectRepository.h"
#include "store/SyncManifestRepository.h"
#include "sync/PullTask.h"
#include "sync/PushTask.h"
#include "sync/SyncLogging.h"
#include "sync/SyncOperation.h"
#include "sync/SyncPlan.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSync, "gpudeck.sync", QtInfoMsg)

namespace gpudeck {
namespace {

constexpr int kKeptFinished = 50;
constexpr int kProgressIntervalMs = 200;

Error cancelledError(const QString &kind)
{
    return Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"),
                       kind == QStringLiteral("pull") ? QStringLiteral("the pull was cancelled")
                                                      : QStringLiteral("the sync was cancelled"));
}

// The connection must be an SSH one with its link up: the transfer runs on that very session.
Result<Connection> linkedConnection(ConnectionRepository &connections, SshPool &ssh, qint64 connectionId)
{
    const auto c = connections.get(connectionId);
    if (!c.ok()) {
        return c.error();
    }
    if (c->kind == QStringLiteral("local")) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("sftp_unavailable"),
                           QStringLiteral("'%1' is a local connection: sync copies to a host over SSH").arg(c->name));
    }
    const LinkStatus st = ssh.status(connectionId);
    if (st.state != LinkState::Connected) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                           QStringLiteral("'%1' is %2; connect it first").arg(c->name, linkStateName(st.state)));
    }
    return c.value();
}

} // namespace

SyncService::SyncService(Database &db, ConnectionRepository &connections, ProjectRepository &projects, SshPool &ssh,
                         QString instanceId, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_connections(connections)
    , m_projects(projects)
    , m_ssh(ssh)
    , m_instanceId(std::move(instanceId))
{
    qRegisterMetaType<gpudeck::SyncProgress>();
}

SyncService::~SyncService()
{
    stop();
}

void SyncService::start()
{
    m_thread.start([this] {
        auto *worker = new QObject;
        auto *timer = new QTimer(worker);
        timer->setInterval(kProgressIntervalMs);
        QObject::connect(timer, &QTimer::timeout, worker, [this] {
            QList<std::shared_ptr<SyncOperation>> running;
            {
                QMutexLocker lock(&m_mutex);
                running = m_running.values();
            }
            for (const auto &op : std::as_const(running)) {
                const SyncProgress p = op->snapshot();
                if (!p.isFinal()) {
                    Q_EMIT progressChanged(p);
                }
            }
        });
        timer->start();
        return worker;
    });
}

void SyncService::stop()
{
    if (!m_thread.isRunning()) {
        return;
    }
    QList<std::shared_ptr<SyncOperation>> running;
    {
        QMutexLocker lock(&m_mutex);
        running = m_running.values();
    }
    for (const auto &op : std::as_const(running)) {
        cancel(op->progress.id);
    }
    m_thread.stop([this](QObject *) { m_db.releaseThread(); });
    // Whatever did not end by itself ends now, as cancelled.
    QMutexLocker lock(&m_mutex);
    for (const auto &op : std::as_const(m_running)) {
        QMutexLocker opLock(&op->mutex);
        if (!op->progress.isFinal()) {
            op->progress.state = QStringLiteral("cancelled");
            op->progress.error = cancelledError(op->progress.kind);
            op->progress.finishedAt = nowUtc();
            op->promise.addResult(op->progress);
            op->promise.finish();
        }
    }
    m_running.clear();
}

Result<SyncService::Started> SyncService::begin(qint64 projectId, const QString &kind,
                                                std::function<void(std::shared_ptr<SyncOperation>)> run)
{
    const auto project = m_projects.get(projectId);
    if (!project.ok()) {
        return project.error();
    }
    // What can be told at once is refused at once; git's verdict comes with the planning.
    if (kind == QStringLiteral("push") && project->localPath.isEmpty()) {
        Error e = Error::make(ErrorCode::Validation, QStringLiteral("no_local_path"),
                              QStringLiteral("project '%1' has no local_path: set the local git work tree to sync from")
                                  .arg(project->name));
        e.field = QStringLiteral("local_path");
        return e;
    }
    if (const auto c = linkedConnection(m_connections, m_ssh, project->connectionId); !c.ok()) {
        return c.error();
    }
    if (!m_thread.isRunning()) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("sync_stopped"),
                           QStringLiteral("sync is not running (GPU Deck is shutting down)"));
    }
    auto op = std::make_shared<SyncOperation>();
    {
        QMutexLocker lock(&m_mutex);
        for (const auto &other : std::as_const(m_running)) {
            if (other->progress.projectId == projectId) {
                return Error::make(ErrorCode::Conflict, QStringLiteral("sync_in_progress"),
                                   QStringLiteral("a %1 of project '%2' is already running (%3); wait for it or cancel "
                                                  "it")
                                       .arg(other->progress.kind, project->name, other->progress.id),
                                   QJsonObject{{QStringLiteral("id"), other->progress.id}});
            }
        }
        op->progress.id = QStringLiteral("sync-%1").arg(++m_next);
        op->progress.kind = kind;
        op->progress.projectId = projectId;
        op->progress.connectionId = project->connectionId;
        op->progress.startedAt = nowUtc();
        op->promise.start();
        m_running.insert(op->progress.id, op);
    }
    Started started{op->snapshot(), op->promise.future()};
    QMetaObject::invokeMethod(
        m_thread.worker(), [run = std::move(run), op] { run(op); }, Qt::QueuedConnection);
    return started;
}

Result<SyncService::Started> SyncService::sync(qint64 projectId, const SyncOptions &options)
{
    return begin(projectId, QStringLiteral("push"),
                 [this, options](std::shared_ptr<SyncOperation> op) { runPush(op, options); });
}

Result<SyncService::Started> SyncService::pull(qint64 projectId, const PullRequest &request)
{
    if (request.remotePaths.isEmpty()) {
        return Error::validation(QStringLiteral("paths"), QStringLiteral("'paths' must name at least one remote path"));
    }
    for (const QString &p : request.remotePaths) {
        if (p.trimmed().isEmpty() || p.contains(QChar(0))) {
            return Error::validation(QStringLiteral("paths"), QStringLiteral("'paths' holds an empty path"));
        }
    }
    if (request.localDir.isEmpty() || !QDir::isAbsolutePath(request.localDir)) {
        return Error::validation(QStringLiteral("local_dir"),
                                 QStringLiteral("'local_dir' must be an absolute folder on this computer"));
    }
    return begin(projectId, QStringLiteral("pull"),
                 [this, request](std::shared_ptr<SyncOperation> op) { runPull(op, request); });
}

void SyncService::runPush(const std::shared_ptr<SyncOperation> &op, const SyncOptions &options)
{
    QElapsedTimer planning;
    planning.start();
    auto fail = [&](const Error &e) {
        QMutexLocker lock(&op->mutex);
        op->progress.state = op->cancelRequested ? QStringLiteral("cancelled") : QStringLiteral("failed");
        op->progress.error = op->cancelRequested ? cancelledError(op->progress.kind) : e;
    };
    const auto project = m_projects.get(op->progress.projectId);
    if (!project.ok()) {
        fail(project.error());
        return end(op);
    }
    const auto connection = linkedConnection(m_connections, m_ssh, project->connectionId);
    if (!connection.ok()) {
        fail(connection.error());
        return end(op);
    }
    const QString remoteKey = syncplan::sftpRoot(project->remotePath);
    SyncManifestRepository manifests(m_db);
    const auto manifest = manifests.load(project->id, project->connectionId, remoteKey);
    const auto marker = manifests.marker(project->id, project->connectionId, remoteKey);
    if (!manifest.ok() || !marker.ok()) {
        fail(!manifest.ok() ? manifest.error() : marker.error());
        return end(op);
    }
    auto plan = syncplan::make(project.value(), manifest.value(), marker.value(), m_instanceId);
    if (!plan.ok()) {
        fail(plan.error());
        return end(op);
    }
    if (op->cancelRequested) {
        fail(cancelledError(op->progress.kind));
        return end(op);
    }
    // Entries whose mtime moved but whose content did not: the manifest learns their new mtime.
    QList<ManifestEntry> touched;
    for (const SyncEntry &e : std::as_const(plan->entries)) {
        if (e.touched) {
            touched.append(ManifestEntry{e.path, e.kindName(), e.size, e.mtimeNs, e.mode, e.hash, e.remoteMtime});
        }
    }
    const QStringList forgot = plan->forgotExtras;
    const QString oldMarker = marker.value();
    qCInfo(lcSync).noquote() << QStringLiteral("%1: project %2 → '%3': %4 tracked/extra, %5 to send (%6 bytes), %7 to "
                                               "delete; planned in %8 ms")
                                    .arg(op->progress.id)
                                    .arg(project->id)
                                    .arg(connection->name)
                                    .arg(plan->entries.size())
                                    .arg(plan->toSend)
                                    .arg(plan->bytesToSend)
                                    .arg(plan->deletions.size())
                                    .arg(planning.elapsed());
    auto task = std::make_shared<PushTask>(op, std::move(plan.value()), options);
    {
        QMutexLocker lock(&op->mutex);
        op->progress.state = QStringLiteral("running");
        op->task = task;
    }
    if (op->cancelRequested) {
        task->cancel();
    }
    QFuture<PushOutcome> outcome = task->future();
    if (Status s = m_ssh.runSftp(project->connectionId, task); !s.ok()) {
        fail(s.error());
        return end(op);
    }
    const qint64 projectId = project->id;
    const qint64 connectionId = project->connectionId;
    outcome.then(m_thread.worker(), [this, op, projectId, connectionId, remoteKey, touched, forgot,
                                     oldMarker](const PushOutcome &o) {
        QList<ManifestEntry> entries = touched;
        entries.append(o.written);
        QStringList removed = o.removed;
        removed.append(forgot);
        Status saved;
        if (!entries.isEmpty() || !removed.isEmpty() || o.marker != oldMarker) {
            saved = SyncManifestRepository(m_db).save(projectId, connectionId, remoteKey, entries, removed, o.marker);
        }
        {
            QMutexLocker lock(&op->mutex);
            op->task.reset();
            op->progress.summary = o.summary;
            if (o.cancelled) {
                op->progress.state = QStringLiteral("cancelled");
                op->progress.error = cancelledError(op->progress.kind);
            } else if (o.error) {
                op->progress.state = QStringLiteral("failed");
                op->progress.error = o.error;
            } else if (!saved.ok()) {
                op->progress.state = QStringLiteral("failed");
                op->progress.error = saved.error();
            } else if (o.summary.failed > 0) {
                op->progress.state = QStringLiteral("failed");
                op->progress.error = Error::make(ErrorCode::Upstream, QStringLiteral("sync_incomplete"),
                                                 QStringLiteral("%1 file(s) could not be synced; see the summary's "
                                                                "errors (the others are in place)")
                                                     .arg(o.summary.failed));
            } else {
                op->progress.state = QStringLiteral("completed");
            }
        }
        end(op);
    });
}

void SyncService::runPull(const std::shared_ptr<SyncOperation> &op, const PullRequest &request)
{
    auto fail = [&](const Error &e) {
        QMutexLocker lock(&op->mutex);
        op->progress.state = op->cancelRequested ? QStringLiteral("cancelled") : QStringLiteral("failed");
        op->progress.error = op->cancelRequested ? cancelledError(op->progress.kind) : e;
    };
    const auto project = m_projects.get(op->progress.projectId);
    if (!project.ok()) {
        fail(project.error());
        return end(op);
    }
    const auto connection = linkedConnection(m_connections, m_ssh, project->connectionId);
    if (!connection.ok()) {
        fail(connection.error());
        return end(op);
    }
    if (!QDir().mkpath(request.localDir)) {
        fail(Error::make(ErrorCode::Unavailable, QStringLiteral("local_write_failed"),
                         QStringLiteral("cannot make the folder %1").arg(request.localDir)));
        return end(op);
    }
    auto task = std::make_shared<PullTask>(op, syncplan::sftpRoot(project->remotePath), request);
    {
        QMutexLocker lock(&op->mutex);
        op->progress.state = QStringLiteral("running");
        op->task = task;
    }
    if (op->cancelRequested) {
        task->cancel();
    }
    QFuture<PullOutcome> outcome = task->future();
    if (Status s = m_ssh.runSftp(project->connectionId, task); !s.ok()) {
        fail(s.error());
        return end(op);
    }
    outcome.then(m_thread.worker(), [this, op](const PullOutcome &o) {
        {
            QMutexLocker lock(&op->mutex);
            op->task.reset();
            op->progress.summary = o.summary;
            if (o.cancelled) {
                op->progress.state = QStringLiteral("cancelled");
                op->progress.error = cancelledError(op->progress.kind);
            } else if (o.error) {
                op->progress.state = QStringLiteral("failed");
                op->progress.error = o.error;
            } else if (o.summary.failed > 0) {
                op->progress.state = QStringLiteral("failed");
                op->progress.error = Error::make(ErrorCode::Upstream, QStringLiteral("pull_incomplete"),
                                                 QStringLiteral("%1 path(s) could not be pulled; see the summary's "
                                                                "errors")
                                                     .arg(o.summary.failed));
            } else {
                op->progress.state = QStringLiteral("completed");
            }
        }
        end(op);
    });
}

void SyncService::end(const std::shared_ptr<SyncOperation> &op)
{
    SyncProgress final;
    {
        QMutexLocker lock(&op->mutex);
        op->progress.filesDone = op->filesDone.load();
        op->progress.bytesDone = op->bytesDone.load();
        op->progress.current.clear();
        op->progress.finishedAt = nowUtc();
        if (!op->progress.isFinal()) {
            op->progress.state = QStringLiteral("failed");
        }
        final = op->progress;
    }
    {
        QMutexLocker lock(&m_mutex);
        if (!m_running.remove(final.id)) {
            return; // stop() already ended it
        }
        m_finished.prepend(final);
        while (m_finished.size() > kKeptFinished) {
            m_finished.removeLast();
        }
    }
    qCInfo(lcSync).noquote() << QStringLiteral(
                                    "%1 (%2 of project %3): %4; %5 sent, %6 unchanged, %7 deleted, %8 failed")
                                    .arg(final.id, final.kind)
                                    .arg(final.projectId)
                                    .arg(final.state)
                                    .arg(final.summary.sent)
                                    .arg(final.summary.unchanged)
                                    .arg(final.summary.deleted)
                                    .arg(final.summary.failed);
    op->promise.addResult(final);
    op->promise.finish();
    Q_EMIT finished(final);
}

std::optional<SyncProgress> SyncService::progress(const QString &id) const
{
    QMutexLocker lock(&m_mutex);
    if (const auto it = m_running.constFind(id); it != m_running.constEnd()) {
        return (*it)->snapshot();
    }
    for (const SyncProgress &p : m_finished) {
        if (p.id == id) {
            return p;
        }
    }
    return std::nullopt;
}

std::optional<QFuture<SyncProgress>> SyncService::whenDone(const QString &id) const
{
    QMutexLocker lock(&m_mutex);
    if (const auto it = m_running.constFind(id); it != m_running.constEnd()) {
        return (*it)->promise.future();
    }
    for (const SyncProgress &p : m_finished) {
        if (p.id == id) {
            return QtFuture::makeReadyFuture(p);
        }
    }
    return std::nullopt;
}

QList<SyncProgress> SyncService::operations() const
{
    QMutexLocker lock(&m_mutex);
    QList<SyncProgress> out;
    for (const auto &op : m_running) {
        out.append(op->snapshot());
    }
    std::sort(out.begin(), out.end(),
              [](const SyncProgress &a, const SyncProgress &b) { return a.startedAt > b.startedAt; });
    out.append(m_finished);
    return out;
}

bool SyncService::cancel(const QString &id)
{
    std::shared_ptr<SyncOperation> op;
    {
        QMutexLocker lock(&m_mutex);
        op = m_running.value(id);
    }
    if (!op) {
        return false;
    }
    op->cancelRequested = true;
    std::shared_ptr<SftpTask> task;
    {
        QMutexLocker lock(&op->mutex);
        task = op->task;
    }
    if (task) {
        task->cancel();
    }
    return true;
}

} // namespace gpudeck
