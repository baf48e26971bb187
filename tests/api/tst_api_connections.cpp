#include "HttpClient.h"
#include "TestCore.h"

#include <QTest>

using namespace gpudeck;
using test::HttpClient;

class TestApiConnections : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    QJsonObject createSpark(const QString &name = QStringLiteral("spark-1"))
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), name},
                                     {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")},
                                     {QStringLiteral("username"), QStringLiteral("ops")},
                                     {QStringLiteral("kind"), QStringLiteral("dgx-spark")}});
        if (r.status != 201) {
            qWarning() << r.body;
        }
        return r.object();
    }

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

    void createAndList()
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("spark-1")},
                                     {QStringLiteral("hostname"), QStringLiteral("203.0.113.10")},
                                     {QStringLiteral("username"), QStringLiteral("ops")},
                                     {QStringLiteral("port"), 2222},
                                     {QStringLiteral("ssh_key_path"), QStringLiteral("/home/ops/.ssh/id_ed25519")}});
        QCOMPARE(r.status, 201);
        const QJsonObject c = r.object();
        for (const char *field : {"id", "name", "hostname", "username", "ssh_key_path", "port", "is_active",
                                  "last_connected_at", "created_at", "updated_at"}) {
            QVERIFY2(c.contains(QLatin1String(field)), field);
        }
        QVERIFY(c.value(QStringLiteral("id")).toInt() > 0);
        QCOMPARE(c.value(QStringLiteral("port")).toInt(), 2222);
        QCOMPARE(c.value(QStringLiteral("is_active")).toBool(), false);
        QVERIFY(c.value(QStringLiteral("last_connected_at")).isNull());
        QCOMPARE(c.value(QStringLiteral("auth_method")).toString(), QStringLiteral("key"));
        QCOMPARE(c.value(QStringLiteral("kind")).toString(), QStringLiteral("generic"));
        QVERIFY(c.value(QStringLiteral("created_at")).toString().endsWith(QLatin1Char('Z')));

        const auto list = m_http->get(QStringLiteral("/api/dgx/connections"));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.array().size(), 1);
        QCOMPARE(list.array().at(0).toObject(), c);
        QCOMPARE(m_tc->core().connections().list()->size(), 1); // really stored
    }

    void createValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QByteArray(R"({"hostname":"203.0.113.10"})") << "name";
        QTest::newRow("no hostname") << QByteArray(R"({"name":"a"})") << "hostname";
        QTest::newRow("empty name") << QByteArray(R"({"name":"  ","hostname":"203.0.113.10"})") << "name";
        QTest::newRow("port as string") << QByteArray(R"({"name":"a","hostname":"h","port":"22"})") << "port";
        QTest::newRow("port out of range") << QByteArray(R"({"name":"a","hostname":"h","port":70000})") << "port";
        QTest::newRow("fractional port") << QByteArray(R"({"name":"a","hostname":"h","port":22.5})") << "port";
        QTest::newRow("name as number") << QByteArray(R"({"name":5,"hostname":"h"})") << "name";
        QTest::newRow("bad kind") << QByteArray(R"({"name":"a","hostname":"h","kind":"vax"})") << "kind";
        QTest::newRow("unknown field") << QByteArray(R"({"name":"a","hostname":"h","passwd":"x"})") << "passwd";
        QTest::newRow("bad mac") << QByteArray(R"({"name":"a","hostname":"h","mac_address":"zz"})") << "mac_address";
        QTest::newRow("watch as string") << QByteArray(R"({"name":"a","hostname":"h","watch":"yes"})") << "watch";
        QTest::newRow("bad wol broadcast")
            << QByteArray(R"({"name":"a","hostname":"h","wol_broadcast":"example.org"})") << "wol_broadcast";
        QTest::newRow("wol port zero") << QByteArray(R"({"name":"a","hostname":"h","wol_port":0})") << "wol_port";
        QTest::newRow("token id without realm")
            << QByteArray(R"({"name":"a","hostname":"h","proxmox_token_id":"root!x"})") << "proxmox_token_id";
        QTest::newRow("proxmox port too big")
            << QByteArray(R"({"name":"a","hostname":"h","proxmox_api_port":65536})") << "proxmox_api_port";
        QTest::newRow("key auth without key")
            << QByteArray(R"({"name":"a","hostname":"h","auth_method":"key"})") << "ssh_key_path";
    }

    void createValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto r = m_http->request("POST", QStringLiteral("/api/dgx/connections"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(), field);
        QVERIFY(!r.object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
        QCOMPARE(m_tc->core().connections().list()->size(), 0);
    }

    void duplicateNameIs409()
    {
        createSpark();
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("spark-1")},
                                     {QStringLiteral("hostname"), QStringLiteral("203.0.113.11")}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("conflict"));
        QCOMPARE(m_tc->core().connections().list()->size(), 1);
    }

    void getByIdOrName()
    {
        const QJsonObject c = createSpark();
        const QString id = QString::number(c.value(QStringLiteral("id")).toInt());
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections/") + id).object(), c);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections/spark-1")).object(), c);
        const auto missing = m_http->get(QStringLiteral("/api/dgx/connections/999"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections/no-such-box")).status, 404);
    }

    void updateIsPartial()
    {
        const QJsonObject c = createSpark();
        const auto r = m_http->put(QStringLiteral("/api/dgx/connections/spark-1"), {{QStringLiteral("port"), 2200}});
        QCOMPARE(r.status, 200);
        const QJsonObject u = r.object();
        QCOMPARE(u.value(QStringLiteral("port")).toInt(), 2200);
        QCOMPARE(u.value(QStringLiteral("hostname")), c.value(QStringLiteral("hostname")));
        QCOMPARE(u.value(QStringLiteral("created_at")), c.value(QStringLiteral("created_at")));
        QVERIFY(u.value(QStringLiteral("updated_at")).toString() >= c.value(QStringLiteral("updated_at")).toString());
        QCOMPARE(m_tc->core().connections().find(QStringLiteral("spark-1"))->port, 2200);

        // What a GET returned can be PUT back unchanged (server-owned fields are ignored).
        QJsonObject back = u;
        back.insert(QStringLiteral("hostname"), QStringLiteral("203.0.113.20"));
        back.insert(QStringLiteral("is_active"), true);
        const auto r2 = m_http->put(QStringLiteral("/api/dgx/connections/spark-1"), back);
        QCOMPARE(r2.status, 200);
        QCOMPARE(r2.object().value(QStringLiteral("hostname")).toString(), QStringLiteral("203.0.113.20"));
        QCOMPARE(r2.object().value(QStringLiteral("is_active")).toBool(), false);
    }

    void updateValidationAndConflicts()
    {
        createSpark();
        createSpark(QStringLiteral("spark-2"));
        const auto bad = m_http->put(QStringLiteral("/api/dgx/connections/spark-2"), {{QStringLiteral("port"), 0}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("port"));
        const auto dup = m_http->put(QStringLiteral("/api/dgx/connections/spark-2"),
                                     {{QStringLiteral("name"), QStringLiteral("spark-1")}});
        QCOMPARE(dup.status, 409);
        QCOMPARE(m_http->put(QStringLiteral("/api/dgx/connections/404"), {{QStringLiteral("port"), 22}}).status, 404);
        QCOMPARE(m_tc->core().connections().find(QStringLiteral("spark-2"))->port, 22);
    }

    void deleteRules()
    {
        const QJsonObject c = createSpark();
        const auto p = m_http->post(QStringLiteral("/api/dgx/projects"),
                                    {{QStringLiteral("connection_id"), c.value(QStringLiteral("id"))},
                                     {QStringLiteral("name"), QStringLiteral("llm")}});
        QVERIFY2(p.status == 201, p.body.constData());
        const auto refused = m_http->del(QStringLiteral("/api/dgx/connections/spark-1"));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), QStringLiteral("conflict"));
        QVERIFY(m_http->get(QStringLiteral("/api/dgx/connections/spark-1")).status == 200);

        const auto forced = m_http->del(QStringLiteral("/api/dgx/connections/spark-1?force=true"));
        QCOMPARE(forced.status, 204);
        QVERIFY(forced.body.isEmpty());
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/connections/spark-1")).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/api/dgx/projects")).array().size(), 0);

        createSpark(QStringLiteral("spark-3"));
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/connections/spark-3")).status, 204);
        QCOMPARE(m_http->del(QStringLiteral("/api/dgx/connections/spark-3")).status, 404);
    }

    void unicodeRoundTrips()
    {
        const auto r = m_http->post(QStringLiteral("/api/dgx/connections"),
                                    {{QStringLiteral("name"), QStringLiteral("labor-ü-箱")},
                                     {QStringLiteral("hostname"), QStringLiteral("box.example.org")}});
        QVERIFY2(r.status == 201, r.body.constData());
        QCOMPARE(r.object().value(QStringLiteral("name")).toString(), QStringLiteral("labor-ü-箱"));
        const auto g = m_http->get(QStringLiteral("/api/dgx/connections/labor-%C3%BC-%E7%AE%B1"));
        QCOMPARE(g.status, 200);
    }
};

QTEST_GUILESS_MAIN(TestApiConnections)
#include "tst_api_connections.moc"
