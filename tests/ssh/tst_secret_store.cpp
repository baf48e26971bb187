#include "Keyring.h"
#include "app/Core.h"
#include "connections/ConnectionService.h"
#include "secrets/ConnectionSecrets.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/MemorySecretStore.h"
#include "store/Migrations.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cstdio>
#include <memory>

using namespace gpudeck;
using gpudeck::test::Keyring;

// SecretStore against the real Secret Service: a private gnome-keyring on the session bus of
// dbus-run-session (tests/support/Keyring). The "unavailable" cases run this binary again in a child process
// whose session bus is missing, or has no Secret Service, and check the error it reports.
class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void keys();
    void memoryStore();
    void memoryStoreAnswersLater();

    void keychainRoundTrip();
    void keychainSecretsAreExact_data();
    void keychainSecretsAreExact();
    void keychainAnswersOnTheCallingThread();
    void keychainBlockingFromWorkerThreads();
    void keychainServicesAreSeparate();

    void installsNeverShareASecret();
    void anUpgradedDatabaseAdoptsItsOldEntriesOnce();

    void unavailableWithoutSessionBus();
    void unavailableWithoutSecretService();

private:
    struct ProbeResult
    {
        QString write;
        QString read;
        QString output;
    };
    ProbeResult runProbe(const QString &busAddress);
    // A real Core on `dir` whose secrets go to this test's keychain service.
    std::unique_ptr<Core> openCore(const QString &dir);

    std::unique_ptr<Keyring> m_keyring;
    QString m_keyringProblem;
    QString m_service;
};

namespace {

// Keys are opaque to a SecretStore; these look like the ones ConnectionSecrets makes.
QString passwordKey(int n)
{
    return QStringLiteral("instance/0123456789ab/connection/%1/password").arg(n);
}

QString passphraseKey(int n)
{
    return QStringLiteral("instance/0123456789ab/connection/%1/key-passphrase").arg(n);
}

QString describe(const Status &s)
{
    return s.ok() ? QStringLiteral("ok") : s.error().message;
}

QString describe(const Result<QString> &r)
{
    return r.ok() ? QStringLiteral("ok") : r.error().message;
}

// Write, read, overwrite, remove, read-missing, remove-missing: the same contract for every store.
void exerciseStore(SecretStore &store, const QString &key)
{
    Status written = store.writeBlocking(key, QStringLiteral("first secret"));
    QVERIFY2(written.ok(), qPrintable(describe(written)));
    Result<QString> read = store.readBlocking(key);
    QVERIFY2(read.ok(), qPrintable(describe(read)));
    QCOMPARE(read.value(), QStringLiteral("first secret"));

    written = store.writeBlocking(key, QStringLiteral("second secret"));
    QVERIFY2(written.ok(), qPrintable(describe(written)));
    read = store.readBlocking(key);
    QVERIFY2(read.ok(), qPrintable(describe(read)));
    QCOMPARE(read.value(), QStringLiteral("second secret"));

    Status removed = store.removeBlocking(key);
    QVERIFY2(removed.ok(), qPrintable(describe(removed)));
    read = store.readBlocking(key);
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, ErrorCode::NotFound);
    QVERIFY2(read.error().message.contains(key), qPrintable(read.error().message));
    QVERIFY(!read.error().message.contains(QLatin1String("secret secret")));

    removed = store.removeBlocking(key); // already gone: still fine
    QVERIFY2(removed.ok(), qPrintable(describe(removed)));
}

} // namespace

