// The Fleet pane's RunPod widgets on their own, fed plain values (no core, no network): the Pods section (not set up
// → Set API key…; pods with status, GPU type × count, cost per hour, uptime and cost so far; actions enabled by what
// the pod's state allows, asked first, terminate only after the pod's name is typed), the create dialog (GPU types
// with prices per cloud, the hourly cost shown and on the button before anything is sent), the API key dialog
// (write-only: set / not set, the environment's key shown as winning) and the host-key dialog's note for pods.
#include "RecordTable.h"
#include "TypedConfirmDialog.h"
#include "connections/HostKeyDialog.h"
#include "fleet/PodCreateDialog.h"
#include "fleet/PodsModel.h"
#include "fleet/PodsSection.h"
#include "fleet/RunPodKeyDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace gpudeck;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 3, 13), QTime(20, 0), Qt::UTC);

RunPodPod pod(const QString &id, const QString &name, const QString &status, double cost, qint64 uptime)
{
    RunPodPod p;
    p.id = id;
    p.name = name;
    p.status = status;
    p.gpuTypeId = QStringLiteral("NVIDIA H100 80GB HBM3");
    p.gpuCount = 2;
    p.cloud = QStringLiteral("SECURE");
    p.image = QString::fromLatin1(RunPodCreate::kDefaultImage);
    p.costPerHr = cost;
    p.uptimeS = uptime;
    p.fetchedAt = kNow;
    if (status == QStringLiteral("RUNNING")) {
        p.actions = {QStringLiteral("stop"), QStringLiteral("restart"), QStringLiteral("terminate")};
        p.sshDirect = {QStringLiteral("203.0.113.40"), 22022, QStringLiteral("root")};
        p.startedAt = kNow.addSecs(-uptime);
    } else if (status == QStringLiteral("EXITED")) {
        p.actions = {QStringLiteral("start"), QStringLiteral("terminate")};
    }
    return p;
}

QList<RunPodGpuType> catalog()
{
    RunPodGpuType h100;
    h100.id = QStringLiteral("NVIDIA H100 80GB HBM3");
    h100.name = QStringLiteral("H100 SXM");
    h100.memoryGb = 80;
    h100.secure = true;
    h100.community = false;
    h100.priceSecure = 2.99;
    h100.maxCountSecure = 8;
    RunPodGpuType rtx;
    rtx.id = QStringLiteral("NVIDIA GeForce RTX 4090");
    rtx.name = QStringLiteral("RTX 4090");
    rtx.memoryGb = 24;
    rtx.secure = true;
    rtx.community = true;
    rtx.priceSecure = 0.69;
    rtx.priceCommunity = 0.34;
    rtx.maxCountSecure = 8;
    rtx.maxCountCommunity = 4;
    return {h100, rtx};
}

RunPodKeyState keyState(bool env, bool keychain)
{
    RunPodKeyState s;
    s.fromEnvironment = env;
    s.inKeychain = keychain;
    return s;
}

struct Asked
{
    bool answer = true;
    QStringList texts;
    QString phrase;
    Confirm::Question question()
    {
        return [this](QWidget *, const QString &title, const QString &text, const QString &) {
            texts << title + QLatin1Char('\n') + text;
            return answer;
        };
    }
    Confirm::TypedQuestion typed()
    {
        return [this](QWidget *, const QString &title, const QString &text, const QString &, const QString &p) {
            texts << title + QLatin1Char('\n') + text;
            phrase = p;
            return answer;
        };
    }
};

QString cell(const PodsModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

} // namespace

class TestGuiPods : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sectionNotSetUp();
    void sectionListsPods();
    void sectionAsksBeforeActions();
    void typedConfirmation();
    void createDialogShowsCost();
    void createDialogRules();
    void keyDialog();
    void hostKeyNoteForPods();
};

