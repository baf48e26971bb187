// The SSH side of the window over a real Core: link state, Connect / Disconnect, the console with its guard
// question, the host-key dialog, credentials to the keychain, and the ~/.ssh/config import. `local`
// connections need no sshd (they connect at once and run commands as local processes); the host-key flow
// through the pane runs against the real sshd fixture when the machine allows it.
#include "MainWindow.h"
#include "RecordTable.h"
#include "SshServer.h"
#include "TestCore.h"
#include "connections/ConnectionDialog.h"
#include "connections/ConnectionsModel.h"
#include "connections/ConnectionsPane.h"
#include "connections/ConsoleDialog.h"
#include "connections/HostKeyDialog.h"
#include "connections/SshImportDialog.h"
#include "fleet/FleetPane.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTreeWidget>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

template<typename T>
T *child(const QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// A keychain that is not there: every write fails the way KeychainSecretStore reports it.
class UnavailableSecretStore : public SecretStore
{
public:
    void read(const QString &, std::function<void(Result<QString>)> done) override
    {
        replyToCallingThread()([done] { done(unavailable()); });
    }
    void write(const QString &, const QString &, std::function<void(Status)> done) override
    {
        replyToCallingThread()([done] { done(unavailable()); });
    }
    void remove(const QString &, std::function<void(Status)> done) override
    {
        replyToCallingThread()([done] { done(unavailable()); });
    }

private:
    static Error unavailable()
    {
        return Error::make(
            ErrorCode::Unavailable, QStringLiteral("keychain_unavailable"),
            QStringLiteral("the system keychain is not available (no Secret Service on the session bus)"));
    }
};

// A Core like TestCore's, but with the secret store a test chooses and no API.
struct CoreWithSecrets
{
    explicit CoreWithSecrets(std::unique_ptr<SecretStore> secrets)
    {
        qputenv("GPUDECK_USER_KNOWN_HOSTS", dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
        store = secrets.get();
        core = std::make_unique<Core>(AppPaths(dir.path()), std::move(secrets));
        if (Status s = core->open(); !s.ok()) {
            qFatal("cannot open core: %s", qPrintable(s.error().message));
        }
    }
    QTemporaryDir dir;
    SecretStore *store = nullptr;
    std::unique_ptr<Core> core;
};

// Answers the pane's yes/no questions without a message box, and remembers what was asked.
struct Answers
{
    bool answer = false;
    QStringList asked;
    Confirm::Question question()
    {
        return [this](QWidget *, const QString &, const QString &text, const QString &) {
            asked << text;
            return answer;
        };
    }
};

bool isRed(const QColor &color)
{
    return color.red() > 150 && color.green() < 100 && color.blue() < 100;
}

// The colour of the output line that reads exactly `text` (the command line echoed above it does not count).
QColor lineColor(const QTextDocument *document, const QString &text)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (block.text() == text) {
            return block.begin().fragment().charFormat().foreground().color();
        }
    }
    return {};
}

} // namespace

class TestGuiSsh : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void connectRunDisconnectLocal();
    void guardedCommandAsksFirst();
    void consoleStopAndErrors();
    void consoleHistory();
    void cancelConnectInProgress();
    void hostKeyDialogUnknown();
    void hostKeyDialogChanged();
    void welcomeOnFirstStart();
    void importFromSshConfig();
    void importFlagsJumpHostsAliasesAndDuplicates();
    void passwordGoesToKeychainOnly();
    void keychainUnavailableIsShown();
    void connectionSecretsGoToKeychain();
    void hostKeyFlowAgainstSshd();
    void connectAllAndDisconnectAll();
    void editOfAConnectedHostAsksToReconnect();

private:
    qint64 createLocal(const QString &name);
    ConnectionsPane *pane() const { return m_window->connectionsPane(); }
    QString statusText(qint64 id) const;

    QTemporaryDir m_settingsDir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<MainWindow> m_window;
    Answers m_answers;
};

void TestGuiSsh::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
}

void TestGuiSsh::init()
{
    m_core = std::make_unique<TestCore>();
    m_window = std::make_unique<MainWindow>(m_core->core());
    m_answers = {};
    pane()->setQuestion(m_answers.question());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiSsh::cleanup()
{
    m_window.reset();
    m_core.reset();
}

qint64 TestGuiSsh::createLocal(const QString &name)
{
    Connection c;
    c.name = name;
    c.kind = QStringLiteral("local");
    const auto created = m_core->core().connections().create(c);
    if (!created.ok()) {
        qWarning("%s", qPrintable(created.error().message));
        return 0;
    }
    return created->id;
}

QString TestGuiSsh::statusText(qint64 id) const
{
    const QAbstractItemModel *model = pane()->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(Qt::UserRole).toLongLong() == id) {
            return model->index(row, ConnectionsModel::StatusColumn).data().toString();
        }
    }
    return {};
}

