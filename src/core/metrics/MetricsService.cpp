#include "metrics/MetricsService.h"

#include "logging/Logging.h"
#include "metrics/MetricsCollector.h"
#include "ssh/SshPool.h"
#include "store/AlertRepository.h"
#include "store/Database.h"

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
    m_thread.setObjectName(QStringLiteral("gpudeck-metrics"));
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
    if (m_collector) {
        return;
    }
    const MonitoringSettings settings = storedSettings(m_db);
    {
        QMutexLocker lock(&m_settingsMutex);
        m_settings = settings;
        m_settingsLoaded = true;
    }
    m_collector = std::make_unique<MetricsCollector>(m_db, m_connections, m_pool, settings);
    m_collector->moveToThread(&m_thread);
    connect(&m_pool, &SshPool::statusChanged, m_collector.get(), &MetricsCollector::onLinkStatus);
    connect(m_collector.get(), &MetricsCollector::hostUpdated, this, &MetricsService::hostUpdated);
    connect(m_collector.get(), &MetricsCollector::alertChanged, this, &MetricsService::alertChanged);
    m_thread.start();
    MetricsCollector *collector = m_collector.get();
    QMetaObject::invokeMethod(collector, [collector] { collector->start(); });
}

void MetricsService::stop()
{
    if (!m_collector) {
        return;
    }
    // Stopped and deleted on its own thread: its timers belong there.
    MetricsCollector *collector = m_collector.release();
    QMetaObject::invokeMethod(
        collector,
        [collector] {
            collector->stop();
            delete collector;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

HostMetrics MetricsService::snapshot(qint64 connectionId) const
{
    return m_collector ? m_collector->snapshot(connectionId) : HostMetrics{};
}

QList<HostMetrics> MetricsService::snapshots() const
{
    return m_collector ? m_collector->snapshots() : QList<HostMetrics>{};
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

void MetricsService::recordAlert(Alert alert)
{
    if (!alert.startedAt.isValid()) {
        alert.startedAt = QDateTime::currentDateTimeUtc();
    }
    const auto id = AlertRepository(m_db).insert(alert);
    if (!id.ok()) {
        qCWarning(lcMetrics).noquote() << id.error().message;
        return;
    }
    alert.id = id.value();
    Q_EMIT alertChanged(alert, true);
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
    if (m_collector) {
        MetricsCollector *collector = m_collector.get();
        QMetaObject::invokeMethod(collector, [collector, settings] { collector->applySettings(settings); });
    }
    Q_EMIT settingsChanged();
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
    a.severity = job.status == QStringLiteral("completed") ? QStringLiteral("info") : QStringLiteral("warning");
    a.message = QStringLiteral("job '%1' %2%3")
                    .arg(job.name, job.status,
                         job.statusReason.isEmpty() ? QString() : QStringLiteral(": ") + job.statusReason);
    a.value = job.exitCode.value_or(-1);
    a.startedAt = nowUtc();
    a.endedAt = a.startedAt;
    a.connectionName = job.name;
    const auto id = AlertRepository(m_db).insert(a);
    if (id.ok()) {
        a.id = id.value();
    }
    Q_EMIT alertChanged(a, true);
}

} // namespace gpudeck
