// The cost guard against a real sshd on loopback (its sessions' PATH arranged by the test), real tmux, the replaying
// fake nvidia-smi, RunPod's v2 API served by the fake (its RUNNING pods point at that sshd) and the real API: a job's
// on_end stops or terminates its pod after the grace, the idle pod alert, and tmux installed with the image's package
// manager before the first job on a pod.
#include "FakeNvidiaSmi.h"
#include "FakeRunPod.h"
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "costguard/CostGuard.h"
#include "costguard/PodControl.h"
#include "jobs/JobSupervisor.h"
#include "runpod/RunPodService.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;
namespace jobs = test::jobs;

namespace {

// RunPod as the cost guard sees it: records every action; fails the first `failures` of them.
class TestPods : public PodControl
{
public:
    QString podIdOf(const Connection &c) const override
    {
        return c.kind == QStringLiteral("runpod") ? QStringLiteral("pod-") + c.name : QString();
    }
    QFuture<Status> act(const QString &podId, const QString &action) override
    {
        QMutexLocker lock(&m_mutex);
        m_calls.append(podId + QLatin1Char(' ') + action);
        if (m_failures > 0) {
            --m_failures;
            return QtFuture::makeReadyFuture(Status(Error::make(ErrorCode::Upstream, QStringLiteral("runpod_error"),
                                                                QStringLiteral("RunPod answered 500"))));
        }
        return QtFuture::makeReadyFuture(Status());
    }
    QFuture<Result<PodCost>> cost(const QString &podId) override
    {
        PodCost c;
        c.podId = podId;
        c.status = QStringLiteral("RUNNING");
        c.costPerHr = 2.49;
        c.costSoFar = 0.42;
        return QtFuture::makeReadyFuture(Result<PodCost>(c));
    }
    QStringList calls() const
    {
        QMutexLocker lock(&m_mutex);
        return m_calls;
    }
    void failNext(int n)
    {
        QMutexLocker lock(&m_mutex);
        m_failures = n;
    }

private:
    mutable QMutex m_mutex;
    QStringList m_calls;
    int m_failures = 0;
};

bool writeScript(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size()) {
        return false;
    }
    f.close();
    return f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                            QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

constexpr auto kOpen = QFile::Permissions(0x7777); // rwx for all (Qt's bit layout: owner, user, group, other)

} // namespace

