#include "runpod/RunPodService.h"

#include "runpod/RunPodLogging.h"
#include "runpod/RunPodSshKey.h"
#include "runpod/RunPodWorker.h"
#include "store/Database.h"

#include <QJsonArray>
#include <QPromise>
#include <QTimer>

Q_LOGGING_CATEGORY(lcRunPod, "gpudeck.runpod", QtInfoMsg)

namespace gpudeck {
namespace {

constexpr qint64 kBusyMs = 10 * 60 * 1000; // after an action: read often until the pods settle, at most this long

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

template<typename T>
QFuture<T> readyFuture(T value)
{
    QPromise<T> p;
    p.start();
    p.addResult(std::move(value));
    p.finish();
    return p.future();
}

Error notRunning()
{
    return Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                       QStringLiteral("RunPod support is not running"));
}

QString money(double usd)
{
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd < 10 ? 3 : 2);
}

QString describe(const RunPodPod &pod)
{
    return pod.name.isEmpty() ? QStringLiteral("pod %1").arg(pod.id)
                              : QStringLiteral("pod '%1' (%2)").arg(pod.name, pod.id);
}

} // namespace

RunPodService::RunPodService(ConnectionRepository &connections, ConnectionService &connectionService, SshPool &ssh,
                             SecretStore &secrets, Database &db, QString dataDir, QString knownHostsPath,
                             QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_connectionService(connectionService)
    , m_ssh(ssh)
    , m_secrets(secrets)
    , m_db(db)
    , m_dataDir(std::move(dataDir))
    , m_knownHostsPath(std::move(knownHostsPath))
{
    qRegisterMetaType<RunPodPod>();
    qRegisterMetaType<QList<RunPodPod>>();
    qRegisterMetaType<RunPodKeyState>();
    m_pollTimer = new QTimer(this);
    connect(m_pollTimer, &QTimer::timeout, this, &RunPodService::poll);
    m_keyState.fromEnvironment = !qEnvironmentVariable("RUNPOD_API_KEY").trimmed().isEmpty();
}

RunPodService::~RunPodService()
{
    stop();
}

void RunPodService::start()
{
    if (m_thread.isRunning()) {
        return;
    }
    RunPodWorker::Config config;
    config.baseUrl = qEnvironmentVariable("RUNPOD_API_BASE").trimmed();
    if (config.baseUrl.isEmpty()) {
        config.baseUrl = QStringLiteral("https://api.runpod.io");
    }
    config.environmentKey = qEnvironmentVariable("RUNPOD_API_KEY").trimmed();
    config.keychainKey = QStringLiteral("instance/%1/runpod/api_key").arg(m_db.instanceId());
    config.dataDir = m_dataDir;
    config.knownHostsPath = m_knownHostsPath;
    config.instanceId = m_db.instanceId();
    RunPodWorker *worker = m_thread.start([this, config] {
        return new RunPodWorker(*this, m_connections, m_connectionService, m_ssh, m_secrets, config);
    });
    if (!worker) {
        return;
    }
    m_thread.post([](RunPodWorker *w) { w->startup(); });
    m_pollTimer->start(qMin(pollIntervalMs(), 1000));
}

void RunPodService::stop()
{
    m_pollTimer->stop();
    m_thread.stop([this](RunPodWorker *) { m_db.releaseThread(); });
}

// ---- reads

template<typename T, typename Fn>
static QFuture<T> postTo(WorkerThread<RunPodWorker> &thread, T failure, Fn fn)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    if (!thread.post([promise, fn](RunPodWorker *w) { fn(w, promise); })) {
        promise->addResult(std::move(failure));
        promise->finish();
    }
    return promise->future();
}

QFuture<Result<QList<RunPodPod>>> RunPodService::pods()
{
    return postTo(m_thread, Result<QList<RunPodPod>>(notRunning()),
                  [](RunPodWorker *w, auto promise) { w->listPods(promise); });
}

QFuture<Result<RunPodPod>> RunPodService::pod(const QString &podId)
{
    return postTo(m_thread, Result<RunPodPod>(notRunning()),
                  [podId](RunPodWorker *w, auto promise) { w->getPod(podId, promise); });
}

