// The window over a real Core: dialogs save through the repositories, and the window follows every change,
// including those made through the HTTP API on its own thread.
#include "HttpClient.h"
#include "MainWindow.h"
#include "RecordTable.h"
#include "TestCore.h"
#include "connections/ConnectionDialog.h"
#include "connections/ConnectionsPane.h"
#include "jobs/JobDialog.h"
#include "jobs/JobsModel.h"
#include "jobs/JobsPane.h"
#include "jobs/ProjectDialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>

using namespace gpudeck;
using gpudeck::test::HttpClient;
using gpudeck::test::TestCore;

namespace {

// The row showing `text` in column 0 of `view`, or -1.
int rowWithName(const QTableView *view, const QString &text)
{
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data().toString() == text) {
            return row;
        }
    }
    return -1;
}

template<typename T>
T *child(const QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

void setText(const QObject *dialog, const char *name, const QString &text)
{
    auto *edit = child<QLineEdit>(dialog, name);
    QVERIFY2(edit, name);
    edit->setText(text);
}

void selectData(const QObject *dialog, const char *name, const QString &value)
{
    auto *combo = child<QComboBox>(dialog, name);
    QVERIFY2(combo, name);
    const int index = combo->findData(value);
    QVERIFY2(index >= 0, qPrintable(value));
    combo->setCurrentIndex(index);
}

// Clicks the destructive button of the next `count` confirmation boxes, as a person would.
void confirmNext(int count)
{
    auto remaining = std::make_shared<int>(count);
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, remaining] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QStringLiteral("confirmBox")) {
            return;
        }
        child<QPushButton>(box, "confirmButton")->click();
        if (--*remaining == 0) {
            timer->deleteLater();
        }
    });
    timer->start();
}

} // namespace

class TestGuiSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void addConnectionThroughDialog();
    void proxmoxFieldsThroughDialog();
    void invalidConnectionKeepsDialogOpen_data();
    void invalidConnectionKeepsDialogOpen();
    void editConnectionThroughDialog();
    void apiChangesShowInWindow();
    void projectAndJobThroughGui();
    void invalidProjectKeepsDialogOpen();
    void deleteConnectionWithProjectsOffersForce();
    void tokenIsCopiedNeverShown();
    void claudeCodeCommandIsCopied();
    void remembersLastPane();
    void keyboardReachesPanesAndActions();

private:
    ConnectionDialog *openFilledConnectionDialog(const QString &name, const QString &host);
    qint64 createConnection(const QString &name);

    QTemporaryDir m_settingsDir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiSmoke::initTestCase()
{
    // QSettings must not touch the real ~/.config of whoever runs the tests.
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    // Closing the only window must not end the test run.
    QApplication::setQuitOnLastWindowClosed(false);
}

