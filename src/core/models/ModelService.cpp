#include "models/ModelService.h"

#include "models/ModelEngine.h"
#include "models/ModelsLogging.h"
#include "models/ModelsState.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Entities.h"
#include "store/StoreEvents.h"

#include <QJsonArray>
#include <cmath>

Q_LOGGING_CATEGORY(lcModels, "gpudeck.models", QtInfoMsg)

namespace gpudeck {
namespace {

constexpr int kKeptSwaps = 100;

Error notStarted()
{
    return Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                       QStringLiteral("model serving is not started"));
}

Error swapInProgress(const QString &host, const QString &swapId)
{
    return Error::make(
        ErrorCode::Conflict, QStringLiteral("swap_in_progress"),
        ModelsState::isIdleStop(swapId)
            ? QStringLiteral("%1 is stopping its idle model (ttl_s, %2): try again when it is done").arg(host, swapId)
            : QStringLiteral("a swap is already running on %1 (%2)").arg(host, swapId),
        {{QStringLiteral("swap_id"), swapId}});
}

Error unitMember(const QString &host, const ModelSpec &unit, const QString &model)
{
    return Error::make(
        ErrorCode::Conflict, QStringLiteral("unit_member"),
        QStringLiteral("%1 is part of %2, served across %3: swapping it to %4 alone would break %2. Swap "
                       "to a model across the same hosts, or send \"stop_unit\": true to stop %2 on "
                       "every one of its hosts first")
            .arg(host, unit.id, unit.hosts().join(QStringLiteral(" + ")), model),
        {{QStringLiteral("host"), host},
         {QStringLiteral("unit"), unit.id},
         {QStringLiteral("unit_hosts"), QJsonArray::fromStringList(unit.hosts())}});
}

Error notConnected(const QString &host)
{
    return Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                       QStringLiteral("%1 is not connected: connect it first (POST /api/dgx/connect/%1)").arg(host));
}

Error notCancellable(const QString &id, const QString &why)
{
    return Error::make(ErrorCode::Conflict, QStringLiteral("swap_not_cancellable"),
                       QStringLiteral("cannot cancel %1: %2").arg(id, why));
}

} // namespace

ModelService::ModelService(QString catalogPath, Database &db, ConnectionRepository &connections, SshPool &pool,
                           MetricsService *metrics, QObject *parent)
    : QObject(parent)
    , m_path(std::move(catalogPath))
    , m_db(db)
    , m_connections(connections)
    , m_pool(pool)
    , m_metrics(metrics)
    , m_state(std::make_unique<ModelsState>())
{
    qRegisterMetaType<SwapReport>();
    qRegisterMetaType<CatalogError>();
    qRegisterMetaType<QList<CatalogError>>();
}

ModelService::~ModelService()
{
    stop();
}

void ModelService::start(StoreEvents *events)
{
    if (m_engine.isRunning()) {
        return;
    }
    m_engine.start([this, events] {
        auto *engine = new ModelEngine(*m_state, m_path, m_db, m_connections, m_pool, m_metrics);
        connect(engine, &ModelEngine::catalogChanged, this, &ModelService::catalogChanged);
        connect(engine, &ModelEngine::catalogErrors, this, &ModelService::catalogErrorsChanged);
        connect(engine, &ModelEngine::servingChanged, this, &ModelService::servingChanged);
        connect(engine, &ModelEngine::servicesChanged, this, &ModelService::servicesChanged);
        connect(engine, &ModelEngine::swapUpdated, this, &ModelService::swapUpdated);
        connect(engine, &ModelEngine::swapFinished, this, &ModelService::swapFinished);
        if (events) {
            connect(events, &StoreEvents::connectionsChanged, engine, &ModelEngine::onConnectionsChanged);
        }
        // Preload: the engine asks for a swap the way the GUI does (confirmed: models.yaml said so).
        engine->setSwapStarter([this](const QString &host, const QString &model) {
            const auto r = startSwap({host, model, true});
            if (!r.ok()) {
                qCDebug(lcModels).noquote()
                    << QStringLiteral("preload of %1 on %2 not started: %3").arg(model, host, r.error().message);
            }
            return r.ok();
        });
        engine->init();
        return engine;
    });
}