QList<RunPodPod> RunPodService::knownPods() const
{
    QMutexLocker lock(&m_mutex);
    QList<RunPodPod> out = m_pods.values();
    std::sort(out.begin(), out.end(), [](const RunPodPod &a, const RunPodPod &b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return out;
}

std::optional<RunPodPod> RunPodService::knownPod(const QString &podId) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_pods.constFind(podId);
    if (it == m_pods.constEnd()) {
        return std::nullopt;
    }
    return *it;
}

std::optional<RunPodPod> RunPodService::podOfConnection(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    for (const RunPodPod &p : m_pods) {
        if (p.connectionId == connectionId) {
            return p;
        }
    }
    return std::nullopt;
}

QFuture<Result<QList<RunPodGpuType>>> RunPodService::gpuTypes()
{
    return postTo(m_thread, Result<QList<RunPodGpuType>>(notRunning()),
                  [](RunPodWorker *w, auto promise) { w->gpuTypes(promise); });
}

// ---- actions

QFuture<Result<RunPodPod>> RunPodService::create(const RunPodCreate &request)
{
    if (Status s = request.validate(); !s.ok()) {
        return readyFuture<Result<RunPodPod>>(s.error());
    }
    return postTo(m_thread, Result<RunPodPod>(notRunning()),
                  [request](RunPodWorker *w, auto promise) { w->create(request, promise); });
}

QFuture<Result<ActionPlan>> RunPodService::planCreate(const RunPodCreate &request)
{
    if (Status s = request.validate(); !s.ok()) {
        return readyFuture<Result<ActionPlan>>(s.error());
    }
    return gpuTypes().then([request](Result<QList<RunPodGpuType>> types) -> Result<ActionPlan> {
        ActionPlan plan;
        plan.action = QStringLiteral("runpod.create");
        QJsonObject target{
            {QStringLiteral("kind"), QStringLiteral("pod")}, {QStringLiteral("name"), request.name},
            {QStringLiteral("gpu_type"), request.gpuTypeId}, {QStringLiteral("gpu_count"), request.gpuCount},
            {QStringLiteral("cloud"), request.cloud},        {QStringLiteral("image"), request.image},
            {QStringLiteral("disk_gb"), request.diskGb},     {QStringLiteral("volume_gb"), request.volumeGb}};
        if (!types.ok()) {
            plan.target = target;
            plan.wouldRefuse = types.error();
            return plan;
        }
        const RunPodGpuType *type = nullptr;
        for (const RunPodGpuType &t : types.value()) {
            if (t.id == request.gpuTypeId) {
                type = &t;
            }
        }
        if (!type) {
            plan.target = target;
            plan.wouldRefuse =
                Error::validation(QStringLiteral("gpu_type"),
                                  QStringLiteral("RunPod has no GPU type '%1' (GET /api/runpod/gpu-types lists them)")
                                      .arg(request.gpuTypeId));
            return plan;
        }
        const double hourly = type->hourly(request.cloud, request.gpuCount);
        const int maxCount =
            request.cloud == QStringLiteral("COMMUNITY") ? type->maxCountCommunity : type->maxCountSecure;
        target.insert(QStringLiteral("cost_per_hr"), hourly);
        plan.target = target;
        if (hourly <= 0) {
            plan.wouldRefuse = Error::validation(
                QStringLiteral("cloud"),
                QStringLiteral("%1 is not offered on RunPod's %2 cloud").arg(type->name, request.cloud));
            return plan;
        }
        if (maxCount > 0 && request.gpuCount > maxCount) {
            plan.wouldRefuse = Error::validation(QStringLiteral("gpu_count"),
                                                 QStringLiteral("at most %1 × %2 fit one pod on the %3 cloud")
                                                     .arg(maxCount)
                                                     .arg(type->name, request.cloud));
            return plan;
        }
        plan.effects << QStringLiteral(
                            "creates the pod '%1': %2 × %3 on RunPod's %4 cloud, billed %5 per hour while it "
                            "runs (list price; RunPod reports the pod's own rate once it exists)")
                            .arg(request.name)
                            .arg(request.gpuCount)
                            .arg(type->name, request.cloud, money(hourly));
        plan.effects << QStringLiteral("image %1, container disk %2 GB%3")
                            .arg(request.image)
                            .arg(request.diskGb)
                            .arg(request.volumeGb > 0
                                     ? QStringLiteral(", a %1 GB volume at %2 (storage is billed while "
                                                      "the pod exists, even stopped)")
                                           .arg(request.volumeGb)
                                           .arg(QString::fromLatin1(RunPodCreate::kVolumePath))
                                     : QString());
        plan.effects << QStringLiteral("registers GPU Deck's SSH public key on the RunPod account when it is not there "
                                       "(the account's other keys are kept)");
        plan.effects << QStringLiteral("once RUNNING, the pod becomes the connection '%1' (kind runpod) and is "
                                       "connected; its host key is trusted on first use")
                            .arg(request.name);
        return plan;
    });
}

QFuture<Result<RunPodPod>> RunPodService::action(const QString &podId, const QString &action)
{
    if (!RunPodPod::allActions().contains(action)) {
        return readyFuture<Result<RunPodPod>>(Error::validation(
            QStringLiteral("action"),
            QStringLiteral("'action' must be one of %1").arg(RunPodPod::allActions().join(QStringLiteral(", ")))));
    }
    markBusy();
    return postTo(m_thread, Result<RunPodPod>(notRunning()),
                  [podId, action](RunPodWorker *w, auto promise) { w->act(podId, action, promise); });
}

Result<ActionPlan> RunPodService::planAction(const QString &podId, const QString &action) const
{
    if (!RunPodPod::allActions().contains(action)) {
        return Error::validation(
            QStringLiteral("action"),
            QStringLiteral("'action' must be one of %1").arg(RunPodPod::allActions().join(QStringLiteral(", "))));
    }
    ActionPlan plan;
    plan.action = QStringLiteral("runpod.") + action;
    QJsonObject target{{QStringLiteral("kind"), QStringLiteral("pod")}, {QStringLiteral("id"), podId}};
    const std::optional<RunPodPod> known = knownPod(podId);
    QString what = QStringLiteral("pod %1").arg(podId);
    if (known) {
        target.insert(QStringLiteral("name"), known->name);
        target.insert(QStringLiteral("status"), known->status);
        target.insert(QStringLiteral("cost_per_hr"), known->costPerHr);
        target.insert(QStringLiteral("cost_so_far_usd"), known->toJson().value(QStringLiteral("cost_so_far_usd")));
        target.insert(QStringLiteral("connection_id"),
                      known->connectionId > 0 ? QJsonValue(known->connectionId) : QJsonValue());
        what = describe(*known);
        if (!known->actions.contains(action)) {
            plan.target = target;
            plan.wouldRefuse =
                Error::make(ErrorCode::Conflict, QStringLiteral("runpod_action_not_allowed"),
                            QStringLiteral("RunPod cannot %1 %2 while it is %3: allowed now: %4")
                                .arg(action, what, known->status,
                                     known->actions.isEmpty() ? QStringLiteral("nothing")
                                                              : known->actions.join(QStringLiteral(", "))),
                            QJsonObject{{QStringLiteral("allowed_actions"), QJsonArray::fromStringList(known->actions)},
                                        {QStringLiteral("pod_status"), known->status}});
            return plan;
        }
    }
    plan.target = target;
    if (action == QStringLiteral("start")) {
        plan.effects << QStringLiteral("starts %1 again: compute is billed from then on%2")
                            .arg(what, known && known->gpuCount > 0
                                           ? QStringLiteral(" (%1 × %2)").arg(known->gpuCount).arg(known->gpuTypeId)
                                           : QString());
        plan.effects << QStringLiteral("the pod gets a new address and host key: its connection is updated and "
                                       "connected once it runs");
    } else if (action == QStringLiteral("stop")) {
        plan.effects << QStringLiteral("stops %1: its GPUs are released and compute billing ends; the volume is kept "
                                       "(and billed), the container disk is wiped")
                            .arg(what);
        plan.effects << QStringLiteral("anything running on it ends (jobs included); its connection is disconnected");
    } else if (action == QStringLiteral("restart")) {
        plan.effects
            << QStringLiteral("restarts the container of %1: everything running in it ends (jobs included)").arg(what);
        plan.effects << QStringLiteral("the pod comes back on a new port with a new host key: its connection follows");
    } else {
        plan.effects << QStringLiteral("TERMINATES %1 for good: the pod, its container disk and its volume are "
                                       "DELETED, with every file on them; this cannot be undone")
                            .arg(what);
        plan.effects << QStringLiteral("billing for the pod ends; its connection stays (disconnected) until you delete "
                                       "it");
    }
    return plan;
}

// ---- account

QFuture<Status> RunPodService::setApiKey(const QString &key)
{
    return postTo(m_thread, Status(notRunning()), [key](RunPodWorker *w, auto promise) { w->setKey(key, promise); });
}

QFuture<RunPodKeyState> RunPodService::keyState()
{
    return postTo(m_thread, knownKeyState(), [](RunPodWorker *w, auto promise) { w->readKeyState(promise); });
}

RunPodKeyState RunPodService::knownKeyState() const
{
    QMutexLocker lock(&m_mutex);
    return m_keyState;
}

QFuture<Result<QString>> RunPodService::registerSshKey()
{
    return postTo(m_thread, Result<QString>(notRunning()),
                  [](RunPodWorker *w, auto promise) { w->registerKey(promise); });
}

QString RunPodService::privateKeyPath() const
{
    return RunPodSshKey::privateKeyPath(m_dataDir);
}

QString RunPodService::publicKeyLine() const
{
    return RunPodSshKey::publicLine(m_dataDir);
}

RunPodRateLimit RunPodService::rateLimit() const
{
    RunPodWorker *w = m_thread.worker();
    return w ? w->rateLimit() : RunPodRateLimit();
}

// ---- polling

void RunPodService::watch()
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_watchers;
    }
    refresh();
}