void TestSecretStore::initTestCase()
{
    m_service = QStringLiteral("gpudeck-test-%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    m_keyring = std::make_unique<Keyring>();
    if (!m_keyring->start(&m_keyringProblem)) {
        qWarning("keychain tests will be skipped: %s", qPrintable(m_keyringProblem));
    }
}

void TestSecretStore::cleanupTestCase()
{
    m_keyring.reset();
}

void TestSecretStore::keys()
{
    QCOMPARE(ConnectionSecrets::key(QStringLiteral("0123456789ab"), 42, SecretKind::Password),
             QStringLiteral("instance/0123456789ab/connection/42/password"));
    QCOMPARE(ConnectionSecrets::key(QStringLiteral("0123456789ab"), 42, SecretKind::KeyPassphrase),
             QStringLiteral("instance/0123456789ab/connection/42/key-passphrase"));
    QCOMPARE(ConnectionSecrets::legacyKey(42, SecretKind::Password), QStringLiteral("connection/42/password"));
}

void TestSecretStore::memoryStore()
{
    MemorySecretStore store;
    exerciseStore(store, passwordKey(1));
    QCOMPARE(store.size(), 0);
}

void TestSecretStore::memoryStoreAnswersLater()
{
    MemorySecretStore store;
    bool answered = false;
    store.write(QStringLiteral("k"), QStringLiteral("v"), [&](Status s) {
        QVERIFY(s.ok());
        answered = true;
    });
    QVERIFY(!answered); // never synchronously inside the call
    QTRY_VERIFY(answered);
}

void TestSecretStore::keychainRoundTrip()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore store(m_service);
    QCOMPARE(store.service(), m_service);

    // The secret really lands in the Secret Service: another client (secret-tool) finds it there.
    const QString secretTool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
    if (!secretTool.isEmpty()) {
        const QString key = passwordKey(6);
        QVERIFY(store.writeBlocking(key, QStringLiteral("seen by secret-tool")).ok());
        QProcess lookup;
        lookup.start(secretTool,
                     {QStringLiteral("lookup"), QStringLiteral("server"), m_service, QStringLiteral("user"), key});
        QVERIFY(lookup.waitForFinished(10000));
        QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()), QStringLiteral("seen by secret-tool"));
        QVERIFY(store.removeBlocking(key).ok());
    }

    exerciseStore(store, passwordKey(7));
    if (QTest::currentTestFailed()) {
        return;
    }
    exerciseStore(store, passphraseKey(7));
}

void TestSecretStore::keychainSecretsAreExact_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("unicode") << QStringLiteral("pässwörd ✓ 密码 🔑 Ωμέγα");
    QTest::newRow("quotes and escapes") << QStringLiteral("\"double\" 'single' \\back\\slash $HOME `tick` %s %1");
    QTest::newRow("whitespace") << QStringLiteral("  leading and trailing  \ttab\nnewline\n");
    QTest::newRow("long") << QString(4096, QLatin1Char('x'));
    QTest::newRow("empty") << QString();
}

void TestSecretStore::keychainSecretsAreExact()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    QFETCH(QString, secret);
    KeychainSecretStore store(m_service);
    const QString key = QStringLiteral("connection/8/password");
    const Status written = store.writeBlocking(key, secret);
    QVERIFY2(written.ok(), qPrintable(describe(written)));
    const Result<QString> read = store.readBlocking(key);
    QVERIFY2(read.ok(), qPrintable(describe(read)));
    QCOMPARE(read.value(), secret);
    QVERIFY(store.removeBlocking(key).ok());
}

