// RunPod pods (issue 12) end to end: a real Core and its API against FakeRunPod (RunPod's REST API v2 on loopback,
// built from its OpenAPI description, which checks every request body GPU Deck sends and every answer it gives),
// whose RUNNING pods point their ssh.direct at a real loopback sshd. The API key (environment, keychain, a wrong one),
// GPU types and the price before confirming, a pod created with GPU Deck's registered key that walks PROVISIONING →
// STARTING → RUNNING and becomes one runpod connection that connects (host key trusted on first use), runs a command
// and a job; a restart that moves the port and changes the host key (the same connection follows, trusted again);
// 409 naming the allowed actions, 429 with Retry-After, problem+json kept as it is, and terminate. Nothing sleeps.
#include "FakeRunPod.h"
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "runpod/RunPodService.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace gpudeck;

class TestRunPod : public QObject
{
    Q_OBJECT

    test::FakeRunPod m_fake;
    test::SshServer m_sshd;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<test::HttpClient> m_http;
    QString m_podId;
    qint64 m_connectionId = 0;

    Core &core() { return m_tc->core(); }
    test::HttpReply get(const QString &path) { return m_http->get(path); }
    test::HttpReply post(const QString &path, const QJsonObject &body) { return m_http->post(path, body); }

    // A fresh Core whose RunPod client talks to the fake, with `key` in its environment (empty: none).
    std::unique_ptr<test::TestCore> coreWithKey(const QString &key)
    {
        qputenv("RUNPOD_API_BASE", m_fake.baseUrl().toUtf8());
        if (key.isEmpty()) {
            qunsetenv("RUNPOD_API_KEY");
        } else {
            qputenv("RUNPOD_API_KEY", key.toUtf8());
        }
        auto tc = std::make_unique<test::TestCore>(true, std::make_unique<MemorySecretStore>());
        tc->core().runpod().setPollIntervalMs(100);
        return tc;
    }

    QJsonObject podNow(const QString &id) { return get(QStringLiteral("/api/runpod/pods/") + id).object(); }