void TestGuiSmoke::init()
{
    m_core = std::make_unique<TestCore>();
    m_window = std::make_unique<MainWindow>(m_core->core());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiSmoke::cleanup()
{
    m_window.reset();
    m_core.reset();
}

ConnectionDialog *TestGuiSmoke::openFilledConnectionDialog(const QString &name, const QString &host)
{
    ConnectionDialog *dialog = m_window->connectionsPane()->addConnection();
    if (dialog) {
        setText(dialog, "nameEdit", name);
        setText(dialog, "hostnameEdit", host);
        setText(dialog, "usernameEdit", QStringLiteral("ubuntu"));
    }
    return dialog;
}

qint64 TestGuiSmoke::createConnection(const QString &name)
{
    Connection c;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.10");
    const auto created = m_core->core().connections().create(c);
    return created.ok() ? created->id : 0;
}

void TestGuiSmoke::addConnectionThroughDialog()
{
    QPointer<ConnectionDialog> dialog =
        openFilledConnectionDialog(QStringLiteral("spark-1"), QStringLiteral("203.0.113.10"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    child<QSpinBox>(dialog, "portSpin")->setValue(2222);
    selectData(dialog, "kindCombo", QStringLiteral("dgx-spark"));
    selectData(dialog, "authCombo", QStringLiteral("key"));
    setText(dialog, "keyPathEdit", QStringLiteral("/home/user/.ssh/id_ed25519"));
    // The Proxmox API rows only show for a Proxmox node; the Wake-on-LAN target only means something with a MAC.
    QVERIFY(child<QLineEdit>(dialog, "proxmoxTokenEdit")->isHidden());
    QVERIFY(!child<QLineEdit>(dialog, "wolBroadcastEdit")->isEnabled());
    setText(dialog, "macEdit", QStringLiteral("00:11:22:33:44:55"));
    QVERIFY(child<QLineEdit>(dialog, "wolBroadcastEdit")->isEnabled());
    setText(dialog, "wolBroadcastEdit", QStringLiteral("192.0.2.255"));
    child<QSpinBox>(dialog, "wolPortSpin")->setValue(7);
    QVERIFY(child<QCheckBox>(dialog, "watchCheck")->isChecked()); // watched unless told otherwise
    child<QCheckBox>(dialog, "watchCheck")->setChecked(false);
    dialog->accept();
    QVERIFY(!dialog || !dialog->isVisible());

    // In the window's list, selected...
    const QTableView *view = m_window->connectionsPane()->view();
    const int row = rowWithName(view, QStringLiteral("spark-1"));
    QVERIFY(row >= 0);
    const qint64 id = m_window->connectionsPane()->selectedId();
    QVERIFY(id > 0);

    // ...and in the database, as the API sees it.
    const auto stored = m_core->core().connections().get(id);
    QVERIFY(stored.ok());
    QCOMPARE(stored->name, QStringLiteral("spark-1"));
    QCOMPARE(stored->port, 2222);
    QCOMPARE(stored->kind, QStringLiteral("dgx-spark"));
    QCOMPARE(stored->authMethod, QStringLiteral("key"));
    QCOMPARE(stored->sshKeyPath, QStringLiteral("/home/user/.ssh/id_ed25519"));
    const auto fromApi =
        HttpClient(m_core->port(), m_core->token()).get(QStringLiteral("/api/dgx/connections/spark-1"));
    QCOMPARE(fromApi.status, 200);
    QCOMPARE(fromApi.object().value(QStringLiteral("mac_address")).toString(), QStringLiteral("00:11:22:33:44:55"));
    QCOMPARE(fromApi.object().value(QStringLiteral("wol_broadcast")).toString(), QStringLiteral("192.0.2.255"));
    QCOMPARE(fromApi.object().value(QStringLiteral("wol_port")).toInt(), 7);
    QCOMPARE(fromApi.object().value(QStringLiteral("watch")).toBool(true), false);
}

void TestGuiSmoke::proxmoxFieldsThroughDialog()
{
    QPointer<ConnectionDialog> dialog =
        openFilledConnectionDialog(QStringLiteral("pve-1"), QStringLiteral("203.0.113.20"));
    QVERIFY(dialog);
    selectData(dialog, "kindCombo", QStringLiteral("proxmox"));
    QVERIFY(!child<QLineEdit>(dialog, "proxmoxTokenEdit")->isHidden());
    setText(dialog, "proxmoxTokenEdit", QStringLiteral("root@pam")); // no token name: refused, the dialog stays
    dialog->accept();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(child<QLabel>(dialog, "errorLabel")->text().contains(QStringLiteral("proxmox_token_id")));
    setText(dialog, "proxmoxTokenEdit", QStringLiteral("root@pam!gpudeck"));
    child<QSpinBox>(dialog, "proxmoxPortSpin")->setValue(18006);
    dialog->accept();
    QVERIFY(!dialog || !dialog->isVisible());
    const auto stored = m_core->core().connections().find(QStringLiteral("pve-1"));
    QVERIFY(stored.ok());
    QCOMPARE(stored->kind, QStringLiteral("proxmox"));
    QCOMPARE(stored->proxmoxTokenId, QStringLiteral("root@pam!gpudeck"));
    QCOMPARE(stored->proxmoxApiPort, 18006);
    QVERIFY(stored->watch);
}

void TestGuiSmoke::invalidConnectionKeepsDialogOpen_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("mac");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("empty name") << QString() << QStringLiteral("203.0.113.11") << QString() << QStringLiteral("name");
    QTest::newRow("duplicate name") << QStringLiteral("taken") << QStringLiteral("203.0.113.11") << QString()
                                    << QStringLiteral("already exists");
    QTest::newRow("empty host") << QStringLiteral("box") << QString() << QString() << QStringLiteral("hostname");
    QTest::newRow("bad mac") << QStringLiteral("box") << QStringLiteral("203.0.113.11") << QStringLiteral("00:11")
                             << QStringLiteral("mac_address");
}

void TestGuiSmoke::invalidConnectionKeepsDialogOpen()
{
    QFETCH(QString, name);
    QFETCH(QString, host);
    QFETCH(QString, mac);
    QFETCH(QString, messagePart);
    QVERIFY(createConnection(QStringLiteral("taken")) > 0);

    ConnectionDialog *dialog = openFilledConnectionDialog(name, host);
    QVERIFY(dialog);
    setText(dialog, "macEdit", mac);
    auto *error = child<QLabel>(dialog, "errorLabel");
    QVERIFY(error);
    QVERIFY(!error->isVisible());
    dialog->accept();

    QVERIFY(dialog->isVisible());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(messagePart), qPrintable(error->text()));
    const auto all = m_core->core().connections().list();
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 1); // only "taken"
    QCOMPARE(m_window->connectionsPane()->view()->model()->rowCount(), 1);

    // Fixing the input and saving again works from the same dialog.
    setText(dialog, "nameEdit", QStringLiteral("fixed"));
    setText(dialog, "hostnameEdit", QStringLiteral("203.0.113.12"));
    setText(dialog, "macEdit", QString());
    dialog->accept();
    QVERIFY(!dialog->isVisible());
    QVERIFY(rowWithName(m_window->connectionsPane()->view(), QStringLiteral("fixed")) >= 0);
}

