#include "metrics/MetricsCollector.h"

#include "alerts/AlertRepository.h"
#include "logging/Logging.h"
#include "metrics/ProcParser.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/MetricRepository.h"

#include <QJsonArray>
#include <QTimer>

namespace gpudeck {
namespace {

constexpr int kMaxBatch = 5000;
const QString kSectionMark = QStringLiteral("@@gpudeck@@");

QJsonValue num(double v)
{
    return hasValue(v) ? QJsonValue(v) : QJsonValue();
}

QJsonObject gpuJson(const GpuSample &s)
{
    return {{QStringLiteral("gpu_index"), s.index},
            {QStringLiteral("uuid"), s.uuid},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("pstate"), s.pstate.isEmpty() ? QJsonValue() : QJsonValue(s.pstate)},
            {QStringLiteral("gpu_utilization"), num(s.utilizationGpu)},
            {QStringLiteral("memory_utilization"), num(s.utilizationMemory)},
            {QStringLiteral("memory_used_mb"), num(s.memoryUsedMiB)},
            {QStringLiteral("memory_total_mb"), num(s.memoryTotalMiB)},
            {QStringLiteral("unified_memory"), s.unifiedMemory},
            {QStringLiteral("temperature_c"), num(s.temperatureC)},
            {QStringLiteral("power_watts"), num(s.powerDrawW)},
            {QStringLiteral("power_limit_watts"), num(s.powerLimitW)},
            {QStringLiteral("sm_clock_mhz"), num(s.smClockMHz)},
            {QStringLiteral("fan_percent"), num(s.fanPercent)},
            {QStringLiteral("recorded_at"), isoUtc(s.time)}};
}

} // namespace

QJsonObject HostMetrics::toJson() const
{
    QJsonArray gpuArray;
    for (const GpuSample &s : gpus) {
        gpuArray.append(gpuJson(s));
    }
    QJsonArray processArray;
    for (const GpuProcess &p : processes) {
        processArray.append(QJsonObject{{QStringLiteral("pid"), p.pid},
                                        {QStringLiteral("name"), p.name},
                                        {QStringLiteral("used_memory_mb"), num(p.usedMemoryMiB)},
                                        {QStringLiteral("gpu_uuid"), p.gpuUuid}});
    }
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("name"), name},
            {QStringLiteral("state"), state},
            {QStringLiteral("detail"), detail.isEmpty() ? QJsonValue() : QJsonValue(detail)},
            {QStringLiteral("updated_at"), updatedAt.isValid() ? QJsonValue(isoUtc(updatedAt)) : QJsonValue()},
            {QStringLiteral("gpus"), gpuArray},
            {QStringLiteral("processes"), processArray},
            {QStringLiteral("host"), QJsonObject{{QStringLiteral("memory_total_mb"), num(memory.totalMiB)},
                                                 {QStringLiteral("memory_used_mb"),
                                                  hasValue(memory.totalMiB) ? num(memory.usedMiB()) : QJsonValue()},
                                                 {QStringLiteral("memory_available_mb"), num(memory.availableMiB)},
                                                 {QStringLiteral("load_1m"), num(load.one)},
                                                 {QStringLiteral("load_5m"), num(load.five)},
                                                 {QStringLiteral("load_15m"), num(load.fifteen)}}},
            {QStringLiteral("malformed_lines"), malformedLines},
            {QStringLiteral("stream_restarts"), streamRestarts}};
}

struct MetricsCollector::Host
{
    qint64 id = 0;
    QString name;
    int generation = 0; // bumps on every (re)start; stale callbacks are ignored
    std::shared_ptr<ExecCancel> cancel;
    LineBuffer lines;
    QByteArray stderrTail;
    bool streaming = false;
    bool pollInFlight = false;
    int failures = 0;
    QTimer *restart = nullptr;
    HostMetrics metrics;
};

MetricsCollector::MetricsCollector(Database &db, ConnectionRepository &connections, SshPool &pool,
                                   MonitoringSettings settings)
    : m_db(db)
    , m_connections(connections)
    , m_pool(pool)
    , m_metrics(std::make_unique<MetricRepository>(db))
    , m_alerts(std::make_unique<AlertRepository>(db))
    , m_settings(settings)
{
    m_engine.setThresholds(settings.thresholds);
}

MetricsCollector::~MetricsCollector() = default;

HostMetrics MetricsCollector::snapshot(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshots.value(connectionId);
}

QList<HostMetrics> MetricsCollector::snapshots() const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshots.values();
}

MonitoringSettings MetricsCollector::settings() const
{
    QMutexLocker lock(&m_mutex);
    return m_settings;
}

