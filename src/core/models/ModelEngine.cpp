#include "models/ModelEngine.h"

#include "base/HostAddress.h"
#include "metrics/MetricsService.h"
#include "models/CatalogParser.h"
#include "models/HealthMonitor.h"
#include "models/ModelsLogging.h"
#include "models/ModelsState.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHostAddress>
#include <QHostInfo>
#include <QTimer>
#include <algorithm>

namespace gpudeck {

ModelEngine::ModelEngine(ModelsState &state, QString path, Database &db, ConnectionRepository &connections,
                         SshPool &pool, MetricsService *metrics, QObject *parent)
    : QObject(parent)
    , m_state(state)
    , m_path(std::move(path))
    , m_db(db)
    , m_connections(connections)
    , m_pool(pool)
    , m_metrics(metrics)
{
}

ModelEngine::~ModelEngine() = default;

void ModelEngine::init()
{
    m_probe = new HttpProbe(m_pool, this);
    m_probe->setReachObserver([this](const QString &address, bool tunnelled) {
        QMutexLocker lock(&m_state.mutex);
        if (tunnelled) {
            m_state.tunnelled.insert(address);
        } else {
            m_state.tunnelled.remove(address);
        }
    });
    m_monitor = new HealthMonitor(
        *m_probe, m_state, [this](const QString &host) { return targetFor(host); }, this);
    connect(m_monitor, &HealthMonitor::servingChanged, this, &ModelEngine::servingChanged);
    connect(m_monitor, &HealthMonitor::servicesChanged, this, &ModelEngine::servicesChanged);

    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(150); // editors write in several steps (truncate, write; or write a temp, rename)
    connect(m_reloadTimer, &QTimer::timeout, this, &ModelEngine::reload);

    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ModelEngine::scheduleReload);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ModelEngine::scheduleReload);

    m_housekeeping = new QTimer(this);
    m_housekeeping->setInterval(1000);
    connect(m_housekeeping, &QTimer::timeout, this, &ModelEngine::housekeeping);
    m_housekeeping->start();
    reload();
}

void ModelEngine::housekeeping()
{
    struct Unload
    {
        QString host;
        ModelSpec model;
        qint64 idleS;
    };
    QList<Unload> unloads;
    QList<QPair<QString, QString>> preloads;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        QMutexLocker lock(&m_state.mutex);
        for (const HostCatalog &h : std::as_const(m_state.catalog.hosts)) {
            const HostServing s = m_state.serving.value(h.host);
            const bool swapping = m_state.activeSwap.contains(h.host); // a swap, or the stop of an idle model
            if (s.health != Health::Up || s.model.isEmpty()) {
                m_upSince.remove(h.host);
            } else if (m_upSince.value(h.host).first != s.model) {
                m_upSince.insert(h.host, {s.model, now});
            }
            // preload: once, when the host is known to serve nothing (a model someone else started is left alone)
            if (!m_preloaded.contains(h.host) && !swapping && s.health != Health::Unknown) {
                const auto p =
                    std::find_if(h.models.cbegin(), h.models.cend(), [](const ModelSpec &m) { return m.preload; });
                if (p == h.models.cend()) {
                    // nothing to preload (a catalog that gains a preload model later starts it then)
                } else if (s.health == Health::Up) {
                    m_preloaded.insert(h.host); // something is served already: left alone
                } else {
                    preloads.append({h.host, p->id}); // retried every second until the host is connected
                }
            }
            // ttl_s: idle since its last request, or since it came up when none came
            const ModelSpec *m = s.health == Health::Up ? h.model(s.model) : nullptr;
            if (!m || m->ttlS <= 0 || swapping) {
                continue;
            }
            const ModelsState::ModelUse use = m_state.use.value(m->id);
            QDateTime idleFrom = m_upSince.value(h.host).second;
            if (use.lastUse.isValid() && use.lastUse > idleFrom) {
                idleFrom = use.lastUse;
            }
            const qint64 idleS = idleFrom.secsTo(now);
            if (use.inFlight == 0 && idleFrom.isValid() && idleS >= m->ttlS) {
                unloads.append({h.host, *m, idleS});
            }
        }
    }
    for (const auto &[host, model] : std::as_const(preloads)) {
        if (m_startSwap && m_startSwap(host, model)) {
            qCInfo(lcModels).noquote() << QStringLiteral("preloading %1 on %2").arg(model, host);
            m_preloaded.insert(host);
        }
    }
    for (const Unload &u : std::as_const(unloads)) {
        unload(u.host, u.model, u.idleS);
    }
}

