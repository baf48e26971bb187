#include "models/HealthMonitor.h"

#include "models/ModelsState.h"
#include "store/Entities.h"

#include <QTimer>
#include <memory>

namespace gpudeck {
namespace {

constexpr int kRecheckMs = 3000;      // after a first failure
constexpr int kMaxBackoffMs = 120000; // while down

QString serviceKey(const QString &host, const QString &name)
{
    return host + QLatin1Char('/') + name;
}

} // namespace

HealthMonitor::HealthMonitor(HttpProbe &probe, ModelsState &state,
                             std::function<ProbeTarget(const QString &)> targetFor, QObject *parent)
    : QObject(parent)
    , m_probe(probe)
    , m_state(state)
    , m_targetFor(std::move(targetFor))
{
}

void HealthMonitor::stop()
{
    for (Poll &p : m_hosts) {
        delete p.timer;
    }
    for (Poll &p : m_services) {
        delete p.timer;
    }
    m_hosts.clear();
    m_services.clear();
}

int HealthMonitor::nextDelay(int failures) const
{
    if (failures == 0) {
        return m_intervalMs;
    }
    if (failures == 1) {
        return std::min(kRecheckMs, m_intervalMs);
    }
    const qint64 backoff = qint64(m_intervalMs) << std::min(failures - 2, 6);
    return int(std::min<qint64>(backoff, std::max(kMaxBackoffMs, m_intervalMs)));
}

HealthMonitor::Poll &HealthMonitor::hostPoll(const QString &host)
{
    Poll &p = m_hosts[host];
    if (!p.timer) {
        p.timer = new QTimer(this);
        p.timer->setSingleShot(true);
        connect(p.timer, &QTimer::timeout, this, [this, host] { pollHost(host); });
    }
    return p;
}

void HealthMonitor::setCatalog(const ModelCatalog &catalog)
{
    stop();
    m_catalog = catalog;
    m_intervalMs = std::max(1, catalog.pollIntervalS) * 1000;
    {
        QMutexLocker lock(&m_state.mutex);
        QHash<QString, HostServing> serving;
        QList<ServiceHealth> services;
        for (const HostCatalog &h : catalog.hosts) {
            HostServing s = m_state.serving.value(h.host);
            s.host = h.host;
            if (!s.model.isEmpty() && !h.model(s.model)) {
                s = HostServing{h.host, {}, Health::Unknown, {}, s.swapId, {}, {},
                                {},     {}}; // its model left the catalog
            }
            serving.insert(h.host, s);
            for (const ServiceSpec &spec : h.services) {
                ServiceHealth sh;
                for (const ServiceHealth &old : std::as_const(m_state.services)) {
                    if (old.host == spec.host && old.name == spec.name && old.port == spec.port &&
                        old.path == spec.health) {
                        sh = old;
                    }
                }
                sh.host = spec.host;
                sh.name = spec.name;
                sh.kind = spec.kind;
                sh.port = spec.port;
                sh.path = spec.health;
                services.append(sh);
            }
        }
        m_state.serving = serving;
        m_state.services = services;
    }
    for (const HostCatalog &h : catalog.hosts) {
        if (!h.models.isEmpty()) {
            hostPoll(h.host).timer->start(0);
        }
        for (const ServiceSpec &spec : h.services) {
            const QString key = serviceKey(spec.host, spec.name);
            Poll &p = m_services[key];
            p.timer = new QTimer(this);
            p.timer->setSingleShot(true);
            connect(p.timer, &QTimer::timeout, this, [this, key] { pollService(key); });
            p.timer->start(0);
        }
    }
    Q_EMIT servicesChanged();
}

void HealthMonitor::pollHostSoon(const QString &host, int delayMs)
{
    const HostCatalog *h = m_catalog.host(host);
    if (h && !h->models.isEmpty()) {
        hostPoll(host).timer->start(delayMs);
    }
}

void HealthMonitor::pollAllSoon()
{
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
        it->timer->start(0);
    }
    for (auto it = m_services.begin(); it != m_services.end(); ++it) {
        it->timer->start(0);
    }
}

