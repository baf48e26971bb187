// The Models pane over a real models.yaml in the data dir (and a broken one), and running a job from the Jobs
// pane on a `local` connection (local processes in a local tmux: no sshd needed).
#include "Ports.h"
#include "RecordTable.h"
#include "TestCore.h"
#include "alerts/AlertsModel.h"
#include "alerts/AlertsPanel.h"
#include "jobs/JobDialog.h"
#include "jobs/JobLogView.h"
#include "jobs/JobMetricsChart.h"
#include "jobs/JobSupervisor.h"
#include "jobs/JobsModel.h"
#include "jobs/JobsPane.h"
#include "jobs/ProjectDialog.h"
#include "metrics/MetricsService.h"
#include "models/ModelLogDialog.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"
#include "models/ModelsPane.h"
#include "models/SwapProgress.h"
#include "ssh/SshPool.h"
#include "tray/TrayIcon.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

QStringList modelIds(const QTreeWidget *view)
{
    QStringList ids;
    for (int i = 0; i < view->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *host = view->topLevelItem(i);
        for (int j = 0; j < host->childCount(); ++j) {
            ids.append(host->child(j)->text(ModelsPane::IdColumn));
        }
    }
    return ids;
}

// QVERIFY2 evaluates its message even on success: only ask a failed result for its error.
template<typename R>
QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    return file.write(text) == text.size();
}

const QByteArray goodCatalog = R"(poll_interval: 60s
hosts:
  lab-box:
    defaults:
      port: 18931
      start: "true"
      stop: "true"
    models:
      - id: example/model-8b
        name: Example 8B
        settings:
          context: 32768
          quantization: none
      - id: example/model-70b
        name: Example 70B
    services:
      - name: speech-to-text
        kind: whisper
        port: 18932
)";

} // namespace

class TestGuiModelsJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void modelsPaneListsTheCatalog();
    void brokenCatalogKeepsTheLastGoodOne();
    void swapShowsProgressAndResult();
    void swapOutcomeInWords();
    void modelAcrossHostsIsOneRow();
    void modelLogIsFollowedAndStopped();
    void modelAcrossHostsLogPerHost();
    void jobRunsFromThePane();
    void startRefusalIsShown();
    void runningJobIsFollowedAndCancelled();
    void dialogsSaveRunFields();
    void jobDialogCostGuard();
    void startEnablementAndDuplicate();
    void alertsSeenAgainAreOneRow();

private:
    qint64 createLocal(const QString &name);

    std::unique_ptr<TestCore> m_core;
};

void TestGuiModelsJobs::init()
{
    m_core = std::make_unique<TestCore>(false);
}

void TestGuiModelsJobs::cleanup()
{
    m_core.reset();
}

qint64 TestGuiModelsJobs::createLocal(const QString &name)
{
    Connection c;
    c.name = name;
    c.kind = QStringLiteral("local");
    const auto created = m_core->core().connections().create(c);
    return created.ok() ? created->id : 0;
}

void TestGuiModelsJobs::modelsPaneListsTheCatalog()
{
    QVERIFY(createLocal(QStringLiteral("lab-box")) > 0);
    ModelsPane pane(m_core->core());
    QVERIFY(writeFile(m_core->dataDir() + QStringLiteral("/models.yaml"), goodCatalog));
    m_core->core().models().reload();
    QTRY_COMPARE(modelIds(pane.modelsView()),
                 (QStringList{QStringLiteral("example/model-8b"), QStringLiteral("example/model-70b")}));
    const QTreeWidgetItem *host = pane.modelsView()->topLevelItem(0);
    QCOMPARE(host->text(ModelsPane::NameColumn), QStringLiteral("lab-box"));
    QCOMPARE(host->child(0)->text(ModelsPane::NameColumn), QStringLiteral("Example 8B"));
    QCOMPARE(host->child(0)->text(ModelsPane::PortColumn), QStringLiteral("18931"));
    QVERIFY(host->child(0)->text(ModelsPane::SettingsColumn).contains(QStringLiteral("context: 32768")));
    QVERIFY(pane.modelsView()->itemWidget(host->child(1), ModelsPane::SwapColumn));
    QTRY_COMPARE(pane.servicesView()->topLevelItemCount(), 1);
    QCOMPARE(pane.servicesView()->topLevelItem(0)->text(0), QStringLiteral("speech-to-text"));
    QVERIFY(pane.errorsLabel()->isHidden());

    // Declining the question starts nothing.
    QString asked;
    pane.setConfirm([&asked](QWidget *, const QString &, const QString &text, const QString &) {
        asked = text;
        return false;
    });
    QVERIFY(!pane.swapTo(QStringLiteral("lab-box"), QStringLiteral("example/model-70b")));
    QVERIFY(asked.contains(QStringLiteral("example/model-70b")));
    QVERIFY(m_core->core().models().swaps().isEmpty());
}

void TestGuiModelsJobs::brokenCatalogKeepsTheLastGoodOne()
{
    QVERIFY(createLocal(QStringLiteral("lab-box")) > 0);
    ModelsPane pane(m_core->core());
    const QString path = m_core->dataDir() + QStringLiteral("/models.yaml");
    QVERIFY(writeFile(path, goodCatalog));
    m_core->core().models().reload();
    QTRY_COMPARE(modelIds(pane.modelsView()).size(), 2);

    QVERIFY(writeFile(
        path, QByteArrayLiteral("hosts:\n  lab-box:\n    models:\n      - name: no id here\n        port: 1\n")));
    m_core->core().models().reload();
    QTRY_VERIFY(!pane.errorsLabel()->isHidden());
    QVERIFY2(pane.errorsLabel()->text().contains(QStringLiteral("models.yaml:")),
             qPrintable(pane.errorsLabel()->text()));
    QCOMPARE(modelIds(pane.modelsView()).size(), 2); // the last good catalog stays

    QVERIFY(writeFile(path, goodCatalog));
    m_core->core().models().reload();
    QTRY_VERIFY(pane.errorsLabel()->isHidden());
}