void ModelEngine::unload(const QString &host, const ModelSpec &model, qint64 idleS)
{
    if (!m_byName.contains(host)) {
        return;
    }
    const QString why = QStringLiteral("stopped after %1 s without a request (ttl_s %2)").arg(idleS).arg(model.ttlS);
    // Every part of it, in reverse start order (a model across hosts: the head, then its workers, or the reverse).
    QList<ServingStep> parts = model.startSteps();
    std::reverse(parts.begin(), parts.end());
    const QStringList hosts = model.hosts();
    QString id;
    {
        // The stop holds every host it touches, as a swap does (activeSwap): a swap, an on-demand start or a preload
        // asked for meanwhile waits for it or is refused, and cannot start a model that this stop then kills. Looked
        // at again here: a swap may have taken a host since housekeeping() looked.
        QMutexLocker lock(&m_state.mutex);
        for (const QString &h : std::as_const(hosts)) {
            if (m_state.activeSwap.contains(h)) {
                return;
            }
        }
        if (m_state.serving.value(host).model != model.id) {
            return;
        }
        id = QStringLiteral("idle-stop-%1").arg(m_state.nextIdleStopNumber++);
        for (const QString &h : std::as_const(hosts)) {
            m_state.activeSwap.insert(h, id);
        }
        HostServing &s = m_state.serving[host];
        s.model.clear();
        s.health = Health::Down;
        s.detail = QStringLiteral("%1 %2").arg(model.id, why);
        s.checkedAt = nowUtc();
        ++m_state.servingEpoch[host];
    }
    qCInfo(lcModels).noquote() << model.id << "on" << host << why << QStringLiteral("(%1)").arg(id);
    m_upSince.remove(host);
    Q_EMIT servingChanged(host);
    // Lets go of the hosts and tells whoever waits for them (on-demand requests, whenSwapFinished) to look again.
    auto release = [this, host, hosts, id, previous = model.id] {
        QList<std::shared_ptr<QPromise<SwapReport>>> waiters;
        {
            QMutexLocker lock(&m_state.mutex);
            for (const QString &h : hosts) {
                if (m_state.activeSwap.value(h) == id) {
                    m_state.activeSwap.remove(h);
                }
            }
            waiters = m_state.swapWaiters.take(id);
        }
        SwapReport over;
        over.id = id;
        over.host = host;
        over.hosts = hosts;
        over.previous = previous;
        over.state = SwapState::Succeeded;
        over.finishedAt = nowUtc();
        for (const auto &promise : std::as_const(waiters)) {
            promise->addResult(over);
            promise->finish();
        }
        m_monitor->pollHostSoon(host, 500);
    };
    auto run = std::make_shared<std::function<void(int)>>();
    *run = [this, model, parts, release, weak = std::weak_ptr<std::function<void(int)>>(run)](int index) {
        if (index >= parts.size()) {
            release();
            return;
        }
        const auto self = weak.lock(); // held by the caller: the command's continuation holds it on
        const ServingStep part = parts.at(index);
        ExecOptions options;
        options.timeoutMs = m_timings.commandTimeoutMs;
        m_pool.exec(m_byName.value(part.host).id, part.stop, options)
            .then(this,
                  [model, part, self, index](const Result<CommandResult> &r) {
                      if (!r.ok() || r->exitCode != 0) {
                          qCWarning(lcModels).noquote()
                              << QStringLiteral("stopping idle %1 on %2: %3")
                                     .arg(model.id, part.host,
                                          r.ok() ? QStringLiteral("exit %1").arg(r->exitCode) : r.error().message);
                      }
                      if (self) {
                          (*self)(index + 1);
                      }
                  })
            .onCanceled(this, release);
    };
    (*run)(0);
}