void ModelService::stop()
{
    m_engine.stop([](ModelEngine *engine) { engine->shutdown(); });
    QHash<QString, QList<std::shared_ptr<QPromise<SwapReport>>>> waiters;
    {
        QMutexLocker lock(&m_state->mutex);
        waiters.swap(m_state->swapWaiters);
    }
    for (const auto &list : std::as_const(waiters)) {
        for (const auto &promise : list) {
            promise->finish(); // no result: the swap will not finish now
        }
    }
}

ModelCatalog ModelService::catalog() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->catalog;
}

QList<CatalogError> ModelService::catalogErrors() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->errors;
}

void ModelService::reload()
{
    m_engine.post([](ModelEngine *engine) { engine->reload(); });
}

const ModelSpec *ModelService::runningUnitOn(const QString &host) const
{
    for (const ModelSpec *unit : m_state->catalog.unitsOn(host)) {
        const HostServing head = m_state->serving.value(unit->host);
        if (head.health == Health::Up && head.model == unit->id) {
            return unit;
        }
    }
    return nullptr;
}

HostServing ModelService::servingOf(const QString &host) const
{
    HostServing s = m_state->serving.value(host);
    s.host = host;
    if (!s.swapId.isEmpty()) {
        return s;
    }
    if (const ModelSpec *unit = runningUnitOn(host)) {
        s.unitHosts = unit->hosts();
        s.unitRole = unit->host == host ? QStringLiteral("head") : QStringLiteral("worker");
        if (unit->host != host) {
            // A worker's own ports do not list the model: its head's answer stands for the unit.
            const HostServing head = m_state->serving.value(unit->host);
            s.model = unit->id;
            s.health = Health::Up;
            s.checkedAt = head.checkedAt;
            s.detail.clear();
        }
    }
    return s;
}

QList<HostServing> ModelService::serving() const
{
    QMutexLocker lock(&m_state->mutex);
    QList<HostServing> out;
    for (const HostCatalog &h : m_state->catalog.hosts) {
        out << servingOf(h.host);
    }
    return out;
}

HostServing ModelService::serving(const QString &host) const
{
    QMutexLocker lock(&m_state->mutex);
    return servingOf(host);
}

QList<ServiceHealth> ModelService::services() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->services;
}

void ModelService::refresh(const QString &host)
{
    m_engine.post([host](ModelEngine *engine) { engine->refresh(host); });
}

QString ModelService::wouldStop(const QString &host) const
{
    QMutexLocker lock(&m_state->mutex);
    const HostServing s = servingOf(host);
    return s.health == Health::Up ? s.model : QString();
}

Result<ModelService::SwapCheck> ModelService::checkSwap(const SwapRequest &request) const
{
    const ModelCatalog &catalog = m_state->catalog;
    const HostCatalog *host = catalog.host(request.host);
    const ModelSpec *model = host ? host->model(request.model) : nullptr;
    if (!model) { // a model across hosts, named with one of its workers' hosts
        const ModelSpec *m = catalog.model(request.model);
        if (m && m->hosts().contains(request.host)) {
            model = m;
        }
    }
    const QList<const ModelSpec *> unitsHere = catalog.unitsOn(request.host);
    if (!host && unitsHere.isEmpty()) {
        Error e = Error::validation(QStringLiteral("host"),
                                    QStringLiteral("host '%1' is not in models.yaml (hosts: %2)")
                                        .arg(request.host, catalog.hostNames().join(QStringLiteral(", "))));
        e.details.insert(QStringLiteral("choices"), QJsonArray::fromStringList(catalog.hostNames()));
        return e;
    }
    if (!model) {
        QStringList ids;
        if (host) {
            for (const ModelSpec &m : host->models) {
                ids << m.id;
            }
        }
        for (const ModelSpec *m : unitsHere) {
            if (!ids.contains(m->id)) {
                ids << m->id;
            }
        }
        Error e = Error::validation(QStringLiteral("model"),
                                    QStringLiteral("%1 cannot serve '%2' (its models: %3)")
                                        .arg(request.host, request.model, ids.join(QStringLiteral(", "))));
        e.details.insert(QStringLiteral("choices"), QJsonArray::fromStringList(ids));
        return e;
    }
    SwapCheck check;
    check.host = model->host;
    check.model = *model;
    check.hosts = model->hosts();
    // A model up across hosts is stopped only as a whole: on hosts this swap does not cover, it would be left broken.
    for (const QString &h : model->hosts()) {
        const ModelSpec *unit = runningUnitOn(h);
        if (!unit) {
            continue;
        }
        for (const QString &other : unit->hosts()) {
            if (check.hosts.contains(other)) {
                continue;
            }
            if (!request.stopUnit && !check.unitMember) {
                check.unitMember = unitMember(h, *unit, model->id);
            }
            check.hosts << other;
        }
    }
    const HostServing current = servingOf(check.host);
    check.wouldStop = current.health == Health::Up ? current.model : QString();
    for (const QString &h : std::as_const(check.hosts)) {
        const HostServing s = servingOf(h);
        if (s.health == Health::Up && !s.model.isEmpty() && !check.stopsAll.contains(s.model)) {
            check.stopsAll << s.model;
        }
        const QString active = m_state->activeSwap.value(h);
        if (!active.isEmpty() && check.activeSwap.isEmpty()) {
            check.activeSwap = active;
            check.activeHost = h;
        }
    }
    return check;
}