void TestGuiModelsJobs::swapShowsProgressAndResult()
{
    Core &core = m_core->core();
    const qint64 id = createLocal(QStringLiteral("lab-box"));
    QVERIFY(id > 0);
    auto connected = core.ssh().connectTo(core.connections().get(id).value());
    QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
    QVERIFY(connected.result().ok());
    // Nothing listens on the port: the start "succeeds", the model never becomes healthy, the swap fails.
    QByteArray catalog = goodCatalog;
    catalog.replace("      stop: \"true\"\n", "      stop: \"true\"\n      readiness_timeout: 1s\n");
    QVERIFY(writeFile(m_core->dataDir() + QStringLiteral("/models.yaml"), catalog));
    core.models().reload();
    ModelsPane pane(core);
    QTRY_COMPARE(modelIds(pane.modelsView()).size(), 2);
    pane.setConfirm([](QWidget *, const QString &, const QString &, const QString &) { return true; });
    QVERIFY(pane.swapTo(QStringLiteral("lab-box"), QStringLiteral("example/model-8b")));
    QVERIFY(!pane.swapProgress()->isHidden());
    QVERIFY(!pane.swapProgress()->swapId().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(pane.swapProgress()->report().finished(), 20000);
    QTRY_VERIFY(!pane.swapProgress()->resultLabel()->isHidden());
    const QString result = pane.swapProgress()->resultLabel()->text();
    QVERIFY2(result.contains(QStringLiteral("Failed")), qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("nothing to restore")), qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("Failed while waiting for it to become healthy")), qPrintable(result));
}

// A swap that did not succeed never shows a full bar: its outcome in words, the step in words.
void TestGuiModelsJobs::swapOutcomeInWords()
{
    SwapProgress progress;
    SwapReport r;
    r.id = QStringLiteral("swap-7");
    r.host = QStringLiteral("lab-box");
    r.model = QStringLiteral("example/big");
    r.previous = QStringLiteral("example/small");
    r.state = SwapState::Running;
    r.step = QStringLiteral("stop_current");
    r.percent = 20;
    progress.showReport(r);
    auto *bar = progress.findChild<QProgressBar *>(QStringLiteral("swapBar"));
    auto *step = progress.findChild<QLabel *>(QStringLiteral("swapStep"));
    QCOMPARE(bar->value(), 20);
    QVERIFY2(step->text().contains(QStringLiteral("stopping the current model")), qPrintable(step->text()));

    r.state = SwapState::Failed;
    r.errorStep = QStringLiteral("wait_healthy");
    r.error = QStringLiteral("example/big did not become healthy within 3 s");
    r.restored = true;
    r.percent = 100;
    progress.showReport(r);
    QCOMPARE(bar->value(), 0);
    QCOMPARE(bar->format(), QStringLiteral("failed, previous model restored"));
    QVERIFY2(step->text().contains(QStringLiteral("waiting for it to become healthy")), qPrintable(step->text()));
    QVERIFY(progress.resultLabel()->text().contains(QStringLiteral("The previous model example/small was restored")));

    r.restored.reset();
    r.refused = true;
    r.errorStep = QStringLiteral("check_fit");
    progress.showReport(r);
    QCOMPARE(bar->format(), QStringLiteral("refused, nothing was stopped"));
    QVERIFY2(progress.resultLabel()->text().contains(QStringLiteral("Nothing was stopped: example/small still runs")),
             qPrintable(progress.resultLabel()->text()));

    // Refused by the fit check: "Swap anyway" asks for the same swap again, forced (the API's `force`).
    auto *force = progress.findChild<QPushButton *>(QStringLiteral("forceSwapButton"));
    QVERIFY(force && !force->isHidden());
    QSignalSpy forced(&progress, &SwapProgress::forceRequested);
    force->click();
    QCOMPARE(forced.size(), 1);
    QCOMPARE(forced.at(0).at(0).value<SwapReport>().model, QStringLiteral("example/big"));
    r.force = true; // already forced: nothing more to offer
    progress.showReport(r);
    QVERIFY(force->isHidden());
    r.force = false;
    r.errorStep = QStringLiteral("detect"); // refused for another reason (a unit member): no force either
    progress.showReport(r);
    QVERIFY(force->isHidden());

    // The log: each step in words, its lines under it.
    r.log = {{QDateTime::currentDateTimeUtc(), QStringLiteral("check_fit"), QStringLiteral("info"),
              QStringLiteral("fits: needs 60 GiB, 71 GiB would be free")},
             {QDateTime::currentDateTimeUtc(), QStringLiteral("stop_current"), QStringLiteral("info"),
              QStringLiteral("stopping example/small")}};
    progress.showReport(r);
    const QString log = progress.findChild<QPlainTextEdit *>(QStringLiteral("swapLog"))->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("Checking that it fits in memory\n")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("Stopping the current model\n")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("    fits: needs 60 GiB")), qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("check_fit")) && !log.contains(QStringLiteral("stop_current")),
             qPrintable(log));
}