void ModelEngine::shutdown()
{
    for (const QPointer<ModelSwap> &swap : std::as_const(m_swaps)) {
        if (swap) {
            qCWarning(lcModels).noquote()
                << QStringLiteral("shutting down during swap %1 on %2: the host is left as it is")
                       .arg(swap->report().id, swap->report().host);
            swap->abort();
        }
    }
    m_swaps.clear();
    // No reload may run once the watcher is gone (it would use it): the timer stops first.
    if (m_reloadTimer) {
        m_reloadTimer->stop();
    }
    if (m_monitor) {
        m_monitor->stop();
    }
    if (m_housekeeping) {
        m_housekeeping->stop();
    }
    delete m_watcher;
    m_watcher = nullptr;
    m_db.releaseThread();
}

void ModelEngine::scheduleReload()
{
    m_reloadTimer->start();
}

void ModelEngine::watch()
{
    // Watch the directory too: an editor that saves by rename replaces the file, and the watch on it goes away.
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher) {
        return; // shut down
    }
    if (!m_watcher->directories().contains(dir)) {
        m_watcher->addPath(dir);
    }
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path)) {
        m_watcher->addPath(m_path);
    }
}

void ModelEngine::refreshConnections()
{
    const auto list = m_connections.list();
    if (!list.ok()) {
        qCWarning(lcModels).noquote() << "cannot read connections:" << list.error().message;
        return;
    }
    m_byName.clear();
    for (const Connection &c : list.value()) {
        m_byName.insert(c.name, c);
        resolve(c.hostname);
    }
}

void ModelEngine::onConnectionsChanged()
{
    scheduleReload(); // a host name may have become known (or gone)
}

void ModelEngine::reload()
{
    watch();
    refreshConnections();
    QStringList names = m_byName.keys();
    names.sort();
    QFile file(m_path);
    QByteArray bytes;
    if (file.open(QIODevice::ReadOnly)) {
        bytes = file.readAll();
    }
    const QByteArray fingerprint =
        QCryptographicHash::hash(bytes + '\0' + names.join(QLatin1Char('\n')).toUtf8() + (file.exists() ? "1" : "0"),
                                 QCryptographicHash::Sha256);
    if (fingerprint == m_lastFingerprint) {
        return;
    }
    m_lastFingerprint = fingerprint;

    const CatalogParse parsed =
        file.exists() ? CatalogParser::parse(bytes, m_path, names) : CatalogParser::load(m_path, names);
    if (!parsed.ok()) {
        for (const CatalogError &e : parsed.errors) {
            qCWarning(lcModels).noquote() << e.toString();
        }
        {
            QMutexLocker lock(&m_state.mutex);
            m_state.errors = parsed.errors;
        }
        Q_EMIT catalogErrors(parsed.errors);
        return;
    }
    ModelCatalog catalog = parsed.catalog;
    catalog.loadedAt = nowUtc();
    bool hadErrors = false;
    {
        QMutexLocker lock(&m_state.mutex);
        hadErrors = !m_state.errors.isEmpty();
        m_state.errors.clear();
        m_state.catalog = catalog;
        for (const HostCatalog &h : catalog.hosts) {
            const Connection c = m_byName.value(h.host);
            m_state.connections.insert(h.host, c.id);
            m_state.addresses.insert(h.host,
                                     h.address.isEmpty() ? m_resolved.value(c.hostname, c.hostname) : h.address);
        }
    }
    if (catalog.fileExists) {
        qCInfo(lcModels).noquote() << QStringLiteral("%1: %2 models, %3 hosts")
                                          .arg(m_path)
                                          .arg(catalog.modelIds().size())
                                          .arg(catalog.hosts.size());
    } else {
        qCDebug(lcModels).noquote() << m_path << "does not exist (yet): no models";
    }
    m_monitor->setCatalog(catalog);
    if (hadErrors) {
        Q_EMIT catalogErrors({});
    }
    Q_EMIT catalogChanged();
}

