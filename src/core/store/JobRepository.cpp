#include "store/JobRepository.h"

#include "store/Database.h"
#include "store/JsonColumn.h"
#include "store/RawQuery.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"
#include "store/StoreEvents.h"

#include <QJsonArray>
#include <QVariant>

namespace gpudeck {
namespace {

const QString kColumns = QStringLiteral(
    "id, project_id, name, model_name, status, config, metrics, container_id, started_at, completed_at, created_at, "
    "command, working_dir, env, exit_code, status_reason, backend, attempt, on_end, sync_before_start, on_end_result");

const QString kAttemptColumns = QStringLiteral("job_id, attempt, backend, host_dir, session, container_id, started_at, "
                                               "ended_at, status, exit_code, status_reason");

JobAttempt attemptFromRow(const QSqlQuery &q, int first)
{
    JobAttempt a;
    a.jobId = q.value(first).toLongLong();
    a.attempt = q.value(first + 1).toInt();
    a.backend = q.value(first + 2).toString();
    a.hostDir = q.value(first + 3).toString();
    a.session = q.value(first + 4).toString();
    a.containerId = q.value(first + 5).toString();
    a.startedAt = parseIsoUtc(q.value(first + 6).toString());
    a.endedAt = parseIsoUtc(q.value(first + 7).toString());
    a.status = q.value(first + 8).toString();
    if (!q.value(first + 9).isNull()) {
        a.exitCode = q.value(first + 9).toInt();
    }
    a.statusReason = q.value(first + 10).toString();
    return a;
}

// A job from a row of kColumns, read through a QSqlQuery or a RawQuery (the same values either way).
template<typename Row>
Job fromRow(const Row &q)
{
    Job j;
    j.id = q.value(0).toLongLong();
    j.projectId = q.value(1).toLongLong();
    j.name = q.value(2).toString();
    j.modelName = q.value(3).toString();
    j.status = q.value(4).toString();
    j.config = jsonColumn(q.value(5));
    j.metrics = jsonColumn(q.value(6));
    j.containerId = q.value(7).toString();
    j.startedAt = parseIsoUtc(q.value(8).toString());
    j.completedAt = parseIsoUtc(q.value(9).toString());
    j.createdAt = parseIsoUtc(q.value(10).toString());
    j.command = q.value(11).toString();
    j.workingDir = q.value(12).toString();
    j.env = jsonColumn(q.value(13));
    if (!q.value(14).isNull()) {
        j.exitCode = q.value(14).toInt();
    }
    j.statusReason = q.value(15).toString();
    j.backend = q.value(16).toString();
    j.attempt = q.value(17).toInt();
    j.onEnd = q.value(18).toString();
    j.syncBeforeStart = q.value(19).toInt() != 0;
    j.onEndResult = jsonColumn(q.value(20));
    return j;
}

} // namespace

JobRepository::JobRepository(Database &db, StoreEvents *events)
    : m_db(db)
    , m_events(events)
{
}

void JobRepository::stampStatusTimes(const Job *before, Job &after)
{
    const QString previous = before ? before->status : QString();
    if (after.status == previous) {
        return;
    }
    // Times the caller set explicitly (differing from what was stored) are respected.
    const bool startedGiven = after.startedAt.isValid() && (!before || after.startedAt != before->startedAt);
    const bool completedGiven = after.completedAt.isValid() && (!before || after.completedAt != before->completedAt);
    const QDateTime now = nowUtc();
    if (after.status == QStringLiteral("pending")) {
        if (!startedGiven) {
            after.startedAt = {};
        }
        if (!completedGiven) {
            after.completedAt = {};
        }
    } else if (after.status == QStringLiteral("running")) {
        if (!startedGiven) {
            after.startedAt = now;
        }
        if (!completedGiven) {
            after.completedAt = {};
        }
    } else if (Job::isFinal(after.status) && !completedGiven) {
        after.completedAt = now;
    }
}

Result<QList<Job>> JobRepository::list(qint64 projectId, const QStringList &statuses)
{
    QStringList where;
    if (projectId > 0) {
        where << QStringLiteral("project_id = ?");
    }
    if (!statuses.isEmpty()) {
        QStringList marks;
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            marks << QStringLiteral("?");
        }
        where << QStringLiteral("status IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM training_jobs %2 ORDER BY id")
            .arg(kColumns,
                 where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))));
    if (projectId > 0) {
        q.addBindValue(projectId);
    }
    for (const QString &st : statuses) {
        q.addBindValue(st);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list jobs: %1").arg(sqlError(q)));
    }
    QList<Job> out;
    while (q.next()) {
        out.append(fromRow(q));
    }
    q.finish();
    return out;
}

