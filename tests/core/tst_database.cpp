#include "store/Database.h"
#include "store/Migrations.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace gpudeck;

class TestDatabase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshDatabaseHasLatestSchema()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("a.sqlite3")));
        QVERIFY(db.open().ok());
        QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        for (const char *table : {"connections", "projects", "training_jobs", "gpu_metric_chunks"}) {
            QVERIFY2(q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))), table);
        }
        // The indexes the API's filters use exist.
        QVERIFY(q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")));
        QStringList indexes;
        while (q.next()) {
            indexes << q.value(0).toString();
        }
        QVERIFY(indexes.contains(QStringLiteral("idx_projects_connection")));
        QVERIFY(indexes.contains(QStringLiteral("idx_jobs_project")));
        QVERIFY(indexes.contains(QStringLiteral("idx_jobs_status")));
        QVERIFY(indexes.contains(QStringLiteral("idx_exec_log_connection")));
        // Metric history reads one host over a time range: its clustered key must serve that directly.
        for (const char *table : {"gpu_metric_chunks", "gpu_metrics_1m", "gpu_metrics_1h"}) {
            const QString time = QLatin1String(table) == QLatin1String("gpu_metric_chunks") ? QStringLiteral("minute")
                                                                                            : QStringLiteral("bucket");
            QVERIFY(q.exec(
                QStringLiteral("EXPLAIN QUERY PLAN SELECT * FROM %1 WHERE connection_id = 1 AND %2 >= 0 AND %2 < 10")
                    .arg(QLatin1String(table), time)));
            QString plan;
            while (q.next()) {
                plan += q.value(3).toString() + QLatin1Char(' ');
            }
            QVERIFY2(plan.contains(QStringLiteral("PRIMARY KEY")) && plan.contains(QStringLiteral("connection_id=?")),
                     qPrintable(plan));
        }
    }

    void reopeningDoesNotMigrateAgain()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.sqlite3"));
        {
            Database db(path);
            QVERIFY(db.open().ok());
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (name, hostname, created_at, updated_at) "
                                          "VALUES ('keep-me', '203.0.113.10', 'x', 'x')")));
        }
        Database db(path);
        QVERIFY(db.open().ok());
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("SELECT name FROM connections")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("keep-me"));
    }

    void upgradesADatabaseFromSchemaOne()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite3"));
        {
            // Build the database exactly as the first release did: schema 1 only, with data in it.
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            old.setDatabaseName(path);
            QVERIFY(old.open());
            QSqlQuery q(old);
            for (const QString &statement : migrations().at(0)) {
                QVERIFY2(q.exec(statement), qPrintable(statement));
            }
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (name, hostname, username, ssh_key_path, port, "
                                          "created_at, updated_at) VALUES ('spark-1', '203.0.113.10', 'me', "
                                          "'/home/me/.ssh/id_ed25519', 2222, 't', 't')")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (name, hostname, created_at, updated_at) "
                                          "VALUES ('spark-2', '203.0.113.11', 't', 't')")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO projects (connection_id, name, created_at, updated_at) "
                                          "VALUES (1, 'llm', 't', 't')")));
            q.finish();
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));

        Database db(path);
        QVERIFY(db.open().ok());
        QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
        QSqlQuery q(db.connection());
        QVERIFY(
            q.exec(QStringLiteral("SELECT name, port, kind, auth_method, mac_address FROM connections ORDER BY id")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("spark-1"));
        QCOMPARE(q.value(1).toInt(), 2222);
        QCOMPARE(q.value(2).toString(), QStringLiteral("generic"));
        QCOMPARE(q.value(3).toString(), QStringLiteral("key")); // had a key path
        QVERIFY(q.value(4).isNull());
        QVERIFY(q.next());
        QCOMPARE(q.value(3).toString(), QStringLiteral("agent"));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM projects")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void refusesADatabaseFromTheFuture()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("new.sqlite3"));
        {
            Database db(path);
            QVERIFY(db.open().ok());
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        Database db(path);
        const Status s = db.open();
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("newer")));
    }

    void eachThreadGetsItsOwnConnection()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("a.sqlite3")));
        QVERIFY(db.open().ok());
        const QString mainName = db.connection().connectionName();

        std::atomic<int> ok{0};
        QString workerName;
        QThread *worker = QThread::create([&] {
            workerName = db.connection().connectionName();
            for (int i = 0; i < 100; ++i) {
                QSqlQuery &q = db.prepared(QStringLiteral("SELECT COUNT(*) FROM connections"));
                if (q.exec() && q.next()) {
                    ++ok;
                }
                q.finish();
            }
            db.releaseThread();
        });
        worker->start();
        // Write from this thread while the worker reads: WAL lets both proceed.
        for (int i = 0; i < 20; ++i) {
            QSqlQuery &w = db.prepared(QStringLiteral(
                "INSERT INTO connections (name, hostname, created_at, updated_at) VALUES (?, 'h', 't', 't')"));
            w.addBindValue(QStringLiteral("c%1").arg(i));
            QVERIFY(w.exec());
        }
        QVERIFY(worker->wait(10000));
        delete worker;
        QCOMPARE(ok.load(), 100);
        QVERIFY(workerName != mainName);
    }

    void theWalStaysBoundedUnderSustainedWrites()
    {
        // Writers leave the checkpoint to the store's own thread (decision 143), and take it on themselves only when
        // that thread cannot catch up. Either way the WAL is copied back into the database file (which grows while
        // this thread only commits) and starts over: it never holds all of a long run of commits.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.sqlite3"));
        Database db(path);
        QVERIFY(db.open().ok());
        QSqlQuery create(db.connection());
        QVERIFY(create.exec(QStringLiteral("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)")));
        const qint64 mainBefore = QFileInfo(path).size();
        const QByteArray page(4000, 'x'); // about one page a row
        qint64 walMax = 0;
        for (int i = 0; i < 12000; ++i) {
            QSqlQuery &w = db.prepared(QStringLiteral("INSERT INTO filler (data) VALUES (?)"));
            w.addBindValue(page);
            QVERIFY(w.exec());
            walMax = qMax(walMax, QFileInfo(path + QStringLiteral("-wal")).size());
        }
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > mainBefore + 20 * 1024 * 1024, 30000);
        // 12,000 commits of about two 4 KiB frames each (about 98 MB); the WAL is started over by 12,000 frames.
        QVERIFY2(walMax < 56 * 1024 * 1024, qPrintable(QString::number(walMax)));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
