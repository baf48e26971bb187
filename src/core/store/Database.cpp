#include "store/Database.h"

#include "base/WorkerThread.h"
#include "logging/Logging.h"
#include "store/Migrations.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <atomic>
#include <sqlite3.h>

namespace gpudeck {
namespace {
std::atomic<quint64> s_nextInstance{1};

// The WAL's length, in frames (pages written), past which it is checkpointed. SQLite's automatic checkpoint runs at
// 1,000; a checkpoint copies each page once however often it was written since the last, so a longer WAL costs less
// per commit when writes keep touching the same pages (a job's row, the audit log's last page). 4,000 frames of
// 4 KiB: a WAL of up to 16 MiB (decision 143).
constexpr int kCheckpointFrames = 4000;

// PASSIVE: copies what no reader still needs, never waits for a reader or blocks a writer.
void checkpointPassive(sqlite3 *handle)
{
    sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}
} // namespace

QString sqlError(const QSqlQuery &query)
{
    return query.lastError().text();
}

Database::ThreadConnection::~ThreadConnection()
{
    // Finalised before the connection closes: SQLite refuses to close a connection with live statements.
    for (sqlite3_stmt *statement : std::as_const(raw)) {
        sqlite3_finalize(statement);
    }
}

// The thread that checkpoints the WAL (walHook): one connection of its own, one checkpoint at a time, asked again
// only after the last one ran.
class Database::Checkpointer
{
public:
    explicit Checkpointer(Database &db)
        : m_db(db)
    {
        m_thread.setBackground(2); // behind the window's and the API's threads
        m_thread.start([] { return new QObject; });
    }
    ~Checkpointer()
    {
        m_thread.stop([this](QObject *) { m_db.releaseThread(); });
    }

    // False when the thread is not running (the caller checkpoints itself).
    bool ask()
    {
        if (m_pending.exchange(true)) {
            return true; // asked already, not run yet
        }
        const bool queued = m_thread.post([this](QObject *) {
            m_pending = false;
            const ThreadConnection &tc = m_db.threadConnection();
            if (tc.handle) {
                run(tc.handle);
            }
        });
        if (!queued) {
            m_pending = false;
        }
        return queued;
    }

    // Checkpoints on `handle` now, after the one running (if any) has ended: two at once would leave the second
    // with nothing done (SQLite lets one run at a time and a PASSIVE one does not wait).
    void run(sqlite3 *handle)
    {
        QMutexLocker lock(&m_running);
        checkpointPassive(handle);
    }

private:
    Database &m_db;
    QMutex m_running;
    std::atomic<bool> m_pending = false;
    WorkerThread<QObject> m_thread{QStringLiteral("gpudeck-store")};
};

Database::Database(QString path)
    : m_path(std::move(path))
    , m_instance(s_nextInstance++)
{
}

int Database::walHook(void *database, sqlite3 *handle, const char *, int frames)
{
    if (frames >= 3 * kCheckpointFrames) {
        // The store's thread has not caught up: writers that never pause leave it no moment at which every frame
        // is copied back, and the WAL starts over only then. As SQLite's automatic checkpoint would, the writer
        // checkpoints itself (after the store thread's checkpoint, if one is running), while it appends nothing:
        // the WAL stays bounded (about 48 MiB) however hard it is written.
        auto *db = static_cast<Database *>(database);
        if (db->m_checkpointer) {
            db->m_checkpointer->run(handle);
        } else {
            checkpointPassive(handle);
        }
    } else if (frames >= kCheckpointFrames) {
        static_cast<Database *>(database)->checkpointSoon(handle);
    }
    return SQLITE_OK;
}

void Database::checkpointSoon(sqlite3 *handle)
{
    Checkpointer *checkpointer = m_checkpointer.get();
    if (!checkpointer || !checkpointer->ask()) {
        // No store thread (before open() finished, after the destructor began): as SQLite's own automatic
        // checkpoint does, on the committing connection.
        checkpointPassive(handle);
    }
}

Database::~Database()
{
    m_checkpointer.reset(); // its thread lets go of its connection first
    QMutexLocker lock(&m_mutex);
    for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
        const QString name = (*it)->name;
        (*it)->statements.clear();
        for (sqlite3_stmt *statement : std::as_const((*it)->raw)) {
            sqlite3_finalize(statement);
        }
        (*it)->raw.clear();
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
}

Database::ThreadConnection &Database::threadConnection()
{
    QThread *thread = QThread::currentThread();
    QMutexLocker lock(&m_mutex);
    auto it = m_connections.find(thread);
    if (it != m_connections.end()) {
        return **it;
    }
    auto tc = std::make_shared<ThreadConnection>();
    tc->name = QStringLiteral("gpudeck-%1-%2").arg(m_instance).arg(reinterpret_cast<quintptr>(thread), 0, 16);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), tc->name);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        qCCritical(lcStore) << "cannot open database" << m_path << db.lastError().text();
    } else {
        QSqlQuery pragma(db);
        // WAL: readers never block the writer; NORMAL sync is durable across application crashes in WAL mode.
        for (const char *sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (!pragma.exec(QString::fromLatin1(sql))) {
                qCWarning(lcStore) << sql << "failed:" << sqlError(pragma);
            }
        }
        const QVariant handle = db.driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0) {
            tc->handle = *static_cast<sqlite3 *const *>(handle.constData());
            sqlite3_wal_hook(tc->handle, &Database::walHook, this); // replaces SQLite's automatic checkpoint
        }
    }
    return **m_connections.insert(thread, std::move(tc));
}

