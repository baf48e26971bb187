#include "report/ReportService.h"

#include "fleet/FleetBuilder.h"
#include "logging/Logging.h"
#include "models/ModelService.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/LinkEventRepository.h"
#include "store/SettingsRepository.h"
#include "store/SwapHistoryRepository.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QPromise>
#include <QSaveFile>
#include <QTimer>

namespace gpudeck {
namespace {

const QString kScheduleKey = QStringLiteral("report");
const QString kStateKey = QStringLiteral("report_state");
constexpr int kCheckEveryMs = 30 * 1000;
constexpr int kPruneEveryMs = 6 * 3600 * 1000;

template<typename T>
QFuture<T> readyFuture(T value)
{
    QPromise<T> promise;
    promise.start();
    promise.addResult(std::move(value));
    promise.finish();
    return promise.future();
}

} // namespace

// Lives on the report thread: records what the report needs to remember and runs the schedule's timer there.
class ReportWorker : public QObject
{
public:
    ReportWorker(ReportService &service, Database &db, ConnectionRepository &connections)
        : m_service(service)
        , m_db(db)
        , m_connections(connections)
    {
        m_check.setInterval(kCheckEveryMs);
        QObject::connect(&m_check, &QTimer::timeout, this, [this] { (void)m_service.runScheduleCheck(); });
        m_check.start();
        m_prune.setInterval(kPruneEveryMs);
        QObject::connect(&m_prune, &QTimer::timeout, this, [this] { prune(); });
        m_prune.start();
        prune();
    }

    // A link's state changed: one row per change of state (a reconnect attempt that stays "reconnecting" is not one).
    void recordLink(qint64 connectionId, const LinkStatus &status)
    {
        const QString state = linkStateName(status.state);
        if (m_lastState.value(connectionId) == state) {
            return;
        }
        m_lastState.insert(connectionId, state);
        LinkEvent e;
        e.connectionId = connectionId;
        const auto c = m_connections.get(connectionId);
        e.connectionName = c.ok() ? c->name : QStringLiteral("#%1").arg(connectionId);
        e.state = state;
        e.reason = status.reason;
        e.at = status.since.isValid() ? status.since.toUTC() : nowUtc();
        if (Status s = LinkEventRepository(m_db).insert(e); !s.ok()) {
            qCWarning(lcStore).noquote() << s.error().message;
        }
    }

    void recordSwap(const SwapReport &swap)
    {
        if (!swap.finished()) {
            return;
        }
        if (Status s = SwapHistoryRepository(m_db).insert(swap); !s.ok()) {
            qCWarning(lcStore).noquote() << s.error().message;
        }
    }

    void prune()
    {
        const QDateTime before = nowUtc().addDays(-ReportService::kHistoryDays);
        const auto links = LinkEventRepository(m_db).prune(before);
        const auto swaps = SwapHistoryRepository(m_db).prune(before);
        if (!links.ok() || !swaps.ok()) {
            qCWarning(lcStore).noquote() << (!links.ok() ? links.error().message : swaps.error().message);
        }
    }

private:
    ReportService &m_service;
    Database &m_db;
    ConnectionRepository &m_connections;
    QTimer m_check;
    QTimer m_prune;
    QHash<qint64, QString> m_lastState;
};

ReportService::ReportService(Database &db, ConnectionRepository &connections, ProjectRepository &projects,
                             JobRepository &jobs, SshPool &ssh, MetricsService &metrics, ModelService &models,
                             QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_ssh(ssh)
    , m_models(models)
    , m_fleet(std::make_unique<FleetReader>(connections, projects, jobs, ssh, metrics, models))
    , m_clock([] { return QDateTime::currentDateTime(); })
{
}

ReportService::~ReportService()
{
    stop();
}

void ReportService::start()
{
    if (m_thread.isRunning()) {
        return;
    }
    ReportWorker *worker = m_thread.start([this] { return new ReportWorker(*this, m_db, m_connections); });
    if (!worker) {
        return;
    }
    connect(&m_ssh, &SshPool::statusChanged, worker,
            [worker](qint64 id, const LinkStatus &status) { worker->recordLink(id, status); });
    connect(&m_models, &ModelService::swapFinished, worker,
            [worker](const SwapReport &swap) { worker->recordSwap(swap); });
    m_thread.post([this](ReportWorker *) { (void)runScheduleCheck(); });
}

void ReportService::stop()
{
    m_thread.stop([this](ReportWorker *) { m_db.releaseThread(); });
}

void ReportService::setClock(Clock clock)
{
    QMutexLocker lock(&m_mutex);
    m_clock = std::move(clock);
}

QDateTime ReportService::now() const
{
    Clock clock;
    {
        QMutexLocker lock(&m_mutex);
        clock = m_clock;
    }
    return clock();
}

void ReportService::setClusterSource(ClusterSource source)
{
    QMutexLocker lock(&m_mutex);
    m_clusterSource = std::move(source);
}

Result<StatusReport> ReportService::build() const
{
    ClusterSource clusters;
    {
        QMutexLocker lock(&m_mutex);
        clusters = m_clusterSource;
    }
    const ReportReader reader(m_db, *m_fleet, m_connections, m_projects, m_jobs, clusters);
    return reader.read(now().toUTC(), kWindowHours);
}

Result<QByteArray> ReportService::render(ReportFormat format) const
{
    auto report = build();
    if (!report.ok()) {
        return report.error();
    }
    return renderReport(report.value(), format);
}

Result<QString> ReportService::write(const QString &path, ReportFormat format) const
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        return Error::internal(QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));
    }
    auto body = render(format);
    if (!body.ok()) {
        return body.error();
    }
    QSaveFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::WriteOnly) || file.write(body.value()) != body->size() || !file.commit()) {
        return Error::internal(QStringLiteral("cannot write %1: %2").arg(info.absoluteFilePath(), file.errorString()));
    }
    return info.absoluteFilePath();
}

