#pragma once

#include "Result.h"

#include <QHash>
#include <QMutex>
#include <QRecursiveMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <memory>
#include <mutex>
#include <unordered_map>

class QThread;
struct sqlite3;
struct sqlite3_stmt;

namespace gpudeck {

// The SQLite database file. Qt Sql connections may only be used by the thread that opened them,
// so every thread that touches the database (GUI, API, later the workers) gets its own connection,
// opened lazily on first use. WAL mode lets those connections read concurrently while one writes;
// a busy timeout makes concurrent writers wait for each other instead of failing.
class Database
{
public:
    explicit Database(QString path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens the file on the calling thread and brings the schema up to date. Call once, first.
    Status open();

    QString path() const { return m_path; }

    // This thread's connection (opened on first use).
    QSqlDatabase connection();

    // A prepared statement for `sql` on this thread's connection, prepared once and reused.
    // Values bound on the previous use are replaced by the caller's addBindValue/bindValue.
    // The reference stays valid until releaseThread(); finish iterating it before preparing the same SQL again.
    QSqlQuery &prepared(const QString &sql);

    // The same statement as SQLite's own sqlite3_stmt on this thread's connection (the QSQLITE driver's handle),
    // prepared once and reused, for readers that write rows straight to bytes (store/RowJson.h). Reset and its
    // bindings cleared before it is handed out; nullptr (and `error` set) when it cannot be prepared. Valid until
    // releaseThread(); use it on this thread only, like every connection here.
    sqlite3_stmt *rawStatement(const QByteArray &sql, QString *error);

    // Closes the calling thread's connection. A thread that used the database calls this before it ends.
    void releaseThread();

    int schemaVersion();
    // This install's random instance id (12 hex digits, made with the database); empty before open().
    QString instanceId() const { return m_instanceId; }
    // The schema version the file had when open() found it, before migrating: 0 for a new database.
    int openedAtVersion() const { return m_openedAtVersion; }
    // The migration that made the instance id: a database opened below it existed before instance ids.
    static constexpr int kInstanceIdVersion = 6;
    static int latestSchemaVersion();

    // The store's write lock: one writer at a time in this process, from reading what it will change to telling
    // about the commit. Held by every repository write that emits StoreEvents (from before its first read to after
    // its last signal) and by ApiDispatch around each API action, whichever thread makes it; so no two in-process
    // writers interleave a read-modify-write (no lost update), and the change signals (and the EventHub events
    // published from them) go out in commit order. Recursive: an action's repository calls take it again. Never
    // wait for another thread while holding it (decision 137).
    [[nodiscard]] std::unique_lock<QRecursiveMutex> writeLock()
    {
        return std::unique_lock<QRecursiveMutex>(m_writeMutex);
    }

    // Runs `work` inside a transaction on this thread's connection; rolls back when it fails.
    template<typename Fn>
    Status transaction(Fn &&work)
    {
        QSqlDatabase db = connection();
        if (!db.transaction()) {
            return Error::internal(QStringLiteral("cannot begin a transaction"));
        }
        Status status = work();
        if (!status.ok()) {
            db.rollback();
            return status;
        }
        if (!db.commit()) {
            db.rollback();
            return Error::internal(QStringLiteral("cannot commit: the database is busy or read-only"));
        }
        return {};
    }

private:
    struct ThreadConnection
    {
        QString name;
        std::unordered_map<QString, std::unique_ptr<QSqlQuery>> statements;
        sqlite3 *handle = nullptr;
        QHash<QByteArray, sqlite3_stmt *> raw;
        ~ThreadConnection();
    };

    ThreadConnection &threadConnection();
    Status migrate();
    // SQLite's WAL hook on every connection (in place of its automatic checkpoint): past a number of frames the
    // checkpoint is asked of the store's own thread, so that a writer (an API action) never copies pages back into
    // the database file, nor waits for the fsync that ends it, inside its commit (decision 143).
    static int walHook(void *database, sqlite3 *handle, const char *name, int frames);
    void checkpointSoon(sqlite3 *handle);
    class Checkpointer;
    std::unique_ptr<Checkpointer> m_checkpointer;

    QString m_path;
    QString m_instanceId;
    int m_openedAtVersion = 0;
    quint64 m_instance;
    QMutex m_mutex;
    QRecursiveMutex m_writeMutex;
    QHash<QThread *, std::shared_ptr<ThreadConnection>> m_connections;
};

// The text of a failed query, for logs and internal errors (never contains bound values).
QString sqlError(const QSqlQuery &query);

} // namespace gpudeck
