#include "SshServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using gpudeck::test::SshAgent;
using gpudeck::test::SshServer;

// The sshd fixture itself, checked with the system OpenSSH client: what the SSH tests build on must be right.
class TestSshServerFixture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsCommandsWithExitCode();
    void everyAuthorizedKeyLogsIn_data();
    void everyAuthorizedKeyLogsIn();
    void strangerKeyIsRefused();
    void passwordLogin();
    void homeDirIsTheTestUsersHome();
    void hostKeyFingerprintIsWhatSshRecords();
    void knownHostsLinePreTrustsTheKey();
    void killClientSessionsDropsConnections();
    void agentHoldsKeys();
    void restartWithNewHostKey();

private:
    struct SshRun
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    QStringList baseArgs(const QString &knownHosts, const QString &strict = QStringLiteral("accept-new")) const;
    QString freshKnownHosts();
    SshRun run(const QStringList &args, const QProcessEnvironment &env = cleanEnvironment(), int timeoutMs = 30000);
    static QProcessEnvironment cleanEnvironment();

    SshServer m_server;
    QTemporaryDir m_scratch;
    int m_knownHostsCounter = 0;
};

QProcessEnvironment TestSshServerFixture::cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("SSH_AUTH_SOCK")); // only the keys a test names
    env.remove(QStringLiteral("SSH_ASKPASS"));
    env.remove(QStringLiteral("DISPLAY"));
    return env;
}

QString TestSshServerFixture::freshKnownHosts()
{
    return m_scratch.filePath(QStringLiteral("known_hosts_%1").arg(++m_knownHostsCounter));
}

QStringList TestSshServerFixture::baseArgs(const QString &knownHosts, const QString &strict) const
{
    return {QStringLiteral("-F"), QStringLiteral("/dev/null"), // neither ~/.ssh/config nor /etc/ssh/ssh_config
            QStringLiteral("-p"), QString::number(m_server.port()),
            QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=%1").arg(knownHosts),
            QStringLiteral("-o"), QStringLiteral("GlobalKnownHostsFile=/dev/null"),
            QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=%1").arg(strict),
            QStringLiteral("-o"), QStringLiteral("ConnectTimeout=10"),
            QStringLiteral("-o"), QStringLiteral("LogLevel=ERROR")};
}

TestSshServerFixture::SshRun TestSshServerFixture::run(const QStringList &args, const QProcessEnvironment &env,
                                                       int timeoutMs)
{
    SshRun result;
    QProcess ssh;
    ssh.setProcessEnvironment(env);
    ssh.start(QStringLiteral("ssh"), args);
    ssh.closeWriteChannel();
    if (!ssh.waitForFinished(timeoutMs)) {
        ssh.kill();
        ssh.waitForFinished();
        result.err = "ssh timed out";
        return result;
    }
    result.exitCode = ssh.exitStatus() == QProcess::NormalExit ? ssh.exitCode() : -1;
    result.out = ssh.readAllStandardOutput();
    result.err = ssh.readAllStandardError();
    return result;
}

void TestSshServerFixture::initTestCase()
{
    QVERIFY(m_scratch.isValid());
    if (!m_server.available()) {
        QSKIP(qPrintable(m_server.unavailableReason()));
    }
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    QVERIFY(m_server.isRunning());
    QVERIFY(m_server.port() > 0);
    QCOMPARE(m_server.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(m_server.user(), QStringLiteral("gpudeck-test"));
    QVERIFY(!m_server.password().isEmpty());
    QVERIFY(!m_server.keyPassphrase().isEmpty());
    QVERIFY(m_server.keyPath(QStringLiteral("nonsense")).isEmpty());
}

void TestSshServerFixture::runsCommandsWithExitCode()
{
    const SshRun r =
        run(baseArgs(freshKnownHosts()) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                      QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"),
                                                      QStringLiteral("-i"), m_server.keyPath(QStringLiteral("ed25519")),
                                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                      QStringLiteral("echo hi; exit 3")});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.out, QByteArray("hi\n"));
}

void TestSshServerFixture::everyAuthorizedKeyLogsIn_data()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("ed25519") << QStringLiteral("ed25519");
    QTest::newRow("rsa") << QStringLiteral("rsa");
    QTest::newRow("ecdsa") << QStringLiteral("ecdsa");
}

