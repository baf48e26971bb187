// Sync and Pull from the Jobs pane (issue 12), over a real Core, a real git repository made by the test and the
// loopback test sshd: ProjectDialog's local folder (checked as typed) and extra files (added, removed, saved), the
// Sync button (enabled only with a local folder and the host connected), its progress dialog to the summary, a
// no-change re-sync, Cancel, and the Pull dialog into a local folder. Skipped when the sshd fixture cannot run.
#include "RecordTable.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobsPane.h"
#include "jobs/ProjectDialog.h"
#include "jobs/PullDialog.h"
#include "jobs/SyncProgressDialog.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/ProjectRepository.h"
#include "sync/SyncService.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <random>
#include <sys/stat.h>

using namespace gpudeck;

namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool git(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-c"), QStringLiteral("user.name=test"),
                                               QStringLiteral("-c"), QStringLiteral("user.email=test@example.invalid"),
                                               QStringLiteral("-c"), QStringLiteral("commit.gpgsign=false")} +
                                       args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

int modeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

} // namespace

class TestGuiSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void projectDialogTakesLocalFolderAndExtraFiles();
    void syncButtonFollowsFolderAndLink();
    void syncShowsProgressAndSummary();
    void cancelStopsTheSync();
    void pullCopiesIntoALocalFolder();

private:
    qint64 makeProject(const QString &name, const QString &localPath, const QStringList &extra = {});
    bool connectHost();
    JobsPane *pane() { return m_pane.get(); }

    std::unique_ptr<test::SshServer> m_sshd;
    std::unique_ptr<test::TestCore> m_core;
    std::unique_ptr<JobsPane> m_pane;
    QTemporaryDir m_dir;
    QString m_repo;
    qint64 m_connectionId = 0;
};

