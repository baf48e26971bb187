#include "HttpClient.h"
#include "TestCore.h"

#include <QFile>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;

class TestApiSecurity : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }
    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void healthNeedsNoToken()
    {
        const auto r = m_http->request("GET", QStringLiteral("/api/health"), {}, {}, false);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    }

    void missingTokenIs401()
    {
        const auto r = m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {}, false);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
        QCOMPARE(r.header("www-authenticate"), QByteArray("Bearer"));
        // Other methods too, including ones that would change data.
        const auto p = m_http->request("POST", QStringLiteral("/api/dgx/connections"), R"({"name":"x","hostname":"h"})",
                                       {}, false);
        QCOMPARE(p.status, 401);
        QCOMPARE(m_tc->core().connections().list()->size(), 0);
    }

    void wrongTokenIs401()
    {
        const auto r = m_http->request("GET", QStringLiteral("/api/dgx/connections"), {},
                                       {{"Authorization", "Bearer not-the-token"}}, false);
        QCOMPARE(r.status, 401);
        QVERIFY(!r.body.contains(m_tc->token())); // never echo secrets
        const auto k = m_http->request("GET", QStringLiteral("/api/dgx/connections"), {},
                                       {{"X-API-Key", m_tc->token() + "x"}}, false);
        QCOMPARE(k.status, 401);
    }

    void apiKeyHeaderWorks()
    {
        const auto r =
            m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {{"X-API-Key", m_tc->token()}}, false);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.array().size(), 0);
    }

    void foreignHostIs403()
    {
        const auto r = m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {{"Host", "evil.example"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden_host"));
        const auto withPort =
            m_http->request("GET", QStringLiteral("/api/health"), {}, {{"Host", "evil.example:3939"}}, false);
        QCOMPARE(withPort.status, 403);
        for (const QByteArray host : {"localhost:3939", "127.0.0.1", "[::1]:3939"}) {
            QCOMPARE(m_http->request("GET", QStringLiteral("/api/health"), {}, {{"Host", host}}).status, 200);
        }
    }

    void originIs403()
    {
        const auto r =
            m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {{"Origin", "https://evil.example"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden_origin"));
        const auto post = m_http->request("POST", QStringLiteral("/api/dgx/connections"),
                                          R"({"name":"x","hostname":"203.0.113.1"})", {{"Origin", "null"}});
        QCOMPARE(post.status, 403);
        QCOMPARE(m_tc->core().connections().list()->size(), 0);

        // Other loopback origins are pages of other local servers: refused too.
        const QByteArray port = QByteArray::number(m_tc->port());
        for (const QByteArray &origin : {QByteArray("http://127.0.0.1:1"), QByteArray("http://localhost:" + port),
                                         QByteArray("https://127.0.0.1:" + port), QByteArray("http://127.0.0.1")}) {
            QCOMPARE(m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {{"Origin", origin}}).status,
                     403);
        }
    }

    void ownOriginIsAccepted()
    {
        // The request's own origin (what some MCP clients send): no page is ever served from there.
        const QByteArray port = QByteArray::number(m_tc->port());
        QCOMPARE(
            m_http->request("GET", QStringLiteral("/api/dgx/connections"), {}, {{"Origin", "http://127.0.0.1:" + port}})
                .status,
            200);
        QCOMPARE(m_http
                     ->request("GET", QStringLiteral("/api/dgx/connections"), {},
                               {{"Host", "localhost:" + port}, {"Origin", "http://LOCALHOST:" + port}})
                     .status,
                 200);
    }

    void nonJsonBodyIs415()
    {
        const auto r =
            m_http->request("POST", QStringLiteral("/api/dgx/connections"), R"({"name":"x","hostname":"203.0.113.1"})",
                            {{"Content-Type", "text/plain"}}, true, false);
        QCOMPARE(r.status, 415);
        QCOMPARE(r.errorCode(), QStringLiteral("unsupported_media_type"));
        const auto charset =
            m_http->request("POST", QStringLiteral("/api/dgx/connections"), R"({"name":"x","hostname":"203.0.113.1"})",
                            {{"Content-Type", "application/json; charset=utf-8"}}, true, false);
        QCOMPARE(charset.status, 201);
        // The refusal names the header to add.
        QVERIFY2(r.body.contains("-H 'Content-Type: application/json'"), r.body.constData());
        const auto none = m_http->request("POST", QStringLiteral("/api/dgx/connections"),
                                          R"({"name":"y","hostname":"203.0.113.1"})", {}, true, false);
        QCOMPARE(none.status, 415);
        QVERIFY2(none.body.contains("-H 'Content-Type: application/json'"), none.body.constData());
    }

    // What `curl -d` sends without -H: a JSON body labelled application/x-www-form-urlencoded is taken as JSON (the
    // token is header-only and Origins are refused, so a browser form can never get one in); form data is not.
    void formLabelledJsonIsAccepted()
    {
        const QList<QPair<QByteArray, QByteArray>> form{{"Content-Type", "application/x-www-form-urlencoded"}};
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/connections"),
                                       R"({"name":"curl-d","hostname":"203.0.113.1"})", form, true, false);
        QVERIFY2(r.status == 201, r.body.constData());
        const QString path = QStringLiteral("/api/dgx/connections/curl-d");
        QCOMPARE(m_http->request("PUT", path, R"({"port": 2222})", form, true, false).status, 200);
        QCOMPARE(m_http->get(path).object().value(QStringLiteral("port")).toInt(), 2222);

        const auto data = m_http->request("POST", QStringLiteral("/api/dgx/connections"), "name=x&hostname=203.0.113.1",
                                          form, true, false);
        QCOMPARE(data.status, 415);
        QCOMPARE(data.errorCode(), QStringLiteral("unsupported_media_type"));
        QVERIFY2(data.body.contains("-H 'Content-Type: application/json'"), data.body.constData());
        // JSON that is not an object, or broken JSON under the JSON type, is still a JSON error.
        QCOMPARE(m_http->request("POST", QStringLiteral("/api/dgx/connections"), "[1]", form, true, false).errorCode(),
                 QStringLiteral("malformed_json"));
        QCOMPARE(m_http->request("POST", QStringLiteral("/api/dgx/connections"), "name=x").errorCode(),
                 QStringLiteral("malformed_json"));
        QCOMPARE(m_tc->core().connections().list()->size(), 1);
        // A token still matters: the form label opens nothing else.
        QCOMPARE(m_http
                     ->request("POST", QStringLiteral("/api/dgx/connections"),
                               R"({"name":"z","hostname":"203.0.113.1"})", form, false, false)
                     .status,
                 401);
        QCOMPARE(m_http
                     ->request("POST", QStringLiteral("/api/dgx/connections"),
                               R"({"name":"z","hostname":"203.0.113.1"})",
                               {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "null"}}, true, false)
                     .status,
                 403);
    }

    void hugeBodyIs413()
    {
        QByteArray big = "{\"name\":\"x\",\"hostname\":\"203.0.113.1\",\"pad\":\"";
        big += QByteArray(2 * 1024 * 1024, 'a');
        big += "\"}";
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/connections"), big);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errorCode(), QStringLiteral("payload_too_large"));
        QCOMPARE(m_tc->core().connections().list()->size(), 0);
        // The server is still fine afterwards.
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections")).status, 200);
    }

    void malformedJsonIs400()
    {
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/connections"), R"({"name": "x",)");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("malformed_json"));
        const auto array = m_http->request("POST", QStringLiteral("/api/dgx/connections"), R"([1,2])");
        QCOMPARE(array.status, 400);
        QCOMPARE(array.errorCode(), QStringLiteral("malformed_json"));
    }

    void unknownRoutesAndMethodsAreJson()
    {
        const auto r = m_http->get(QStringLiteral("/api/dgx/nothing-here"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
        const auto m = m_http->request("PATCH", QStringLiteral("/api/dgx/connections"), R"({})");
        QCOMPARE(m.status, 405);
        QCOMPARE(m.errorCode(), QStringLiteral("method_not_allowed"));
        QVERIFY(m.header("allow").contains("GET"));
    }

    void tokenFileIsPrivate()
    {
        const QString path = m_tc->core().paths().tokenPath();
        QVERIFY(QFile::exists(path));
        QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                                              QFileDevice::WriteUser),
                 QFileDevice::Permissions());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().trimmed(), m_tc->token());
        QVERIFY(m_tc->token().size() >= 32);
    }

    void environmentTokenWins()
    {
        m_http.reset();
        m_tc.reset();
        qputenv("API_SERVER_KEY", "env-token-for-tests-0123456789");
        QTemporaryDir dir;
        Core core{AppPaths(dir.path())};
        QVERIFY(core.open().ok());
        qunsetenv("API_SERVER_KEY");
        QCOMPARE(core.token().value(), QByteArray("env-token-for-tests-0123456789"));
        QCOMPARE(core.token().source(), ApiToken::Source::Environment);
        auto port = core.startApi(0);
        QVERIFY(port.ok());
        HttpClient http(port.value(), "env-token-for-tests-0123456789");
        QCOMPARE(http.get(QStringLiteral("/api/dgx/connections")).status, 200);
        QVERIFY(!QFile::exists(core.paths().tokenPath()));
    }

    void anExistingDataDirKeepsItsPermissions()
    {
        QTemporaryDir shared;
        QFile::setPermissions(shared.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                 QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                                 QFileDevice::ReadOther | QFileDevice::ExeOther);
        const auto before = QFile::permissions(shared.path());
        {
            Core core{AppPaths(shared.path())};
            QVERIFY(core.open().ok());
        }
        QCOMPARE(QFile::permissions(shared.path()), before);
        // A directory GPU Deck creates is private.
        Core fresh{AppPaths(shared.path() + QStringLiteral("/new"))};
        QVERIFY(fresh.open().ok());
        QVERIFY(!(QFile::permissions(shared.path() + QStringLiteral("/new")) & QFileDevice::ReadOther));
    }

    void portInUseIsAClearError()
    {
        Core second{AppPaths(m_tc->dataDir() + QStringLiteral("/second"))};
        QVERIFY(second.open().ok());
        const auto r = second.startApi(m_tc->port());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QString::number(m_tc->port())), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TestApiSecurity)
#include "tst_api_security.moc"
