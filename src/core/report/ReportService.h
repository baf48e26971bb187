#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "report/ReportBuilder.h"
#include "report/ReportSchedule.h"

#include <QFuture>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <functional>
#include <memory>

namespace gpudeck {

class ConnectionRepository;
class Database;
class FleetReader;
class JobRepository;
class MetricsService;
class ModelService;
class ProjectRepository;
class ReportWorker;
class SshPool;

// The status report: builds it (GET /api/dgx/report, File → Export report), keeps the history it needs that nothing
// else keeps (link state changes, finished swaps: tables link_events and swap_history, pruned after
// kHistoryDays), and writes it to a folder once a day when the schedule says so.
//
// The writing, the recording and the schedule's checks run on the service's own thread ("gpudeck-report"), so the
// GUI thread never waits for the database or the disk; build() may be called from any thread (the API's).
class ReportService : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    static constexpr int kHistoryDays = 30;
    static constexpr int kWindowHours = 24;

    ReportService(Database &db, ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                  SshPool &ssh, MetricsService &metrics, ModelService &models, QObject *parent = nullptr);
    ~ReportService() override;

    // Starts recording link changes and finished swaps, prunes old history, and runs the schedule (checked every
    // 30 s, and at once). After the database is open.
    void start();
    void stop();

    // The report now (the last kWindowHours). Any thread.
    Result<StatusReport> build() const;
    Result<QByteArray> render(ReportFormat format) const;
    // Builds the report and writes it to `path` on the report thread (atomically: a reader never sees half a file).
    // The future ends with the path, or why it could not be written.
    QFuture<Result<QString>> exportTo(const QString &path, ReportFormat format);

    ReportSchedule schedule() const;
    ReportScheduleState scheduleState() const;
    // Stores a schedule (already validated by ReportSchedule::fromJson) and checks it at once.
    Status setSchedule(const ReportSchedule &schedule);
    // The schedule, what it last did and when it runs next: GET/PUT /api/config/report's answer.
    QJsonObject scheduleJson() const;
    // Checks the schedule now, on the report thread: writes today's report when due. The future ends with the file
    // written (empty: not due), or the error. The timer calls the same.
    QFuture<Result<QString>> checkSchedule();

    // Tests drive the schedule with a clock of their own (local time).
    void setClock(Clock clock);
    QDateTime now() const;
    // The seam for Proxmox clusters: called (on the thread building the report) for the clusters section.
    void setClusterSource(ClusterSource source);

Q_SIGNALS:
    // The daily report was written / could not be (emitted on the report thread).
    void scheduledReportWritten(const QString &path);
    void scheduledReportFailed(const QString &error);

private:
    friend class ReportWorker;
    Result<QString> runScheduleCheck(); // on the report thread
    Result<QString> write(const QString &path, ReportFormat format) const;
    void saveState(const ReportScheduleState &state);

    Database &m_db;
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_ssh;
    ModelService &m_models;
    std::unique_ptr<FleetReader> m_fleet;

    mutable QMutex m_mutex;
    Clock m_clock;
    ClusterSource m_clusterSource;
    mutable bool m_loaded = false;
    mutable ReportSchedule m_schedule;
    mutable ReportScheduleState m_state;

    WorkerThread<ReportWorker> m_thread{QStringLiteral("gpudeck-report")};
};

} // namespace gpudeck
