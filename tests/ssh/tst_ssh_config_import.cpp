#include "ssh/SshConfigImport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;

// ~/.ssh/config import against a sample file (tests/ssh/data/ssh_config and the files it includes),
// copied into a temporary home so Include and "~" resolve there.
class TestSshConfigImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parsesEveryHost();
    void warnsAboutWhatItLeavesOut();
    void toConnection();
    void missingFile();
    void textForms();
    void matchAllAndSkippedMatch();
    void includeLimits();
    void proxyJumpAndCommand();

private:
    const SshConfigHost *find(const QString &alias) const;

    QTemporaryDir m_home;
    SshConfigImportResult m_result;
};

const SshConfigHost *TestSshConfigImport::find(const QString &alias) const
{
    for (const SshConfigHost &host : m_result.hosts) {
        if (host.alias == alias) {
            return &host;
        }
    }
    return nullptr;
}

void TestSshConfigImport::initTestCase()
{
    QVERIFY(m_home.isValid());
    // An absolute path from the build (QFINDTESTDATA relies on __FILE__, which a compiler cache may make relative).
    const QString data = QStringLiteral(GPUDECK_SSH_TEST_DATA "/ssh_config");
    QVERIFY2(QFileInfo::exists(data), "tests/ssh/data/ssh_config not found");
    const QString dataDir = QFileInfo(data).absolutePath();
    const QString sshDir = m_home.filePath(QStringLiteral(".ssh"));
    QDirIterator it(dataDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        QString relative = QDir(dataDir).relativeFilePath(source);
        if (relative == QLatin1String("ssh_config")) {
            relative = QStringLiteral("config");
        }
        const QString target = sshDir + QLatin1Char('/') + relative;
        QVERIFY(QDir().mkpath(QFileInfo(target).absolutePath()));
        QVERIFY(QFile::copy(source, target));
    }

    const auto parsed = parseSshConfig(sshDir + QStringLiteral("/config"), m_home.path());
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    m_result = parsed.value();
}

void TestSshConfigImport::parsesEveryHost()
{
    const QString home = m_home.path();
    QStringList aliases;
    for (const SshConfigHost &host : std::as_const(m_result.hosts)) {
        aliases << host.alias;
    }
    // In the order their Host lines appear, the included files first (their Include comes first);
    // patterns, negations, Match blocks and hosts with a bad port are not entries.
    QCOMPARE(aliases,
             QStringList({QStringLiteral("runpod-a100"), QStringLiteral("spark-1"), QStringLiteral("deep-host"),
                          QStringLiteral("spark-2"), QStringLiteral("spark-2-alt"), QStringLiteral("quoted host"),
                          QStringLiteral("pod-a"), QStringLiteral("gpu-node.lab.example.org"),
                          QStringLiteral("legacy.lab.example.org"), QStringLiteral("proxmox")}));

    struct Expected
    {
        QString alias, hostname, user;
        int port;
        QString identityFile;
    };
    const QList<Expected> expected = {
        {QStringLiteral("runpod-a100"), QStringLiteral("203.0.113.30"), QStringLiteral("root"), 22022,
         home + QStringLiteral("/.ssh/runpod_ed25519")},
        // The included file's "Port 2201" comes first, so it wins over nothing; the main block adds the rest.
        {QStringLiteral("spark-1"), QStringLiteral("203.0.113.10"), QStringLiteral("admin"), 2201,
         home + QStringLiteral("/.ssh/id_ed25519_spark")},
        // HostName defaults to the alias (here from a nested Include); the rest comes from "Host *".
        {QStringLiteral("deep-host"), QStringLiteral("deep.example.org"), QStringLiteral("default-user"), 2022,
         home + QStringLiteral("/.ssh/id_default")},
        {QStringLiteral("spark-2"), QStringLiteral("203.0.113.11"), QStringLiteral("lab"), 2222,
         home + QStringLiteral("/.ssh/id_default")},
        {QStringLiteral("spark-2-alt"), QStringLiteral("203.0.113.11"), QStringLiteral("lab"), 2222,
         home + QStringLiteral("/.ssh/id_default")},
        {QStringLiteral("quoted host"), QStringLiteral("203.0.113.12"), QStringLiteral("user name"), 2022,
         home + QStringLiteral("/.ssh/key with spaces")},
        // %h is the alias; "IdentityFile none" is obtained first, so "Host *"'s key does not apply.
        {QStringLiteral("pod-a"), QStringLiteral("pod-a.pods.example.org"), QStringLiteral("default-user"), 40022,
         QString()},
        {QStringLiteral("gpu-node.lab.example.org"), QStringLiteral("gpu-node.lab.example.org"),
         QStringLiteral("labuser"), 2200, QStringLiteral("/etc/ssh/shared_key")},
        // Excluded from "*.lab.example.org" by its "!" pattern: falls through to "Host *".
        {QStringLiteral("legacy.lab.example.org"), QStringLiteral("legacy.lab.example.org"),
         QStringLiteral("default-user"), 2022, QStringLiteral("/etc/ssh/shared_key")},
        // % tokens other than %h are not expanded (and a warning says so).
        {QStringLiteral("proxmox"), QStringLiteral("203.0.113.20"), QStringLiteral("default-user"), 2022,
         QStringLiteral("%d/.ssh/id_proxmox")},
    };
    for (const Expected &e : expected) {
        const SshConfigHost *host = find(e.alias);
        QVERIFY2(host, qPrintable(e.alias));
        QCOMPARE(host->hostname, e.hostname);
        QCOMPARE(host->user, e.user);
        QCOMPARE(host->port, e.port);
        QCOMPARE(host->identityFile, e.identityFile);
    }
}