void TestGuiPods::sectionNotSetUp()
{
    PodsSection section;
    section.resize(900, 300);
    section.show();
    // Before the key's state is known: neither "not set up" nor an empty list.
    QVERIFY(!section.setupText()->isVisible());
    QVERIFY(!section.table()->isVisible());

    section.setKeyState(keyState(false, false));
    QVERIFY(!section.configured());
    QVERIFY(section.setupText()->isVisible());
    QVERIFY(section.setupButton()->isVisible());
    QVERIFY(!section.createButton()->isVisible());
    QSignalSpy key(&section, &PodsSection::keyRequested);
    section.setupButton()->click();
    QCOMPARE(key.size(), 1);

    // Set: the (empty) list and its buttons.
    section.setKeyState(keyState(false, true));
    QVERIFY(section.configured());
    QVERIFY(!section.setupText()->isVisible());
    QVERIFY(section.createButton()->isVisible());
    QVERIFY(section.summaryLabel()->text().contains(QStringLiteral("key in the keychain")));
    section.setPods({});
    QVERIFY(section.emptyLabel()->isVisible());
    QVERIFY(!section.table()->isVisible());
    QSignalSpy create(&section, &PodsSection::createRequested);
    section.createButton()->click();
    QCOMPARE(create.size(), 1);

    // The environment's key wins, and says so.
    section.setKeyState(keyState(true, false));
    QVERIFY(section.configured());
    QVERIFY2(section.summaryLabel()->text().contains(QStringLiteral("RUNPOD_API_KEY")),
             qPrintable(section.summaryLabel()->text()));

    section.setReadError(QStringLiteral("RunPod refused the API key (401)"));
    QVERIFY(section.findChild<QLabel *>(QStringLiteral("podsError"))->isVisible());
    QVERIFY(section.findChild<QLabel *>(QStringLiteral("podsError"))->text().contains(QStringLiteral("401")));
}

