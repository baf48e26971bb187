// Sync: a real git work tree made here (tracked, untracked and ignored files, a submodule, a symlink, an executable,
// a name with spaces and unicode, a 50 MB file, an extra file) sent to a real OpenSSH sshd on loopback over SFTP on
// the connection's own session, compared byte for byte and mode for mode; then changes, deletions, a wiped host,
// a cancel in the middle, a folder that is not a git work tree, and the way back (pull).
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "ssh/SshPool.h"
#include "sync/SyncService.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

namespace {

const QString kUnicodeName = QStringLiteral("dir with space/ünïcödé fïlé €.txt");

bool git(const QString &dir, const QStringList &args, QByteArray *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-c"), QStringLiteral("user.name=Test"),
                                               QStringLiteral("-c"), QStringLiteral("user.email=test@example.invalid"),
                                               QStringLiteral("-c"), QStringLiteral("protocol.file.allow=always"),
                                               QStringLiteral("-c"), QStringLiteral("init.defaultBranch=main")} +
                                       args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "git" << args << p.readAllStandardError();
        return false;
    }
    if (out) {
        *out = p.readAllStandardOutput();
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &content, int mode = 0644)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    f.write(content);
    f.close();
    return ::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

int modeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    auto *words = reinterpret_cast<quint32 *>(b.data());
    QRandomGenerator::global()->fillRange(words, size / 4);
    return b;
}