void TestSshConfigImport::warnsAboutWhatItLeavesOut()
{
    QCOMPARE(m_result.warnings.size(), 3);
    const QString all = m_result.warnings.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("Host 'broken-port' left out: Port '99999'")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("Host 'words-port' left out: Port 'ssh'")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("Host 'proxmox': IdentityFile '%d/.ssh/id_proxmox'")), qPrintable(all));
    // Warnings say where: file and line.
    QVERIFY2(all.contains(QLatin1String("/.ssh/config:31)")), qPrintable(all));
}

void TestSshConfigImport::toConnection()
{
    const Connection spark = gpudeck::toConnection(*find(QStringLiteral("spark-1")));
    QCOMPARE(spark.name, QStringLiteral("spark-1"));
    QCOMPARE(spark.hostname, QStringLiteral("203.0.113.10"));
    QCOMPARE(spark.username, QStringLiteral("admin"));
    QCOMPARE(spark.port, 2201);
    QCOMPARE(spark.sshKeyPath, m_home.path() + QStringLiteral("/.ssh/id_ed25519_spark"));
    QCOMPARE(spark.authMethod, QStringLiteral("key"));
    QCOMPARE(spark.kind, QStringLiteral("generic"));
    QVERIFY(spark.validate().ok());

    const Connection pod = gpudeck::toConnection(*find(QStringLiteral("pod-a")));
    QCOMPARE(pod.name, QStringLiteral("pod-a"));
    QCOMPARE(pod.hostname, QStringLiteral("pod-a.pods.example.org"));
    QCOMPARE(pod.port, 40022);
    QVERIFY(pod.sshKeyPath.isEmpty());
    QCOMPARE(pod.authMethod, QStringLiteral("agent"));
    QVERIFY(pod.validate().ok());
}

void TestSshConfigImport::missingFile()
{
    const auto parsed = parseSshConfig(m_home.filePath(QStringLiteral("no/such/config")), m_home.path());
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, ErrorCode::NotFound);
    QVERIFY(parsed.error().message.contains(QLatin1String("no/such/config")));
}

void TestSshConfigImport::textForms()
{
    const QString text = QStringLiteral("  # comment\n"
                                        "\n"
                                        "HOST a\n"
                                        "\tHOSTNAME\t203.0.113.40\n"
                                        "  port = 2022\n"
                                        "  user=me   \n"
                                        "Host\n"
                                        "Host b\n"
                                        "  HostName=%%literal%h\n"
                                        "  IdentityFile ~\n");
    const SshConfigImportResult result = parseSshConfigText(text, QStringLiteral("/home/example"));
    QCOMPARE(result.hosts.size(), 2);
    QCOMPARE(result.hosts.at(0).alias, QStringLiteral("a"));
    QCOMPARE(result.hosts.at(0).hostname, QStringLiteral("203.0.113.40"));
    QCOMPARE(result.hosts.at(0).port, 2022);
    QCOMPARE(result.hosts.at(0).user, QStringLiteral("me"));
    QVERIFY(result.hosts.at(0).identityFile.isEmpty());
    QCOMPARE(result.hosts.at(1).alias, QStringLiteral("b"));
    QCOMPARE(result.hosts.at(1).hostname, QStringLiteral("%literalb"));
    QCOMPARE(result.hosts.at(1).port, 22);
    QCOMPARE(result.hosts.at(1).identityFile, QStringLiteral("/home/example"));
    QCOMPARE(result.warnings.size(), 1);
    QVERIFY(result.warnings.first().contains(QLatin1String("Host line without a name")));

    QVERIFY(parseSshConfigText(QString(), QStringLiteral("/home/example")).hosts.isEmpty());
}

