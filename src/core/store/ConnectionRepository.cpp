#include "store/ConnectionRepository.h"

#include "store/Database.h"
#include "store/RowTables.h"
#include "store/SqlValues.h"
#include "store/StoreEvents.h"
#include "wol/MacAddress.h"

#include <QVariant>

namespace gpudeck {
namespace {

const QString kColumns =
    QStringLiteral("id, name, hostname, username, ssh_key_path, port, kind, auth_method, mac_address, is_active, "
                   "last_connected_at, created_at, updated_at, watch, wol_broadcast, wol_port, proxmox_token_id, "
                   "proxmox_api_port, proxmox_fingerprint, runpod_pod_id");

Connection fromRow(const QSqlQuery &q)
{
    Connection c;
    c.id = q.value(0).toLongLong();
    c.name = q.value(1).toString();
    c.hostname = q.value(2).toString();
    c.username = q.value(3).toString();
    c.sshKeyPath = q.value(4).toString();
    c.port = q.value(5).toInt();
    c.kind = q.value(6).toString();
    c.authMethod = q.value(7).toString();
    c.macAddress = MacAddress::canonical(q.value(8).toString()); // rows stored before the one spelling
    c.isActive = q.value(9).toBool();
    c.lastConnectedAt = parseIsoUtc(q.value(10).toString());
    c.createdAt = parseIsoUtc(q.value(11).toString());
    c.updatedAt = parseIsoUtc(q.value(12).toString());
    c.watch = q.value(13).toBool();
    c.wolBroadcast = q.value(14).toString();
    c.wolPort = q.value(15).toInt();
    c.proxmoxTokenId = q.value(16).toString();
    c.proxmoxApiPort = q.value(17).toInt();
    c.proxmoxFingerprint = q.value(18).toString();
    c.runpodPodId = q.value(19).toString();
    return c;
}

} // namespace

ConnectionRepository::ConnectionRepository(Database &db, StoreEvents *events)
    : m_db(db)
    , m_events(events)
{
}

void ConnectionRepository::releaseThreadConnection()
{
    m_db.releaseThread();
}

Result<QList<Connection>> ConnectionRepository::list()
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM connections ORDER BY name").arg(kColumns));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot list connections: %1").arg(sqlError(q)));
    }
    QList<Connection> out;
    while (q.next()) {
        out.append(fromRow(q));
    }
    q.finish();
    return out;
}

Result<QByteArray> ConnectionRepository::listJson()
{
    return RowJson::list(m_db, RowTables::connections(), "ORDER BY name", {});
}

Result<QByteArray> ConnectionRepository::findJson(const QString &key)
{
    bool numeric = false;
    const qint64 id = key.toLongLong(&numeric);
    if (numeric) {
        return RowJson::object(m_db, RowTables::connections(), "WHERE id = ?", {id},
                               Error::notFound(QStringLiteral("no connection with id %1").arg(id)));
    }
    return RowJson::object(m_db, RowTables::connections(), "WHERE name = ?", {key},
                           Error::notFound(QStringLiteral("no connection with id or name '%1'").arg(key)));
}

Result<Connection> ConnectionRepository::get(qint64 id)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM connections WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read connection %1: %2").arg(id).arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("no connection with id %1").arg(id));
    }
    Connection c = fromRow(q);
    q.finish();
    return c;
}

Result<Connection> ConnectionRepository::find(const QString &key)
{
    bool numeric = false;
    const qint64 id = key.toLongLong(&numeric);
    if (numeric) {
        return get(id);
    }
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM connections WHERE name = ?").arg(kColumns));
    q.addBindValue(key);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read connection: %1").arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("no connection with id or name '%1'").arg(key));
    }
    Connection c = fromRow(q);
    q.finish();
    return c;
}