Result<QByteArray> JobRepository::listJson(qint64 projectId, const QStringList &statuses)
{
    QByteArrayList where;
    QVariantList binds;
    if (projectId > 0) {
        where << "project_id = ?";
        binds << projectId;
    }
    if (!statuses.isEmpty()) {
        QByteArrayList marks;
        for (const QString &st : statuses) {
            marks << "?";
            binds << st;
        }
        where << "status IN (" + marks.join(',') + ')';
    }
    return RowJson::list(m_db, RowTables::jobs(),
                         (where.isEmpty() ? QByteArray() : "WHERE " + where.join(" AND ") + ' ') + "ORDER BY id",
                         binds);
}

Result<QByteArray> JobRepository::getJson(qint64 id)
{
    return RowJson::object(m_db, RowTables::jobs(), "WHERE id = ?", {id},
                           Error::notFound(QStringLiteral("no job with id %1").arg(id)));
}

Result<QByteArray> JobRepository::attemptsJson(qint64 jobId)
{
    return RowJson::list(m_db, RowTables::jobAttempts(), "WHERE job_id = ? ORDER BY attempt", {jobId});
}

Result<QList<Job>> JobRepository::listByStatus(const QStringList &statuses)
{
    QStringList marks;
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        marks << QStringLiteral("?");
    }
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM training_jobs WHERE status IN (%2) ORDER BY id")
                                     .arg(kColumns, marks.join(QLatin1Char(','))));
    for (const QString &st : statuses) {
        q.addBindValue(st);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list jobs: %1").arg(sqlError(q)));
    }
    QList<Job> out;
    while (q.next()) {
        out.append(fromRow(q));
    }
    q.finish();
    return out;
}

Result<QList<Job>> JobRepository::listEndedSince(const QDateTime &since, int limit)
{
    // completed_at is ISO 8601 UTC with milliseconds throughout, so text order is time order.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM training_jobs WHERE status IN ('completed', 'failed', 'cancelled') AND "
                       "completed_at >= ? ORDER BY completed_at DESC, id DESC LIMIT ?")
            .arg(kColumns));
    q.addBindValue(isoUtc(since));
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list ended jobs: %1").arg(sqlError(q)));
    }
    QList<Job> out;
    while (q.next()) {
        out.append(fromRow(q));
    }
    q.finish();
    return out;
}

Result<QMap<QString, int>> JobRepository::countByStatus()
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT status, COUNT(*) FROM training_jobs GROUP BY status"));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot count jobs: %1").arg(sqlError(q)));
    }
    QMap<QString, int> out;
    while (q.next()) {
        out.insert(q.value(0).toString(), q.value(1).toInt());
    }
    q.finish();
    return out;
}

Status JobRepository::appendMetrics(qint64 jobId, int attempt, const QList<QJsonObject> &points)
{
    if (points.isEmpty()) {
        return {};
    }
    return m_db.transaction([&]() -> Status {
        QSqlQuery &next =
            m_db.prepared(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM job_metrics WHERE job_id = ?"));
        next.addBindValue(jobId);
        if (!next.exec() || !next.next()) {
            return Error::internal(QStringLiteral("cannot append job metrics: %1").arg(sqlError(next)));
        }
        qint64 seq = next.value(0).toLongLong();
        next.finish();
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("INSERT INTO job_metrics (job_id, seq, recorded_at, data, attempt) VALUES (?, ?, ?, ?, ?)"));
        const QString now = isoUtc(nowUtc());
        for (const QJsonObject &p : points) {
            q.addBindValue(jobId);
            q.addBindValue(++seq);
            q.addBindValue(now);
            q.addBindValue(jsonText(p));
            q.addBindValue(qMax(1, attempt));
            if (!q.exec()) {
                return Error::internal(QStringLiteral("cannot append job metrics: %1").arg(sqlError(q)));
            }
        }
        q.finish();
        return {};
    });
}