void MetricsCollector::start()
{
    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(1000);
    connect(m_flushTimer, &QTimer::timeout, this, &MetricsCollector::flush);
    m_flushTimer->start();

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(settings().hostPollMs);
    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        for (auto &host : m_hosts) {
            pollHost(*host);
        }
    });
    m_pollTimer->start();

    m_maintenanceTimer = new QTimer(this);
    m_maintenanceTimer->setInterval(60 * 1000);
    connect(m_maintenanceTimer, &QTimer::timeout, this, &MetricsCollector::maintain);
    m_maintenanceTimer->start();

    m_reachabilityTimer = new QTimer(this);
    m_reachabilityTimer->setInterval(1000);
    connect(m_reachabilityTimer, &QTimer::timeout, this, &MetricsCollector::checkReachability);
    m_reachabilityTimer->start();

    if (Status s = m_alerts->closeAllOpen(); !s.ok()) {
        qCWarning(lcMetrics).noquote() << s.error().message;
    }
    const auto statuses = m_pool.statuses();
    for (auto it = statuses.begin(); it != statuses.end(); ++it) {
        onLinkStatus(it.key(), it.value());
    }
}

void MetricsCollector::stop()
{
    for (auto &host : m_hosts) {
        if (host->cancel) {
            host->cancel->cancel();
        }
    }
    m_hosts.clear();
    flush();
    m_db.releaseThread();
}

void MetricsCollector::applySettings(const MonitoringSettings &s)
{
    const MonitoringSettings previous = settings();
    {
        QMutexLocker lock(&m_mutex);
        m_settings = s;
    }
    m_engine.setThresholds(s.thresholds);
    if (m_pollTimer) {
        m_pollTimer->setInterval(s.hostPollMs);
    }
    if (previous.paused != s.paused || previous.intervalMs != s.intervalMs) {
        // Restart every stream with the new interval, or stop them all while paused.
        const QList<qint64> ids = m_hosts.keys();
        for (qint64 id : ids) {
            stopHost(id, s.paused ? QStringLiteral("paused") : QStringLiteral("starting"),
                     s.paused ? QStringLiteral("monitoring is paused") : QString());
            if (!s.paused) {
                startHost(id);
            }
        }
        if (!s.paused && previous.paused) {
            const auto statuses = m_pool.statuses();
            for (auto it = statuses.begin(); it != statuses.end(); ++it) {
                onLinkStatus(it.key(), it.value());
            }
        }
    }
    Q_EMIT settingsApplied(s);
}

void MetricsCollector::onLinkStatus(qint64 connectionId, const LinkStatus &status)
{
    if (status.state == LinkState::Connected) {
        if (!m_hosts.contains(connectionId) && !settings().paused) {
            startHost(connectionId);
        }
        handleAlerts(m_engine.onHostState(connectionId,
                                          m_hosts.contains(connectionId) ? m_hosts[connectionId]->name : QString(),
                                          true, QDateTime::currentMSecsSinceEpoch()));
        return;
    }
    if (m_hosts.contains(connectionId)) {
        stopHost(connectionId, QStringLiteral("offline"), status.reason);
    }
    if (status.state == LinkState::Disconnected) {
        handleAlerts(m_engine.forget(connectionId));
    }
}

MetricsCollector::Host *MetricsCollector::hostFor(qint64 connectionId, int generation)
{
    auto it = m_hosts.find(connectionId);
    if (it == m_hosts.end() || (generation >= 0 && (*it)->generation != generation)) {
        return nullptr;
    }
    return it->get();
}

void MetricsCollector::startHost(qint64 connectionId)
{
    const auto connection = m_connections.get(connectionId);
    if (!connection.ok()) {
        return;
    }
    auto host = std::make_shared<Host>();
    host->id = connectionId;
    host->name = connection->name;
    host->metrics.connectionId = connectionId;
    host->metrics.name = connection->name;
    host->metrics.state = QStringLiteral("starting");
    host->restart = new QTimer(this);
    host->restart->setSingleShot(true);
    connect(host->restart, &QTimer::timeout, this, [this, connectionId] {
        if (Host *h = hostFor(connectionId)) {
            startStream(*h);
        }
    });
    m_hosts.insert(connectionId, host);
    publish(*host);
    pollHost(*host); // first, so a GB10's unified memory is known as early as possible
    startStream(*host);
}

void MetricsCollector::stopHost(qint64 connectionId, const QString &state, const QString &detail)
{
    auto it = m_hosts.find(connectionId);
    if (it == m_hosts.end()) {
        return;
    }
    std::shared_ptr<Host> host = *it;
    m_hosts.erase(it);
    host->generation++;
    if (host->cancel) {
        host->cancel->cancel();
    }
    host->restart->deleteLater();
    m_activity.forget(connectionId);
    host->metrics.state = state;
    host->metrics.detail = detail;
    publish(*host);
}

