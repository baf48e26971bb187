// A model's own log (models.yaml logs_follow / logs) end to end: the loopback test sshd runs fake log commands (shell
// loops writing their pid to a file), the real API serves GET /api/dgx/models/logs over real sockets. Lines arrive,
// one command serves every follower, the last follower leaving ends the command on the host (asserted on the
// process itself, with a command that prints nothing more, so no SIGPIPE could end it instead), another command of
// the same text (another install on the same account) is left alone, a dropped link ends the follow, and bad or
// missing commands are errors.
#include "../mcp/McpClient.h"
#include "HttpClient.h"
#include "Ports.h"
#include "SseClient.h"
#include "SshServer.h"
#include "SshdHosts.h"
#include "TestCore.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"
#include "ssh/SshPool.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <csignal>

using namespace gpudeck;
using test::HttpClient;
using test::SseClient;
using test::SseEvent;

namespace {

// A process that is still running (a zombie waiting to be reaped has ended).
bool running(qint64 pid)
{
    if (pid <= 1) {
        return false;
    }
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) != "Z";
}

// Every running process in process group `pgid`.
QList<qint64> group(qint64 pgid)
{
    QList<qint64> out;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok) {
            continue;
        }
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        const QList<QByteArray> fields = text.mid(close + 2).split(' ');
        if (fields.size() > 2 && fields.at(0) != "Z" && fields.at(2).toLongLong() == pgid) {
            out.append(pid);
        }
    }
    return out;
}

qint64 pgidOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 2 ? fields.at(2).toLongLong() : 0;
}

QByteArrayList dataOf(const QList<SseEvent> &events)
{
    QByteArrayList out;
    for (const SseEvent &e : events) {
        out.append(e.data);
    }
    return out;
}

} // namespace