Result<ActionPlan> ModelService::planSwap(const SwapRequest &request) const
{
    ActionPlan plan;
    plan.action = QStringLiteral("model.swap");
    QMutexLocker lock(&m_state->mutex);
    if (!m_engine.isRunning()) {
        plan.target = {{QStringLiteral("kind"), QStringLiteral("host")},
                       {QStringLiteral("host"), request.host},
                       {QStringLiteral("model"), request.model}};
        plan.wouldRefuse = notStarted();
        return plan;
    }
    const auto check = checkSwap(request);
    if (!check.ok()) {
        return check.error();
    }
    lock.unlock();
    QString disconnected;
    for (const QString &h : check->hosts) {
        const auto c = m_connections.find(h);
        if ((!c.ok() || m_pool.status(c->id).state != LinkState::Connected) && disconnected.isEmpty()) {
            disconnected = h;
        }
    }
    const auto connection = m_connections.find(check->host);
    const ModelSpec &model = check->model;
    const QString &stops = check->wouldStop;
    plan.target = {
        {QStringLiteral("kind"), QStringLiteral("host")},
        {QStringLiteral("host"), check->host},
        {QStringLiteral("hosts"), QJsonArray::fromStringList(check->hosts)},
        {QStringLiteral("connection_id"), connection.ok() ? QJsonValue(connection->id) : QJsonValue()},
        {QStringLiteral("link_state"),
         linkStateName(connection.ok() ? m_pool.status(connection->id).state : LinkState::Disconnected)},
        {QStringLiteral("model"), model.id},
        {QStringLiteral("stops"), stops.isEmpty() ? QJsonValue() : QJsonValue(stops)},
        {QStringLiteral("stops_all"), QJsonArray::fromStringList(check->stopsAll)},
        {QStringLiteral("port"), model.port},
        {QStringLiteral("readiness_timeout_s"), model.readinessTimeoutS},
        {QStringLiteral("swap_in_progress"),
         check->activeSwap.isEmpty() ? QJsonValue() : QJsonValue(check->activeSwap)},
    };
    if (!check->activeSwap.isEmpty()) {
        plan.wouldRefuse = swapInProgress(check->activeHost, check->activeSwap);
    } else if (check->unitMember) {
        plan.wouldRefuse = *check->unitMember;
    } else if (!disconnected.isEmpty()) {
        plan.wouldRefuse = notConnected(disconnected);
    }
    if (plan.wouldRefuse) {
        return plan; // the real call would do nothing
    }
    const QString where = check->hosts.join(QStringLiteral(" + "));
    if (stops == model.id && check->stopsAll.size() <= 1) {
        plan.effects
            << QStringLiteral("%1 already serves %2: the swap stops it and starts it again").arg(where, model.id);
    } else if (check->stopsAll.isEmpty()) {
        plan.effects << QStringLiteral("no catalog model is known to be up on %1: its stop command runs first to clear "
                                       "port %2")
                            .arg(where)
                            .arg(model.port);
    } else {
        plan.effects << QStringLiteral("stops %1 on %2 (its stop command; port %3 must close)")
                            .arg(check->stopsAll.join(QStringLiteral(", ")), where)
                            .arg(model.port);
    }
    if (model.spansHosts()) {
        QStringList order;
        for (const ServingStep &part : model.startSteps()) {
            order << QStringLiteral("%1 on %2").arg(part.role, part.host);
        }
        plan.effects << QStringLiteral("starts %1 across %2 in this order: %3")
                            .arg(model.id, model.hosts().join(QStringLiteral(" + ")), order.join(QStringLiteral(", ")));
    }
    plan.effects << QStringLiteral("starts %1 on %2 and waits up to %3 s for its health check, then for /v1/models "
                                   "to list it")
                        .arg(model.id, check->host)
                        .arg(model.readinessTimeoutS);
    const QStringList before = [&] {
        QStringList out = check->stopsAll;
        out.removeAll(model.id);
        return out;
    }();
    plan.effects
        << (before.isEmpty()
                ? QStringLiteral("if %1 does not come up, it is stopped again and nothing is restored").arg(model.id)
                : QStringLiteral("if %1 does not come up, it is stopped and %2 is started again")
                      .arg(model.id, before.join(QStringLiteral(", "))));
    return plan;
}