void TestSecretStore::keychainAnswersOnTheCallingThread()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore store(m_service);
    const QString key = QStringLiteral("connection/9/password");

    bool written = false;
    QThread *writeThread = nullptr;
    store.write(key, QStringLiteral("async"), [&](Status s) {
        QVERIFY2(s.ok(), qPrintable(describe(s)));
        writeThread = QThread::currentThread();
        written = true;
    });
    QVERIFY(!written);
    QTRY_VERIFY_WITH_TIMEOUT(written, 10000);
    QCOMPARE(writeThread, QThread::currentThread());

    std::optional<Result<QString>> answer;
    store.read(key, [&](Result<QString> r) { answer = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QVERIFY(answer->ok());
    QCOMPARE(answer->value(), QStringLiteral("async"));

    bool removed = false;
    store.remove(key, [&](Status s) {
        QVERIFY(s.ok());
        removed = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 10000);
}

void TestSecretStore::keychainBlockingFromWorkerThreads()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore store(m_service);
    constexpr int workers = 4;
    for (int i = 0; i < workers; ++i) {
        QVERIFY(store.writeBlocking(passwordKey(100 + i), QStringLiteral("secret-%1").arg(i)).ok());
    }
    // Worker threads without an event loop of their own, all at once, like SSH workers connecting.
    QList<std::optional<Result<QString>>> answers(workers);
    QList<QThread *> threads;
    for (int i = 0; i < workers; ++i) {
        threads << QThread::create([&store, &answers, i] { answers[i] = store.readBlocking(passwordKey(100 + i)); });
        threads.last()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(20000));
        delete thread;
    }
    for (int i = 0; i < workers; ++i) {
        QVERIFY(answers[i].has_value());
        QVERIFY2(answers[i]->ok(), qPrintable(describe(*answers[i])));
        QCOMPARE(answers[i]->value(), QStringLiteral("secret-%1").arg(i));
        QVERIFY(store.removeBlocking(passwordKey(100 + i)).ok());
    }
}

void TestSecretStore::keychainServicesAreSeparate()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore a(m_service + QStringLiteral("-a"));
    KeychainSecretStore b(m_service + QStringLiteral("-b"));
    const QString key = passwordKey(11);
    QVERIFY(a.writeBlocking(key, QStringLiteral("for a")).ok());
    const Result<QString> fromB = b.readBlocking(key);
    QVERIFY(!fromB.ok());
    QCOMPARE(fromB.error().code, ErrorCode::NotFound);
    QCOMPARE(a.readBlocking(key).value(), QStringLiteral("for a"));
    QVERIFY(a.removeBlocking(key).ok());
}

namespace {

Result<QString> readNow(ConnectionSecrets &secrets, qint64 connectionId, SecretKind kind = SecretKind::Password)
{
    std::optional<Result<QString>> answer;
    secrets.read(connectionId, kind, [&](Result<QString> r) { answer = std::move(r); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 20000)) {
        return Error::internal(QStringLiteral("no answer"));
    }
    return *answer;
}

Status writeNow(ConnectionSecrets &secrets, qint64 connectionId, const QString &secret)
{
    std::optional<Status> answer;
    secrets.write(connectionId, SecretKind::Password, secret, [&](Status s) { answer = std::move(s); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 20000)) {
        return Error::internal(QStringLiteral("no answer"));
    }
    return *answer;
}

qint64 createConnection(Core &core, const QString &name)
{
    Connection c;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.10");
    c.username = QStringLiteral("user");
    c.authMethod = QStringLiteral("password");
    const auto created = core.connections().create(c);
    return created.ok() ? created->id : -1;
}

bool isNotFound(const Result<QString> &r)
{
    return !r.ok() && r.error().code == ErrorCode::NotFound;
}

} // namespace

std::unique_ptr<Core> TestSecretStore::openCore(const QString &dir)
{
    auto core = std::make_unique<Core>(AppPaths(dir), std::make_unique<KeychainSecretStore>(m_service));
    const Status opened = core->open();
    if (!opened.ok()) {
        qWarning("cannot open a core: %s", qPrintable(opened.error().message));
        return {};
    }
    return core;
}