class TestModelsLogs : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    QString m_dir; // where the fake log commands write their pid files (the test user can write here)

    QString pidFile(const QString &name) const { return m_dir + QLatin1Char('/') + name + QStringLiteral(".pid"); }
    qint64 pidOf(const QString &name) const
    {
        QFile f(pidFile(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
    }

    // chatty: a line every 0.1 s; quiet: three lines, then nothing (a model that is idle); oneshot: a `logs` command;
    // broken: a command that fails; nologs: neither; partial, partial-failing: logs whose last line has no newline;
    // blank-end: one whose last line is empty.
    QByteArray catalogYaml() const
    {
        return QStringLiteral(
                   "poll_interval: 60s\n"
                   "defaults: {port: %1, start: 'true', stop: 'true'}\n"
                   "hosts:\n"
                   "  spark-1:\n"
                   "    models:\n"
                   "      - id: example/chatty\n"
                   "        aliases: [chatty]\n"
                   "        logs_follow: 'echo $$ > %2/chatty.pid; i=0; while :; do echo \"line $i\"; i=$((i+1)); "
                   "sleep 0.1; done'\n"
                   "      - id: example/quiet\n"
                   "        logs_follow: 'echo $$ > %2/quiet.pid; echo one; echo two >&2; echo three; exec sleep "
                   "600'\n"
                   "      - id: example/oneshot\n"
                   "        logs: 'seq 1 50'\n"
                   "      - id: example/failing\n"
                   "        logs: 'echo Error: No such container: vllm; exit 1'\n"
                   "      - id: example/broken\n"
                   "        logs_follow: 'echo starting; no-such-command-xyz'\n"
                   "      - id: example/nologs\n"
                   "      - id: example/partial\n"
                   "        logs_follow: 'echo first; printf \"last, no newline\"'\n"
                   "        logs: 'printf \"a\\nb\\nc\"'\n"
                   "      - id: example/partial-failing\n"
                   "        logs_follow: 'echo loading; printf \"fatal: out of memory\"; exit 3'\n"
                   "        logs: 'echo loading; printf \"fatal: out of memory\"; exit 3'\n"
                   "      - id: example/blank-end\n"
                   "        logs: 'printf \"x\\n\\n\"'\n")
            .arg(test::freePort())
            .arg(m_dir)
            .toUtf8();
    }

    QJsonObject getJson(const QString &path, int expectStatus)
    {
        const auto r = m_http->get(path);
        if (r.status != expectStatus) {
            qWarning().noquote() << path << r.status << r.body;
            return {};
        }
        return r.object();
    }

    QByteArray followPath(const QString &model, int tail = 100) const
    {
        return QStringLiteral("/api/dgx/models/logs?model=%1&follow=true&tail=%2").arg(model).arg(tail).toUtf8();
    }

    ModelLogs &logs() { return m_tc->core().modelLogs(); }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        m_dir = m_sshd.tempDir() + QStringLiteral("/model-logs");
        QVERIFY(QDir().mkpath(m_dir));
        QVERIFY(QFile::setPermissions(m_dir, QFileDevice::Permissions(0x7777)));
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        for (const QString &name : QDir(m_dir).entryList(QDir::Files)) {
            QFile::remove(m_dir + QLatin1Char('/') + name);
        }
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        const QString connected = test::connectSshdHost(*m_http, m_sshd, QStringLiteral("spark-1"));
        QVERIFY2(connected.isEmpty(), qPrintable(connected));
        const QString written = test::writeModelsYaml(*m_tc, catalogYaml());
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), 9);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
        // GPU Deck gone, nothing it started on the host runs on.
        for (const QString &name :
             {QStringLiteral("chatty"), QStringLiteral("quiet"), QStringLiteral("head"), QStringLiteral("worker")}) {
            const qint64 pid = pidOf(name);
            QTRY_VERIFY2_WITH_TIMEOUT(!running(pid), qPrintable(name + QStringLiteral(" outlived GPU Deck")), 5000);
        }
    }

    void catalogShowsTheCommand()
    {
        const QJsonArray models = getJson(QStringLiteral("/api/dgx/models"), 200)
                                      .value(QStringLiteral("hosts"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("models"))
                                      .toArray();
        QCOMPARE(models.size(), 9);
        QCOMPARE(
            models.at(1).toObject().value(QStringLiteral("logs_follow")).toString(),
            QStringLiteral("echo $$ > %1/quiet.pid; echo one; echo two >&2; echo three; exec sleep 600").arg(m_dir));
        QCOMPARE(models.at(2).toObject().value(QStringLiteral("logs_follow")), QJsonValue());
    }

    // The last follower leaving ends the command on the host, though it prints nothing more (so no write could fail
    // and end it): the wrapper's watchdog sees the channel close.
    void lastFollowerLeavingStopsTheCommand()
    {
        SseClient client(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/quiet")));
        QTRY_COMPARE_WITH_TIMEOUT(client.events().size(), 3, 10000);
        QCOMPARE(client.status(), 200);
        QVERIFY(client.head().toLower().contains("content-type: text/event-stream"));
        QCOMPARE(dataOf(client.events()), (QByteArrayList{"one", "two", "three"})); // stderr too, in order
        const qint64 pid = pidOf(QStringLiteral("quiet"));
        QVERIFY(running(pid));
        const qint64 pgid = pgidOf(pid);
        QVERIFY(pgid > 1);
        QCOMPARE(logs().streamCount(), 1);

        client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!running(pid), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(group(pgid).isEmpty(), 5000); // the wrapper and its watchdog too
        QTRY_COMPARE(logs().streamCount(), 0);
    }

    // Followers share one command; a later one first gets the last lines kept; the command ends with the last.
    void followersShareOneCommand()
    {
        SseClient first(m_tc->port(), m_tc->token(), followPath(QStringLiteral("chatty")));
        QTRY_VERIFY_WITH_TIMEOUT(first.events().size() >= 5, 10000);
        const qint64 pid = pidOf(QStringLiteral("chatty"));
        QVERIFY(running(pid));

        SseClient second(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/chatty"), 3));
        QTRY_VERIFY_WITH_TIMEOUT(second.events().size() >= 6, 10000);
        QCOMPARE(pidOf(QStringLiteral("chatty")), pid); // not started again
        QCOMPARE(logs().streamCount(), 1);
        // The second's first lines are the three kept before it joined, then it goes on with the first.
        const QByteArrayList seen = dataOf(second.events());
        const int firstNumber = seen.first().mid(5).toInt();
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(seen.at(i), QByteArray("line ") + QByteArray::number(firstNumber + i));
        }
        QVERIFY(dataOf(first.events()).contains(seen.first()));

        first.close();
        const qsizetype had = second.events().size();
        QTRY_VERIFY_WITH_TIMEOUT(second.events().size() >= had + 5, 5000); // still served
        QVERIFY(running(pid));

        second.close();
        QTRY_VERIFY_WITH_TIMEOUT(!running(pid), 5000);
        QTRY_COMPARE(logs().streamCount(), 0);
    }

    // A client joining a running follow first gets the last lines it kept, though the log prints nothing more (they
    // are handed over as it joins, before its answer has begun).
    void lateJoinerGetsTheKeptLines()
    {
        SseClient first(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/quiet")));
        QTRY_COMPARE_WITH_TIMEOUT(first.events().size(), 3, 10000);
        SseClient second(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/quiet"), 2));
        QTRY_COMPARE_WITH_TIMEOUT(second.events().size(), 2, 10000);
        QCOMPARE(dataOf(second.events()), (QByteArrayList{"two", "three"}));
        QCOMPARE(second.status(), 200);
        QCOMPARE(logs().streamCount(), 1);
    }

    // Only what a follow started is stopped: the same command, started on the same account by someone else (another
    // GPU Deck install), runs on.
    void anotherInstallsCommandIsLeftAlone()
    {
        const QString other =
            QStringLiteral("echo $$ > %1/other.pid; echo one; echo two >&2; echo three; exec sleep 600").arg(m_dir);
        const auto connection = m_tc->core().connections().find(QStringLiteral("spark-1"));
        QVERIFY(connection.ok());
        ExecOptions options;
        options.timeoutMs = 0;
        options.lane = ExecLane::Stream;
        options.collectOutput = false;
        options.cancel = std::make_shared<ExecCancel>();
        auto theirs = m_tc->core().ssh().exec(connection->id, ModelLogs::wrap(other), options);
        QTRY_VERIFY_WITH_TIMEOUT(running(pidOf(QStringLiteral("other"))), 10000);
        const qint64 otherPid = pidOf(QStringLiteral("other"));

        {
            SseClient mine(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/quiet")));
            QTRY_COMPARE_WITH_TIMEOUT(mine.events().size(), 3, 10000);
        }
        const qint64 pid = pidOf(QStringLiteral("quiet"));
        QTRY_VERIFY_WITH_TIMEOUT(!running(pid), 5000);
        QTRY_COMPARE(logs().streamCount(), 0);
        QVERIFY(running(otherPid));

        options.cancel->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(theirs.isFinished(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!running(otherPid), 5000);
    }

    // The link drops (the host's sshd processes for it die, the commands they ran do not): the follow ends with the
    // reason, and the command on the host ends with its channel.
    void droppedLinkEndsTheFollow()
    {
        SseClient client(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/quiet")));
        QTRY_COMPARE_WITH_TIMEOUT(client.events().size(), 3, 10000);
        const qint64 pid = pidOf(QStringLiteral("quiet"));
        for (const qint64 p : m_sshd.sessionProcesses()) {
            QFile comm(QStringLiteral("/proc/%1/comm").arg(p));
            if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "sshd") {
                ::kill(pid_t(p), SIGKILL);
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(client.ofType("end").size(), 1, 10000);
        const QJsonObject end = QJsonDocument::fromJson(client.ofType("end").first().data).object();
        QCOMPARE(end.value(QStringLiteral("model")).toString(), QStringLiteral("example/quiet"));
        QVERIFY2(!end.value(QStringLiteral("error")).toString().isEmpty(), client.ofType("end").first().data);
        QTRY_VERIFY_WITH_TIMEOUT(!running(pid), 5000);
        QCOMPARE(logs().streamCount(), 0);
    }

    void lastLinesWithoutFollowing()
    {
        // `logs`: run once, its last lines.
        QJsonObject r = getJson(QStringLiteral("/api/dgx/models/logs?model=example/oneshot&tail=3"), 200);
        QCOMPARE(r.value(QStringLiteral("model")).toString(), QStringLiteral("example/oneshot"));
        QCOMPARE(r.value(QStringLiteral("lines")).toArray(),
                 (QJsonArray{QStringLiteral("48"), QStringLiteral("49"), QStringLiteral("50")}));
        // Only logs_follow: what it prints in its first seconds; the command is stopped after.
        r = getJson(QStringLiteral("/api/dgx/models/logs?model=example/quiet&host=spark-1&tail=2"), 200);
        QCOMPARE(r.value(QStringLiteral("lines")).toArray(),
                 (QJsonArray{QStringLiteral("two"), QStringLiteral("three")}));
        QTRY_VERIFY_WITH_TIMEOUT(!running(pidOf(QStringLiteral("quiet"))), 5000);
        // A log that goes on: the last of what it printed in that time.
        r = getJson(QStringLiteral("/api/dgx/models/logs?model=chatty&tail=4"), 200);
        QCOMPARE(r.value(QStringLiteral("lines")).toArray().size(), 4);
        QVERIFY(r.value(QStringLiteral("lines")).toArray().at(0).toString().startsWith(QStringLiteral("line ")));
        // While followed: what the stream kept, at once.
        SseClient client(m_tc->port(), m_tc->token(), followPath(QStringLiteral("chatty")));
        QTRY_VERIFY_WITH_TIMEOUT(client.events().size() >= 3, 10000);
        r = getJson(QStringLiteral("/api/dgx/models/logs?model=chatty&tail=2"), 200);
        QCOMPARE(r.value(QStringLiteral("lines")).toArray().size(), 2);
        QCOMPARE(logs().streamCount(), 1);
    }

    // A log whose last line has no newline: that line still reaches the client, followed or not, before the end and
    // in a failure's message; a last empty line is kept as one.
    void lastLineWithoutNewline()
    {
        SseClient client(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/partial")));
        QTRY_COMPARE_WITH_TIMEOUT(client.ofType("end").size(), 1, 10000);
        QCOMPARE(client.events().size(), 3);
        QCOMPARE(dataOf(client.events().mid(0, 2)), (QByteArrayList{"first", "last, no newline"}));
        QCOMPARE(client.events().last().event, QByteArray("end"));
        const QJsonObject end = QJsonDocument::fromJson(client.ofType("end").first().data).object();
        QVERIFY2(!end.contains(QStringLiteral("error")), client.ofType("end").first().data);
        // No host asked for: the end names the one followed, the model's own.
        QCOMPARE(end.value(QStringLiteral("host")).toString(), QStringLiteral("spark-1"));

        SseClient failing(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/partial-failing")));
        QTRY_COMPARE_WITH_TIMEOUT(failing.ofType("end").size(), 1, 10000);
        QCOMPARE(failing.events().size(), 3);
        QCOMPARE(dataOf(failing.events().mid(0, 2)), (QByteArrayList{"loading", "fatal: out of memory"}));
        const QString error = QJsonDocument::fromJson(failing.ofType("end").first().data)
                                  .object()
                                  .value(QStringLiteral("error"))
                                  .toString();
        QVERIFY2(error.contains(QStringLiteral("exited with 3: fatal: out of memory")), qPrintable(error));
        QTRY_COMPARE(logs().streamCount(), 0);

        QCOMPARE(getJson(QStringLiteral("/api/dgx/models/logs?model=example/partial&tail=2"), 200)
                     .value(QStringLiteral("lines"))
                     .toArray(),
                 (QJsonArray{QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(getJson(QStringLiteral("/api/dgx/models/logs?model=example/partial&tail=5"), 200)
                     .value(QStringLiteral("lines"))
                     .toArray(),
                 (QJsonArray{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(getJson(QStringLiteral("/api/dgx/models/logs?model=example/blank-end&tail=5"), 200)
                     .value(QStringLiteral("lines"))
                     .toArray(),
                 (QJsonArray{QStringLiteral("x"), QString()}));
        const auto failed = m_http->get(QStringLiteral("/api/dgx/models/logs?model=example/partial-failing&tail=5"));
        QCOMPARE(failed.status, 502);
        QVERIFY2(failed.body.contains("exited with 3: fatal: out of memory"), failed.body.constData());
    }

    // A model across two hosts (a head on spark-1, a worker on spark-2: a second connection to the test sshd) has a
    // log per host: without `host` the head's, with the worker's host the worker's own commands, each its own stream
    // on its own link; the MCP tool reads a worker's last lines too.
    void modelAcrossHostsHasALogPerHost()
    {
        const QString connected = test::connectSshdHost(*m_http, m_sshd, QStringLiteral("spark-2"));
        QVERIFY2(connected.isEmpty(), qPrintable(connected));
        const QString written = test::writeModelsYaml(
            *m_tc,
            catalogYaml() +
                QStringLiteral("      - id: example/pair\n"
                               "        logs_follow: 'echo $$ > %1/head.pid; echo head line; exec sleep 600'\n"
                               "        logs: 'echo head last'\n"
                               "        workers:\n"
                               "          - host: spark-2\n"
                               "            start: 'true'\n"
                               "            stop: 'true'\n"
                               "            logs: 'echo worker last'\n"
                               "            logs_follow: 'echo $$ > %1/worker.pid; echo worker line; exec sleep 600'\n"
                               "      - id: example/pair-silent\n"
                               "        logs_follow: 'echo head line'\n"
                               "        workers:\n"
                               "          - {host: spark-2, start: 'true', stop: 'true'}\n")
                    .arg(m_dir)
                    .toUtf8());
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), 11);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());

        SseClient head(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/pair")));
        SseClient worker(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/pair")) + "&host=spark-2");
        QTRY_COMPARE_WITH_TIMEOUT(head.events().size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(worker.events().size(), 1, 10000);
        QCOMPARE(head.events().first().data, QByteArray("head line"));
        QCOMPARE(worker.events().first().data, QByteArray("worker line"));
        QCOMPARE(logs().streamCount(), 2);
        const qint64 headPid = pidOf(QStringLiteral("head"));
        const qint64 workerPid = pidOf(QStringLiteral("worker"));
        QVERIFY(running(headPid) && running(workerPid));
        // Named by its head's host: the head's stream, not another.
        SseClient again(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/pair")) + "&host=spark-1");
        QTRY_COMPARE_WITH_TIMEOUT(again.status(), 200, 10000);
        QCOMPARE(logs().streamCount(), 2);
        QCOMPARE(pidOf(QStringLiteral("head")), headPid);

        // The worker's follow ends alone.
        worker.close();
        QTRY_VERIFY_WITH_TIMEOUT(!running(workerPid), 5000);
        QTRY_COMPARE(logs().streamCount(), 1);
        QVERIFY(running(headPid));
        head.close();
        again.close();
        QTRY_VERIFY_WITH_TIMEOUT(!running(headPid), 5000);

        // Last lines: each part's `logs`.
        auto lines = [this](const QString &query) {
            return getJson(QStringLiteral("/api/dgx/models/logs?model=example/pair&tail=5") + query, 200)
                .value(QStringLiteral("lines"))
                .toArray();
        };
        QCOMPARE(lines({}), QJsonArray{QStringLiteral("head last")});
        QCOMPARE(lines(QStringLiteral("&host=spark-2")), QJsonArray{QStringLiteral("worker last")});
        test::McpClient mcp(m_tc->port(), m_tc->token());
        const QJsonObject viaMcp =
            mcp.call(QStringLiteral("model_logs"), {{QStringLiteral("model"), QStringLiteral("example/pair")},
                                                    {QStringLiteral("host"), QStringLiteral("spark-2")}})
                .value(QStringLiteral("result"))
                .toObject();
        QVERIFY2(!viaMcp.value(QStringLiteral("isError")).toBool(), QJsonDocument(viaMcp).toJson().constData());
        QCOMPARE(viaMcp.value(QStringLiteral("structuredContent")).toObject().value(QStringLiteral("lines")).toArray(),
                 QJsonArray{QStringLiteral("worker last")});

        // A host with no part of the model, a worker without a log command.
        const auto elsewhere = m_http->get(QStringLiteral("/api/dgx/models/logs?model=example/pair&host=spark-9"));
        QCOMPARE(elsewhere.status, 404);
        QVERIFY2(elsewhere.body.contains("its hosts: spark-1, spark-2"), elsewhere.body.constData());
        const auto silent =
            m_http->get(QStringLiteral("/api/dgx/models/logs?model=example/pair-silent&host=spark-2&follow=true"));
        QCOMPARE(silent.status, 409);
        QCOMPARE(silent.errorCode(), QStringLiteral("no_logs_command"));
        QVERIFY2(silent.body.contains("the worker of model 'example/pair-silent' on spark-2"), silent.body.constData());
    }

    void badCommandsAndRequestsAreErrors()
    {
        // A follow whose command fails: its output, then an end event with the exit status and its last line.
        SseClient client(m_tc->port(), m_tc->token(), followPath(QStringLiteral("example/broken")));
        QTRY_COMPARE_WITH_TIMEOUT(client.ofType("end").size(), 1, 10000);
        QCOMPARE(client.events().first().data, QByteArray("starting"));
        const QJsonObject end = QJsonDocument::fromJson(client.ofType("end").first().data).object();
        QCOMPARE(end.value(QStringLiteral("code")).toString(), QStringLiteral("logs_failed"));
        QVERIFY2(end.value(QStringLiteral("error")).toString().contains(QStringLiteral("exited with 127")),
                 client.ofType("end").first().data);
        QVERIFY2(end.value(QStringLiteral("error")).toString().contains(QStringLiteral("not found")),
                 client.ofType("end").first().data);
        QTRY_COMPARE(logs().streamCount(), 0);

        auto code = [this](const QString &query) {
            const auto r = m_http->get(QStringLiteral("/api/dgx/models/logs?") + query);
            return QStringLiteral("%1 %2").arg(r.status).arg(
                r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString());
        };
        QCOMPARE(code(QStringLiteral("model=example/broken")), QStringLiteral("502 logs_failed"));
        QCOMPARE(code(QStringLiteral("model=example/failing")), QStringLiteral("502 logs_failed"));
        QVERIFY(m_http->get(QStringLiteral("/api/dgx/models/logs?model=example/failing"))
                    .body.contains("No such container"));
        QCOMPARE(code(QStringLiteral("model=example/nologs")), QStringLiteral("409 no_logs_command"));
        QCOMPARE(code(QStringLiteral("model=example/oneshot&follow=true")), QStringLiteral("409 no_logs_command"));
        QCOMPARE(code(QStringLiteral("model=example/nothing")), QStringLiteral("404 not_found"));
        QCOMPARE(code(QStringLiteral("model=example/quiet&host=spark-9")), QStringLiteral("404 not_found"));
        QCOMPARE(code(QStringLiteral("host=spark-1")), QStringLiteral("400 validation_failed"));
        QCOMPARE(code(QStringLiteral("model=example/quiet&tail=-1")), QStringLiteral("400 validation_failed"));
        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/spark-1"), {}).status, 200);
        QTRY_VERIFY(m_tc->core().ssh().status(m_tc->core().connections().find(QStringLiteral("spark-1"))->id).state !=
                    LinkState::Connected);
        QCOMPARE(code(QStringLiteral("model=example/quiet&follow=true")), QStringLiteral("409 not_connected"));
    }
};

QTEST_GUILESS_MAIN(TestModelsLogs)
#include "tst_models_logs.moc"