void TestGuiSsh::connectRunDisconnectLocal()
{
    const qint64 id = createLocal(QStringLiteral("this-box"));
    QVERIFY(id > 0);
    QTRY_COMPARE(statusText(id), QStringLiteral("Disconnected"));
    pane()->select(id);

    auto *connectButton = child<QPushButton>(pane(), "connectButton");
    auto *disconnectButton = child<QPushButton>(pane(), "disconnectButton");
    auto *runButton = child<QPushButton>(pane(), "runCommandButton");
    QVERIFY(connectButton && disconnectButton && runButton);
    QVERIFY(connectButton->isEnabled());
    QVERIFY(!disconnectButton->isEnabled());
    QVERIFY(!runButton->isEnabled());

    connectButton->click();
    QTRY_COMPARE(statusText(id), QStringLiteral("Connected"));
    QCOMPARE(pane()->link(id).shownState(), LinkState::Connected);
    QTRY_VERIFY(m_core->core().connections().get(id)->isActive); // the API sees the same
    QVERIFY(!connectButton->isEnabled());
    QVERIFY(disconnectButton->isEnabled());
    QVERIFY(runButton->isEnabled());
    QVERIFY(child<QLabel>(pane(), "linkDetailsText")->text().contains(QStringLiteral("Connected")));
    const QModelIndex cell = pane()->view()->model()->index(0, ConnectionsModel::StatusColumn);
    QVERIFY(!cell.data(Qt::DecorationRole).value<QIcon>().isNull()); // the coloured dot

    runButton->click();
    auto *console = pane()->findChild<ConsoleDialog *>();
    QVERIFY(console);
    QVERIFY(console->isVisible());
    QCOMPARE(child<QSpinBox>(console, "timeoutSpin")->value(), 30);
    console->setCommand(QStringLiteral("echo hi; echo err >&2; exit 3"));
    QSignalSpy ended(console, &ConsoleDialog::runEnded);
    child<QPushButton>(console, "runButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 10000);

    auto *output = child<QPlainTextEdit>(console, "outputView");
    const QString text = output->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("hi")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("err")), qPrintable(text));
    const QString result = child<QLabel>(console, "resultLabel")->text();
    QVERIFY2(result.contains(QStringLiteral("Exit code 3")), qPrintable(result));
    // Standard error is red, standard output is not.
    const QColor err = lineColor(output->document(), QStringLiteral("err"));
    QVERIFY(err.isValid());
    QVERIFY(isRed(err));
    const QColor hi = lineColor(output->document(), QStringLiteral("hi"));
    QVERIFY(hi.isValid());
    QVERIFY(!isRed(hi));

    // Audited as a GUI command.
    const auto log = m_core->core().execLog().list(id);
    QVERIFY(log.ok());
    QCOMPARE(log->size(), 1);
    QCOMPARE(log->first().caller, QStringLiteral("gui"));
    QCOMPARE(log->first().exitCode, 3);

    disconnectButton->click();
    QTRY_COMPARE(statusText(id), QStringLiteral("Disconnected"));
    QTRY_VERIFY(!m_core->core().connections().get(id)->isActive);
    QVERIFY(connectButton->isEnabled());
    QVERIFY(!runButton->isEnabled());
    QCOMPARE(m_core->core().ssh().status(id).state, LinkState::Disconnected);
}

void TestGuiSsh::guardedCommandAsksFirst()
{
    const qint64 id = createLocal(QStringLiteral("guarded-box"));
    pane()->select(id);
    pane()->connectTo(id);
    QTRY_COMPARE(pane()->link(id).shownState(), LinkState::Connected);
    ConsoleDialog *console = pane()->openConsole(id);
    QVERIFY(console);
    QSignalSpy ended(console, &ConsoleDialog::runEnded);

    // No: nothing runs, and the refusal is in the audit log.
    m_answers.answer = false;
    console->setCommand(QStringLiteral("true || reboot"));
    console->run();
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(m_answers.asked.size(), 1);
    QVERIFY2(m_answers.asked.first().contains(QStringLiteral("destructive")), qPrintable(m_answers.asked.first()));
    QVERIFY2(m_answers.asked.first().contains(QStringLiteral("reboot")), qPrintable(m_answers.asked.first()));
    QVERIFY(!m_answers.asked.first().contains(QStringLiteral("pass force"))); // API wording stays in the API
    auto log = m_core->core().execLog().list(id);
    QVERIFY(log.ok());
    QCOMPARE(log->size(), 1);
    QCOMPARE(log->first().outcome, QStringLiteral("refused"));
    QCOMPARE(log->first().command, QStringLiteral("true || reboot"));
    QVERIFY(child<QLabel>(console, "resultLabel")->text().contains(QStringLiteral("Not run")));

    // Yes: it runs, forced.
    m_answers.answer = true;
    QVERIFY(child<QLineEdit>(console, "commandEdit")->text().isEmpty()); // cleared like a prompt
    console->setCommand(QStringLiteral("true || reboot"));
    console->run();
    QTRY_COMPARE(ended.size(), 2);
    QCOMPARE(m_answers.asked.size(), 2);
    log = m_core->core().execLog().list(id);
    QVERIFY(log.ok());
    QCOMPARE(log->size(), 3); // refused, refused, then run with force
    QCOMPARE(log->first().outcome, QStringLiteral("ok"));
    QVERIFY(log->first().forced);
    QVERIFY(child<QLabel>(console, "resultLabel")->text().contains(QStringLiteral("Exit code 0")));
}