// Temporary files a sync may leave while it works: there must be none once it ended.
QStringList partFiles(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (QFileInfo(p).fileName().contains(QStringLiteral("gpudeck-part"))) {
            out << p;
        }
    }
    return out;
}

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    QTemporaryDir m_work;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    QString m_repo;
    QString m_remoteName;
    int m_project = 0;

    QString remoteRoot() const { return m_sshd.homeDir() + QLatin1Char('/') + m_remoteName; }

    QStringList tracked()
    {
        QByteArray out;
        if (!git(m_repo, {QStringLiteral("ls-files"), QStringLiteral("-z"), QStringLiteral("--recurse-submodules")},
                 &out)) {
            return {};
        }
        QStringList files;
        for (const QByteArray &f : out.split('\0')) {
            if (!f.isEmpty()) {
                files << QString::fromUtf8(f);
            }
        }
        return files;
    }

    QJsonObject syncNow(const QJsonObject &body = {})
    {
        const HttpReply r = m_http->post(QStringLiteral("/api/dgx/projects/%1/sync?wait=120").arg(m_project), body);
        if (r.status != 200) {
            qWarning() << r.status << r.body;
        }
        return r.object();
    }

    // Every tracked file that exists in the work tree is on the host with the same bytes and mode; a symlink is a
    // symlink to the same target.
    void compareTree()
    {
        const QStringList files = tracked();
        QVERIFY(files.size() >= 8);
        for (const QString &f : files) {
            const QString local = m_repo + QLatin1Char('/') + f;
            const QString remote = remoteRoot() + QLatin1Char('/') + f;
            const QFileInfo li(local);
            if (!li.exists() && !li.isSymLink()) {
                QVERIFY2(!QFileInfo(remote).exists(), qPrintable(f));
                continue;
            }
            if (li.isSymLink()) {
                QVERIFY2(QFileInfo(remote).isSymLink(), qPrintable(f));
                QCOMPARE(QFile::symLinkTarget(remote).section(QLatin1Char('/'), -1),
                         QFile::symLinkTarget(local).section(QLatin1Char('/'), -1));
                continue;
            }
            QVERIFY2(readFile(remote) == readFile(local), qPrintable(f));
            QCOMPARE(modeOf(remote), modeOf(local));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        QVERIFY(m_work.isValid());

        // The submodule's own repository.
        const QString sub = m_work.filePath(QStringLiteral("sub"));
        QVERIFY(QDir().mkpath(sub));
        QVERIFY(git(sub, {QStringLiteral("init"), QStringLiteral("-q")}));
        QVERIFY(writeFile(sub + QStringLiteral("/lib.py"), "def f():\n    return 42\n"));
        QVERIFY(writeFile(sub + QStringLiteral("/tool.sh"), "#!/bin/sh\necho tool\n", 0755));
        QVERIFY(git(sub, {QStringLiteral("add"), QStringLiteral(".")}));
        QVERIFY(
            git(sub, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("sub")}));

        m_repo = m_work.filePath(QStringLiteral("repo"));
        QVERIFY(QDir().mkpath(m_repo));
        QVERIFY(git(m_repo, {QStringLiteral("init"), QStringLiteral("-q")}));
        QVERIFY(writeFile(m_repo + QStringLiteral("/README.md"), "# project\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/src/train.py"), "print('train')\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/src/model/net.py"), "class Net: pass\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/run.sh"), "#!/bin/sh\npython src/train.py\n", 0755));
        QVERIFY(writeFile(m_repo + QStringLiteral("/secret-ish.cfg"), "mode 640\n", 0640));
        QVERIFY(writeFile(m_repo + QLatin1Char('/') + kUnicodeName, "unicode ✓\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/empty.txt"), QByteArray()));
        QVERIFY(writeFile(m_repo + QStringLiteral("/data/big.bin"), randomBytes(50 * 1024 * 1024)));
        QVERIFY(QFile::link(QStringLiteral("README.md"), m_repo + QStringLiteral("/readme-link")));
        QVERIFY(writeFile(m_repo + QStringLiteral("/.gitignore"), ".venv/\n*.log\n.env\n"));
        QVERIFY(git(m_repo, {QStringLiteral("add"), QStringLiteral(".")}));
        QVERIFY(git(m_repo, {QStringLiteral("submodule"), QStringLiteral("add"), QStringLiteral("-q"), sub,
                             QStringLiteral("vendor/sub")}));
        QVERIFY(git(m_repo,
                    {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("init")}));
        // Never sent: untracked, ignored.
        QVERIFY(writeFile(m_repo + QStringLiteral("/untracked.txt"), "not tracked\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/train.log"), "ignored\n"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/.venv/lib/site.py"), "ignored\n"));
        // Sent as an extra file, mode 0600.
        QVERIFY(writeFile(m_repo + QStringLiteral("/.env"), "API_KEY=not-a-real-key\n", 0644));

        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        const auto c = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("pod")},
                                     {QStringLiteral("hostname"), m_sshd.host()},
                                     {QStringLiteral("port"), m_sshd.port()},
                                     {QStringLiteral("username"), m_sshd.user()},
                                     {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}});
        QCOMPARE(c.status, 201);
        const auto connected = m_http->post(QStringLiteral("/api/dgx/connect/pod"),
                                            {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        QCOMPARE(connected.status, 200);
        m_remoteName = QStringLiteral("sync-%1").arg(QRandomGenerator::global()->generate(), 0, 16);
        const auto p = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), QStringLiteral("pod")},
                                     {QStringLiteral("name"), QStringLiteral("train")},
                                     {QStringLiteral("remote_path"), QStringLiteral("~/") + m_remoteName},
                                     {QStringLiteral("create_remote_path"), true},
                                     {QStringLiteral("local_path"), m_repo},
                                     {QStringLiteral("extra_files"), QJsonArray{QStringLiteral(".env")}}});
        QVERIFY2(p.status == 201, p.body.constData());
        QCOMPARE(p.object().value(QStringLiteral("local_path")).toString(), m_repo);
        m_project = p.object().value(QStringLiteral("id")).toInt();
    }

    void cleanupTestCase()
    {
        if (!m_remoteName.isEmpty() && m_sshd.available()) {
            QDir(remoteRoot()).removeRecursively();
        }
        m_http.reset();
        m_tc.reset();
    }

    void refusesWhatIsNotAGitWorkTree()
    {
        QTemporaryDir plain;
        const auto r =
            m_http->post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("pod")},
                                                               {QStringLiteral("name"), QStringLiteral("plain")},
                                                               {QStringLiteral("local_path"), plain.path()}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("not_a_git_work_tree"));
        QVERIFY(r.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("not a git work tree")));
        const auto relative = m_http->put(QStringLiteral("/api/dgx/projects/%1").arg(m_project),
                                          {{QStringLiteral("local_path"), QStringLiteral("repo")}});
        QCOMPARE(relative.status, 400);
        const auto missing = m_http->put(QStringLiteral("/api/dgx/projects/%1").arg(m_project),
                                         {{QStringLiteral("local_path"), m_work.filePath(QStringLiteral("nope"))}});
        QCOMPARE(missing.status, 400);
        const auto pattern = m_http->put(QStringLiteral("/api/dgx/projects/%1").arg(m_project),
                                         {{QStringLiteral("extra_files"), QJsonArray{QStringLiteral("*.env")}}});
        QCOMPARE(pattern.status, 400);
        QCOMPARE(pattern.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("extra_files"));
        // A project without local_path cannot sync, and says why.
        const auto bare =
            m_http->post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("pod")},
                                                               {QStringLiteral("name"), QStringLiteral("bare")}});
        QCOMPARE(bare.status, 201);
        const auto refused = m_http->post(
            QStringLiteral("/api/dgx/projects/%1/sync").arg(bare.object().value(QStringLiteral("id")).toInt()), {});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), QStringLiteral("no_local_path"));
    }

    void firstSyncSendsTrackedFilesOnly()
    {
        const QJsonObject op = syncNow();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QJsonObject summary = op.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 0);
        QCOMPARE(summary.value(QStringLiteral("extra_files_sent")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("sent")).toInt(), static_cast<int>(tracked().size()) + 1);
        QCOMPARE(op.value(QStringLiteral("bytes_done")).toInteger(),
                 op.value(QStringLiteral("bytes_total")).toInteger());
        compareTree();
        // The submodule's tracked files, the executable, the unicode name.
        QVERIFY(QFile::exists(remoteRoot() + QStringLiteral("/vendor/sub/lib.py")));
        QCOMPARE(modeOf(remoteRoot() + QStringLiteral("/vendor/sub/tool.sh")), 0755);
        QCOMPARE(modeOf(remoteRoot() + QStringLiteral("/run.sh")), 0755);
        QCOMPARE(modeOf(remoteRoot() + QStringLiteral("/secret-ish.cfg")), 0640);
        QCOMPARE(readFile(remoteRoot() + QLatin1Char('/') + kUnicodeName), QByteArray("unicode ✓\n"));
        QVERIFY(QFileInfo(remoteRoot() + QStringLiteral("/readme-link")).isSymLink());
        QCOMPARE(QFileInfo(remoteRoot() + QStringLiteral("/readme-link")).symLinkTarget(),
                 remoteRoot() + QStringLiteral("/README.md"));
        // Never untracked or ignored files.
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/untracked.txt")));
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/train.log")));
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/.venv")));
        // The extra file, 0600 whatever its local mode.
        QCOMPARE(readFile(remoteRoot() + QStringLiteral("/.env")), QByteArray("API_KEY=not-a-real-key\n"));
        QCOMPARE(modeOf(remoteRoot() + QStringLiteral("/.env")), 0600);
        QVERIFY(partFiles(remoteRoot()).isEmpty());
        // The extra file is never named in what the sync reports.
        QVERIFY(!QJsonDocument(op).toJson().contains("not-a-real-key"));
    }

    void noChangeResyncSendsNothing()
    {
        QElapsedTimer t;
        t.start();
        const QJsonObject op = syncNow();
        const qint64 ms = t.elapsed();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QJsonObject summary = op.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("sent")).toInt(), 0);
        QCOMPARE(summary.value(QStringLiteral("deleted")).toInt(), 0);
        QCOMPARE(summary.value(QStringLiteral("verified")).toBool(), false);
        QCOMPARE(summary.value(QStringLiteral("unchanged")).toInt(), static_cast<int>(tracked().size()) + 1);
        qInfo() << "no-change re-sync over the API:" << ms << "ms";
        QVERIFY2(ms < 3000, qPrintable(QString::number(ms)));
    }

    void changeDeleteAndResync()
    {
        // A changed file (same size, other bytes), a touched one (same bytes, new mtime), a deletion from git.
        QVERIFY(writeFile(m_repo + QStringLiteral("/src/train.py"), "print('TRAIN')\n"));
        QFile readme(m_repo + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::ReadWrite));
        QVERIFY(readme.setFileTime(QDateTime::currentDateTimeUtc().addSecs(5), QFileDevice::FileModificationTime));
        readme.close();
        QVERIFY(git(m_repo, {QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("src/model/net.py")}));
        QVERIFY(writeFile(m_repo + QStringLiteral("/src/new.py"), "new\n"));
        QVERIFY(git(m_repo, {QStringLiteral("add"), QStringLiteral("src/new.py")}));
        QVERIFY(::chmod(QFile::encodeName(m_repo + QStringLiteral("/README.md")).constData(), 0600) == 0);

        const QJsonObject op = syncNow();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QJsonObject summary = op.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("sent")).toInt(), 3); // train.py, new.py, README.md (its mode changed)
        QCOMPARE(summary.value(QStringLiteral("deleted")).toInt(), 1);
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/src/model/net.py")));
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/src/model"))); // emptied by the deletion
        QCOMPARE(readFile(remoteRoot() + QStringLiteral("/src/train.py")), QByteArray("print('TRAIN')\n"));
        QCOMPARE(modeOf(remoteRoot() + QStringLiteral("/README.md")), 0600);
        compareTree();

        // Touched only: not sent.
        QVERIFY(readme.open(QIODevice::ReadWrite));
        QVERIFY(readme.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60), QFileDevice::FileModificationTime));
        readme.close();
        const QJsonObject again = syncNow();
        QCOMPARE(again.value(QStringLiteral("summary")).toObject().value(QStringLiteral("sent")).toInt(), 0);
    }

    void wipedHostIsVerifiedAndRepaired()
    {
        // The host lost files behind GPU Deck's back (a pod's container disk after a restart): the marker is gone.
        QDir markers(remoteRoot());
        const QStringList found = markers.entryList({QStringLiteral(".gpudeck-sync-*")}, QDir::Files | QDir::Hidden);
        QCOMPARE(found.size(), 1);
        QVERIFY(QFile::remove(remoteRoot() + QLatin1Char('/') + found.first()));
        QVERIFY(QFile::remove(remoteRoot() + QStringLiteral("/src/train.py")));
        QVERIFY(QFile::remove(remoteRoot() + QLatin1Char('/') + kUnicodeName));
        const QJsonObject op = syncNow();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QJsonObject summary = op.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("verified")).toBool(), true);
        QCOMPARE(summary.value(QStringLiteral("sent")).toInt(), 2);
        compareTree();
        // And ?verify on request finds a file changed on the host.
        QVERIFY(writeFile(remoteRoot() + QStringLiteral("/src/new.py"), "changed there\n"));
        const QJsonObject verified = syncNow({{QStringLiteral("verify"), true}});
        QCOMPARE(verified.value(QStringLiteral("summary")).toObject().value(QStringLiteral("sent")).toInt(), 1);
        compareTree();
    }

    void cancelLeavesNoHalfFile()
    {
        const QByteArray before = readFile(remoteRoot() + QStringLiteral("/data/big.bin"));
        QVERIFY(writeFile(m_repo + QStringLiteral("/data/big.bin"), randomBytes(50 * 1024 * 1024)));
        SyncService &sync = m_tc->core().sync();
        const auto started = sync.sync(m_project);
        QVERIFY(started.ok());
        const QString id = started->progress.id;
        // Stop the host in the middle of the transfer, so the cancel lands while the file is half-written.
        QElapsedTimer t;
        t.start();
        for (;;) {
            const auto p = sync.progress(id);
            QVERIFY(p);
            QVERIFY2(!p->isFinal(), "the sync ended before it could be cancelled");
            if (p->bytesDone >= 2 * 1024 * 1024) {
                break;
            }
            QVERIFY(t.elapsed() < 60000);
            QThread::usleep(200);
        }
        m_sshd.pause();
        const HttpReply cancel = m_http->post(QStringLiteral("/api/dgx/sync/%1/cancel").arg(id), {});
        QCOMPARE(cancel.status, 200);
        QTest::qWait(100);
        // Half of it may be on the host, under its temporary name only.
        QCOMPARE(readFile(remoteRoot() + QStringLiteral("/data/big.bin")), before);
        m_sshd.resume();
        const HttpReply done = m_http->get(QStringLiteral("/api/dgx/sync/%1?wait=60").arg(id));
        QCOMPARE(done.status, 200);
        QCOMPARE(done.object().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(readFile(remoteRoot() + QStringLiteral("/data/big.bin")), before);
        QTRY_VERIFY(partFiles(remoteRoot()).isEmpty());
        // The next sync sends it.
        const QJsonObject op = syncNow();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(op.value(QStringLiteral("summary")).toObject().value(QStringLiteral("sent")).toInt(), 1);
        compareTree();
    }

    void linkStaysResponsiveDuringTransfer()
    {
        QVERIFY(writeFile(m_repo + QStringLiteral("/data/big.bin"), randomBytes(50 * 1024 * 1024)));
        SyncService &sync = m_tc->core().sync();
        const auto started = sync.sync(m_project);
        QVERIFY(started.ok());
        const qint64 connection = started->progress.connectionId;
        QTRY_VERIFY_WITH_TIMEOUT(sync.progress(started->progress.id)->bytesDone > 0 ||
                                     sync.progress(started->progress.id)->isFinal(),
                                 30000);
        // A command on the same session while the file streams: answered promptly.
        QElapsedTimer t;
        t.start();
        auto exec = m_tc->core().ssh().exec(connection, QStringLiteral("echo alive"));
        QTRY_VERIFY_WITH_TIMEOUT(exec.isFinished(), 10000);
        const qint64 ms = t.elapsed();
        QVERIFY(exec.result().ok());
        QCOMPARE(exec.result().value().stdOut, QByteArray("alive\n"));
        qInfo() << "exec during a transfer:" << ms
                << "ms; sync state then:" << sync.progress(started->progress.id)->state;
        QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
        QTRY_VERIFY_WITH_TIMEOUT(sync.progress(started->progress.id)->isFinal(), 120000);
        QCOMPARE(sync.progress(started->progress.id)->state, QStringLiteral("completed"));
    }

    void pullBringsResultsBack()
    {
        // Results made on the host: a folder with a nested file and a log.
        QVERIFY(writeFile(remoteRoot() + QStringLiteral("/runs/7/metrics.json"), "{\"loss\": 0.1}\n"));
        QVERIFY(
            writeFile(remoteRoot() + QStringLiteral("/runs/7/ckpt/model.pt"), randomBytes(3 * 1024 * 1024 + 17), 0600));
        // Made here as root: the host's user must own them to read a 0600 file.
        const struct passwd *user = ::getpwnam(qPrintable(test::SshServer::testUserName()));
        QVERIFY(user);
        for (const QString &p : {QStringLiteral("/runs"), QStringLiteral("/runs/7"), QStringLiteral("/runs/7/ckpt"),
                                 QStringLiteral("/runs/7/ckpt/model.pt")}) {
            QVERIFY(::chown(QFile::encodeName(remoteRoot() + p).constData(), user->pw_uid, user->pw_gid) == 0);
        }
        QVERIFY(writeFile(remoteRoot() + QStringLiteral("/train.out"), "done\n"));
        QTemporaryDir into;
        const HttpReply r =
            m_http->post(QStringLiteral("/api/dgx/projects/%1/pull?wait=60").arg(m_project),
                         {{QStringLiteral("paths"), QJsonArray{QStringLiteral("runs/7"), QStringLiteral("train.out")}},
                          {QStringLiteral("local_dir"), into.path()}});
        QCOMPARE(r.status, 200);
        QVERIFY2(r.object().value(QStringLiteral("state")).toString() == QStringLiteral("completed"),
                 r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("summary")).toObject().value(QStringLiteral("sent")).toInt(), 3);
        QCOMPARE(readFile(into.filePath(QStringLiteral("7/metrics.json"))),
                 readFile(remoteRoot() + QStringLiteral("/runs/7/metrics.json")));
        QCOMPARE(readFile(into.filePath(QStringLiteral("7/ckpt/model.pt"))),
                 readFile(remoteRoot() + QStringLiteral("/runs/7/ckpt/model.pt")));
        QCOMPARE(modeOf(into.filePath(QStringLiteral("7/ckpt/model.pt"))), 0600);
        QCOMPARE(readFile(into.filePath(QStringLiteral("train.out"))), QByteArray("done\n"));
        QVERIFY(partFiles(into.path()).isEmpty());
        // A path that is not there: the pull fails and says which.
        const HttpReply missing = m_http->post(QStringLiteral("/api/dgx/projects/%1/pull?wait=60").arg(m_project),
                                               {{QStringLiteral("paths"), QJsonArray{QStringLiteral("nope")}},
                                                {QStringLiteral("local_dir"), into.path()}});
        QCOMPARE(missing.object().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(missing.object()
                     .value(QStringLiteral("summary"))
                     .toObject()
                     .value(QStringLiteral("errors"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("path"))
                     .toString(),
                 QStringLiteral("nope"));
        // The operations are listed, newest first.
        const QJsonArray ops = m_http->get(QStringLiteral("/api/dgx/sync?project_id=%1").arg(m_project)).array();
        QVERIFY(ops.size() >= 2);
        QCOMPARE(ops.at(0).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("pull"));
    }

    // A job with sync_before_start: its start syncs the project first, so the job sees a file that was only added to
    // git locally; a job whose project cannot sync does not start.
    void jobSyncsBeforeItStarts()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("tmux")).isEmpty()) {
            QSKIP("tmux is not installed");
        }
        m_tc->core().startJobSupervision();
        const QByteArray stamp = QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        QVERIFY(writeFile(m_repo + QStringLiteral("/stamp.txt"), stamp + '\n'));
        QVERIFY(git(m_repo, {QStringLiteral("add"), QStringLiteral("stamp.txt")}));
        QVERIFY(!QFile::exists(remoteRoot() + QStringLiteral("/stamp.txt")));
        const int id = test::jobs::createJob(*m_http, m_project, QStringLiteral("cat ~/%1/stamp.txt").arg(m_remoteName),
                                             {{QStringLiteral("sync_before_start"), true}});
        QVERIFY(id > 0);
        const HttpReply started = test::jobs::start(*m_http, id);
        QVERIFY2(started.status == 200, started.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(test::jobs::status(*m_http, id), QStringLiteral("completed"), 60000);
        QVERIFY(test::jobs::logLines(*m_http, id).contains(QString::fromLatin1(stamp)));
        QCOMPARE(readFile(remoteRoot() + QStringLiteral("/stamp.txt")), stamp + '\n');

        // Without a local folder there is nothing to sync from: the start is refused and the job does not run.
        const auto bare =
            m_http->post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("pod")},
                                                               {QStringLiteral("name"), QStringLiteral("no-folder")}});
        QCOMPARE(bare.status, 201);
        const int refusedJob =
            test::jobs::createJob(*m_http, bare.object().value(QStringLiteral("id")).toInt(),
                                  QStringLiteral("echo ran"), {{QStringLiteral("sync_before_start"), true}});
        QVERIFY(refusedJob > 0);
        const HttpReply refused = test::jobs::start(*m_http, refusedJob);
        QVERIFY2(refused.status >= 400, refused.body.constData());
        QVERIFY(test::jobs::status(*m_http, refusedJob) != QStringLiteral("completed"));
    }
};

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