QFuture<Result<QString>> ReportService::exportTo(const QString &path, ReportFormat format)
{
    auto promise = std::make_shared<QPromise<Result<QString>>>();
    promise->start();
    QFuture<Result<QString>> future = promise->future();
    const bool posted = m_thread.post([this, promise, path, format](ReportWorker *) {
        promise->addResult(write(path, format));
        promise->finish();
    });
    if (!posted) {
        return readyFuture<Result<QString>>(Error::internal(QStringLiteral("the report service is not running")));
    }
    return future;
}

ReportSchedule ReportService::schedule() const
{
    QMutexLocker lock(&m_mutex);
    if (!m_loaded) {
        SettingsRepository settings(m_db);
        ReportSchedule s;
        QString error;
        if (ReportSchedule::fromJson(settings.value(kScheduleKey), s, &error)) {
            m_schedule = s;
        } else {
            qCWarning(lcApp).noquote() << "the stored report schedule is not valid, using the defaults:" << error;
        }
        m_state = ReportScheduleState::fromJson(settings.value(kStateKey));
        m_loaded = true;
    }
    return m_schedule;
}

ReportScheduleState ReportService::scheduleState() const
{
    schedule(); // loads both
    QMutexLocker lock(&m_mutex);
    return m_state;
}

Status ReportService::setSchedule(const ReportSchedule &s)
{
    schedule();
    {
        QMutexLocker lock(&m_mutex);
        if (Status st = SettingsRepository(m_db).setValue(kScheduleKey, s.toJson()); !st.ok()) {
            return st;
        }
        m_schedule = s;
    }
    // A changed schedule (another folder, a fixed permission) is tried at once, not after the retry delay.
    ReportScheduleState state = scheduleState();
    if (state.lastFailedAt.isValid()) {
        state.lastFailedAt = {};
        saveState(state);
    }
    checkSchedule();
    return {};
}

QJsonObject ReportService::scheduleJson() const
{
    const ReportSchedule s = schedule();
    const ReportScheduleState state = scheduleState();
    QJsonObject out = s.toJson();
    const QJsonObject st = state.toJson();
    out.insert(QStringLiteral("last_written_at"), st.value(QStringLiteral("last_written_at")));
    out.insert(QStringLiteral("last_file"), st.value(QStringLiteral("last_file")));
    out.insert(QStringLiteral("last_error"), st.value(QStringLiteral("last_error")));
    const QDateTime next = reportschedule::nextRun(s, state, now());
    out.insert(QStringLiteral("next_run_at"), next.isValid() ? QJsonValue(isoUtc(next)) : QJsonValue());
    return out;
}

void ReportService::saveState(const ReportScheduleState &state)
{
    QMutexLocker lock(&m_mutex);
    m_state = state;
    if (Status st = SettingsRepository(m_db).setValue(kStateKey, state.toJson()); !st.ok()) {
        qCWarning(lcStore).noquote() << st.error().message;
    }
}

QFuture<Result<QString>> ReportService::checkSchedule()
{
    auto promise = std::make_shared<QPromise<Result<QString>>>();
    promise->start();
    QFuture<Result<QString>> future = promise->future();
    const bool posted = m_thread.post([this, promise](ReportWorker *) {
        promise->addResult(runScheduleCheck());
        promise->finish();
    });
    if (!posted) {
        return readyFuture<Result<QString>>(Error::internal(QStringLiteral("the report service is not running")));
    }
    return future;
}

Result<QString> ReportService::runScheduleCheck()
{
    const ReportSchedule s = schedule();
    ReportScheduleState state = scheduleState();
    const QDateTime at = now();
    if (!reportschedule::isDue(s, state, at)) {
        return QString();
    }
    const QDate day = at.toLocalTime().date();
    const auto written = write(reportschedule::fileFor(s, day), s.format);
    if (!written.ok()) {
        state.lastError = written.error().message;
        state.lastFailedAt = at.toUTC();
        saveState(state);
        qCWarning(lcApp).noquote() << "the daily report could not be written:" << state.lastError;
        Q_EMIT scheduledReportFailed(state.lastError);
        return written.error();
    }
    state.lastDate = day;
    state.lastWrittenAt = at.toUTC();
    state.lastFile = written.value();
    state.lastError.clear();
    state.lastFailedAt = {};
    saveState(state);
    qCInfo(lcApp).noquote() << "daily report written to" << written.value();
    Q_EMIT scheduledReportWritten(written.value());
    return written.value();
}

} // namespace gpudeck