void TestGuiSsh::consoleStopAndErrors()
{
    const qint64 id = createLocal(QStringLiteral("slow-box"));
    pane()->connectTo(id);
    QTRY_COMPARE(pane()->link(id).shownState(), LinkState::Connected);
    ConsoleDialog *console = pane()->openConsole(id);
    QSignalSpy ended(console, &ConsoleDialog::runEnded);
    auto *result = child<QLabel>(console, "resultLabel");

    // Stop gives the window back at once; the command ends by its timeout and is audited as such.
    child<QSpinBox>(console, "timeoutSpin")->setValue(1);
    console->setCommand(QStringLiteral("sleep 30"));
    console->run();
    QVERIFY(console->isRunning());
    QVERIFY(child<QPushButton>(console, "stopButton")->isEnabled());
    console->stop();
    QCOMPARE(ended.size(), 1);
    QVERIFY(!console->isRunning());
    QVERIFY(child<QPushButton>(console, "runButton")->isEnabled());
    QVERIFY(result->text().contains(QStringLiteral("Stopped")));
    QTRY_VERIFY_WITH_TIMEOUT(!m_core->core().execLog().list(id)->isEmpty(), 10000);
    QCOMPARE(m_core->core().execLog().list(id)->first().outcome, QStringLiteral("timeout"));
    QTest::qWait(100);
    QCOMPARE(ended.size(), 1); // the late result is not shown

    // A timeout is said plainly.
    console->setCommand(QStringLiteral("sleep 30"));
    console->run();
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 10000);
    QVERIFY2(result->text().contains(QStringLiteral("did not finish")), qPrintable(result->text()));

    // So is "not connected".
    pane()->disconnectFrom(id);
    QTRY_COMPARE(pane()->link(id).shownState(), LinkState::Disconnected);
    console->setCommand(QStringLiteral("echo hi"));
    console->run();
    QTRY_COMPARE(ended.size(), 3);
    QVERIFY2(result->text().contains(QStringLiteral("connect it first")), qPrintable(result->text()));
}

void TestGuiSsh::consoleHistory()
{
    const qint64 id = createLocal(QStringLiteral("history-box"));
    pane()->connectTo(id);
    QTRY_COMPARE(pane()->link(id).shownState(), LinkState::Connected);
    ConsoleDialog *console = pane()->openConsole(id);
    QSignalSpy ended(console, &ConsoleDialog::runEnded);
    for (const char *command : {"echo one", "echo two"}) {
        const auto before = ended.size();
        console->setCommand(QString::fromLatin1(command));
        console->run();
        QTRY_COMPARE(ended.size(), before + 1);
    }
    auto *edit = child<QLineEdit>(console, "commandEdit");
    edit->setText(QStringLiteral("draft"));
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->text(), QStringLiteral("echo two"));
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->text(), QStringLiteral("echo one"));
    QTest::keyClick(edit, Qt::Key_Down);
    QTest::keyClick(edit, Qt::Key_Down);
    QCOMPARE(edit->text(), QStringLiteral("draft"));

    // "Run command…" again brings back the same console, history and all.
    QCOMPARE(pane()->openConsole(id), console);
    QCOMPARE(console->history().size(), 2);
}

void TestGuiSsh::cancelConnectInProgress()
{
    // A host that accepts TCP but never says a word: the connect hangs until libssh's timeout.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    Connection c;
    c.name = QStringLiteral("silent-box");
    c.hostname = QStringLiteral("127.0.0.1");
    c.port = silent.serverPort();
    c.username = QStringLiteral("ubuntu");
    const auto created = m_core->core().connections().create(c);
    QVERIFY(created.ok());
    const qint64 id = created->id;
    pane()->select(id);

    QElapsedTimer clock;
    clock.start();
    child<QPushButton>(pane(), "connectButton")->click();
    QVERIFY(clock.elapsed() < 1000); // the window never waits for the network
    QCOMPARE(pane()->link(id).shownState(), LinkState::Connecting);
    QCOMPARE(statusText(id), QStringLiteral("Connecting…"));
    QVERIFY(child<QProgressBar>(pane(), "linkBusyBar")->isVisible());
    auto *cancel = child<QPushButton>(pane(), "cancelConnectButton");
    QVERIFY(cancel->isVisible());
    QVERIFY(child<QPushButton>(pane(), "disconnectButton")->isEnabled()); // Disconnect cancels too
    QVERIFY(!child<QPushButton>(pane(), "connectButton")->isEnabled());

    QSignalSpy late(&m_core->core().ssh(), &SshPool::statusChanged);
    cancel->click();
    QCOMPARE(pane()->link(id).shownState(), LinkState::Disconnected);
    QVERIFY(!child<QProgressBar>(pane(), "linkBusyBar")->isVisible());
    QVERIFY(child<QPushButton>(pane(), "connectButton")->isEnabled());

    // The abandoned attempt ends later (libssh's own timeout). The pool passes on only its final
    // "disconnected", never the "failed" of an attempt it let go; nothing changes on screen.
    QTRY_VERIFY_WITH_TIMEOUT(late.size() >= 1, 20000);
    QTest::qWait(50);
    for (const QList<QVariant> &args : std::as_const(late)) {
        QCOMPARE(args.at(1).value<LinkStatus>().state, LinkState::Disconnected);
    }
    QVERIFY(!m_core->core().connections().get(id)->isActive);
    QCOMPARE(pane()->link(id).shownState(), LinkState::Disconnected);
    QVERIFY(pane()->link(id).problem().isEmpty());
    QVERIFY(!pane()->hostKeyDialog(id));
}