Result<ActionPlan> ModelService::planCancelSwap(const QString &id) const
{
    const auto report = swap(id);
    if (!report.ok()) {
        return report.error();
    }
    ActionPlan plan;
    plan.action = QStringLiteral("model.swap_cancel");
    plan.target = {
        {QStringLiteral("kind"), QStringLiteral("swap")},
        {QStringLiteral("id"), report->id},
        {QStringLiteral("host"), report->host},
        {QStringLiteral("model"), report->model},
        {QStringLiteral("previous"), report->previous.isEmpty() ? QJsonValue() : QJsonValue(report->previous)},
        {QStringLiteral("state"), swapStateName(report->state)},
        {QStringLiteral("step"), report->step}};
    if (!m_engine.isRunning()) {
        plan.wouldRefuse = notStarted();
    } else if (report->finished()) {
        plan.wouldRefuse = notCancellable(id, QStringLiteral("the swap has already finished")); // as ModelEngine says
    } else if (report->state == SwapState::RollingBack) {
        plan.wouldRefuse = notCancellable(id, QStringLiteral("the swap is already restoring the previous model"));
    }
    if (plan.wouldRefuse) {
        return plan;
    }
    plan.effects << QStringLiteral(
                        "stops the swap of %1 to %2 during '%3' (the command in flight is killed on the host)")
                        .arg(report->host, report->model, report->step);
    plan.effects << QStringLiteral("stops %1 on %2").arg(report->model, report->host);
    plan.effects << (report->previous.isEmpty()
                         ? QStringLiteral("nothing was served before, so nothing is started again")
                         : QStringLiteral("starts %1 again and waits for it").arg(report->previous));
    return plan;
}