void TestGuiSync::initTestCase()
{
    m_sshd = std::make_unique<test::SshServer>();
    QString error;
    if (!m_sshd->available() || !m_sshd->start(&error)) {
        QSKIP(qPrintable(QStringLiteral("no sshd fixture: %1%2").arg(m_sshd->unavailableReason(), error)));
    }
    // The repository: tracked files (one executable, one in a folder), an untracked and an ignored one, and a
    // .env beside them that only goes as an extra file.
    m_repo = m_dir.filePath(QStringLiteral("repo"));
    QVERIFY(writeFile(m_repo + QStringLiteral("/train.py"), "print('train')\n"));
    QVERIFY(writeFile(m_repo + QStringLiteral("/run.sh"), "#!/bin/sh\npython3 train.py\n"));
    QVERIFY(::chmod(QFile::encodeName(m_repo + QStringLiteral("/run.sh")).constData(), 0755) == 0);
    QVERIFY(writeFile(m_repo + QStringLiteral("/configs/base.yaml"), "lr: 0.001\n"));
    QVERIFY(writeFile(m_repo + QStringLiteral("/.gitignore"), ".env\nweights/\n"));
    QVERIFY(git(m_repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    QVERIFY(git(m_repo, {QStringLiteral("add"), QStringLiteral(".")}));
    QVERIFY(git(m_repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("x")}));
    QVERIFY(writeFile(m_repo + QStringLiteral("/notes.txt"), "untracked\n"));
    QVERIFY(writeFile(m_repo + QStringLiteral("/weights/model.bin"), QByteArray(4096, 'w')));
    QVERIFY(writeFile(m_repo + QStringLiteral("/.env"), "TOKEN=not-a-real-token\n"));
}

void TestGuiSync::init()
{
    m_core = std::make_unique<test::TestCore>(false, std::make_unique<MemorySecretStore>());
    Connection c;
    c.name = QStringLiteral("box");
    c.hostname = m_sshd->host();
    c.port = m_sshd->port();
    c.username = m_sshd->user();
    c.authMethod = QStringLiteral("key");
    c.sshKeyPath = m_sshd->keyPath(QStringLiteral("ed25519"));
    const auto created = m_core->core().connections().create(c);
    QVERIFY(created.ok());
    m_connectionId = created->id;
    m_pane = std::make_unique<JobsPane>(m_core->core());
    m_pane->resize(1000, 700);
    m_pane->show();
}

void TestGuiSync::cleanup()
{
    m_pane.reset();
    m_core.reset();
}

bool TestGuiSync::connectHost()
{
    const auto connection = m_core->core().connections().get(m_connectionId);
    QFuture<Status> connected = m_core->core().ssh().connectTo(connection.value(), m_sshd->hostKeyFingerprint());
    if (!QTest::qWaitFor([&] { return connected.isFinished(); }, 20000)) {
        return false;
    }
    return connected.result().ok();
}

qint64 TestGuiSync::makeProject(const QString &name, const QString &localPath, const QStringList &extra)
{
    Project p;
    p.connectionId = m_connectionId;
    p.name = name;
    p.projectType = QStringLiteral("other");
    p.remotePath = m_sshd->homeDir() + QStringLiteral("/gui-sync/") + name;
    p.localPath = localPath;
    p.extraFiles = extra;
    const auto created = m_core->core().projects().create(p);
    return created.ok() ? created->id : 0;
}

void TestGuiSync::projectDialogTakesLocalFolderAndExtraFiles()
{
    Core &core = m_core->core();
    Project project;
    project.connectionId = m_connectionId;
    project.name = QStringLiteral("dialog");
    project.remotePath = QStringLiteral("/tmp/dialog");
    ProjectDialog dialog(core.projects(), core.connections().list().value(), project);
    auto *local = dialog.findChild<QLineEdit *>(QStringLiteral("localPathEdit"));
    auto *hint = dialog.findChild<QLabel *>(QStringLiteral("localPathHint"));
    auto *list = dialog.findChild<QListWidget *>(QStringLiteral("extraFilesList"));
    QVERIFY(local && hint && list);
    QVERIFY(hint->text().contains(QStringLiteral("Sync is off")));

    // A folder that is not a git work tree: said as it is typed, and refused on save with the field marked.
    const QString plain = m_dir.filePath(QStringLiteral("plain"));
    QVERIFY(QDir().mkpath(plain));
    local->setText(plain);
    QVERIFY2(hint->text().contains(QStringLiteral("not a git work tree")), qPrintable(hint->text()));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("git")));
    local->setText(QStringLiteral("relative/path"));
    QVERIFY(hint->text().contains(QStringLiteral("absolute")));

    // The repository: fine. Extra files inside it become relative, outside stay absolute; each is listed once.
    local->setText(m_repo);
    QVERIFY2(hint->text().contains(QStringLiteral("git tracks")), qPrintable(hint->text()));
    const QString outside = m_dir.filePath(QStringLiteral("secrets/cloud.json"));
    QVERIFY(writeFile(outside, "{}"));
    dialog.addExtraFiles({m_repo + QStringLiteral("/.env"), outside, m_repo + QStringLiteral("/.env")});
    QCOMPARE(dialog.extraFiles(), (QStringList{QStringLiteral(".env"), outside}));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("extraFilesNote"))->text().contains(QStringLiteral("0600")));
    auto *remove = dialog.findChild<QPushButton *>(QStringLiteral("removeExtraFileButton"));
    QVERIFY(!remove->isEnabled());
    list->item(1)->setSelected(true);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(dialog.extraFiles(), QStringList{QStringLiteral(".env")});

    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto saved = core.projects().get(dialog.saved().id);
    QVERIFY(saved.ok());
    QCOMPARE(saved->localPath, m_repo);
    QCOMPARE(saved->extraFiles, QStringList{QStringLiteral(".env")});

    // Editing shows them again.
    ProjectDialog edit(core.projects(), core.connections().list().value(), saved.value());
    QCOMPARE(edit.findChild<QLineEdit *>(QStringLiteral("localPathEdit"))->text(), m_repo);
    QCOMPARE(edit.extraFiles(), QStringList{QStringLiteral(".env")});
}