void TestGuiSsh::hostKeyDialogUnknown()
{
    const QString fingerprint = QStringLiteral("SHA256:Zm9vYmFyYmF6cXV4cGxhY2Vob2xkZXJmaW5nZXJwcmludA");
    HostKeyDialog dialog(HostKeyDialog::Mode::Unknown, QStringLiteral("203.0.113.21"), 2222, fingerprint,
                         QStringLiteral("the host key of 203.0.113.21:2222 is not known yet"));
    QCOMPARE(child<QLineEdit>(&dialog, "fingerprintEdit")->text(), fingerprint);
    QVERIFY(child<QLabel>(&dialog, "hostLabel")->text().contains(QStringLiteral("203.0.113.21:2222")));
    QVERIFY(child<QLineEdit>(&dialog, "verifyCommandEdit")->text().contains(QStringLiteral("ssh-keygen -lf")));
    QVERIFY(!dialog.forgetButton());
    QVERIFY(child<QPushButton>(&dialog, "cancelButton")->isDefault()); // Enter does not trust

    dialog.open();
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.trustButton());
    dialog.trustButton()->click();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.choice(), HostKeyDialog::Trusted);
    QCOMPARE(dialog.acceptedFingerprint(), fingerprint);

    HostKeyDialog cancelled(HostKeyDialog::Mode::Unknown, QStringLiteral("203.0.113.21"), 22, fingerprint, {});
    cancelled.open();
    child<QPushButton>(&cancelled, "cancelButton")->click();
    QCOMPARE(cancelled.choice(), HostKeyDialog::Cancelled);
    QVERIFY(cancelled.acceptedFingerprint().isEmpty());
}

void TestGuiSsh::hostKeyDialogChanged()
{
    const QString fingerprint = QStringLiteral("SHA256:bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2V5bmV3aw");
    const QString message = QStringLiteral(
        "REFUSED: the host key of 203.0.113.22:22 has CHANGED (now "
        "SHA256:tPs64HeefFS+Jz4dkoIXqzSd0yBDY9Kd1WENqw2Tbn8). This can mean someone is intercepting the connection, or "
        "the host was reinstalled. If you are sure the change is legitimate, forget the old key first.");
    HostKeyDialog dialog(HostKeyDialog::Mode::Changed, QStringLiteral("203.0.113.22"), 22, fingerprint, message);
    QCOMPARE(child<QLineEdit>(&dialog, "fingerprintEdit")->text(), fingerprint);
    QVERIFY(child<QLabel>(&dialog, "messageLabel")->text().contains(QStringLiteral("CHANGED")));
    QVERIFY(!dialog.trustButton()); // a changed key is never trusted directly
    QVERIFY(dialog.forgetButton());
    QVERIFY(child<QPushButton>(&dialog, "cancelButton")->isDefault());

    Answers answers;
    dialog.setQuestion(answers.question());
    dialog.open();
    dialog.forgetButton()->click(); // the second confirmation says no
    QCOMPARE(answers.asked.size(), 1);
    QVERIFY(dialog.isVisible());
    dialog.accept(); // no way around forgetting
    QVERIFY(dialog.isVisible());

    answers.answer = true;
    dialog.forgetButton()->click();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.choice(), HostKeyDialog::ForgetOldKey);
    QVERIFY(dialog.acceptedFingerprint().isEmpty());
}

// A first start (no connection) welcomes with the ways to get a host, in Fleet and in Connections, instead of an
// empty table; the buttons do what they say; the welcome goes once there is a connection.
void TestGuiSsh::welcomeOnFirstStart()
{
    QCOMPARE(m_window->currentPane(), int(MainWindow::FleetPaneIndex));
    FleetPane *fleet = m_window->fleetPane();
    QTRY_VERIFY(child<QWidget>(fleet, "fleetWelcome")->isVisible());
    for (const char *name : {"fleetAddButton", "fleetImportButton", "fleetRentButton"}) {
        QVERIFY2(child<QPushButton>(fleet, name)->isVisible(), name);
    }
    QVERIFY(child<QLabel>(fleet, "fleetWakeHint")->text().contains(QStringLiteral("MAC address")));

    // Import from the Fleet welcome: Connections comes up with the import dialog.
    child<QPushButton>(fleet, "fleetImportButton")->click();
    QCOMPARE(m_window->currentPane(), int(MainWindow::ConnectionsPaneIndex));
    QPointer<SshImportDialog> import = pane()->findChild<SshImportDialog *>();
    QVERIFY(import && import->isVisible());
    QCOMPARE(import->path(), SshImportDialog::defaultPath());
    import->reject();
    QTRY_VERIFY(!import);

    // Connections shows the same welcome in place of the table and its link details.
    auto *welcome = child<QWidget>(pane(), "connectionsWelcome");
    QVERIFY(welcome && welcome->isVisible());
    QVERIFY(!pane()->view()->isVisible());
    QVERIFY(!child<QWidget>(pane(), "linkDetails")->isVisible());
    child<QPushButton>(pane(), "connectionsImportButton")->click();
    import = pane()->findChild<SshImportDialog *>();
    QVERIFY(import && import->isVisible());
    import->reject();
    QTRY_VERIFY(!import);
    child<QPushButton>(pane(), "connectionsAddButton")->click();
    QPointer<ConnectionDialog> add = pane()->findChild<ConnectionDialog *>();
    QVERIFY(add && add->isVisible());
    add->reject();
    QTRY_VERIFY(!add);

    // A connection (here through the core, as the API makes one): the table is back, in both panes.
    QVERIFY(createLocal(QStringLiteral("first-box")) > 0);
    QTRY_VERIFY(!welcome->isVisible());
    QVERIFY(pane()->view()->isVisible());
    QVERIFY(child<QWidget>(pane(), "linkDetails")->isVisible());
    m_window->showPane(MainWindow::FleetPaneIndex);
    QTRY_VERIFY(!child<QWidget>(fleet, "fleetWelcome")->isVisible());
    QTRY_COMPARE(fleet->tiles().size(), 1);
}