Result<Connection> ConnectionRepository::findByRunPodPod(const QString &podId)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT %1 FROM connections WHERE runpod_pod_id = ?").arg(kColumns));
    q.addBindValue(podId);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot read connection: %1").arg(sqlError(q)));
    }
    if (!q.next()) {
        return Error::notFound(QStringLiteral("no connection made from pod '%1'").arg(podId));
    }
    Connection c = fromRow(q);
    q.finish();
    return c;
}

Status ConnectionRepository::checkNameFree(const Connection &connection)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT id FROM connections WHERE name = ? AND id <> ?"));
    q.addBindValue(connection.name);
    q.addBindValue(connection.id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot check the name: %1").arg(sqlError(q)));
    }
    const bool taken = q.next();
    q.finish();
    if (taken) {
        return Error::conflict(QStringLiteral("a connection named '%1' already exists").arg(connection.name));
    }
    return {};
}

Result<Connection> ConnectionRepository::create(Connection c)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    c.name = c.name.trimmed();
    c.hostname = c.hostname.trimmed();
    c.macAddress = MacAddress::canonical(c.macAddress); // one spelling per NIC (decision in docs/decisions.md)
    if (Status s = c.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkNameFree(c); !s.ok()) {
        return s.error();
    }
    c.createdAt = c.updatedAt = nowUtc();
    c.isActive = false;
    c.lastConnectedAt = {};
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO connections (name, hostname, username, ssh_key_path, port, kind, auth_method, mac_address, "
        "is_active, created_at, updated_at, watch, wol_broadcast, wol_port, proxmox_token_id, proxmox_api_port, "
        "proxmox_fingerprint, runpod_pod_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v :
         {sqlText(c.name), sqlText(c.hostname), sqlText(c.username), sqlNullableText(c.sshKeyPath), QVariant(c.port),
          sqlText(c.kind), sqlText(c.authMethod), sqlNullableText(c.macAddress), QVariant(isoUtc(c.createdAt)),
          QVariant(isoUtc(c.updatedAt)), QVariant(c.watch ? 1 : 0), sqlNullableText(c.wolBroadcast),
          QVariant(c.wolPort), sqlNullableText(c.proxmoxTokenId), QVariant(c.proxmoxApiPort),
          sqlNullableText(c.proxmoxFingerprint), sqlNullableText(c.runpodPodId)}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        // A concurrent insert of the same name loses the race here rather than in checkNameFree.
        if (sqlError(q).contains(QStringLiteral("runpod_pod"))) {
            return Error::conflict(QStringLiteral("pod %1 already has a connection").arg(c.runpodPodId));
        }
        if (sqlError(q).contains(QStringLiteral("UNIQUE"))) {
            return Error::conflict(QStringLiteral("a connection named '%1' already exists").arg(c.name));
        }
        return Error::internal(QStringLiteral("cannot create connection '%1': %2").arg(c.name, sqlError(q)));
    }
    c.id = q.lastInsertId().toLongLong();
    q.finish();
    Q_EMIT m_events->connectionsChanged();
    return c;
}

