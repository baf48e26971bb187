// The Proxmox SSH fallback end to end: a proxmox connection without an API token, over a real OpenSSH sshd on
// loopback whose sessions have the fake pvesh/pvecm (documentation-shaped Proxmox VE 8 output) and a fake sudo on
// their PATH (the test user is not root, so GPU Deck runs the tools with `sudo -n`). The source GPU Deck uses for
// such a connection (makeProxmoxShellSource, over the connection's SshPool link) reads the cluster's status, nodes,
// guests, storage and votes, starts an action and reads its task, and answers clear errors: a host with no pvesh, a
// sudo that wants a password, output that is not JSON, a link that is down, an answer that is dropped with its source.
// The same over the API: GET /api/proxmox/:connection/status and /resources, an action and its task, quorum lost.
#include "FakeProxmoxShell.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "proxmox/ProxmoxService.h"
#include "proxmox/ProxmoxSource.h"
#include "proxmox/ProxmoxTypes.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"

#include <QJsonArray>
#include <QTest>
#include <QUrl>
#include <optional>

using namespace gpudeck;
using test::FakeProxmoxShell;
using test::HttpClient;
using test::HttpReply;

class TestProxmoxSsh : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    FakeProxmoxShell m_fake;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    QJsonObject connectionBody(const QString &name) const
    {
        return {{QStringLiteral("name"), name},
                {QStringLiteral("hostname"), m_sshd.host()},
                {QStringLiteral("port"), m_sshd.port()},
                {QStringLiteral("username"), m_sshd.user()},
                {QStringLiteral("kind"), QStringLiteral("proxmox")},
                {QStringLiteral("auth_method"), QStringLiteral("key")},
                {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}};
    }

    Connection connection(const QString &name) const { return m_tc->core().connections().find(name).value(); }

    std::unique_ptr<ProxmoxSource> source(const QString &name = QStringLiteral("pve"))
    {
        return makeProxmoxShellSource(connection(name), m_tc->core().ssh());
    }

    // One call, waited for; the answer arrives later, on this thread.
    static Result<QJsonValue> get(ProxmoxSource &source, const QString &path, const ProxmoxParams &query = {})
    {
        std::optional<Result<QJsonValue>> answer;
        bool inside = true;
        bool early = false;
        source.get(path, query, [&](Result<QJsonValue> r) {
            early = inside;
            answer = std::move(r);
        });
        inside = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000); }();
        [&] { QVERIFY2(!early, "answered from inside the call"); }();
        return answer.value_or(Result<QJsonValue>());
    }

    static Result<QJsonValue> post(ProxmoxSource &source, const QString &path, const ProxmoxParams &params = {})
    {
        std::optional<Result<QJsonValue>> answer;
        source.post(path, params, [&](Result<QJsonValue> r) { answer = std::move(r); });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000); }();
        return answer.value_or(Result<QJsonValue>());
    }

    static Result<ProxmoxVotes> votes(ProxmoxSource &source)
    {
        std::optional<Result<ProxmoxVotes>> answer;
        source.votes([&](Result<ProxmoxVotes> r) { answer = std::move(r); });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000); }();
        return answer.value_or(Result<ProxmoxVotes>());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        for (const QString &name : {QStringLiteral("pve"), QStringLiteral("pve-down")}) {
            const HttpReply created = m_http->post(QStringLiteral("/api/dgx/connections"), connectionBody(name));
            QVERIFY2(created.status == 201, created.body.constData());
        }
        const HttpReply connected =
            m_http->post(QStringLiteral("/api/dgx/connect/pve"),
                         QJsonObject{{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        QVERIFY2(connected.status == 200, connected.body.constData());
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        m_fake.setScenario({});
        m_fake.setFail({});
        m_fake.setTaskExit(QStringLiteral("OK"));
        m_fake.setTaskSeconds(0.5);
        m_fake.setSudoNeedsPassword(false);
        m_fake.setOnPath(true);
        m_fake.clearCalls();
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_tc.reset();
    }

    void readsTheCluster()
    {
        auto src = source();
        QCOMPARE(src->kind(), QStringLiteral("ssh"));

        const Result<QJsonValue> status = get(*src, QStringLiteral("/cluster/status"));
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().message));
        ProxmoxCluster cluster;
        QList<ProxmoxNode> nodes;
        QVERIFY(proxmoxparse::clusterStatus(status.value(), cluster, nodes).ok());
        QCOMPARE(cluster.name, QStringLiteral("homelab"));
        QVERIFY(cluster.quorate);
        QCOMPARE(cluster.nodesOnline, 3);

        const Result<QJsonValue> nodeList = get(*src, QStringLiteral("/nodes"));
        QVERIFY(nodeList.ok());
        QVERIFY(proxmoxparse::nodes(nodeList.value(), nodes).ok());
        QCOMPARE(nodes.size(), 4);
        QCOMPARE(nodes.at(3).status, QStringLiteral("offline"));

        const Result<QJsonValue> vms =
            get(*src, QStringLiteral("/cluster/resources"), {{QStringLiteral("type"), QStringLiteral("vm")}});
        QVERIFY(vms.ok());
        const auto guests = proxmoxparse::guests(vms.value());
        QVERIFY(guests.ok());
        QCOMPARE(guests->size(), 6);

        const Result<QJsonValue> storage =
            get(*src, QStringLiteral("/cluster/resources"), {{QStringLiteral("type"), QStringLiteral("storage")}});
        QVERIFY(storage.ok());
        QCOMPARE(proxmoxparse::storage(storage.value())->size(), 10);

        const Result<ProxmoxVotes> v = votes(*src);
        QVERIFY2(v.ok(), v.ok() ? "" : qPrintable(v.error().message));
        QCOMPARE(v->expectedVotes, 4);
        QCOMPARE(v->totalVotes, 3);
        QCOMPARE(v->quorum, 3);

        // Exactly these commands ran on the host, through sudo -n (the test user is not root).
        QCOMPARE(m_fake.calls(), (QStringList{
                                     QStringLiteral("pvesh get /cluster/status --output-format json"),
                                     QStringLiteral("pvesh get /nodes --output-format json"),
                                     QStringLiteral("pvesh get /cluster/resources --type vm --output-format json"),
                                     QStringLiteral("pvesh get /cluster/resources --type storage --output-format json"),
                                     QStringLiteral("pvecm status"),
                                 }));
    }

    void quorumLost()
    {
        m_fake.setScenario(QStringLiteral("no-quorum"));
        auto src = source();
        ProxmoxCluster cluster;
        QList<ProxmoxNode> nodes;
        QVERIFY(proxmoxparse::clusterStatus(get(*src, QStringLiteral("/cluster/status")).value(), cluster, nodes).ok());
        QVERIFY(!cluster.quorate);
        QCOMPARE(cluster.nodesOnline, 2);
        const Result<ProxmoxVotes> v = votes(*src);
        QVERIFY(v.ok());
        QCOMPARE(v->totalVotes, 2);
        QCOMPARE(v->quorum, 3);
    }

    void aNodeInNoCluster()
    {
        m_fake.setScenario(QStringLiteral("standalone"));
        auto src = source();
        ProxmoxCluster cluster;
        QList<ProxmoxNode> nodes;
        QVERIFY(proxmoxparse::clusterStatus(get(*src, QStringLiteral("/cluster/status")).value(), cluster, nodes).ok());
        QVERIFY(!cluster.clustered);
        QVERIFY(cluster.quorate);
        const Result<ProxmoxVotes> v = votes(*src);
        QVERIFY(!v.ok());
        QCOMPARE(v.error().reason, QStringLiteral("proxmox_not_clustered"));
    }

    void actionAndItsTask()
    {
        auto src = source();
        const Result<QJsonValue> started = post(*src, QStringLiteral("/nodes/node-1/qemu/100/status/shutdown"),
                                                {{QStringLiteral("timeout"), QStringLiteral("30")}});
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
        const ProxmoxTask task = ProxmoxTask::fromUpid(started->toString());
        QCOMPARE(task.node, QStringLiteral("node-1"));
        QCOMPARE(task.type, QStringLiteral("qmshutdown"));
        QCOMPARE(task.id, QStringLiteral("100"));

        const Result<QJsonValue> status = get(*src, QStringLiteral("/nodes/node-1/tasks/%1/status").arg(task.upid));
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().message));
        const Result<ProxmoxTask> followed = proxmoxparse::taskStatus(status.value());
        QVERIFY(followed.ok());
        QVERIFY(followed->succeeded());
        QCOMPARE(
            m_fake.calls().first(),
            QStringLiteral("pvesh create /nodes/node-1/qemu/100/status/shutdown --timeout 30 --output-format json"));

        // A task that failed: pvesh still prints its UPID, the task's status says why.
        m_fake.setTaskExit(QStringLiteral("start failed: QEMU exited with code 1"));
        const Result<QJsonValue> failed = post(*src, QStringLiteral("/nodes/node-2/qemu/101/status/start"));
        QVERIFY(failed.ok());
        const Result<ProxmoxTask> failedTask = proxmoxparse::taskStatus(
            get(*src, QStringLiteral("/nodes/node-2/tasks/%1/status").arg(failed->toString())).value());
        QVERIFY(failedTask.ok());
        QVERIFY(failedTask->finished());
        QVERIFY(!failedTask->succeeded());
        QCOMPARE(failedTask->exitStatus, QStringLiteral("start failed: QEMU exited with code 1"));

        // An unknown guest: pvesh's own words.
        const Result<QJsonValue> unknown = post(*src, QStringLiteral("/nodes/node-1/lxc/999/status/start"));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().reason, QStringLiteral("proxmox_error"));
        QVERIFY2(unknown.error().message.contains(QLatin1String("'nodes/node-1/lxc/999.conf' does not exist")),
                 qPrintable(unknown.error().message));
    }

    // A sleeping node woken by its cluster (POST /nodes/{node}/wakeonlan answers the MAC address it woke).
    void wakeANodeThroughTheCluster()
    {
        auto src = source();
        const Result<QJsonValue> woke = post(*src, QStringLiteral("/nodes/node-4/wakeonlan"));
        QVERIFY2(woke.ok(), woke.ok() ? "" : qPrintable(woke.error().message));
        QCOMPARE(woke->toString(), QStringLiteral("02:00:00:00:00:04"));
        const Result<QJsonValue> unknown = post(*src, QStringLiteral("/nodes/node-9/wakeonlan"));
        QCOMPARE(unknown.error().reason, QStringLiteral("proxmox_error"));
    }

    void clearErrors()
    {
        auto src = source();
        m_fake.setSudoNeedsPassword(true);
        Result<QJsonValue> r = get(*src, QStringLiteral("/nodes"));
        QCOMPARE(r.error().reason, QStringLiteral("proxmox_not_root"));
        const Result<ProxmoxVotes> v = votes(*src);
        QCOMPARE(v.error().reason, QStringLiteral("proxmox_not_root"));
        QVERIFY2(v.error().message.contains(QLatin1String("pvecm needs root on 'pve'")), qPrintable(v.error().message));
        m_fake.setSudoNeedsPassword(false);

        m_fake.setOnPath(false);
        r = get(*src, QStringLiteral("/nodes"));
        QCOMPARE(r.error().reason, QStringLiteral("proxmox_not_installed"));
        QVERIFY2(r.error().message.contains(QLatin1String("is it a Proxmox VE node?")), qPrintable(r.error().message));
        m_fake.setOnPath(true);

        m_fake.setFail(QStringLiteral("garbage"));
        r = get(*src, QStringLiteral("/nodes"));
        QCOMPARE(r.error().reason, QStringLiteral("proxmox_bad_answer"));
        m_fake.setFail(QStringLiteral("error"));
        r = get(*src, QStringLiteral("/nodes"));
        QCOMPARE(r.error().reason, QStringLiteral("proxmox_error"));
        QVERIFY2(r.error().message.contains(QLatin1String("ipcc_send_rec[1] failed")), qPrintable(r.error().message));
        m_fake.setFail({});

        // Not an API path: refused before anything runs.
        m_fake.clearCalls();
        r = get(*src, QStringLiteral("/nodes/$(reboot)"));
        QCOMPARE(r.error().code, ErrorCode::Validation);
        QVERIFY(m_fake.calls().isEmpty());

        // The link is down: the pool's own answer.
        auto down = source(QStringLiteral("pve-down"));
        r = get(*down, QStringLiteral("/nodes"));
        QCOMPARE(r.error().reason, QStringLiteral("not_connected"));
    }

    // The routes over the same link: GET /api/proxmox/:connection/status and /resources for a connection without an
    // API token answer what pvesh/pvecm printed on the host (source "ssh"); an action answers its task, followable at
    // /tasks/:upid; quorum lost shows in the status and raises the critical alert.
    void apiStatusAndResourcesOverSsh()
    {
        const HttpReply status = m_http->get(QStringLiteral("/api/proxmox/pve/status"));
        QVERIFY2(status.status == 200, status.body.constData());
        const QJsonObject body = status.object();
        QCOMPARE(body.value(QStringLiteral("source")).toString(), QStringLiteral("ssh"));
        QCOMPARE(body.value(QStringLiteral("connection")).toString(), QStringLiteral("pve"));
        QVERIFY(body.value(QStringLiteral("error")).isNull());
        const QJsonObject cluster = body.value(QStringLiteral("cluster")).toObject();
        QCOMPARE(cluster.value(QStringLiteral("name")).toString(), QStringLiteral("homelab"));
        QCOMPARE(cluster.value(QStringLiteral("quorate")).toBool(), true);
        QCOMPARE(cluster.value(QStringLiteral("nodes")).toInt(), 4);
        QCOMPARE(cluster.value(QStringLiteral("nodes_online")).toInt(), 3);
        QCOMPARE(cluster.value(QStringLiteral("expected_votes")).toInt(), 4); // from pvecm status
        QCOMPARE(cluster.value(QStringLiteral("total_votes")).toInt(), 3);    // from pvecm status
        const QJsonArray nodes = body.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 4);
        QCOMPARE(nodes.at(3).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
        QVERIFY(m_fake.calls().contains(QStringLiteral("pvecm status")));

        const HttpReply resources = m_http->get(QStringLiteral("/api/proxmox/pve/resources"));
        QVERIFY2(resources.status == 200, resources.body.constData());
        const QJsonArray guests = resources.array();
        QCOMPARE(guests.size(), 6);
        QCOMPARE(guests.at(0).toObject().value(QStringLiteral("vmid")).toInt(), 100);
        QCOMPARE(guests.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("gpu-worker"));
        QCOMPARE(m_http->get(QStringLiteral("/api/proxmox/pve/resources?type=lxc")).array().size(), 2);

        // An action: pvesh runs the task in the foreground, so the task is final when the route answers.
        const HttpReply acted =
            m_http->post(QStringLiteral("/api/proxmox/pve/resources/200/action"),
                         {{QStringLiteral("action"), QStringLiteral("reboot")}, {QStringLiteral("confirm"), true}});
        QVERIFY2(acted.status == 202, acted.body.constData());
        const QString upid = acted.object().value(QStringLiteral("upid")).toString();
        QVERIFY2(upid.startsWith(QLatin1String("UPID:node-1:")), qPrintable(upid));
        QVERIFY(m_fake.calls().contains(
            QStringLiteral("pvesh create /nodes/node-1/lxc/200/status/reboot --output-format json")));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_http->get(QStringLiteral("/api/proxmox/pve/tasks/") + QString::fromLatin1(QUrl::toPercentEncoding(upid)))
                    .object()
                    .value(QStringLiteral("exit_status"))
                    .toString() == QStringLiteral("OK"),
            15000);

        // Quorum lost on the cluster: the next read says so, and the critical alert is raised.
        m_fake.setScenario(QStringLiteral("no-quorum"));
        m_tc->core().proxmox().refresh(connection(QStringLiteral("pve")).id);
        QTRY_VERIFY_WITH_TIMEOUT(!m_http->get(QStringLiteral("/api/proxmox/pve/status"))
                                      .object()
                                      .value(QStringLiteral("cluster"))
                                      .toObject()
                                      .value(QStringLiteral("quorate"))
                                      .toBool(true),
                                 15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_http->get(QStringLiteral("/api/dgx/alerts?active=true")).body.contains("proxmox_quorum_lost"), 15000);
        m_fake.setScenario({});
        m_tc->core().proxmox().refresh(connection(QStringLiteral("pve")).id);

        // The link of another proxmox connection is down: a clear error, not stale or empty data.
        const HttpReply down = m_http->get(QStringLiteral("/api/proxmox/pve-down/status"));
        QVERIFY2(down.status == 409, down.body.constData());
        QVERIFY(down.body.contains("not_connected"));
    }

    void answersDieWithTheSource()
    {
        m_fake.setFail(QStringLiteral("hang"));
        bool called = false;
        {
            auto src = source();
            // A marker tells this call from the service's own 10 s reads of the clusters an earlier test looked at.
            src->get(QStringLiteral("/nodes"), {{QStringLiteral("marker"), QStringLiteral("dying-source")}},
                     [&](Result<QJsonValue>) { called = true; });
            QTRY_COMPARE_WITH_TIMEOUT(m_fake.calls().filter(QStringLiteral("dying-source")).size(), 1, 10000);
        }
        m_fake.setFail({});
        // The link still serves others; the dropped call never answers.
        auto src = source();
        QVERIFY(get(*src, QStringLiteral("/nodes")).ok());
        QTest::qWait(200);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestProxmoxSsh)
#include "tst_proxmox_ssh.moc"