// A model across two hosts has a row of its own (one serving unit); once up, both hosts say they are part of it, and a
// swap of one of them alone is refused with the reason (the question offers to stop the unit on both instead).
void TestGuiModelsJobs::modelAcrossHostsIsOneRow()
{
    Core &core = m_core->core();
    for (const QString &name : {QStringLiteral("lab-box"), QStringLiteral("lab-box-2")}) {
        const qint64 id = createLocal(name);
        QVERIFY(id > 0);
        auto connected = core.ssh().connectTo(core.connections().get(id).value());
        QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
        QVERIFY(connected.result().ok());
    }
    const quint16 port = test::freePort();
    const QString dir = m_core->dataDir();
    const QString pidFile = QStringLiteral("%1/%2.pid").arg(dir).arg(port);
    const QString catalog =
        QStringLiteral("poll_interval: 1\n"
                       "hosts:\n"
                       "  lab-box:\n"
                       "    defaults: {port: %1, start: \"true\", stop: \"true\", readiness_timeout: 10}\n"
                       "    models:\n"
                       "      - id: example/model-8b\n"
                       "      - id: example/pair\n"
                       "        name: Example pair\n"
                       "        start: 'nohup /usr/bin/python3 %2 --port %1 --model example/pair --max-lifetime 60 "
                       "< /dev/null > /dev/null 2>&1 & echo $! > %3'\n"
                       "        stop: 'if [ -f %3 ]; then kill $(cat %3); rm -f %3; fi'\n"
                       "        workers:\n"
                       "          - {host: lab-box-2, start: \"true\", stop: \"true\"}\n"
                       "  lab-box-2:\n"
                       "    models:\n"
                       "      - {id: example/model-c, port: %4, start: \"true\", stop: \"true\"}\n")
            .arg(port)
            .arg(QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), pidFile)
            .arg(test::freePort());
    QVERIFY(writeFile(dir + QStringLiteral("/models.yaml"), catalog.toUtf8()));
    core.models().reload();
    ModelsPane pane(core);
    QTreeWidget *view = pane.modelsView();
    QTRY_COMPARE(modelIds(view).size(), 3);
    // The rows are made again whenever the catalog is read: looked up each time.
    auto row = [view](int i) { return view->topLevelItem(i); };
    QCOMPARE(view->topLevelItemCount(), 3);
    QCOMPARE(row(0)->text(ModelsPane::NameColumn), QStringLiteral("lab-box"));
    QCOMPARE(row(0)->childCount(), 1); // the pair is not listed under its head alone
    QCOMPARE(row(1)->text(ModelsPane::NameColumn), QStringLiteral("lab-box + lab-box-2"));
    QCOMPARE(row(1)->childCount(), 1);
    QCOMPARE(row(1)->child(0)->text(ModelsPane::IdColumn), QStringLiteral("example/pair"));
    QVERIFY(view->itemWidget(row(1)->child(0), ModelsPane::SwapColumn));
    QCOMPARE(row(2)->text(ModelsPane::NameColumn), QStringLiteral("lab-box-2"));

    QString asked;
    pane.setConfirm([&asked](QWidget *, const QString &, const QString &text, const QString &) {
        asked = text;
        return true;
    });
    QVERIFY(pane.swapTo(QStringLiteral("lab-box"), QStringLiteral("example/pair")));
    QVERIFY2(asked.contains(QStringLiteral("on lab-box + lab-box-2")), qPrintable(asked));
    QTRY_VERIFY_WITH_TIMEOUT(pane.swapProgress()->report().finished(), 20000);
    QCOMPARE(pane.swapProgress()->report().state, SwapState::Succeeded);
    QVERIFY2(pane.swapProgress()->resultLabel()->text().contains(QStringLiteral("up on lab-box + lab-box-2")),
             qPrintable(pane.swapProgress()->resultLabel()->text()));
    QTRY_COMPARE(row(1)->text(ModelsPane::StateColumn), QStringLiteral("Serving example/pair (Up)"));
    QVERIFY(row(1)->child(0)->font(ModelsPane::NameColumn).bold());
    QTRY_COMPARE(row(2)->text(ModelsPane::StateColumn), QStringLiteral("Part of example/pair (lab-box + lab-box-2)"));
    QCOMPARE(row(0)->text(ModelsPane::StateColumn), QStringLiteral("Part of example/pair (lab-box + lab-box-2)"));

    // lab-box-2 alone: the question says why that is refused; declined, nothing happens.
    const int swaps = int(core.models().swaps().size());
    pane.setConfirm([&asked](QWidget *, const QString &, const QString &text, const QString &) {
        asked = text;
        return false;
    });
    QVERIFY(!pane.swapTo(QStringLiteral("lab-box-2"), QStringLiteral("example/model-c")));
    QVERIFY2(asked.startsWith(QStringLiteral("lab-box-2 is part of example/pair, which runs across lab-box + "
                                             "lab-box-2: serving example/model-c on lab-box-2 alone is refused")),
             qPrintable(asked));
    QCOMPARE(int(core.models().swaps().size()), swaps);
    // The core refuses it the same way when asked directly.
    const auto refused =
        core.models().startSwap({QStringLiteral("lab-box-2"), QStringLiteral("example/model-c"), true});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().reason, QStringLiteral("unit_member"));

    QFile pid(pidFile);
    QVERIFY(pid.open(QIODevice::ReadOnly));
    QProcess::execute(QStringLiteral("kill"), {QString::fromLatin1(pid.readAll().trimmed())});
}

