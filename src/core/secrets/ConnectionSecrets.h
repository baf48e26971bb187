#pragma once

#include "Result.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QString>
#include <functional>

namespace gpudeck {

class Database;
class SecretStore;

// ProxmoxTokenSecret: the secret of a `proxmox` connection's API token (proxmox_token_id).
// WolPassword: the SecureOn password of the host's NIC (6 bytes, stored as 00:11:22:33:44:55), sent in its
// Wake-on-LAN magic packet.
enum class SecretKind { Password, KeyPassphrase, ProxmoxTokenSecret, WolPassword };

// The secrets of this install's connections (passwords, key passphrases) in a SecretStore: the one door for
// naming, writing, reading and removing them (the SSH login, the credentials route, the connection dialog and
// ConnectionService::remove all come here).
//
// Every entry is scoped by the instance id (Database::instanceId(), made with the database) and the connection
// id: `instance/<instance id>/connection/<id>/password`. Connection ids are never reused within one database
// (AUTOINCREMENT), and a new or reset database has a new instance id, so a connection only ever reads what it
// stored itself, and removing a connection's secrets never touches another install's. Before the database is
// open (no instance id) every call fails instead of guessing a name.
//
// Upgrade: GPU Deck before instance ids named entries `connection/<id>/password`, shared by every data dir. A
// database that existed before instance ids (opened at a schema below Database::kInstanceIdVersion) lists its
// connections once with allowLegacyAdoption(); each of them may then adopt its old entry once: the first read
// that finds no new entry reads the old one, writes it under the new name and removes the old one. A fresh or
// reset database never lists anything, so it never reads an old entry. Writing or removing a connection's secret
// ends its adoption (the user's newer word wins); a deleted connection's old entry is left alone (another install
// of the old naming may still use it).
//
// Callbacks run on the calling thread's event loop (like SecretStore's). Thread-safe; created on the main thread,
// which keeps the adoption list in the database (worker threads never open a database connection for it).
class ConnectionSecrets : public QObject
{
    Q_OBJECT
public:
    ConnectionSecrets(SecretStore &store, Database &db, QObject *parent = nullptr);

    // The one function that names a connection's secret.
    static QString key(const QString &instanceId, qint64 connectionId, SecretKind kind);
    static QString kindName(SecretKind kind); // "password", "key passphrase", ... (for messages)

    void read(qint64 connectionId, SecretKind kind, std::function<void(Result<QString>)> done);
    void write(qint64 connectionId, SecretKind kind, const QString &secret, std::function<void(Status)> done);
    // Removing what is not there succeeds.
    void remove(qint64 connectionId, SecretKind kind, std::function<void(Status)> done);
    // Every kind; `done` gets the first failure, if any.
    void removeAll(qint64 connectionId, std::function<void(Status)> done);

    // Worker threads only (see SecretStore): waits for read() at most `timeoutMs`.
    Result<QString> readBlocking(qint64 connectionId, SecretKind kind, int timeoutMs = 10000);

    // After the database is open (main thread): loads the connections that may still adopt their old entries,
    // adds `newlyAllowed` (every connection of a database that existed before instance ids, at its first open by
    // this version; empty otherwise), stores the list and starts adopting now rather than at first use. An
    // adoption the keychain cannot do now (locked, not running) stays on the list for a later read.
    Status startAdoption(const QList<qint64> &newlyAllowed);
    // The old name of a connection's secret, before instance ids. Only adoption reads it (and tests write it).
    static QString legacyKey(qint64 connectionId, SecretKind kind);

private:
    Result<QString> keyFor(qint64 connectionId, SecretKind kind) const;
    bool adoptionPending(qint64 connectionId, SecretKind kind) const;
    void endAdoption(qint64 connectionId, SecretKind kind);
    void storePending(); // main thread
    void adopt(qint64 connectionId, SecretKind kind, const QString &key, Error notFound,
               std::function<void(Result<QString>)> done);

    SecretStore &m_store;
    Database &m_db;
    mutable QMutex m_mutex;
    QSet<QString> m_pending; // "<connection id>/<kind>" that may still adopt an old entry
};

} // namespace gpudeck
