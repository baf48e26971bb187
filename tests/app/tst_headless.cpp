// Starts the real gpudeck executable the way a user or a service manager would.
#include "HttpClient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using gpudeck::test::HttpClient;

class TestHeadless : public QObject
{
    Q_OBJECT

    static QProcessEnvironment cleanEnvironment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.remove(QStringLiteral("API_SERVER_KEY"));
        return env;
    }

    static quint16 waitForPort(QProcess &p, QByteArray &log)
    {
        const QRegularExpression re(QStringLiteral("API listening on http://127\\.0\\.0\\.1:(\\d+)"));
        for (int i = 0; i < 100; ++i) {
            p.waitForReadyRead(100);
            log += p.readAllStandardError() + p.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(log));
            if (m.hasMatch()) {
                return static_cast<quint16>(m.captured(1).toUInt());
            }
            if (p.state() == QProcess::NotRunning) {
                break;
            }
        }
        return 0;
    }

private Q_SLOTS:
    void version()
    {
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        p.start(QStringLiteral(GPUDECK_EXECUTABLE), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput().trimmed(), QByteArray("gpudeck " GPUDECK_VERSION));
    }

    void help()
    {
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        p.start(QStringLiteral(GPUDECK_EXECUTABLE), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        for (const char *option : {"--headless", "--data-dir", "--port", "--version"}) {
            QVERIFY2(out.contains(option), option);
        }
    }

    void badArgumentsFail()
    {
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        p.start(QStringLiteral(GPUDECK_EXECUTABLE),
                {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("http")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--port"));
    }

    void startsServesAndStopsWithoutADisplay()
    {
        QTemporaryDir dir;
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        p.start(QStringLiteral(GPUDECK_EXECUTABLE), {QStringLiteral("--headless"), QStringLiteral("--data-dir"),
                                                     dir.path(), QStringLiteral("--port"), QStringLiteral("0")});
        QByteArray log;
        const quint16 port = waitForPort(p, log);
        QVERIFY2(port > 0, log.constData());

        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("gpudeck.sqlite3"))));
        QFile tokenFile(dir.filePath(QStringLiteral("api-token")));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        HttpClient http(port, tokenFile.readAll().trimmed());
        QCOMPARE(http.get(QStringLiteral("/api/health")).status, 200);
        QCOMPARE(http.post(QStringLiteral("/api/dgx/connections"),
                           {{QStringLiteral("name"), QStringLiteral("persisted")},
                            {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")}})
                     .status,
                 201);

        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        log += p.readAllStandardError() + p.readAllStandardOutput();
        tokenFile.seek(0);
        QVERIFY(!log.contains(tokenFile.readAll().trimmed())); // the secret never reaches the log

        // Data survives a restart.
        QProcess again;
        again.setProcessEnvironment(cleanEnvironment());
        again.start(QStringLiteral(GPUDECK_EXECUTABLE), {QStringLiteral("--headless"), QStringLiteral("--data-dir"),
                                                         dir.path(), QStringLiteral("--port"), QStringLiteral("0")});
        QByteArray log2;
        const quint16 port2 = waitForPort(again, log2);
        QVERIFY(port2 > 0);
        tokenFile.seek(0);
        HttpClient http2(port2, tokenFile.readAll().trimmed());
        QCOMPARE(http2.get(QStringLiteral("/api/dgx/connections/persisted")).status, 200);
        ::kill(static_cast<pid_t>(again.processId()), SIGTERM);
        QVERIFY(again.waitForFinished(10000));
        QCOMPARE(again.exitCode(), 0);
    }

    void portInUseIsAClearError()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        QProcess p;
        p.setProcessEnvironment(cleanEnvironment());
        p.start(QStringLiteral(GPUDECK_EXECUTABLE),
                {QStringLiteral("--headless"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--port"),
                 QString::number(squatter.serverPort())});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains(QByteArray::number(squatter.serverPort())), err.constData());
        QVERIFY2(err.contains("--port"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
