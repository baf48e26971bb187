#include "FakeProxmoxShell.h"
#include "proxmox/ProxmoxShell.h"
#include "proxmox/ProxmoxTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gpudeck;
using test::FakeProxmoxShell;

namespace {

CommandResult ran(int exitCode, const QByteArray &out, const QByteArray &err = {})
{
    CommandResult r;
    r.exitCode = exitCode;
    r.stdOut = out;
    r.stdErr = err;
    return r;
}

QJsonValue fixtureJson(const QString &name)
{
    return QJsonDocument::fromJson(FakeProxmoxShell::fixture(name).toUtf8()).array();
}

} // namespace

// The SSH fallback's pieces that need no link: the pvesh/pvecm command lines (quoting, sudo, refusing what is not an
// API path), the reading of what pvesh prints (JSON, an action's task output then its UPID, pvesh's own errors, no
// pvesh, sudo wanting a password, garbage), and pvesh's documentation-shaped JSON read into the same structs as the
// HTTPS source's answers.
class TestProxmoxShell : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commands()
    {
        QCOMPARE(proxmoxshell::pveshCommand(QStringLiteral("get"), QStringLiteral("/cluster/status"), {}, true).value(),
                 QStringLiteral("pvesh get '/cluster/status' --output-format json"));
        QCOMPARE(proxmoxshell::pveshCommand(QStringLiteral("get"), QStringLiteral("/cluster/resources"),
                                            {{QStringLiteral("type"), QStringLiteral("vm")}}, true)
                     .value(),
                 QStringLiteral("pvesh get '/cluster/resources' --type 'vm' --output-format json"));
        QCOMPARE(proxmoxshell::pveshCommand(QStringLiteral("create"),
                                            QStringLiteral("/nodes/node-1/qemu/100/status/shutdown"),
                                            {{QStringLiteral("timeout"), QStringLiteral("60")},
                                             {QStringLiteral("forceStop"), QStringLiteral("1")}},
                                            false)
                     .value(),
                 QStringLiteral("sudo -n pvesh create '/nodes/node-1/qemu/100/status/shutdown' --timeout '60' "
                                "--forceStop '1' --output-format json"));
        const QString upid = QStringLiteral("UPID:node-1:0000A1B2:0012C3D4:6766F0A0:qmstart:100:gpudeck@pve!ro:");
        QCOMPARE(proxmoxshell::pveshCommand(QStringLiteral("get"),
                                            QStringLiteral("/nodes/node-1/tasks/%1/status").arg(upid), {}, true)
                     .value(),
                 QStringLiteral("pvesh get '/nodes/node-1/tasks/%1/status' --output-format json").arg(upid));
        // A value is data, whatever it holds.
        QCOMPARE(proxmoxshell::pveshCommand(QStringLiteral("get"), QStringLiteral("/nodes"),
                                            {{QStringLiteral("x"), QStringLiteral("a'b; reboot")}}, true)
                     .value(),
                 QStringLiteral("pvesh get '/nodes' --x 'a'\\''b; reboot' --output-format json"));
        QCOMPARE(proxmoxshell::pvecmStatusCommand(true), QStringLiteral("pvecm status"));
        QCOMPARE(proxmoxshell::pvecmStatusCommand(false), QStringLiteral("sudo -n pvecm status"));
    }

    void refusedCommands_data()
    {
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("param");
        QTest::newRow("delete") << QStringLiteral("delete") << QStringLiteral("/nodes/node-1/qemu/100") << QString();
        QTest::newRow("set") << QStringLiteral("set") << QStringLiteral("/cluster/options") << QString();
        QTest::newRow("relative") << QStringLiteral("get") << QStringLiteral("nodes") << QString();
        QTest::newRow("space") << QStringLiteral("get") << QStringLiteral("/nodes/a b") << QString();
        QTest::newRow("quote") << QStringLiteral("get") << QStringLiteral("/nodes/a'b") << QString();
        QTest::newRow("semicolon") << QStringLiteral("get") << QStringLiteral("/nodes;reboot") << QString();
        QTest::newRow("dollar") << QStringLiteral("get") << QStringLiteral("/nodes/$(reboot)") << QString();
        QTest::newRow("newline") << QStringLiteral("get") << QStringLiteral("/nodes\nreboot") << QString();
        QTest::newRow("dotdot") << QStringLiteral("get") << QStringLiteral("/nodes/../../etc") << QString();
        QTest::newRow("empty") << QStringLiteral("get") << QString() << QString();
        QTest::newRow("param name") << QStringLiteral("get") << QStringLiteral("/nodes") << QStringLiteral("a b");
        QTest::newRow("param dash") << QStringLiteral("get") << QStringLiteral("/nodes") << QStringLiteral("-x");
        QTest::newRow("output format") << QStringLiteral("get") << QStringLiteral("/nodes")
                                       << QStringLiteral("output-format");
    }

    void refusedCommands()
    {
        QFETCH(QString, verb);
        QFETCH(QString, path);
        QFETCH(QString, param);
        ProxmoxParams params;
        if (!param.isEmpty()) {
            params.append({param, QStringLiteral("1")});
        }
        const Result<QString> command = proxmoxshell::pveshCommand(verb, path, params, true);
        QVERIFY2(!command.ok(), command.ok() ? qPrintable(command.value()) : "");
        QVERIFY(!command.error().message.isEmpty());
    }

    void readsJson()
    {
        const QByteArray status = FakeProxmoxShell::fixture(QStringLiteral("cluster-status.json")).toUtf8();
        const Result<QJsonValue> r = proxmoxshell::readPvesh(ran(0, status), QStringLiteral("pve"));
        QVERIFY(r.ok());
        QCOMPARE(r->toArray().size(), 5);
        // json-pretty, a stray warning on stderr: still the data
        const Result<QJsonValue> pretty = proxmoxshell::readPvesh(
            ran(0, "[\n    {\n        \"node\": \"node-1\"\n    }\n]\n", "WARN: foo\n"), QStringLiteral("pve"));
        QVERIFY(pretty.ok());
        QCOMPARE(pretty->toArray().at(0).toObject().value(QStringLiteral("node")).toString(), QStringLiteral("node-1"));
        QVERIFY(proxmoxshell::readPvesh(ran(0, ""), QStringLiteral("pve"))->isNull());
        QCOMPARE(proxmoxshell::readPvesh(ran(0, "42\n"), QStringLiteral("pve"))->toInt(), 42);
    }

    void readsAnActionsUpid_data()
    {
        QTest::addColumn<QByteArray>("out");
        const QByteArray upid = "UPID:node-1:0000A1B2:0012C3D4:6766F0A0:qmstart:100:root@pam:";
        QTest::newRow("json string") << ('"' + upid + "\"\n");
        QTest::newRow("bare") << (upid + '\n');
        QTest::newRow("task output first") << ("Requesting HA start for VM 100\n\"" + upid + "\"\n");
        QTest::newRow("task output, bare") << ("generating cloud-init ISO\n" + upid + '\n');
    }

    void readsAnActionsUpid()
    {
        QFETCH(QByteArray, out);
        const Result<QJsonValue> r = proxmoxshell::readPvesh(ran(0, out), QStringLiteral("pve"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->toString(), QStringLiteral("UPID:node-1:0000A1B2:0012C3D4:6766F0A0:qmstart:100:root@pam:"));
        const ProxmoxTask task = ProxmoxTask::fromUpid(r->toString());
        QCOMPARE(task.node, QStringLiteral("node-1"));
        QCOMPARE(task.type, QStringLiteral("qmstart"));
    }

    void errors_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<QByteArray>("err");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("says");
        QTest::newRow("pvesh's own error")
            << 2 << QByteArray()
            << QByteArray("Configuration file 'nodes/node-1/qemu-server/999.conf' does not exist\n")
            << QStringLiteral("proxmox_error")
            << QStringLiteral("pvesh on 'pve': Configuration file 'nodes/node-1/qemu-server/999.conf' does not exist");
        QTest::newRow("no handler") << 2 << QByteArray() << QByteArray("no 'get' handler for '/nope'\n")
                                    << QStringLiteral("proxmox_error") << QStringLiteral("no 'get' handler");
        QTest::newRow("failure, silent") << 1 << QByteArray() << QByteArray() << QStringLiteral("proxmox_error")
                                         << QStringLiteral("exit code 1");
        QTest::newRow("not installed") << 127 << QByteArray() << QByteArray("sh: 1: pvesh: not found\n")
                                       << QStringLiteral("proxmox_not_installed")
                                       << QStringLiteral("'pve' has no pvesh: is it a Proxmox VE node?");
        QTest::newRow("no sudo") << 127 << QByteArray() << QByteArray("sh: 1: sudo: not found\n")
                                 << QStringLiteral("proxmox_not_installed") << QStringLiteral("has no sudo");
        QTest::newRow("sudo wants a password")
            << 1 << QByteArray() << QByteArray("sudo: a password is required\n") << QStringLiteral("proxmox_not_root")
            << QStringLiteral("pvesh needs root on 'pve'");
        QTest::newRow("not a sudoer") << 1 << QByteArray()
                                      << QByteArray(
                                             "admin is not in the sudoers file.  This incident will be reported.\n")
                                      << QStringLiteral("proxmox_not_root") << QStringLiteral("connect as root");
        QTest::newRow("html") << 0 << QByteArray("<html><body>this is not JSON\n") << QByteArray()
                              << QStringLiteral("proxmox_bad_answer") << QStringLiteral("not JSON: '<html>");
        QTest::newRow("cut json") << 0 << QByteArray("[{\"id\":\"cluster\",\"name\":\"homelab\"") << QByteArray()
                                  << QStringLiteral("proxmox_bad_answer") << QStringLiteral("not JSON");
        QTest::newRow("two values") << 0 << QByteArray("1,2") << QByteArray() << QStringLiteral("proxmox_bad_answer")
                                    << QStringLiteral("not JSON");
        QTest::newRow("binary") << 0 << QByteArray("\x00\xff\xfe garbage", 11) << QByteArray()
                                << QStringLiteral("proxmox_bad_answer") << QStringLiteral("not JSON");
        QTest::newRow("huge garbage") << 0 << QByteArray(1 << 20, 'x') << QByteArray()
                                      << QStringLiteral("proxmox_bad_answer") << QStringLiteral("not JSON");
    }

    void errors()
    {
        QFETCH(int, exitCode);
        QFETCH(QByteArray, out);
        QFETCH(QByteArray, err);
        QFETCH(QString, reason);
        QFETCH(QString, says);
        const Result<QJsonValue> r = proxmoxshell::readPvesh(ran(exitCode, out, err), QStringLiteral("pve"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().reason, reason);
        QCOMPARE(r.error().code, ErrorCode::Upstream);
        QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
        QVERIFY2(r.error().message.size() < 500, "the message quotes a bounded part of the output");
    }

    void truncatedOutputIsAnError()
    {
        CommandResult r = ran(0, "[{\"id\":");
        r.truncated = true;
        QCOMPARE(proxmoxshell::readPvesh(r, QStringLiteral("pve")).error().reason,
                 QStringLiteral("proxmox_bad_answer"));
    }

    void votes()
    {
        const Result<ProxmoxVotes> v = proxmoxshell::readPvecmStatus(
            ran(0, FakeProxmoxShell::fixture(QStringLiteral("pvecm-status.txt")).toUtf8()), QStringLiteral("pve"));
        QVERIFY(v.ok());
        QCOMPARE(v->expectedVotes, 4);
        QCOMPARE(v->totalVotes, 3);
        QCOMPARE(v->quorum, 3);

        const Result<ProxmoxVotes> alone = proxmoxshell::readPvecmStatus(
            ran(2, {}, FakeProxmoxShell::fixture(QStringLiteral("pvecm-status-standalone.txt")).toUtf8()),
            QStringLiteral("pve"));
        QCOMPARE(alone.error().reason, QStringLiteral("proxmox_not_clustered"));
        QCOMPARE(alone.error().code, ErrorCode::NotFound);

        QCOMPARE(proxmoxshell::readPvecmStatus(ran(0, "hello\n"), QStringLiteral("pve")).error().reason,
                 QStringLiteral("proxmox_bad_answer"));
        QCOMPARE(proxmoxshell::readPvecmStatus(ran(1, {}, "Cannot initialize CMAP service\n"), QStringLiteral("pve"))
                     .error()
                     .reason,
                 QStringLiteral("proxmox_error"));
        QCOMPARE(proxmoxshell::readPvecmStatus(ran(127, {}, "sh: 1: pvecm: not found\n"), QStringLiteral("pve"))
                     .error()
                     .reason,
                 QStringLiteral("proxmox_not_installed"));
    }

    // pvesh prints the API's `data`: read by the same parsers as the HTTPS source's answers.
    void pveshJsonIntoTheSameStructs()
    {
        ProxmoxCluster cluster;
        QList<ProxmoxNode> nodes;
        QVERIFY(proxmoxparse::clusterStatus(fixtureJson(QStringLiteral("cluster-status.json")), cluster, nodes).ok());
        QCOMPARE(cluster.name, QStringLiteral("homelab"));
        QVERIFY(cluster.clustered);
        QVERIFY(cluster.quorate);
        QCOMPARE(cluster.nodes, 4);
        QCOMPARE(cluster.nodesOnline, 3);
        QVERIFY(proxmoxparse::nodes(fixtureJson(QStringLiteral("nodes.json")), nodes).ok());
        QCOMPARE(nodes.size(), 4);
        QCOMPARE(nodes.at(0).name, QStringLiteral("node-1"));
        QVERIFY(nodes.at(0).local);
        QCOMPARE(nodes.at(0).ip, QStringLiteral("198.51.100.11"));
        QCOMPARE(nodes.at(0).maxCpu, 16);
        QCOMPARE(nodes.at(3).status, QStringLiteral("offline"));

        ProxmoxCluster lost;
        QVERIFY(proxmoxparse::clusterStatus(fixtureJson(QStringLiteral("cluster-status-no-quorum.json")), lost, nodes)
                    .ok());
        QVERIFY(!lost.quorate);
        QCOMPARE(lost.nodesOnline, 2);

        ProxmoxCluster alone;
        QVERIFY(proxmoxparse::clusterStatus(fixtureJson(QStringLiteral("cluster-status-standalone.json")), alone, nodes)
                    .ok());
        QVERIFY(!alone.clustered);
        QVERIFY(alone.quorate);

        const auto guests = proxmoxparse::guests(fixtureJson(QStringLiteral("resources-vm.json")));
        QVERIFY(guests.ok());
        QCOMPARE(guests->size(), 6);
        QCOMPARE(guests->at(0).vmid, 100);
        QCOMPARE(guests->at(0).tags, (QStringList{QStringLiteral("gpu"), QStringLiteral("ml")}));
        QCOMPARE(guests->at(0).status, QStringLiteral("running"));
        QVERIFY(guests->at(2).templ);
        QCOMPARE(guests->at(4).type, QStringLiteral("lxc"));

        const auto storage = proxmoxparse::storage(fixtureJson(QStringLiteral("resources-storage.json")));
        QVERIFY(storage.ok());
        QCOMPARE(storage->size(), 10);
        const ProxmoxStorage &full = storage->at(1);
        QCOMPARE(full.node, QStringLiteral("node-1"));
        QCOMPARE(full.storage, QStringLiteral("local-lvm"));
        QVERIFY(full.usedFraction() > 0.9);
    }
};

QTEST_GUILESS_MAIN(TestProxmoxShell)
#include "tst_proxmox_shell.moc"