void TestGuiPods::sectionListsPods()
{
    PodsSection section;
    section.resize(1100, 300);
    section.show();
    section.setKeyState(keyState(false, true));
    section.model()->setNow(kNow);
    RunPodPod train = pod(QStringLiteral("pod_a1"), QStringLiteral("train"), QStringLiteral("RUNNING"), 5.98, 5400);
    train.connectionId = 7;
    section.setPods({train, pod(QStringLiteral("pod_b2"), QStringLiteral("eval"), QStringLiteral("EXITED"), 0, -1)});
    section.setGpuTypes(catalog());
    section.setConnectionNames({{7, QStringLiteral("train")}});

    PodsModel *model = section.model();
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(section.table()->isVisible());
    QVERIFY(!section.emptyLabel()->isVisible());
    // In name order: eval, train.
    QCOMPARE(cell(model, 0, PodsModel::NameColumn), QStringLiteral("eval"));
    QCOMPARE(cell(model, 0, PodsModel::StatusColumn), QStringLiteral("Stopped"));
    QCOMPARE(cell(model, 0, PodsModel::CostColumn), QStringLiteral("—"));
    QVERIFY(cell(model, 0, PodsModel::UptimeColumn).isEmpty());
    QCOMPARE(cell(model, 1, PodsModel::StatusColumn), QStringLiteral("Running"));
    QCOMPARE(cell(model, 1, PodsModel::GpuColumn), QStringLiteral("2 × H100 SXM"));
    QCOMPARE(cell(model, 1, PodsModel::CloudColumn), QStringLiteral("Secure"));
    QCOMPARE(cell(model, 1, PodsModel::CostColumn), QStringLiteral("$5.98/h"));
    QCOMPARE(cell(model, 1, PodsModel::UptimeColumn), QStringLiteral("1 h 30 min"));
    QCOMPARE(cell(model, 1, PodsModel::SpentColumn), QStringLiteral("$8.97")); // 5.98 × 1.5 h
    QCOMPARE(cell(model, 1, PodsModel::SshColumn), QStringLiteral("train (203.0.113.40:22022)"));
    QVERIFY2(section.summaryLabel()->text().startsWith(QStringLiteral("1 of 2 running · $5.98/h in all")),
             qPrintable(section.summaryLabel()->text()));

    // The clock moves uptime and cost so far on without a read.
    section.model()->setNow(kNow.addSecs(1800));
    QCOMPARE(cell(model, 1, PodsModel::UptimeColumn), QStringLiteral("2 h 0 min"));
    QCOMPARE(cell(model, 1, PodsModel::SpentColumn), QStringLiteral("$11.96"));

    // Buttons follow what the selected pod's state allows (RunPod's `actions`).
    for (const QString &action : PodsSection::actions()) {
        QVERIFY(!section.actionButton(action)->isEnabled());
    }
    section.selectPod(QStringLiteral("pod_a1"));
    QCOMPARE(section.selectedPodId(), QStringLiteral("pod_a1"));
    QVERIFY(!section.actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(section.actionButton(QStringLiteral("stop"))->isEnabled());
    QVERIFY(section.actionButton(QStringLiteral("restart"))->isEnabled());
    QVERIFY(section.actionButton(QStringLiteral("terminate"))->isEnabled());
    section.selectPod(QStringLiteral("pod_b2"));
    QVERIFY(section.actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(!section.actionButton(QStringLiteral("stop"))->isEnabled());

    // A new read keeps the selection, even when the rows are rebuilt.
    section.setPods({pod(QStringLiteral("pod_c3"), QStringLiteral("alpha"), QStringLiteral("PROVISIONING"), 0.69, -1),
                     train, pod(QStringLiteral("pod_b2"), QStringLiteral("eval"), QStringLiteral("EXITED"), 0, -1)});
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(section.selectedPodId(), QStringLiteral("pod_b2"));
    QCOMPARE(cell(model, 0, PodsModel::StatusColumn), QStringLiteral("Provisioning"));
}

void TestGuiPods::sectionAsksBeforeActions()
{
    PodsSection section;
    section.show();
    section.setKeyState(keyState(false, true));
    section.setGpuTypes(catalog());
    section.setPods({pod(QStringLiteral("pod_a1"), QStringLiteral("train"), QStringLiteral("RUNNING"), 5.98, 60),
                     pod(QStringLiteral("pod_b2"), QStringLiteral("eval"), QStringLiteral("EXITED"), 0, -1)});
    Asked asked;
    section.setQuestion(asked.question());
    section.setTypedQuestion(asked.typed());
    QSignalSpy requested(&section, &PodsSection::actionRequested);

    // Not allowed in its state: not even asked.
    QVERIFY(!section.requestAction(QStringLiteral("pod_a1"), QStringLiteral("start")));
    QVERIFY(asked.texts.isEmpty());

    // Stop: asked, then requested.
    section.selectPod(QStringLiteral("pod_a1"));
    section.actionButton(QStringLiteral("stop"))->click();
    QCOMPARE(asked.texts.size(), 1);
    QVERIFY2(asked.texts.last().startsWith(QStringLiteral("Stop train")), qPrintable(asked.texts.last()));
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.last().at(0).toString(), QStringLiteral("pod_a1"));
    QCOMPARE(requested.last().at(1).toString(), QStringLiteral("stop"));
    QVERIFY(section.statusLabel()->text().contains(QStringLiteral("asking RunPod")));
    section.setActionDone(QStringLiteral("pod_a1"), QStringLiteral("stop"));
    QCOMPARE(section.statusLabel()->text(), QStringLiteral("Stop train: done"));

    // Start of a stopped pod names what it will cost (from the catalog: its `cost` is 0 while stopped).
    QVERIFY(section.requestAction(QStringLiteral("pod_b2"), QStringLiteral("start")));
    QVERIFY2(asked.texts.last().contains(QStringLiteral("$5.98/h")), qPrintable(asked.texts.last()));
    QCOMPARE(requested.size(), 2);

    // Said no: nothing requested.
    asked.answer = false;
    QVERIFY(!section.requestAction(QStringLiteral("pod_a1"), QStringLiteral("restart")));
    QCOMPARE(requested.size(), 2);

    // Terminate: the typed question, with the pod's name as the phrase, and what is lost.
    QVERIFY(!section.requestAction(QStringLiteral("pod_a1"), QStringLiteral("terminate")));
    QCOMPARE(asked.phrase, QStringLiteral("train"));
    QVERIFY(asked.texts.last().contains(QStringLiteral("cannot be undone")));
    QVERIFY(asked.texts.last().contains(QStringLiteral("volume")));
    QCOMPARE(requested.size(), 2);
    asked.answer = true;
    QVERIFY(section.requestAction(QStringLiteral("pod_a1"), QStringLiteral("terminate")));
    QCOMPARE(requested.last().at(1).toString(), QStringLiteral("terminate"));

    section.setActionFailed(QStringLiteral("pod_a1"), QStringLiteral("terminate"),
                            QStringLiteral("this pod is locked"));
    QVERIFY(section.statusLabel()->text().contains(QStringLiteral("failed: this pod is locked")));
}

void TestGuiPods::typedConfirmation()
{
    TypedConfirmDialog dialog(QStringLiteral("Terminate train"), QStringLiteral("Deletes its disk."),
                              QStringLiteral("Terminate"), QStringLiteral("train"));
    dialog.open();
    QVERIFY(!dialog.acceptButton()->isEnabled());
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("cancelButton"))->isDefault());
    dialog.accept(); // not without the name
    QVERIFY(dialog.isVisible());
    QTest::keyClicks(dialog.phraseEdit(), QStringLiteral("trai"));
    QVERIFY(!dialog.acceptButton()->isEnabled());
    QTest::keyClicks(dialog.phraseEdit(), QStringLiteral("n"));
    QVERIFY(dialog.acceptButton()->isEnabled());
    dialog.acceptButton()->click();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    TypedConfirmDialog cancelled(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("Terminate"),
                                 QStringLiteral("train"));
    cancelled.open();
    QTest::keyClicks(cancelled.phraseEdit(), QStringLiteral("Train")); // the name exactly, case too
    QVERIFY(!cancelled.acceptButton()->isEnabled());
    cancelled.findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
    QCOMPARE(cancelled.result(), int(QDialog::Rejected));
}

