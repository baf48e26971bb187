// Model swaps and the OpenAI-compatible proxy end to end: a real sshd whose test user runs the fake OpenAI server
// (tests/fake/fake_openai_server.py) through the models' start and stop commands, the real API over real sockets.
#include "../mcp/McpClient.h"
#include "HttpClient.h"
#include "Ports.h"
#include "SshServer.h"
#include "SshdHosts.h"
#include "TestCore.h"
#include "api/ProxyAdmission.h"
#include "models/ModelService.h"
#include "ssh/SshPool.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <atomic>
#include <csignal>

using namespace gpudeck;
using test::freePort;
using test::HttpClient;
using test::HttpReply;
using test::portOpen;

// A request whose answer arrives while the test's event loop runs (QTRY_*): the core's main-thread signals keep
// flowing, and several can be in flight at once.
class AsyncRequest
{
public:
    AsyncRequest(quint16 port, const QByteArray &token, const QByteArray &path, const QJsonObject &body)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { m_data += m_socket.readAll(); });
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        m_socket.write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
                       "\r\nConnection: close\r\n\r\n" + json);
    }
    const QByteArray &data() const { return m_data; }
    int status() const { return m_data.startsWith("HTTP/1.1 ") ? m_data.mid(9, 3).toInt() : 0; }
    bool done() const
    {
        const qsizetype head = m_data.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        if (m_data.left(head).toLower().contains("transfer-encoding: chunked")) {
            return m_data.endsWith("0\r\n\r\n");
        }
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("content-length: (\\d+)"), QRegularExpression::CaseInsensitiveOption)
                .match(QString::fromLatin1(m_data.left(head)));
        return m.hasMatch() && m_data.size() - head - 4 >= m.captured(1).toLongLong();
    }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