void MetricsCollector::startStream(Host &host)
{
    const int generation = host.generation = ++m_lastGeneration;
    host.cancel = std::make_shared<ExecCancel>();
    host.lines = LineBuffer();
    host.stderrTail.clear();
    host.streaming = true;
    ExecOptions options;
    options.timeoutMs = 0;
    options.lane = ExecLane::Supervision; // log followers must not keep the metrics off the host
    options.collectOutput = false;
    options.cancel = host.cancel;
    const qint64 id = host.id;
    options.onOutput = [this, id, generation](const QByteArray &chunk, bool isStderr) {
        QMetaObject::invokeMethod(
            this, [this, id, generation, chunk, isStderr] { onStreamData(id, generation, chunk, isStderr); });
    };
    m_pool.exec(id, NvidiaSmiParser::loopCommand(settings().intervalMs), options)
        .then(this,
              [this, id, generation](const Result<CommandResult> &result) { onStreamEnded(id, generation, result); });
}

void MetricsCollector::onStreamData(qint64 connectionId, int generation, const QByteArray &chunk, bool isStderr)
{
    Host *host = hostFor(connectionId, generation);
    if (!host) {
        return;
    }
    if (isStderr) {
        host->stderrTail = (host->stderrTail + chunk).right(2048);
        return;
    }
    const QDateTime now = nowUtc();
    bool changed = false;
    for (const QString &line : host->lines.append(chunk)) {
        if (line.trimmed().isEmpty()) {
            continue;
        }
        std::optional<GpuSample> sample = NvidiaSmiParser::parseQueryLine(line);
        if (!sample) {
            host->metrics.malformedLines++;
            qCDebug(lcMetrics) << host->name << "malformed line skipped:" << line.left(200);
            continue;
        }
        sample->time = now;
        // DGX Spark (GB10): memory is unified, nvidia-smi has no figure; the host's memory is the one to show.
        if (!hasValue(sample->memoryTotalMiB) && hasValue(host->metrics.memory.totalMiB)) {
            sample->memoryTotalMiB = host->metrics.memory.totalMiB;
            sample->memoryUsedMiB = host->metrics.memory.usedMiB();
            sample->unifiedMemory = true;
        }
        QList<GpuSample> &gpus = host->metrics.gpus;
        auto existing =
            std::find_if(gpus.begin(), gpus.end(), [&](const GpuSample &g) { return g.index == sample->index; });
        if (existing != gpus.end()) {
            *existing = *sample;
        } else {
            gpus.append(*sample);
            std::sort(gpus.begin(), gpus.end(),
                      [](const GpuSample &a, const GpuSample &b) { return a.index < b.index; });
        }
        if (m_pending.size() < kMaxBatch * 4) {
            m_pending.append({connectionId, now.toMSecsSinceEpoch(), sample->index, sample->utilizationGpu,
                              sample->memoryUsedMiB, sample->memoryTotalMiB, sample->temperatureC, sample->powerDrawW});
        }
        m_activity.recordUtilization(connectionId, sample->index, now.toMSecsSinceEpoch(), sample->utilizationGpu);
        handleAlerts(m_engine.onSample(connectionId, host->name, *sample));
        changed = true;
    }
    if (changed) {
        host->failures = 0;
        host->metrics.state = QStringLiteral("ok");
        host->metrics.detail.clear();
        host->metrics.updatedAt = now;
        publish(*host);
    }
}

void MetricsCollector::onStreamEnded(qint64 connectionId, int generation, const Result<CommandResult> &result)
{
    Host *host = hostFor(connectionId, generation);
    if (!host) {
        return; // stopped on purpose, or superseded by a newer stream
    }
    host->streaming = false;
    const QString err = QString::fromUtf8(host->stderrTail).trimmed();
    const int exitCode = result.ok() ? result->exitCode : -1;
    int retryMs = 0;
    if (exitCode == 127 || err.contains(QStringLiteral("not found"))) {
        host->metrics.state = QStringLiteral("no_nvidia_smi");
        host->metrics.detail = QStringLiteral("nvidia-smi is not installed on this host (or not on its PATH)");
        retryMs = 5 * 60 * 1000;
    } else if (err.contains(QStringLiteral("No devices were found")) ||
               err.contains(QStringLiteral("couldn't communicate with the NVIDIA driver"))) {
        host->metrics.state = QStringLiteral("no_gpu");
        host->metrics.detail = err.left(300);
        retryMs = 5 * 60 * 1000;
    } else {
        host->failures++;
        host->metrics.streamRestarts++;
        host->metrics.state = QStringLiteral("stream_error");
        host->metrics.detail = result.ok() ? QStringLiteral("nvidia-smi exited with code %1%2")
                                                 .arg(exitCode)
                                                 .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err.left(300))
                                           : result.error().message;
        retryMs = std::min(30000, 1000 << std::min(host->failures - 1, 5));
    }
    qCInfo(lcMetrics).noquote() << host->name << host->metrics.state << host->metrics.detail
                                << QStringLiteral("(retry in %1 s)").arg(retryMs / 1000);
    publish(*host);
    host->restart->start(retryMs);
}