void TestSshConfigImport::matchAllAndSkippedMatch()
{
    const QString text = QStringLiteral("Host c\n"
                                        "  HostName 203.0.113.41\n"
                                        "Match originalhost c\n"
                                        "  User skipped\n"
                                        "Match all\n"
                                        "  User everyone\n"
                                        "Host d\n"
                                        "  User dee\n");
    const SshConfigImportResult result = parseSshConfigText(text, QStringLiteral("/home/example"));
    QCOMPARE(result.hosts.size(), 2);
    QCOMPARE(result.hosts.at(0).user, QStringLiteral("everyone"));
    QCOMPARE(result.hosts.at(1).user, QStringLiteral("everyone")); // Match all comes first for d too
}

void TestSshConfigImport::includeLimits()
{
    // A file that includes itself stops at the depth limit with a warning; a missing include is ignored.
    QTemporaryDir home;
    QVERIFY(QDir().mkpath(home.filePath(QStringLiteral(".ssh"))));
    QFile loop(home.filePath(QStringLiteral(".ssh/loop.conf")));
    QVERIFY(loop.open(QIODevice::WriteOnly));
    loop.write("Include loop.conf\nHost looped\n  Port 2023\n");
    loop.close();
    const SshConfigImportResult result =
        parseSshConfigText(QStringLiteral("Include does-not-exist.conf\nInclude loop.conf\n"), home.path());
    QCOMPARE(result.hosts.size(), 1);
    QCOMPARE(result.hosts.first().alias, QStringLiteral("looped"));
    QCOMPARE(result.hosts.first().port, 2023);
    QCOMPARE(result.warnings.size(), 1);
    QVERIFY(result.warnings.first().contains(QLatin1String("nested more than 16 levels")));
}

void TestSshConfigImport::proxyJumpAndCommand()
{
    // Whichever of ProxyJump and ProxyCommand is obtained first is the one ssh uses; "none" means a direct
    // connection; ProxyCommand's value is the rest of the line.
    const QString text = QStringLiteral("Host jumped\n"
                                        "  ProxyJump admin@bastion:2222,second\n"
                                        "Host piped\n"
                                        "  ProxyCommand ssh -W %h:%p bastion\n"
                                        "Host direct\n"
                                        "  ProxyJump none\n"
                                        "Host plain\n"
                                        "Host *.inner jumped\n"
                                        "  ProxyCommand nc %h %p\n"
                                        "Host * !plain\n"
                                        "  ProxyJump bastion\n");
    const SshConfigImportResult result = parseSshConfigText(text, QStringLiteral("/home/example"));
    QCOMPARE(result.hosts.size(), 4);
    QCOMPARE(result.hosts.at(0).proxyKeyword, QStringLiteral("ProxyJump"));
    QCOMPARE(result.hosts.at(0).proxy, QStringLiteral("admin@bastion:2222,second"));
    QCOMPARE(result.hosts.at(1).proxyKeyword, QStringLiteral("ProxyCommand"));
    QCOMPARE(result.hosts.at(1).proxy, QStringLiteral("ssh -W %h:%p bastion"));
    QVERIFY(result.hosts.at(2).proxyKeyword.isEmpty()); // "none" came first
    QVERIFY(result.hosts.at(2).proxy.isEmpty());
    QCOMPARE(result.hosts.at(3).alias, QStringLiteral("plain"));
    QVERIFY(result.hosts.at(3).proxyKeyword.isEmpty()); // excluded from "Host * !plain"
    QVERIFY(result.warnings.isEmpty());
}

QTEST_GUILESS_MAIN(TestSshConfigImport)
#include "tst_ssh_config_import.moc"