void TestGuiPods::createDialogShowsCost()
{
    PodCreateDialog dialog;
    dialog.open();
    QCOMPARE(dialog.imageEdit()->text(), QString::fromLatin1(RunPodCreate::kDefaultImage));
    QCOMPARE(dialog.diskSpin()->value(), RunPodCreate::kDefaultDiskGb);
    QCOMPARE(dialog.volumeSpin()->value(), RunPodCreate::kDefaultVolumeGb);
    QVERIFY(!dialog.gpuCombo()->isEnabled()); // the catalog is being read
    QVERIFY(!dialog.createButton()->isEnabled());

    dialog.setGpuTypes(catalog());
    QVERIFY(dialog.gpuCombo()->isEnabled());
    // Cheapest first, each with its price per GPU.
    QCOMPARE(dialog.gpuCombo()->itemData(0).toString(), QStringLiteral("NVIDIA GeForce RTX 4090"));
    QVERIFY2(dialog.gpuCombo()->itemText(0).contains(QStringLiteral("$0.69/h per GPU")),
             qPrintable(dialog.gpuCombo()->itemText(0)));
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("train"));
    dialog.gpuCombo()->setCurrentIndex(1); // H100
    dialog.countSpin()->setValue(2);
    QCOMPARE(dialog.hourlyCost(), 5.98);
    QVERIFY2(dialog.costLabel()->text().contains(QStringLiteral("2 × $2.99/h = $5.98/h")),
             qPrintable(dialog.costLabel()->text()));
    QCOMPARE(dialog.createButton()->text(), QStringLiteral("Create — $5.98/h"));
    QVERIFY(dialog.createButton()->isEnabled());
    QVERIFY(!dialog.createButton()->isDefault()); // Enter never rents a GPU

    // The community cloud: its own prices; the H100 is not offered there, so the 4090 is chosen.
    dialog.cloudCombo()->setCurrentIndex(1);
    QCOMPARE(dialog.gpuCombo()->currentData().toString(), QStringLiteral("NVIDIA GeForce RTX 4090"));
    QVERIFY(dialog.gpuCombo()->itemText(1).contains(QStringLiteral("not in this cloud")));
    QCOMPARE(dialog.countSpin()->maximum(), 4);
    dialog.countSpin()->setValue(3);
    QCOMPARE(dialog.createButton()->text(), QStringLiteral("Create — $1.02/h"));

    dialog.envEdit()->setPlainText(QStringLiteral("HF_HOME=/workspace/hf\nWANDB_MODE=offline\n"));
    QSignalSpy requested(&dialog, &PodCreateDialog::createRequested);
    dialog.createButton()->click();
    QCOMPARE(requested.size(), 1);
    const auto r = requested.last().at(0).value<RunPodCreate>();
    QCOMPARE(r.name, QStringLiteral("train"));
    QCOMPARE(r.gpuTypeId, QStringLiteral("NVIDIA GeForce RTX 4090"));
    QCOMPARE(r.gpuCount, 3);
    QCOMPARE(r.cloud, QStringLiteral("COMMUNITY"));
    QCOMPARE(r.image, QString::fromLatin1(RunPodCreate::kDefaultImage));
    QCOMPARE(r.volumeGb, RunPodCreate::kDefaultVolumeGb);
    QCOMPARE(r.env.value(QStringLiteral("WANDB_MODE")), QStringLiteral("offline"));
    QVERIFY(r.validate().ok());

    // Waiting for RunPod: nothing can be changed or sent twice; a refusal is shown and keeps what was typed.
    QVERIFY(!dialog.createButton()->isEnabled());
    QVERIFY(!dialog.nameEdit()->isEnabled());
    QCOMPARE(dialog.createButton()->text(), QStringLiteral("Creating…"));
    dialog.setFailed(QStringLiteral("There are no longer any instances available with the requested specifications."));
    QVERIFY(dialog.errorLabel()->isVisible());
    QVERIFY(dialog.createButton()->isEnabled());
    QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("train"));
    QVERIFY(dialog.isVisible());
}

