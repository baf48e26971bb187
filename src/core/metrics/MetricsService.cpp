#include "metrics/MetricsService.h"

#include "alerts/AlertRepository.h"
#include "logging/Logging.h"
#include "metrics/MetricsCollector.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/ProjectRepository.h"
#include "store/SettingsRepository.h"

namespace gpudeck {
namespace {
const QString kSettingsKey = QStringLiteral("monitoring");
}

MetricsService::MetricsService(Database &db, ConnectionRepository &connections, SshPool &pool, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_connections(connections)
    , m_pool(pool)
{
    qRegisterMetaType<Alert>();
    qRegisterMetaType<HostMetrics>();
    qRegisterMetaType<MonitoringSettings>();
}

namespace {
MonitoringSettings storedSettings(Database &db)
{
    MonitoringSettings settings;
    QString error;
    if (!MonitoringSettings::fromJson(SettingsRepository(db).value(QStringLiteral("monitoring")), settings, &error)) {
        qCWarning(lcMetrics).noquote() << "stored monitoring settings ignored:" << error;
        settings = MonitoringSettings();
    }
    return settings;
}
} // namespace

MetricsService::~MetricsService()
{
    stop();
}

void MetricsService::start()
{
    if (m_thread.isRunning()) {
        return;
    }
    const MonitoringSettings settings = storedSettings(m_db);
    {
        QMutexLocker lock(&m_settingsMutex);
        m_settings = settings;
        m_settingsLoaded = true;
    }
    m_thread.start([this, settings] {
        auto *collector = new MetricsCollector(m_db, m_connections, m_pool, settings);
        // Wired before it starts, so no link change and no first reading is missed.
        connect(&m_pool, &SshPool::statusChanged, collector, &MetricsCollector::onLinkStatus);
        connect(collector, &MetricsCollector::hostUpdated, this, &MetricsService::hostUpdated);
        connect(collector, &MetricsCollector::alertChanged, this, &MetricsService::alertChanged);
        connect(collector, &MetricsCollector::settingsApplied, this, &MetricsService::settingsApplied);
        collector->start();
        return collector;
    });
}

void MetricsService::stop()
{
    // Streams cancelled and the last batch written on the metrics thread; the collector (and its timers) is deleted
    // there once its loop has ended.
    m_thread.stop([](MetricsCollector *collector) { collector->stop(); });
}

void MetricsService::maintain()
{
    if (MetricsCollector *collector = m_thread.worker()) {
        QMetaObject::invokeMethod(
            collector, [collector] { collector->maintain(); }, Qt::BlockingQueuedConnection);
    }
}

HostMetrics MetricsService::snapshot(qint64 connectionId) const
{
    const MetricsCollector *collector = m_thread.worker();
    return collector ? collector->snapshot(connectionId) : HostMetrics{};
}

QList<HostMetrics> MetricsService::snapshots() const
{
    const MetricsCollector *collector = m_thread.worker();
    return collector ? collector->snapshots() : QList<HostMetrics>{};
}

QHash<qint64, QHash<int, GpuActivitySummary>> MetricsService::activity(qint64 sinceMs) const
{
    const MetricsCollector *collector = m_thread.worker();
    return collector ? collector->activity().summarize(sinceMs) : QHash<qint64, QHash<int, GpuActivitySummary>>{};
}

Result<History> MetricsService::history(HistoryQuery query) const
{
    query.sampleIntervalMs = settings().intervalMs;
    return MetricRepository(m_db).history(query, settings().retention);
}

Result<QList<Alert>> MetricsService::alerts(bool activeOnly, qint64 connectionId, int limit) const
{
    return AlertRepository(m_db).list(activeOnly, connectionId, limit);
}

Result<QByteArray> MetricsService::alertsJson(bool activeOnly, qint64 connectionId, int limit) const
{
    return AlertRepository(m_db).listJson(activeOnly, connectionId, limit);
}

qint64 MetricsService::recordAlert(Alert alert)
{
    if (!alert.startedAt.isValid()) {
        alert.startedAt = QDateTime::currentDateTimeUtc();
    }
    // With a key, the same alert seen again (after a reconnect, a restart) is its row again: repeated, not news.
    const auto stored = AlertRepository(m_db).raise(alert);
    if (!stored.ok()) {
        qCWarning(lcMetrics).noquote() << stored.error().message;
        return 0;
    }
    Q_EMIT alertChanged(stored.value(), true);
    return stored->id;
}

void MetricsService::endAlert(Alert alert)
{
    if (!alert.endedAt.isValid()) {
        alert.endedAt = QDateTime::currentDateTimeUtc();
    }
    if (alert.endReason.isEmpty()) {
        alert.endReason = QStringLiteral("cleared");
    }
    if (alert.id > 0) {
        if (Status s = AlertRepository(m_db).close(alert.id, alert.endedAt, alert.value, alert.endReason); !s.ok()) {
            qCWarning(lcMetrics).noquote() << s.error().message;
        }
    }
    Q_EMIT alertChanged(alert, false);
}

MonitoringSettings MetricsService::settings() const
{
    QMutexLocker lock(&m_settingsMutex);
    if (!m_settingsLoaded) {
        m_settings = storedSettings(m_db); // asked before start(): what is stored, not the defaults
        m_settingsLoaded = true;
    }
    return m_settings;
}

Status MetricsService::setSettings(const MonitoringSettings &settings)
{
    if (Status s = SettingsRepository(m_db).setValue(kSettingsKey, settings.toJson()); !s.ok()) {
        return s;
    }
    {
        QMutexLocker lock(&m_settingsMutex);
        m_settings = settings;
        m_settingsLoaded = true;
    }
    // Queued behind anything the collector is doing; it announces settingsApplied once they are in effect.
    const bool queued = m_thread.post([settings](MetricsCollector *collector) { collector->applySettings(settings); });
    if (!queued) {
        Q_EMIT settingsApplied(settings); // not monitoring: nothing applies them later
    }
    return {};
}

Status MetricsService::setPaused(bool paused)
{
    MonitoringSettings s = settings();
    s.paused = paused;
    return setSettings(s);
}

} // namespace gpudeck

namespace gpudeck {

void MetricsService::recordJobEnded(const Job &job)
{
    Alert a;
    a.kind = QStringLiteral("job_ended");
    // Done is news, not a warning; failed or cancelled wants a look.
    a.severity = job.status == QStringLiteral("completed") ? QStringLiteral("info") : QStringLiteral("warning");
    a.message =
        QStringLiteral("job '%1' %2%3%4")
            .arg(job.name, job.status, job.exitCode ? QStringLiteral(" (exit code %1)").arg(*job.exitCode) : QString(),
                 job.statusReason.isEmpty() ? QString() : QStringLiteral(": ") + job.statusReason);
    a.value = job.exitCode.value_or(-1);
    a.startedAt = nowUtc();
    a.endedAt = a.startedAt;
    // The host it ran on is the alert's host (the job is named in the message); one alert per attempt's end, however
    // often a reconcile after a reconnect reports it.
    if (const auto project = ProjectRepository(m_db, nullptr).get(job.projectId); project.ok()) {
        if (const auto connection = m_connections.get(project->connectionId); connection.ok()) {
            a.connectionId = connection->id;
            a.connectionName = connection->name;
        }
    }
    a.key = QStringLiteral("job_ended/%1/%2").arg(job.id).arg(job.attempt);
    const auto stored = AlertRepository(m_db).raise(a);
    if (!stored.ok()) {
        qCWarning(lcMetrics).noquote() << stored.error().message;
        return;
    }
    if (!stored->repeated) {
        Q_EMIT alertChanged(stored.value(), true);
    }
}

} // namespace gpudeck
