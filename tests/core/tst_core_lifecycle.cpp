// The core started and stopped many times in a row while models.yaml is being rewritten underneath it: every
// worker (API, metrics, model serving, jobs, SSH pool) must start and stop cleanly each time, whatever its timers
// and file watchers were doing. Run under AddressSanitizer by tests/sanitize.sh (a segfault at exit was seen in
// 2 of 10 runs when the models thread deleted its watcher while the reload timer could still fire).
#include "HttpClient.h"
#include "app/Core.h"
#include "models/ModelService.h"
#include "secrets/MemorySecretStore.h"
#include "store/ConnectionRepository.h"

#include <QAtomicInt>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace gpudeck;

namespace {

// Two catalogs the writer alternates between (one with one model, one with two), and a broken one.
QByteArray catalog(int models)
{
    QByteArray text = "hosts:\n  spark-1:\n    models:\n";
    for (int i = 0; i < models; ++i) {
        text += "      - id: example/model-" + QByteArray::number(i) +
                "\n        port: 8888\n        start: a\n        stop: b\n";
    }
    return text;
}

void writeAtomically(const QString &path, const QByteArray &text, bool byRename)
{
    const QString target = byRename ? path + QStringLiteral(".tmp") : path;
    QFile f(target);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return;
    }
    f.write(text);
    f.close();
    if (byRename) {
        QFile::remove(path);
        QFile::rename(target, path);
    }
}

} // namespace

class TestCoreLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoHundredStartStopCyclesWhileTheCatalogChanges()
    {
        qunsetenv("API_SERVER_KEY");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        qputenv("GPUDECK_USER_KNOWN_HOSTS", dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
        const QString yaml = dir.filePath(QStringLiteral("models.yaml"));
        {
            Core core(AppPaths(dir.path()), std::make_unique<MemorySecretStore>());
            QVERIFY(core.open().ok());
            Connection c;
            c.name = QStringLiteral("spark-1");
            c.hostname = QStringLiteral("203.0.113.7");
            c.username = QStringLiteral("user");
            QVERIFY(core.connections().create(c).ok());
        }

        // A writer that never stops rewriting the file (in place and by rename, good and broken) while cores come
        // and go; bounded by the test's own end.
        std::atomic<bool> writing{true};
        QAtomicInt writes;
        std::thread writer([&] {
            int n = 0;
            while (writing.load()) {
                const QByteArray text =
                    (n % 5 == 4) ? QByteArray("hosts:\n  spark-1:\n    models: [\n") : catalog(1 + n % 2);
                writeAtomically(yaml, text, n % 2 == 0);
                writes.fetchAndAddRelaxed(1);
                ++n;
                std::this_thread::yield();
            }
        });

        constexpr int kCycles = 200;
        int cycles = 0;
        int served = 0;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kCycles; ++i) {
            Core core(AppPaths(dir.path()), std::make_unique<MemorySecretStore>());
            const Status opened = core.open();
            if (!opened.ok()) {
                writing = false;
                writer.join();
                QFAIL(qPrintable(opened.error().message));
            }
            const auto port = core.startApi(0);
            QVERIFY(port.ok());
            core.startMonitoring();
            core.startJobSupervision();
            // Let the workers' timers, watchers and queued signals run for a varying while before the stop.
            QElapsedTimer alive;
            alive.start();
            while (alive.elapsed() < i % 7) {
                QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            }
            if (i % 20 == 0) {
                test::HttpClient http(port.value(), core.token().value());
                if (http.get(QStringLiteral("/api/health")).status == 200) {
                    ++served;
                }
            }
            ++cycles; // the destructor stops everything; a crash or hang there fails the test
        }
        writing = false;
        writer.join();
        QCOMPARE(cycles, kCycles);
        QCOMPARE(served, kCycles / 20);
        QVERIFY2(writes.loadRelaxed() > kCycles, "the catalog was rewritten throughout");

        // After all that the last file is what a fresh core loads.
        writeAtomically(yaml, catalog(2), true);
        Core core(AppPaths(dir.path()), std::make_unique<MemorySecretStore>());
        QVERIFY(core.open().ok());
        QTRY_COMPARE(core.models().catalog().modelIds().size(), 2);
        qInfo("%d cycles in %lld ms, %d catalog writes", cycles, static_cast<long long>(clock.elapsed()),
              writes.loadRelaxed());
    }
};

QTEST_GUILESS_MAIN(TestCoreLifecycle)
#include "tst_core_lifecycle.moc"