void TestGuiSmoke::editConnectionThroughDialog()
{
    const qint64 id = createConnection(QStringLiteral("node-a"));
    QVERIFY(id > 0);
    ConnectionDialog *dialog = m_window->connectionsPane()->editConnection(id);
    QVERIFY(dialog);
    QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("node-a"));
    setText(dialog, "nameEdit", QStringLiteral("node-b"));
    dialog->accept();
    QCOMPARE(m_core->core().connections().get(id)->name, QStringLiteral("node-b"));
    QVERIFY(rowWithName(m_window->connectionsPane()->view(), QStringLiteral("node-b")) >= 0);
    QCOMPARE(rowWithName(m_window->connectionsPane()->view(), QStringLiteral("node-a")), -1);
    QCOMPARE(m_window->connectionsPane()->selectedId(), id);
}

void TestGuiSmoke::apiChangesShowInWindow()
{
    const HttpClient http(m_core->port(), m_core->token());
    const QTableView *view = m_window->connectionsPane()->view();
    const auto created =
        http.post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("pod-1")},
                                                           {QStringLiteral("hostname"), QStringLiteral("203.0.113.20")},
                                                           {QStringLiteral("kind"), QStringLiteral("runpod")}});
    QCOMPARE(created.status, 201);
    QTRY_VERIFY(rowWithName(view, QStringLiteral("pod-1")) >= 0);

    // A selection survives a refresh caused by someone else's change.
    const qint64 podId = created.object().value(QStringLiteral("id")).toInteger();
    m_window->connectionsPane()->select(podId);
    QCOMPARE(http.post(QStringLiteral("/api/dgx/connections"),
                       {{QStringLiteral("name"), QStringLiteral("a-first")},
                        {QStringLiteral("hostname"), QStringLiteral("203.0.113.21")}})
                 .status,
             201);
    QTRY_VERIFY(rowWithName(view, QStringLiteral("a-first")) >= 0);
    QCOMPARE(m_window->connectionsPane()->selectedId(), podId);

    // Projects and jobs made through the API show in the Jobs pane too.
    const auto project =
        http.post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("pod-1")},
                                                        {QStringLiteral("name"), QStringLiteral("api-project")}});
    QCOMPARE(project.status, 201);
    QTRY_VERIFY(rowWithName(m_window->jobsPane()->projectsView(), QStringLiteral("api-project")) >= 0);

    QCOMPARE(http.del(QStringLiteral("/api/dgx/connections/a-first")).status, 204);
    QTRY_COMPARE(rowWithName(view, QStringLiteral("a-first")), -1);
    QCOMPARE(http.del(QStringLiteral("/api/dgx/connections/pod-1?force=true")).status, 204);
    QTRY_COMPARE(rowWithName(view, QStringLiteral("pod-1")), -1);
    QTRY_COMPARE(rowWithName(m_window->jobsPane()->projectsView(), QStringLiteral("api-project")), -1);
}