// The Logs button follows the model's logs_follow command (here on a `local` connection: a local process group) in a
// window that never waits for it; Stop and closing the window end the command.
void TestGuiModelsJobs::modelLogIsFollowedAndStopped()
{
    Core &core = m_core->core();
    const qint64 id = createLocal(QStringLiteral("lab-box"));
    QVERIFY(id > 0);
    auto connected = core.ssh().connectTo(core.connections().get(id).value());
    QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
    QVERIFY2(connected.result().ok(), why(connected.result()).constData());
    QTemporaryDir dir;
    const QString pidFile = dir.path() + QStringLiteral("/log.pid");
    auto pid = [&pidFile] {
        QFile f(pidFile);
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
    };
    auto running = [](qint64 p) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(p));
        if (p <= 1 || !stat.open(QIODevice::ReadOnly)) {
            return false;
        }
        const QByteArray text = stat.readAll();
        return text.mid(text.lastIndexOf(')') + 2, 1) != "Z";
    };
    QVERIFY(
        writeFile(m_core->dataDir() + QStringLiteral("/models.yaml"),
                  QStringLiteral("poll_interval: 60s\nhosts:\n  lab-box:\n"
                                 "    defaults: {port: 18931, start: 'true', stop: 'true'}\n    models:\n"
                                 "      - id: example/model-8b\n        logs_follow: 'echo $$ > %1; i=0; while :; do "
                                 "echo \"log line $i\"; i=$((i+1)); sleep 0.1; done'\n"
                                 "      - id: example/model-70b\n")
                      .arg(pidFile)
                      .toUtf8()));
    ModelsPane pane(core);
    core.models().reload();
    QTRY_COMPARE(modelIds(pane.modelsView()).size(), 2);
    const QTreeWidgetItem *host = pane.modelsView()->topLevelItem(0);
    auto *logs = qobject_cast<QPushButton *>(pane.modelsView()->itemWidget(host->child(0), ModelsPane::LogsColumn));
    auto *none = qobject_cast<QPushButton *>(pane.modelsView()->itemWidget(host->child(1), ModelsPane::LogsColumn));
    QVERIFY(logs && none);
    QVERIFY(logs->isEnabled());
    QVERIFY(!none->isEnabled()); // no logs_follow
    QVERIFY(none->toolTip().contains(QStringLiteral("logs_follow")));

    logs->click();
    auto *dialog = pane.findChild<ModelLogDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->windowTitle().contains(QStringLiteral("example/model-8b")));
    QVERIFY(!dialog->hostBox()); // a model of one host: no choice of host
    QTRY_VERIFY_WITH_TIMEOUT(dialog->logView()->blockCount() >= 5, 10000);
    QVERIFY(dialog->logView()->toPlainText().startsWith(QStringLiteral("log line 0\nlog line 1\n")));
    const qint64 first = pid();
    QVERIFY(running(first));
    QVERIFY(dialog->isFollowing());
    QCOMPARE(core.modelLogs().streamCount(), 1);
    logs->click(); // the same window, raised, not a second follow
    QCOMPARE(pane.findChildren<ModelLogDialog *>().size(), 1);
    QCOMPARE(core.modelLogs().streamCount(), 1);

    // Stop ends the command; Follow starts it again.
    QCOMPARE(dialog->followButton()->text(), ModelLogDialog::tr("&Stop"));
    dialog->followButton()->click();
    QVERIFY(!dialog->isFollowing());
    QTRY_VERIFY_WITH_TIMEOUT(!running(first), 5000);
    QTRY_COMPARE(core.modelLogs().streamCount(), 0);
    QCOMPARE(dialog->followButton()->text(), ModelLogDialog::tr("&Follow"));
    dialog->followButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(pid() != first && running(pid()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->logView()->toPlainText().startsWith(QStringLiteral("log line 0")), 5000);

    // Closing the window ends it too.
    const qint64 second = pid();
    QPointer<ModelLogDialog> closing(dialog);
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(!running(second), 5000);
    QTRY_COMPARE(core.modelLogs().streamCount(), 0);
    QTRY_VERIFY(closing.isNull()); // deleted on close
}