Result<QJsonArray> JobRepository::metricSeries(qint64 jobId, int limit, int attempt)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "SELECT seq, recorded_at, data FROM (SELECT seq, recorded_at, data FROM job_metrics WHERE job_id = ? "
        "AND (? = 0 OR attempt = ?) ORDER BY seq DESC LIMIT ?) ORDER BY seq"));
    q.addBindValue(jobId);
    q.addBindValue(attempt);
    q.addBindValue(attempt);
    q.addBindValue(limit);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read job metrics: %1").arg(sqlError(q)));
    }
    QJsonArray out;
    while (q.next()) {
        out.append(QJsonObject{{QStringLiteral("seq"), q.value(0).toLongLong()},
                               {QStringLiteral("t"), q.value(1).toString()},
                               {QStringLiteral("values"), jsonColumn(q.value(2))}});
    }
    q.finish();
    return out;
}

Result<int> JobRepository::metricCount(qint64 jobId, int attempt)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT COUNT(*) FROM job_metrics WHERE job_id = ? AND attempt = ?"));
    q.addBindValue(jobId);
    q.addBindValue(attempt);
    if (!q.exec() || !q.next()) {
        return Error::internal(QStringLiteral("cannot count job metrics: %1").arg(sqlError(q)));
    }
    const int n = q.value(0).toInt();
    q.finish();
    return n;
}

Result<JobAttempt> JobRepository::attempt(qint64 jobId, int attempt)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM job_attempts WHERE job_id = ? AND attempt = ?").arg(kAttemptColumns));
    q.addBindValue(jobId);
    q.addBindValue(attempt);
    if (!q.exec()) {
        return Error::internal(
            QStringLiteral("cannot read attempt %1 of job %2: %3").arg(attempt).arg(jobId).arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("job %1 has no attempt %2").arg(jobId).arg(attempt));
    }
    JobAttempt a = attemptFromRow(q, 0);
    q.finish();
    return a;
}

Result<QList<JobAttempt>> JobRepository::attempts(qint64 jobId)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM job_attempts WHERE job_id = ? ORDER BY attempt").arg(kAttemptColumns));
    q.addBindValue(jobId);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list the attempts of job %1: %2").arg(jobId).arg(sqlError(q)));
    }
    QList<JobAttempt> out;
    while (q.next()) {
        out.append(attemptFromRow(q, 0));
    }
    q.finish();
    return out;
}

Result<QList<QPair<Job, JobAttempt>>> JobRepository::listLive()
{
    QString columns;
    for (const QString &c : kColumns.split(QStringLiteral(", "))) {
        columns += QStringLiteral("j.") + c + QStringLiteral(", ");
    }
    for (const QString &c : kAttemptColumns.split(QStringLiteral(", "))) {
        columns += QStringLiteral("a.") + c + QStringLiteral(", ");
    }
    columns.chop(2);
    QSqlQuery &q = m_db.prepared(
        QStringLiteral(
            "SELECT %1 FROM training_jobs j JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt "
            "WHERE j.status IN ('pending', 'running') AND a.ended_at IS NULL ORDER BY j.id")
            .arg(columns));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list running jobs: %1").arg(sqlError(q)));
    }
    const int first = static_cast<int>(kColumns.split(QStringLiteral(", ")).size());
    QList<QPair<Job, JobAttempt>> out;
    while (q.next()) {
        out.append({fromRow(q), attemptFromRow(q, first)});
    }
    q.finish();
    return out;
}