void RunPodService::unwatch()
{
    QMutexLocker lock(&m_mutex);
    m_watchers = qMax(0, m_watchers - 1);
}

void RunPodService::refresh()
{
    {
        QMutexLocker lock(&m_mutex);
        m_lastPollMs = nowMs();
    }
    m_thread.post([](RunPodWorker *w) { w->listPods(nullptr); });
}

void RunPodService::setPollIntervalMs(int ms)
{
    {
        QMutexLocker lock(&m_mutex);
        m_pollIntervalMs = qMax(50, ms);
    }
    QMetaObject::invokeMethod(this, [this] {
        if (m_pollTimer->isActive()) {
            m_pollTimer->start(qMin(pollIntervalMs(), 1000));
        }
    });
}

int RunPodService::pollIntervalMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_pollIntervalMs;
}

void RunPodService::poll()
{
    bool due = false;
    {
        QMutexLocker lock(&m_mutex);
        const qint64 now = nowMs();
        const qint64 since = now - m_lastPollMs;
        bool moving = m_busyUntilMs > now;
        bool connected = false;
        for (const RunPodPod &p : std::as_const(m_pods)) {
            moving = moving || p.isTransitional();
            connected = connected || p.connectionId > 0;
        }
        if ((m_watchers > 0 || moving) && since >= m_pollIntervalMs) {
            due = true;
        } else if (connected && since >= kIdlePollMs) {
            due = true;
        }
    }
    if (due) {
        refresh();
    }
}