// A model across hosts has a log per host: the Logs window follows its head's first and offers its worker's, each
// followed by the same core call as the API's (ModelLogs::follow with the host), the other one stopped.
void TestGuiModelsJobs::modelAcrossHostsLogPerHost()
{
    Core &core = m_core->core();
    for (const QString &name : {QStringLiteral("lab-box"), QStringLiteral("lab-box-2")}) {
        const qint64 id = createLocal(name);
        QVERIFY(id > 0);
        auto connected = core.ssh().connectTo(core.connections().get(id).value());
        QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
        QVERIFY2(connected.result().ok(), why(connected.result()).constData());
    }
    QVERIFY(writeFile(m_core->dataDir() + QStringLiteral("/models.yaml"),
                      QByteArray("poll_interval: 60s\nhosts:\n  lab-box:\n"
                                 "    defaults: {port: 18932, start: 'true', stop: 'true'}\n    models:\n"
                                 "      - id: example/pair\n"
                                 "        logs_follow: 'echo head line; exec sleep 600'\n"
                                 "        workers:\n"
                                 "          - host: lab-box-2\n"
                                 "            start: 'true'\n"
                                 "            stop: 'true'\n"
                                 "            logs_follow: 'echo worker line; exec sleep 600'\n")));
    ModelsPane pane(core);
    core.models().reload();
    QTRY_COMPARE(modelIds(pane.modelsView()).size(), 1);
    const QTreeWidgetItem *unit = pane.modelsView()->topLevelItem(1);
    QVERIFY(unit);
    auto *logs = qobject_cast<QPushButton *>(pane.modelsView()->itemWidget(unit->child(0), ModelsPane::LogsColumn));
    QVERIFY(logs);
    QVERIFY(logs->isEnabled());
    QVERIFY2(logs->toolTip().contains(QStringLiteral("lab-box, lab-box-2")), qPrintable(logs->toolTip()));

    logs->click();
    auto *dialog = pane.findChild<ModelLogDialog *>();
    QVERIFY(dialog);
    QComboBox *hosts = dialog->hostBox();
    QVERIFY(hosts);
    QCOMPARE(hosts->count(), 2);
    QCOMPARE(hosts->itemText(0), ModelLogDialog::tr("%1 (head)").arg(QStringLiteral("lab-box")));
    QCOMPARE(hosts->itemText(1), ModelLogDialog::tr("%1 (worker)").arg(QStringLiteral("lab-box-2")));
    QCOMPARE(hosts->currentIndex(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->logView()->toPlainText(), QStringLiteral("head line"), 10000);
    QCOMPARE(core.modelLogs().streamCount(), 1);

    hosts->setCurrentIndex(1);
    QCOMPARE(dialog->host(), QStringLiteral("lab-box-2"));
    QVERIFY(dialog->windowTitle().contains(QStringLiteral("lab-box-2")));
    QTRY_COMPARE_WITH_TIMEOUT(dialog->logView()->toPlainText(), QStringLiteral("worker line"), 10000);
    QVERIFY(dialog->isFollowing());
    QTRY_COMPARE(core.modelLogs().streamCount(), 1); // the head's follow was left, and ended

    dialog->close();
    QTRY_COMPARE(core.modelLogs().streamCount(), 0);
}

void TestGuiModelsJobs::jobRunsFromThePane()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tmux")).isEmpty()) {
        QSKIP("tmux is not installed");
    }
    Core &core = m_core->core();
    const qint64 connectionId = createLocal(QStringLiteral("local-box"));
    QVERIFY(connectionId > 0);
    const auto connection = core.connections().get(connectionId);
    QVERIFY(connection.ok());
    auto connected = core.ssh().connectTo(connection.value());
    QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
    QVERIFY2(connected.result().ok(), why(connected.result()).constData());
    core.jobRunner().setPollIntervalMs(200);
    core.startJobSupervision();

    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("gui-run");
    project.remotePath = QStringLiteral("/tmp");
    project.backend = QStringLiteral("tmux");
    const auto createdProject = core.projects().create(project);
    QVERIFY2(createdProject.ok(), why(createdProject).constData());
    Job job;
    job.projectId = createdProject->id;
    job.name = QStringLiteral("hello");
    job.command = QStringLiteral("echo hello-from-job; sleep 1; echo 'GPUDECK_METRICS {\"step\": 10, \"loss\": 0.5}'; "
                                 "echo 'GPUDECK_METRICS {\"step\": 20, \"loss\": 0.4}'");
    const auto createdJob = core.jobs().create(job);
    QVERIFY2(createdJob.ok(), why(createdJob).constData());

    JobsPane pane(core);
    pane.resize(900, 700);
    pane.selectProject(createdProject->id);
    pane.selectJob(createdJob->id);
    QCOMPARE(pane.selectedJobId(), createdJob->id);
    auto *start = pane.findChild<QPushButton *>(QStringLiteral("startJobButton"));
    QVERIFY(start);
    QTRY_VERIFY(start->isEnabled());
    start->click();

    QTRY_COMPARE_WITH_TIMEOUT(core.jobs().get(createdJob->id)->status, QStringLiteral("completed"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pane.logView()->toPlainText().contains(QStringLiteral("hello-from-job")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(pane.metricsChart()->seriesNames().contains(QStringLiteral("loss")), 5000);
    // Every line has a step: the x axis is the step, not a series of its own.
    QTRY_COMPARE_WITH_TIMEOUT(pane.metricsChart()->xAxisTitle(), QStringLiteral("Step"), 5000);
    QCOMPARE(pane.metricsChart()->seriesNames(), QStringList{QStringLiteral("loss")});
    // The view stops following once the pane has learnt of the end (a change event after the row changed).
    QTRY_VERIFY(!pane.logView()->isFollowing());

    // Ended, it can run again: the button says so, and the log view can show either attempt.
    QTRY_COMPARE(start->text().remove(QLatin1Char('&')), QStringLiteral("Run again"));
    Job changed = core.jobs().get(createdJob->id).value();
    changed.command = QStringLiteral("echo second-attempt");
    QVERIFY(core.jobs().update(changed).ok());
    QTRY_VERIFY(start->isEnabled());
    start->click();
    QTRY_COMPARE_WITH_TIMEOUT(core.jobs().get(createdJob->id)->attempt, 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(core.jobs().get(createdJob->id)->status, QStringLiteral("completed"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pane.logView()->toPlainText().contains(QStringLiteral("second-attempt")), 10000);
    QVERIFY(!pane.logView()->toPlainText().contains(QStringLiteral("hello-from-job")));
    // The table says which attempt it was, how it ended, how long it took and what it ran.
    const QAbstractItemModel *table = pane.jobsView()->model();
    const auto cell = [table](int column) { return table->index(0, column).data().toString(); };
    QTRY_COMPARE(cell(JobsModel::AttemptColumn), QStringLiteral("2"));
    QTRY_COMPARE(cell(JobsModel::ExitCodeColumn), QStringLiteral("0"));
    QVERIFY(cell(JobsModel::DurationColumn).endsWith(QStringLiteral(" s")));
    QCOMPARE(cell(JobsModel::CommandColumn), QStringLiteral("echo second-attempt"));
    QComboBox *attempts = pane.attemptBox();
    QTRY_COMPARE(attempts->count(), 2);
    attempts->setCurrentIndex(0); // attempt 1
    QTRY_VERIFY_WITH_TIMEOUT(pane.logView()->toPlainText().contains(QStringLiteral("hello-from-job")), 10000);
    QVERIFY(!pane.logView()->toPlainText().contains(QStringLiteral("second-attempt")));
}

void TestGuiModelsJobs::startRefusalIsShown()
{
    Core &core = m_core->core();
    const qint64 connectionId = createLocal(QStringLiteral("idle-box")); // never connected
    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("idle");
    project.remotePath = QStringLiteral("/tmp");
    const auto createdProject = core.projects().create(project);
    QVERIFY(createdProject.ok());
    Job job;
    job.projectId = createdProject->id;
    job.name = QStringLiteral("refused");
    job.command = QStringLiteral("echo never");
    const auto createdJob = core.jobs().create(job);
    QVERIFY(createdJob.ok());

    core.startJobSupervision();

    JobsPane pane(core);
    pane.selectProject(createdProject->id);
    pane.selectJob(createdJob->id);
    // The button knows it cannot start (the core's own check), and says why.
    auto *start = pane.findChild<QPushButton *>(QStringLiteral("startJobButton"));
    QVERIFY(!start->isEnabled());
    QVERIFY2(start->toolTip().contains(QStringLiteral("'idle-box' is disconnected")), qPrintable(start->toolTip()));
    pane.startJob(createdJob->id);
    QTRY_VERIFY(pane.findChild<QMessageBox *>(QStringLiteral("startJobError")));
    auto *box = pane.findChild<QMessageBox *>(QStringLiteral("startJobError"));
    // Named by its name, not "Job 1".
    QVERIFY2(box->informativeText().contains(QStringLiteral("job 'refused'")), qPrintable(box->informativeText()));
    QVERIFY(!box->informativeText().contains(QStringLiteral("Job %1").arg(createdJob->id)));
    box->close();
    QCOMPARE(core.jobs().get(createdJob->id)->status, QStringLiteral("pending"));
}

void TestGuiModelsJobs::runningJobIsFollowedAndCancelled()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tmux")).isEmpty()) {
        QSKIP("tmux is not installed");
    }
    Core &core = m_core->core();
    const qint64 connectionId = createLocal(QStringLiteral("local-box"));
    auto connected = core.ssh().connectTo(core.connections().get(connectionId).value());
    QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
    QVERIFY(connected.result().ok());
    core.jobRunner().setPollIntervalMs(200);
    core.startJobSupervision();
    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("long");
    project.remotePath = QStringLiteral("/tmp");
    const auto createdProject = core.projects().create(project);
    QVERIFY(createdProject.ok());
    Job job;
    job.projectId = createdProject->id;
    job.name = QStringLiteral("sleeper");
    job.command = QStringLiteral("echo first-line; sleep 1; echo second-line; sleep 30");
    const auto createdJob = core.jobs().create(job);
    QVERIFY(createdJob.ok());

    JobsPane pane(core);
    pane.selectProject(createdProject->id);
    pane.selectJob(createdJob->id);
    pane.startJob(createdJob->id);
    // Followed live: the second line arrives while the job still runs.
    QTRY_VERIFY_WITH_TIMEOUT(pane.logView()->toPlainText().contains(QStringLiteral("second-line")), 10000);
    QCOMPARE(core.jobs().get(createdJob->id)->status, QStringLiteral("running"));
    QVERIFY(pane.logView()->isFollowing());
    auto *start = pane.findChild<QPushButton *>(QStringLiteral("startJobButton"));
    QVERIFY(!start->isEnabled()); // running: it cannot start again until it ends
    QVERIFY2(start->toolTip().contains(QStringLiteral("'sleeper' is running")), qPrintable(start->toolTip()));

    auto *cancel = pane.findChild<QPushButton *>(QStringLiteral("cancelJobButton"));
    QTRY_VERIFY(cancel->isEnabled());
    int asked = 0;
    pane.setConfirm([&asked](QWidget *, const QString &, const QString &, const QString &) {
        ++asked;
        return asked > 1; // no the first time, yes the second
    });
    cancel->click();
    QCOMPARE(asked, 1);
    QCOMPARE(core.jobs().get(createdJob->id)->status, QStringLiteral("running"));
    cancel->click();
    QCOMPARE(asked, 2);
    QTRY_COMPARE_WITH_TIMEOUT(core.jobs().get(createdJob->id)->status, QStringLiteral("cancelled"), 15000);
    QTRY_VERIFY(!pane.logView()->isFollowing());
    // Ended, it can run again.
    QTRY_VERIFY(start->isEnabled());
    QCOMPARE(start->text().remove(QLatin1Char('&')), QStringLiteral("Run again"));
}

void TestGuiModelsJobs::dialogsSaveRunFields()
{
    Core &core = m_core->core();
    const qint64 connectionId = createLocal(QStringLiteral("box"));
    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("p");
    project.remotePath = QStringLiteral("/tmp");
    ProjectDialog projectDialog(core.projects(), core.connections().list().value(), project);
    auto *backend = projectDialog.findChild<QComboBox *>(QStringLiteral("backendCombo"));
    QVERIFY(backend);
    backend->setCurrentIndex(backend->findData(QStringLiteral("slurm")));
    projectDialog.accept();
    QCOMPARE(projectDialog.result(), int(QDialog::Accepted));
    QCOMPARE(core.projects().get(projectDialog.saved().id)->backend, QStringLiteral("slurm"));

    Job job;
    job.projectId = projectDialog.saved().id;
    JobDialog dialog(core.jobs(), job);
    // A new job is pending: the dialog offers no status.
    QVERIFY(!dialog.findChild<QComboBox *>(QStringLiteral("statusCombo"))->isVisibleTo(&dialog));
    dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("train"));
    dialog.findChild<QPlainTextEdit *>(QStringLiteral("commandEdit"))
        ->setPlainText(QStringLiteral("python train.py\n--epochs 3"));
    dialog.findChild<QLineEdit *>(QStringLiteral("workingDirEdit"))->setText(QStringLiteral("/tmp/run"));
    auto *env = dialog.findChild<QPlainTextEdit *>(QStringLiteral("envEdit"));
    env->setPlainText(QStringLiteral("not an assignment"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // refused inline, still open
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("KEY=VALUE")));
    env->setPlainText(QStringLiteral("# comment\nEPOCHS=3\nOPTS=a=b\n"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto saved = core.jobs().get(dialog.saved().id);
    QVERIFY(saved.ok());
    QCOMPARE(saved->command, QStringLiteral("python train.py\n--epochs 3"));
    QCOMPARE(saved->workingDir, QStringLiteral("/tmp/run"));
    QCOMPARE(saved->env.value(QStringLiteral("EPOCHS")).toString(), QStringLiteral("3"));
    QCOMPARE(saved->env.value(QStringLiteral("OPTS")).toString(), QStringLiteral("a=b"));
    QCOMPARE(saved->status, QStringLiteral("pending"));
    JobDialog edit(core.jobs(), saved.value());
    QVERIFY(edit.findChild<QComboBox *>(QStringLiteral("statusCombo"))->isVisibleTo(&edit)); // editing: it is there
}

// Start is enabled exactly when the job can start: not without a command, not while its host is not connected; an
// ended job can be duplicated (its definition, none of its runs).
void TestGuiModelsJobs::startEnablementAndDuplicate()
{
    Core &core = m_core->core();
    core.startJobSupervision();
    const qint64 connectionId = createLocal(QStringLiteral("desk-box"));
    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("enable");
    project.remotePath = QStringLiteral("/tmp");
    const auto createdProject = core.projects().create(project);
    QVERIFY(createdProject.ok());
    Job tracked;
    tracked.projectId = createdProject->id;
    tracked.name = QStringLiteral("tracked");
    const auto trackedJob = core.jobs().create(tracked);
    QVERIFY(trackedJob.ok());
    Job job;
    job.projectId = createdProject->id;
    job.name = QStringLiteral("train");
    job.command = QStringLiteral("python train.py\n--epochs 3");
    job.workingDir = QStringLiteral("/tmp/run");
    job.env = QJsonObject{{QStringLiteral("EPOCHS"), QStringLiteral("3")}};
    job.status = QStringLiteral("failed");
    job.exitCode = 2;
    const auto createdJob = core.jobs().create(job);
    QVERIFY(createdJob.ok());

    JobsPane pane(core);
    pane.selectProject(createdProject->id);
    auto *start = pane.findChild<QPushButton *>(QStringLiteral("startJobButton"));
    pane.selectJob(trackedJob->id);
    QVERIFY(!start->isEnabled());
    QVERIFY(start->toolTip().contains(QStringLiteral("command")));
    pane.selectJob(createdJob->id);
    QVERIFY(!start->isEnabled()); // its host is not connected
    QVERIFY(start->toolTip().contains(QStringLiteral("desk-box")));
    const int row = pane.jobsView()->model()->index(0, 0).data(Qt::UserRole).toLongLong() == createdJob->id ? 0 : 1;
    QCOMPARE(pane.jobsView()->model()->index(row, JobsModel::CommandColumn).data().toString(),
             QStringLiteral("python train.py …"));
    QCOMPARE(pane.jobsView()->model()->index(row, JobsModel::ExitCodeColumn).data().toString(), QStringLiteral("2"));

    auto connected = core.ssh().connectTo(core.connections().get(connectionId).value());
    QTRY_VERIFY_WITH_TIMEOUT(connected.isFinished(), 10000);
    QVERIFY2(connected.result().ok(), why(connected.result()).constData());
    QTRY_VERIFY(start->isEnabled()); // the link came up: it can start now
    pane.selectJob(trackedJob->id);
    QVERIFY(!start->isEnabled()); // still no command
    pane.selectJob(createdJob->id);
    QVERIFY(start->isEnabled());

    auto *duplicate = pane.findChild<QPushButton *>(QStringLiteral("duplicateJobButton"));
    QVERIFY(duplicate && duplicate->isEnabled());
    JobDialog *dialog = pane.duplicateJob(createdJob->id);
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->text(), QStringLiteral("train (copy)"));
    QVERIFY(!dialog->findChild<QComboBox *>(QStringLiteral("statusCombo"))->isVisibleTo(dialog));
    dialog->accept();
    const qint64 copyId = pane.selectedJobId();
    QVERIFY(copyId != createdJob->id);
    const auto copy = core.jobs().get(copyId);
    QVERIFY(copy.ok());
    QCOMPARE(copy->name, QStringLiteral("train (copy)"));
    QCOMPARE(copy->projectId, createdProject->id);
    QCOMPARE(copy->command, job.command);
    QCOMPARE(copy->workingDir, job.workingDir);
    QCOMPARE(copy->env, job.env);
    QCOMPARE(copy->status, QStringLiteral("pending"));
    QCOMPARE(copy->attempt, 0);
    QVERIFY(!copy->exitCode.has_value());
    QCOMPARE(core.jobs().get(createdJob->id)->status, QStringLiteral("failed")); // the original is untouched
}

// The cost guard's choice: offered on a RunPod pod's project, impossible to miss when on, refused elsewhere; the
// Jobs table's "When it ends" column says it.
void TestGuiModelsJobs::jobDialogCostGuard()
{
    Core &core = m_core->core();
    Connection pod;
    pod.name = QStringLiteral("pod");
    pod.kind = QStringLiteral("runpod");
    pod.hostname = QStringLiteral("203.0.113.7");
    pod.username = QStringLiteral("root");
    const auto podConnection = core.connections().create(pod);
    QVERIFY(podConnection.ok());
    Project onPod;
    onPod.connectionId = podConnection->id;
    onPod.name = QStringLiteral("on-pod");
    onPod.remotePath = QStringLiteral("/tmp");
    const auto podProject = core.projects().create(onPod);
    QVERIFY(podProject.ok());

    Job job;
    job.projectId = podProject->id;
    JobDialog dialog(core.jobs(), job, true);
    auto *onEnd = dialog.findChild<QComboBox *>(QStringLiteral("onEndCombo"));
    auto *note = dialog.findChild<QLabel *>(QStringLiteral("onEndNote"));
    QVERIFY(onEnd && note);
    QVERIFY(onEnd->isEnabled());
    QCOMPARE(onEnd->currentData().toString(), QStringLiteral("none"));
    QVERIFY(note->isHidden());
    dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("train"));
    onEnd->setCurrentIndex(onEnd->findData(QStringLiteral("terminate_pod")));
    QVERIFY(!note->isHidden());
    QVERIFY(note->text().contains(QStringLiteral("terminated")));
    dialog.findChild<QCheckBox *>(QStringLiteral("syncCheck"))->setChecked(true);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto saved = core.jobs().get(dialog.saved().id);
    QCOMPARE(saved->onEnd, QStringLiteral("terminate_pod"));
    QVERIFY(saved->syncBeforeStart);
    QCOMPARE(JobsModel::onEndText(saved.value()), QStringLiteral("Syncs first; Terminates pod"));

    // Elsewhere the choice is off, and the core refuses it anyway (shown inline).
    const qint64 desk = createLocal(QStringLiteral("desk"));
    Project local;
    local.connectionId = desk;
    local.name = QStringLiteral("local");
    local.remotePath = QStringLiteral("/tmp");
    const auto localProject = core.projects().create(local);
    QVERIFY(localProject.ok());
    Job other;
    other.projectId = localProject->id;
    JobDialog refused(core.jobs(), other, false);
    auto *otherOnEnd = refused.findChild<QComboBox *>(QStringLiteral("onEndCombo"));
    QVERIFY(!otherOnEnd->isEnabled());
    refused.findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("x"));
    otherOnEnd->setCurrentIndex(otherOnEnd->findData(QStringLiteral("stop_pod")));
    refused.accept();
    QCOMPARE(refused.result(), int(QDialog::Rejected));
    QVERIFY(refused.findChild<QLabel *>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("runpod")));
}

