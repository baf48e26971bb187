#include "store/ProjectRepository.h"

#include "store/Database.h"
#include "store/JsonColumn.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"
#include "store/StoreEvents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>

namespace gpudeck {
namespace {

const QString kColumns = QStringLiteral(
    "id, connection_id, name, description, project_type, remote_path, status, config, created_at, updated_at, backend, "
    "local_path, extra_files");

QStringList extraFilesColumn(const QVariant &value)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(value.toString().toUtf8()).array()) {
        out.append(v.toString());
    }
    return out;
}

QString extraFilesText(const QStringList &files)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(files)).toJson(QJsonDocument::Compact));
}

Project fromRow(const QSqlQuery &q)
{
    Project p;
    p.id = q.value(0).toLongLong();
    p.connectionId = q.value(1).toLongLong();
    p.name = q.value(2).toString();
    p.description = q.value(3).toString();
    p.projectType = q.value(4).toString();
    p.remotePath = q.value(5).toString();
    p.status = q.value(6).toString();
    p.config = jsonColumn(q.value(7));
    p.createdAt = parseIsoUtc(q.value(8).toString());
    p.updatedAt = parseIsoUtc(q.value(9).toString());
    p.backend = q.value(10).toString();
    p.localPath = q.value(11).toString();
    p.extraFiles = extraFilesColumn(q.value(12));
    return p;
}

} // namespace

ProjectRepository::ProjectRepository(Database &db, StoreEvents *events)
    : m_db(db)
    , m_events(events)
{
}

Result<QList<Project>> ProjectRepository::list(qint64 connectionId)
{
    QSqlQuery &q =
        connectionId > 0
            ? m_db.prepared(QStringLiteral("SELECT %1 FROM projects WHERE connection_id = ? ORDER BY id").arg(kColumns))
            : m_db.prepared(QStringLiteral("SELECT %1 FROM projects ORDER BY id").arg(kColumns));
    if (connectionId > 0) {
        q.addBindValue(connectionId);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list projects: %1").arg(sqlError(q)));
    }
    QList<Project> out;
    while (q.next()) {
        out.append(fromRow(q));
    }
    q.finish();
    return out;
}

Result<QByteArray> ProjectRepository::listJson(qint64 connectionId)
{
    if (connectionId > 0) {
        return RowJson::list(m_db, RowTables::projects(), "WHERE connection_id = ? ORDER BY id", {connectionId});
    }
    return RowJson::list(m_db, RowTables::projects(), "ORDER BY id", {});
}

Result<QByteArray> ProjectRepository::getJson(qint64 id, const QList<ExtraField> &extra)
{
    return RowJson::object(m_db, RowTables::projects(), "WHERE id = ?", {id},
                           Error::notFound(QStringLiteral("no project with id %1").arg(id)), extra);
}

Result<Project> ProjectRepository::get(qint64 id)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM projects WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read project %1: %2").arg(id).arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("no project with id %1").arg(id));
    }
    Project p = fromRow(q);
    q.finish();
    return p;
}

Status ProjectRepository::checkConnection(qint64 connectionId)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT 1 FROM connections WHERE id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot check the connection: %1").arg(sqlError(q)));
    }
    const bool found = q.next();
    q.finish();
    if (!found) {
        return Error::validation(QStringLiteral("connection_id"),
                                 QStringLiteral("no connection with id %1").arg(connectionId));
    }
    return {};
}

Result<Project> ProjectRepository::create(Project p)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    p.name = p.name.trimmed();
    if (Status s = p.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkConnection(p.connectionId); !s.ok()) {
        return s.error();
    }
    if (!p.localPath.isEmpty()) {
        if (Status s = Project::checkLocalPath(p.localPath); !s.ok()) {
            return s.error();
        }
    }
    p.createdAt = p.updatedAt = nowUtc();
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO projects (connection_id, name, description, project_type, remote_path, status, config, "
        "created_at, updated_at, backend, local_path, extra_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(p.connectionId), sqlText(p.name), sqlText(p.description), sqlText(p.projectType),
                              sqlText(p.remotePath), sqlText(p.status), QVariant(jsonText(p.config)),
                              QVariant(isoUtc(p.createdAt)), QVariant(isoUtc(p.updatedAt)), sqlText(p.backend),
                              sqlText(p.localPath), QVariant(extraFilesText(p.extraFiles))}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot create project: %1").arg(sqlError(q)));
    }
    p.id = q.lastInsertId().toLongLong();
    q.finish();
    Q_EMIT m_events->projectsChanged();
    return p;
}

Result<Project> ProjectRepository::update(Project p)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    p.name = p.name.trimmed();
    if (Status s = p.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkConnection(p.connectionId); !s.ok()) {
        return s.error();
    }
    if (!p.localPath.isEmpty()) {
        // Checked when it changes: a project whose folder is gone for now can still be renamed.
        const auto before = get(p.id);
        if (!before.ok() || before->localPath != p.localPath) {
            if (Status s = Project::checkLocalPath(p.localPath); !s.ok()) {
                return s.error();
            }
        }
    }
    p.updatedAt = nowUtc();
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE projects SET connection_id = ?, name = ?, description = ?, project_type = ?, remote_path = ?, "
        "status = ?, config = ?, updated_at = ?, backend = ?, local_path = ?, extra_files = ? WHERE id = ?"));
    for (const QVariant &v :
         {QVariant(p.connectionId), sqlText(p.name), sqlText(p.description), sqlText(p.projectType),
          sqlText(p.remotePath), sqlText(p.status), QVariant(jsonText(p.config)), QVariant(isoUtc(p.updatedAt)),
          sqlText(p.backend), sqlText(p.localPath), QVariant(extraFilesText(p.extraFiles)), QVariant(p.id)}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot update project %1: %2").arg(p.id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no project with id %1").arg(p.id));
    }
    Q_EMIT m_events->projectsChanged();
    return p;
}

Status ProjectRepository::remove(qint64 id)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    // The project's jobs go with it (ON DELETE CASCADE).
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM projects WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot delete project %1: %2").arg(id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no project with id %1").arg(id));
    }
    Q_EMIT m_events->projectsChanged();
    Q_EMIT m_events->jobsChanged();
    return {};
}

} // namespace gpudeck