class TestModelsSwap : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::SshServer m_sshd2; // spark-2's own sshd (models across two hosts)
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    QString m_fakeDir;
    quint16 m_modelPort = 0;
    quint16 m_servicePort = 0;
    quint16 m_deadServicePort = 0;
    quint16 m_workerPort = 0; // a model across hosts: its worker's port on spark-2
    quint16 m_spark2Port = 0; // spark-2's own model's port
    QProcess m_service;       // a fake "speech-to-text" service, run by the test itself

    QString fake() const { return m_fakeDir + QStringLiteral("/fake_openai_server.py"); }

    static SwapTimings fastTimings()
    {
        SwapTimings fast;
        fast.commandTimeoutMs = 20000;
        fast.portFreeTimeoutMs = 10000;
        fast.probeTimeoutMs = 2000;
        fast.backoffInitialMs = 100;
        fast.backoffMaxMs = 400;
        return fast;
    }

    // models.yaml with more models on spark-1 (`extra`: model entries, %1 = a start command ready after 0.5 s), once
    // the host's state is known (a request before that would be forwarded on a guess).
    void writeCatalogWith(const QString &extra, int models)
    {
        const QString written = test::writeModelsYaml(*m_tc, catalogYaml({}, extra));
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), models);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_tc->core().models().serving(QStringLiteral("spark-1")).health != Health::Unknown,
                                 15000);
    }

    QJsonObject catalogModel(const QString &id)
    {
        const QJsonArray models = m_http->get(QStringLiteral("/api/dgx/models"))
                                      .object()
                                      .value(QStringLiteral("hosts"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("models"))
                                      .toArray();
        for (const QJsonValue &m : models) {
            if (m.toObject().value(QStringLiteral("id")).toString() == id) {
                return m.toObject();
            }
        }
        return {};
    }

    QJsonObject chat(const QString &model, bool stream = false) const
    {
        return {
            {QStringLiteral("model"), model},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"), QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                                {QStringLiteral("content"), QStringLiteral("hi")}}}}};
    }

    QByteArray catalogYaml(const QString &address = {}, const QString &extraModels = {}) const
    {
        const QString launch =
            QStringLiteral("nohup /usr/bin/python3 %1 --port ${PORT} --model ${MODEL} --max-lifetime 120 %2 "
                           "< /dev/null > %3/${PORT}.log 2>&1 & echo $! > %3/${PORT}.pid");
        auto start = [&](const QString &flags) { return launch.arg(fake(), flags, m_fakeDir); };
        QString y =
            QStringLiteral(
                "poll_interval: 1\n"
                "defaults:\n"
                "  port: %1\n"
                "  readiness_timeout: 10\n"
                "  stop: 'if [ -f %2/${PORT}.pid ]; then kill $(cat %2/${PORT}.pid); rm -f %2/${PORT}.pid; fi'\n"
                "  logs: 'cat %2/${PORT}.log'\n"
                "hosts:\n"
                "  spark-1:\n"
                "%3"
                "    models:\n")
                .arg(m_modelPort)
                .arg(m_fakeDir)
                .arg(address.isEmpty() ? QString() : QStringLiteral("    address: %1\n").arg(address));
        auto model = [&](const QString &id, const QString &startCommand, const QString &extra = {}) {
            y += QStringLiteral("      - id: %1\n        start: '%2'\n%3").arg(id, startCommand, extra);
        };
        model(QStringLiteral("example/model-a"), start(QStringLiteral("--ready-after 0.5")),
              QStringLiteral("        aliases: [model-a]\n"));
        model(QStringLiteral("example/model-b"), start(QStringLiteral("--ready-after 0.5")));
        model(QStringLiteral("example/never-ready"), start(QStringLiteral("--never-ready")),
              QStringLiteral("        readiness_timeout: 3\n"));
        model(QStringLiteral("example/broken"),
              QStringLiteral("/usr/bin/python3 %1 --port ${PORT} --model ${MODEL} --exit-at-once").arg(fake()));
        model(QStringLiteral("example/slow"), start(QStringLiteral("--ready-after 30")));
        if (!extraModels.isEmpty()) {
            y += extraModels.arg(start(QStringLiteral("--ready-after 0.5")));
        }
        y += QStringLiteral("    services:\n"
                            "      - {name: speech-to-text, kind: whisper, port: %1}\n"
                            "      - {name: vector-store, port: %2, health: /healthz}\n")
                 .arg(m_servicePort)
                 .arg(m_deadServicePort);
        return y.toUtf8();
    }

    void killFake(quint16 port = 0)
    {
        port = port ? port : m_modelPort;
        QFile pidFile(m_fakeDir + QStringLiteral("/%1.pid").arg(port));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const qint64 pid = pidFile.readAll().trimmed().toLongLong();
            if (pid > 1) {
                ::kill(pid_t(pid), SIGTERM);
            }
            pidFile.remove();
        }
        QTRY_VERIFY_WITH_TIMEOUT(!portOpen(port), 5000);
    }

    // models.yaml with two hosts: model-a on spark-1, model-c on spark-2, and two models across both (a head on
    // spark-1's model port, a worker on spark-2 with a port of its own to be ready on): example/pair, whose worker
    // comes up, and example/pair-broken, whose worker never does.
    QByteArray unitCatalogYaml(bool withBigPair = false) const
    {
        const QString launch = QStringLiteral("nohup /usr/bin/python3 %1 --port %2 --model %3 --max-lifetime 120 %4 "
                                              "< /dev/null > %5/%2.log 2>&1 & echo $! > %5/%2.pid");
        const QString head = launch.arg(fake(), QStringLiteral("${PORT}"), QStringLiteral("${MODEL}"),
                                        QStringLiteral("--ready-after 1"), m_fakeDir);
        const QString quick = launch.arg(fake(), QStringLiteral("${PORT}"), QStringLiteral("${MODEL}"),
                                         QStringLiteral("--ready-after 0.5"), m_fakeDir);
        auto worker = [&](const QString &flags) {
            return QStringLiteral(
                       "        workers:\n"
                       "          - host: spark-2\n"
                       "            port: %1\n"
                       "            start: '%2'\n"
                       "            stop: 'if [ -f %3/%1.pid ]; then kill $(cat %3/%1.pid); rm -f %3/%1.pid; "
                       "fi'\n"
                       "            logs: 'cat %3/%1.log'\n")
                .arg(m_workerPort)
                .arg(launch.arg(fake(), QString::number(m_workerPort), QStringLiteral("pair-worker"), flags, m_fakeDir),
                     m_fakeDir);
        };
        return QStringLiteral(
                   "poll_interval: 1\n"
                   "defaults:\n"
                   "  readiness_timeout: 10\n"
                   "  stop: 'if [ -f %1/${PORT}.pid ]; then kill $(cat %1/${PORT}.pid); rm -f %1/${PORT}.pid; fi'\n"
                   "  logs: 'cat %1/${PORT}.log'\n"
                   "hosts:\n"
                   "  spark-1:\n"
                   "    defaults: {port: %2}\n"
                   "    models:\n"
                   "      - id: example/model-a\n"
                   "        start: '%4'\n"
                   "      - id: example/pair\n"
                   "        start: '%5'\n"
                   "%6"
                   "      - id: example/pair-broken\n"
                   "        start: '%5'\n"
                   "        readiness_timeout: 3\n"
                   "%7"
                   "%8"
                   "  spark-2:\n"
                   "    models:\n"
                   "      - id: example/model-c\n"
                   "        port: %3\n"
                   "        start: '%4'\n")
            .arg(m_fakeDir)
            .arg(m_modelPort)
            .arg(m_spark2Port)
            .arg(quick, head, worker(QStringLiteral("--ready-after 0.5")), worker(QStringLiteral("--never-ready")))
            .arg(withBigPair
                     ? QStringLiteral("      - id: example/pair-big\n        memory_gb: 60\n        start: '%1'\n")
                               .arg(head) +
                           worker(QStringLiteral("--ready-after 0.5"))
                     : QString())
            .toUtf8();
    }

    // spark-2 connected, the two-host catalog in use, model-a served on spark-1 and model-c on spark-2.
    void setUpTwoHosts(bool withBigPair = false)
    {
        // A second host with an sshd of its own (on this machine too: its ports are told apart by number).
        const QString connected = test::connectSshdHost(*m_http, m_sshd2, QStringLiteral("spark-2"));
        QVERIFY2(connected.isEmpty(), qPrintable(connected));
        const QString written = test::writeModelsYaml(*m_tc, unitCatalogYaml(withBigPair));
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), withBigPair ? 5 : 4);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const auto c = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                    {{QStringLiteral("host"), QStringLiteral("spark-2")},
                                     {QStringLiteral("model"), QStringLiteral("example/model-c")},
                                     {QStringLiteral("confirm"), true}});
        QCOMPARE(c.status, 202);
        QCOMPARE(waitSwap(c.object().value(QStringLiteral("id")).toString()).value(QStringLiteral("state")).toString(),
                 QStringLiteral("succeeded"));
        QVERIFY(portOpen(m_modelPort) && portOpen(m_spark2Port) && !portOpen(m_workerPort));
    }

    // GET /api/dgx/models: the entry of `host`.
    QJsonObject hostEntry(const QString &host)
    {
        for (const QJsonValue &h :
             m_http->get(QStringLiteral("/api/dgx/models")).object().value(QStringLiteral("hosts")).toArray()) {
            if (h.toObject().value(QStringLiteral("host")).toString() == host) {
                return h.toObject();
            }
        }
        return {};
    }

    // The catalog with spark-1's ports at `address`, once it is in use.
    void useAddress(const QString &address)
    {
        const QString written = test::writeModelsYaml(*m_tc, catalogYaml(address));
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().hosts.value(0).address, address);
    }

    // The fit check reads the recorded GB10 snapshot (tests/fixtures/models-fit) on every host.
    void useFitSnapshot()
    {
        const QString snapshot = m_fakeDir + QStringLiteral("/gb10-train-running.txt");
        QFile::remove(snapshot);
        QVERIFY(QFile::copy(QStringLiteral(GPUDECK_FIT_FIXTURES "/gb10-train-running.txt"), snapshot));
        QVERIFY(
            QFile::setPermissions(snapshot, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        SwapTimings timings = fastTimings();
        timings.fitCommand = QStringLiteral("cat ") + snapshot;
        m_tc->core().models().setSwapTimings(timings);
    }

    // The dry run of a swap to `model` on spark-1 that the fit check refuses: the plan, and its would_refuse.
    QJsonObject refusedPlan(const QString &model, QJsonObject *refusal)
    {
        const auto plan =
            m_http->post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("spark-1")},
                                                                  {QStringLiteral("model"), model},
                                                                  {QStringLiteral("dry_run"), true}});
        *refusal = plan.object().value(QStringLiteral("would_refuse")).toObject();
        if (plan.status != 200 || refusal->value(QStringLiteral("code")).toString() != QLatin1String("does_not_fit")) {
            qWarning() << plan.status << plan.body;
            return {};
        }
        return plan.object();
    }

    // A streamed chat completion on a raw socket, read until its end.
    QByteArray streamChat(QTcpSocket &socket)
    {
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_tc->port());
        if (!socket.waitForConnected(3000)) {
            return {};
        }
        const QByteArray body =
            R"({"model":"example/model-a","stream":true,"messages":[{"role":"user","content":"hi"}]})";
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_tc->token() +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n\r\n" + body);
        QByteArray received;
        QElapsedTimer t;
        t.start();
        while (!received.endsWith("0\r\n\r\n") && t.elapsed() < 10000) {
            if (socket.waitForReadyRead(100)) {
                received += socket.readAll();
            }
        }
        return received;
    }

    HttpReply swap(const QString &model, bool confirm = true)
    {
        QJsonObject body{{QStringLiteral("host"), QStringLiteral("spark-1")}, {QStringLiteral("model"), model}};
        if (confirm) {
            body.insert(QStringLiteral("confirm"), true);
        }
        return m_http->post(QStringLiteral("/api/dgx/models/swap"), body);
    }

    // Polls the swap until it has finished; `steps` collects every step seen on the way.
    QJsonObject waitSwap(const QString &id, QStringList *steps = nullptr, int timeoutMs = 30000)
    {
        QElapsedTimer t;
        t.start();
        QJsonObject report;
        while (t.elapsed() < timeoutMs) {
            report = m_http->get(QStringLiteral("/api/dgx/models/swap/") + id).object();
            const QString step = report.value(QStringLiteral("step")).toString();
            if (steps && (steps->isEmpty() || steps->constLast() != step)) {
                steps->append(step);
            }
            if (report.value(QStringLiteral("finished")).toBool()) {
                return report;
            }
            QTest::qWait(50);
        }
        qWarning() << "swap did not finish:" << report;
        return report;
    }

    QString swapAndWait(const QString &model)
    {
        const auto r = swap(model);
        if (r.status != 202) {
            qWarning() << r.body;
            return {};
        }
        const QJsonObject report = waitSwap(r.object().value(QStringLiteral("id")).toString());
        return report.value(QStringLiteral("state")).toString();
    }

    QString servingNow()
    {
        const QJsonObject host = m_http->get(QStringLiteral("/api/dgx/models"))
                                     .object()
                                     .value(QStringLiteral("hosts"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        return host.value(QStringLiteral("serving")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        QVERIFY2(m_sshd2.start(&error), qPrintable(error));
        // The test user runs the fake server from here and writes its pid and log files here.
        m_fakeDir = m_sshd.tempDir() + QStringLiteral("/fake-openai");
        QVERIFY(QDir().mkpath(m_fakeDir));
        QVERIFY(QFile::setPermissions(m_fakeDir, QFileDevice::Permissions(0x7777)));
        QVERIFY(QFile::copy(QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), fake()));
        QVERIFY(QFile::setPermissions(fake(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                  QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                                  QFileDevice::ReadOther | QFileDevice::ExeOther));
        m_modelPort = freePort();
        m_servicePort = freePort();
        m_deadServicePort = freePort();
        m_workerPort = freePort();
        m_spark2Port = freePort();
        m_service.start(QStringLiteral("/usr/bin/python3"),
                        {fake(), QStringLiteral("--port"), QString::number(m_servicePort), QStringLiteral("--model"),
                         QStringLiteral("whisper"), QStringLiteral("--max-lifetime"), QStringLiteral("300")});
        QVERIFY(m_service.waitForStarted());
        QTRY_VERIFY(portOpen(m_servicePort));
    }

    void cleanupTestCase()
    {
        m_service.terminate();
        m_service.waitForFinished(3000);
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        m_tc->core().models().setSwapTimings(fastTimings());
        const QString connected = test::connectSshdHost(*m_http, m_sshd, QStringLiteral("spark-1"));
        QVERIFY2(connected.isEmpty(), qPrintable(connected));
        const QString written = test::writeModelsYaml(*m_tc, catalogYaml());
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), 5);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
        killFake();
        killFake(m_workerPort);
        killFake(m_spark2Port);
    }

    // A model across two hosts: a swap to it stops what runs on both, starts the worker and then the head, and holds
    // both hosts meanwhile; once up, the pair is one serving unit, and a swap of one of its hosts alone is refused
    // with the reason (API and MCP alike) unless asked to stop the unit on both.
    void modelAcrossTwoHosts()
    {
        setUpTwoHosts();
        const auto r = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                    {{QStringLiteral("host"), QStringLiteral("spark-1")},
                                     {QStringLiteral("model"), QStringLiteral("example/pair")},
                                     {QStringLiteral("confirm"), true}});
        QVERIFY2(r.status == 202, r.body.constData());
        const QString id = r.object().value(QStringLiteral("id")).toString();
        QCOMPARE(r.object().value(QStringLiteral("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("spark-1"), QStringLiteral("spark-2")}));
        // Both hosts are held: a swap on spark-2 meanwhile is refused.
        const auto busy = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                       {{QStringLiteral("host"), QStringLiteral("spark-2")},
                                        {QStringLiteral("model"), QStringLiteral("example/model-c")},
                                        {QStringLiteral("confirm"), true}});
        QCOMPARE(busy.status, 409);
        QCOMPARE(busy.errorCode(), QStringLiteral("swap_in_progress"));

        const QJsonObject report = waitSwap(id);
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QJsonObject before = report.value(QStringLiteral("previous_by_host")).toObject();
        QCOMPARE(before.value(QStringLiteral("spark-1")).toString(), QStringLiteral("example/model-a"));
        QCOMPARE(before.value(QStringLiteral("spark-2")).toString(), QStringLiteral("example/model-c"));
        QVERIFY(portOpen(m_modelPort) && portOpen(m_workerPort));
        QVERIFY(!portOpen(m_spark2Port)); // model-c was stopped on spark-2
        // Started in order: the worker, then the head.
        QStringList started;
        for (const QJsonValue &line : report.value(QStringLiteral("log")).toArray()) {
            const QString message = line.toObject().value(QStringLiteral("message")).toString();
            if (message.startsWith(QStringLiteral("starting "))) {
                started << message.section(QLatin1Char(':'), 0, 0);
            }
        }
        QCOMPARE(started, (QStringList{QStringLiteral("starting example/pair (worker on spark-2)"),
                                       QStringLiteral("starting example/pair (head on spark-1)")}));

        // One serving unit: both hosts show it, each with its role.
        const QJsonObject head = hostEntry(QStringLiteral("spark-1"));
        const QJsonObject worker = hostEntry(QStringLiteral("spark-2"));
        QCOMPARE(head.value(QStringLiteral("serving")).toString(), QStringLiteral("example/pair"));
        QCOMPARE(head.value(QStringLiteral("unit")).toObject().value(QStringLiteral("role")).toString(),
                 QStringLiteral("head"));
        QCOMPARE(worker.value(QStringLiteral("serving")).toString(), QStringLiteral("example/pair"));
        QCOMPARE(worker.value(QStringLiteral("health")).toString(), QStringLiteral("up"));
        const QJsonObject unit = worker.value(QStringLiteral("unit")).toObject();
        QCOMPARE(unit.value(QStringLiteral("role")).toString(), QStringLiteral("worker"));
        QCOMPARE(unit.value(QStringLiteral("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("spark-1"), QStringLiteral("spark-2")}));
        // ...and stays so once the hosts have been polled again (spark-2's own port answers nothing now).
        QTest::qWait(2500);
        QCOMPARE(hostEntry(QStringLiteral("spark-2")).value(QStringLiteral("serving")).toString(),
                 QStringLiteral("example/pair"));

        // A swap of one of its hosts alone is refused, with the reason, and changes nothing.
        for (const auto &[host, model] : {qMakePair(QStringLiteral("spark-2"), QStringLiteral("example/model-c")),
                                          qMakePair(QStringLiteral("spark-1"), QStringLiteral("example/model-a"))}) {
            const QJsonObject body{
                {QStringLiteral("host"), host}, {QStringLiteral("model"), model}, {QStringLiteral("confirm"), true}};
            const auto refused = m_http->post(QStringLiteral("/api/dgx/models/swap"), body);
            QCOMPARE(refused.status, 409);
            QCOMPARE(refused.errorCode(), QStringLiteral("unit_member"));
            const QJsonObject error = refused.object().value(QStringLiteral("error")).toObject();
            QVERIFY2(error.value(QStringLiteral("message"))
                         .toString()
                         .startsWith(
                             QStringLiteral("%1 is part of example/pair, served across spark-1 + spark-2").arg(host)),
                     qPrintable(error.value(QStringLiteral("message")).toString()));
            QCOMPARE(error.value(QStringLiteral("unit")).toString(), QStringLiteral("example/pair"));
            QJsonObject dry = body;
            dry.insert(QStringLiteral("dry_run"), true);
            const auto plan = m_http->post(QStringLiteral("/api/dgx/models/swap"), dry);
            QCOMPARE(plan.status, 200);
            QCOMPARE(
                plan.object().value(QStringLiteral("would_refuse")).toObject().value(QStringLiteral("code")).toString(),
                QStringLiteral("unit_member"));
        }
        test::McpClient mcp(m_tc->port(), m_tc->token());
        const QJsonObject viaMcp =
            mcp.call(QStringLiteral("swap"), {{QStringLiteral("host"), QStringLiteral("spark-2")},
                                              {QStringLiteral("model"), QStringLiteral("example/model-c")},
                                              {QStringLiteral("confirm"), true}})
                .value(QStringLiteral("result"))
                .toObject();
        QVERIFY(viaMcp.value(QStringLiteral("isError")).toBool());
        QVERIFY2(QJsonDocument(viaMcp).toJson().contains("spark-2 is part of example/pair"),
                 QJsonDocument(viaMcp).toJson().constData());
        QVERIFY(portOpen(m_modelPort) && portOpen(m_workerPort) && !portOpen(m_spark2Port));

        // Named with the worker's host, the unit is the same swap: already up, nothing to do.
        const auto same = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                       {{QStringLiteral("host"), QStringLiteral("spark-2")},
                                        {QStringLiteral("model"), QStringLiteral("example/pair")},
                                        {QStringLiteral("confirm"), true}});
        QCOMPARE(same.status, 202);
        QCOMPARE(same.object().value(QStringLiteral("host")).toString(), QStringLiteral("spark-1"));
        QCOMPARE(
            waitSwap(same.object().value(QStringLiteral("id")).toString()).value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"));

        // With stop_unit, spark-2 alone is swapped: the unit is stopped on both hosts first.
        const auto out = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                      {{QStringLiteral("host"), QStringLiteral("spark-2")},
                                       {QStringLiteral("model"), QStringLiteral("example/model-c")},
                                       {QStringLiteral("confirm"), true},
                                       {QStringLiteral("stop_unit"), true}});
        QVERIFY2(out.status == 202, out.body.constData());
        QCOMPARE(out.object().value(QStringLiteral("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("spark-2"), QStringLiteral("spark-1")}));
        const QJsonObject stopped = waitSwap(out.object().value(QStringLiteral("id")).toString());
        QCOMPARE(stopped.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(portOpen(m_spark2Port));
        QVERIFY(!portOpen(m_modelPort) && !portOpen(m_workerPort));
        QTRY_COMPARE(hostEntry(QStringLiteral("spark-2")).value(QStringLiteral("serving")).toString(),
                     QStringLiteral("example/model-c"));
        QVERIFY(hostEntry(QStringLiteral("spark-2")).value(QStringLiteral("unit")).isNull());
        QTRY_COMPARE(hostEntry(QStringLiteral("spark-1")).value(QStringLiteral("health")).toString(),
                     QStringLiteral("down"));
    }

    // A worker that never becomes healthy fails the swap before the head starts; what ran on both hosts is
    // started again.
    void modelAcrossHostsWorkerNeverHealthyRestoresBoth()
    {
        setUpTwoHosts();
        const auto r = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                    {{QStringLiteral("host"), QStringLiteral("spark-1")},
                                     {QStringLiteral("model"), QStringLiteral("example/pair-broken")},
                                     {QStringLiteral("confirm"), true}});
        QVERIFY2(r.status == 202, r.body.constData());
        const QJsonObject report = waitSwap(r.object().value(QStringLiteral("id")).toString());
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        const QJsonObject error = report.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("step")).toString(), QStringLiteral("start"));
        QVERIFY2(
            error.value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("example/pair-broken (worker on spark-2) did not become healthy within 3 s")),
            qPrintable(error.value(QStringLiteral("message")).toString()));
        // The worker's own log, from its `logs` command on spark-2.
        QVERIFY2(error.value(QStringLiteral("output")).toString().contains(QStringLiteral("fake model pair-worker")),
                 qPrintable(error.value(QStringLiteral("output")).toString()));
        QCOMPARE(report.value(QStringLiteral("restored")).toBool(), true);
        QVERIFY(report.value(QStringLiteral("restore_error")).isNull());
        bool headStarted = false;
        for (const QJsonValue &line : report.value(QStringLiteral("log")).toArray()) {
            headStarted = headStarted || line.toObject()
                                             .value(QStringLiteral("message"))
                                             .toString()
                                             .startsWith(QStringLiteral("starting example/pair-broken (head"));
        }
        QVERIFY(!headStarted);
        // Both hosts serve what they served before; the worker is gone.
        QVERIFY(portOpen(m_modelPort) && portOpen(m_spark2Port));
        QVERIFY(!portOpen(m_workerPort));
        QCOMPARE(hostEntry(QStringLiteral("spark-1")).value(QStringLiteral("serving")).toString(),
                 QStringLiteral("example/model-a"));
        QCOMPARE(hostEntry(QStringLiteral("spark-2")).value(QStringLiteral("serving")).toString(),
                 QStringLiteral("example/model-c"));
        const QJsonArray alerts = m_http->get(QStringLiteral("/api/dgx/alerts")).array();
        QVERIFY(!alerts.isEmpty());
        QVERIFY2(alerts.at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("swap of spark-1 + spark-2 to example/pair-broken failed")),
                 qPrintable(alerts.at(0).toObject().value(QStringLiteral("message")).toString()));
    }

    void swapWithoutConfirmIsRefused()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const auto r = swap(QStringLiteral("example/model-b"), false);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("confirmation_required"));
        const QJsonObject err = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(err.value(QStringLiteral("would_stop")).toString(), QStringLiteral("example/model-a"));
        QVERIFY(err.value(QStringLiteral("message")).toString().contains(QStringLiteral("stops example/model-a")));
        QCOMPARE(servingNow(), QStringLiteral("example/model-a")); // nothing happened
        QVERIFY(portOpen(m_modelPort));
    }

    // A dry run needs no confirm and changes nothing: the model stays served, no swap is recorded.
    void swapDryRunChangesNothing()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const int swapsBefore = static_cast<int>(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size());
        auto dryRun = [&](const QString &model) {
            return m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                {{QStringLiteral("host"), QStringLiteral("spark-1")},
                                 {QStringLiteral("model"), model},
                                 {QStringLiteral("dry_run"), true}});
        };
        const auto r = dryRun(QStringLiteral("example/model-b"));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject plan = r.object();
        QCOMPARE(plan.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(plan.value(QStringLiteral("action")).toString(), QStringLiteral("model.swap"));
        const QJsonObject target = plan.value(QStringLiteral("target")).toObject();
        QCOMPARE(target.value(QStringLiteral("host")).toString(), QStringLiteral("spark-1"));
        QCOMPARE(target.value(QStringLiteral("model")).toString(), QStringLiteral("example/model-b"));
        QCOMPARE(target.value(QStringLiteral("stops")).toString(), QStringLiteral("example/model-a"));
        QVERIFY(target.value(QStringLiteral("swap_in_progress")).isNull());
        QVERIFY(plan.value(QStringLiteral("would_refuse")).isNull());
        const QJsonArray effects = plan.value(QStringLiteral("effects")).toArray();
        QVERIFY(effects.at(0).toString().contains(QStringLiteral("stops example/model-a")));
        QVERIFY(effects.at(2).toString().contains(QStringLiteral("example/model-a is started again")));

        // An unknown model is the same error the real swap gives.
        const auto unknown = dryRun(QStringLiteral("example/nope"));
        const auto realUnknown = swap(QStringLiteral("example/nope"));
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.body, realUnknown.body);

        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        QVERIFY(portOpen(m_modelPort));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size(), swapsBefore);

        // While a swap runs, the plan says the real call would be refused, and the cancel's plan names the swap.
        const auto slow = swap(QStringLiteral("example/slow"));
        QCOMPARE(slow.status, 202);
        const QString id = slow.object().value(QStringLiteral("id")).toString();
        const auto busy = dryRun(QStringLiteral("example/model-b"));
        QCOMPARE(busy.status, 200);
        const QJsonObject refusal = busy.object().value(QStringLiteral("would_refuse")).toObject();
        QCOMPARE(refusal.value(QStringLiteral("code")).toString(), QStringLiteral("swap_in_progress"));
        QCOMPARE(refusal.value(QStringLiteral("status")).toInt(), 409);
        QCOMPARE(refusal.value(QStringLiteral("swap_id")).toString(), id);
        const QString cancelPath = QStringLiteral("/api/dgx/models/swap/") + id + QStringLiteral("/cancel");
        const auto cancelPlan = m_http->post(cancelPath, {{QStringLiteral("dry_run"), true}});
        QVERIFY2(cancelPlan.status == 200, cancelPlan.body.constData());
        QCOMPARE(cancelPlan.object().value(QStringLiteral("action")).toString(), QStringLiteral("model.swap_cancel"));
        QCOMPARE(
            cancelPlan.object().value(QStringLiteral("target")).toObject().value(QStringLiteral("previous")).toString(),
            QStringLiteral("example/model-a"));
        QVERIFY(cancelPlan.object().value(QStringLiteral("would_refuse")).isNull());
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/models/swap/") + id)
                     .object()
                     .value(QStringLiteral("state"))
                     .toString(),
                 QStringLiteral("running")); // the dry run did not cancel it
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/models/swap/swap-99/cancel"), {{QStringLiteral("dry_run"), true}})
                .status,
            404);
        QCOMPARE(m_http->post(cancelPath, {{QStringLiteral("confirm"), true}}).status, 400);

        // Once finished, a cancel would be refused: the plan carries the real call's error.
        QCOMPARE(m_http->post(cancelPath, {}).status, 202);
        QCOMPARE(waitSwap(id).value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        const auto late = m_http->post(cancelPath, {{QStringLiteral("dry_run"), true}});
        QCOMPARE(late.status, 200);
        const auto realLate = m_http->post(cancelPath, {});
        QCOMPARE(realLate.status, 409);
        QJsonObject realError = realLate.object().value(QStringLiteral("error")).toObject();
        realError.insert(QStringLiteral("status"), 409);
        QCOMPARE(late.object().value(QStringLiteral("would_refuse")).toObject(), realError);
    }

    void successfulSwapReportsProgress()
    {
        // From nothing to model-a.
        const auto r = swap(QStringLiteral("model-a")); // by alias
        QCOMPARE(r.status, 202);
        QCOMPARE(r.header("location"),
                 "/api/dgx/models/swap/" + r.object().value(QStringLiteral("id")).toString().toUtf8());
        QCOMPARE(r.object().value(QStringLiteral("model")).toString(), QStringLiteral("example/model-a"));
        QStringList steps;
        QJsonObject report = waitSwap(r.object().value(QStringLiteral("id")).toString(), &steps);
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(report.value(QStringLiteral("percent")).toInt(), 100);
        QVERIFY(report.value(QStringLiteral("previous")).isNull());
        QVERIFY2(steps.contains(QStringLiteral("wait_healthy")), qPrintable(steps.join(QLatin1Char(' '))));
        QStringList logged;
        for (const QJsonValue &line : report.value(QStringLiteral("log")).toArray()) {
            const QJsonObject l = line.toObject();
            QVERIFY(!l.value(QStringLiteral("at")).toString().isEmpty());
            if (!logged.contains(l.value(QStringLiteral("step")).toString())) {
                logged << l.value(QStringLiteral("step")).toString();
            }
        }
        QCOMPARE(logged,
                 (QStringList{QStringLiteral("queued"), QStringLiteral("detect"), QStringLiteral("stop_current"),
                              QStringLiteral("start"), QStringLiteral("wait_healthy"), QStringLiteral("verify"),
                              QStringLiteral("done")}));
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));

        // From model-a to model-b: model-a is found up (by asking the port) and stopped first.
        const auto second = swap(QStringLiteral("example/model-b"));
        QCOMPARE(second.status, 202);
        report = waitSwap(second.object().value(QStringLiteral("id")).toString());
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(report.value(QStringLiteral("previous")).toString(), QStringLiteral("example/model-a"));
        const QJsonObject models = m_http->get(QStringLiteral("/api/dgx/models")).object();
        const QJsonObject host = models.value(QStringLiteral("hosts")).toArray().at(0).toObject();
        QCOMPARE(host.value(QStringLiteral("serving")).toString(), QStringLiteral("example/model-b"));
        QCOMPARE(host.value(QStringLiteral("health")).toString(), QStringLiteral("up"));
        int up = 0;
        for (const QJsonValue &m : host.value(QStringLiteral("models")).toArray()) {
            if (m.toObject().value(QStringLiteral("status")).toString() == QStringLiteral("up")) {
                ++up;
                QCOMPARE(m.toObject().value(QStringLiteral("id")).toString(), QStringLiteral("example/model-b"));
            }
        }
        QCOMPARE(up, 1);
        // Swapping to what is already up is a quick no-op.
        QCOMPARE(swapAndWait(QStringLiteral("example/model-b")), QStringLiteral("succeeded"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size(), 3);
    }

    void neverHealthyTimesOutAndRestores()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const auto r = swap(QStringLiteral("example/never-ready"));
        QCOMPARE(r.status, 202);
        const QJsonObject report = waitSwap(r.object().value(QStringLiteral("id")).toString());
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        const QJsonObject error = report.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("step")).toString(), QStringLiteral("wait_healthy"));
        QVERIFY2(error.value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("did not become healthy within 3 s")),
                 qPrintable(error.value(QStringLiteral("message")).toString()));
        // The model's log, collected with its `logs` command.
        QVERIFY2(
            error.value(QStringLiteral("output")).toString().contains(QStringLiteral("fake model example/never-ready")),
            qPrintable(error.value(QStringLiteral("output")).toString()));
        QCOMPARE(report.value(QStringLiteral("restored")).toBool(), true);
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/models/swap/") + report.value(QStringLiteral("id")).toString())
                     .object()
                     .value(QStringLiteral("restore_error")),
                 QJsonValue());
        // Recorded as an alert.
        const QJsonArray alerts = m_http->get(QStringLiteral("/api/dgx/alerts")).array();
        QVERIFY(!alerts.isEmpty());
        QCOMPARE(alerts.at(0).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("swap_failed"));
        QVERIFY(alerts.at(0)
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("example/model-a was restored")));
    }

    void startCommandFailingAtOnce()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        QElapsedTimer t;
        t.start();
        const auto r = swap(QStringLiteral("example/broken"));
        QCOMPARE(r.status, 202);
        const QJsonObject report = waitSwap(r.object().value(QStringLiteral("id")).toString());
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        const QJsonObject error = report.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("step")).toString(), QStringLiteral("start"));
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("exit 3")));
        QVERIFY2(error.value(QStringLiteral("output")).toString().contains(QStringLiteral("CUDA out of memory")),
                 qPrintable(error.value(QStringLiteral("output")).toString()));
        QCOMPARE(report.value(QStringLiteral("restored")).toBool(), true);
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        QVERIFY(t.elapsed() < 8000);
    }

    void cancelMidSwapRestores()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const auto r = swap(QStringLiteral("example/slow"));
        QCOMPARE(r.status, 202);
        const QString id = r.object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE(
            m_http->get(QStringLiteral("/api/dgx/models/swap/") + id).object().value(QStringLiteral("step")).toString(),
            QStringLiteral("wait_healthy"));
        QCOMPARE(servingNow(), QString()); // a swap is in progress: nothing is announced as served
        const auto cancelled =
            m_http->post(QStringLiteral("/api/dgx/models/swap/") + id + QStringLiteral("/cancel"), {});
        QCOMPARE(cancelled.status, 202);
        const QJsonObject report = waitSwap(id);
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(report.value(QStringLiteral("error")).toObject().value(QStringLiteral("step")).toString(),
                 QStringLiteral("wait_healthy"));
        QCOMPARE(report.value(QStringLiteral("restored")).toBool(), true);
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        const auto again = m_http->post(QStringLiteral("/api/dgx/models/swap/") + id + QStringLiteral("/cancel"), {});
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), QStringLiteral("swap_not_cancellable"));
    }

    void twoSwapsAtOnce()
    {
        const auto first = swap(QStringLiteral("example/model-a"));
        QCOMPARE(first.status, 202);
        const auto second = swap(QStringLiteral("example/model-b"));
        QCOMPARE(second.status, 409);
        QCOMPARE(second.errorCode(), QStringLiteral("swap_in_progress"));
        QCOMPARE(second.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("swap_id")).toString(),
                 first.object().value(QStringLiteral("id")).toString());
        QCOMPARE(
            waitSwap(first.object().value(QStringLiteral("id")).toString()).value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"));
    }

    void proxyForwardsAndStreams()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));

        // /v1/models lists the whole catalog, OpenAI style.
        const QJsonObject list = m_http->get(QStringLiteral("/v1/models")).object();
        QCOMPARE(list.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(list.value(QStringLiteral("data")).toArray().size(), 5);
        QCOMPARE(
            list.value(QStringLiteral("data")).toArray().at(0).toObject().value(QStringLiteral("object")).toString(),
            QStringLiteral("model"));

        // Non-streamed: body and status forwarded; an alias is sent upstream as the id.
        const auto chat = m_http->post(
            QStringLiteral("/v1/chat/completions"),
            {{QStringLiteral("model"), QStringLiteral("model-a")},
             {QStringLiteral("messages"), QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                                 {QStringLiteral("content"), QStringLiteral("hi")}}}}});
        QCOMPARE(chat.status, 200);
        QCOMPARE(chat.object().value(QStringLiteral("model")).toString(), QStringLiteral("example/model-a"));
        QVERIFY(chat.object()
                    .value(QStringLiteral("choices"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .contains(QStringLiteral("message")));
        const auto embed =
            m_http->post(QStringLiteral("/v1/embeddings"),
                         {{QStringLiteral("model"), QStringLiteral("example/model-a")},
                          {QStringLiteral("input"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}});
        QCOMPARE(embed.status, 200);
        QCOMPARE(embed.object().value(QStringLiteral("data")).toArray().size(), 2);
        const auto completion = m_http->post(QStringLiteral("/v1/completions"),
                                             {{QStringLiteral("model"), QStringLiteral("example/model-a")},
                                              {QStringLiteral("prompt"), QStringLiteral("x")}});
        QCOMPARE(completion.status, 200);

        // Streamed: the first chunk must arrive before the fake has even produced the last one (5 chunks, 300 ms
        // apart).
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_tc->port());
        QVERIFY(socket.waitForConnected(3000));
        const QByteArray body =
            R"({"model":"example/model-a","stream":true,"messages":[{"role":"user","content":"hi"}]})";
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_tc->token() +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n\r\n" + body);
        QByteArray received;
        qint64 firstDataAtMs = 0;
        QElapsedTimer t;
        t.start();
        while (!received.contains("data: [DONE]") && t.elapsed() < 10000) {
            if (socket.waitForReadyRead(100)) {
                received += socket.readAll();
                if (firstDataAtMs == 0 && received.contains("data: {")) {
                    firstDataAtMs = QDateTime::currentMSecsSinceEpoch();
                }
            }
        }
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.left(200).constData());
        QVERIFY(received.contains("Content-Type: text/event-stream"));
        QVERIFY(received.contains("Transfer-Encoding: chunked"));
        QVERIFY(received.contains("data: [DONE]"));
        qint64 lastProducedMs = 0;
        int events = 0;
        for (const QByteArray &line : received.split('\n')) {
            if (line.startsWith("data: {")) {
                ++events;
                lastProducedMs =
                    QJsonDocument::fromJson(line.mid(6)).object().value(QStringLiteral("produced_at_ms")).toInteger();
            }
        }
        QCOMPARE(events, 5);
        QVERIFY(lastProducedMs > 0);
        QVERIFY2(firstDataAtMs < lastProducedMs - 600,
                 qPrintable(
                     QStringLiteral("first chunk at %1, last produced at %2").arg(firstDataAtMs).arg(lastProducedMs)));
        // The connection stays usable (keep-alive after a chunked response).
        socket.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_tc->token() +
                     "\r\n\r\n");
        QByteArray next;
        QTRY_VERIFY((next += socket.readAll()).contains("\"object\":\"list\""));

        // A client that leaves mid-stream does not break anything.
        QTcpSocket leaver;
        leaver.connectToHost(QStringLiteral("127.0.0.1"), m_tc->port());
        QVERIFY(leaver.waitForConnected(3000));
        leaver.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_tc->token() +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n\r\n" + body);
        QVERIFY(leaver.waitForReadyRead(3000));
        leaver.abort();
        QTest::qWait(200);
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/v1/completions"), {{QStringLiteral("model"), QStringLiteral("example/model-a")},
                                                           {QStringLiteral("prompt"), QStringLiteral("x")}})
                .status,
            200);
    }

    void proxyUnknownModelAndModelNotUp()
    {
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        auto r =
            m_http->post(QStringLiteral("/v1/chat/completions"), {{QStringLiteral("model"), QStringLiteral("gpt-nope")},
                                                                  {QStringLiteral("messages"), QJsonArray()}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("model_not_found"));
        const QJsonArray choices =
            r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("choices")).toArray();
        QCOMPARE(choices.size(), 5);
        QVERIFY(r.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("example/model-b")));

        r = m_http->post(
            QStringLiteral("/v1/chat/completions"),
            {{QStringLiteral("model"), QStringLiteral("example/model-b")}, {QStringLiteral("messages"), QJsonArray()}});
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QStringLiteral("model_not_up"));
        QVERIFY(r.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("spark-1 serves example/model-a")));

        r = m_http->post(QStringLiteral("/v1/chat/completions"), {{QStringLiteral("messages"), QJsonArray()}});
        QCOMPARE(r.status, 400);

        // Stopped behind GPU Deck's back: the next request finds nothing listening, says so, and the state follows.
        killFake();
        r = m_http->post(
            QStringLiteral("/v1/chat/completions"),
            {{QStringLiteral("model"), QStringLiteral("example/model-a")}, {QStringLiteral("messages"), QJsonArray()}});
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QStringLiteral("model_not_up"));
        QTRY_VERIFY_WITH_TIMEOUT(servingNow().isEmpty(), 8000);
    }

    // The model's port cannot be reached from here (the catalog's address, 127.0.0.2, is loopback too, but the fake
    // listens on 127.0.0.1 only, as a server bound to its host's localhost): probes and the proxy go through the
    // SSH link (a local port forwarded over the connection's session), and behave as on a direct port.
    void tunnelServesProbesAndProxy()
    {
        useAddress(QStringLiteral("127.0.0.2"));
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        QVERIFY(portOpen(m_modelPort));
        QVERIFY(!portOpen(m_modelPort, QStringLiteral("127.0.0.2")));
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        // Still found up by the poller (through the link) a few polls later.
        QTest::qWait(2500);
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));
        const auto chat =
            m_http->post(QStringLiteral("/v1/chat/completions"), {{QStringLiteral("model"), QStringLiteral("model-a")},
                                                                  {QStringLiteral("messages"), QJsonArray()}});
        QCOMPARE(chat.status, 200);
        QCOMPARE(chat.object().value(QStringLiteral("model")).toString(), QStringLiteral("example/model-a"));
        // The open forward's local port is published for the proxy (no round trip to the link's thread per
        // request): the same port forward() answers, and it takes connections.
        const qint64 spark1 = m_tc->core().connections().find(QStringLiteral("spark-1")).value().id;
        const std::optional<LocalForward> forward = m_tc->core().ssh().forwardedPort(spark1, m_modelPort);
        QVERIFY(forward.has_value());
        const std::optional<quint16> published = forward->port;
        auto asked = m_tc->core().ssh().forward(spark1, m_modelPort);
        QTRY_VERIFY(asked.isFinished());
        QVERIFY(asked.result().ok());
        QCOMPARE(asked.result().value(), *published);
        QVERIFY(portOpen(*published));
        // Many requests at once share the one session.
        QList<std::shared_ptr<HttpClient>> clients;
        for (int i = 0; i < 8; ++i) {
            clients << std::make_shared<HttpClient>(m_tc->port(), m_tc->token());
        }
        for (const auto &c : clients) {
            QCOMPARE(c->post(QStringLiteral("/v1/embeddings"), {{QStringLiteral("model"), QStringLiteral("model-a")},
                                                                {QStringLiteral("input"), QStringLiteral("x")}})
                         .status,
                     200);
        }
        QTcpSocket socket;
        const QByteArray streamed = streamChat(socket);
        QVERIFY2(streamed.startsWith("HTTP/1.1 200"), streamed.left(200).constData());
        QCOMPARE(streamed.count("data: {"), 5);
        QVERIFY(streamed.contains("data: [DONE]"));
    }

    // `via: ssh` takes the link even when the port could be reached directly (here it can: 127.0.0.1): the probes
    // and the proxy open a forward, and requests, eight at once, go through it on the one session.
    void viaSshTakesTheLink()
    {
        ModelService &models = m_tc->core().models();
        const auto routeOf = [&models] {
            const auto r = models.acquire(QStringLiteral("example/model-a"));
            if (r.ok()) {
                models.release(r->model, 0, false, {});
            }
            return r;
        };
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        QTRY_VERIFY(routeOf().ok());
        QCOMPARE(routeOf()->viaSsh, false); // reachable directly: direct
        QByteArray yaml = catalogYaml();
        yaml.replace("  spark-1:\n", "  spark-1:\n    via: ssh\n");
        const QString written = test::writeModelsYaml(*m_tc, yaml);
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QTRY_COMPARE(m_tc->core().models().catalog().hosts.value(0).via, QStringLiteral("ssh"));
        QTRY_VERIFY(routeOf().ok());
        QCOMPARE(routeOf()->viaSsh, true);
        std::vector<std::unique_ptr<AsyncRequest>> requests;
        for (int i = 0; i < 8; ++i) {
            requests.push_back(std::make_unique<AsyncRequest>(m_tc->port(), m_tc->token(), "/v1/chat/completions",
                                                              chat(QStringLiteral("example/model-a"), i % 2 == 1)));
        }
        for (const auto &r : requests) {
            QTRY_VERIFY_WITH_TIMEOUT(r->done(), 15000);
            QCOMPARE(r->status(), 200);
        }
        const qint64 spark1 = m_tc->core().connections().find(QStringLiteral("spark-1")).value().id;
        QVERIFY(m_tc->core().ssh().forwardedPort(spark1, m_modelPort).has_value()); // the forward they went through
    }

    // The proxy reads an open forward's published port, and the forward goes away just as the request connects (it
    // closed for idleness, or with the link). Held open here without timing: the proxy waits in that lookup while
    // the test drops the link (every sshd session killed), sees the old port refuse connections and the link come
    // back. The request is refused there and goes once more through a forward opened again: answered, not failed.
    // (Driving the idle close itself is not possible here: the health poller's kept-alive connection keeps the
    // model port's forward busy.)
    void tunnelForwardGoneAsARequestConnects()
    {
        useAddress(QStringLiteral("127.0.0.2"));
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        SshPool &ssh = m_tc->core().ssh();
        const qint64 spark1 = m_tc->core().connections().find(QStringLiteral("spark-1")).value().id;
        auto opened = ssh.forward(spark1, m_modelPort);
        QTRY_VERIFY(opened.isFinished());
        QVERIFY(opened.result().ok());
        const quint16 old = opened.result().value();

        QSemaphore atLookup;
        QSemaphore goOn;
        std::atomic<int> looked = 0;
        const auto release = qScopeGuard([&goOn] { goOn.release(); }); // never leaves the API thread waiting
        ssh.onNextForwardedPort([&](quint16 port) {
            looked = port;
            atLookup.release();
            goOn.acquire();
        });
        AsyncRequest request(m_tc->port(), m_tc->token(), "/v1/chat/completions", chat(QStringLiteral("model-a")));
        QTRY_VERIFY_WITH_TIMEOUT(atLookup.available() == 1, 10000);
        QCOMPARE(looked.load(), int(old));
        m_sshd.killClientSessions();
        QTRY_VERIFY_WITH_TIMEOUT(!portOpen(old), 10000); // the forward is gone with the link
        QTRY_VERIFY_WITH_TIMEOUT(ssh.status(spark1).state == LinkState::Connected, 20000);
        goOn.release();
        QTRY_VERIFY_WITH_TIMEOUT(request.done(), 10000);
        QVERIFY2(request.status() == 200, request.data().constData());
        QVERIFY(request.data().contains("example/model-a"));
    }

    // The link drops mid-stream (every sshd session killed): the client gets an error event and a clean end of the
    // stream; once the link is back, so is the tunnel.
    void tunnelLinkLossMidStream()
    {
        useAddress(QStringLiteral("127.0.0.2"));
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_tc->port());
        QVERIFY(socket.waitForConnected(3000));
        const QByteArray body =
            R"({"model":"example/model-a","stream":true,"messages":[{"role":"user","content":"hi"}]})";
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_tc->token() +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n\r\n" + body);
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains("data: {"), 5000);
        m_sshd.killClientSessions();
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).endsWith("0\r\n\r\n"), 10000);
        QVERIFY2(received.contains("upstream_failed"), received.constData());
        QVERIFY(!received.contains("data: [DONE]"));
        // The link reconnects by itself; the proxy goes through it again.
        QTRY_COMPARE_WITH_TIMEOUT(
            m_http
                ->post(QStringLiteral("/v1/completions"), {{QStringLiteral("model"), QStringLiteral("example/model-a")},
                                                           {QStringLiteral("prompt"), QStringLiteral("x")}})
                .status,
            200, 20000);
    }

    // The fit check, against a GB10-shaped host snapshot (tests/fixtures/models-fit: 119.7 GiB unified memory,
    // model-a's vLLM engine holding 40 GiB, a training run 25 GiB, 31 GiB available): a model declaring 96 GiB is
    // refused with the figures before anything stops, in the API, its dry run and a swap started without the API;
    // 60 GiB fits; `force` goes ahead.
    void fitCheckRefusesWithFigures()
    {
        writeCatalogWith(QStringLiteral("      - id: example/huge\n        memory_gb: 96\n        start: '%1'\n"
                                        "      - id: example/mid\n        memory_gb: 60\n        start: '%1'\n"),
                         7);
        useFitSnapshot();
        QCOMPARE(swapAndWait(QStringLiteral("example/model-a")), QStringLiteral("succeeded"));
        const int swapsBefore = int(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size());
        const QString figures =
            QStringLiteral("needs 96 GiB, 71 GiB would be free: 25 GiB held by pid 4242 python train.py");

        const QJsonObject body{{QStringLiteral("host"), QStringLiteral("spark-1")},
                               {QStringLiteral("model"), QStringLiteral("example/huge")}};
        QJsonObject dry = body;
        dry.insert(QStringLiteral("dry_run"), true);
        QJsonObject refusal;
        const QJsonObject plan = refusedPlan(QStringLiteral("example/huge"), &refusal);
        QVERIFY(!plan.isEmpty());
        QCOMPARE(refusal.value(QStringLiteral("status")).toInt(), 409);
        QVERIFY2(refusal.value(QStringLiteral("message")).toString().contains(figures),
                 QJsonDocument(plan).toJson().constData());
        const QJsonObject fit = plan.value(QStringLiteral("target")).toObject().value(QStringLiteral("fit")).toObject();
        QCOMPARE(fit.value(QStringLiteral("fits")).toBool(true), false);
        QCOMPARE(fit.value(QStringLiteral("unified_memory")).toBool(), true);

        QJsonObject real = body;
        real.insert(QStringLiteral("confirm"), true);
        const auto refused = m_http->post(QStringLiteral("/api/dgx/models/swap"), real);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), QStringLiteral("does_not_fit"));
        QJsonObject realError = refused.object().value(QStringLiteral("error")).toObject();
        realError.insert(QStringLiteral("status"), 409);
        QCOMPARE(refusal, realError); // the dry run answers the same
        QCOMPARE(int(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size()), swapsBefore);
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));

        // A swap started without the API's check (the GUI's path) stops at its own check, before stopping anything.
        const auto direct =
            m_tc->core().models().startSwap({QStringLiteral("spark-1"), QStringLiteral("example/huge"), true});
        QVERIFY(direct.ok());
        const QJsonObject report = waitSwap(direct->id);
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(report.value(QStringLiteral("refused")).toBool(), true);
        QCOMPARE(report.value(QStringLiteral("error")).toObject().value(QStringLiteral("step")).toString(),
                 QStringLiteral("check_fit"));
        QVERIFY(report.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(figures));
        QVERIFY(portOpen(m_modelPort));
        QCOMPARE(servingNow(), QStringLiteral("example/model-a"));

        // 60 GiB fits: the plan says so first.
        QJsonObject mid = dry;
        mid.insert(QStringLiteral("model"), QStringLiteral("example/mid"));
        const auto fits = m_http->post(QStringLiteral("/api/dgx/models/swap"), mid);
        QVERIFY(fits.object().value(QStringLiteral("would_refuse")).isNull());
        QVERIFY2(fits.object()
                     .value(QStringLiteral("effects"))
                     .toArray()
                     .at(0)
                     .toString()
                     .startsWith(QStringLiteral("fits: needs 60 GiB, 71 GiB would be free")),
                 fits.body.constData());

        // Forced: it goes ahead (the fake server needs far less than 96 GiB).
        real.insert(QStringLiteral("force"), true);
        const auto forced = m_http->post(QStringLiteral("/api/dgx/models/swap"), real);
        QVERIFY2(forced.status == 202, forced.body.constData());
        const QJsonObject done = waitSwap(forced.object().value(QStringLiteral("id")).toString());
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(done.value(QStringLiteral("force")).toBool(), true);
        QCOMPARE(done.value(QStringLiteral("fit")).toObject().value(QStringLiteral("fits")).toBool(true), false);
        QCOMPARE(servingNow(), QStringLiteral("example/huge"));
    }

    // on_demand: requests for a model that is down start one swap (two at once, and a streaming one that is kept
    // alive with SSE comments meanwhile), and are answered once it is up; a failed start is a clear 503.
    void onDemandStartsTheModelOnce()
    {
        ProxyAdmission::keepAliveMs = 200;
        writeCatalogWith(QStringLiteral("      - id: example/lazy\n        on_demand: true\n        start: '%1'\n"
                                        "      - id: example/lazy-broken\n        on_demand: true\n"
                                        "        readiness_timeout: 2\n        start: 'true'\n"),
                         7);
        QCOMPARE(servingNow(), QString());
        const int swapsBefore = int(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size());
        AsyncRequest first(m_tc->port(), m_tc->token(), "/v1/chat/completions", chat(QStringLiteral("example/lazy")));
        AsyncRequest second(m_tc->port(), m_tc->token(), "/v1/chat/completions", chat(QStringLiteral("example/lazy")));
        AsyncRequest streamed(m_tc->port(), m_tc->token(), "/v1/chat/completions",
                              chat(QStringLiteral("example/lazy"), true));
        QTRY_VERIFY_WITH_TIMEOUT(first.done() && second.done() && streamed.done(), 30000);
        QCOMPARE(first.status(), 200);
        QCOMPARE(second.status(), 200);
        QVERIFY2(first.data().contains("Hello from example/lazy"), first.data().constData());
        QCOMPARE(streamed.status(), 200);
        QVERIFY2(streamed.data().contains(": waiting for example/lazy to start on spark-1"),
                 streamed.data().constData());
        QVERIFY2(streamed.data().contains("tok0") && streamed.data().contains("[DONE]"), streamed.data().constData());
        QCOMPARE(int(m_http->get(QStringLiteral("/api/dgx/models/swaps")).array().size()), swapsBefore + 1);
        QCOMPARE(servingNow(), QStringLiteral("example/lazy"));

        // Its start never gets healthy: the request says why (and example/lazy is restored).
        AsyncRequest broken(m_tc->port(), m_tc->token(), "/v1/chat/completions",
                            chat(QStringLiteral("example/lazy-broken")));
        QTRY_VERIFY_WITH_TIMEOUT(broken.done(), 30000);
        QCOMPARE(broken.status(), 503);
        QVERIFY2(broken.data().contains("was started on demand and did not come up"), broken.data().constData());
        QVERIFY2(broken.data().contains("example/lazy was restored"), broken.data().constData());
        QTRY_COMPARE(servingNow(), QStringLiteral("example/lazy"));
        ProxyAdmission::keepAliveMs = 5000;
    }

    // max_concurrency: one request at a time; the next gets 429 with Retry-After; the stats count what was served.
    void concurrencyLimitAndStats()
    {
        writeCatalogWith(QStringLiteral("      - id: example/one-at-a-time\n        max_concurrency: 1\n"
                                        "        start: '%1'\n"),
                         6);
        QCOMPARE(swapAndWait(QStringLiteral("example/one-at-a-time")), QStringLiteral("succeeded"));
        // The fake streams 5 chunks 0.3 s apart: the slot stays taken for over a second.
        AsyncRequest streaming(m_tc->port(), m_tc->token(), "/v1/chat/completions",
                               chat(QStringLiteral("example/one-at-a-time"), true));
        QTRY_VERIFY_WITH_TIMEOUT(streaming.data().contains("tok0"), 10000);
        const auto busy =
            m_http->post(QStringLiteral("/v1/chat/completions"), chat(QStringLiteral("example/one-at-a-time")));
        QCOMPARE(busy.status, 429);
        QCOMPARE(busy.errorCode(), QStringLiteral("too_many_requests"));
        QCOMPARE(busy.header("Retry-After"), QByteArray("1"));
        QTRY_VERIFY_WITH_TIMEOUT(streaming.done(), 10000);
        const auto fine =
            m_http->post(QStringLiteral("/v1/chat/completions"), chat(QStringLiteral("example/one-at-a-time")));
        QCOMPARE(fine.status, 200);
        const QJsonObject stats =
            catalogModel(QStringLiteral("example/one-at-a-time")).value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("requests")).toInt(), 2);
        QCOMPARE(stats.value(QStringLiteral("errors")).toInt(), 0);
        QCOMPARE(stats.value(QStringLiteral("tokens")).toInt(), 4); // the usage of the answer that had one
        QCOMPARE(stats.value(QStringLiteral("in_flight")).toInt(), 0);
        QVERIFY(stats.value(QStringLiteral("latency_p95_ms")).toDouble() >= 1000); // the stream took over a second
        QVERIFY(stats.value(QStringLiteral("requests_per_s")).toDouble() > 0);

        // A streamed answer counts the tokens of the usage its last chunk carries (stream_options.include_usage, as
        // OpenAI's and vLLM's clients ask for it): 5 more.
        QJsonObject withUsage = chat(QStringLiteral("example/one-at-a-time"), true);
        withUsage.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
        AsyncRequest counted(m_tc->port(), m_tc->token(), "/v1/chat/completions", withUsage);
        QTRY_VERIFY_WITH_TIMEOUT(counted.done(), 10000);
        QVERIFY2(counted.data().contains("\"usage\""), counted.data().constData());
        QTRY_COMPARE(catalogModel(QStringLiteral("example/one-at-a-time"))
                         .value(QStringLiteral("stats"))
                         .toObject()
                         .value(QStringLiteral("tokens"))
                         .toInt(),
                     9);
    }

    // ttl_s stops a model nobody uses; preload starts one on a host that serves nothing.
    void ttlStopsIdleModelAndPreloadStartsOne()
    {
        writeCatalogWith(QStringLiteral("      - id: example/short-lived\n        ttl_s: 2\n        start: '%1'\n"), 6);
        QCOMPARE(swapAndWait(QStringLiteral("example/short-lived")), QStringLiteral("succeeded"));
        QCOMPARE(
            m_http->post(QStringLiteral("/v1/chat/completions"), chat(QStringLiteral("example/short-lived"))).status,
            200);
        QTRY_VERIFY_WITH_TIMEOUT(!portOpen(m_modelPort), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(servingNow(), QString(), 5000);

        writeCatalogWith(QStringLiteral("      - id: example/early\n        preload: true\n        start: '%1'\n"), 6);
        QTRY_COMPARE_WITH_TIMEOUT(servingNow(), QStringLiteral("example/early"), 20000);
    }

    // A model across hosts is checked on each of its hosts, against what each gives once what runs there stops. The
    // same GB10 snapshot on both: on spark-1 model-a's vLLM gives back its 40 GiB (71 GiB would be free), on spark-2
    // model-c's process is not among them (31 GiB): a pair needing 60 GiB is refused, naming spark-2.
    void fitCheckMeasuresEveryHost()
    {
        useFitSnapshot();
        setUpTwoHosts(true);
        const QString figures = QStringLiteral("example/pair-big does not fit on spark-2: needs 60 GiB, 31 GiB would "
                                               "be free: 40 GiB held by pid 3187 VLLM::EngineCore, 25 GiB by pid "
                                               "4242 python train.py");

        QJsonObject refusal;
        const QJsonObject plan = refusedPlan(QStringLiteral("example/pair-big"), &refusal);
        QVERIFY(!plan.isEmpty());
        QVERIFY2(refusal.value(QStringLiteral("message")).toString().startsWith(figures),
                 QJsonDocument(plan).toJson().constData());
        QCOMPARE(plan.value(QStringLiteral("target"))
                     .toObject()
                     .value(QStringLiteral("fit"))
                     .toObject()
                     .value(QStringLiteral("host")),
                 QJsonValue(QStringLiteral("spark-2")));

        const auto refused = m_http->post(QStringLiteral("/api/dgx/models/swap"),
                                          {{QStringLiteral("host"), QStringLiteral("spark-1")},
                                           {QStringLiteral("model"), QStringLiteral("example/pair-big")},
                                           {QStringLiteral("confirm"), true}});
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.body.contains(figures.toUtf8()), refused.body.constData());

        // Started without the API's check: its own check refuses the same, before stopping anything.
        const auto started =
            m_tc->core().models().startSwap({QStringLiteral("spark-1"), QStringLiteral("example/pair-big"), true});
        QVERIFY(started.ok());
        const QJsonObject report = waitSwap(started->id);
        QCOMPARE(report.value(QStringLiteral("refused")).toBool(), true);
        QVERIFY2(report.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .startsWith(figures),
                 QJsonDocument(report).toJson().constData());
        QVERIFY(portOpen(m_modelPort) && portOpen(m_spark2Port)); // model-a and model-c still run
        m_tc->core().models().setSwapTimings(fastTimings());
    }

    // The stop of an idle model holds its host until it is over: a swap asked for meanwhile is refused, and a request
    // for the model (on_demand) waits and starts it again only once the stop is done, so the stop cannot kill the
    // model it started. The stop takes 3 s here (it kills whatever pid file it finds when it is over).
    void idleStopHoldsItsHost()
    {
        const QString slowStop = QStringLiteral("sleep 3; if [ -f %1/${PORT}.pid ]; then kill $(cat %1/${PORT}.pid); "
                                                "rm -f %1/${PORT}.pid; fi")
                                     .arg(m_fakeDir);
        writeCatalogWith(
            QStringLiteral("      - id: example/idle-slow-stop\n        ttl_s: 1\n        on_demand: true\n"
                           "        stop: '") +
                slowStop + QStringLiteral("'\n        start: '%1'\n"),
            6);
        QCOMPARE(swapAndWait(QStringLiteral("example/idle-slow-stop")), QStringLiteral("succeeded"));
        QTRY_COMPARE_WITH_TIMEOUT(servingNow(), QString(), 10000); // idle for 1 s: its stop has begun
        QVERIFY(portOpen(m_modelPort));                            // and is still asleep

        const auto refused = swap(QStringLiteral("example/model-a"));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), QStringLiteral("swap_in_progress"));
        QVERIFY2(refused.body.contains("stopping its idle model"), refused.body.constData());

        AsyncRequest waiting(m_tc->port(), m_tc->token(), "/v1/chat/completions",
                             chat(QStringLiteral("example/idle-slow-stop")));
        QTRY_VERIFY_WITH_TIMEOUT(!portOpen(m_modelPort), 10000); // the stop ran to its end before anything started
        QTRY_VERIFY_WITH_TIMEOUT(waiting.done(), 20000);
        QCOMPARE(waiting.status(), 200);
        // Started after the stop, so nothing killed it (the next idle stop cannot end within 4 s of the answer).
        QVERIFY(portOpen(m_modelPort));
    }

    void servicesHealth()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_http->get(QStringLiteral("/api/dgx/services")).array().size() == 2, 5000);
        auto status = [this](const QString &name) {
            for (const QJsonValue &v : m_http->get(QStringLiteral("/api/dgx/services")).array()) {
                if (v.toObject().value(QStringLiteral("name")).toString() == name) {
                    return v.toObject();
                }
            }
            return QJsonObject();
        };
        QTRY_COMPARE_WITH_TIMEOUT(status(QStringLiteral("speech-to-text")).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("up"), 5000);
        QCOMPARE(status(QStringLiteral("speech-to-text")).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("whisper"));
        // Nothing listens there: down, but only after the second failed check in a row.
        QTRY_COMPARE_WITH_TIMEOUT(status(QStringLiteral("vector-store")).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("down"), 8000);
        QVERIFY(status(QStringLiteral("vector-store")).value(QStringLiteral("consecutive_failures")).toInt() >= 2);
        QCOMPARE(status(QStringLiteral("vector-store")).value(QStringLiteral("detail")).toString(),
                 QStringLiteral("connection refused"));
    }
};

QTEST_GUILESS_MAIN(TestModelsSwap)
#include "tst_models_swap.moc"