Result<Job> JobRepository::recordAttempt(Job job, const JobAttempt &a)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    job.attempt = a.attempt;
    QString previous;
    Result<Job> saved = Error::internal(QStringLiteral("not saved"));
    const Status s = m_db.transaction([&]() -> Status {
        QSqlQuery &q =
            m_db.prepared(QStringLiteral("INSERT INTO job_attempts (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                              .arg(kAttemptColumns));
        for (const QVariant &v :
             {QVariant(a.jobId), QVariant(a.attempt), sqlText(a.backend), sqlText(a.hostDir), sqlText(a.session),
              sqlNullableText(a.containerId), sqlNullableTime(a.startedAt), sqlNullableTime(a.endedAt),
              sqlText(a.status), a.exitCode ? QVariant(*a.exitCode) : QVariant(), sqlText(a.statusReason)}) {
            q.addBindValue(v);
        }
        if (!q.exec()) {
            return Error::internal(
                QStringLiteral("cannot record attempt %1 of job %2: %3").arg(a.attempt).arg(a.jobId).arg(sqlError(q)));
        }
        q.finish();
        const Result<Job> before = get(job.id);
        if (!before.ok()) {
            return before.error();
        }
        previous = before->status;
        saved = updateRow(job, before.value());
        return saved.ok() ? Status() : Status(saved.error());
    });
    if (!s.ok()) {
        return s.error();
    }
    // Told only once committed: a listener that reads at once must see the new row.
    Q_EMIT m_events->jobsChanged();
    Q_EMIT m_events->jobStatusChanged(saved.value(), previous);
    return saved;
}

Result<Job> JobRepository::endAttempt(Job job, int attempt)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    Result<Job> saved = job;
    std::optional<QString> previous; // set when the job itself changed (its latest attempt ended)
    const Status s = m_db.transaction([&]() -> Status {
        QSqlQuery &q = m_db.prepared(QStringLiteral("UPDATE job_attempts SET ended_at = ?, status = ?, exit_code = ?, "
                                                    "status_reason = ? WHERE job_id = ? AND attempt = ?"));
        for (const QVariant &v :
             {QVariant(isoUtc(nowUtc())), sqlText(job.status), job.exitCode ? QVariant(*job.exitCode) : QVariant(),
              sqlText(job.statusReason), QVariant(job.id), QVariant(attempt)}) {
            q.addBindValue(v);
        }
        if (!q.exec()) {
            return Error::internal(
                QStringLiteral("cannot end attempt %1 of job %2: %3").arg(attempt).arg(job.id).arg(sqlError(q)));
        }
        q.finish();
        if (job.attempt == attempt) {
            const Result<Job> before = get(job.id);
            if (!before.ok()) {
                return before.error();
            }
            previous = before->status;
            saved = updateRow(job, before.value());
        }
        return saved.ok() ? Status() : Status(saved.error());
    });
    if (!s.ok()) {
        return s.error();
    }
    // Told only once committed: a listener that reads at once must see the new row.
    Q_EMIT m_events->jobsChanged();
    if (previous) {
        Q_EMIT m_events->jobStatusChanged(saved.value(), *previous);
    }
    return saved;
}

QString JobRepository::instanceId() const
{
    return m_db.instanceId();
}

void JobRepository::releaseThreadConnection()
{
    m_db.releaseThread();
}

Result<Job> JobRepository::get(qint64 id)
{
    // Read without the driver's per-exec record of column names and types: an API action reads its job this way.
    static const QByteArray sql = QStringLiteral("SELECT %1 FROM training_jobs WHERE id = ?").arg(kColumns).toUtf8();
    RawQuery q(m_db, sql);
    if (!q.bind({id}) || !q.next()) {
        if (!q.error().isEmpty()) {
            return Error::internal(QStringLiteral("cannot read job %1: %2").arg(id).arg(q.error()));
        }
        return Error::notFound(QStringLiteral("no job with id %1").arg(id));
    }
    return fromRow(q);
}