void TestSshServerFixture::everyAuthorizedKeyLogsIn()
{
    QFETCH(QString, type);
    QVERIFY(QFile::exists(m_server.keyPath(type)));
    QVERIFY(QFile::exists(m_server.keyPath(type) + QStringLiteral(".pub")));
    const SshRun r =
        run(baseArgs(freshKnownHosts()) +
            QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
                        QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-i"), m_server.keyPath(type),
                        QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()), QStringLiteral("echo key-ok")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("key-ok\n"));
}

void TestSshServerFixture::strangerKeyIsRefused()
{
    const SshRun r = run(baseArgs(freshKnownHosts()) +
                         QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
                                     QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-i"),
                                     m_server.keyPath(QStringLiteral("stranger")),
                                     QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                     QStringLiteral("echo should-not-run")});
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("Permission denied"), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestSshServerFixture::passwordLogin()
{
    // The password goes to ssh through SSH_ASKPASS, as a GUI would.
    const QString secretFile = m_scratch.filePath(QStringLiteral("password"));
    const QString askpass = m_scratch.filePath(QStringLiteral("askpass.sh"));
    QFile secret(secretFile);
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write(m_server.password().toUtf8() + '\n');
    secret.close();
    QFile script(askpass);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(QStringLiteral("#!/bin/sh\ncat '%1'\n").arg(secretFile).toUtf8());
    script.close();
    QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("SSH_ASKPASS"), askpass);
    env.insert(QStringLiteral("SSH_ASKPASS_REQUIRE"), QStringLiteral("force"));
    const QStringList passwordOnly = {QStringLiteral("-o"),
                                      QStringLiteral("PubkeyAuthentication=no"),
                                      QStringLiteral("-o"),
                                      QStringLiteral("PreferredAuthentications=password"),
                                      QStringLiteral("-o"),
                                      QStringLiteral("NumberOfPasswordPrompts=1"),
                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                      QStringLiteral("echo password-ok")};
    SshRun r = run(baseArgs(freshKnownHosts()) + passwordOnly, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("password-ok\n"));

    QVERIFY(secret.open(QIODevice::WriteOnly | QIODevice::Truncate));
    secret.write("wrong-password\n");
    secret.close();
    r = run(baseArgs(freshKnownHosts()) + passwordOnly, env);
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("Permission denied"), r.err.constData());
}

void TestSshServerFixture::homeDirIsTheTestUsersHome()
{
    QVERIFY(!m_server.homeDir().isEmpty());
    QVERIFY(QFileInfo(m_server.homeDir()).isDir());
    const SshRun r =
        run(baseArgs(freshKnownHosts()) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                      QStringLiteral("-i"), m_server.keyPath(QStringLiteral("ed25519")),
                                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                      QStringLiteral("pwd; echo \"$HOME\"; id -un")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray home = m_server.homeDir().toUtf8();
    QCOMPARE(r.out, home + '\n' + home + '\n' + QByteArray("gpudeck-test\n"));
}

void TestSshServerFixture::hostKeyFingerprintIsWhatSshRecords()
{
    const QString knownHosts = freshKnownHosts();
    const SshRun r =
        run(baseArgs(knownHosts) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                               QStringLiteral("-i"), m_server.keyPath(QStringLiteral("ed25519")),
                                               QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                               QStringLiteral("true")});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    QFile recorded(knownHosts);
    QVERIFY(recorded.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(recorded.readAll()).trimmed(), m_server.knownHostsLine());

    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"),
                                                QStringLiteral("-f"), knownHosts});
    QVERIFY(keygen.waitForFinished(10000));
    // "256 SHA256:... [127.0.0.1]:PORT (ED25519)"
    const QString line = QString::fromUtf8(keygen.readAllStandardOutput()).trimmed();
    QVERIFY(m_server.hostKeyFingerprint().startsWith(QLatin1String("SHA256:")));
    QCOMPARE(line.section(QLatin1Char(' '), 1, 1), m_server.hostKeyFingerprint());
}

void TestSshServerFixture::knownHostsLinePreTrustsTheKey()
{
    const QString knownHosts = freshKnownHosts();
    QFile file(knownHosts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_server.knownHostsLine().toUtf8() + '\n');
    file.close();
    const SshRun r =
        run(baseArgs(knownHosts, QStringLiteral("yes")) +
            QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-i"),
                        m_server.keyPath(QStringLiteral("ed25519")),
                        QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()), QStringLiteral("echo trusted")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("trusted\n"));
}

