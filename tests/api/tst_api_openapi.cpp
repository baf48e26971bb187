// The API against its description (issue 10): a real Core with its API, the loopback test sshd with the fake
// nvidia-smi first on its PATH, a models.yaml whose model is the fake OpenAI server. Every route the server has
// (Core::apiRoutes) is called, successes and errors alike; every answer (status, content type, body, and the
// route it came from) is written to a JSON file that tests/api/validate_answers.mjs (Node 22 and ajv from
// tests/tools) checks against docs/openapi.yaml: each status listed for its operation, each body valid against
// that response's schema, and every route an operation and every operation a route.
//
// A route with no 2xx answer here fails the test unless kNotExercised names it with the reason, so a route added
// later is caught until it is exercised (or its reason written down).
#include "FakeNvidiaSmi.h"
#include "FakeProxmox.h"
#include "FakeRunPod.h"
#include "Keyring.h"
#include "Ports.h"
#include "SshServer.h"
#include "TestCore.h"
#include "events/EventHub.h"
#include "jobs/JobSupervisor.h"
#include "metrics/MetricsService.h"
#include "models/ModelService.h"
#include "proxmox/ProxmoxService.h"
#include "wol/WakeService.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <functional>

using namespace gpudeck;
using test::freePort;
using test::portOpen;

namespace {

// Routes this test does not get a 2xx answer from, each with the reason. Their error answers are still checked.
const QHash<QString, QString> kNotExercised = {
    {QStringLiteral("POST /v1/audio/speech"),
     QStringLiteral("a binary audio answer: tests/models/tst_proxy_audio checks it byte for byte")},
};

const QString kTools = QStringLiteral(GPUDECK_TEST_TOOLS);

struct Reply
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    QString code() const
    {
        return object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
                return h.second;
            }
        }
        return {};
    }
    QByteArray what() const { return QByteArray::number(status) + ' ' + body.left(500); }
};

// A request's options beyond method, path and body.
struct Options
{
    bool token = true;
    QByteArray contentType = "application/json"; // sent when there is a body
    QList<QPair<QByteArray, QByteArray>> headers{};
    bool host = true;
};

Options noToken()
{
    Options o;
    o.token = false;
    return o;
}

Options withHeader(const QByteArray &name, const QByteArray &value, bool host = true)
{
    Options o;
    o.headers = {{name, value}};
    o.host = host;
    return o;
}

Options withContentType(const QByteArray &type)
{
    Options o;
    o.contentType = type;
    return o;
}

QByteArray dechunk(const QByteArray &in)
{
    QByteArray out;
    qsizetype at = 0;
    while (at < in.size()) {
        const qsizetype eol = in.indexOf("\r\n", at);
        if (eol < 0) {
            break;
        }
        bool ok = false;
        const qsizetype size = in.mid(at, eol - at).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0) {
            break;
        }
        out += in.mid(eol + 2, size);
        at = eol + 2 + size + 2;
    }
    return out;
}

// The answer in `in`: status, headers, and the body (de-chunked).
Reply parseAnswer(const QByteArray &in)
{
    Reply reply;
    const qsizetype end = in.indexOf("\r\n\r\n");
    if (!in.startsWith("HTTP/1.1 ") || end < 0) {
        return reply;
    }
    reply.status = in.mid(9, 3).toInt();
    const QList<QByteArray> lines = in.left(end).split('\n');
    qsizetype length = -1;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            continue;
        }
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        reply.headers.append({name, value});
        if (name.compare("content-type", Qt::CaseInsensitive) == 0) {
            reply.contentType = value;
        } else if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            length = value.toLongLong();
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            chunked = value.toLower().contains("chunked");
        }
    }
    const QByteArray rest = in.mid(end + 4);
    reply.body = chunked ? dechunk(rest) : length >= 0 ? rest.left(length) : rest;
    return reply;
}

// Whether `in` holds a complete answer (by its Content-Length, or the last chunk of a chunked one).
bool complete(const QByteArray &in)
{
    const qsizetype end = in.indexOf("\r\n\r\n");
    if (end < 0) {
        return false;
    }
    const QByteArray head = in.left(end).toLower();
    if (head.contains("transfer-encoding: chunked")) {
        return in.mid(end + 4).contains("0\r\n\r\n");
    }
    const qsizetype at = head.indexOf("content-length:");
    if (at < 0) {
        return false;
    }
    const qsizetype length = head.mid(at + 15, head.indexOf('\n', at) - at - 15).trimmed().toLongLong();
    return in.size() >= end + 4 + length;
}

// Sends `request` on a fresh connection and reads the answer until the server closes the connection (every request
// here says Connection: close, so it must, within a few seconds of a complete answer) or `timeoutMs` passes.
Reply exchange(quint16 port, const QByteArray &request, int timeoutMs = 30000, bool *closed = nullptr)
{
    Reply reply;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000)) {
        return reply;
    }
    socket.write(request);
    QByteArray in;
    QElapsedTimer timer;
    timer.start();
    qint64 completeAt = -1;
    while (timer.elapsed() < timeoutMs && socket.state() == QAbstractSocket::ConnectedState &&
           (completeAt < 0 || timer.elapsed() - completeAt < 5000)) {
        socket.waitForReadyRead(100);
        in += socket.readAll();
        if (completeAt < 0 && complete(in)) {
            completeAt = timer.elapsed();
        }
    }
    in += socket.readAll();
    if (closed) {
        *closed = socket.state() != QAbstractSocket::ConnectedState;
    }
    return parseAnswer(in);
}

} // namespace