class TestCostGuard : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::FakeNvidiaSmi m_nvidia;
    // The host's tools without tmux (a symlink per program of /usr/bin and /bin), writable by the SSH test user so
    // the fake package manager can "install" tmux there; and the fake package manager and sudo, first on the PATH.
    std::unique_ptr<QTemporaryDir> m_tools;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    std::shared_ptr<TestPods> m_pods;

    QString farm() const { return m_tools->path() + QStringLiteral("/bin"); }
    QString fakes() const { return m_tools->path() + QStringLiteral("/pm"); }
    QString aptLog() const { return m_tools->path() + QStringLiteral("/pm/apt-get.log"); }

    // A `runpod` connection `name` to the test sshd (connected) and a project on it; the project's id.
    int setUpPod(const QString &name, const QString &kind = QStringLiteral("runpod"))
    {
        const auto c = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), name},
                                     {QStringLiteral("hostname"), m_sshd.host()},
                                     {QStringLiteral("port"), m_sshd.port()},
                                     {QStringLiteral("username"), m_sshd.user()},
                                     {QStringLiteral("kind"), kind},
                                     {QStringLiteral("auth_method"), QStringLiteral("key")},
                                     {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}});
        const auto connected = m_http->post(QStringLiteral("/api/dgx/connect/") + name,
                                            {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        const auto p = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), name},
                                     {QStringLiteral("name"), QStringLiteral("train-") + name},
                                     {QStringLiteral("remote_path"), QStringLiteral("~")}});
        if (c.status != 201 || connected.status != 200 || p.status != 201) {
            qWarning() << "setting up the pod failed:" << c.body << connected.body << p.body;
            return -1;
        }
        return p.object().value(QStringLiteral("id")).toInt();
    }

    bool putCostGuard(const QJsonObject &settings)
    {
        const auto r =
            m_http->put(QStringLiteral("/api/config/monitoring"), {{QStringLiteral("cost_guard"), settings}});
        if (r.status != 200) {
            qWarning() << r.body;
        }
        return r.status == 200;
    }

    QJsonArray alerts(const QString &kind)
    {
        QJsonArray out;
        for (const QJsonValue &v : m_http->get(QStringLiteral("/api/dgx/alerts?limit=200")).array()) {
            if (v.toObject().value(QStringLiteral("kind")).toString() == kind) {
                out.append(v);
            }
        }
        return out;
    }

    QString onEndState(int job)
    {
        return jobs::job(*m_http, job)
            .value(QStringLiteral("on_end_result"))
            .toObject()
            .value(QStringLiteral("state"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_nvidia.install(&error), qPrintable(error));
        // A recorded idle H100 (0 % utilisation, no compute process), replayed in a loop.
        const QString idle = test::FakeNvidiaSmi::fixturesRoot() + QStringLiteral("/h100-driver580/idle/");
        QFile::remove(m_nvidia.root() + QStringLiteral("/fixtures/loop.csv"));
        QVERIFY(QFile::copy(idle + QStringLiteral("query-gpu-nounits.csv"),
                            m_nvidia.root() + QStringLiteral("/fixtures/loop.csv")));
        QFile::remove(m_nvidia.root() + QStringLiteral("/fixtures/compute-apps.csv"));
        QVERIFY(QFile::copy(idle + QStringLiteral("compute-apps.csv"),
                            m_nvidia.root() + QStringLiteral("/fixtures/compute-apps.csv")));

        m_tools = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-costguard-XXXXXX"));
        QVERIFY(m_tools->isValid());
        QDir root(m_tools->path());
        QVERIFY(root.mkpath(QStringLiteral("bin")) && root.mkpath(QStringLiteral("pm")));
        QVERIFY(QFile::setPermissions(m_tools->path(), QFile::Permissions(0x7755)));
        QVERIFY(QFile::setPermissions(farm(), kOpen));
        QVERIFY(QFile::setPermissions(fakes(), kOpen));
        const QStringList skipped{QStringLiteral("tmux"),      QStringLiteral("sudo"),   QStringLiteral("apt-get"),
                                  QStringLiteral("dnf"),       QStringLiteral("yum"),    QStringLiteral("apk"),
                                  QStringLiteral("zypper"),    QStringLiteral("pacman"), QStringLiteral("microdnf"),
                                  QStringLiteral("nvidia-smi")};
        for (const QString &dir :
             {QStringLiteral("/usr/local/bin"), QStringLiteral("/usr/bin"), QStringLiteral("/bin")}) {
            for (const QFileInfo &f : QDir(dir).entryInfoList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
                if (!skipped.contains(f.fileName()) && !QFileInfo::exists(farm() + QLatin1Char('/') + f.fileName())) {
                    QFile::link(f.absoluteFilePath(), farm() + QLatin1Char('/') + f.fileName());
                }
            }
        }
        QVERIFY(QFileInfo::exists(QStringLiteral("/usr/bin/tmux")));
        // apt-get as a container image has it: `update` and `install -y ... tmux` (which puts tmux on the PATH).
        QVERIFY(writeScript(fakes() + QStringLiteral("/apt-get"),
                            QStringLiteral("#!/bin/sh\n"
                                           "echo \"$(id -u) DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*\" >> '%1'\n"
                                           "case \"$1\" in\n"
                                           "  update) echo 'Reading package lists... Done'; exit 0;;\n"
                                           "  install) case \" $* \" in *' tmux '*) ln -sf /usr/bin/tmux '%2/tmux'; "
                                           "echo 'Setting up tmux'; exit 0;; esac;;\n"
                                           "esac\n"
                                           "echo 'E: Unable to locate package' >&2; exit 100\n")
                                .arg(aptLog(), farm())
                                .toUtf8()));
        QFile sudo(QStringLiteral(GPUDECK_FAKE_SUDO));
        QVERIFY(sudo.open(QIODevice::ReadOnly));
        QVERIFY(writeScript(fakes() + QStringLiteral("/sudo"), sudo.readAll()));
        m_sshd.setSessionEnv(QStringLiteral("PATH"),
                             m_nvidia.binDir() + QLatin1Char(':') + fakes() + QLatin1Char(':') + farm());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_pods = std::make_shared<TestPods>();
        m_tc->core().costGuard().setPodControl(m_pods);
        m_tc->core().costGuard().setRetryBaseMs(300);
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    // A new pod's image without tmux: GPU Deck installs it (as root: here through sudo) with the package manager the
    // image has, before the job launches; the next launch finds it there.
    void tmuxInstalledBeforeFirstJob()
    {
        QFile::remove(farm() + QStringLiteral("/tmux"));
        QFile::remove(aptLog());
        const int project = setUpPod(QStringLiteral("fresh"));
        QVERIFY(project > 0);
        const int id = jobs::createJob(*m_http, project, QStringLiteral("echo launched"));
        const auto r = jobs::start(*m_http, id);
        QVERIFY2(r.status == 200, r.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QVERIFY(QFileInfo::exists(farm() + QStringLiteral("/tmux")));
        QFile log(aptLog());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QString calls = QString::fromUtf8(log.readAll());
        QVERIFY2(calls.contains(QStringLiteral("DEBIAN_FRONTEND=noninteractive update")), qPrintable(calls));
        QVERIFY2(calls.contains(QStringLiteral("DEBIAN_FRONTEND=noninteractive install -y -q --no-install-recommends "
                                               "tmux")),
                 qPrintable(calls));
        QCOMPARE(jobs::logLines(*m_http, id), QStringList{QStringLiteral("launched")});
        // Installed once: the next launch only checks.
        log.close();
        QFile::remove(aptLog());
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QVERIFY(!QFileInfo::exists(aptLog()));
    }

    // No package manager it knows (and no tmux): the launch is refused, saying why; nothing runs.
    void tmuxCannotBeInstalled()
    {
        QFile::remove(farm() + QStringLiteral("/tmux"));
        QVERIFY(QFile::rename(fakes() + QStringLiteral("/apt-get"), fakes() + QStringLiteral("/apt-get.off")));
        const auto restore = qScopeGuard(
            [this] { QFile::rename(fakes() + QStringLiteral("/apt-get.off"), fakes() + QStringLiteral("/apt-get")); });
        const int project = setUpPod(QStringLiteral("bare"));
        const int id = jobs::createJob(*m_http, project, QStringLiteral("echo never"));
        const auto r = jobs::start(*m_http, id);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("tmux_install_failed"));
        QVERIFY2(r.body.contains("no known package manager"), r.body.constData());
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("pending"));
    }

    // on_end needs a RunPod pod: refused, saying so, on any other connection's project.
    void onEndRefusedOffRunPod()
    {
        const int project = setUpPod(QStringLiteral("desk"), QStringLiteral("generic"));
        QVERIFY(project > 0);
        const auto refused =
            m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), project},
                                                           {QStringLiteral("name"), QStringLiteral("j")},
                                                           {QStringLiteral("on_end"), QStringLiteral("stop_pod")}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("on_end"));
        QVERIFY2(refused.body.contains("not 'runpod'"), refused.body.constData());
        const int id = jobs::createJob(*m_http, project, QStringLiteral("true"));
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("on_end"), QStringLiteral("terminate_pod")}})
                     .status,
                 400);
        QCOMPARE(
            m_http->put(QStringLiteral("/api/dgx/jobs/%1").arg(id), {{QStringLiteral("on_end"), QStringLiteral("x")}})
                .status,
            400);
        const QJsonObject job = jobs::job(*m_http, id);
        QCOMPARE(job.value(QStringLiteral("on_end")).toString(), QStringLiteral("none"));
        QCOMPARE(job.value(QStringLiteral("sync_before_start")).toBool(true), false);
        QVERIFY(job.value(QStringLiteral("on_end_result")).isNull());
    }

    // The job ends; after the grace its pod is stopped (or terminated), recorded on the job, in the audit log and as
    // an alert (the tray's notification).
    void onEndActsAfterGrace_data()
    {
        QTest::addColumn<QString>("onEnd");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("alertKind");
        QTest::newRow("stop after success") << "stop_pod"
                                            << "echo trained"
                                            << "stop"
                                            << "pod_stopped";
        QTest::newRow("terminate after failure") << "terminate_pod"
                                                 << "exit 4"
                                                 << "terminate"
                                                 << "pod_terminated";
    }

    void onEndActsAfterGrace()
    {
        QFETCH(QString, onEnd);
        QFETCH(QString, command);
        QFETCH(QString, action);
        QFETCH(QString, alertKind);
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 2}}));
        const int project = setUpPod(QStringLiteral("gpu1"));
        const int id = jobs::createJob(*m_http, project, command, {{QStringLiteral("on_end"), onEnd}});
        QVERIFY(id > 0);
        QCOMPARE(jobs::job(*m_http, id).value(QStringLiteral("on_end")).toString(), onEnd);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(Job::isFinal(jobs::status(*m_http, id)), 15000);
        // Within the grace: scheduled, not done.
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("scheduled"), 5000);
        QVERIFY(m_pods->calls().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_pods->calls(), QStringList{QStringLiteral("pod-gpu1 ") + action}, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("done"), 5000);
        const QJsonObject result = jobs::job(*m_http, id).value(QStringLiteral("on_end_result")).toObject();
        QCOMPARE(result.value(QStringLiteral("action")).toString(), onEnd);
        QCOMPARE(result.value(QStringLiteral("pod_id")).toString(), QStringLiteral("pod-gpu1"));
        QCOMPARE(result.value(QStringLiteral("tries")).toInt(), 1);
        QVERIFY(!result.value(QStringLiteral("finished_at")).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(alerts(alertKind).size(), 1, 5000);
        QVERIFY(alerts(alertKind)
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("pod-gpu1")));
        const QJsonArray audit = m_http->get(QStringLiteral("/api/dgx/audit?origin=auto")).array();
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit.at(0).toObject().value(QStringLiteral("route")).toString(),
                 QStringLiteral("/api/runpod/pods/:id/action"));
        QCOMPARE(audit.at(0).toObject().value(QStringLiteral("target")).toString(), QStringLiteral("pod-gpu1"));
        QCOMPARE(audit.at(0).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
    }

    // A tracked job (no command: an external tool reports it) set to a final state through the API ends too.
    void trackedJobEndCounts()
    {
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 0}}));
        const int project = setUpPod(QStringLiteral("tracked"));
        const auto created =
            m_http->post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), project},
                                                           {QStringLiteral("name"), QStringLiteral("external")},
                                                           {QStringLiteral("status"), QStringLiteral("running")},
                                                           {QStringLiteral("on_end"), QStringLiteral("stop_pod")}});
        QCOMPARE(created.status, 201);
        const int id = created.object().value(QStringLiteral("id")).toInt();
        QTest::qWait(500);
        QVERIFY(m_pods->calls().isEmpty()); // running: nothing
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("status"), QStringLiteral("failed")}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_pods->calls(), QStringList{QStringLiteral("pod-tracked stop")}, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("done"), 5000);
    }

    // on_end none (the default) leaves the pod alone.
    void onEndNoneLeavesThePod()
    {
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 0}}));
        const int project = setUpPod(QStringLiteral("keep"));
        const int id = jobs::createJob(*m_http, project, QStringLiteral("true"));
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 15000);
        QTest::qWait(1000); // a zero grace would have acted by now
        QVERIFY(m_pods->calls().isEmpty());
        QVERIFY(jobs::job(*m_http, id).value(QStringLiteral("on_end_result")).isNull());
    }

    // Started again within the grace: the action is called off. Cancelled: the pod is stopped too.
    void runAgainCallsItOff()
    {
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 3}}));
        const int project = setUpPod(QStringLiteral("again"));
        const int id = jobs::createJob(*m_http, project, QStringLiteral("true"),
                                       {{QStringLiteral("on_end"), QStringLiteral("stop_pod")}});
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("scheduled"), 15000);
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/jobs/%1").arg(id),
                           {{QStringLiteral("command"), QStringLiteral("sleep 30")}})
                     .status,
                 200);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTest::qWait(4000); // past the first end's grace
        QVERIFY(m_pods->calls().isEmpty());
        QCOMPARE(jobs::status(*m_http, id), QStringLiteral("running"));
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/jobs/%1/cancel").arg(id), {{QStringLiteral("grace_s"), 0}}).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(m_pods->calls(), QStringList{QStringLiteral("pod-again stop")}, 10000);
    }

    // RunPod refuses: a critical alert at once, retried with backoff; the alert ends when the pod is stopped.
    void failedActionAlertsAndRetries()
    {
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 0}}));
        m_pods->failNext(2);
        const int project = setUpPod(QStringLiteral("flaky"));
        const int id = jobs::createJob(*m_http, project, QStringLiteral("true"),
                                       {{QStringLiteral("on_end"), QStringLiteral("stop_pod")}});
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_pods->calls().size(), 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("done"), 5000);
        QCOMPARE(jobs::job(*m_http, id)
                     .value(QStringLiteral("on_end_result"))
                     .toObject()
                     .value(QStringLiteral("tries"))
                     .toInt(),
                 3);
        const QJsonArray failed = alerts(QStringLiteral("pod_action_failed"));
        QVERIFY(failed.size() >= 1);
        for (const QJsonValue &a : failed) {
            QCOMPARE(a.toObject().value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
            QCOMPARE(a.toObject().value(QStringLiteral("active")).toBool(), false);
        }
        QVERIFY(failed.at(0).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("500")));
        const QJsonArray audit = m_http->get(QStringLiteral("/api/dgx/audit?origin=auto")).array();
        QCOMPARE(audit.size(), 3);
        QCOMPARE(audit.at(2).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("runpod_error"));
        QCOMPARE(audit.at(0).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
    }

    // End to end through RunPod's API (the fake v2 server): a pod RUNNING with ssh.direct to the test sshd becomes a
    // runpod connection; a job on it with on_end stop_pod ends, and the fake pod is stopped (EXITED); terminate
    // removes it; none leaves it RUNNING.
    void onEndThroughRunPod_data()
    {
        QTest::addColumn<QString>("onEnd");
        QTest::addColumn<QString>("expected"); // the fake pod's status afterwards ("": gone)
        QTest::newRow("stop_pod") << "stop_pod"
                                  << "EXITED";
        QTest::newRow("terminate_pod") << "terminate_pod"
                                       << "";
        QTest::newRow("none") << "none"
                              << "RUNNING";
    }

    void onEndThroughRunPod()
    {
        QFETCH(QString, onEnd);
        QFETCH(QString, expected);
        test::FakeRunPod fake;
        QString error;
        QVERIFY2(fake.start(&error), qPrintable(error));
        fake.setSshServer(&m_sshd, this);
        qputenv("RUNPOD_API_BASE", fake.baseUrl().toUtf8());
        qputenv("RUNPOD_API_KEY", fake.apiKey().toUtf8());
        const auto unset = qScopeGuard([] {
            qunsetenv("RUNPOD_API_BASE");
            qunsetenv("RUNPOD_API_KEY");
        });
        // A Core of its own, talking to the fake, with the real RunPod door behind the cost guard.
        cleanup();
        m_tc = std::make_unique<test::TestCore>(true, std::make_unique<MemorySecretStore>());
        m_tc->core().runpod().setPollIntervalMs(100);
        m_tc->core().jobRunner().setPollIntervalMs(200);
        m_tc->core().startJobSupervision();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        QVERIFY(putCostGuard({{QStringLiteral("on_end_grace_seconds"), 1}}));

        QVERIFY(m_tc->core().runpod().registerSshKey().result().ok());
        const QString podId = fake.addPod(QStringLiteral("trainer"), QStringLiteral("RUNNING"));
        const QJsonObject pod = m_http->get(QStringLiteral("/api/runpod/pods/") + podId).object();
        const qint64 connectionId = pod.value(QStringLiteral("connection_id")).toInteger();
        QVERIFY2(connectionId > 0, QJsonDocument(pod).toJson().constData());
        QTRY_COMPARE_WITH_TIMEOUT(m_tc->core().ssh().status(connectionId).state, LinkState::Connected, 20000);
        const auto p =
            m_http->post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), connectionId},
                                                               {QStringLiteral("name"), QStringLiteral("on-pod")},
                                                               {QStringLiteral("remote_path"), QStringLiteral("~")}});
        QVERIFY2(p.status == 201, p.body.constData());
        const int id = jobs::createJob(*m_http, p.object().value(QStringLiteral("id")).toInt(),
                                       QStringLiteral("echo trained"), {{QStringLiteral("on_end"), onEnd}});
        QVERIFY(id > 0);
        QCOMPARE(jobs::start(*m_http, id).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(*m_http, id), QStringLiteral("completed"), 20000);
        if (onEnd == QStringLiteral("none")) {
            QTest::qWait(2500); // past the grace
            QCOMPARE(fake.pod(podId).status, QStringLiteral("RUNNING"));
            QVERIFY(jobs::job(*m_http, id).value(QStringLiteral("on_end_result")).isNull());
            return;
        }
        QTRY_COMPARE_WITH_TIMEOUT(onEndState(id), QStringLiteral("done"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(fake.pod(podId).status, expected, 5000);
        QCOMPARE(jobs::job(*m_http, id)
                     .value(QStringLiteral("on_end_result"))
                     .toObject()
                     .value(QStringLiteral("pod_id"))
                     .toString(),
                 podId);
        QVERIFY(fake.requests().contains(QStringLiteral("POST /v2/pods/%1/action").arg(podId)));
        QVERIFY2(fake.violations().isEmpty(), qPrintable(fake.violations().join(QLatin1Char('\n'))));
    }

    // A pod whose GPUs do nothing (a recorded idle H100: 0 %, no process) for the configured time: an alert with its
    // cost so far; off again, the alert ends. Off by default: nothing without the setting.
    void idlePodAlert()
    {
        const auto put = m_http->put(QStringLiteral("/api/config/monitoring"),
                                     {{QStringLiteral("interval_ms"), 1000}, {QStringLiteral("host_poll_ms"), 1000}});
        QCOMPARE(put.status, 200);
        m_tc->core().startMonitoring();
        QVERIFY(setUpPod(QStringLiteral("sleepy")) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_http->get(QStringLiteral("/api/dgx/metrics/sleepy")).object().value(QStringLiteral("state")).toString() ==
                QStringLiteral("ok"),
            15000);
        QTest::qWait(2500);
        QVERIFY(alerts(QStringLiteral("pod_idle")).isEmpty()); // off by default
        QVERIFY(putCostGuard({{QStringLiteral("pod_idle_seconds"), 2}}));
        QTRY_COMPARE_WITH_TIMEOUT(alerts(QStringLiteral("pod_idle")).size(), 1, 15000);
        const QJsonObject a = alerts(QStringLiteral("pod_idle")).at(0).toObject();
        QCOMPARE(a.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(a.value(QStringLiteral("connection_name")).toString(), QStringLiteral("sleepy"));
        QCOMPARE(a.value(QStringLiteral("value")).toDouble(), 0.42);
        const QString message = a.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("$0.42 so far ($2.49/h)")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("no GPU process")), qPrintable(message));
        QVERIFY(putCostGuard({{QStringLiteral("pod_idle_seconds"), 0}}));
        QTRY_COMPARE_WITH_TIMEOUT(
            alerts(QStringLiteral("pod_idle")).at(0).toObject().value(QStringLiteral("active")).toBool(), false, 5000);
    }
};

QTEST_GUILESS_MAIN(TestCostGuard)
#include "tst_costguard.moc"
