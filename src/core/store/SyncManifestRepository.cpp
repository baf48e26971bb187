#include "store/SyncManifestRepository.h"

#include "store/Database.h"
#include "store/Entities.h"

#include <QVariant>

namespace gpudeck {

SyncManifestRepository::SyncManifestRepository(Database &db)
    : m_db(db)
{
}

Result<QHash<QString, ManifestEntry>> SyncManifestRepository::load(qint64 projectId, qint64 connectionId,
                                                                   const QString &remotePath)
{
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT path, kind, size, mtime_ns, mode, hash, remote_mtime FROM sync_manifest WHERE "
                       "project_id = ? AND connection_id = ? AND remote_path = ?"));
    q.addBindValue(projectId);
    q.addBindValue(connectionId);
    q.addBindValue(remotePath);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read the sync manifest"));
    }
    QHash<QString, ManifestEntry> out;
    while (q.next()) {
        ManifestEntry e;
        e.path = q.value(0).toString();
        e.kind = q.value(1).toString();
        e.size = q.value(2).toLongLong();
        e.mtimeNs = q.value(3).toLongLong();
        e.mode = q.value(4).toInt();
        e.hash = q.value(5).toString();
        e.remoteMtime = q.value(6).toLongLong();
        out.insert(e.path, e);
    }
    q.finish();
    return out;
}

Result<QString> SyncManifestRepository::marker(qint64 projectId, qint64 connectionId, const QString &remotePath)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "SELECT marker FROM sync_targets WHERE project_id = ? AND connection_id = ? AND remote_path = ?"));
    q.addBindValue(projectId);
    q.addBindValue(connectionId);
    q.addBindValue(remotePath);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read the sync marker"));
    }
    const QString marker = q.next() ? q.value(0).toString() : QString();
    q.finish();
    return marker;
}

Status SyncManifestRepository::save(qint64 projectId, qint64 connectionId, const QString &remotePath,
                                    const QList<ManifestEntry> &entries, const QStringList &removed,
                                    const QString &marker)
{
    return m_db.transaction([&]() -> Status {
        QSqlQuery &up = m_db.prepared(QStringLiteral(
            "INSERT OR REPLACE INTO sync_manifest (project_id, connection_id, remote_path, path, kind, size, mtime_ns, "
            "mode, hash, remote_mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const ManifestEntry &e : entries) {
            for (const QVariant &v :
                 {QVariant(projectId), QVariant(connectionId), QVariant(remotePath), QVariant(e.path), QVariant(e.kind),
                  QVariant(e.size), QVariant(e.mtimeNs), QVariant(e.mode),
                  QVariant(e.hash.isNull() ? QString(QLatin1String("")) : e.hash), QVariant(e.remoteMtime)}) {
                up.addBindValue(v);
            }
            if (!up.exec()) {
                return Error::internal(QStringLiteral("cannot write the sync manifest"));
            }
        }
        up.finish();
        QSqlQuery &del = m_db.prepared(QStringLiteral(
            "DELETE FROM sync_manifest WHERE project_id = ? AND connection_id = ? AND remote_path = ? AND path = ?"));
        for (const QString &path : removed) {
            for (const QVariant &v :
                 {QVariant(projectId), QVariant(connectionId), QVariant(remotePath), QVariant(path)}) {
                del.addBindValue(v);
            }
            if (!del.exec()) {
                return Error::internal(QStringLiteral("cannot write the sync manifest"));
            }
        }
        del.finish();
        QSqlQuery &t = m_db.prepared(
            QStringLiteral("INSERT OR REPLACE INTO sync_targets (project_id, connection_id, remote_path, marker, "
                           "synced_at) VALUES (?, ?, ?, ?, ?)"));
        for (const QVariant &v : {QVariant(projectId), QVariant(connectionId), QVariant(remotePath), QVariant(marker),
                                  QVariant(isoUtc(nowUtc()))}) {
            t.addBindValue(v);
        }
        if (!t.exec()) {
            return Error::internal(QStringLiteral("cannot write the sync marker"));
        }
        t.finish();
        return {};
    });
}

} // namespace gpudeck