// Each request is sent once: the macros keep the reply.
#define EXPECT(request, wanted)                                                                                        \
    do {                                                                                                               \
        const Reply expected_ = (request);                                                                             \
        QVERIFY2(expected_.status == (wanted),                                                                         \
                 (QByteArray(#request " wanted " #wanted ", got ") + expected_.what()).constData());                   \
    } while (false)
#define EXPECT_CODE(request, wanted, errorCode)                                                                        \
    do {                                                                                                               \
        const Reply expected_ = (request);                                                                             \
        QVERIFY2(expected_.status == (wanted) && expected_.code() == QStringLiteral(errorCode),                        \
                 (QByteArray(#request " wanted " #wanted " " errorCode ", got ") + expected_.what()).constData());     \
    } while (false)

class TestApiOpenApi : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::FakeNvidiaSmi m_fake;
    test::FakeProxmox m_proxmox; // a Proxmox VE API over HTTPS (self-signed certificate)
    test::FakeRunPod m_runpod;   // RunPod's REST API v2 (plain HTTP on loopback)
    test::Keyring m_keyring;
    bool m_keyringUp = false;
    QProcess m_service; // a declared service (speech-to-text), the fake OpenAI server run by the test itself
    QString m_fakeDir;
    quint16 m_modelPort = 0;
    quint16 m_servicePort = 0;
    std::unique_ptr<test::TestCore> m_tc;
    QStringList m_routes;
    QHash<QString, QString> m_notExercised = kNotExercised;
    QJsonArray m_answers;
    QSet<QString> m_succeeded; // routes that gave a 2xx answer
    QStringList m_problems;    // found on the way, reported by the last test
    int m_project = 0;         // on "box"

    QString fake() const { return m_fakeDir + QStringLiteral("/fake_openai_server.py"); }
    bool has(const QString &route) const { return m_routes.contains(route); }
    // Whether `route` takes the query parameter `name` (features other changes add, exercised once they are there).
    bool takes(const QString &route, const QString &name) const
    {
        return m_tc->core().apiQueryParams().value(route).contains(name);
    }
    bool dryRuns() const { return takes(QStringLiteral("DELETE /api/dgx/jobs/:id"), QStringLiteral("dry_run")); }

    // The route ("METHOD /pattern") the server matches for a request, as Router::match does: the first route of
    // that method whose segments match.
    QString routeOf(const QByteArray &method, const QString &path) const
    {
        const QStringList segments = path.section(QLatin1Char('?'), 0, 0).split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (const QString &route : m_routes) {
            const QString routeMethod = route.section(QLatin1Char(' '), 0, 0);
            const QStringList pattern = route.section(QLatin1Char(' '), 1).split(QLatin1Char('/'), Qt::SkipEmptyParts);
            if (routeMethod != QLatin1String(method) || pattern.size() != segments.size()) {
                continue;
            }
            bool matches = true;
            for (qsizetype i = 0; i < pattern.size() && matches; ++i) {
                matches = pattern.at(i).startsWith(QLatin1Char(':')) || pattern.at(i) == segments.at(i);
            }
            if (matches) {
                return route;
            }
        }
        return {};
    }

    void record(const QByteArray &method, const QString &path, const Reply &r, const QByteArray &requestBody = {})
    {
        const QString route = routeOf(method, path);
        if (route.isEmpty() || r.status == 0) {
            qWarning() << "not recorded (no route, or no answer):" << method << path << r.status;
            return;
        }
        if (r.status >= 200 && r.status < 300) {
            m_succeeded.insert(route);
        }
        m_answers.append(QJsonObject{{QStringLiteral("method"), QString::fromLatin1(method)},
                                     {QStringLiteral("route"), route.section(QLatin1Char(' '), 1)},
                                     {QStringLiteral("path"), path},
                                     {QStringLiteral("status"), r.status},
                                     {QStringLiteral("content_type"), QString::fromLatin1(r.contentType)},
                                     {QStringLiteral("body"), QString::fromUtf8(r.body)},
                                     {QStringLiteral("request_body"), QString::fromUtf8(requestBody)}});
    }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {}, const Options &o = {},
               int timeoutMs = 30000)
    {
        QByteArray request = method + ' ' + path.toUtf8() + " HTTP/1.1\r\n";
        if (o.host) {
            request += "Host: 127.0.0.1:" + QByteArray::number(m_tc->port()) + "\r\n";
        }
        if (o.token) {
            request += "Authorization: Bearer " + m_tc->token() + "\r\n";
        }
        if (!body.isEmpty() && !o.contentType.isEmpty()) {
            request += "Content-Type: " + o.contentType + "\r\n";
        }
        for (const auto &h : o.headers) {
            request += h.first + ": " + h.second + "\r\n";
        }
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        bool closed = false;
        const Reply r = exchange(m_tc->port(), request, timeoutMs, &closed);
        if (!closed) {
            m_problems << QStringLiteral("%1 %2 -> %3: the connection stayed open after the answer to a request with "
                                         "Connection: close")
                              .arg(QString::fromLatin1(method), path)
                              .arg(r.status);
        }
        record(method, path, r, o.contentType == "application/json" ? body : QByteArray());
        return r;
    }
    // A stream that stays open: read until `enough` says the body (de-chunked) holds enough, or `timeoutMs` passes,
    // then leave. Recorded like any answer.
    Reply stream(const QString &path, const std::function<bool(const QByteArray &)> &enough,
                 const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 10000)
    {
        QByteArray request = "GET " + path.toUtf8() + " HTTP/1.1\r\n" + hostLine() + authLine();
        for (const auto &h : headers) {
            request += h.first + ": " + h.second + "\r\n";
        }
        request += "\r\n";
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_tc->port());
        Reply reply;
        if (!socket.waitForConnected(5000)) {
            return reply;
        }
        socket.write(request);
        QByteArray in;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs && socket.state() == QAbstractSocket::ConnectedState) {
            socket.waitForReadyRead(100);
            in += socket.readAll();
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end >= 0 && enough(dechunk(in.mid(end + 4)))) {
                break;
            }
        }
        socket.abort();
        reply = parseAnswer(in);
        record("GET", path, reply);
        return reply;
    }
    Reply get(const QString &path) { return call("GET", path); }
    Reply del(const QString &path) { return call("DELETE", path); }
    Reply post(const QString &path, const QJsonObject &json = {})
    {
        return call("POST", path, json.isEmpty() ? QByteArray() : QJsonDocument(json).toJson(QJsonDocument::Compact));
    }
    Reply put(const QString &path, const QJsonObject &json)
    {
        return call("PUT", path, QJsonDocument(json).toJson(QJsonDocument::Compact));
    }
    // Raw bytes (for answers a well-formed request cannot get); recorded under `method` `path`.
    Reply raw(const QByteArray &method, const QString &path, const QByteArray &request, int timeoutMs = 30000)
    {
        const Reply r = exchange(m_tc->port(), request, timeoutMs);
        record(method, path, r);
        return r;
    }

    QByteArray hostLine() const { return "Host: 127.0.0.1:" + QByteArray::number(m_tc->port()) + "\r\n"; }
    QByteArray authLine() const { return "Authorization: Bearer " + m_tc->token() + "\r\n"; }

    QJsonObject connectionBody(const QString &name, const QString &key = QStringLiteral("ed25519")) const
    {
        return {{QStringLiteral("name"), name},
                {QStringLiteral("hostname"), m_sshd.host()},
                {QStringLiteral("port"), m_sshd.port()},
                {QStringLiteral("username"), m_sshd.user()},
                {QStringLiteral("auth_method"), QStringLiteral("key")},
                {QStringLiteral("ssh_key_path"), m_sshd.keyPath(key)}};
    }

    QByteArray catalogYaml() const
    {
        const QString launch = QStringLiteral(
            "nohup /usr/bin/python3 %1 --port ${PORT} --model ${MODEL} --max-lifetime 300 %2 "
            "--chunks 2 --chunk-delay 0.05 < /dev/null > %3/${PORT}.log 2>&1 & echo $! > %3/${PORT}.pid");
        auto start = [&](const QString &flags) { return launch.arg(fake(), flags, m_fakeDir); };
        return QStringLiteral(
                   "poll_interval: 1\n"
                   "defaults:\n"
                   "  port: %1\n"
                   "  readiness_timeout: 20\n"
                   "  stop: 'if [ -f %2/${PORT}.pid ]; then kill $(cat %2/${PORT}.pid); rm -f %2/${PORT}.pid; fi'\n"
                   "  logs: 'cat %2/${PORT}.log'\n"
                   "  logs_follow: 'tail -n 5 -f %2/${PORT}.log'\n"
                   "hosts:\n"
                   "  box:\n"
                   "    models:\n"
                   "      - id: example/model-a\n"
                   "        start: '%3'\n"
                   "        aliases: [model-a]\n"
                   "        settings: {max_model_len: 4096}\n"
                   "      - id: example/slow\n"
                   "        start: '%4'\n"
                   "      - id: example/huge\n" // far more than any host has: the fit check refuses it
                   "        memory_gb: 100000\n"
                   "        start: 'true'\n"
                   "    services:\n"
                   "      - {name: speech-to-text, kind: whisper, port: %5}\n"
                   "  deadhost:\n"
                   "    models:\n"
                   "      - id: example/elsewhere\n"
                   "        port: %6\n"
                   "        start: 'true'\n")
            .arg(m_modelPort)
            .arg(m_fakeDir, start(QStringLiteral("--ready-after 0.2")), start(QStringLiteral("--ready-after 60")))
            .arg(m_servicePort)
            .arg(freePort()) // nothing listens there
            .toUtf8();
    }

    void killFake()
    {
        QFile pidFile(m_fakeDir + QStringLiteral("/%1.pid").arg(m_modelPort));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const qint64 pid = pidFile.readAll().trimmed().toLongLong();
            if (pid > 1) {
                ::kill(pid_t(pid), SIGTERM);
            }
            pidFile.remove();
        }
    }

    // Polls a swap (through the API, so these answers are checked too) until it has finished, or a minute passed.
    QJsonObject waitSwap(const QString &id)
    {
        QJsonObject report;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000) {
            report = get(QStringLiteral("/api/dgx/models/swap/") + id).object();
            if (report.value(QStringLiteral("finished")).toBool()) {
                break;
            }
            QTest::qWait(50);
        }
        return report;
    }

    QString jobStatus(int id)
    {
        return get(QStringLiteral("/api/dgx/jobs/%1").arg(id)).object().value(QStringLiteral("status")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The validator's tools first: without them nothing here can be checked, and that is a failure.
        QVERIFY2(QFileInfo::exists(kTools + QStringLiteral("/.bin/node")) &&
                     QFileInfo::exists(kTools + QStringLiteral("/ajv")) &&
                     QFileInfo::exists(kTools + QStringLiteral("/ajv-formats")) &&
                     QFileInfo::exists(kTools + QStringLiteral("/yaml")),
                 qPrintable(
                     QStringLiteral("the npm test tools are missing from %1: run tests/tools/install.sh").arg(kTools)));
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_fake.setGpus(2);
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
        m_keyringUp = m_keyring.start(&error);
        if (!m_keyringUp) {
            qInfo("no keyring (%s): PUT credentials answers 503", qPrintable(error));
            m_notExercised.insert(QStringLiteral("PUT /api/dgx/connections/:id/credentials"),
                                  QStringLiteral("no Secret Service on this bus: ") + error);
        }

        m_fakeDir = m_sshd.tempDir() + QStringLiteral("/fake-openai");
        QVERIFY(QDir().mkpath(m_fakeDir));
        QVERIFY(QFile::setPermissions(m_fakeDir, QFileDevice::Permissions(0x7777)));
        QVERIFY(QFile::copy(QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), fake()));
        QVERIFY(QFile::setPermissions(fake(), QFileDevice::Permissions(0x7755)));
        m_modelPort = freePort();
        m_servicePort = freePort();
        m_service.start(QStringLiteral("/usr/bin/python3"),
                        {fake(), QStringLiteral("--port"), QString::number(m_servicePort), QStringLiteral("--model"),
                         QStringLiteral("whisper"), QStringLiteral("--max-lifetime"), QStringLiteral("600")});
        QVERIFY(m_service.waitForStarted());
        QTRY_VERIFY(portOpen(m_servicePort));

        // A short head timeout, so a 408 is seen in seconds (long enough for every well-formed request here).
        qputenv("GPUDECK_API_HEAD_TIMEOUT_MS", "3000");
        // RunPod: the fake, with its key from the environment (the keychain route is exercised when there is one).
        QVERIFY2(m_runpod.start(&error), qPrintable(error));
        qputenv("RUNPOD_API_BASE", m_runpod.baseUrl().toUtf8());
        qputenv("RUNPOD_API_KEY", m_runpod.apiKey().toUtf8());
        m_tc = std::make_unique<test::TestCore>();
        qunsetenv("GPUDECK_API_HEAD_TIMEOUT_MS");
        qunsetenv("RUNPOD_API_BASE");
        qunsetenv("RUNPOD_API_KEY");
        m_routes = m_tc->core().apiRoutes();
        QVERIFY(m_routes.size() > 40);
        m_tc->core().startMonitoring();
        m_tc->core().startJobSupervision();
        m_tc->core().jobRunner().setPollIntervalMs(200);
        SwapTimings fast;
        fast.commandTimeoutMs = 20000;
        fast.portFreeTimeoutMs = 10000;
        fast.probeTimeoutMs = 2000;
        fast.backoffInitialMs = 100;
        fast.backoffMaxMs = 400;
        m_tc->core().models().setSwapTimings(fast);
    }

    void cleanupTestCase()
    {
        m_tc.reset();
        killFake();
        m_service.terminate();
        m_service.waitForFinished(3000);
    }

    // What the HTTP layer and the request guard answer before any handler runs.
    void guardAnswers()
    {
        const QString port = QString::number(m_tc->port());
        EXPECT_CODE(call("GET", QStringLiteral("/api/health?verbose=1")), 400, "validation_failed");
        EXPECT_CODE(call("GET", QStringLiteral("/api/dgx/connections"), {}, noToken()), 401, "unauthorized");
        EXPECT_CODE(call("GET", QStringLiteral("/api/dgx/status"), {}, withHeader("Host", "attacker.example", false)),
                    403, "forbidden_host");
        EXPECT_CODE(
            call("POST", QStringLiteral("/api/dgx/connections"), "{}", withHeader("Origin", "http://attacker.example")),
            403, "forbidden_origin");
        EXPECT_CODE(
            call("GET", QStringLiteral("/api/dgx/connections"), {}, withHeader("Host", "127.0.0.1:" + port.toLatin1())),
            400, "bad_host");
        EXPECT_CODE(call("POST", QStringLiteral("/api/dgx/connections"), "name=x", withContentType("text/plain")), 415,
                    "unsupported_media_type");
        EXPECT_CODE(call("POST", QStringLiteral("/api/dgx/connections"), "{\"name\":"), 400, "malformed_json");
        EXPECT_CODE(raw("POST", QStringLiteral("/api/dgx/connections"),
                        "POST /api/dgx/connections HTTP/1.1\r\n" + hostLine() + authLine() +
                            "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"),
                    413, "payload_too_large");
        EXPECT_CODE(raw("GET", QStringLiteral("/api/dgx/jobs"),
                        "GET /api/dgx/jobs HTTP/1.1\r\n" + hostLine() + authLine() +
                            "Content-Length: 1\r\nContent-Length: 2\r\n\r\n"),
                    400, "bad_request");
        EXPECT_CODE(raw("GET", QStringLiteral("/api/dgx/alerts"),
                        "GET /api/dgx/alerts?x=" + QByteArray(17 * 1024, 'a') + " HTTP/1.1\r\n" + hostLine() +
                            authLine() + "\r\n"),
                    414, "uri_too_long");
        EXPECT_CODE(raw("GET", QStringLiteral("/api/dgx/services"),
                        "GET /api/dgx/services HTTP/1.1\r\n" + hostLine() + authLine() +
                            "X-Filler: " + QByteArray(17 * 1024, 'a') + "\r\n\r\n"),
                    431, "headers_too_large");
        // A head that never ends: answered when the (shortened) head timeout passes.
        EXPECT_CODE(raw("GET", QStringLiteral("/api/dgx/models"), "GET /api/dgx/models HTTP/1.1\r\n" + hostLine()), 408,
                    "request_timeout");
    }

    // 503 too_many_connections, from a second GPU Deck that takes one connection, held busy by a body on its way.
    void tooManyConnections()
    {
        qputenv("GPUDECK_API_MAX_CONNECTIONS", "1");
        test::TestCore small;
        qunsetenv("GPUDECK_API_MAX_CONNECTIONS");
        const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(small.port()) + "\r\n";
        const QByteArray auth = "Authorization: Bearer " + small.token() + "\r\n";
        QTcpSocket busy;
        busy.connectToHost(QStringLiteral("127.0.0.1"), small.port());
        QVERIFY(busy.waitForConnected(5000));
        busy.write("POST /api/dgx/connections HTTP/1.1\r\n" + host + auth +
                   "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
        QByteArray continued; // the head passed the checks: its body is awaited, so the connection is busy
        QTRY_VERIFY_WITH_TIMEOUT((continued += busy.readAll()).contains("100 Continue"), 10000);
        const Reply refused =
            exchange(small.port(), "GET /api/dgx/jobs HTTP/1.1\r\n" + host + auth + "Connection: close\r\n\r\n");
        record("GET", QStringLiteral("/api/dgx/jobs"), refused);
        QVERIFY2(refused.status == 503 && refused.code() == QStringLiteral("too_many_connections"),
                 refused.what().constData());
        busy.abort();
    }

    void systemAndConnections()
    {
        EXPECT(get(QStringLiteral("/api/health")), 200);
        EXPECT(get(QStringLiteral("/api/config/log-level")), 200);
        EXPECT(post(QStringLiteral("/api/config/log-level"), {{QStringLiteral("level"), QStringLiteral("info")}}), 200);
        EXPECT_CODE(post(QStringLiteral("/api/config/log-level"), {{QStringLiteral("level"), QStringLiteral("loud")}}),
                    400, "validation_failed");

        EXPECT(post(QStringLiteral("/api/dgx/connections"), connectionBody(QStringLiteral("box"))), 201);
        EXPECT(post(QStringLiteral("/api/dgx/connections"),
                    connectionBody(QStringLiteral("stranger"), QStringLiteral("stranger"))),
               201);
        QJsonObject dead = connectionBody(QStringLiteral("deadhost"));
        dead.insert(QStringLiteral("port"), freePort()); // nothing listens there
        dead.insert(QStringLiteral("mac_address"), QStringLiteral("00:11:22:33:44:55"));
        EXPECT(post(QStringLiteral("/api/dgx/connections"), dead), 201);
        EXPECT(post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("this-computer")},
                                                             {QStringLiteral("kind"), QStringLiteral("local")}}),
               201);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections"), connectionBody(QStringLiteral("box"))), 409,
                    "conflict");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("x")},
                                                                  {QStringLiteral("hostname"), QStringLiteral("h")},
                                                                  {QStringLiteral("port"), 70000}}),
                    400, "validation_failed");
        EXPECT(get(QStringLiteral("/api/dgx/connections")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/connections/box")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/connections/nope")), 404, "not_found");
        EXPECT(put(QStringLiteral("/api/dgx/connections/this-computer"),
                   {{QStringLiteral("username"), QStringLiteral("me")}}),
               200);
        EXPECT_CODE(put(QStringLiteral("/api/dgx/connections/this-computer"),
                        {{QStringLiteral("name"), QStringLiteral("box")}}),
                    409, "conflict");
        EXPECT_CODE(put(QStringLiteral("/api/dgx/connections/this-computer"),
                        {{QStringLiteral("colour"), QStringLiteral("red")}}),
                    400, "validation_failed");
        EXPECT_CODE(put(QStringLiteral("/api/dgx/connections/nope"), {{QStringLiteral("port"), 22}}), 404, "not_found");

        // ~/.ssh/config import: a dry run, the real thing, and a file that is not there.
        const QString config = m_tc->dataDir() + QStringLiteral("/ssh_config");
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Host imported-1\n  HostName 127.0.0.1\n  User someone\n  Port 2222\n  IdentityFile ~/.ssh/id_ed25519\n"
                "  ForwardAgent yes\n\nHost box\n  HostName 127.0.0.1\n");
        f.close();
        const Reply dry = post(QStringLiteral("/api/dgx/connections/import"),
                               {{QStringLiteral("path"), config}, {QStringLiteral("dry_run"), true}});
        EXPECT(dry, 200);
        QCOMPARE(dry.object().value(QStringLiteral("created")).toArray().size(), 1);
        EXPECT(post(QStringLiteral("/api/dgx/connections/import"),
                    {{QStringLiteral("path"), config},
                     {QStringLiteral("hosts"), QJsonArray{QStringLiteral("imported-1")}}}),
               200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections/import"),
                         {{QStringLiteral("path"), config + QStringLiteral(".missing")}}),
                    404, "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections/import"), {{QStringLiteral("hosts"), 3}}), 400,
                    "validation_failed");
        EXPECT(del(QStringLiteral("/api/dgx/connections/imported-1")), 204);
        EXPECT_CODE(del(QStringLiteral("/api/dgx/connections/imported-1")), 404, "not_found");

        EXPECT(post(QStringLiteral("/api/dgx/connections/deadhost/forget-host-key")), 200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections/nope/forget-host-key")), 404, "not_found");

        const Reply stored = put(QStringLiteral("/api/dgx/connections/stranger/credentials"),
                                 {{QStringLiteral("key_passphrase"), QStringLiteral("not-a-real-secret")}});
        if (m_keyringUp) {
            EXPECT(stored, 204);
            EXPECT(put(QStringLiteral("/api/dgx/connections/stranger/credentials"),
                       {{QStringLiteral("key_passphrase"), QJsonValue()}}),
                   204);
        } else {
            EXPECT_CODE(stored, 503, "unavailable");
        }
        EXPECT_CODE(put(QStringLiteral("/api/dgx/connections/stranger/credentials"), {{QStringLiteral("password"), 3}}),
                    400, "validation_failed");
        EXPECT_CODE(
            put(QStringLiteral("/api/dgx/connections/nope/credentials"), {{QStringLiteral("password"), QJsonValue()}}),
            404, "not_found");
    }

    void sshLinksAndExec()
    {
        const Reply unknown = post(QStringLiteral("/api/dgx/connect/box"));
        EXPECT_CODE(unknown, 409, "host_key_unknown");
        EXPECT(get(QStringLiteral("/api/dgx/status/box")), 200); // failed, with its reason
        EXPECT(post(QStringLiteral("/api/dgx/connect/box"),
                    {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}}),
               200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connect/stranger"),
                         {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}}),
                    502, "auth_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connect/deadhost")), 502, "connect_failed");
        EXPECT_CODE(
            post(QStringLiteral("/api/dgx/connect/box"), {{QStringLiteral("fingerprint"), QStringLiteral("x")}}), 400,
            "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connect/nope")), 404, "not_found");
        EXPECT(post(QStringLiteral("/api/dgx/disconnect/deadhost")), 200);
        // This computer: no SSH, commands run as local processes.
        EXPECT(post(QStringLiteral("/api/dgx/connect/this-computer")), 200);
        EXPECT(post(QStringLiteral("/api/dgx/exec/this-computer"),
                    {{QStringLiteral("command"), QStringLiteral("echo local")}}),
               200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/disconnect/nope")), 404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/status")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/status/box")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/status/deadhost")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/status/nope")), 404, "not_found");

        EXPECT(post(QStringLiteral("/api/dgx/exec/box"),
                    {{QStringLiteral("command"), QStringLiteral("echo out; echo err >&2; exit 3")}}),
               200);
        EXPECT_CODE(
            post(QStringLiteral("/api/dgx/exec/box"), {{QStringLiteral("command"), QStringLiteral("rm -rf /")}}), 403,
            "command_refused");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/exec/box"),
                         {{QStringLiteral("command"), QStringLiteral("echo start; sleep 30")},
                          {QStringLiteral("timeout_s"), 1}}),
                    504, "timeout");
        EXPECT_CODE(
            post(QStringLiteral("/api/dgx/exec/deadhost"), {{QStringLiteral("command"), QStringLiteral("true")}}), 409,
            "not_connected");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/exec/box"), {{QStringLiteral("command"), 3}}), 400,
                    "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/exec/nope"), {{QStringLiteral("command"), QStringLiteral("true")}}),
                    404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/exec/log")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/exec/log?connection_id=box&limit=2")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/exec/log?limit=0")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/exec/log?connection_id=nope")), 404, "not_found");

        EXPECT(get(QStringLiteral("/api/config/ssh")), 200);
        EXPECT(put(QStringLiteral("/api/config/ssh"), {{QStringLiteral("down_after_s"), 6}}), 200);
        EXPECT_CODE(put(QStringLiteral("/api/config/ssh"), {{QStringLiteral("down_after_s"), 1}}), 400,
                    "validation_failed");
    }

    void wakeOnLan()
    {
        // deadhost has a MAC and nothing listens on its SSH port: it never wakes. Its packets go to loopback.
        EXPECT(put(QStringLiteral("/api/dgx/connections/deadhost"),
                   {{QStringLiteral("wol_broadcast"), QStringLiteral("127.0.0.1")}}),
               200);
        EXPECT(post(QStringLiteral("/api/dgx/wake/deadhost"), {{QStringLiteral("wait"), false}}), 200);
        const Reply late = post(QStringLiteral("/api/dgx/wake/deadhost"), {{QStringLiteral("timeout_s"), 0.3}});
        EXPECT(late, 200);
        QCOMPARE(late.object().value(QStringLiteral("outcome")).toString(), QStringLiteral("timeout"));
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake/box"), {{QStringLiteral("wait"), false}}), 409,
                    "no_mac_address");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake/nope")), 404, "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake/deadhost"), {{QStringLiteral("timeout_s"), 0}}), 400,
                    "validation_failed");
        EXPECT(get(QStringLiteral("/api/dgx/wake")), 200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake/deadhost/cancel")), 404, "no_wake");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake/nope/cancel")), 404, "not_found");

        // A wake in progress (started in the core, so this thread is free to look at it and cancel it).
        WakeOptions longWait;
        longWait.timeoutMs = 60000;
        auto waiting = m_tc->core().wake().wake(QStringLiteral("deadhost"), longWait);
        const Reply list = get(QStringLiteral("/api/dgx/wake"));
        EXPECT(list, 200);
        QCOMPARE(list.array().size(), 1);
        EXPECT(post(QStringLiteral("/api/dgx/wake/deadhost/cancel")), 200);
        QTRY_VERIFY(waiting.isFinished());
        QCOMPARE(waiting.result()->outcome, QStringLiteral("cancelled"));

        // Wake all: deadhost is watched, has a MAC and is not connected.
        const Reply all = post(QStringLiteral("/api/dgx/wake"), {{QStringLiteral("wait"), false}});
        EXPECT(all, 200);
        QVERIFY(!all.object().value(QStringLiteral("hosts")).toArray().isEmpty());
        EXPECT_CODE(post(QStringLiteral("/api/dgx/wake"), {{QStringLiteral("wait"), QStringLiteral("no")}}), 400,
                    "validation_failed");

        // The SecureOn password is a credential like the others.
        EXPECT_CODE(put(QStringLiteral("/api/dgx/connections/deadhost/credentials"),
                        {{QStringLiteral("wol_password"), QStringLiteral("12:34")}}),
                    400, "validation_failed");
        const Reply secureOn = put(QStringLiteral("/api/dgx/connections/deadhost/credentials"),
                                   {{QStringLiteral("wol_password"), QStringLiteral("01:02:03:04:05:06")}});
        if (m_keyringUp) {
            EXPECT(secureOn, 204);
        } else {
            EXPECT_CODE(secureOn, 503, "unavailable");
        }
    }

    void metricsAndAlerts()
    {
        EXPECT(get(QStringLiteral("/api/config/monitoring")), 200);
        EXPECT(put(QStringLiteral("/api/config/monitoring"), {{QStringLiteral("interval_ms"), 1000}}), 200);
        EXPECT_CODE(put(QStringLiteral("/api/config/monitoring"), {{QStringLiteral("interval_ms"), 5}}), 400,
                    "validation_failed");
        // Live samples from the fake nvidia-smi, then a temperature over the threshold: an alert.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_tc->core().metrics().snapshot(m_tc->core().connections().find(QStringLiteral("box"))->id).state ==
                QStringLiteral("ok"),
            15000);
        m_fake.setTemperature(97);
        QTRY_VERIFY_WITH_TIMEOUT(!m_tc->core().metrics().alerts(true, 0, 10).value().isEmpty(), 15000);
        m_fake.setTemperature(std::nullopt);
        EXPECT(get(QStringLiteral("/api/dgx/metrics/box")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/metrics/deadhost")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/metrics/this-computer")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/metrics/nope")), 404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/metrics/box/history?hours=1")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/metrics/box/history?hours=200&gpu=0&max_points=50")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/metrics/box/history?hours=-1")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/metrics/nope/history")), 404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/alerts")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/alerts?active=true&connection_id=box&limit=5")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/alerts?limit=0")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/alerts?connection_id=nope")), 404, "not_found");
        // The fleet: a host with live GPUs and an active alert, one that is down, one never connected.
        EXPECT(get(QStringLiteral("/api/dgx/fleet")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/fleet?threshold=50&window_s=5")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/fleet?threshold=0")), 400, "validation_failed");
        // The status report of the same fleet, in each format, and its daily schedule.
        EXPECT(get(QStringLiteral("/api/dgx/report")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/report?format=markdown")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/report?format=html")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/report?format=pdf")), 400, "validation_failed");
        EXPECT(get(QStringLiteral("/api/config/report")), 200);
        EXPECT(put(QStringLiteral("/api/config/report"),
                   {{QStringLiteral("enabled"), true},
                    {QStringLiteral("time"), QStringLiteral("23:59")},
                    {QStringLiteral("folder"), m_tc->dataDir() + QStringLiteral("/reports")},
                    {QStringLiteral("format"), QStringLiteral("html")}}),
               200);
        EXPECT_CODE(put(QStringLiteral("/api/config/report"), {{QStringLiteral("time"), QStringLiteral("7am")}}), 400,
                    "validation_failed");
        EXPECT(put(QStringLiteral("/api/config/report"), {{QStringLiteral("enabled"), false}}), 200);
        // The same snapshot for Prometheus, as text.
        EXPECT(get(QStringLiteral("/metrics")), 200);
        EXPECT_CODE(get(QStringLiteral("/metrics?format=json")), 400, "validation_failed");
    }

    void projectsAndJobs()
    {
        const Reply created = post(QStringLiteral("/api/dgx/projects"),
                                   {{QStringLiteral("connection_id"), QStringLiteral("box")},
                                    {QStringLiteral("name"), QStringLiteral("train")},
                                    {QStringLiteral("remote_path"), QStringLiteral("~")},
                                    {QStringLiteral("config"), QJsonObject{{QStringLiteral("gpus"), 1}}}});
        EXPECT(created, 201);
        m_project = created.object().value(QStringLiteral("id")).toInt();
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects"),
                         {{QStringLiteral("connection_id"), QStringLiteral("box")},
                          {QStringLiteral("name"), QStringLiteral("bad")},
                          {QStringLiteral("remote_path"), QStringLiteral("/proc/1/nope")}}),
                    400, "remote_path_unusable");
        EXPECT_CODE(
            post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("deadhost")},
                                                       {QStringLiteral("name"), QStringLiteral("later")},
                                                       {QStringLiteral("remote_path"), QStringLiteral("/srv/later")},
                                                       {QStringLiteral("create_remote_path"), true}}),
            409, "not_connected");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("name"), QStringLiteral("orphan")}}),
                    400, "validation_failed");
        const Reply spare =
            post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("deadhost")},
                                                       {QStringLiteral("name"), QStringLiteral("spare")}});
        EXPECT(spare, 201);
        const QString sparePath =
            QStringLiteral("/api/dgx/projects/%1").arg(spare.object().value(QStringLiteral("id")).toInt());
        EXPECT(get(QStringLiteral("/api/dgx/projects")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/projects?connection_id=box")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/projects?connection_id=nope")), 404, "not_found");
        EXPECT(put(sparePath, {{QStringLiteral("description"), QStringLiteral("kept for later")}}), 200);
        EXPECT_CODE(put(sparePath, {{QStringLiteral("status"), QStringLiteral("sleeping")}}), 400, "validation_failed");
        EXPECT_CODE(put(QStringLiteral("/api/dgx/projects/999"), {{QStringLiteral("name"), QStringLiteral("x")}}), 404,
                    "not_found");

        // A tracked job (updated from outside) and launched ones.
        const Reply tracked =
            post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), m_project},
                                                   {QStringLiteral("name"), QStringLiteral("tracked")},
                                                   {QStringLiteral("status"), QStringLiteral("running")}});
        EXPECT(tracked, 201);
        const int trackedId = tracked.object().value(QStringLiteral("id")).toInt();
        EXPECT(put(QStringLiteral("/api/dgx/jobs/%1").arg(trackedId),
                   {{QStringLiteral("status"), QStringLiteral("completed")},
                    {QStringLiteral("metrics"), QJsonObject{{QStringLiteral("loss"), 0.1}}}}),
               200);
        EXPECT_CODE(put(QStringLiteral("/api/dgx/jobs/%1").arg(trackedId),
                        {{QStringLiteral("status"), QStringLiteral("done")}}),
                    400, "validation_failed");
        EXPECT_CODE(put(QStringLiteral("/api/dgx/jobs/999"), {{QStringLiteral("name"), QStringLiteral("x")}}), 404,
                    "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("name"), QStringLiteral("no project")}}),
                    400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/jobs/%1/logs").arg(trackedId)), 409, "no_log");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/jobs/%1/start").arg(trackedId)), 400,
                    "validation_failed"); // no command

        const Reply launched =
            post(QStringLiteral("/api/dgx/jobs"),
                 {{QStringLiteral("project_id"), m_project},
                  {QStringLiteral("name"), QStringLiteral("launched")},
                  {QStringLiteral("command"),
                   QStringLiteral("echo hello\necho 'GPUDECK_METRICS {\"epoch\": 1, \"loss\": 0.5}'\n"
                                  "echo bye >&2")},
                  {QStringLiteral("env"), QJsonObject{{QStringLiteral("SEED"), QStringLiteral("1")}}}});
        EXPECT(launched, 201);
        const int id = launched.object().value(QStringLiteral("id")).toInt();
        const QString job = QStringLiteral("/api/dgx/jobs/%1").arg(id);
        EXPECT(post(job + QStringLiteral("/start")), 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobStatus(id), QStringLiteral("completed"), 30000);
        EXPECT_CODE(post(job + QStringLiteral("/cancel")), 409, "conflict"); // it has ended
        EXPECT(get(job + QStringLiteral("/logs?tail=10")), 200);
        EXPECT(get(job + QStringLiteral("/logs?follow=true&attempt=1")), 200); // an event stream that ends at once
        EXPECT_CODE(get(job + QStringLiteral("/logs?tail=-1")), 400, "validation_failed");
        EXPECT_CODE(get(job + QStringLiteral("/logs?attempt=9")), 404, "not_found");
        // A wait on a job that has ended answers at once; a bad wait is refused.
        EXPECT(get(job + QStringLiteral("?wait=5")), 200);
        EXPECT_CODE(get(job + QStringLiteral("?wait=900")), 400, "validation_failed");
        // The events stream never ends: read until enough arrived. An id of no run gets a reset; from just before
        // this run's first event, everything kept so far (links, jobs, alerts, metrics samples, the catalog) is
        // replayed, each event checked against the stream's contentSchema.
        EXPECT(stream(QStringLiteral("/api/events?topics=all"),
                      [](const QByteArray &body) { return body.contains("event: reset"); }, {{"Last-Event-ID", "1"}}),
               200);
        const EventHub &hub = m_tc->core().eventHub();
        const quint64 beforeFirst = hub.lastId() - hub.publishedCount();
        const Reply replay = stream(
            QStringLiteral("/api/events?topics=all&last_event_id=%1").arg(beforeFirst),
            [](const QByteArray &body) { return body.contains("event: job.status") && body.count("\nevent: ") >= 10; },
            {}, 5000);
        EXPECT(replay, 200);
        QVERIFY2(replay.body.contains("event: job.status") && !replay.body.contains("event: reset"),
                 replay.body.left(2000).constData());
        EXPECT_CODE(get(QStringLiteral("/api/events?topics=jobs")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/events?last_event_id=yesterday")), 400, "validation_failed");
        EXPECT(get(job + QStringLiteral("/attempts")), 200);
        EXPECT(get(job + QStringLiteral("/metrics")), 200);
        EXPECT(get(job + QStringLiteral("/metrics?attempt=1")), 200);
        EXPECT_CODE(get(job + QStringLiteral("/metrics?attempt=0")), 400, "validation_failed");
        EXPECT_CODE(get(job + QStringLiteral("/metrics?attempt=9")), 404, "not_found");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/jobs/999/attempts")), 404, "not_found");

        // One that runs until cancelled.
        const Reply sleeper =
            post(QStringLiteral("/api/dgx/jobs"), {{QStringLiteral("project_id"), m_project},
                                                   {QStringLiteral("name"), QStringLiteral("sleeper")},
                                                   {QStringLiteral("command"), QStringLiteral("sleep 60")}});
        EXPECT(sleeper, 201);
        const QString sleeperPath =
            QStringLiteral("/api/dgx/jobs/%1").arg(sleeper.object().value(QStringLiteral("id")).toInt());
        EXPECT(post(sleeperPath + QStringLiteral("/start"), {{QStringLiteral("create_remote_path"), false}}), 200);
        EXPECT(get(QStringLiteral("/api/dgx/fleet")), 200); // with a running job
        EXPECT_CODE(post(sleeperPath + QStringLiteral("/start")), 409, "conflict");
        EXPECT_CODE(post(sleeperPath + QStringLiteral("/cancel"), {{QStringLiteral("grace_s"), -1}}), 400,
                    "validation_failed");
        if (dryRuns()) {
            EXPECT(post(sleeperPath + QStringLiteral("/cancel"), {{QStringLiteral("dry_run"), true}}), 200);
            EXPECT(del(sleeperPath + QStringLiteral("?dry_run=true")), 200);
            EXPECT_CODE(del(sleeperPath + QStringLiteral("?dry_run=maybe")), 400, "validation_failed");
        }
        if (takes(QStringLiteral("GET /api/dgx/jobs/:id"), QStringLiteral("wait"))) {
            EXPECT(get(job + QStringLiteral("?wait=1")), 200);           // final already: at once
            EXPECT(get(sleeperPath + QStringLiteral("?wait=0.2")), 200); // still running when the wait ends
            EXPECT_CODE(get(job + QStringLiteral("?wait=forever")), 400, "validation_failed");
        }
        EXPECT(post(sleeperPath + QStringLiteral("/cancel"), {{QStringLiteral("grace_s"), 1}}), 200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/jobs/999/start")), 404, "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/jobs/999/cancel")), 404, "not_found");

        EXPECT(get(QStringLiteral("/api/dgx/jobs")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/jobs?project_id=%1").arg(m_project)), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/jobs?project_id=x")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/jobs?project_id=999")), 404, "not_found");
        EXPECT(get(job), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/jobs/999")), 404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/projects/%1").arg(m_project)), 200); // with its jobs
        EXPECT_CODE(get(QStringLiteral("/api/dgx/projects/999")), 404, "not_found");
        EXPECT(del(QStringLiteral("/api/dgx/jobs/%1").arg(trackedId)), 204);
        EXPECT_CODE(del(QStringLiteral("/api/dgx/jobs/%1").arg(trackedId)), 404, "not_found");
        EXPECT(del(sparePath), 204);
        EXPECT_CODE(del(sparePath), 404, "not_found");
    }

    void modelsAndProxy()
    {
        QFile f(m_tc->dataDir() + QStringLiteral("/models.yaml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(catalogYaml());
        f.close();
        QTRY_COMPARE(m_tc->core().models().catalog().modelIds().size(), 4);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_tc->core().models().serving(QStringLiteral("box")).health != Health::Unknown, 15000);
        EXPECT(get(QStringLiteral("/api/dgx/models")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/services?refresh=true")), 200);
        EXPECT(get(QStringLiteral("/v1/models")), 200);
        EXPECT_CODE(
            post(QStringLiteral("/v1/chat/completions"), {{QStringLiteral("model"), QStringLiteral("model-a")}}), 503,
            "model_not_up");

        const QJsonObject swapA{{QStringLiteral("host"), QStringLiteral("box")},
                                {QStringLiteral("model"), QStringLiteral("model-a")}};
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap"), swapA), 400, "confirmation_required");
        EXPECT_CODE(
            post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("nowhere")},
                                                          {QStringLiteral("model"), QStringLiteral("model-a")}}),
            400, "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap"),
                         {{QStringLiteral("host"), QStringLiteral("deadhost")},
                          {QStringLiteral("model"), QStringLiteral("example/elsewhere")},
                          {QStringLiteral("confirm"), true}}),
                    409, "not_connected");
        QJsonObject confirmed = swapA;
        confirmed.insert(QStringLiteral("confirm"), true);
        const Reply started = post(QStringLiteral("/api/dgx/models/swap"), confirmed);
        EXPECT(started, 202);
        const QString swapId = started.object().value(QStringLiteral("id")).toString();
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap"), confirmed), 409, "swap_in_progress");
        EXPECT(get(QStringLiteral("/api/dgx/models")), 200); // while swapping
        QCOMPARE(waitSwap(swapId).value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap/%1/cancel").arg(swapId)), 409, "swap_not_cancellable");
        EXPECT(get(QStringLiteral("/api/dgx/models/swap/%1?wait=5").arg(swapId)), 200); // finished: at once
        EXPECT_CODE(get(QStringLiteral("/api/dgx/models/swap/%1?wait=x").arg(swapId)), 400, "validation_failed");
        EXPECT(get(QStringLiteral("/api/dgx/fleet")), 200); // with a served model
        const QJsonObject huge{{QStringLiteral("host"), QStringLiteral("box")},
                               {QStringLiteral("model"), QStringLiteral("example/huge")},
                               {QStringLiteral("confirm"), true}};
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap"), huge), 409, "does_not_fit");
        if (takes(QStringLiteral("GET /api/dgx/models/swap/:id"), QStringLiteral("wait"))) {
            EXPECT(get(QStringLiteral("/api/dgx/models/swap/%1?wait=1").arg(swapId)), 200);
            EXPECT_CODE(get(QStringLiteral("/api/dgx/models/swap/%1?wait=-1").arg(swapId)), 400, "validation_failed");
        }
        if (dryRuns()) {
            EXPECT(
                post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("box")},
                                                              {QStringLiteral("model"), QStringLiteral("example/slow")},
                                                              {QStringLiteral("dry_run"), true}}),
                200);
            EXPECT(
                post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("box")},
                                                              {QStringLiteral("model"), QStringLiteral("example/huge")},
                                                              {QStringLiteral("dry_run"), true}}),
                200); // would_refuse: does_not_fit, with the figures
            EXPECT(
                post(QStringLiteral("/api/dgx/models/swap/%1/cancel").arg(swapId), {{QStringLiteral("dry_run"), true}}),
                200);
        }
        EXPECT_CODE(get(QStringLiteral("/api/dgx/models/swap/swap-999")), 404, "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/models/swap/swap-999/cancel")), 404, "not_found");

        // The proxy, to the model now served.
        const QJsonArray messages{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                              {QStringLiteral("content"), QStringLiteral("hi")}}};
        EXPECT(post(QStringLiteral("/v1/chat/completions"),
                    {{QStringLiteral("model"), QStringLiteral("model-a")}, {QStringLiteral("messages"), messages}}),
               200);
        const Reply streamed =
            post(QStringLiteral("/v1/chat/completions"), {{QStringLiteral("model"), QStringLiteral("example/model-a")},
                                                          {QStringLiteral("messages"), messages},
                                                          {QStringLiteral("stream"), true}});
        EXPECT(streamed, 200);
        QVERIFY2(streamed.contentType.startsWith("text/event-stream"), streamed.contentType.constData());
        EXPECT(post(QStringLiteral("/v1/completions"), {{QStringLiteral("model"), QStringLiteral("model-a")},
                                                        {QStringLiteral("prompt"), QStringLiteral("hi")}}),
               200);
        EXPECT(post(QStringLiteral("/v1/embeddings"), {{QStringLiteral("model"), QStringLiteral("model-a")},
                                                       {QStringLiteral("input"), QStringLiteral("hi")}}),
               200);
        EXPECT_CODE(post(QStringLiteral("/v1/completions"), {{QStringLiteral("prompt"), QStringLiteral("hi")}}), 400,
                    "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/v1/embeddings"), {{QStringLiteral("model"), QStringLiteral("nope")}}), 400,
                    "model_not_found");
        EXPECT_CODE(post(QStringLiteral("/v1/chat/completions"),
                         {{QStringLiteral("model"), QStringLiteral("example/elsewhere")}}),
                    503, "model_not_up");
        EXPECT(get(QStringLiteral("/v1/models")), 200);
        // The model's own log (the fake server's request lines): the last lines, and followed as an event stream.
        EXPECT(get(QStringLiteral("/api/dgx/models/logs?model=example/model-a&tail=5")), 200);
        const Reply followed = stream(QStringLiteral("/api/dgx/models/logs?model=model-a&host=box&follow=true&tail=2"),
                                      [](const QByteArray &body) { return body.contains("data: "); });
        EXPECT(followed, 200);
        QVERIFY2(followed.contentType.startsWith("text/event-stream"), followed.contentType.constData());
        EXPECT_CODE(get(QStringLiteral("/api/dgx/models/logs?model=example/nothing")), 404, "not_found");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/models/logs?model=example/model-a&tail=x")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/models/logs?model=example/elsewhere&follow=true")), 409,
                    "not_connected");
        // Rerank and speech (JSON in); audio uploads (multipart in, streamed).
        const QJsonObject rerank{{QStringLiteral("model"), QStringLiteral("model-a")},
                                 {QStringLiteral("query"), QStringLiteral("q")},
                                 {QStringLiteral("documents"), QJsonArray{QStringLiteral("a")}}};
        EXPECT(post(QStringLiteral("/v1/rerank"), rerank), 200);
        EXPECT(post(QStringLiteral("/rerank"), rerank), 200);
        EXPECT_CODE(post(QStringLiteral("/rerank"), {{QStringLiteral("model"), QStringLiteral("nope")}}), 400,
                    "model_not_found");
        EXPECT_CODE(post(QStringLiteral("/v1/audio/speech"), {{QStringLiteral("model"), QStringLiteral("nope")}}), 400,
                    "model_not_found");
        const QByteArray form = "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmodel-a\r\n"
                                "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n"
                                "RIFF....\r\n--xyz--\r\n";
        for (const QString &path :
             {QStringLiteral("/v1/audio/transcriptions"), QStringLiteral("/v1/audio/translations")}) {
            EXPECT(raw("POST", path,
                       "POST " + path.toLatin1() + " HTTP/1.1\r\n" + hostLine() + authLine() +
                           "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " +
                           QByteArray::number(form.size()) + "\r\n\r\n" + form),
                   200);
            EXPECT_CODE(post(path, {{QStringLiteral("model"), QStringLiteral("model-a")}}), 415,
                        "unsupported_media_type");
        }
        EXPECT_CODE(raw("POST", QStringLiteral("/v1/audio/transcriptions"),
                        "POST /v1/audio/transcriptions HTTP/1.1\r\n" + hostLine() + authLine() +
                            "Content-Type: multipart/form-data; boundary=xyz\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "0\r\n\r\n"),
                    411, "length_required");

        // A swap cancelled while it waits for the new model: the previous one comes back.
        const Reply slow =
            post(QStringLiteral("/api/dgx/models/swap"), {{QStringLiteral("host"), QStringLiteral("box")},
                                                          {QStringLiteral("model"), QStringLiteral("example/slow")},
                                                          {QStringLiteral("confirm"), true}});
        EXPECT(slow, 202);
        const QString slowId = slow.object().value(QStringLiteral("id")).toString();
        EXPECT(post(QStringLiteral("/api/dgx/models/swap/%1/cancel").arg(slowId)), 202);
        QCOMPARE(waitSwap(slowId).value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        EXPECT(get(QStringLiteral("/api/dgx/models/swaps")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/models?refresh=true")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/services")), 200);
    }

    // Routes that other changes add; each is exercised once the server has it (and the route check demands it then).
    void agentRoutes()
    {
        if (has(QStringLiteral("GET /api/openapi.json"))) {
            const Reply served = get(QStringLiteral("/api/openapi.json"));
            EXPECT(served, 200);
            QCOMPARE(served.object().value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
        }
        if (has(QStringLiteral("POST /mcp"))) {
            const QList<QPair<QByteArray, QByteArray>> accept{{"Accept", "application/json, text/event-stream"}};
            auto mcp = [&](const QJsonObject &message, const QList<QPair<QByteArray, QByteArray>> &extra = {}) {
                Options o;
                o.headers = accept + extra;
                return call("POST", QStringLiteral("/mcp"), QJsonDocument(message).toJson(QJsonDocument::Compact), o);
            };
            const QJsonObject init{
                {QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                {QStringLiteral("id"), 1},
                {QStringLiteral("method"), QStringLiteral("initialize")},
                {QStringLiteral("params"),
                 QJsonObject{{QStringLiteral("protocolVersion"), QStringLiteral("2025-06-18")},
                             {QStringLiteral("capabilities"), QJsonObject{}},
                             {QStringLiteral("clientInfo"),
                              QJsonObject{{QStringLiteral("name"), QStringLiteral("tst_api_openapi")},
                                          {QStringLiteral("version"), QStringLiteral("1")}}}}}};
            EXPECT(mcp(init), 200);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("method"), QStringLiteral("notifications/initialized")}}),
                   202);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), 2},
                        {QStringLiteral("method"), QStringLiteral("tools/list")}}),
                   200);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), 3},
                        {QStringLiteral("method"), QStringLiteral("ping")}}),
                   200);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), 4},
                        {QStringLiteral("method"), QStringLiteral("tools/call")},
                        {QStringLiteral("params"), QJsonObject{{QStringLiteral("name"), QStringLiteral("no_such_tool")},
                                                               {QStringLiteral("arguments"), QJsonObject{}}}}}),
                   200);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), 5},
                        {QStringLiteral("method"), QStringLiteral("no/such/method")}}),
                   200);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("1.0")}, {QStringLiteral("id"), 6}}), 400);
            EXPECT(mcp({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("id"), 7},
                        {QStringLiteral("method"), QStringLiteral("ping")}},
                       {{"MCP-Protocol-Version", "1999-01-01"}}),
                   400);
        }
        if (has(QStringLiteral("GET /metrics"))) {
            const Reply scraped = get(QStringLiteral("/metrics"));
            EXPECT(scraped, 200);
            QVERIFY2(scraped.contentType.startsWith("text/plain"), scraped.contentType.constData());
        }
        if (has(QStringLiteral("GET /api/events"))) {
            // Everything kept since the start (or a reset), then live events: read the first few and leave.
            auto events = [](int wanted) {
                return [wanted](const QByteArray &body) {
                    return body.count("\nevent: ") + body.startsWith("event: ") >= wanted;
                };
            };
            EXPECT(stream(QStringLiteral("/api/events?last_event_id=0"), events(1)), 200);
            EXPECT(stream(QStringLiteral("/api/events?topics=all"),
                          [](const QByteArray &body) { return body.contains("\n\n"); }),
                   200);
            EXPECT_CODE(get(QStringLiteral("/api/events?topics=weather")), 400, "validation_failed");
        }
        if (dryRuns()) {
            EXPECT(post(QStringLiteral("/api/dgx/exec/box"),
                        {{QStringLiteral("command"), QStringLiteral("rm -rf /")}, {QStringLiteral("dry_run"), true}}),
                   200);
            EXPECT(post(QStringLiteral("/api/dgx/disconnect/box"), {{QStringLiteral("dry_run"), true}}), 200);
            EXPECT(del(QStringLiteral("/api/dgx/connections/box?dry_run=true")), 200);
            EXPECT(del(QStringLiteral("/api/dgx/projects/%1?dry_run=1").arg(m_project)), 200);
        }
    }

    // RunPod: every route against the fake RunPod (its pods have no sshd here: no connection is made).
    void runpodRoutes()
    {
        if (!has(QStringLiteral("GET /api/runpod/pods"))) {
            return;
        }
        EXPECT(get(QStringLiteral("/api/runpod/credentials")), 200);
        EXPECT(get(QStringLiteral("/api/runpod/gpu-types")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/runpod/gpu-types?cloud=SECURE")), 400, "validation_failed");
        const QJsonObject create{{QStringLiteral("name"), QStringLiteral("oa-pod")},
                                 {QStringLiteral("gpu_type"), QStringLiteral("NVIDIA GeForce RTX 4090")}};
        EXPECT(post(QStringLiteral("/api/runpod/pods"), create), 200); // no confirm: the dry run with the price
        EXPECT_CODE(post(QStringLiteral("/api/runpod/pods"), {{QStringLiteral("name"), QStringLiteral("oa-pod")}}), 400,
                    "validation_failed");
        QJsonObject confirmed = create;
        confirmed.insert(QStringLiteral("confirm"), true);
        const Reply made = post(QStringLiteral("/api/runpod/pods"), confirmed);
        EXPECT(made, 201);
        const QString id = made.object().value(QStringLiteral("id")).toString();
        EXPECT(get(QStringLiteral("/api/runpod/pods")), 200);
        EXPECT(get(QStringLiteral("/api/runpod/pods/") + id), 200);
        EXPECT_CODE(get(QStringLiteral("/api/runpod/pods/nope")), 404, "runpod_not_found");
        const QString action = QStringLiteral("/api/runpod/pods/%1/action").arg(id);
        EXPECT(post(action, {{QStringLiteral("action"), QStringLiteral("stop")}}), 200); // the dry run
        EXPECT_CODE(
            post(action, {{QStringLiteral("action"), QStringLiteral("start")}, {QStringLiteral("confirm"), true}}), 409,
            "runpod_action_not_allowed");
        EXPECT_CODE(post(action, {{QStringLiteral("action"), QStringLiteral("explode")}}), 400, "validation_failed");
        EXPECT(post(action, {{QStringLiteral("action"), QStringLiteral("stop")}, {QStringLiteral("confirm"), true}}),
               200);
        EXPECT(post(QStringLiteral("/api/runpod/ssh-key"), {}), 200);
        if (m_keyringUp) {
            EXPECT_CODE(
                put(QStringLiteral("/api/runpod/credentials"), {{QStringLiteral("api_key"), QStringLiteral("no")}}),
                400, "runpod_key_invalid");
            EXPECT(put(QStringLiteral("/api/runpod/credentials"), {{QStringLiteral("api_key"), m_runpod.apiKey()}}),
                   200);
        } else {
            m_notExercised.insert(QStringLiteral("PUT /api/runpod/credentials"),
                                  QStringLiteral("no Secret Service on this bus for the RunPod API key"));
        }
        EXPECT(
            post(action, {{QStringLiteral("action"), QStringLiteral("terminate")}, {QStringLiteral("confirm"), true}}),
            200);
        QVERIFY2(m_runpod.violations().isEmpty(), qPrintable(m_runpod.violations().join(QLatin1Char('\n'))));
    }

    // Proxmox VE: every route against the fake cluster, the certificate's trust flow included.
    void proxmoxRoutes()
    {
        if (!has(QStringLiteral("GET /api/proxmox/:connection/status"))) {
            return;
        }
        QString error;
        QVERIFY2(m_proxmox.start(&error), qPrintable(error));
        ProxmoxService &proxmox = m_tc->core().proxmox();
        proxmox.setTaskPollIntervalMs(20);
        proxmox.setPollIntervalMs(100); // a read is fresh for 0.1 s: each call below asks the fake
        const QString status = QStringLiteral("/api/proxmox/pve/status");
        const Reply created =
            post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("pve")},
                                                          {QStringLiteral("hostname"), m_proxmox.host()},
                                                          {QStringLiteral("username"), QStringLiteral("root")},
                                                          {QStringLiteral("kind"), QStringLiteral("proxmox")},
                                                          {QStringLiteral("proxmox_token_id"), m_proxmox.tokenId()},
                                                          {QStringLiteral("proxmox_api_port"), m_proxmox.port()}});
        EXPECT(created, 201);
        const qint64 pve = created.object().value(QStringLiteral("id")).toInteger();
        EXPECT_CODE(get(QStringLiteral("/api/proxmox/box/status")), 409, "not_proxmox");
        EXPECT_CODE(get(QStringLiteral("/api/proxmox/nope/resources")), 404, "not_found");
        EXPECT_CODE(post(QStringLiteral("/api/proxmox/pve/trust"), {{QStringLiteral("replace"), true}}), 400,
                    "validation_failed");
        if (!m_keyringUp) {
            const QString why = QStringLiteral("no Secret Service on this bus for the Proxmox token secret");
            for (const QString &route : m_routes) {
                if (route.contains(QStringLiteral("/api/proxmox/"))) {
                    m_notExercised.insert(route, why);
                }
            }
            return;
        }
        EXPECT_CODE(get(status), 409, "proxmox_token_secret_missing");
        EXPECT(put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                   {{QStringLiteral("proxmox_token_secret"), m_proxmox.tokenSecret()}}),
               204);
        EXPECT_CODE(get(status), 409, "certificate_unknown");
        EXPECT_CODE(get(QStringLiteral("/api/proxmox/pve/storage")), 409, "certificate_unknown");
        const QString wrong = m_proxmox.otherFingerprint();
        EXPECT_CODE(post(QStringLiteral("/api/proxmox/pve/trust"), {{QStringLiteral("accept_fingerprint"), wrong}}),
                    409, "certificate_mismatch");
        EXPECT(post(QStringLiteral("/api/proxmox/pve/trust"),
                    {{QStringLiteral("accept_fingerprint"), m_proxmox.fingerprint()}}),
               200);
        EXPECT(get(status), 200);
        EXPECT(get(QStringLiteral("/api/proxmox/pve/resources")), 200);
        EXPECT(get(QStringLiteral("/api/proxmox/pve/resources?type=qemu,lxc&node=pve1")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/proxmox/pve/resources?type=vm")), 400, "validation_failed");
        EXPECT(get(QStringLiteral("/api/proxmox/pve/storage")), 200);
        const QString action = QStringLiteral("/api/proxmox/pve/resources/101/action");
        EXPECT(post(action, {{QStringLiteral("action"), QStringLiteral("start")}}), 200); // no confirm: dry run
        EXPECT(post(action, {{QStringLiteral("action"), QStringLiteral("shutdown")},
                             {QStringLiteral("timeout_s"), 30},
                             {QStringLiteral("dry_run"), true}}),
               200);
        EXPECT_CODE(post(action, {{QStringLiteral("action"), QStringLiteral("destroy")}}), 400, "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/proxmox/pve/resources/999/action"),
                         {{QStringLiteral("action"), QStringLiteral("stop")}, {QStringLiteral("confirm"), true}}),
                    404, "not_found");
        const Reply started =
            post(action, {{QStringLiteral("action"), QStringLiteral("start")}, {QStringLiteral("confirm"), true}});
        EXPECT(started, 202);
        const QString task =
            QStringLiteral("/api/proxmox/pve/tasks/") + started.object().value(QStringLiteral("upid")).toString();
        EXPECT(get(task), 200);
        const Reply ended = get(task + QStringLiteral("?wait=20")); // answered when it ends
        EXPECT(ended, 200);
        QCOMPARE(ended.object().value(QStringLiteral("status")).toString(), QStringLiteral("stopped"));
        EXPECT_CODE(get(task + QStringLiteral("?wait=-1")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/proxmox/pve/tasks/not-a-upid")), 400, "validation_failed");
        EXPECT_CODE(
            get(QStringLiteral("/api/proxmox/pve/tasks/UPID:pve1:0000AAAA:00000001:00000001:qmstart:100:x@pam:")), 404,
            "not_found");
        // A wrong token secret, then the right one again.
        EXPECT(put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                   {{QStringLiteral("proxmox_token_secret"), QStringLiteral("not-the-secret")}}),
               204);
        EXPECT_CODE(get(status), 502, "proxmox_auth_failed");
        EXPECT(put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                   {{QStringLiteral("proxmox_token_secret"), m_proxmox.tokenSecret()}}),
               204);
        // A changed certificate: refused until replaced explicitly.
        QVERIFY2(m_proxmox.renewCertificate(&error), qPrintable(error));
        proxmox.forget(pve); // a poll may have read the old certificate a moment ago: read again
        EXPECT_CODE(get(status), 403, "certificate_changed");
        EXPECT_CODE(post(QStringLiteral("/api/proxmox/pve/trust"),
                         {{QStringLiteral("accept_fingerprint"), m_proxmox.fingerprint()}}),
                    409, "certificate_pinned");
        EXPECT(
            post(QStringLiteral("/api/proxmox/pve/trust"),
                 {{QStringLiteral("accept_fingerprint"), m_proxmox.fingerprint()}, {QStringLiteral("replace"), true}}),
            200);
        EXPECT(get(QStringLiteral("/api/dgx/alerts?connection_id=pve")), 200); // the certificate alert, ended
        m_proxmox.stop();
        proxmox.forget(pve);
        EXPECT_CODE(get(status), 502, "proxmox_unreachable");
    }

    // Sync of a small git work tree to the test sshd, the way back, the operations and a cancel.
    void syncRoutes()
    {
        QTemporaryDir repo;
        QVERIFY(repo.isValid());
        auto git = [&](const QStringList &args) {
            QProcess p;
            p.setWorkingDirectory(repo.path());
            p.start(QStringLiteral("git"),
                    QStringList{QStringLiteral("-c"), QStringLiteral("user.name=Test"), QStringLiteral("-c"),
                                QStringLiteral("user.email=test@example.invalid")} +
                        args);
            return p.waitForFinished(30000) && p.exitCode() == 0;
        };
        QVERIFY(git({QStringLiteral("init"), QStringLiteral("-q")}));
        for (int i = 0; i < 40; ++i) {
            QFile f(repo.filePath(QStringLiteral("f%1.txt").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(256 * 1024, static_cast<char>('a' + i % 26)));
        }
        QVERIFY(git({QStringLiteral("add"), QStringLiteral(".")}));
        QVERIFY(git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("x")}));
        QTemporaryDir plain;
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("box")},
                                                               {QStringLiteral("name"), QStringLiteral("plain")},
                                                               {QStringLiteral("local_path"), plain.path()}}),
                    400, "not_a_git_work_tree");
        const QString remote = QStringLiteral("~/openapi-sync-%1").arg(QCoreApplication::applicationPid());
        const Reply created =
            post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("box")},
                                                       {QStringLiteral("name"), QStringLiteral("synced")},
                                                       {QStringLiteral("remote_path"), remote},
                                                       {QStringLiteral("create_remote_path"), true},
                                                       {QStringLiteral("local_path"), repo.path()},
                                                       {QStringLiteral("extra_files"), QJsonArray{}}});
        EXPECT(created, 201);
        const int project = created.object().value(QStringLiteral("id")).toInt();
        const QString sync = QStringLiteral("/api/dgx/projects/%1/sync").arg(project);
        const Reply done = post(sync + QStringLiteral("?wait=60"));
        EXPECT(done, 200);
        const QString id = done.object().value(QStringLiteral("id")).toString();
        EXPECT_CODE(post(sync, {{QStringLiteral("verify"), 1}}), 400, "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects/%1/sync").arg(m_project)), 400, "no_local_path");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects/999/sync")), 404, "not_found");
        EXPECT(get(QStringLiteral("/api/dgx/sync")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/sync?project_id=%1").arg(project)), 200);
        EXPECT(get(QStringLiteral("/api/dgx/sync/") + id), 200);
        EXPECT(get(QStringLiteral("/api/dgx/sync/%1?wait=5").arg(id)), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/sync/sync-999999")), 404, "no_sync");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/sync/%1/cancel").arg(id)), 409, "sync_ended");
        // A sync that must send everything again (verify after the host lost the files), cancelled while it runs.
        QProcess::execute(QStringLiteral("/bin/sh"),
                          {QStringLiteral("-c"), QStringLiteral("rm -f %1/openapi-sync-%2/f*.txt")
                                                     .arg(m_sshd.homeDir())
                                                     .arg(QCoreApplication::applicationPid())});
        const Reply running = post(sync, {{QStringLiteral("verify"), true}});
        EXPECT(running, 202);
        EXPECT_CODE(post(sync), 409, "sync_in_progress");
        const Reply cancel = post(
            QStringLiteral("/api/dgx/sync/%1/cancel").arg(running.object().value(QStringLiteral("id")).toString()));
        if (cancel.status == 409) {
            m_notExercised.insert(QStringLiteral("POST /api/dgx/sync/:id/cancel"),
                                  QStringLiteral("the sync ended before the cancel reached it"));
        } else {
            EXPECT(cancel, 200);
        }
        EXPECT(get(QStringLiteral("/api/dgx/sync/%1?wait=30")
                       .arg(running.object().value(QStringLiteral("id")).toString())),
               200);
        QTemporaryDir back;
        EXPECT(post(QStringLiteral("/api/dgx/projects/%1/pull?wait=60").arg(project),
                    {{QStringLiteral("paths"), QJsonArray{QStringLiteral(".")}},
                     {QStringLiteral("local_dir"), back.path()}}),
               200);
        EXPECT(post(QStringLiteral("/api/dgx/projects/%1/pull").arg(project),
                    {{QStringLiteral("paths"), QJsonArray{QStringLiteral("f1.txt")}},
                     {QStringLiteral("local_dir"), back.path()}}),
               202);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects/%1/pull").arg(project),
                         {{QStringLiteral("paths"), QJsonArray{}}, {QStringLiteral("local_dir"), back.path()}}),
                    400, "validation_failed");
        EXPECT_CODE(post(QStringLiteral("/api/dgx/projects/%1/pull").arg(project),
                         {{QStringLiteral("paths"), QJsonArray{QStringLiteral("x")}},
                          {QStringLiteral("local_dir"), QStringLiteral("relative")}}),
                    400, "validation_failed");
        QTRY_VERIFY_WITH_TIMEOUT(get(QStringLiteral("/api/dgx/sync?project_id=%1").arg(project))
                                     .array()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("finished_at"))
                                     .isString(),
                                 30000);
        EXPECT(del(QStringLiteral("/api/dgx/projects/%1").arg(project)), 204);
        QProcess::execute(
            QStringLiteral("/bin/rm"),
            {QStringLiteral("-rf"),
             QStringLiteral("%1/openapi-sync-%2").arg(m_sshd.homeDir()).arg(QCoreApplication::applicationPid())});
    }

    void teardownAnswers()
    {
        // The report after jobs ended, a swap and links that went up and down: its history sections filled in.
        EXPECT(get(QStringLiteral("/api/dgx/report")), 200);
        EXPECT_CODE(del(QStringLiteral("/api/dgx/connections/box")), 409, "conflict"); // it has a project
        EXPECT(del(QStringLiteral("/api/dgx/projects/%1").arg(m_project)), 204);
        // Connect all (failures are per host: auth_failed, connect_failed) and Disconnect all.
        EXPECT(post(QStringLiteral("/api/dgx/connections/connect-all")), 200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections/connect-all"), {{QStringLiteral("hosts"), 1}}), 400,
                    "validation_failed");
        EXPECT(post(QStringLiteral("/api/dgx/connections/disconnect-all"), {{QStringLiteral("dry_run"), true}}), 200);
        EXPECT_CODE(post(QStringLiteral("/api/dgx/connections/disconnect-all"), {{QStringLiteral("dry_run"), 1}}), 400,
                    "validation_failed");
        EXPECT(post(QStringLiteral("/api/dgx/connections/disconnect-all")), 200);
        EXPECT(post(QStringLiteral("/api/dgx/disconnect/box")), 200);
        EXPECT(del(QStringLiteral("/api/dgx/connections/box?force=true")), 204);
        // The audit log of all the above (origin api).
        EXPECT(get(QStringLiteral("/api/dgx/audit")), 200);
        EXPECT(get(QStringLiteral("/api/dgx/audit?origin=api&limit=5")), 200);
        EXPECT_CODE(get(QStringLiteral("/api/dgx/audit?origin=web")), 400, "validation_failed");
        EXPECT_CODE(get(QStringLiteral("/api/dgx/audit?limit=0")), 400, "validation_failed");
        EXPECT(get(QStringLiteral("/api/dgx/connections")), 200);
    }

    // Last: every route exercised (or listed with its reason), and every answer as the description says.
    void everyAnswerMatchesTheDescription()
    {
        QStringList missing;
        for (const QString &route : std::as_const(m_routes)) {
            if (!m_succeeded.contains(route) && !m_notExercised.contains(route)) {
                missing << route;
            }
        }
        for (auto it = m_notExercised.cbegin(); it != m_notExercised.cend(); ++it) {
            qInfo("not exercised: %s (%s)", qPrintable(it.key()), qPrintable(it.value()));
        }

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString answers = dir.filePath(QStringLiteral("answers.json"));
        QFile out(answers);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QJsonObject queryParams;
        const QHash<QString, QStringList> params = m_tc->core().apiQueryParams();
        for (auto it = params.cbegin(); it != params.cend(); ++it) {
            queryParams.insert(it.key(), QJsonArray::fromStringList(it.value()));
        }
        out.write(QJsonDocument(QJsonObject{{QStringLiteral("routes"), QJsonArray::fromStringList(m_routes)},
                                            {QStringLiteral("query_params"), queryParams},
                                            {QStringLiteral("answers"), m_answers}})
                      .toJson());
        out.close();
        if (qEnvironmentVariableIsSet("GPUDECK_KEEP_ANSWERS")) { // to look at what was checked
            QFile::remove(qEnvironmentVariable("GPUDECK_KEEP_ANSWERS"));
            QFile::copy(answers, qEnvironmentVariable("GPUDECK_KEEP_ANSWERS"));
        }

        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GPUDECK_TEST_TOOLS"), kTools);
        node.setProcessEnvironment(env);
        node.setProcessChannelMode(QProcess::MergedChannels);
        node.start(kTools + QStringLiteral("/.bin/node"),
                   {QStringLiteral(GPUDECK_VALIDATE_ANSWERS), QStringLiteral(GPUDECK_OPENAPI_YAML), answers});
        QVERIFY2(node.waitForFinished(120000), "the validator did not finish");
        const QByteArray said = node.readAll();
        qInfo("%d answers recorded; the validator: %s", int(m_answers.size()), said.trimmed().constData());
        QStringList failures = m_problems;
        if (!missing.isEmpty()) {
            failures << QStringLiteral("routes with no successful answer in this test (exercise them, or list them in "
                                       "kNotExercised with the reason): ") +
                            missing.join(QStringLiteral(", "));
        }
        if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0) {
            failures << QString::fromUtf8(said);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestApiOpenApi)
#include "tst_api_openapi.moc"