void TestGuiPods::createDialogRules()
{
    PodCreateDialog dialog;
    dialog.setGpuTypes(catalog());
    QString problem;
    dialog.request(&problem);
    QCOMPARE(problem, QStringLiteral("Give the pod a name"));
    dialog.nameEdit()->setText(QStringLiteral("12345"));
    dialog.request(&problem);
    QVERIFY2(problem.contains(QStringLiteral("must not be a number")), qPrintable(problem)); // the core's rule
    dialog.nameEdit()->setText(QStringLiteral("train"));
    dialog.volumeSpin()->setValue(5);
    dialog.request(&problem);
    QVERIFY2(problem.contains(QStringLiteral("at least 10 GB")), qPrintable(problem));
    QVERIFY(!dialog.createButton()->isEnabled());
    dialog.volumeSpin()->setValue(0); // none
    QCOMPARE(dialog.volumeSpin()->text(), QStringLiteral("none"));
    dialog.envEdit()->setPlainText(QStringLiteral("GOOD=1\nnot a line\n"));
    dialog.request(&problem);
    QVERIFY2(problem.contains(QStringLiteral("line 2")), qPrintable(problem));
    dialog.envEdit()->setPlainText(QStringLiteral("# a comment\nA=b=c\n"));
    const RunPodCreate r = dialog.request(&problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.env.value(QStringLiteral("A")), QStringLiteral("b=c"));
    QCOMPARE(r.volumeGb, 0);
    QVERIFY(dialog.createButton()->isEnabled());

    PodCreateDialog failed;
    failed.setGpuTypesFailed(QStringLiteral("RunPod is not reachable"));
    QVERIFY(failed.errorLabel()->text().contains(QStringLiteral("not reachable")));
    QVERIFY(!failed.createButton()->isEnabled());
}