void TestGuiSmoke::projectAndJobThroughGui()
{
    const qint64 connectionId = createConnection(QStringLiteral("spark-2"));
    QVERIFY(connectionId > 0);
    JobsPane *pane = m_window->jobsPane();
    m_window->showPane(MainWindow::JobsPaneIndex);

    ProjectDialog *projectDialog = pane->addProject();
    QVERIFY(projectDialog);
    setText(projectDialog, "nameEdit", QStringLiteral("finetune"));
    setText(projectDialog, "remotePathEdit", QStringLiteral("~/projects/finetune"));
    selectData(projectDialog, "typeCombo", QStringLiteral("nlp"));
    projectDialog->accept();
    const qint64 projectId = pane->selectedProjectId();
    QVERIFY(projectId > 0);
    const auto project = m_core->core().projects().get(projectId);
    QVERIFY(project.ok());
    QCOMPARE(project->connectionId, connectionId);
    QCOMPARE(project->projectType, QStringLiteral("nlp"));

    JobDialog *jobDialog = pane->addJob();
    QVERIFY(jobDialog);
    setText(jobDialog, "nameEdit", QStringLiteral("run-1"));
    setText(jobDialog, "modelEdit", QStringLiteral("example-org/example-model"));
    jobDialog->accept();
    const qint64 jobId = pane->selectedJobId();
    QVERIFY(jobId > 0);
    QCOMPARE(m_core->core().jobs().get(jobId)->status, QStringLiteral("pending"));
    QVERIFY(!m_core->core().jobs().get(jobId)->startedAt.isValid());

    // The quick status change stamps started_at, in the database and on screen.
    QVERIFY(pane->setJobStatus(jobId, QStringLiteral("running")));
    const auto running = m_core->core().jobs().get(jobId);
    QCOMPARE(running->status, QStringLiteral("running"));
    QVERIFY(running->startedAt.isValid());
    QVERIFY(!running->completedAt.isValid());
    const QAbstractItemModel *jobs = pane->jobsView()->model();
    const int row = rowWithName(pane->jobsView(), QStringLiteral("run-1"));
    QVERIFY(row >= 0);
    QVERIFY(!jobs->index(row, JobsModel::StartedColumn).data().toString().isEmpty());
    QCOMPARE(pane->selectedJobId(), jobId);

    // The "Set status" menu does the same; a final status stamps completed_at.
    auto *menu = child<QMenu>(pane, "jobStatusMenu");
    QVERIFY(menu);
    for (QAction *action : menu->actions()) {
        if (action->data().toString() == QStringLiteral("completed")) {
            action->trigger();
        }
    }
    const auto completed = m_core->core().jobs().get(jobId);
    QCOMPARE(completed->status, QStringLiteral("completed"));
    QVERIFY(completed->completedAt.isValid());
    QVERIFY(!jobs->index(row, JobsModel::CompletedColumn).data().toString().isEmpty());
}

void TestGuiSmoke::invalidProjectKeepsDialogOpen()
{
    QVERIFY(createConnection(QStringLiteral("spark-3")) > 0);
    ProjectDialog *dialog = m_window->jobsPane()->addProject();
    QVERIFY(dialog);
    dialog->accept(); // no name
    QVERIFY(dialog->isVisible());
    QVERIFY(child<QLabel>(dialog, "errorLabel")->isVisible());
    QVERIFY(m_core->core().projects().list()->isEmpty());
    dialog->reject();
}

void TestGuiSmoke::deleteConnectionWithProjectsOffersForce()
{
    const qint64 id = createConnection(QStringLiteral("doomed"));
    Project p;
    p.connectionId = id;
    p.name = QStringLiteral("its-project");
    QVERIFY(m_core->core().projects().create(p).ok());

    confirmNext(2); // "Delete the connection?" then "Delete with its projects"
    m_window->connectionsPane()->deleteConnection(id);
    QVERIFY(!m_core->core().connections().get(id).ok());
    QVERIFY(m_core->core().projects().list()->isEmpty());
    QCOMPARE(rowWithName(m_window->connectionsPane()->view(), QStringLiteral("doomed")), -1);

    // The deletion is in the audit log as the window's, through the same repository the API records with.
    const auto audit = m_core->core().audit().list(QStringLiteral("gui"));
    QVERIFY(audit.ok());
    QVERIFY(!audit->isEmpty());
    const AuditEntry &entry = audit->first();
    QCOMPARE(entry.method, QStringLiteral("DELETE"));
    QCOMPARE(entry.route, QStringLiteral("/api/dgx/connections/:id"));
    QCOMPARE(entry.target, QString::number(id));
    QCOMPARE(entry.outcome, QStringLiteral("ok"));
    HttpClient http(m_core->port(), m_core->token());
    const QJsonArray listed = http.get(QStringLiteral("/api/dgx/audit?origin=gui")).array();
    QVERIFY(!listed.isEmpty());
    QCOMPARE(listed.at(0).toObject().value(QStringLiteral("origin")).toString(), QStringLiteral("gui"));
}