void TestGuiSync::syncButtonFollowsFolderAndLink()
{
    const qint64 without = makeProject(QStringLiteral("no-folder"), QString());
    const qint64 with = makeProject(QStringLiteral("with-folder"), m_repo);
    QVERIFY(without > 0 && with > 0);
    QPushButton *sync = pane()->syncButton();
    QPushButton *pull = pane()->pullButton();
    QTRY_VERIFY(pane()->projectsView()->model()->rowCount() == 2);
    pane()->selectProject(with);
    QVERIFY(!sync->isEnabled()); // not connected
    QVERIFY(sync->toolTip().contains(QStringLiteral("Connect box")));
    QVERIFY(!pull->isEnabled());
    QVERIFY(connectHost());
    QTRY_VERIFY(sync->isEnabled());
    QVERIFY(pull->isEnabled());
    pane()->selectProject(without);
    QVERIFY(!sync->isEnabled()); // no local folder
    QVERIFY(sync->toolTip().contains(QStringLiteral("local folder")));
    QVERIFY(pull->isEnabled());
    m_core->core().ssh().disconnectFrom(m_connectionId);
    pane()->selectProject(with);
    QTRY_VERIFY(!sync->isEnabled());
}

void TestGuiSync::syncShowsProgressAndSummary()
{
    const qint64 id = makeProject(QStringLiteral("synced"), m_repo, {QStringLiteral(".env")});
    QVERIFY(id > 0);
    QVERIFY(connectHost());
    QTRY_VERIFY(pane()->projectsView()->model()->rowCount() == 1);
    pane()->selectProject(id);
    QTRY_VERIFY(pane()->syncButton()->isEnabled());
    QTest::mouseClick(pane()->syncButton(), Qt::LeftButton);
    auto *dialog = pane()->findChild<SyncProgressDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isFinished(), 30000);
    QCOMPARE(dialog->progress().state, QStringLiteral("completed"));
    // Tracked: .gitignore, train.py, run.sh, configs/base.yaml; and the extra .env.
    QCOMPARE(dialog->progress().summary.sent, 5);
    QCOMPARE(dialog->progress().summary.extra, 1);
    const QString summary = dialog->summaryLabel()->text();
    QVERIFY2(summary.contains(QStringLiteral("Sent 5 files")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("0600")), qPrintable(summary));
    QVERIFY(!dialog->cancelButton()->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("syncFiles"))->text().contains(QStringLiteral("5 of 5")));

    const QString remote = m_sshd->homeDir() + QStringLiteral("/gui-sync/synced");
    QCOMPARE(readFile(remote + QStringLiteral("/train.py")), QByteArray("print('train')\n"));
    QCOMPARE(modeOf(remote + QStringLiteral("/run.sh")), 0755);
    QCOMPARE(modeOf(remote + QStringLiteral("/.env")), 0600);
    QVERIFY(!QFile::exists(remote + QStringLiteral("/notes.txt")));
    QVERIFY(!QFile::exists(remote + QStringLiteral("/weights/model.bin")));

    // Closing and syncing again: nothing changed, nothing sent; the status bar hears the summary.
    QSignalSpy said(pane(), &JobsPane::message);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("closeSyncButton")), Qt::LeftButton);
    QTRY_VERIFY(pane()->syncButton()->isEnabled());
    SyncProgressDialog *again = pane()->syncProject(id);
    QVERIFY(again && again != dialog);
    QTRY_VERIFY_WITH_TIMEOUT(again->isFinished(), 30000);
    QCOMPARE(again->progress().state, QStringLiteral("completed"));
    QCOMPARE(again->progress().summary.sent, 0);
    QVERIFY2(again->summaryLabel()->text().contains(QStringLiteral("unchanged")),
             qPrintable(again->summaryLabel()->text()));
    QVERIFY(!said.isEmpty());
}