// Alerts: a job that completes is information (on its host's row, not in place of the host), recorded once however
// often it is reported; an alert seen again after a reconnect is the same row, active again, and not notified twice.
void TestGuiModelsJobs::alertsSeenAgainAreOneRow()
{
    Core &core = m_core->core();
    const qint64 connectionId = createLocal(QStringLiteral("lab-box"));
    Project project;
    project.connectionId = connectionId;
    project.name = QStringLiteral("alerts");
    project.remotePath = QStringLiteral("/tmp");
    const auto createdProject = core.projects().create(project);
    QVERIFY(createdProject.ok());
    Job job;
    job.projectId = createdProject->id;
    job.name = QStringLiteral("train");
    job.command = QStringLiteral("true");
    const auto createdJob = core.jobs().create(job);
    QVERIFY(createdJob.ok());

    AlertsPanel panel(core);
    const AlertsModel *model = panel.model();
    Job ended = createdJob.value();
    ended.status = QStringLiteral("completed");
    ended.exitCode = 0;
    ended.attempt = 1;
    core.metrics().recordJobEnded(ended);
    core.metrics().recordJobEnded(ended); // the same end reported again (a reconcile after a reconnect)
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, AlertsModel::HostColumn).data().toString(), QStringLiteral("lab-box"));
    QCOMPARE(model->index(0, AlertsModel::MessageColumn).data().toString(),
             QStringLiteral("job 'train' completed (exit code 0)"));
    QCOMPARE(model->index(0, AlertsModel::SeverityColumn).data().toString(), QStringLiteral("Info"));
    const auto jobNote = TrayIcon::notificationFor(model->alerts().first());
    QVERIFY(jobNote.has_value());
    QCOMPARE(jobNote->icon, QSystemTrayIcon::Information);
    QCOMPARE(jobNote->title, QStringLiteral("lab-box"));
    Job failed = ended;
    failed.status = QStringLiteral("failed");
    failed.exitCode = 1;
    failed.attempt = 2;
    core.metrics().recordJobEnded(failed);
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(TrayIcon::notificationFor(model->alerts().first())->icon, QSystemTrayIcon::Warning);

    // A lasting alert: the link closes (it ends unseen), the host is back and still hot: the same row, active again.
    QSignalSpy changes(&core.metrics(), &MetricsService::alertChanged);
    Alert hot;
    hot.connectionId = connectionId;
    hot.connectionName = QStringLiteral("lab-box");
    hot.gpuIndex = 0;
    hot.kind = QStringLiteral("gpu_temperature");
    hot.severity = QStringLiteral("critical");
    hot.message = QStringLiteral("lab-box GPU 0 is at 88 °C (alert at 85 °C)");
    hot.key = QStringLiteral("%1/0/gpu_temperature").arg(connectionId);
    const qint64 hotId = core.metrics().recordAlert(hot);
    QVERIFY(hotId > 0);
    QVERIFY(TrayIcon::notificationFor(changes.last().first().value<Alert>()).has_value());
    Alert closed = hot;
    closed.id = hotId;
    closed.endReason = QStringLiteral("unseen");
    core.metrics().endAlert(closed);
    QTRY_COMPARE(model->activeCount(), 0);
    QCOMPARE(core.metrics().recordAlert(hot), hotId);
    QTRY_COMPARE(model->activeCount(), 1);
    QCOMPARE(model->rowCount(), 3);
    const Alert seenAgain = changes.last().first().value<Alert>();
    QVERIFY(seenAgain.repeated);
    QVERIFY(!TrayIcon::notificationFor(seenAgain).has_value()); // not news
}

QTEST_MAIN(TestGuiModelsJobs)
#include "tst_gui_models_jobs.moc"