Result<SwapReport> ModelService::startSwap(const SwapRequest &request)
{
    if (!m_engine.isRunning()) {
        return notStarted();
    }
    QMutexLocker lock(&m_state->mutex);
    const auto check = checkSwap(request);
    if (!check.ok()) {
        return check.error();
    }
    const ModelSpec *model = &check->model;
    const QString &wouldStopModel = check->wouldStop;
    const QString where = check->hosts.join(QStringLiteral(" + "));
    if (!check->activeSwap.isEmpty()) {
        return swapInProgress(check->activeHost, check->activeSwap);
    }
    if (check->unitMember) {
        return *check->unitMember;
    }
    if (!request.confirm) {
        Error e = Error::make(
            ErrorCode::Validation, QStringLiteral("confirmation_required"),
            check->stopsAll.isEmpty()
                ? QStringLiteral("swapping %1 to %2 runs its stop and start commands: send \"confirm\": true")
                      .arg(where, model->id)
                : QStringLiteral("swapping %1 to %2 stops %3: send \"confirm\": true")
                      .arg(where, model->id, check->stopsAll.join(QStringLiteral(", "))),
            {{QStringLiteral("would_stop"), wouldStopModel.isEmpty() ? QJsonValue() : QJsonValue(wouldStopModel)},
             {QStringLiteral("host"), check->host},
             {QStringLiteral("hosts"), QJsonArray::fromStringList(check->hosts)},
             {QStringLiteral("model"), model->id}});
        e.field = QStringLiteral("confirm");
        return e;
    }
    lock.unlock(); // the connections' table is not read under the models' mutex
    for (const QString &h : check->hosts) {
        const auto connection = m_connections.find(h);
        if (!connection.ok() || m_pool.status(connection->id).state != LinkState::Connected) {
            return notConnected(h);
        }
    }
    lock.relock();
    // Looked at again: another swap may have taken one of the hosts meanwhile.
    for (const QString &h : check->hosts) {
        if (const QString active = m_state->activeSwap.value(h); !active.isEmpty()) {
            return swapInProgress(h, active);
        }
    }
    SwapReport report;
    report.id = QStringLiteral("swap-%1").arg(m_state->nextSwapNumber++);
    report.host = check->host;
    report.hosts = check->hosts;
    report.model = model->id;
    report.previous = wouldStopModel;
    report.force = request.force;
    report.step = QStringLiteral("queued");
    report.startedAt = nowUtc();
    m_state->swaps.insert(report.id, report);
    m_state->swapOrder.append(report.id);
    while (m_state->swapOrder.size() > kKeptSwaps) {
        const QString oldest = m_state->swapOrder.takeFirst();
        if (!m_state->activeSwap.values().contains(oldest)) {
            m_state->swaps.remove(oldest);
        }
    }
    for (const QString &h : check->hosts) {
        m_state->activeSwap.insert(h, report.id);
        HostServing &serving = m_state->serving[h];
        serving.host = h;
        serving.swapId = report.id;
        serving.model.clear(); // not known while it changes: the swap finds out and says
        serving.health = Health::Unknown;
        serving.detail = QStringLiteral("swapping to %1").arg(model->id);
    }
    lock.unlock();

    m_engine.post([report](ModelEngine *engine) { engine->runSwap(report); });
    return report;
}

Result<SwapReport> ModelService::swap(const QString &id) const
{
    QMutexLocker lock(&m_state->mutex);
    const auto it = m_state->swaps.constFind(id);
    if (it == m_state->swaps.constEnd()) {
        return Error::notFound(QStringLiteral("no swap '%1'").arg(id));
    }
    return *it;
}

QHash<QString, quint64> ModelService::swapOutcomes() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->swapOutcomes;
}

QList<SwapReport> ModelService::swaps() const
{
    QMutexLocker lock(&m_state->mutex);
    QList<SwapReport> out;
    for (auto it = m_state->swapOrder.crbegin(); it != m_state->swapOrder.crend(); ++it) {
        out << m_state->swaps.value(*it);
    }
    return out;
}

Result<SwapReport> ModelService::cancelSwap(const QString &id)
{
    if (auto r = swap(id); !r.ok()) {
        return r;
    }
    ModelEngine *engine = m_engine.worker();
    if (!engine) {
        return notStarted();
    }
    bool cancelled = false;
    QString why;
    // The models thread never waits on the caller's thread, so this brief wait cannot deadlock.
    QMetaObject::invokeMethod(
        engine, [engine, id, &cancelled, &why] { cancelled = engine->cancelSwap(id, &why); },
        Qt::BlockingQueuedConnection);
    if (!cancelled) {
        return notCancellable(id, why);
    }
    return swap(id);
}

