// The Fleet pane's RunPod pods over the real core: RunPodService against FakeRunPod (RunPod's v2 API on loopback,
// request bodies checked against RunPod's schema) and, when it can run, the test sshd as the pods' SSH endpoint.
// From an empty fleet: "Rent a GPU on RunPod…" asks for the API key (a wrong one is refused and shown, the right one
// saved); then the create dialog reads the GPU catalog, shows the hourly cost and creates the pod; the pod walks to
// RUNNING in the section (and becomes a connection); Stop is asked and stops the fake pod; Terminate needs the
// pod's name typed and removes it. Every action is in the audit log as its REST twin; hidden, the pane stops
// watching the pods.
#include "FakeRunPod.h"
#include "HttpClient.h"
#include "MainWindow.h"
#include "SshServer.h"
#include "TestCore.h"
#include "fleet/FleetPane.h"
#include "fleet/FleetPods.h"
#include "fleet/PodCreateDialog.h"
#include "fleet/PodsModel.h"
#include "fleet/PodsSection.h"
#include "fleet/RunPodKeyDialog.h"
#include "runpod/RunPodService.h"
#include "secrets/MemorySecretStore.h"
#include "store/AuditRepository.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace gpudeck;

class TestGuiFleetRunPod : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void podsFromAnEmptyFleet();

private:
    QTemporaryDir m_settingsDir;
    test::FakeRunPod m_fake;
    std::unique_ptr<test::SshServer> m_sshd;
    std::unique_ptr<test::TestCore> m_core;
};

void TestGuiFleetRunPod::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
    QString error;
    QVERIFY2(m_fake.start(&error), qPrintable(error));
    m_sshd = std::make_unique<test::SshServer>();
    if (m_sshd->start(&error)) {
        m_fake.setSshServer(m_sshd.get(), this);
    } else {
        qInfo("no test sshd (%s): the pod is not checked as a connection", qPrintable(error));
        m_sshd.reset();
    }
    qputenv("RUNPOD_API_BASE", m_fake.baseUrl().toUtf8());
    qunsetenv("RUNPOD_API_KEY"); // the key comes from the dialog, into the (memory) keychain
    m_core = std::make_unique<test::TestCore>(true, std::make_unique<MemorySecretStore>());
    m_core->core().runpod().setPollIntervalMs(100);
}

void TestGuiFleetRunPod::cleanupTestCase()
{
    m_core.reset();
    m_fake.stop();
    m_sshd.reset();
}