void TestGuiSsh::importFromSshConfig()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ssh_config"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Host gpu-a\n"
               "    HostName 203.0.113.21\n"
               "    User ubuntu\n"
               "    Port 2222\n"
               "\n"
               "Host node1.example.org\n"
               "    User admin\n"
               "\n"
               "Host taken\n"
               "    HostName 203.0.113.23\n"
               "\n"
               "Host *.example.org\n"
               "    IdentityFile ~/.ssh/id_ed25519_lab\n");
    file.close();
    QVERIFY(createLocal(QStringLiteral("taken")) > 0);

    QPointer<SshImportDialog> dialog = pane()->importFromSshConfig(path);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->offeredAliases(), (QStringList{QStringLiteral("gpu-a"), QStringLiteral("node1.example.org")}));
    QCOMPARE(dialog->checkedAliases(), dialog->offeredAliases()); // all checked to start with
    // Enter in the path field reads the file again and imports nothing.
    QTest::keyClick(child<QLineEdit>(dialog, "pathEdit"), Qt::Key_Return);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->offeredAliases().size(), 2);
    QCOMPARE(m_core->core().connections().find(QStringLiteral("gpu-a")).error().code, ErrorCode::NotFound);
    dialog->setChecked(QStringLiteral("node1.example.org"), false);
    QCOMPARE(dialog->checkedAliases(), QStringList{QStringLiteral("gpu-a")});
    dialog->setChecked(QStringLiteral("node1.example.org"), true);

    const auto imported = dialog->importChecked();
    QVERIFY(imported.ok());
    QCOMPARE(imported->created.size(), 2);
    const auto a = m_core->core().connections().find(QStringLiteral("gpu-a"));
    QVERIFY(a.ok());
    QCOMPARE(a->hostname, QStringLiteral("203.0.113.21"));
    QCOMPARE(a->port, 2222);
    QCOMPARE(a->username, QStringLiteral("ubuntu"));
    const auto b = m_core->core().connections().find(QStringLiteral("node1.example.org"));
    QVERIFY(b.ok());
    QCOMPARE(b->hostname, QStringLiteral("node1.example.org"));
    QCOMPARE(b->authMethod, QStringLiteral("key"));
    QVERIFY(b->sshKeyPath.endsWith(QStringLiteral("/.ssh/id_ed25519_lab")));

    auto *summary = child<QLabel>(dialog, "summaryLabel");
    QVERIFY(summary->isVisible());
    QVERIFY2(summary->text().contains(QStringLiteral("gpu-a")), qPrintable(summary->text()));
    QVERIFY(dialog->offeredAliases().isEmpty()); // everything in the file now exists
    QTRY_COMPARE(pane()->view()->model()->rowCount(), 3);
}