QFuture<std::optional<FitReport>> ModelService::checkFit(const SwapRequest &request) const
{
    using Answer = std::optional<FitReport>;
    ModelSpec target;
    QList<std::optional<ModelSpec>> current; // per host of the target: the model that stops there, if any
    QString command;
    {
        QMutexLocker lock(&m_state->mutex);
        const auto check = checkSwap(request);
        if (!check.ok() || !check->model.declaresMemory()) {
            return QtFuture::makeReadyFuture(Answer());
        }
        target = check->model;
        for (const QString &h : target.hosts()) {
            // What runs there: the host's own model, or the model across hosts one of whose parts it runs.
            const HostServing s = servingOf(h);
            const ModelSpec *up = s.health == Health::Up ? m_state->catalog.model(s.model) : nullptr;
            current << (up ? std::optional<ModelSpec>(*up) : std::nullopt);
        }
        command = m_fitCommand.isEmpty() ? FitCheck::snapshotCommand() : m_fitCommand;
    }
    QList<QFuture<FitReport>> measured;
    const QStringList hosts = target.hosts();
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString host = hosts.at(i);
        const auto connection = m_connections.find(host);
        if (!connection.ok() || m_pool.status(connection->id).state != LinkState::Connected) {
            return QtFuture::makeReadyFuture(Answer()); // not connected: the real call says so
        }
        ExecOptions options;
        options.timeoutMs = 30000;
        options.maxOutputBytes = 4 * 1024 * 1024;
        measured << m_pool.exec(connection->id, command, options)
                        .then([target, host, stops = current.at(i)](const Result<CommandResult> &r) {
                            return FitCheck::measure(target, stops ? &*stops : nullptr, host, r);
                        })
                        .onCanceled([id = target.id, host] {
                            FitReport fit;
                            fit.model = id;
                            fit.host = host;
                            fit.unknownReason = QStringLiteral("the command was abandoned");
                            return fit;
                        });
    }
    return QtFuture::whenAll(measured.begin(), measured.end()).then([](const QList<QFuture<FitReport>> &done) {
        QList<FitReport> perHost;
        for (const QFuture<FitReport> &f : done) {
            perHost << f.result();
        }
        return Answer(FitCheck::deciding(perHost));
    });
}

void ModelService::addFit(ActionPlan &plan, const SwapRequest &request, const FitReport &fit)
{
    plan.target.insert(QStringLiteral("fit"), fit.toJson());
    QString effect;
    if (!fit.known) {
        effect = QStringLiteral("the fit check could not measure the memory (%1): the swap goes ahead")
                     .arg(fit.unknownReason);
    } else if (fit.fits) {
        effect = QStringLiteral("fits: %1").arg(fit.message());
    } else if (request.force) {
        effect = QStringLiteral("does not fit (%1), but forced: the swap goes ahead").arg(fit.message());
    } else if (!plan.wouldRefuse) {
        plan.wouldRefuse = FitCheck::refusal(
            fit.host.isEmpty() ? plan.target.value(QStringLiteral("host")).toString() : fit.host, fit);
        plan.effects.clear();
        return;
    }
    if (!plan.wouldRefuse) {
        plan.effects.prepend(effect);
    }
}

void ModelService::setSwapTimings(const SwapTimings &timings)
{
    {
        QMutexLocker lock(&m_state->mutex);
        m_fitCommand = timings.fitCommand;
    }
    if (ModelEngine *engine = m_engine.worker()) {
        QMetaObject::invokeMethod(
            engine, [engine, timings] { engine->setSwapTimings(timings); }, Qt::BlockingQueuedConnection);
    }
}

Result<ProxyRoute> ModelService::serviceRoute(const HostCatalog &host, const ServiceSpec &service,
                                              const QString &model) const
{
    for (const ServiceHealth &h : std::as_const(m_state->services)) {
        if (h.host == service.host && h.name == service.name && h.health == Health::Down) {
            return Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                               QStringLiteral("%1 is not being served: service %2 on %3 is down (%4)")
                                   .arg(model, service.name, service.host, h.detail),
                               {{QStringLiteral("host"), service.host}});
        }
    }
    ProxyRoute r;
    r.model = model;
    r.host = service.host;
    r.service = service.name;
    r.address = m_state->addresses.value(service.host);
    r.port = service.port;
    r.basePath = service.openaiBase;
    r.connectionId = m_state->connections.value(service.host);
    r.viaSsh = host.via == QStringLiteral("ssh") ||
               (host.via == QStringLiteral("auto") && m_state->tunnelled.contains(r.address));
    if (r.address.isEmpty() && !r.viaSsh) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                           QStringLiteral("the address of %1 is not known yet").arg(service.host));
    }
    return r;
}