void ModelEngine::resolve(const QString &hostname)
{
    if (hostname.isEmpty() || m_resolved.contains(hostname)) {
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(hostname)) {
        m_resolved.insert(hostname, hostname);
        return;
    }
    // HTTP probes and the proxy go to an IPv4 address: serving ports are often bound to 0.0.0.0 only.
    QHostInfo::lookupHost(hostname, this, [this, hostname](const QHostInfo &info) {
        if (const QHostAddress a = firstIPv4(info.addresses()); !a.isNull()) {
            m_resolved.insert(hostname, a.toString());
            QMutexLocker lock(&m_state.mutex);
            for (const HostCatalog &h : std::as_const(m_state.catalog.hosts)) {
                if (h.address.isEmpty() && m_byName.value(h.host).hostname == hostname) {
                    m_state.addresses.insert(h.host, a.toString());
                }
            }
            return;
        }
        qCWarning(lcModels).noquote() << QStringLiteral("no IPv4 address for %1: %2").arg(hostname, info.errorString());
    });
}

ProbeTarget ModelEngine::targetFor(const QString &host)
{
    ProbeTarget t;
    t.host = host;
    const Connection c = m_byName.value(host);
    t.connectionId = c.id;
    {
        QMutexLocker lock(&m_state.mutex);
        t.address = m_state.addresses.value(host);
    }
    if (t.address.isEmpty()) {
        t.address = m_resolved.value(c.hostname, c.hostname);
    }
    t.sshConnected = c.id > 0 && m_pool.status(c.id).state == LinkState::Connected;
    QMutexLocker lock(&m_state.mutex);
    if (const HostCatalog *h = m_state.catalog.host(host)) {
        t.viaSsh = h->via == QStringLiteral("ssh");
        if (h->via == QStringLiteral("direct")) {
            t.sshConnected = false; // never through the link
        }
    }
    return t;
}

void ModelEngine::refresh(const QString &host)
{
    if (host.isEmpty()) {
        m_monitor->pollAllSoon();
    } else {
        m_monitor->pollHostSoon(host);
    }
}

void ModelEngine::runSwap(const SwapReport &report)
{
    ModelCatalog catalog;
    {
        QMutexLocker lock(&m_state.mutex);
        catalog = m_state.catalog;
    }
    const ModelSpec *target = catalog.model(report.model);
    refreshConnections();
    if (!target || target->host != report.host) {
        SwapReport failed = report;
        failed.state = SwapState::Failed;
        failed.error = QStringLiteral("%1 is no longer in the catalog").arg(report.model);
        failed.finishedAt = nowUtc();
        onSwapFinished(failed);
        return;
    }
    QHash<QString, ProbeTarget> targets;
    for (const QString &h : report.hosts) {
        targets.insert(h, targetFor(h));
    }
    auto *swap = new ModelSwap(report, catalog, *target, targets, m_pool, *m_probe, m_timings, this);
    m_swaps.insert(report.id, swap);
    connect(swap, &ModelSwap::updated, this, [this](const SwapReport &r) {
        {
            QMutexLocker lock(&m_state.mutex);
            m_state.swaps.insert(r.id, r);
        }
        Q_EMIT swapUpdated(r);
    });
    connect(swap, &ModelSwap::finished, this, [this, swap](const SwapReport &r) {
        m_swaps.remove(r.id);
        swap->deleteLater();
        onSwapFinished(r);
    });
    swap->start();
}