void TestGuiSmoke::tokenIsCopiedNeverShown()
{
    const QString token = QString::fromLatin1(m_core->token());
    QVERIFY(!token.isEmpty());
    auto *address = child<QLabel>(m_window.get(), "apiAddressLabel");
    QVERIFY(address);
    QVERIFY(address->text().contains(QStringLiteral("127.0.0.1:%1").arg(m_core->port())));

    auto *copy = child<QAction>(m_window.get(), "copyTokenAction");
    QVERIFY(copy);
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), token);
    for (const QLabel *label : m_window->findChildren<QLabel *>()) {
        QVERIFY(!label->text().contains(token));
    }
    QVERIFY(!m_window->statusBar()->currentMessage().contains(token));
    QVERIFY(!m_window->windowTitle().contains(token));
}

void TestGuiSmoke::claudeCodeCommandIsCopied()
{
    const QString token = QString::fromLatin1(m_core->token());
    auto *copy = child<QAction>(m_window.get(), "copyClaudeCommandAction");
    QVERIFY(copy);
    QGuiApplication::clipboard()->clear();
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QStringLiteral("claude mcp add --transport http gpu-deck http://127.0.0.1:%1/mcp --header "
                            "\"Authorization: Bearer %2\"")
                 .arg(m_core->port())
                 .arg(token));
    QVERIFY(!m_window->statusBar()->currentMessage().contains(token));
    for (const QLabel *label : m_window->findChildren<QLabel *>()) {
        QVERIFY(!label->text().contains(token));
    }
}

void TestGuiSmoke::remembersLastPane()
{
    m_window->showPane(MainWindow::JobsPaneIndex);
    m_window->close(); // no tray on the offscreen platform: closing saves and really closes
    QVERIFY(!m_window->hasTray());
    QVERIFY(!m_window->isVisible());
    m_window.reset();
    MainWindow again(m_core->core());
    QCOMPARE(again.currentPane(), int(MainWindow::JobsPaneIndex));
}

// Ctrl+1 … Ctrl+5 show the panes (shortcuts shown in the View menu), F5 refreshes the pane shown, Ctrl+N makes what
// the pane makes: a connection in Connections, a job in Jobs (a project while none is selected).
void TestGuiSmoke::keyboardReachesPanesAndActions()
{
    auto *view = m_window->findChild<QMenu *>(QStringLiteral("viewMenu"));
    QVERIFY(view);
    for (int i = 0; i < MainWindow::PaneCount; ++i) {
        auto *show = m_window->findChild<QAction *>(QStringLiteral("showPaneAction%1").arg(i + 1));
        QVERIFY(show);
        QVERIFY(view->actions().contains(show));
        QCOMPARE(show->shortcut(), QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane(), int(MainWindow::ConnectionsPaneIndex));
    QTest::keyClick(m_window.get(), Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane(), int(MainWindow::JobsPaneIndex));

    // F5: the pane shown reads again (and says so).
    const qint64 connection = createConnection(QStringLiteral("kbd-host"));
    Project project;
    project.connectionId = connection;
    project.name = QStringLiteral("kbd-project");
    project.remotePath = QStringLiteral("/srv/kbd");
    QVERIFY(m_core->core().projects().create(project).ok());
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_VERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("Refreshed")));
    QTRY_COMPARE(m_window->jobsPane()->projectsView()->model()->rowCount(), 1);

    // Ctrl+N in Connections: the new-connection dialog.
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane(), int(MainWindow::FleetPaneIndex));
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    QTRY_VERIFY(m_window->findChild<ConnectionDialog *>());
    delete m_window->findChild<ConnectionDialog *>();
}

QTEST_MAIN(TestGuiSmoke)
#include "tst_gui_smoke.moc"