// ProxyJump/ProxyCommand hosts are shown as not importable, `Host a b` aliases of one machine are offered once,
// a host whose address a connection already has is offered unchecked, and the user's choices survive an import.
void TestGuiSsh::importFlagsJumpHostsAliasesAndDuplicates()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ssh_config"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Host bastion\n"
               "    HostName 203.0.113.40\n"
               "\n"
               "Host inner\n"
               "    HostName 203.0.113.5\n"
               "    ProxyJump bastion\n"
               "\n"
               "Host piped\n"
               "    HostName 203.0.113.6\n"
               "    ProxyCommand ssh -W %h:%p bastion\n"
               "\n"
               "Host direct\n"
               "    HostName 203.0.113.7\n"
               "    ProxyJump none\n"
               "\n"
               "Host spark-2 spark-2-alt\n"
               "    HostName 203.0.113.11\n"
               "    User lab\n"
               "\n"
               "Host spark-2-root\n"
               "    HostName 203.0.113.11\n"
               "    User root\n"
               "\n"
               "Host old-name\n"
               "    HostName 203.0.113.50\n"
               "    Port 2200\n"
               "\n"
               "Host other-port\n"
               "    HostName 203.0.113.50\n");
    file.close();
    Connection existing;
    existing.name = QStringLiteral("lab-box");
    existing.hostname = QStringLiteral("203.0.113.50");
    existing.port = 2200;
    QVERIFY(m_core->core().connections().create(existing).ok());

    QPointer<SshImportDialog> dialog = pane()->importFromSshConfig(path);
    QVERIFY(dialog);
    auto *tree = child<QTreeWidget>(dialog, "hostTree");
    QVERIFY(tree);
    const auto row = [tree](const QString &alias) -> QTreeWidgetItem * {
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            if (tree->topLevelItem(i)->text(0) == alias) {
                return tree->topLevelItem(i);
            }
        }
        return nullptr;
    };
    // Offered: the direct hosts, one entry for spark-2's two names, and flagged at the end: spark-2-root (the same
    // address as spark-2, another user) and old-name (lab-box has its address and port).
    QCOMPARE(dialog->offeredAliases(),
             (QStringList{QStringLiteral("bastion"), QStringLiteral("direct"), QStringLiteral("spark-2"),
                          QStringLiteral("other-port"), QStringLiteral("spark-2-root"), QStringLiteral("old-name")}));
    // Checked to start with: all but the flagged ones.
    QCOMPARE(dialog->checkedAliases(), (QStringList{QStringLiteral("bastion"), QStringLiteral("direct"),
                                                    QStringLiteral("spark-2"), QStringLiteral("other-port")}));
    for (const char *jumped : {"inner", "piped"}) {
        QTreeWidgetItem *item = row(QString::fromLatin1(jumped));
        QVERIFY2(item, jumped);
        QVERIFY(!(item->flags() & Qt::ItemIsEnabled));
        QVERIFY2(item->text(4).contains(QStringLiteral("Not importable")), qPrintable(item->text(4)));
        QVERIFY2(item->text(4).contains(QStringLiteral("ProxyJump")), qPrintable(item->text(4)));
    }
    QVERIFY(row(QStringLiteral("piped"))->toolTip(4).contains(QStringLiteral("ssh -W %h:%p bastion")));
    QTreeWidgetItem *alt = row(QStringLiteral("spark-2-alt"));
    QVERIFY(alt);
    QVERIFY(!(alt->flags() & Qt::ItemIsEnabled));
    QCOMPARE(alt->text(4), QStringLiteral("Another name for spark-2: imported once"));
    QTreeWidgetItem *flagged = row(QStringLiteral("old-name"));
    QVERIFY(flagged);
    QVERIFY(flagged->flags() & Qt::ItemIsEnabled);
    QCOMPARE(flagged->checkState(0), Qt::Unchecked);
    QVERIFY2(flagged->text(4).contains(QStringLiteral("lab-box")), qPrintable(flagged->text(4)));

    // The user imports two hosts now (one of them the flagged duplicate) and leaves the rest unchecked.
    for (const QString &alias : dialog->offeredAliases()) {
        dialog->setChecked(alias, false);
    }
    dialog->setChecked(QStringLiteral("spark-2"), true);
    dialog->setChecked(QStringLiteral("old-name"), true);
    const auto imported = dialog->importChecked();
    QVERIFY(imported.ok());
    QCOMPARE(imported->created.size(), 2);
    QVERIFY(m_core->core().connections().find(QStringLiteral("spark-2")).ok());
    QCOMPARE(m_core->core().connections().find(QStringLiteral("old-name"))->port, 2200);
    for (const char *absent : {"spark-2-alt", "inner", "piped", "bastion"}) {
        QCOMPARE(m_core->core().connections().find(QString::fromLatin1(absent)).error().code, ErrorCode::NotFound);
    }
    // The choices are kept: what was left unchecked is still unchecked; the imported hosts are listed as imported.
    QVERIFY(dialog->checkedAliases().isEmpty());
    QVERIFY(dialog->offeredAliases().contains(QStringLiteral("bastion")));
    QVERIFY(!dialog->offeredAliases().contains(QStringLiteral("spark-2")));
    QCOMPARE(row(QStringLiteral("spark-2"))->text(4), QStringLiteral("Imported"));
    // spark-2-alt now duplicates the connection spark-2: flagged, and offered unchecked.
    QVERIFY(dialog->offeredAliases().contains(QStringLiteral("spark-2-alt")));
    QCOMPARE(row(QStringLiteral("spark-2-alt"))->checkState(0), Qt::Unchecked);
    QTRY_COMPARE(pane()->view()->model()->rowCount(), 3);

    // Checking one more and importing again keeps the rest as they were.
    dialog->setChecked(QStringLiteral("direct"), true);
    QVERIFY(dialog->importChecked().ok());
    QVERIFY(m_core->core().connections().find(QStringLiteral("direct")).ok());
    QVERIFY(dialog->checkedAliases().isEmpty());
    QCOMPARE(m_core->core().connections().find(QStringLiteral("bastion")).error().code, ErrorCode::NotFound);
}

