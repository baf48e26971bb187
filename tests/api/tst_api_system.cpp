#include "HttpClient.h"
#include "TestCore.h"
#include "logging/Logging.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;

class TestApiSystem : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

private Q_SLOTS:
    void init()
    {
        LogLevel::set(QStringLiteral("info"));
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }
    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void healthNamesThisInstall()
    {
        const auto r = m_http->request("GET", QStringLiteral("/api/health"), {}, {}, false);
        QCOMPARE(r.status, 200);
        const QString id = r.object().value(QStringLiteral("instance_id")).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{12}$")).match(id).hasMatch(), qPrintable(id));
        QCOMPARE(id, m_tc->core().database().instanceId());

        // Another data dir is another install; the same data dir reopened is the same one.
        test::TestCore other;
        QVERIFY(other.core().database().instanceId() != id);
        const QString dir = m_tc->dataDir();
        m_http.reset();
        m_tc->core().stopApi();
        Core reopened{AppPaths(dir)};
        QVERIFY(reopened.open().ok());
        QCOMPARE(reopened.database().instanceId(), id);
    }

    void readsTheLevel()
    {
        const auto r = m_http->get(QStringLiteral("/api/config/log-level"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("level")).toString(), QStringLiteral("info"));
        QVERIFY(r.object().value(QStringLiteral("categories")).toObject().contains(QStringLiteral("gpudeck.api")));
        QCOMPARE(m_http->request("GET", QStringLiteral("/api/config/log-level"), {}, {}, false).status, 401);
    }

    void changesTheLevelAtRunTime()
    {
        QVERIFY(!lcApi().isDebugEnabled());
        const auto r =
            m_http->post(QStringLiteral("/api/config/log-level"), {{QStringLiteral("level"), QStringLiteral("debug")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("level")).toString(), QStringLiteral("debug"));
        QVERIFY(lcApi().isDebugEnabled());
        QVERIFY(lcStore().isDebugEnabled());

        const auto w = m_http->post(QStringLiteral("/api/config/log-level"),
                                    {{QStringLiteral("level"), QStringLiteral("warning")}});
        QCOMPARE(w.status, 200);
        QVERIFY(!lcApi().isInfoEnabled());
        QVERIFY(lcApi().isWarningEnabled());
    }

    void oneCategoryAlone()
    {
        const auto r = m_http->post(QStringLiteral("/api/config/log-level"),
                                    {{QStringLiteral("level"), QStringLiteral("debug")},
                                     {QStringLiteral("category"), QStringLiteral("gpudeck.store")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(
            r.object().value(QStringLiteral("categories")).toObject().value(QStringLiteral("gpudeck.store")).toString(),
            QStringLiteral("debug"));
        QVERIFY(lcStore().isDebugEnabled());
        QVERIFY(!lcApi().isDebugEnabled());
    }

    void aPortInUseIsReportedAndTheApiCanStartAgain()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        m_http.reset();
        m_tc->core().stopApi();
        const auto failed = m_tc->core().startApi(taken.serverPort());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().reason, QStringLiteral("port_unavailable"));
        QVERIFY(failed.error().message.contains(QString::number(taken.serverPort())));
        QCOMPARE(m_tc->core().apiPort(), quint16(0));

        const auto again = m_tc->core().startApi(0);
        QVERIFY(again.ok());
        HttpClient http(again.value(), m_tc->token());
        QCOMPARE(http.get(QStringLiteral("/api/health")).status, 200);
    }

    void rejectsBadInput()
    {
        const auto bad =
            m_http->post(QStringLiteral("/api/config/log-level"), {{QStringLiteral("level"), QStringLiteral("loud")}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), QStringLiteral("validation_failed"));
        const auto cat = m_http->post(QStringLiteral("/api/config/log-level"),
                                      {{QStringLiteral("level"), QStringLiteral("debug")},
                                       {QStringLiteral("category"), QStringLiteral("qt.network")}});
        QCOMPARE(cat.status, 400);
        const auto empty = m_http->post(QStringLiteral("/api/config/log-level"), {});
        QCOMPARE(empty.status, 400);
        QCOMPARE(LogLevel::level(), QStringLiteral("info"));
    }
};

QTEST_GUILESS_MAIN(TestApiSystem)
#include "tst_api_system.moc"