void HealthMonitor::pollHost(const QString &host)
{
    const HostCatalog *h = m_catalog.host(host);
    if (!h) {
        return;
    }
    quint64 epoch = 0;
    {
        QMutexLocker lock(&m_state.mutex);
        if (m_state.activeSwap.contains(host)) {
            lock.unlock();
            hostPoll(host).timer->start(m_intervalMs); // the swap reports this host's state meanwhile
            return;
        }
        epoch = m_state.servingEpoch.value(host);
    }
    struct Gather
    {
        int pending = 0;
        QString model;
        QStringList others;
        bool definitive = true; // every port answered or refused: the host could be asked
        QStringList problems;
    };
    auto g = std::make_shared<Gather>();
    const QList<int> ports = h->modelPorts();
    g->pending = int(ports.size());
    const ProbeTarget target = m_targetFor(host);
    const HostCatalog hostCatalog = *h;
    for (int port : ports) {
        m_probe.get(target, port, QStringLiteral("/v1/models"), 5000,
                    [this, g, port, host, hostCatalog, epoch](const ProbeResult &r) {
                        if (r.status == 200) {
                            for (const QString &id : HttpProbe::listedModels(r.body)) {
                                const ModelSpec *m = hostCatalog.model(id);
                                if (m && m->port == port) {
                                    if (g->model.isEmpty()) {
                                        g->model = m->id;
                                    }
                                } else if (!m && !g->others.contains(id)) {
                                    g->others << id;
                                }
                            }
                        } else {
                            g->definitive = g->definitive && (r.answered() || r.refused);
                            g->problems << QStringLiteral("port %1: %2").arg(port).arg(r.describe());
                        }
                        if (--g->pending > 0) {
                            return;
                        }
                        if (!m_hosts.contains(host)) {
                            return; // the catalog changed meanwhile
                        }
                        Poll &poll = hostPoll(host);
                        bool changed = false;
                        {
                            QMutexLocker lock(&m_state.mutex);
                            if (m_state.activeSwap.contains(host) || m_state.servingEpoch.value(host) != epoch) {
                                lock.unlock();
                                poll.timer->start(nextDelay(0)); // a swap owns (or just set) this host's state
                                return;
                            }
                            HostServing &s = m_state.serving[host];
                            const HostServing before = s;
                            s.host = host;
                            s.checkedAt = nowUtc();
                            s.unlisted = g->others;
                            if (!g->model.isEmpty()) {
                                poll.failures = 0;
                                s.model = g->model;
                                s.health = Health::Up;
                                s.detail.clear();
                            } else {
                                ++poll.failures;
                                s.detail = g->problems.join(QStringLiteral("; "));
                                // A model that was up stays up through a single failed check.
                                if (s.health != Health::Up || poll.failures >= 2) {
                                    s.model.clear();
                                    s.health = g->definitive ? Health::Down : Health::Unknown;
                                }
                            }
                            changed = before.model != s.model || before.health != s.health ||
                                      before.unlisted != s.unlisted || before.detail != s.detail;
                        }
                        poll.timer->start(nextDelay(poll.failures));
                        if (changed) {
                            Q_EMIT servingChanged(host);
                        }
                    });
    }
}

void HealthMonitor::pollService(const QString &key)
{
    ServiceHealth current;
    {
        QMutexLocker lock(&m_state.mutex);
        for (const ServiceHealth &s : std::as_const(m_state.services)) {
            if (serviceKey(s.host, s.name) == key) {
                current = s;
            }
        }
    }
    if (current.port == 0) {
        return;
    }
    m_probe.get(m_targetFor(current.host), current.port, current.path, 5000, [this, key](const ProbeResult &r) {
        auto it = m_services.find(key);
        if (it == m_services.end()) {
            return;
        }
        Poll &poll = *it;
        {
            QMutexLocker lock(&m_state.mutex);
            for (ServiceHealth &s : m_state.services) {
                if (serviceKey(s.host, s.name) != key) {
                    continue;
                }
                const Health before = s.health;
                s.checkedAt = nowUtc();
                if (r.status == 200) {
                    poll.failures = 0;
                    s.health = Health::Up;
                    s.latencyMs = r.elapsedMs;
                    s.detail.clear();
                } else {
                    ++poll.failures;
                    s.detail = r.describe();
                    if (poll.failures >= 2) {
                        s.health = Health::Down; // a single failed check is not "down"
                    }
                }
                s.consecutiveFailures = poll.failures;
                if (s.health != before) {
                    s.since = s.checkedAt;
                }
            }
        }
        poll.timer->start(nextDelay(poll.failures));
        Q_EMIT servicesChanged();
    });
}

} // namespace gpudeck