void TestGuiPods::keyDialog()
{
    RunPodKeyDialog dialog(keyState(false, false));
    dialog.open();
    QCOMPARE(dialog.stateLabel()->text(), QStringLiteral("not set"));
    QVERIFY(!dialog.environmentLabel()->isVisible());
    QVERIFY(!dialog.removeButton()->isVisible());
    QCOMPARE(dialog.keyEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(!dialog.saveButton()->isEnabled());

    QSignalSpy saved(&dialog, &RunPodKeyDialog::saveRequested);
    QTest::keyClicks(dialog.keyEdit(), QStringLiteral("rpa_TESTKEY "));
    dialog.saveButton()->click();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.last().at(0).toString(), QStringLiteral("rpa_TESTKEY"));
    QVERIFY(!dialog.saveButton()->isEnabled()); // busy
    dialog.setFailed(QStringLiteral("RunPod refused this API key"));
    QVERIFY(dialog.errorLabel()->text().contains(QStringLiteral("refused")));
    QVERIFY(dialog.saveButton()->isEnabled());

    // Set, and the environment's key in use: both said; the key itself is never shown.
    dialog.setState(keyState(true, true));
    QCOMPARE(dialog.stateLabel()->text(), QStringLiteral("a key is set"));
    QVERIFY(dialog.environmentLabel()->isVisible());
    QVERIFY(dialog.environmentLabel()->text().contains(QStringLiteral("RUNPOD_API_KEY")));
    QVERIFY(dialog.removeButton()->isVisible());

    Asked asked;
    asked.answer = false;
    dialog.setQuestion(asked.question());
    QSignalSpy removed(&dialog, &RunPodKeyDialog::removeRequested);
    dialog.removeButton()->click();
    QCOMPARE(asked.texts.size(), 1);
    QCOMPARE(removed.size(), 0);
    asked.answer = true;
    dialog.removeButton()->click();
    QCOMPARE(removed.size(), 1);

    RunPodKeyState locked;
    locked.keychainReadable = false;
    locked.keychainError = QStringLiteral("the keychain is locked");
    dialog.setState(locked);
    QVERIFY(dialog.stateLabel()->text().contains(QStringLiteral("the keychain is locked")));
}

void TestGuiPods::hostKeyNoteForPods()
{
    const QString fingerprint = QStringLiteral("SHA256:cG9kaG9zdGtleXBvZGhvc3RrZXlwb2Rob3N0a2V5cG9kaA");
    HostKeyDialog plain(HostKeyDialog::Mode::Unknown, QStringLiteral("203.0.113.40"), 22022, fingerprint, {});
    QVERIFY(!plain.podNoteLabel());

    HostKeyDialog dialog(HostKeyDialog::Mode::Unknown, QStringLiteral("203.0.113.40"), 22022, fingerprint, {});
    dialog.setRunPodPod(QStringLiteral("train"));
    dialog.open();
    QVERIFY(dialog.podNoteLabel()->isVisible());
    const QString note = dialog.podNoteLabel()->text();
    QVERIFY2(note.contains(QStringLiteral("new host key (and SSH port) every time it starts")), qPrintable(note));
    QVERIFY(note.contains(QStringLiteral("trust on first use")));
    QVERIFY(dialog.trustButton());

    // Changed within a run: the pod's rotation is no excuse, and the note says so.
    HostKeyDialog changed(
        HostKeyDialog::Mode::Changed, QStringLiteral("203.0.113.40"), 22022, fingerprint,
        QStringLiteral("REFUSED: the host key of RunPod pod pod_a1 CHANGED while the pod kept running"));
    changed.setRunPodPod(QStringLiteral("train"));
    QVERIFY(changed.podNoteLabel()->text().contains(QStringLiteral("changed while the pod kept running")));
    QVERIFY(changed.forgetButton());
}

QTEST_MAIN(TestGuiPods)
#include "tst_gui_pods.moc"