Status JobRepository::checkProject(qint64 projectId)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT 1 FROM projects WHERE id = ?"));
    q.addBindValue(projectId);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot check the project: %1").arg(sqlError(q)));
    }
    const bool found = q.next();
    q.finish();
    if (!found) {
        return Error::validation(QStringLiteral("project_id"), QStringLiteral("no project with id %1").arg(projectId));
    }
    return {};
}

Status JobRepository::checkOnEnd(const Job &job)
{
    if (job.onEnd == QStringLiteral("none")) {
        return {};
    }
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT p.name, c.name, c.kind FROM projects p JOIN connections c ON "
                                                "c.id = p.connection_id WHERE p.id = ?"));
    q.addBindValue(job.projectId);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot check the project's connection: %1").arg(sqlError(q)));
    }
    if (!q.next()) {
        q.finish();
        return Error::validation(QStringLiteral("project_id"),
                                 QStringLiteral("no project with id %1").arg(job.projectId));
    }
    const QString project = q.value(0).toString();
    const QString connection = q.value(1).toString();
    const QString kind = q.value(2).toString();
    q.finish();
    if (kind == QStringLiteral("runpod")) {
        return {};
    }
    return Error::validation(QStringLiteral("on_end"),
                             QStringLiteral("'on_end' %1 needs a RunPod pod: project '%2' is on connection '%3', "
                                            "which is of kind '%4', not 'runpod'; use \"none\" (the default)")
                                 .arg(job.onEnd, project, connection, kind));
}

Result<Job> JobRepository::create(Job j)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    j.name = j.name.trimmed();
    if (Status s = j.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkProject(j.projectId); !s.ok()) {
        return s.error();
    }
    if (Status s = checkOnEnd(j); !s.ok()) {
        return s.error();
    }
    stampStatusTimes(nullptr, j);
    j.createdAt = nowUtc();
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO training_jobs (project_id, name, model_name, status, config, metrics, container_id, "
        "started_at, completed_at, created_at, command, working_dir, env, exit_code, status_reason, backend, attempt, "
        "on_end, sync_before_start, on_end_result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)"));
    for (const QVariant &v : {QVariant(j.projectId),
                              sqlText(j.name),
                              sqlText(j.modelName),
                              sqlText(j.status),
                              QVariant(jsonText(j.config)),
                              QVariant(jsonText(j.metrics)),
                              sqlNullableText(j.containerId),
                              sqlNullableTime(j.startedAt),
                              sqlNullableTime(j.completedAt),
                              QVariant(isoUtc(j.createdAt)),
                              sqlText(j.command),
                              sqlText(j.workingDir),
                              QVariant(jsonText(j.env)),
                              j.exitCode ? QVariant(*j.exitCode) : QVariant(),
                              sqlText(j.statusReason),
                              sqlText(j.backend),
                              QVariant(j.attempt),
                              sqlText(j.onEnd),
                              QVariant(j.syncBeforeStart ? 1 : 0),
                              QVariant(jsonText(j.onEndResult))}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot create job: %1").arg(sqlError(q)));
    }
    j.id = q.lastInsertId().toLongLong();
    q.finish();
    Q_EMIT m_events->jobsChanged();
    Q_EMIT m_events->jobStatusChanged(j, QString());
    return j;
}

Result<Job> JobRepository::update(Job j)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    const Result<Job> before = get(j.id);
    if (!before.ok()) {
        return before.error();
    }
    return update(std::move(j), before.value());
}

Result<Job> JobRepository::update(Job j, const Job &before)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    Result<Job> saved = updateRow(std::move(j), before);
    if (saved.ok()) {
        Q_EMIT m_events->jobsChanged();
        if (saved->status != before.status || saved->attempt != before.attempt) {
            Q_EMIT m_events->jobStatusChanged(saved.value(), before.status);
        }
    }
    return saved;
}