void ModelEngine::onSwapFinished(const SwapReport &r)
{
    const QStringList hosts = r.hosts.isEmpty() ? QStringList{r.host} : r.hosts;
    {
        QMutexLocker lock(&m_state.mutex);
        m_state.swaps.insert(r.id, r);
        ++m_state.swapOutcomes[swapStateName(r.state)];
        const bool previousUp = r.restored.value_or(false) || r.refused;
        for (const QString &host : hosts) {
            if (m_state.activeSwap.value(host) == r.id) {
                m_state.activeSwap.remove(host);
            }
            HostServing &s = m_state.serving[host];
            s.host = host;
            s.swapId.clear();
            s.checkedAt = nowUtc();
            ++m_state.servingEpoch[host];
            // A host shows the model whose head it is; a worker's part is shown through its head (ModelService).
            const QString before = host == r.host ? r.previous : r.previousOn.value(host);
            const ModelSpec *beforeSpec = before.isEmpty() ? nullptr : m_state.catalog.model(before);
            if (r.state == SwapState::Succeeded) {
                s.model = host == r.host ? r.model : QString();
                s.health = host == r.host ? Health::Up : Health::Unknown;
                s.detail.clear();
            } else if (previousUp && beforeSpec) {
                // restored, or never stopped (refused before anything changed)
                s.model = beforeSpec->host == host ? beforeSpec->id : QString();
                s.health = beforeSpec->host == host ? Health::Up : Health::Unknown;
                s.detail.clear();
            } else {
                s.model.clear();
                s.health = r.restored.has_value() ? Health::Down : Health::Unknown;
                s.detail = r.error;
            }
        }
    }
    QList<std::shared_ptr<QPromise<SwapReport>>> waiters;
    {
        QMutexLocker lock(&m_state.mutex);
        waiters = m_state.swapWaiters.take(r.id);
    }
    for (const auto &promise : std::as_const(waiters)) {
        promise->addResult(r);
        promise->finish();
    }
    Q_EMIT swapUpdated(r);
    Q_EMIT swapFinished(r);
    for (const QString &host : hosts) {
        Q_EMIT servingChanged(host);
        m_monitor->pollHostSoon(host, 1000);
    }

    if ((r.state == SwapState::Failed || (r.restored.has_value() && !*r.restored)) && m_metrics) {
        Alert alert;
        alert.connectionId = m_byName.value(r.host).id;
        alert.connectionName = r.host;
        alert.kind = QStringLiteral("swap_failed");
        alert.severity = r.restored.value_or(true) ? QStringLiteral("warning") : QStringLiteral("critical");
        const QString where = hosts.join(QStringLiteral(" + "));
        QStringList before;
        for (const QString &m : r.previousOn.values() + QStringList{r.previous}) {
            if (!m.isEmpty() && !before.contains(m)) {
                before << m;
            }
        }
        const QString previous = before.join(QStringLiteral(", "));
        alert.message =
            r.restored.has_value()
                ? QStringLiteral("swap of %1 to %2 failed: %3; %4")
                      .arg(where, r.model, r.error,
                           *r.restored ? QStringLiteral("%1 was restored").arg(previous)
                                       : QStringLiteral("restoring %1 failed too: %2").arg(previous, r.restoreError))
                : QStringLiteral("swap of %1 to %2 failed: %3").arg(where, r.model, r.error);
        alert.startedAt = r.startedAt;
        alert.endedAt = r.finishedAt; // an event, not a condition that lasts
        m_metrics->recordAlert(alert);
    }
}

bool ModelEngine::cancelSwap(const QString &id, QString *why)
{
    const QPointer<ModelSwap> swap = m_swaps.value(id);
    if (!swap) {
        *why = QStringLiteral("the swap has already finished");
        return false;
    }
    return swap->cancel(why);
}

} // namespace gpudeck