void TestGuiSsh::passwordGoesToKeychainOnly()
{
    m_window.reset();
    m_core.reset();
    CoreWithSecrets env(std::make_unique<MemorySecretStore>());
    MainWindow window(*env.core);
    window.connectionsPane()->setQuestion(m_answers.question());
    window.show();

    Connection c;
    c.name = QStringLiteral("pw-box");
    c.hostname = QStringLiteral("203.0.113.30");
    c.authMethod = QStringLiteral("password");
    const auto created = env.core->connections().create(c);
    QVERIFY(created.ok());
    window.connectionsPane()->select(created->id);

    QPointer<ConnectionDialog> dialog = window.connectionsPane()->setCredentials(created->id);
    QVERIFY(dialog);
    auto *secret = child<QLineEdit>(dialog, "secretEdit");
    QVERIFY(secret && secret->isVisible());
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    const QString password = QStringLiteral("placeholder-Secret-4711");
    secret->setText(password);
    dialog->accept();
    QVERIFY(secret->text().isEmpty()); // cleared at once
    QTRY_VERIFY(!dialog || !dialog->isVisible());

    Result<QString> stored;
    bool answered = false;
    env.core->connectionSecrets().read(created->id, SecretKind::Password, [&](Result<QString> r) {
        stored = r;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(stored.ok());
    QCOMPARE(stored.value(), password);

    // Nowhere else: not in the database (nor its WAL), not in the settings.
    const QDir data(env.dir.path());
    const QStringList files =
        data.entryList(QDir::Files) + QDir(m_settingsDir.path() + QStringLiteral("/gpudeck")).entryList(QDir::Files);
    window.close();
    for (const QString &name : data.entryList(QDir::Files)) {
        QFile f(data.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(password.toUtf8()), qPrintable(name));
    }
    QFile settings(m_settingsDir.path() + QStringLiteral("/gpudeck/gpudeck.conf"));
    if (settings.open(QIODevice::ReadOnly)) {
        QVERIFY(!settings.readAll().contains(password.toUtf8()));
    }
    QVERIFY(!files.isEmpty());
}

void TestGuiSsh::connectionSecretsGoToKeychain()
{
    m_window.reset();
    m_core.reset();
    CoreWithSecrets env(std::make_unique<MemorySecretStore>());
    MainWindow window(*env.core);
    window.show();

    QPointer<ConnectionDialog> dialog = window.connectionsPane()->addConnection();
    QVERIFY(dialog);
    child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("pve-1"));
    child<QLineEdit>(dialog, "hostnameEdit")->setText(QStringLiteral("203.0.113.32"));
    auto *kind = child<QComboBox>(dialog, "kindCombo");
    kind->setCurrentIndex(kind->findData(QStringLiteral("proxmox")));
    auto *auth = child<QComboBox>(dialog, "authCombo");
    auth->setCurrentIndex(auth->findData(QStringLiteral("password")));
    child<QLineEdit>(dialog, "proxmoxTokenEdit")->setText(QStringLiteral("root@pam!gpudeck"));
    auto *password = child<QLineEdit>(dialog, "secretEdit");
    auto *tokenSecret = child<QLineEdit>(dialog, "proxmoxSecretEdit");
    QVERIFY(tokenSecret->isVisible());
    QCOMPARE(tokenSecret->echoMode(), QLineEdit::Password);
    const QString passwordText = QStringLiteral("placeholder-Login-1");
    const QString tokenText = QStringLiteral("placeholder-Token-2");
    password->setText(passwordText);
    tokenSecret->setText(tokenText);
    // A SecureOn password that is not 6 bytes is refused before anything is saved.
    child<QLineEdit>(dialog, "macEdit")->setText(QStringLiteral("00:11:22:33:44:55"));
    auto *secureOn = child<QLineEdit>(dialog, "wolPasswordEdit");
    QVERIFY(secureOn->isEnabled());
    secureOn->setText(QStringLiteral("01-02-03"));
    dialog->accept();
    QVERIFY(dialog->isVisible());
    QVERIFY(!env.core->connections().find(QStringLiteral("pve-1")).ok());
    QVERIFY(child<QLabel>(dialog, "errorLabel")->text().contains(QStringLiteral("SecureOn")));
    QVERIFY(!child<QLabel>(dialog, "errorLabel")->text().contains(QStringLiteral("01-02-03")));
    secureOn->setText(QStringLiteral("01-02-03-04-05-06"));
    dialog->accept();
    QVERIFY(password->text().isEmpty() && tokenSecret->text().isEmpty()); // cleared at once
    QTRY_VERIFY(!dialog || !dialog->isVisible());                         // closes once both are stored

    const auto created = env.core->connections().find(QStringLiteral("pve-1"));
    QVERIFY(created.ok());
    QCOMPARE(created->proxmoxTokenId, QStringLiteral("root@pam!gpudeck"));
    for (const auto &[secretKind, expected] :
         {std::pair{SecretKind::Password, passwordText}, std::pair{SecretKind::ProxmoxTokenSecret, tokenText},
          std::pair{SecretKind::WolPassword, QStringLiteral("01:02:03:04:05:06")}}) {
        Result<QString> stored;
        bool answered = false;
        env.core->connectionSecrets().read(created->id, secretKind, [&](Result<QString> r) {
            stored = r;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QVERIFY(stored.ok());
        QCOMPARE(stored.value(), expected);
    }
    window.close();
    for (const QString &name : QDir(env.dir.path()).entryList(QDir::Files)) {
        QFile f(QDir(env.dir.path()).filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(tokenText.toUtf8()), qPrintable(name));
    }
}

void TestGuiSsh::keychainUnavailableIsShown()
{
    m_window.reset();
    m_core.reset();
    CoreWithSecrets env(std::make_unique<UnavailableSecretStore>());
    MainWindow window(*env.core);
    window.show();

    QPointer<ConnectionDialog> dialog = window.connectionsPane()->addConnection();
    QVERIFY(dialog);
    child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("key-box"));
    child<QLineEdit>(dialog, "hostnameEdit")->setText(QStringLiteral("203.0.113.31"));
    auto *auth = child<QComboBox>(dialog, "authCombo");
    auth->setCurrentIndex(auth->findData(QStringLiteral("key")));
    child<QLineEdit>(dialog, "keyPathEdit")->setText(QStringLiteral("/home/user/.ssh/id_ed25519"));
    auto *secret = child<QLineEdit>(dialog, "secretEdit");
    QVERIFY(secret->isVisible());
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    secret->setText(QStringLiteral("placeholder-passphrase"));
    dialog->accept();

    auto *error = child<QLabel>(dialog, "errorLabel");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("keychain is not available")), qPrintable(error->text()));
    QVERIFY(dialog->isVisible()); // the user learns the passphrase was not kept
    QVERIFY(secret->text().isEmpty());
    QVERIFY(env.core->connections().find(QStringLiteral("key-box")).ok()); // the connection itself was saved

    // Saving again edits the same connection rather than adding a duplicate.
    dialog->accept();
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    QCOMPARE(env.core->connections().list()->size(), 1);
}

