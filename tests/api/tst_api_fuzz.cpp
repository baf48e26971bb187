// A seeded fuzz of the API over real sockets (issue 9): malformed HTTP and mutated JSON to every route the
// router knows, for a few seconds. Passes when no answer is a 5xx other than the documented upstream errors
// (502/503/504), every error answer is a JSON error, and the server is healthy afterwards.
// GPUDECK_FUZZ_SEED=<n> replays one run; GPUDECK_FUZZ_MS=<ms> sets its length (default 4000).
#include "HttpClient.h"
#include "RawHttp.h"
#include "TestCore.h"
#include "api/ApiServer.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

using namespace gpudeck;
using namespace gpudeck::test;

class TestApiFuzz : public QObject
{
    Q_OBJECT

    QRandomGenerator m_rng;

    int pick(int n) { return int(m_rng.bounded(n)); }
    template<typename T>
    const T &oneOf(const QList<T> &list)
    {
        return list.at(pick(int(list.size())));
    }

    QJsonValue randomValue(int depth)
    {
        switch (pick(depth > 3 ? 6 : 9)) {
        case 0:
            return QJsonValue();
        case 1:
            return m_rng.bounded(2) == 1;
        case 2:
            return double(qint64(m_rng.generate64()) >> pick(63));
        case 3:
            return oneOf<QString>({QString(), QStringLiteral("x"), QStringLiteral("127.0.0.1"), QStringLiteral("::1"),
                                   QStringLiteral("../../etc/passwd"), QStringLiteral("a b;rm -rf /"),
                                   QString(300, QLatin1Char('z')), QStringLiteral("\u00e9\u4e2d\U0001F600"),
                                   QStringLiteral("generic"), QStringLiteral("local"), QStringLiteral("tmux")});
        case 4:
            return -1.5;
        case 5:
            return 0;
        case 6:
            return randomObject(depth + 1);
        case 7: {
            QJsonArray a;
            for (int i = pick(4); i > 0; --i) {
                a.append(randomValue(depth + 1));
            }
            return a;
        }
        default:
            return QString::number(pick(100000));
        }
    }
    QJsonObject randomObject(int depth)
    {
        static const QStringList keys{
            QStringLiteral("name"),        QStringLiteral("hostname"),  QStringLiteral("port"),
            QStringLiteral("username"),    QStringLiteral("kind"),      QStringLiteral("auth"),
            QStringLiteral("command"),     QStringLiteral("timeout_s"), QStringLiteral("connection_id"),
            QStringLiteral("project_id"),  QStringLiteral("status"),    QStringLiteral("remote_path"),
            QStringLiteral("model"),       QStringLiteral("level"),     QStringLiteral("category"),
            QStringLiteral("metrics"),     QStringLiteral("messages"),  QStringLiteral("backend"),
            QStringLiteral("mac_address"), QStringLiteral("password"),  QStringLiteral("create_remote_path"),
            QStringLiteral("watch"),       QStringLiteral("wol_port"),  QStringLiteral("proxmox_token_id"),
            QStringLiteral("zzz")};
        QJsonObject o;
        for (int i = pick(6); i > 0; --i) {
            o.insert(oneOf(keys), randomValue(depth));
        }
        return o;
    }
    QByteArray mutate(QByteArray bytes, int times)
    {
        static const QByteArray specials("\r\n\0\t :{}[]\",\\\x80\xff", 17);
        for (int i = 0; i < times && !bytes.isEmpty(); ++i) {
            const int at = pick(int(bytes.size()));
            switch (pick(5)) {
            case 0:
                bytes[at] = char(m_rng.bounded(256));
                break;
            case 1:
                bytes.insert(at, specials.at(pick(int(specials.size()))));
                break;
            case 2:
                bytes.remove(at, 1 + pick(8));
                break;
            case 3:
                bytes.insert(at, bytes.mid(pick(int(bytes.size())), pick(16)));
                break;
            default:
                bytes.truncate(at);
                break;
            }
        }
        return bytes;
    }
    QString fillPath(const QString &pattern)
    {
        static const QStringList values{
            QStringLiteral("1"),     QStringLiteral("2"),           QStringLiteral("0"),
            QStringLiteral("-1"),    QStringLiteral("abc"),         QStringLiteral("99999999999999999999"),
            QStringLiteral("%00"),   QStringLiteral(".."),          QStringLiteral("%2e%2e%2f"),
            QStringLiteral("x%20y"), QString(400, QLatin1Char('9'))};
        QStringList parts = pattern.split(QLatin1Char('/'));
        for (QString &p : parts) {
            if (p.startsWith(QLatin1Char(':'))) {
                p = oneOf(values);
            }
        }
        QString path = parts.join(QLatin1Char('/'));
        if (pick(4) == 0) {
            path += oneOf<QString>({QStringLiteral("?limit=-1"), QStringLiteral("?follow=1&offset=x"),
                                    QStringLiteral("?attempt=999"), QStringLiteral("?%zz=%"),
                                    QStringLiteral("?from=a&to=")});
        }
        return path;
    }

private Q_SLOTS:
    void everyRouteUnderFuzz()
    {
        bool seeded = false;
        const quint32 seed = quint32(qEnvironmentVariable("GPUDECK_FUZZ_SEED").toUInt(&seeded));
        m_rng.seed(seeded ? seed : 20261130u);
        qInfo("seed %u (GPUDECK_FUZZ_SEED to replay)", seeded ? seed : 20261130u);
        const int budgetMs =
            qEnvironmentVariableIsSet("GPUDECK_FUZZ_MS") ? qEnvironmentVariableIntValue("GPUDECK_FUZZ_MS") : 4000;

        // Short timeouts, so a request left incomplete by a mutation is answered (408) quickly.
        qputenv("GPUDECK_API_HEAD_TIMEOUT_MS", "200");
        qputenv("GPUDECK_API_IDLE_TIMEOUT_MS", "200");
        qputenv("GPUDECK_API_LINGER_MS", "200");
        TestCore tc;
        qunsetenv("GPUDECK_API_HEAD_TIMEOUT_MS");
        qunsetenv("GPUDECK_API_IDLE_TIMEOUT_MS");
        qunsetenv("GPUDECK_API_LINGER_MS");
        Core &core = tc.core();
        ApiContext context{core.connections(),
                           core.projects(),
                           core.jobs(),
                           core.execLog(),
                           core.ssh(),
                           core.remoteExec(),
                           core.connectionService(),
                           core.metrics(),
                           core.jobRunner(),
                           core.models(),
                           core.eventHub(),
                           core.database().instanceId(),
                           core.audit(),
                           core.proxmox(),
                           core.wake(),
                           core.reports(),
                           core.runpod(),
                           core.sync(),
                           core.modelLogs()};
        const QStringList routes = ApiServer::buildRouter(context).routes();
        QVERIFY(routes.size() > 10);

        // Something for the id routes to find.
        HttpClient http(tc.port(), tc.token());
        QCOMPARE(http.post(QStringLiteral("/api/dgx/connections"),
                           {{QStringLiteral("name"), QStringLiteral("fuzz-1")},
                            {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                            {QStringLiteral("port"), 9}})
                     .status,
                 201);

        const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(tc.port()) + "\r\n";
        const QByteArray auth = "Authorization: Bearer " + tc.token() + "\r\n";
        int requests = 0;
        int answered = 0;
        QMap<int, int> statuses;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < budgetMs) {
            const QStringList route = oneOf(routes).split(QLatin1Char(' '));
            QByteArray method = route.at(0).toLatin1();
            if (pick(10) == 0) {
                method = oneOf<QByteArray>({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"});
            }
            const QByteArray path = fillPath(route.at(1)).toUtf8();
            QByteArray body = QJsonDocument(randomObject(0)).toJson(QJsonDocument::Compact);
            const int kind = pick(10);
            if (kind < 3) {
                body = mutate(body, 1 + pick(4)); // mutated JSON
            }
            QByteArray request = method + ' ' + path + " HTTP/1.1\r\n" + host + (pick(20) ? auth : QByteArray()) +
                                 "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                 QByteArray::number(body.size()) + "\r\n\r\n" + body;
            if (kind >= 8) {
                request = mutate(request, 1 + pick(6)); // malformed HTTP
            }
            bool closed = false;
            const QByteArray bytes = raw::exchange(tc.port(), request, 2000, &closed, true);
            ++requests;
            const raw::Answer a = raw::parse(bytes);
            if (a.status == 0) {
                // Nothing, or not HTTP: only acceptable when the server said nothing at all and closed.
                QVERIFY2(bytes.isEmpty(),
                         (request.left(300).toPercentEncoding() + " -> " + bytes.left(300)).constData());
                continue;
            }
            ++answered;
            statuses[a.status]++;
            const QByteArray what = request.left(300).toPercentEncoding() + " -> " + bytes.left(400);
            QVERIFY2(a.status < 500 || a.status == 502 || a.status == 503 || a.status == 504, what.constData());
            if (a.status >= 400 && !request.startsWith("HEAD ")) { // a HEAD answer has no body
                // The MCP transport answers what it read as JSON-RPC: its errors are JSON-RPC errors (numeric code).
                const QJsonObject rpcError = a.json().value(QStringLiteral("error")).toObject();
                const bool jsonRpcError = path == "/mcp" &&
                                          a.json().value(QStringLiteral("jsonrpc")) == QStringLiteral("2.0") &&
                                          rpcError.value(QStringLiteral("code")).isDouble() &&
                                          !rpcError.value(QStringLiteral("message")).toString().isEmpty();
                QVERIFY2(a.isJsonError() || jsonRpcError, what.constData());
            }
        }
        QString summary;
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it) {
            summary += QStringLiteral(" %1x%2").arg(it.key()).arg(it.value());
        }
        qInfo("%d requests, %d answered:%s", requests, answered, qPrintable(summary));
        QVERIFY(requests > 10); // a sanitizer build manages far fewer than the ~300 of a plain one
        QCOMPARE(http.request("GET", QStringLiteral("/api/health"), {}, {}, false).status, 200);
        QCOMPARE(http.get(QStringLiteral("/api/dgx/connections")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestApiFuzz)
#include "tst_api_fuzz.moc"