// ---- from the worker

QStringList RunPodService::onPodsRead(const QList<RunPodPod> &pods)
{
    QStringList gone;
    QList<RunPodPod> ended;
    {
        QMutexLocker lock(&m_mutex);
        QHash<QString, RunPodPod> now;
        for (const RunPodPod &p : pods) {
            now.insert(p.id, p);
        }
        for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it) {
            if (!now.contains(it.key())) {
                gone << it.key();
                RunPodPod p = it.value();
                p.status = QStringLiteral("TERMINATED");
                p.actions.clear();
                p.costPerHr = 0;
                p.sshDirect = {};
                ended << p;
            }
        }
        m_pods = now;
        m_listed = true;
        bool moving = false;
        for (const RunPodPod &p : pods) {
            moving = moving || p.isTransitional();
        }
        if (!moving && m_busyUntilMs > nowMs()) {
            // Settled: nothing is on its way any more (an action's effect shows in the list read after it).
            m_busyUntilMs = qMin(m_busyUntilMs, nowMs() + 3 * qint64(m_pollIntervalMs));
        }
    }
    for (const RunPodPod &p : pods) {
        Q_EMIT podUpdated(p);
    }
    for (const RunPodPod &p : std::as_const(ended)) {
        Q_EMIT podUpdated(p);
    }
    Q_EMIT podsChanged(pods);
    return gone;
}

void RunPodService::onPodRead(const RunPodPod &pod)
{
    {
        QMutexLocker lock(&m_mutex);
        m_pods.insert(pod.id, pod);
    }
    Q_EMIT podUpdated(pod);
}

void RunPodService::onPodGone(const QString &podId)
{
    RunPodPod gone;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_pods.contains(podId)) {
            return;
        }
        gone = m_pods.take(podId);
    }
    gone.status = QStringLiteral("TERMINATED");
    gone.actions.clear();
    gone.costPerHr = 0;
    gone.sshDirect = {};
    Q_EMIT podUpdated(gone);
}

void RunPodService::setKeyState(const RunPodKeyState &state)
{
    {
        QMutexLocker lock(&m_mutex);
        m_keyState = state;
    }
    Q_EMIT keyStateChanged(state);
}

void RunPodService::markBusy()
{
    QMutexLocker lock(&m_mutex);
    m_busyUntilMs = nowMs() + kBusyMs;
}

} // namespace gpudeck
