#include "store/JobRepository.h"

#include "store/Database.h"
#include "store/JsonColumn.h"
#include "store/SqlValues.h"
#include "store/StoreEvents.h"

#include <QJsonArray>
#include <QVariant>

namespace gpudeck {
namespace {

const QString kColumns = QStringLiteral(
    "id, project_id, name, model_name, status, config, metrics, container_id, started_at, completed_at, created_at, "
    "command, working_dir, env, exit_code, status_reason, backend");

Job fromRow(const QSqlQuery &q)
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

Result<QList<Job>> JobRepository::list(qint64 projectId)
{
    QSqlQuery &q = projectId > 0
        ? m_db.prepared(QStringLiteral("SELECT %1 FROM training_jobs WHERE project_id = ? ORDER BY id").arg(kColumns))
        : m_db.prepared(QStringLiteral("SELECT %1 FROM training_jobs ORDER BY id").arg(kColumns));
    if (projectId > 0) {
        q.addBindValue(projectId);
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

Result<QList<Job>> JobRepository::listByStatus(const QStringList &statuses)
{
    QStringList marks;
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        marks << QStringLiteral("?");
    }
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT %1 FROM training_jobs WHERE status IN (%2) ORDER BY id").arg(kColumns, marks.join(QLatin1Char(','))));
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

Status JobRepository::appendMetrics(qint64 jobId, const QList<QJsonObject> &points)
{
    if (points.isEmpty()) {
        return {};
    }
    return m_db.transaction([&]() -> Status {
        QSqlQuery &next = m_db.prepared(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM job_metrics WHERE job_id = ?"));
        next.addBindValue(jobId);
        if (!next.exec() || !next.next()) {
            return Error::internal(QStringLiteral("cannot append job metrics: %1").arg(sqlError(next)));
        }
        qint64 seq = next.value(0).toLongLong();
        next.finish();
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("INSERT INTO job_metrics (job_id, seq, recorded_at, data) VALUES (?, ?, ?, ?)"));
        const QString now = isoUtc(nowUtc());
        for (const QJsonObject &p : points) {
            q.addBindValue(jobId);
            q.addBindValue(++seq);
            q.addBindValue(now);
            q.addBindValue(jsonText(p));
            if (!q.exec()) {
                return Error::internal(QStringLiteral("cannot append job metrics: %1").arg(sqlError(q)));
            }
        }
        q.finish();
        return {};
    });
}

Result<QJsonArray> JobRepository::metricSeries(qint64 jobId, int limit)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "SELECT seq, recorded_at, data FROM (SELECT seq, recorded_at, data FROM job_metrics WHERE job_id = ? "
        "ORDER BY seq DESC LIMIT ?) ORDER BY seq"));
    q.addBindValue(jobId);
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

void JobRepository::releaseThreadConnection()
{
    m_db.releaseThread();
}

Result<Job> JobRepository::get(qint64 id)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM training_jobs WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read job %1: %2").arg(id).arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("no job with id %1").arg(id));
    }
    Job j = fromRow(q);
    q.finish();
    return j;
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

Result<Job> JobRepository::create(Job j)
{
    j.name = j.name.trimmed();
    if (Status s = j.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkProject(j.projectId); !s.ok()) {
        return s.error();
    }
    stampStatusTimes(nullptr, j);
    j.createdAt = nowUtc();
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO training_jobs (project_id, name, model_name, status, config, metrics, container_id, "
        "started_at, completed_at, created_at, command, working_dir, env, exit_code, status_reason, backend) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(j.projectId), sqlText(j.name), sqlText(j.modelName), sqlText(j.status),
                              QVariant(jsonText(j.config)), QVariant(jsonText(j.metrics)), sqlNullableText(j.containerId),
                              sqlNullableTime(j.startedAt), sqlNullableTime(j.completedAt), QVariant(isoUtc(j.createdAt)),
                              sqlText(j.command), sqlText(j.workingDir), QVariant(jsonText(j.env)),
                              j.exitCode ? QVariant(*j.exitCode) : QVariant(), sqlText(j.statusReason),
                              sqlText(j.backend)}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot create job: %1").arg(sqlError(q)));
    }
    j.id = q.lastInsertId().toLongLong();
    q.finish();
    Q_EMIT m_events->jobsChanged();
    return j;
}

Result<Job> JobRepository::update(Job j)
{
    const Result<Job> before = get(j.id);
    if (!before.ok()) {
        return before.error();
    }
    return update(std::move(j), before.value());
}

Result<Job> JobRepository::update(Job j, const Job &before)
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
    stampStatusTimes(&before, j);
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE training_jobs SET project_id = ?, name = ?, model_name = ?, status = ?, config = ?, metrics = ?, "
        "container_id = ?, started_at = ?, completed_at = ?, command = ?, working_dir = ?, env = ?, exit_code = ?, "
        "status_reason = ?, backend = ? WHERE id = ?"));
    for (const QVariant &v : {QVariant(j.projectId), sqlText(j.name), sqlText(j.modelName), sqlText(j.status),
                              QVariant(jsonText(j.config)), QVariant(jsonText(j.metrics)), sqlNullableText(j.containerId),
                              sqlNullableTime(j.startedAt), sqlNullableTime(j.completedAt), sqlText(j.command),
                              sqlText(j.workingDir), QVariant(jsonText(j.env)),
                              j.exitCode ? QVariant(*j.exitCode) : QVariant(), sqlText(j.statusReason),
                              sqlText(j.backend), QVariant(j.id)}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot update job %1: %2").arg(j.id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no job with id %1").arg(j.id));
    }
    j.createdAt = before.createdAt;
    Q_EMIT m_events->jobsChanged();
    return j;
}

Status JobRepository::remove(qint64 id)
{
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