Result<Connection> ConnectionRepository::update(Connection c)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    c.name = c.name.trimmed();
    c.hostname = c.hostname.trimmed();
    c.macAddress = MacAddress::canonical(c.macAddress); // one spelling per NIC (decision in docs/decisions.md)
    if (Status s = c.validate(); !s.ok()) {
        return s.error();
    }
    if (Status s = checkNameFree(c); !s.ok()) {
        return s.error();
    }
    c.updatedAt = nowUtc();
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE connections SET name = ?, hostname = ?, username = ?, ssh_key_path = ?, port = ?, kind = ?, "
        "auth_method = ?, mac_address = ?, updated_at = ?, watch = ?, wol_broadcast = ?, wol_port = ?, "
        "proxmox_token_id = ?, proxmox_api_port = ? WHERE id = ?"));
    // proxmox_fingerprint is not written here: only setProxmoxFingerprint (the trust flow) changes it.
    for (const QVariant &v :
         {sqlText(c.name), sqlText(c.hostname), sqlText(c.username), sqlNullableText(c.sshKeyPath), QVariant(c.port),
          sqlText(c.kind), sqlText(c.authMethod), sqlNullableText(c.macAddress), QVariant(isoUtc(c.updatedAt)),
          QVariant(c.watch ? 1 : 0), sqlNullableText(c.wolBroadcast), QVariant(c.wolPort),
          sqlNullableText(c.proxmoxTokenId), QVariant(c.proxmoxApiPort), QVariant(c.id)}) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        if (sqlError(q).contains(QStringLiteral("UNIQUE"))) {
            return Error::conflict(QStringLiteral("a connection named '%1' already exists").arg(c.name));
        }
        return Error::internal(QStringLiteral("cannot update connection %1: %2").arg(c.id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no connection with id %1").arg(c.id));
    }
    Q_EMIT m_events->connectionsChanged();
    return get(c.id);
}

Error ConnectionRepository::stillHasProjects(qint64 id, int projects)
{
    return Error::conflict(QStringLiteral("connection %1 still has %2 project(s); delete them first or pass "
                                          "force=true to delete them with it")
                               .arg(id)
                               .arg(projects));
}

Status ConnectionRepository::remove(qint64 id, bool force)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    QSqlQuery &count = m_db.prepared(QStringLiteral("SELECT COUNT(*) FROM projects WHERE connection_id = ?"));
    count.addBindValue(id);
    if (!count.exec() || !count.next()) {
        return Error::internal(QStringLiteral("cannot count projects: %1").arg(sqlError(count)));
    }
    const int projects = count.value(0).toInt();
    count.finish();
    if (projects > 0 && !force) {
        return stillHasProjects(id, projects);
    }
    // Projects, their jobs and the connection's metrics go with it (ON DELETE CASCADE).
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM connections WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot delete connection %1: %2").arg(id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no connection with id %1").arg(id));
    }
    Q_EMIT m_events->connectionsChanged();
    if (projects > 0) {
        Q_EMIT m_events->projectsChanged();
        Q_EMIT m_events->jobsChanged();
    }
    return {};
}

Status ConnectionRepository::setActive(qint64 id, bool active)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE connections SET is_active = ?, last_connected_at = CASE WHEN ? THEN ? ELSE last_connected_at END "
        "WHERE id = ?"));
    q.addBindValue(active ? 1 : 0);
    q.addBindValue(active ? 1 : 0);
    q.addBindValue(isoUtc(nowUtc()));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot update connection %1: %2").arg(id).arg(sqlError(q)));
    }
    q.finish();
    Q_EMIT m_events->connectionsChanged();
    return {};
}

} // namespace gpudeck

namespace gpudeck {

Status ConnectionRepository::setProxmoxFingerprint(qint64 id, const QString &fingerprint)
{
    const auto writing = m_db.writeLock(); // through the signals below: events in commit order
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("UPDATE connections SET proxmox_fingerprint = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(sqlNullableText(fingerprint));
    q.addBindValue(isoUtc(nowUtc()));
    q.addBindValue(id);
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot update connection %1: %2").arg(id).arg(sqlError(q)));
    }
    const int changed = q.numRowsAffected();
    q.finish();
    if (changed == 0) {
        return Error::notFound(QStringLiteral("no connection with id %1").arg(id));
    }
    Q_EMIT m_events->connectionsChanged();
    return {};
}

Status ConnectionRepository::resetActive()
{
    const auto writing = m_db.writeLock();
    QSqlQuery &q = m_db.prepared(QStringLiteral("UPDATE connections SET is_active = 0 WHERE is_active <> 0"));
    if (!q.exec()) {
        return Error::internal(QStringLiteral("cannot reset connection states: %1").arg(sqlError(q)));
    }
    q.finish();
    return {};
}

} // namespace gpudeck