void TestSshServerFixture::killClientSessionsDropsConnections()
{
    QProcess ssh;
    ssh.setProcessEnvironment(cleanEnvironment());
    ssh.start(QStringLiteral("ssh"), baseArgs(freshKnownHosts()) +
                                         QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                     QStringLiteral("-i"), m_server.keyPath(QStringLiteral("ed25519")),
                                                     QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                     QStringLiteral("echo ready; sleep 30")});
    ssh.closeWriteChannel();
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        (seen += ssh.readAllStandardOutput()).contains("ready") || ssh.state() == QProcess::NotRunning, 15000);
    QCOMPARE(ssh.state(), QProcess::Running);

    QElapsedTimer elapsed;
    elapsed.start();
    m_server.killClientSessions();
    QVERIFY2(ssh.waitForFinished(1000), "the ssh session survived killClientSessions()");
    QVERIFY2(elapsed.elapsed() < 1000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(ssh.exitCode(), 255);

    // The listener is untouched: new connections work.
    QVERIFY(m_server.isRunning());
    const SshRun r =
        run(baseArgs(freshKnownHosts()) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                      QStringLiteral("-i"), m_server.keyPath(QStringLiteral("ed25519")),
                                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                      QStringLiteral("echo again")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestSshServerFixture::agentHoldsKeys()
{
    SshAgent agent;
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    QVERIFY(QFile::exists(agent.socketPath()));
    QVERIFY2(agent.add(m_server.keyPath(QStringLiteral("ed25519-passphrase")), m_server.keyPassphrase(), &error),
             qPrintable(error));
    QVERIFY(!agent.add(m_server.keyPath(QStringLiteral("ed25519-passphrase")), QStringLiteral("wrong"), &error));

    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("SSH_AUTH_SOCK"), agent.socketPath());
    const SshRun r =
        run(baseArgs(freshKnownHosts()) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                      QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=no"),
                                                      QStringLiteral("-o"), QStringLiteral("IdentityFile=none"),
                                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                      QStringLiteral("echo via-agent")},
            env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("via-agent\n"));

    // Without the agent the same command has no key to offer.
    const SshRun without =
        run(baseArgs(freshKnownHosts()) + QStringList{QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                      QStringLiteral("-o"), QStringLiteral("IdentityFile=none"),
                                                      QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                                                      QStringLiteral("echo via-agent")});
    QCOMPARE(without.exitCode, 255);

    agent.stop();
    QVERIFY(agent.socketPath().isEmpty());
}

void TestSshServerFixture::restartWithNewHostKey()
{
    const QString oldFingerprint = m_server.hostKeyFingerprint();
    const quint16 port = m_server.port();
    const QString knownHosts = freshKnownHosts();
    QFile file(knownHosts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_server.knownHostsLine().toUtf8() + '\n');
    file.close();

    QString error;
    QVERIFY2(m_server.restart(false, &error), qPrintable(error));
    QCOMPARE(m_server.port(), port);
    QCOMPARE(m_server.hostKeyFingerprint(), oldFingerprint);

    QVERIFY2(m_server.restart(true, &error), qPrintable(error));
    QCOMPARE(m_server.port(), port);
    QVERIFY(m_server.hostKeyFingerprint().startsWith(QLatin1String("SHA256:")));
    QVERIFY(m_server.hostKeyFingerprint() != oldFingerprint);

    // The old known_hosts line no longer matches: ssh refuses loudly.
    const QStringList login = {QStringLiteral("-o"),
                               QStringLiteral("BatchMode=yes"),
                               QStringLiteral("-i"),
                               m_server.keyPath(QStringLiteral("ed25519")),
                               QStringLiteral("%1@%2").arg(m_server.user(), m_server.host()),
                               QStringLiteral("true")};
    SshRun r = run(baseArgs(knownHosts, QStringLiteral("yes")) + login);
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), r.err.constData());

    // The new line works.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(m_server.knownHostsLine().toUtf8() + '\n');
    file.close();
    r = run(baseArgs(knownHosts, QStringLiteral("yes")) + login);
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

QTEST_GUILESS_MAIN(TestSshServerFixture)
#include "tst_ssh_server_fixture.moc"