Result<Job> JobRepository::updateRow(Job j, const Job &before)
{
    j.name = j.name.trimmed();
    if (Status s = j.validate(); !s.ok()) {
        return s.error();
    }
    if (j.projectId != before.projectId) {
        if (Status s = checkProject(j.projectId); !s.ok()) {
            return s.error();
        }
    }
    if (j.onEnd != before.onEnd || j.projectId != before.projectId) {
        if (Status s = checkOnEnd(j); !s.ok()) {
            return s.error();
        }
    }
    stampStatusTimes(&before, j);
    // Only the columns that differ from `before` are written: an index is rewritten whenever its column is in the SET
    // list, changed or not (a PUT of a job's metrics then writes one page, not four), and a caller that read the job
    // earlier (the cost guard) writes back only what it changed, not a stale copy of the rest.
    struct Column
    {
        const char *name;
        bool changed;
        QVariant (*value)(const Job &); // only for a changed column: the JSON ones are serialised on demand
    };
    const Column columns[] = {
        {"project_id", j.projectId != before.projectId, [](const Job &x) { return QVariant(x.projectId); }},
        {"name", j.name != before.name, [](const Job &x) { return sqlText(x.name); }},
        {"model_name", j.modelName != before.modelName, [](const Job &x) { return sqlText(x.modelName); }},
        {"status", j.status != before.status, [](const Job &x) { return sqlText(x.status); }},
        {"config", j.config != before.config, [](const Job &x) { return QVariant(jsonText(x.config)); }},
        {"metrics", j.metrics != before.metrics, [](const Job &x) { return QVariant(jsonText(x.metrics)); }},
        {"container_id", j.containerId != before.containerId,
         [](const Job &x) { return sqlNullableText(x.containerId); }},
        {"started_at", j.startedAt != before.startedAt, [](const Job &x) { return sqlNullableTime(x.startedAt); }},
        {"completed_at", j.completedAt != before.completedAt,
         [](const Job &x) { return sqlNullableTime(x.completedAt); }},
        {"command", j.command != before.command, [](const Job &x) { return sqlText(x.command); }},
        {"working_dir", j.workingDir != before.workingDir, [](const Job &x) { return sqlText(x.workingDir); }},
        {"env", j.env != before.env, [](const Job &x) { return QVariant(jsonText(x.env)); }},
        {"exit_code", j.exitCode != before.exitCode,
         [](const Job &x) { return x.exitCode ? QVariant(*x.exitCode) : QVariant(); }},
        {"status_reason", j.statusReason != before.statusReason, [](const Job &x) { return sqlText(x.statusReason); }},
        {"backend", j.backend != before.backend, [](const Job &x) { return sqlText(x.backend); }},
        {"attempt", j.attempt != before.attempt, [](const Job &x) { return QVariant(x.attempt); }},
        {"on_end", j.onEnd != before.onEnd, [](const Job &x) { return sqlText(x.onEnd); }},
        {"sync_before_start", j.syncBeforeStart != before.syncBeforeStart,
         [](const Job &x) { return QVariant(x.syncBeforeStart ? 1 : 0); }},
        {"on_end_result", j.onEndResult != before.onEndResult,
         [](const Job &x) { return QVariant(jsonText(x.onEndResult)); }},
    };
    QByteArray sql = QByteArrayLiteral("UPDATE training_jobs SET ");
    QVariantList binds;
    for (const Column &column : columns) {
        if (column.changed) {
            sql += (binds.isEmpty() ? "" : ", ") + QByteArray(column.name) + " = ?";
            binds << column.value(j);
        }
    }
    if (!binds.isEmpty()) {
        sql += " WHERE id = ?";
        binds << QVariant(j.id);
        RawQuery q(m_db, sql);
        if (!q.bind(binds) || !q.exec()) {
            return Error::internal(QStringLiteral("cannot update job %1: %2").arg(j.id).arg(q.error()));
        }
        if (q.rowsAffected() == 0) {
            return Error::notFound(QStringLiteral("no job with id %1").arg(j.id));
        }
    }
    j.createdAt = before.createdAt;
    return j;
}

Status JobRepository::remove(qint64 id)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM training_jobs WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot delete job %1: %2").arg(id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no job with id %1").arg(id));
    }
    Q_EMIT m_events->jobsChanged();
    return {};
}

} // namespace gpudeck