void TestGuiFleetRunPod::podsFromAnEmptyFleet()
{
    MainWindow window(m_core->core());
    window.resize(1280, 720);
    window.showPane(MainWindow::FleetPaneIndex);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    FleetPane *pane = window.fleetPane();
    PodsSection *section = pane->podsSection();
    QStringList asked;
    pane->setQuestion([&](QWidget *, const QString &title, const QString &, const QString &) {
        asked << title;
        return true;
    });
    QString typedPhrase;
    section->setTypedQuestion([&](QWidget *, const QString &, const QString &, const QString &, const QString &phrase) {
        typedPhrase = phrase;
        return true;
    });

    // No host and no key: the empty fleet offers to rent a GPU; that starts with the API key.
    auto *rent = pane->findChild<QPushButton *>(QStringLiteral("fleetRentButton"));
    QVERIFY(rent);
    QTRY_VERIFY_WITH_TIMEOUT(rent->isVisible(), 10000);
    QVERIFY(!section->configured());
    QVERIFY(!pane->pods()->watching());
    rent->click();
    QPointer<RunPodKeyDialog> keyDialog = pane->pods()->keyDialog();
    QVERIFY(keyDialog);
    QCOMPARE(keyDialog->stateLabel()->text(), QStringLiteral("not set"));

    // A key RunPod refuses is not stored, and the dialog says why.
    keyDialog->keyEdit()->setText(QStringLiteral("rpa_NOT_THE_KEY"));
    keyDialog->saveButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(keyDialog->saveButton()->isEnabled(), 10000);
    QVERIFY(keyDialog->isVisible());
    QVERIFY(!keyDialog->errorLabel()->text().isEmpty());
    QVERIFY(!keyDialog->errorLabel()->text().contains(QStringLiteral("rpa_NOT_THE_KEY"))); // never echoed
    QVERIFY(!section->configured());

    keyDialog->keyEdit()->setText(m_fake.apiKey());
    keyDialog->saveButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!keyDialog, 10000); // closed (and deleted) once saved
    QTRY_VERIFY_WITH_TIMEOUT(section->configured(), 10000);
    QVERIFY(m_core->core().runpod().knownKeyState().inKeychain);
    QTRY_VERIFY_WITH_TIMEOUT(pane->pods()->watching(), 10000);

    // Still no pod and no host: the same button now creates a pod. The catalog is read, the cost shown before
    // anything is sent.
    QVERIFY(rent->isVisible());
    rent->click();
    QPointer<PodCreateDialog> create = pane->pods()->createDialog();
    QVERIFY(create);
    QTRY_VERIFY_WITH_TIMEOUT(create->gpuCombo()->isEnabled(), 10000);
    QVERIFY(create->gpuCombo()->count() > 0);
    create->nameEdit()->setText(QStringLiteral("train"));
    create->countSpin()->setValue(1);
    const QString gpuType = create->gpuCombo()->currentData().toString();
    QVERIFY(!gpuType.isEmpty());
    QVERIFY(create->hourlyCost() > 0);
    const QString rate = PodsModel::rateText(create->hourlyCost());
    QVERIFY2(create->costLabel()->text().contains(rate), qPrintable(create->costLabel()->text()));
    QVERIFY(create->createButton()->text().contains(rate));
    QVERIFY(m_fake.podIds().isEmpty());
    create->createButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!create, 15000);
    QCOMPARE(m_fake.podIds().size(), 1);
    const QString podId = m_fake.podIds().first();
    const QJsonObject body = m_fake.pod(podId).createBody;
    QCOMPARE(body.value(QStringLiteral("name")).toString(), QStringLiteral("train"));
    QCOMPARE(body.value(QStringLiteral("gpu")).toObject().value(QStringLiteral("id")).toString(), gpuType);
    QCOMPARE(body.value(QStringLiteral("image")).toString(), QString::fromLatin1(RunPodCreate::kDefaultImage));

    // The pod shows at once (the fleet's view switches from "empty" to the section), then walks to RUNNING.
    QTRY_VERIFY_WITH_TIMEOUT(section->model()->pod(podId), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(section->isVisible(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(section->model()->pod(podId)->status, QStringLiteral("RUNNING"), 20000);
    const int row = section->model()->rowOf(podId);
    QCOMPARE(section->model()->index(row, PodsModel::StatusColumn).data().toString(), QStringLiteral("Running"));
    QVERIFY(section->model()->index(row, PodsModel::GpuColumn).data().toString().startsWith(QStringLiteral("1 × ")));
    QVERIFY(section->model()->index(row, PodsModel::CostColumn).data().toString().endsWith(QStringLiteral("/h")));
    QVERIFY(section->model()->index(row, PodsModel::SpentColumn).data().toString().startsWith(QLatin1Char('$')));
    if (m_sshd) {
        // Running with ssh.direct: a connection named after the pod, shown beside it and as a host tile.
        QTRY_VERIFY_WITH_TIMEOUT(section->model()->pod(podId)->connectionId > 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(section->model()
                                     ->index(section->model()->rowOf(podId), PodsModel::SshColumn)
                                     .data()
                                     .toString()
                                     .startsWith(QStringLiteral("train")),
                                 15000);

        // The cost guard is visible when on: a running job that stops the pod when it ends, beside the pod; the
        // idle pod alert in the section's summary.
        test::HttpClient http(m_core->port(), m_core->token());
        const qint64 connectionId = section->model()->pod(podId)->connectionId;
        QVERIFY(section->summaryLabel()->text().contains(QStringLiteral("idle pod alert off")));
        const auto project =
            http.post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), connectionId},
                                                            {QStringLiteral("name"), QStringLiteral("guarded")},
                                                            {QStringLiteral("remote_path"), m_sshd->homeDir()}});
        QVERIFY2(project.status == 201, project.body.constData());
        const auto job = http.post(QStringLiteral("/api/dgx/jobs"),
                                   {{QStringLiteral("project_id"), project.object().value(QStringLiteral("id"))},
                                    {QStringLiteral("name"), QStringLiteral("external")},
                                    {QStringLiteral("status"), QStringLiteral("running")},
                                    {QStringLiteral("on_end"), QStringLiteral("stop_pod")}});
        QCOMPARE(job.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(
            section->model()->index(section->model()->rowOf(podId), PodsModel::GuardColumn).data().toString(),
            QStringLiteral("Stop after 'external'"), 15000);
        const auto idle =
            http.put(QStringLiteral("/api/config/monitoring"),
                     {{QStringLiteral("cost_guard"), QJsonObject{{QStringLiteral("pod_idle_seconds"), 1800}}}});
        QCOMPARE(idle.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            section->summaryLabel()->text().contains(QStringLiteral("idle pod alert after 30 min")), 10000);
        // Its on_end set back to none, nothing guards the pod any more.
        QCOMPARE(http.put(QStringLiteral("/api/dgx/jobs/%1").arg(job.object().value(QStringLiteral("id")).toInt()),
                          {{QStringLiteral("on_end"), QStringLiteral("none")}})
                     .status,
                 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            section->model()->index(section->model()->rowOf(podId), PodsModel::GuardColumn).data().toString().isEmpty(),
            15000);
    }

    // Stop: asked, then the fake pod is stopped and the section follows.
    section->selectPod(podId);
    QTRY_VERIFY_WITH_TIMEOUT(section->actionButton(QStringLiteral("stop"))->isEnabled(), 10000);
    section->actionButton(QStringLiteral("stop"))->click();
    QCOMPARE(asked.last(), QStringLiteral("Stop train"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.pod(podId).status, QStringLiteral("EXITED"), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(section->model()->pod(podId)->status, QStringLiteral("EXITED"), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(section->statusLabel()->text(), QStringLiteral("Stop train: done"), 15000);
    QVERIFY(section->actionButton(QStringLiteral("start"))->isEnabled());
    QVERIFY(!section->actionButton(QStringLiteral("stop"))->isEnabled());

    // Terminate: the pod's name has to be typed; then it is gone, from RunPod and from the section.
    section->actionButton(QStringLiteral("terminate"))->click();
    QCOMPARE(typedPhrase, QStringLiteral("train"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fake.podIds().isEmpty(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!section->model()->pod(podId), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(section->statusLabel()->text(), QStringLiteral("Terminate train: done"), 15000);

    // The GUI's actions are audited as their REST twins, and RunPod saw only bodies its schema allows.
    const auto audit = m_core->core().audit().list(QStringLiteral("gui"));
    QVERIFY(audit.ok());
    QStringList routes;
    for (const AuditEntry &e : audit.value()) {
        routes << e.method + QLatin1Char(' ') + e.route + QLatin1Char(' ') + e.outcome;
    }
    QVERIFY2(routes.contains(QStringLiteral("PUT /api/runpod/credentials ok")), qPrintable(routes.join(u',')));
    QVERIFY2(routes.contains(QStringLiteral("POST /api/runpod/pods ok")), qPrintable(routes.join(u',')));
    QVERIFY2(routes.count(QStringLiteral("POST /api/runpod/pods/:id/action ok")) == 2, qPrintable(routes.join(u',')));
    QVERIFY2(m_fake.violations().isEmpty(), qPrintable(m_fake.violations().join(u'\n')));
    QVERIFY2(m_fake.answerViolations().isEmpty(), qPrintable(m_fake.answerViolations().join(u'\n')));

    // Off screen, nobody watches the pods.
    window.showPane(MainWindow::JobsPaneIndex);
    QVERIFY(!pane->pods()->watching());
    window.showPane(MainWindow::FleetPaneIndex);
    QVERIFY(pane->pods()->watching());
}

QTEST_MAIN(TestGuiFleetRunPod)
#include "tst_gui_fleet_runpod.moc"