void MetricsCollector::pollHost(Host &host)
{
    if (host.pollInFlight) {
        return;
    }
    host.pollInFlight = true;
    const QString command =
        QStringLiteral("cat /proc/meminfo 2>/dev/null; echo %1; cat /proc/loadavg 2>/dev/null; echo %1; %2 2>/dev/null")
            .arg(kSectionMark, NvidiaSmiParser::computeAppsCommand());
    ExecOptions options;
    options.timeoutMs = 15000;
    options.lane = ExecLane::Supervision;
    const qint64 id = host.id;
    m_pool.exec(id, command, options).then(this, [this, id](const Result<CommandResult> &r) { onPollResult(id, r); });
}

void MetricsCollector::onPollResult(qint64 connectionId, const Result<CommandResult> &result)
{
    Host *host = hostFor(connectionId);
    if (!host) {
        return;
    }
    host->pollInFlight = false;
    if (!result.ok()) {
        qCDebug(lcMetrics) << host->name << "host poll failed:" << result.error().message;
        return;
    }
    const QStringList sections = QString::fromUtf8(result->stdOut).split(kSectionMark);
    if (const auto memory = ProcParser::parseMeminfo(sections.value(0))) {
        host->metrics.memory = *memory;
    }
    if (const auto load = ProcParser::parseLoadavg(sections.value(1).trimmed())) {
        host->metrics.load = *load;
    }
    int malformed = 0;
    host->metrics.processes = NvidiaSmiParser::parseComputeApps(sections.value(2).trimmed(), &malformed);
    host->metrics.malformedLines += malformed;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const GpuProcess &p : std::as_const(host->metrics.processes)) {
        int index = p.gpuIndex;
        for (const GpuSample &g : std::as_const(host->metrics.gpus)) {
            if (index < 0 && !p.gpuUuid.isEmpty() && g.uuid == p.gpuUuid) {
                index = g.index;
            }
        }
        m_activity.recordProcess(connectionId, index, nowMs);
    }
    publish(*host);
}

void MetricsCollector::checkReachability()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto statuses = m_pool.statuses();
    for (auto it = statuses.begin(); it != statuses.end(); ++it) {
        // Unreachable means a watched host whose link was up (in this run) and dropped: Reconnecting. A connect that
        // failed (Failed), or a watched host not reached since the start (Down), is shown as such, not alerted.
        if (it->state == LinkState::Reconnecting) {
            const auto c = m_connections.get(it.key());
            if (c.ok() && c->watch) {
                handleAlerts(m_engine.onHostState(it.key(), c->name, false, now));
            }
        }
    }
}

void MetricsCollector::handleAlerts(const QList<AlertEngine::Change> &changes)
{
    for (const AlertEngine::Change &change : changes) {
        Alert alert = change.alert;
        if (change.raised) {
            // After a reconnect or a restart the same condition finds its row again (reopened), not a new one.
            const auto stored = m_alerts->raise(alert);
            if (stored.ok()) {
                alert = stored.value();
                m_engine.setStoredId(alert.key, alert.id);
            }
            qCWarning(lcMetrics).noquote() << (alert.repeated ? "alert (seen again):" : "alert:") << alert.message;
        } else if (alert.id > 0) {
            if (Status s = m_alerts->close(alert.id, alert.endedAt, alert.value, alert.endReason); !s.ok()) {
                qCWarning(lcMetrics).noquote() << s.error().message;
            }
        }
        Q_EMIT alertChanged(alert, change.raised);
    }
}

void MetricsCollector::publish(const Host &host)
{
    {
        QMutexLocker lock(&m_mutex);
        m_snapshots.insert(host.id, host.metrics);
    }
    Q_EMIT hostUpdated(host.metrics);
}

void MetricsCollector::flush()
{
    if (m_pending.isEmpty()) {
        return;
    }
    const QList<StoredSample> batch = std::exchange(m_pending, {});
    if (Status s = m_metrics->insert(batch); !s.ok()) {
        qCWarning(lcMetrics).noquote() << s.error().message
                                       << QStringLiteral("(%1 samples kept for the next try)").arg(batch.size());
        if (m_pending.size() + batch.size() < kMaxBatch * 4) {
            m_pending = batch + m_pending; // never silently dropped while there is room
        }
    }
}

void MetricsCollector::maintain()
{
    flush();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (Status s = m_metrics->rollUp(now); !s.ok()) {
        qCWarning(lcMetrics).noquote() << s.error().message;
    }
    if (auto pruned = m_metrics->prune(now, settings().retention); !pruned.ok()) {
        qCWarning(lcMetrics).noquote() << pruned.error().message;
    }
}

} // namespace gpudeck