// Two installs (two data dirs) and one install after a database reset, all on one keychain: each connection 1
// reads only the password it stored, and deleting one install's connection leaves the other's secret alone.
void TestSecretStore::installsNeverShareASecret()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore raw(m_service);
    QTemporaryDir dirA;
    QTemporaryDir dirB;
    auto a = openCore(dirA.path());
    auto b = openCore(dirB.path());
    QVERIFY(a && b);
    QVERIFY(a->database().instanceId() != b->database().instanceId());
    QCOMPARE(createConnection(*a, QStringLiteral("spark-a")), 1);
    QCOMPARE(createConnection(*b, QStringLiteral("spark-b")), 1);

    QVERIFY(writeNow(a->connectionSecrets(), 1, QStringLiteral("password-of-a")).ok());
    QVERIFY(isNotFound(readNow(b->connectionSecrets(), 1))); // B's connection 1 never sees A's password
    QVERIFY(writeNow(b->connectionSecrets(), 1, QStringLiteral("password-of-b")).ok());
    QCOMPARE(readNow(a->connectionSecrets(), 1).value(), QStringLiteral("password-of-a"));
    QCOMPARE(readNow(b->connectionSecrets(), 1).value(), QStringLiteral("password-of-b"));
    // What the SSH login reads, on a worker thread: the same answers.
    std::optional<Result<QString>> fromWorker;
    QThread *worker =
        QThread::create([&] { fromWorker = b->connectionSecrets().readBlocking(1, SecretKind::Password); });
    worker->start();
    QVERIFY(QTest::qWaitFor([&] { return worker->isFinished(); }, 20000));
    delete worker;
    QVERIFY(fromWorker && fromWorker->ok());
    QCOMPARE(fromWorker->value(), QStringLiteral("password-of-b"));

    // A reset: A's database is deleted and made again. Its new connection 1 is not the old one.
    const QString oldInstance = a->database().instanceId();
    a.reset();
    QVERIFY(QFile::remove(dirA.filePath(QStringLiteral("gpudeck.sqlite3"))));
    QFile::remove(dirA.filePath(QStringLiteral("gpudeck.sqlite3-wal")));
    QFile::remove(dirA.filePath(QStringLiteral("gpudeck.sqlite3-shm")));
    auto reset = openCore(dirA.path());
    QVERIFY(reset);
    QVERIFY(reset->database().instanceId() != oldInstance);
    QCOMPARE(createConnection(*reset, QStringLiteral("spark-a")), 1);
    QVERIFY(isNotFound(readNow(reset->connectionSecrets(), 1)));

    // Deleting B's connection 1 removes B's password only.
    QVERIFY(b->connectionService().remove(1, false).ok());
    const QString keyOfB = ConnectionSecrets::key(b->database().instanceId(), 1, SecretKind::Password);
    QTRY_VERIFY_WITH_TIMEOUT(isNotFound(raw.readBlocking(keyOfB)), 10000);
    const QString keyOfA = ConnectionSecrets::key(oldInstance, 1, SecretKind::Password);
    QCOMPARE(raw.readBlocking(keyOfA).value(), QStringLiteral("password-of-a"));
    QVERIFY(isNotFound(readNow(reset->connectionSecrets(), 1)));
    QVERIFY(raw.removeBlocking(keyOfA).ok());
}