Result<ProxyRoute> ModelService::route(const QString &model) const
{
    QMutexLocker lock(&m_state->mutex);
    return routeLocked(model);
}

Result<ProxyRoute> ModelService::routeLocked(const QString &model) const
{
    const ModelSpec *spec = m_state->catalog.model(model);
    if (!spec) {
        for (const HostCatalog &h : std::as_const(m_state->catalog.hosts)) {
            for (const ServiceSpec &s : h.services) {
                if (s.models.contains(model)) {
                    return serviceRoute(h, s, model);
                }
            }
        }
        QStringList ids = m_state->catalog.modelIds();
        for (const HostCatalog &h : std::as_const(m_state->catalog.hosts)) {
            for (const ServiceSpec &s : h.services) {
                ids << s.models;
            }
        }
        return Error::make(
            ErrorCode::Validation, QStringLiteral("model_not_found"),
            ids.isEmpty()
                ? QStringLiteral("unknown model '%1': the catalog (models.yaml) is empty").arg(model)
                : QStringLiteral("unknown model '%1'; the choices are: %2").arg(model, ids.join(QStringLiteral(", "))),
            {{QStringLiteral("choices"), QJsonArray::fromStringList(ids)}});
    }
    static const HostServing kNotKnown;
    const auto serving = m_state->serving.constFind(spec->host); // looked at, not copied: every proxied request
    const HostServing &s = serving == m_state->serving.constEnd() ? kNotKnown : *serving;
    if (const QString active = m_state->activeSwap.value(spec->host); !active.isEmpty()) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                           (ModelsState::isIdleStop(active)
                                ? QStringLiteral("%1 is stopping its idle model (%2): try again when it "
                                                 "is done")
                                : QStringLiteral("%1 is swapping models (%2): try again when it is done"))
                               .arg(spec->host, active),
                           {{QStringLiteral("host"), spec->host}, {QStringLiteral("swap_id"), active}});
    }
    if (s.health == Health::Down || (s.health == Health::Up && s.model != spec->id)) {
        return Error::make(
            ErrorCode::Unavailable, QStringLiteral("model_not_up"),
            s.model.isEmpty()
                ? QStringLiteral(
                      "%1 is not being served: no model is up on %2 (swap to it with POST /api/dgx/models/swap)")
                      .arg(spec->id, spec->host)
                : QStringLiteral("%1 is not being served: %2 serves %3 (swap with POST /api/dgx/models/swap)")
                      .arg(spec->id, spec->host, s.model),
            {{QStringLiteral("host"), spec->host},
             {QStringLiteral("serving"), s.model.isEmpty() ? QJsonValue() : QJsonValue(s.model)}});
    }
    ProxyRoute r;
    r.model = spec->id;
    r.host = spec->host;
    r.address = m_state->addresses.value(spec->host);
    r.port = spec->port;
    r.renamed = model != spec->id;
    r.connectionId = m_state->connections.value(spec->host);
    if (const HostCatalog *h = m_state->catalog.host(spec->host)) {
        r.viaSsh = h->via == QStringLiteral("ssh") ||
                   (h->via == QStringLiteral("auto") && m_state->tunnelled.contains(r.address));
    }
    if (r.address.isEmpty() && !r.viaSsh) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                           QStringLiteral("the address of %1 is not known yet").arg(spec->host));
    }
    return r;
}

} // namespace gpudeck

