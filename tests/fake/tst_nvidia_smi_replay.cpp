// The compiled replayer (nvidia_smi_replay) answers exactly as the script it stands in for: the same lines for GPU
// Deck's loop and compute-apps commands (timestamps aside), and anything else handed to the script.
#include "FakeNvidiaSmi.h"
#include "metrics/NvidiaSmiParser.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace gpudeck;

class TestNvidiaSmiReplay : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        QByteArray out;
        QByteArray err;
        int exitCode = -1;
    };

    // Runs `program` with the words of `command` after "nvidia-smi"; a loop is read for `lines` lines, then stopped.
    static Run run(const QString &program, const QString &command, int lines = 0)
    {
        QStringList args = QProcess::splitCommand(command);
        args.removeFirst();
        QProcess p;
        p.start(program, args);
        Run r;
        if (!p.waitForStarted(10000)) {
            return r;
        }
        if (lines > 0) {
            while (r.out.count('\n') < lines && p.waitForReadyRead(10000)) {
                r.out += p.readAllStandardOutput();
            }
            p.kill();
            p.waitForFinished(10000);
            return r;
        }
        p.waitForFinished(10000);
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        r.exitCode = p.exitCode();
        return r;
    }

    static QByteArray maskTimestamps(QByteArray text)
    {
        static const QRegularExpression stamp(QStringLiteral("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
        return QString::fromUtf8(text).replace(stamp, QStringLiteral("<time>")).toUtf8();
    }

    std::unique_ptr<test::FakeNvidiaSmi> m_fake;
    QString m_script;
    QString m_replayer;

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<test::FakeNvidiaSmi>();
        QString error;
        QVERIFY2(m_fake->install(&error), qPrintable(error));
        QVERIFY2(m_fake->useCompiledReplayer(&error), qPrintable(error));
        m_script = m_fake->scriptPath();
        m_replayer = m_fake->root() + QStringLiteral("/nvidia-smi-replay");
        QCOMPARE(QFileInfo(m_fake->binDir() + QStringLiteral("/nvidia-smi")).canonicalFilePath(),
                 QFileInfo(m_replayer).canonicalFilePath());
    }

    void loopLinesAsTheScriptPrintsThem()
    {
        m_fake->setGpus(8);
        const QString command = NvidiaSmiParser::loopCommand(50);
        // Three ticks of 8 GPUs: the recording round-robin, each GPU's index, uuid and bus id rewritten.
        const Run script = run(m_script, command, 24);
        const Run replay = run(m_replayer, command, 24);
        QCOMPARE(script.out.count('\n'), 24);
        QCOMPARE(maskTimestamps(replay.out.left(script.out.size())), maskTimestamps(script.out));
        QVERIFY(replay.out.contains(", 7, GPU-"));
        QVERIFY(!replay.out.contains("<time>")); // the timestamps are real ones, only masked for the comparison
    }

    void oneRoundAndComputeApps()
    {
        m_fake->setGpus(2);
        const QString once = NvidiaSmiParser::loopCommand(1000).section(QStringLiteral(" -lms"), 0, 0);
        QCOMPARE(maskTimestamps(run(m_replayer, once).out), maskTimestamps(run(m_script, once).out));
        const Run apps = run(m_replayer, NvidiaSmiParser::computeAppsCommand());
        QCOMPARE(apps.out, run(m_script, NvidiaSmiParser::computeAppsCommand()).out);
        QCOMPARE(apps.exitCode, 0);
    }

    void everythingElseIsTheScripts_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("fail"); // a failure mode in the configuration, or none
        QTest::newRow("header and units")
            << QStringLiteral("nvidia-smi --query-gpu=index,memory.used --format=csv") << QString();
        QTest::newRow("alias") << QStringLiteral(
                                      "nvidia-smi --query-gpu=gpu_name,clocks.current.sm --format=csv,noheader,nounits")
                               << QString();
        QTest::newRow("invalid field")
            << QStringLiteral("nvidia-smi --query-gpu=index,no.such.field --format=csv,noheader,nounits") << QString();
        QTest::newRow("list") << QStringLiteral("nvidia-smi -L") << QString();
        QTest::newRow("driver failure") << NvidiaSmiParser::computeAppsCommand() << QStringLiteral("driver");
    }

    void everythingElseIsTheScripts()
    {
        QFETCH(QString, command);
        QFETCH(QString, fail);
        m_fake->setFail(fail);
        const Run script = run(m_script, command);
        const Run replay = run(m_replayer, command);
        QCOMPARE(maskTimestamps(replay.out), maskTimestamps(script.out));
        QCOMPARE(replay.err, script.err);
        QCOMPARE(replay.exitCode, script.exitCode);
        QVERIFY(!script.out.isEmpty() || !script.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestNvidiaSmiReplay)
#include "tst_nvidia_smi_replay.moc"