void TestGuiSsh::hostKeyFlowAgainstSshd()
{
    test::SshServer sshd;
    QString why;
    if (!sshd.start(&why)) {
        QSKIP(qPrintable(QStringLiteral("no sshd fixture: %1").arg(why)));
    }
    Connection c;
    c.name = QStringLiteral("sshd-box");
    c.hostname = sshd.host();
    c.port = sshd.port();
    c.username = sshd.user();
    c.authMethod = QStringLiteral("key");
    c.sshKeyPath = sshd.keyPath(QStringLiteral("ed25519"));
    const auto created = m_core->core().connections().create(c);
    QVERIFY(created.ok());
    const qint64 id = created->id;

    // Unknown key: the dialog shows the fingerprint sshd really has; trusting it connects.
    pane()->connectTo(id);
    QTRY_VERIFY_WITH_TIMEOUT(pane()->hostKeyDialog(id), 15000);
    QPointer<HostKeyDialog> unknown = pane()->hostKeyDialog(id);
    QCOMPARE(unknown->mode(), HostKeyDialog::Mode::Unknown);
    QCOMPARE(unknown->fingerprint(), sshd.hostKeyFingerprint());
    QCOMPARE(pane()->link(id).shownState(), LinkState::Failed);
    unknown->trustButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(pane()->link(id).shownState(), LinkState::Connected, 15000);
    QVERIFY(pane()->link(id).problem().isEmpty());

    // The host gets a new key: the loud dialog; forgetting (after a second yes) leads to the trust dialog.
    pane()->disconnectFrom(id);
    QVERIFY2(sshd.restart(true, &why), qPrintable(why));
    pane()->connectTo(id);
    QTRY_VERIFY_WITH_TIMEOUT(pane()->hostKeyDialog(id) && pane()->hostKeyDialog(id) != unknown, 15000);
    HostKeyDialog *changed = pane()->hostKeyDialog(id);
    QCOMPARE(changed->mode(), HostKeyDialog::Mode::Changed);
    QCOMPARE(changed->fingerprint(), sshd.hostKeyFingerprint());
    m_answers.answer = true;
    changed->forgetButton()->click();
    QCOMPARE(m_answers.asked.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        pane()->hostKeyDialog(id) && pane()->hostKeyDialog(id)->mode() == HostKeyDialog::Mode::Unknown, 15000);
    pane()->hostKeyDialog(id)->trustButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(pane()->link(id).shownState(), LinkState::Connected, 15000);
    pane()->disconnectFrom(id);
}

void TestGuiSsh::connectAllAndDisconnectAll()
{
    const qint64 a = createLocal(QStringLiteral("box-a"));
    const qint64 b = createLocal(QStringLiteral("box-b"));
    QVERIFY(a > 0 && b > 0);
    auto *connectAll = child<QPushButton>(pane(), "connectAllButton");
    auto *disconnectAll = child<QPushButton>(pane(), "disconnectAllButton");
    QVERIFY(connectAll && disconnectAll);
    connectAll->click();
    QTRY_COMPARE(statusText(a), QStringLiteral("Connected"));
    QTRY_COMPARE(statusText(b), QStringLiteral("Connected"));

    // Disruptive: asked first; "no" changes nothing.
    m_answers.answer = false;
    disconnectAll->click();
    QCOMPARE(m_answers.asked.size(), 1);
    QVERIFY2(m_answers.asked.first().contains(QStringLiteral("Monitoring of every host stops")),
             qPrintable(m_answers.asked.first()));
    QCOMPARE(m_core->core().ssh().status(a).state, LinkState::Connected);
    m_answers.answer = true;
    disconnectAll->click();
    QTRY_COMPARE(statusText(a), QStringLiteral("Disconnected"));
    QTRY_COMPARE(statusText(b), QStringLiteral("Disconnected"));
    QCOMPARE(m_core->core().ssh().workerCount(), 0);
}

void TestGuiSsh::editOfAConnectedHostAsksToReconnect()
{
    const qint64 id = createLocal(QStringLiteral("edited"));
    QVERIFY(id > 0);
    pane()->connectTo(id);
    QTRY_COMPARE(statusText(id), QStringLiteral("Connected"));
    const QDateTime since = m_core->core().ssh().status(id).since;

    // A name only: nothing to ask, the link stays.
    ConnectionDialog *dialog = pane()->editConnection(id);
    QVERIFY(dialog);
    child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("edited-2"));
    dialog->accept();
    QVERIFY(m_answers.asked.isEmpty());
    QCOMPARE(m_core->core().ssh().status(id).since, since);

    // What the link uses: asked; "no" keeps the session, "yes" reconnects.
    m_answers.answer = false;
    dialog = pane()->editConnection(id);
    child<QLineEdit>(dialog, "usernameEdit")->setText(QStringLiteral("someone"));
    dialog->accept();
    QCOMPARE(m_answers.asked.size(), 1);
    QVERIFY2(m_answers.asked.first().contains(QStringLiteral("Reconnect now")), qPrintable(m_answers.asked.first()));
    QCOMPARE(m_core->core().ssh().status(id).since, since);

    m_answers.answer = true;
    dialog = pane()->editConnection(id);
    child<QLineEdit>(dialog, "usernameEdit")->setText(QStringLiteral("someone-else"));
    QSignalSpy relinked(&m_core->core().ssh(), &SshPool::statusChanged);
    dialog->accept();
    QCOMPARE(m_answers.asked.size(), 2);
    QTRY_VERIFY(!relinked.isEmpty()); // a new link reports
    QTRY_COMPARE(statusText(id), QStringLiteral("Connected"));
}

QTEST_MAIN(TestGuiSsh)
#include "tst_gui_ssh.moc"