    // Reads the pod until `status` (every read moves a fake pod one step).
    bool waitForStatus(const QString &id, const QString &status)
    {
        for (int i = 0; i < 200; ++i) {
            if (podNow(id).value(QStringLiteral("status")).toString() == status) {
                return true;
            }
            QTest::qWait(20); // lets the test thread's loop run the fake's sshd moves
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fake.start(&error), qPrintable(error));
        if (!m_sshd.start(&error)) {
            QSKIP(qPrintable(QStringLiteral("no test sshd: ") + error));
        }
        m_fake.setSshServer(&m_sshd, this);
        m_fake.setAccountKeys(
            {QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheUserKeptAsIs user@laptop")});
        m_tc = coreWithKey(QString()); // the key comes through the API below
        m_http = std::make_unique<test::HttpClient>(m_tc->port(), m_tc->token());
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_fake.violations().isEmpty(), qPrintable(m_fake.violations().join(QLatin1Char('\n'))));
        QVERIFY2(m_fake.answerViolations().isEmpty(), qPrintable(m_fake.answerViolations().join(QLatin1Char('\n'))));
        m_http.reset();
        m_tc.reset();
        m_fake.stop();
        qunsetenv("RUNPOD_API_KEY");
        qunsetenv("RUNPOD_API_BASE");
    }

    // RunPod's own example pod (from its OpenAPI description) read into a RunPodPod: the fields GPU Deck shows.
    void theSpecsExamplePodIsRead()
    {
        QFile spec(test::FakeRunPod::specPath());
        QVERIFY(spec.open(QIODevice::ReadOnly));
        const QJsonObject example = QJsonDocument::fromJson(spec.readAll())
                                        .object()
                                        .value(QStringLiteral("paths"))
                                        .toObject()
                                        .value(QStringLiteral("/v2/pods/{id}"))
                                        .toObject()
                                        .value(QStringLiteral("get"))
                                        .toObject()
                                        .value(QStringLiteral("responses"))
                                        .toObject()
                                        .value(QStringLiteral("200"))
                                        .toObject()
                                        .value(QStringLiteral("content"))
                                        .toObject()
                                        .value(QStringLiteral("application/json"))
                                        .toObject()
                                        .value(QStringLiteral("examples"))
                                        .toObject()
                                        .value(QStringLiteral("pod"))
                                        .toObject()
                                        .value(QStringLiteral("value"))
                                        .toObject();
        const auto pod = RunPodPod::fromRunPod(example);
        QVERIFY(pod.ok());
        QCOMPARE(pod->id, QStringLiteral("7h9k2m4n6p"));
        QCOMPARE(pod->status, QStringLiteral("RUNNING"));
        QCOMPARE(pod->actions,
                 (QStringList{QStringLiteral("stop"), QStringLiteral("restart"), QStringLiteral("terminate")}));
        QCOMPARE(pod->gpuTypeId, QStringLiteral("NVIDIA GeForce RTX 4090"));
        QCOMPARE(pod->gpuCount, 1);
        QCOMPARE(pod->volumeGb, 20);
        QCOMPARE(pod->volumePath, QStringLiteral("/workspace"));
        QCOMPARE(pod->costPerHr, 0.44);
        QCOMPARE(pod->sshDirect.port, 34446);
        QCOMPARE(pod->sshDirect.username, QStringLiteral("root"));
        QCOMPARE(pod->uptimeS, qint64(3600));
        QCOMPARE(pod->envKeys, QStringList{QStringLiteral("MODEL_NAME")});
        // An hour in, at $0.44/h: $0.44 so far; a stopped pod costs nothing more.
        QCOMPARE(pod->runSeconds(pod->fetchedAt), qint64(3600));
        QCOMPARE(pod->costSoFar(pod->fetchedAt), 0.44);
        RunPodPod stopped = pod.value();
        stopped.status = QStringLiteral("EXITED");
        QCOMPARE(stopped.costSoFar(), 0.0);
        QVERIFY(!pod->toJson().contains(QStringLiteral("env")));
    }

    void withoutAKeyNothingIsAsked()
    {
        const auto r = get(QStringLiteral("/api/runpod/pods"));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("runpod_key_missing"));
        const auto state = get(QStringLiteral("/api/runpod/credentials"));
        QCOMPARE(state.status, 200);
        QCOMPARE(state.object().value(QStringLiteral("configured")).toBool(), false);
        QCOMPARE(state.object().value(QStringLiteral("source")).toString(), QStringLiteral("none"));
        QVERIFY(m_fake.requests().isEmpty());
    }

    void aWrongKeyIsNotStored()
    {
        const auto r = m_http->put(QStringLiteral("/api/runpod/credentials"),
                                   {{QStringLiteral("api_key"), QStringLiteral("rpa_wrong_key")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("runpod_key_invalid"));
        QVERIFY(!r.body.contains("rpa_wrong_key"));
        QCOMPARE(m_fake.unauthorized(), 1);
        QCOMPARE(get(QStringLiteral("/api/runpod/credentials")).object().value(QStringLiteral("configured")).toBool(),
                 false);
    }

    void theKeyGoesToTheKeychainOnly()
    {
        const auto r =
            m_http->put(QStringLiteral("/api/runpod/credentials"), {{QStringLiteral("api_key"), m_fake.apiKey()}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("source")).toString(), QStringLiteral("keychain"));
        QVERIFY(!r.body.contains(m_fake.apiKey().toUtf8()));
        const auto readBack = core().secrets().readBlocking(
            QStringLiteral("instance/%1/runpod/api_key").arg(core().database().instanceId()), 5000);
        QCOMPARE(readBack.value(), m_fake.apiKey());
        QFile db(core().database().path());
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY2(!db.readAll().contains(m_fake.apiKey().toUtf8()), "the API key is in the database file");
        const auto audit = get(QStringLiteral("/api/dgx/audit?limit=5"));
        QVERIFY(!audit.body.contains(m_fake.apiKey().toUtf8()));
    }

    void gpuTypesWithPrices()
    {
        const auto r = get(QStringLiteral("/api/runpod/gpu-types"));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.array().size(), 2);
        const QJsonObject first = r.array().at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("NVIDIA GeForce RTX 4090"));
        QCOMPARE(first.value(QStringLiteral("price_secure_per_hr")).toDouble(), 0.44);
        QCOMPARE(first.value(QStringLiteral("max_count_community")).toInt(), 4);
    }