// A database made before instance ids adopts the old entries (connection/<id>/...) of its own connections, once,
// and renames them; a fresh database never reads them; after the adoption the old name is never read again.
void TestSecretStore::anUpgradedDatabaseAdoptsItsOldEntriesOnce()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore raw(m_service);
    QTemporaryDir oldDir;
    QTemporaryDir freshDir;
    {
        // A database as GPU Deck left it before instance ids: the first five migrations, two connections.
        const QString name = QStringLiteral("old-schema");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(oldDir.filePath(QStringLiteral("gpudeck.sqlite3")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(Database::kInstanceIdVersion == 6);
            for (int step = 0; step < Database::kInstanceIdVersion - 1; ++step) {
                for (const QString &statement : migrations().at(step)) {
                    QVERIFY2(q.exec(statement), qPrintable(statement));
                }
            }
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 5")));
            for (const char *host : {"spark-1", "spark-2"}) {
                QVERIFY(q.exec(QStringLiteral("INSERT INTO connections (name, hostname, created_at, updated_at) "
                                              "VALUES ('%1', '203.0.113.10', '2026-01-01T00:00:00Z', "
                                              "'2026-01-01T00:00:00Z')")
                                   .arg(QLatin1String(host))));
            }
        }
        QSqlDatabase::removeDatabase(name);
    }
    // The old naming, as the old version wrote it.
    QVERIFY(raw.writeBlocking(ConnectionSecrets::legacyKey(1, SecretKind::Password), QStringLiteral("old-password-1"))
                .ok());
    QVERIFY(raw.writeBlocking(ConnectionSecrets::legacyKey(2, SecretKind::KeyPassphrase),
                              QStringLiteral("old-passphrase-2"))
                .ok());

    // A fresh install with a connection 1 never reads the old entry, and leaves it where it is.
    auto fresh = openCore(freshDir.path());
    QVERIFY(fresh);
    QCOMPARE(fresh->database().openedAtVersion(), 0);
    QCOMPARE(createConnection(*fresh, QStringLiteral("other")), 1);
    QVERIFY(isNotFound(readNow(fresh->connectionSecrets(), 1)));
    QCOMPARE(raw.readBlocking(ConnectionSecrets::legacyKey(1, SecretKind::Password)).value(),
             QStringLiteral("old-password-1"));

    // The upgraded database adopts them at open: renamed to its own entries, the old ones gone.
    auto upgraded = openCore(oldDir.path());
    QVERIFY(upgraded);
    QCOMPARE(upgraded->database().openedAtVersion(), 5);
    const QString instance = upgraded->database().instanceId();
    QTRY_VERIFY_WITH_TIMEOUT(
        isNotFound(raw.readBlocking(ConnectionSecrets::legacyKey(1, SecretKind::Password))) &&
            isNotFound(raw.readBlocking(ConnectionSecrets::legacyKey(2, SecretKind::KeyPassphrase))),
        20000);
    QCOMPARE(raw.readBlocking(ConnectionSecrets::key(instance, 1, SecretKind::Password)).value(),
             QStringLiteral("old-password-1"));
    QCOMPARE(raw.readBlocking(ConnectionSecrets::key(instance, 2, SecretKind::KeyPassphrase)).value(),
             QStringLiteral("old-passphrase-2"));
    QCOMPARE(readNow(upgraded->connectionSecrets(), 1).value(), QStringLiteral("old-password-1"));
    QCOMPARE(readNow(upgraded->connectionSecrets(), 2, SecretKind::KeyPassphrase).value(),
             QStringLiteral("old-passphrase-2"));
    QVERIFY(isNotFound(readNow(fresh->connectionSecrets(), 1))); // still nothing for the fresh install

    // Once: an old-named entry that turns up later is never read, neither now nor after a restart. (Connection 2
    // had no old password: its adoption ended when that was found, at the latest with this read.)
    QVERIFY(isNotFound(readNow(upgraded->connectionSecrets(), 2)));
    QVERIFY(raw.writeBlocking(ConnectionSecrets::legacyKey(2, SecretKind::Password), QStringLiteral("stray")).ok());
    QVERIFY(isNotFound(readNow(upgraded->connectionSecrets(), 2)));
    upgraded.reset();
    auto again = openCore(oldDir.path());
    QVERIFY(again);
    QCOMPARE(again->database().openedAtVersion(), Database::latestSchemaVersion());
    QVERIFY(isNotFound(readNow(again->connectionSecrets(), 2)));
    QCOMPARE(raw.readBlocking(ConnectionSecrets::legacyKey(2, SecretKind::Password)).value(), QStringLiteral("stray"));

    QVERIFY(raw.removeBlocking(ConnectionSecrets::legacyKey(2, SecretKind::Password)).ok());
    QVERIFY(raw.removeBlocking(ConnectionSecrets::key(instance, 1, SecretKind::Password)).ok());
    QVERIFY(raw.removeBlocking(ConnectionSecrets::key(instance, 2, SecretKind::KeyPassphrase)).ok());
}

TestSecretStore::ProbeResult TestSecretStore::runProbe(const QString &busAddress)
{
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--probe-keychain")});
    ProbeResult result;
    if (!child.waitForFinished(60000)) {
        child.kill();
        child.waitForFinished();
        result.output = QStringLiteral("probe timed out");
        return result;
    }
    result.output = QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError());
    for (const QString &line : result.output.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("write="))) {
            result.write = line.mid(6);
        } else if (line.startsWith(QLatin1String("read="))) {
            result.read = line.mid(5);
        }
    }
    return result;
}