QSqlDatabase Database::connection()
{
    return QSqlDatabase::database(threadConnection().name, false);
}

QSqlQuery &Database::prepared(const QString &sql)
{
    ThreadConnection &tc = threadConnection();
    auto it = tc.statements.find(sql);
    if (it == tc.statements.end()) {
        auto query = std::make_unique<QSqlQuery>(QSqlDatabase::database(tc.name, false));
        // Rows are read once, front to back: no need for Qt to cache them for scrolling back.
        query->setForwardOnly(true);
        if (!query->prepare(sql)) {
            // Kept anyway: exec() on it fails with the same error, which callers report.
            qCCritical(lcStore) << "cannot prepare" << sql << sqlError(*query);
        }
        it = tc.statements.emplace(sql, std::move(query)).first;
    }
    it->second->finish();
    return *it->second;
}

sqlite3_stmt *Database::rawStatement(const QByteArray &sql, QString *error)
{
    ThreadConnection &tc = threadConnection();
    if (sqlite3_stmt *statement = tc.raw.value(sql)) {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        return statement;
    }
    if (!tc.handle) {
        *error = QStringLiteral("the database connection is not open");
        return nullptr;
    }
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(tc.handle, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(tc.handle));
        sqlite3_finalize(statement);
        return nullptr;
    }
    tc.raw.insert(sql, statement);
    return statement;
}

void Database::releaseThread()
{
    QMutexLocker lock(&m_mutex);
    auto it = m_connections.find(QThread::currentThread());
    if (it == m_connections.end()) {
        return;
    }
    const QString name = (*it)->name;
    (*it)->statements.clear();
    for (sqlite3_stmt *statement : std::as_const((*it)->raw)) {
        sqlite3_finalize(statement);
    }
    (*it)->raw.clear();
    m_connections.erase(it);
    QSqlDatabase::database(name, false).close();
    QSqlDatabase::removeDatabase(name);
}

Status Database::open()
{
    QSqlDatabase db = connection();
    if (!db.isOpen()) {
        return Error::internal(QStringLiteral("cannot open the database %1: %2").arg(m_path, db.lastError().text()));
    }
    if (Status s = migrate(); !s.ok()) {
        return s;
    }
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT instance_id FROM instance WHERE id = 1")) || !q.next() ||
        q.value(0).toString().size() != 12) {
        return Error::internal(QStringLiteral("the database %1 has no valid instance id").arg(m_path));
    }
    m_instanceId = q.value(0).toString();
    if (!m_checkpointer) {
        m_checkpointer = std::make_unique<Checkpointer>(*this);
    }
    return {};
}

int Database::schemaVersion()
{
    QSqlQuery q(connection());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        return -1;
    }
    return q.value(0).toInt();
}

int Database::latestSchemaVersion()
{
    return static_cast<int>(migrations().size());
}

Status Database::migrate()
{
    const int from = schemaVersion();
    if (from < 0) {
        return Error::internal(QStringLiteral("cannot read the schema version of %1").arg(m_path));
    }
    m_openedAtVersion = from;
    const auto &steps = migrations();
    if (from > static_cast<int>(steps.size())) {
        return Error::internal(QStringLiteral("the database %1 has schema version %2, newer than this GPU Deck (%3); "
                                              "use a newer GPU Deck or another --data-dir")
                                   .arg(m_path)
                                   .arg(from)
                                   .arg(steps.size()));
    }
    for (int version = from + 1; version <= static_cast<int>(steps.size()); ++version) {
        Status status = transaction([&]() -> Status {
            QSqlQuery q(connection());
            for (const QString &statement : steps.at(version - 1)) {
                if (!q.exec(statement)) {
                    return Error::internal(
                        QStringLiteral("migration to schema %1 failed: %2").arg(version).arg(sqlError(q)));
                }
            }
            if (const MigrationCode code = migrationCode(version)) {
                QSqlDatabase db = connection();
                if (Status s = code(db); !s.ok()) {
                    return Error::internal(
                        QStringLiteral("migration to schema %1 failed: %2").arg(version).arg(s.error().message));
                }
            }
            if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version))) {
                return Error::internal(QStringLiteral("cannot record schema version %1").arg(version));
            }
            return {};
        });
        if (!status.ok()) {
            return status;
        }
        qCInfo(lcStore) << "database schema migrated to version" << version;
    }
    return {};
}

} // namespace gpudeck