void TestGuiSync::cancelStopsTheSync()
{
    // A repository with enough data that a sync takes a while: 64 MB in 16 files.
    const QString repo = m_dir.filePath(QStringLiteral("big"));
    std::mt19937_64 rng(12);
    for (int i = 0; i < 16; ++i) {
        QByteArray data(4 * 1024 * 1024, Qt::Uninitialized);
        auto *words = reinterpret_cast<quint64 *>(data.data());
        for (qsizetype w = 0; w < data.size() / 8; ++w) {
            words[w] = rng();
        }
        QVERIFY(writeFile(repo + QStringLiteral("/data/part-%1.bin").arg(i), data));
    }
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    QVERIFY(git(repo, {QStringLiteral("add"), QStringLiteral(".")}));
    const qint64 id = makeProject(QStringLiteral("big"), repo);
    QVERIFY(connectHost());
    QTRY_VERIFY(pane()->projectsView()->model()->rowCount() == 1);
    pane()->selectProject(id);
    QTRY_VERIFY(pane()->syncButton()->isEnabled());
    SyncProgressDialog *dialog = pane()->syncProject(id);
    QVERIFY(dialog);
    // Sync again while it runs: the same dialog comes back, no second sync.
    QCOMPARE(pane()->syncProject(id), dialog);
    QVERIFY(dialog->cancelButton()->isVisible());
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isFinished(), 30000);
    QCOMPARE(dialog->progress().state, QStringLiteral("cancelled"));
    QVERIFY2(dialog->summaryLabel()->text().startsWith(QStringLiteral("Cancelled")),
             qPrintable(dialog->summaryLabel()->text()));
    // No file under its final name is shorter than the original: the cancelled transfer left no half file.
    const QString remote = m_sshd->homeDir() + QStringLiteral("/gui-sync/big/data");
    for (const QFileInfo &f : QDir(remote).entryInfoList(QDir::Files)) {
        if (f.fileName().startsWith(QStringLiteral("part-")) && f.fileName().endsWith(QStringLiteral(".bin"))) {
            QCOMPARE(f.size(), qint64(4 * 1024 * 1024));
        }
    }
}

void TestGuiSync::pullCopiesIntoALocalFolder()
{
    const qint64 id = makeProject(QStringLiteral("results"), m_repo);
    const QString remote = m_sshd->homeDir() + QStringLiteral("/gui-sync/results");
    QVERIFY(writeFile(remote + QStringLiteral("/runs/7/metrics.json"), "{\"loss\": 0.5}\n"));
    QVERIFY(writeFile(remote + QStringLiteral("/runs/7/logs/train.log"), "step 1\nstep 2\n"));
    QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), test::SshServer::testUserName(),
                                                m_sshd->homeDir() + QStringLiteral("/gui-sync")});
    QVERIFY(connectHost());
    QTRY_VERIFY(pane()->projectsView()->model()->rowCount() == 1);
    pane()->selectProject(id);
    QTRY_VERIFY(pane()->pullButton()->isEnabled());
    PullDialog *dialog = pane()->pullFromProject(id);
    QVERIFY(dialog);
    // Nothing named: refused inline.
    dialog->accept();
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("remote path")));
    const QString into = m_dir.filePath(QStringLiteral("pulled"));
    dialog->pathsEdit()->setPlainText(QStringLiteral("runs/7/metrics.json\n\n  runs/7/logs  \n"));
    dialog->localDirEdit()->setText(into);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("pullButton")), Qt::LeftButton);
    auto *progress = pane()->findChild<SyncProgressDialog *>(QStringLiteral("pullProgressDialog"));
    QVERIFY(progress);
    QTRY_VERIFY_WITH_TIMEOUT(progress->isFinished(), 30000);
    QCOMPARE(progress->progress().state, QStringLiteral("completed"));
    QVERIFY2(progress->summaryLabel()->text().contains(QStringLiteral("Pulled 2 files")),
             qPrintable(progress->summaryLabel()->text()));
    QCOMPARE(readFile(into + QStringLiteral("/metrics.json")), QByteArray("{\"loss\": 0.5}\n"));
    QCOMPARE(readFile(into + QStringLiteral("/logs/train.log")), QByteArray("step 1\nstep 2\n"));
}

QTEST_MAIN(TestGuiSync)
#include "tst_gui_sync.moc"