void TestSecretStore::unavailableWithoutSessionBus()
{
    QTemporaryDir dir;
    const ProbeResult probe = runProbe(QStringLiteral("unix:path=%1/no-bus-here").arg(dir.path()));
    QVERIFY2(probe.write.startsWith(QLatin1String("Unavailable|")), qPrintable(probe.output));
    QVERIFY2(probe.read.startsWith(QLatin1String("Unavailable|")), qPrintable(probe.output));
    QVERIFY2(probe.write.contains(QLatin1String("system keychain (Secret Service, e.g. gnome-keyring or KWallet) is "
                                                "not available")),
             qPrintable(probe.write));
    QVERIFY2(probe.write.contains(QLatin1String("instance/0123456789ab/connection/1/password")),
             qPrintable(probe.write));
    QVERIFY2(!probe.output.contains(QLatin1String("canary-secret-value")), qPrintable(probe.output));
}

void TestSecretStore::unavailableWithoutSecretService()
{
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (daemon.isEmpty()) {
        QSKIP("dbus-daemon is not installed (Debian package dbus)");
    }
    // A bus of our own with no services at all (no service directories, so nothing can be activated).
    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("bus.conf")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                                " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                                "<busconfig>\n"
                                "  <type>session</type>\n"
                                "  <listen>unix:path=%1</listen>\n"
                                "  <auth>EXTERNAL</auth>\n"
                                "  <policy context=\"default\">\n"
                                "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                                "    <allow eavesdrop=\"true\"/>\n"
                                "    <allow own=\"*\"/>\n"
                                "  </policy>\n"
                                "</busconfig>\n")
                     .arg(dir.filePath(QStringLiteral("bus")))
                     .toUtf8());
    config.close();
    QProcess bus;
    bus.start(daemon, {QStringLiteral("--config-file=%1").arg(config.fileName()), QStringLiteral("--nofork"),
                       QStringLiteral("--print-address=1")});
    QVERIFY(bus.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(bus.canReadLine(), 5000);
    const QString address = QString::fromUtf8(bus.readLine()).trimmed();
    QVERIFY2(address.startsWith(QLatin1String("unix:")), qPrintable(address));

    const ProbeResult probe = runProbe(address);
    bus.terminate();
    bus.waitForFinished(5000);
    QVERIFY2(probe.write.startsWith(QLatin1String("Unavailable|")), qPrintable(probe.output));
    QVERIFY2(probe.read.startsWith(QLatin1String("Unavailable|")), qPrintable(probe.output));
    QVERIFY2(probe.write.contains(QLatin1String("Secret Service")), qPrintable(probe.write));
    QVERIFY2(!probe.output.contains(QLatin1String("canary-secret-value")), qPrintable(probe.output));
}

// The child side of the "unavailable" tests: one write and one read against whatever bus it was given.
static int probeKeychain()
{
    auto codeName = [](ErrorCode code) {
        switch (code) {
        case ErrorCode::NotFound:
            return "NotFound";
        case ErrorCode::Unavailable:
            return "Unavailable";
        default:
            return "Other";
        }
    };
    KeychainSecretStore store(QStringLiteral("gpudeck-probe"));
    const Status written = store.writeBlocking(passwordKey(1), QStringLiteral("canary-secret-value"), 20000);
    std::printf("write=%s|%s\n", written.ok() ? "ok" : codeName(written.error().code),
                written.ok() ? "" : qPrintable(written.error().message));
    const Result<QString> read = store.readBlocking(passwordKey(1), 20000);
    std::printf("read=%s|%s\n", read.ok() ? "ok" : codeName(read.error().code),
                read.ok() ? "" : qPrintable(read.error().message));
    std::fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], "--probe-keychain") == 0) {
        return probeKeychain();
    }
    TestSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secret_store.moc"