    void thePriceIsShownBeforeConfirming()
    {
        const QJsonObject body{
            {QStringLiteral("name"), QStringLiteral("trainer")},
            {QStringLiteral("gpu_type"), QStringLiteral("NVIDIA GeForce RTX 4090")},
            {QStringLiteral("gpu_count"), 2},
            {QStringLiteral("env"), QJsonObject{{QStringLiteral("HF_TOKEN"), QStringLiteral("hf_secret")}}}};
        const auto r = post(QStringLiteral("/api/runpod/pods"), body);
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject plan = r.object();
        QCOMPARE(plan.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(plan.value(QStringLiteral("action")).toString(), QStringLiteral("runpod.create"));
        QCOMPARE(plan.value(QStringLiteral("target")).toObject().value(QStringLiteral("cost_per_hr")).toDouble(), 0.88);
        QVERIFY(plan.value(QStringLiteral("would_refuse")).isNull());
        QVERIFY(QJsonDocument(plan).toJson().contains("$0.880 per hour"));
        QVERIFY(m_fake.podIds().isEmpty());

        // Not offered on that cloud: the dry run says so.
        QJsonObject community = body;
        community.insert(QStringLiteral("gpu_type"), QStringLiteral("NVIDIA H100 80GB HBM3"));
        community.insert(QStringLiteral("cloud"), QStringLiteral("COMMUNITY"));
        const auto refused = post(QStringLiteral("/api/runpod/pods"), community);
        QCOMPARE(refused.status, 200);
        QCOMPARE(
            refused.object().value(QStringLiteral("would_refuse")).toObject().value(QStringLiteral("field")).toString(),
            QStringLiteral("cloud"));
    }

    void aPodBecomesAConnection()
    {
        const auto created =
            post(QStringLiteral("/api/runpod/pods"),
                 {{QStringLiteral("name"), QStringLiteral("trainer")},
                  {QStringLiteral("gpu_type"), QStringLiteral("NVIDIA GeForce RTX 4090")},
                  {QStringLiteral("gpu_count"), 2},
                  {QStringLiteral("ports"), QJsonArray{QStringLiteral("8888/http")}},
                  {QStringLiteral("env"), QJsonObject{{QStringLiteral("HF_TOKEN"), QStringLiteral("hf_secret")}}},
                  {QStringLiteral("confirm"), true}});
        QVERIFY2(created.status == 201, created.body.constData());
        QVERIFY2(m_fake.violations().isEmpty(), qPrintable(m_fake.violations().join(QLatin1Char('\n'))));
        const QJsonObject pod = created.object();
        m_podId = pod.value(QStringLiteral("id")).toString();
        QCOMPARE(pod.value(QStringLiteral("status")).toString(), QStringLiteral("PROVISIONING"));
        QCOMPARE(pod.value(QStringLiteral("env_keys")).toArray(), QJsonArray{QStringLiteral("HF_TOKEN")});
        QVERIFY2(!created.body.contains("hf_secret"), "an env value is answered back");
        QCOMPARE(QString::fromUtf8(created.header("Location")), QStringLiteral("/api/runpod/pods/") + m_podId);

        // What RunPod was asked for: 22/tcp and startSsh always, the default image, the volume.
        const QJsonObject sent = m_fake.pod(m_podId).createBody;
        QCOMPARE(sent.value(QStringLiteral("gpu")).toObject().value(QStringLiteral("count")).toInt(), 2);
        QVERIFY(sent.value(QStringLiteral("ports")).toArray().contains(QStringLiteral("22/tcp")));
        QVERIFY(sent.value(QStringLiteral("ports")).toArray().contains(QStringLiteral("8888/http")));
        QCOMPARE(sent.value(QStringLiteral("startSsh")).toBool(), true);
        QCOMPARE(sent.value(QStringLiteral("image")).toString(), QString::fromLatin1(RunPodCreate::kDefaultImage));

        // GPU Deck's key was added to the account's keys, the user's own key kept.
        const QStringList keys = m_fake.accountKeys();
        QCOMPARE(keys.size(), 2);
        QVERIFY(keys.at(0).contains(QStringLiteral("user@laptop")));
        QVERIFY(keys.at(1).startsWith(QStringLiteral("ssh-ed25519 ")));
        QVERIFY(keys.at(1).endsWith(QStringLiteral("gpudeck-") + core().database().instanceId()));
        QCOMPARE(core().runpod().publicKeyLine(), keys.at(1));
        QCOMPARE(QFile::permissions(core().runpod().privateKeyPath()),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);

        // PROVISIONING → STARTING → RUNNING, one step per read; then it is a connection, connected.
        QVERIFY(waitForStatus(m_podId, QStringLiteral("RUNNING")));
        const QJsonObject running = podNow(m_podId);
        QCOMPARE(running.value(QStringLiteral("cost_per_hr")).toDouble(), 0.88);
        QCOMPARE(running.value(QStringLiteral("ssh_direct")).toObject().value(QStringLiteral("port")).toInt(),
                 int(m_sshd.port()));
        m_connectionId = running.value(QStringLiteral("connection_id")).toInteger();
        QVERIFY(m_connectionId > 0);
        const QJsonObject c = get(QStringLiteral("/api/dgx/connections/%1").arg(m_connectionId)).object();
        QCOMPARE(c.value(QStringLiteral("name")).toString(), QStringLiteral("trainer"));
        QCOMPARE(c.value(QStringLiteral("kind")).toString(), QStringLiteral("runpod"));
        QCOMPARE(c.value(QStringLiteral("runpod_pod_id")).toString(), m_podId);
        QCOMPARE(c.value(QStringLiteral("port")).toInt(), int(m_sshd.port()));
        QCOMPARE(c.value(QStringLiteral("username")).toString(), m_sshd.user());
        QCOMPARE(c.value(QStringLiteral("ssh_key_path")).toString(), core().runpod().privateKeyPath());
        // Trusted on first use: connected with no accept_fingerprint.
        QTRY_COMPARE_WITH_TIMEOUT(core().ssh().status(m_connectionId).state, LinkState::Connected, 20000);
        QCOMPARE(core().ssh().status(m_connectionId).hostFingerprint, m_sshd.hostKeyFingerprint());
        QVERIFY(core().runpod().podOfConnection(m_connectionId).has_value());
    }

    void theConnectionRunsCommandsAndJobs()
    {
        QVERIFY(m_connectionId > 0);
        const auto exec = post(QStringLiteral("/api/dgx/exec/%1").arg(m_connectionId),
                               {{QStringLiteral("command"), QStringLiteral("echo pod-$((6*7))")}});
        QVERIFY2(exec.status == 200, exec.body.constData());
        QCOMPARE(exec.object().value(QStringLiteral("stdout")).toString().trimmed(), QStringLiteral("pod-42"));

        core().startJobSupervision();
        const auto p =
            post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), m_connectionId},
                                                       {QStringLiteral("name"), QStringLiteral("on-pod")},
                                                       {QStringLiteral("remote_path"), QStringLiteral("~")}});
        QVERIFY2(p.status == 201, p.body.constData());
        const int job = test::jobs::createJob(*m_http, p.object().value(QStringLiteral("id")).toInt(),
                                              QStringLiteral("echo trained on the pod"));
        QVERIFY(job > 0);
        const auto started = test::jobs::start(*m_http, job);
        QVERIFY2(started.status == 200 || started.status == 202, started.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(test::jobs::status(*m_http, job), QStringLiteral("completed"), 30000);
        QVERIFY(test::jobs::logLines(*m_http, job).contains(QStringLiteral("trained on the pod")));
    }

    void anActionTheStatusDoesNotAllowNamesTheAllowedOnes()
    {
        const auto dry = post(QStringLiteral("/api/runpod/pods/%1/action").arg(m_podId),
                              {{QStringLiteral("action"), QStringLiteral("start")}});
        QCOMPARE(dry.status, 200);
        const QJsonObject refusal = dry.object().value(QStringLiteral("would_refuse")).toObject();
        QCOMPARE(refusal.value(QStringLiteral("code")).toString(), QStringLiteral("runpod_action_not_allowed"));
        QCOMPARE(refusal.value(QStringLiteral("status")).toInt(), 409);

        const auto r = post(QStringLiteral("/api/runpod/pods/%1/action").arg(m_podId),
                            {{QStringLiteral("action"), QStringLiteral("start")}, {QStringLiteral("confirm"), true}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("runpod_action_not_allowed"));
        const QJsonObject error = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("allowed_actions")).toArray(),
                 (QJsonArray{QStringLiteral("stop"), QStringLiteral("restart"), QStringLiteral("terminate")}));
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("stop, restart, terminate")));
        // RunPod's own words (problem+json detail) are kept.
        QVERIFY(error.value(QStringLiteral("runpod_detail")).toString().contains(QStringLiteral("allowed actions")));
        QCOMPARE(error.value(QStringLiteral("runpod_status")).toInt(), 409);
    }

    void aRestartMovesThePortAndTheKeyAndTheConnectionFollows()
    {
        const quint16 oldPort = m_sshd.port();
        const QString oldKey = m_sshd.hostKeyFingerprint();
        const auto r = post(QStringLiteral("/api/runpod/pods/%1/action").arg(m_podId),
                            {{QStringLiteral("action"), QStringLiteral("restart")}, {QStringLiteral("confirm"), true}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("STARTING"));
        QVERIFY(waitForStatus(m_podId, QStringLiteral("RUNNING")));
        QVERIFY(m_sshd.port() != oldPort);
        QVERIFY(m_sshd.hostKeyFingerprint() != oldKey);
        const QJsonObject c = get(QStringLiteral("/api/dgx/connections/%1").arg(m_connectionId)).object();
        QCOMPARE(c.value(QStringLiteral("port")).toInt(), int(m_sshd.port()));
        // Never duplicated: still one runpod connection.
        int runpod = 0;
        for (const QJsonValue &v : get(QStringLiteral("/api/dgx/connections")).array()) {
            runpod += v.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("runpod") ? 1 : 0;
        }
        QCOMPARE(runpod, 1);
        // The new key of the new run is trusted (the old one forgotten), and the link is back.
        QTRY_COMPARE_WITH_TIMEOUT(core().ssh().status(m_connectionId).state, LinkState::Connected, 20000);
        QCOMPARE(core().ssh().status(m_connectionId).hostFingerprint, m_sshd.hostKeyFingerprint());
        const auto exec = post(QStringLiteral("/api/dgx/exec/%1").arg(m_connectionId),
                               {{QStringLiteral("command"), QStringLiteral("echo back")}});
        QVERIFY2(exec.status == 200, exec.body.constData());
    }

    void aRateLimitIsWaitedOut()
    {
        m_fake.answer429Next(1, 1);
        const int before = m_fake.rateLimited();
        const auto r = get(QStringLiteral("/api/runpod/pods"));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(m_fake.rateLimited(), before + 1);
        const QJsonObject rate =
            get(QStringLiteral("/api/runpod/credentials")).object().value(QStringLiteral("rate_limit")).toObject();
        QVERIFY(rate.value(QStringLiteral("retried")).toInt() >= 1);
        QCOMPARE(rate.value(QStringLiteral("window")).toString(), QStringLiteral("minute"));

        // More than it will wait for: the error says so.
        m_fake.answer429Next(1, 3600);
        const auto limited = get(QStringLiteral("/api/runpod/gpu-types")); // cached: no request
        QCOMPARE(limited.status, 200);
        const auto pods = get(QStringLiteral("/api/runpod/pods/") + m_podId);
        QCOMPARE(pods.status, 503);
        QCOMPARE(pods.errorCode(), QStringLiteral("runpod_rate_limited"));
        QCOMPARE(pods.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("retry_after_s")).toInt(),
                 3600);
    }

    void terminateDeletesThePodTheConnectionStays()
    {
        // The hold from the 3600 s Retry-After above would stall this test: a fresh core starts with none.
        m_http.reset();
        m_tc = coreWithKey(m_fake.apiKey());
        m_http = std::make_unique<test::HttpClient>(m_tc->port(), m_tc->token());
        const auto list = get(QStringLiteral("/api/runpod/pods"));
        QVERIFY2(list.status == 200, list.body.constData());
        QCOMPARE(get(QStringLiteral("/api/runpod/credentials")).object().value(QStringLiteral("source")).toString(),
                 QStringLiteral("environment"));

        const auto dry = post(QStringLiteral("/api/runpod/pods/%1/action").arg(m_podId),
                              {{QStringLiteral("action"), QStringLiteral("terminate")}});
        QCOMPARE(dry.status, 200);
        QVERIFY(dry.body.contains("DELETED"));
        QVERIFY(!m_fake.pod(m_podId).id.isEmpty());

        const auto r =
            post(QStringLiteral("/api/runpod/pods/%1/action").arg(m_podId),
                 {{QStringLiteral("action"), QStringLiteral("terminate")}, {QStringLiteral("confirm"), true}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("TERMINATED"));
        QVERIFY(m_fake.pod(m_podId).id.isEmpty());
        const auto gone = get(QStringLiteral("/api/runpod/pods/") + m_podId);
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.errorCode(), QStringLiteral("runpod_not_found"));
        QVERIFY(gone.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("does not exist")));
    }

    void problemDetailsAreShownAsTheyAre()
    {
        // A body RunPod refuses: its 422 errors come through unchanged.
        const auto r = post(QStringLiteral("/api/runpod/pods"),
                            {{QStringLiteral("name"), QStringLiteral("bad")},
                             {QStringLiteral("gpu_type"), QStringLiteral("NVIDIA Imaginary 9000")},
                             {QStringLiteral("confirm"), true}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("runpod_rejected"));
        const QJsonObject error = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("runpod_status")).toInt(), 400);
        QVERIFY(
            error.value(QStringLiteral("runpod_detail")).toString().contains(QStringLiteral("could not be placed")));
    }

    void aWrongKeyFromTheEnvironmentIsReported()
    {
        m_http.reset();
        m_tc = coreWithKey(QStringLiteral("rpa_not_the_key"));
        m_http = std::make_unique<test::HttpClient>(m_tc->port(), m_tc->token());
        const auto r = get(QStringLiteral("/api/runpod/pods"));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("runpod_unauthorized"));
        QVERIFY(!r.body.contains("rpa_not_the_key"));
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("runpod_detail")).toString(),
                 QStringLiteral("invalid bearer token"));
    }
};

QTEST_GUILESS_MAIN(TestRunPod)
#include "tst_runpod.moc"
