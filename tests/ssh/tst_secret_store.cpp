#include "Keyring.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/MemorySecretStore.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRandomGenerator>
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

    std::unique_ptr<Keyring> m_keyring;
    QString m_keyringProblem;
    QString m_service;
};

namespace {

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
    QCOMPARE(SecretStore::passwordKey(42), QStringLiteral("connection/42/password"));
    QCOMPARE(SecretStore::passphraseKey(42), QStringLiteral("connection/42/key-passphrase"));
}

void TestSecretStore::memoryStore()
{
    MemorySecretStore store;
    exerciseStore(store, SecretStore::passwordKey(1));
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
        const QString key = SecretStore::passwordKey(6);
        QVERIFY(store.writeBlocking(key, QStringLiteral("seen by secret-tool")).ok());
        QProcess lookup;
        lookup.start(secretTool,
                     {QStringLiteral("lookup"), QStringLiteral("server"), m_service, QStringLiteral("user"), key});
        QVERIFY(lookup.waitForFinished(10000));
        QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()), QStringLiteral("seen by secret-tool"));
        QVERIFY(store.removeBlocking(key).ok());
    }

    exerciseStore(store, SecretStore::passwordKey(7));
    if (QTest::currentTestFailed()) {
        return;
    }
    exerciseStore(store, SecretStore::passphraseKey(7));
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
        QVERIFY(store.writeBlocking(SecretStore::passwordKey(100 + i), QStringLiteral("secret-%1").arg(i)).ok());
    }
    // Worker threads without an event loop of their own, all at once, like SSH workers connecting.
    QList<std::optional<Result<QString>>> answers(workers);
    QList<QThread *> threads;
    for (int i = 0; i < workers; ++i) {
        threads << QThread::create(
            [&store, &answers, i] { answers[i] = store.readBlocking(SecretStore::passwordKey(100 + i)); });
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
        QVERIFY(store.removeBlocking(SecretStore::passwordKey(100 + i)).ok());
    }
}

void TestSecretStore::keychainServicesAreSeparate()
{
    if (!m_keyringProblem.isEmpty()) {
        QSKIP(qPrintable(m_keyringProblem));
    }
    KeychainSecretStore a(m_service + QStringLiteral("-a"));
    KeychainSecretStore b(m_service + QStringLiteral("-b"));
    const QString key = SecretStore::passwordKey(11);
    QVERIFY(a.writeBlocking(key, QStringLiteral("for a")).ok());
    const Result<QString> fromB = b.readBlocking(key);
    QVERIFY(!fromB.ok());
    QCOMPARE(fromB.error().code, ErrorCode::NotFound);
    QCOMPARE(a.readBlocking(key).value(), QStringLiteral("for a"));
    QVERIFY(a.removeBlocking(key).ok());
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
    QVERIFY2(probe.write.contains(QLatin1String("connection/1/password")), qPrintable(probe.write));
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
    const Status written =
        store.writeBlocking(SecretStore::passwordKey(1), QStringLiteral("canary-secret-value"), 20000);
    std::printf("write=%s|%s\n", written.ok() ? "ok" : codeName(written.error().code),
                written.ok() ? "" : qPrintable(written.error().message));
    const Result<QString> read = store.readBlocking(SecretStore::passwordKey(1), 20000);
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