namespace gpudeck {

Result<ProxyRoute> ModelService::acquire(const QString &model)
{
    QMutexLocker lock(&m_state->mutex); // one lock per proxied request: both API threads take it
    auto r = routeLocked(model);
    if (!r.ok()) {
        return r;
    }
    const ModelSpec *spec = m_state->catalog.model(r->model);
    ModelsState::ModelUse &use = m_state->use[r->model];
    if (spec && spec->maxConcurrency > 0 && use.inFlight >= spec->maxConcurrency) {
        // Retry once a typical request has had time to end: its median latency, 1 s to 60 s.
        const QJsonValue p50 =
            use.stats.summary(QDateTime::currentMSecsSinceEpoch()).value(QStringLiteral("latency_p50_ms"));
        const int retryAfter = std::clamp(int(std::ceil(p50.toDouble(1000) / 1000.0)), 1, 60);
        return Error::make(ErrorCode::Unavailable, QStringLiteral("too_many_requests"),
                           QStringLiteral("%1 already has %2 requests in flight (its max_concurrency): retry in %3 s")
                               .arg(r->model)
                               .arg(use.inFlight)
                               .arg(retryAfter),
                           {{QStringLiteral("retry_after_s"), retryAfter}, {QStringLiteral("model"), r->model}});
    }
    ++use.inFlight;
    use.lastUse = QDateTime::currentDateTimeUtc();
    return r;
}

void ModelService::release(const QString &model, qint64 latencyMs, bool error, const TokenUsage &usage)
{
    QMutexLocker lock(&m_state->mutex);
    ModelsState::ModelUse &use = m_state->use[model];
    use.inFlight = std::max(0, use.inFlight - 1);
    use.lastUse = QDateTime::currentDateTimeUtc();
    use.stats.record(use.lastUse.toMSecsSinceEpoch(), latencyMs, error, usage);
}

std::optional<ModelSpec> ModelService::spec(const QString &model) const
{
    QMutexLocker lock(&m_state->mutex);
    const ModelSpec *s = m_state->catalog.model(model);
    return s ? std::optional<ModelSpec>(*s) : std::nullopt;
}

Result<QString> ModelService::startOnDemand(const QString &model)
{
    QString host;
    QString id;
    {
        QMutexLocker lock(&m_state->mutex);
        const ModelSpec *s = m_state->catalog.model(model);
        if (!s || !s->onDemand) {
            return Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                               QStringLiteral("%1 is not up and is not started on demand").arg(model));
        }
        host = s->host;
        id = s->id;
        if (const QString active = m_state->activeSwap.value(host); !active.isEmpty()) {
            return active; // one swap at a time per host: wait for it, then look again
        }
    }
    const auto started = startSwap({host, id, true});
    if (started.ok()) {
        qCInfo(lcModels).noquote()
            << QStringLiteral("%1 requested while down: starting it on %2 (%3)").arg(id, host, started->id);
        return started->id;
    }
    if (started.error().reason == QLatin1String("swap_in_progress")) { // another request got there first
        return started.error().details.value(QStringLiteral("swap_id")).toString();
    }
    return started.error();
}

QFuture<SwapReport> ModelService::whenSwapFinished(const QString &id) const
{
    auto promise = std::make_shared<QPromise<SwapReport>>();
    QFuture<SwapReport> future = promise->future();
    promise->start();
    QMutexLocker lock(&m_state->mutex);
    if (ModelsState::isIdleStop(id)) {
        // Not a swap: its end is a report that names no model, and the waiter looks again.
        if (!m_engine.isRunning() || !m_state->activeSwap.values().contains(id)) {
            SwapReport over;
            over.id = id;
            over.state = SwapState::Succeeded;
            promise->addResult(over);
            promise->finish();
            return future;
        }
        m_state->swapWaiters[id].append(promise);
        return future;
    }
    const auto it = m_state->swaps.constFind(id);
    if (it == m_state->swaps.constEnd() || it->finished() || !m_engine.isRunning()) {
        if (it != m_state->swaps.constEnd()) {
            promise->addResult(*it);
        }
        promise->finish();
        return future;
    }
    m_state->swapWaiters[id].append(promise);
    return future;
}

QJsonObject ModelService::stats(const QString &modelId) const
{
    QMutexLocker lock(&m_state->mutex);
    const ModelsState::ModelUse use = m_state->use.value(modelId);
    QJsonObject out = use.stats.summary(QDateTime::currentMSecsSinceEpoch());
    out.insert(QStringLiteral("in_flight"), use.inFlight);
    out.insert(QStringLiteral("last_used_at"), use.lastUse.isValid() ? QJsonValue(isoUtc(use.lastUse)) : QJsonValue());
    return out;
}

} // namespace gpudeck
