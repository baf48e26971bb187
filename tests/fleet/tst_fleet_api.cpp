// The fleet over the real API: a real OpenSSH sshd on loopback whose sessions run the replaying fake nvidia-smi
// (real recorded H100 output, 2 GPUs, one process on GPU 0), a real Core and its API on a real socket.
// GET /api/dgx/fleet shows the connected host with its GPUs and verdicts, the one that is not connected, and the
// totals; bad parameters are refused.
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"

#include <QJsonArray>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

namespace {
const QString kGpuUuid = QStringLiteral("GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60");
}

class TestFleetApi : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::FakeNvidiaSmi m_fake;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    QJsonObject fleet(const QString &query = {}) const
    {
        const HttpReply r = m_http->get(QStringLiteral("/api/dgx/fleet") + query);
        if (r.status != 200) {
            qWarning() << r.status << r.body;
        }
        return r.object();
    }

    static QJsonObject host(const QJsonObject &fleet, const QString &name)
    {
        const QJsonArray hosts = fleet.value(QStringLiteral("hosts")).toArray();
        for (const QJsonValue &h : hosts) {
            if (h.toObject().value(QStringLiteral("name")).toString() == name) {
                return h.toObject();
            }
        }
        return {};
    }

    // The host's GPUs once both show and GPU 0's process is known (the host poll runs every 2 s here).
    bool ready() const
    {
        const QJsonArray gpus = host(fleet(), QStringLiteral("gpu-box")).value(QStringLiteral("gpus")).toArray();
        return gpus.size() == 2 && !gpus.at(0).toObject().value(QStringLiteral("processes")).toArray().isEmpty();
    }

    QJsonObject connectionBody(const QString &name) const
    {
        return {{QStringLiteral("name"), name},
                {QStringLiteral("hostname"), m_sshd.host()},
                {QStringLiteral("port"), m_sshd.port()},
                {QStringLiteral("username"), m_sshd.user()},
                {QStringLiteral("auth_method"), QStringLiteral("key")},
                {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_fake.setGpus(2);
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));

        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        m_tc->core().startMonitoring();
        const HttpReply monitoring =
            m_http->put(QStringLiteral("/api/config/monitoring"),
                        {{QStringLiteral("interval_ms"), 1000}, {QStringLiteral("host_poll_ms"), 2000}});
        QVERIFY2(monitoring.status == 200, monitoring.body.constData());

        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/connections"), connectionBody(QStringLiteral("gpu-box"))).status,
                 201);
        QCOMPARE(
            m_http->post(QStringLiteral("/api/dgx/connections"), connectionBody(QStringLiteral("cold-box"))).status,
            201);
        const HttpReply connected =
            m_http->post(QStringLiteral("/api/dgx/connect/gpu-box"),
                         QJsonObject{{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        QVERIFY2(connected.status == 200, connected.body.constData());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_tc.reset();
    }

    void fleetInOneRequest()
    {
        QTRY_VERIFY_WITH_TIMEOUT(ready(), 15000);
        const QJsonObject f = fleet();
        QCOMPARE(f.value(QStringLiteral("free_threshold_percent")).toDouble(), 10.0);
        QCOMPARE(f.value(QStringLiteral("free_window_s")).toInt(), 60);

        const QJsonObject box = host(f, QStringLiteral("gpu-box"));
        const QJsonObject link = box.value(QStringLiteral("link")).toObject();
        QCOMPARE(link.value(QStringLiteral("state")).toString(), QStringLiteral("connected"));
        QVERIFY(parseIsoUtc(link.value(QStringLiteral("since")).toString()).isValid());
        QCOMPARE(box.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("ok"));
        QVERIFY(box.value(QStringLiteral("memory")).toObject().value(QStringLiteral("total_mb")).toDouble() > 0);

        const QJsonArray gpus = box.value(QStringLiteral("gpus")).toArray();
        const QJsonObject g0 = gpus.at(0).toObject();
        QCOMPARE(g0.value(QStringLiteral("gpu_index")).toInt(), 0);
        QCOMPARE(g0.value(QStringLiteral("uuid")).toString(), kGpuUuid);
        QCOMPARE(g0.value(QStringLiteral("name")).toString(), QStringLiteral("NVIDIA H100 80GB HBM3"));
        QVERIFY(g0.value(QStringLiteral("gpu_utilization")).toDouble() >= 98);
        QCOMPARE(g0.value(QStringLiteral("memory_total_mb")).toDouble(), 81559.0);
        QVERIFY(g0.value(QStringLiteral("temperature_c")).toDouble() > 0);
        QVERIFY(g0.value(QStringLiteral("power_watts")).toDouble() > 0);
        // The recorded process (python3, pid 425) runs on GPU 0: not free, and saying so.
        const QJsonObject process = g0.value(QStringLiteral("processes")).toArray().at(0).toObject();
        QCOMPARE(process.value(QStringLiteral("pid")).toInt(), 425);
        QCOMPARE(process.value(QStringLiteral("name")).toString(), QStringLiteral("python3"));
        QCOMPARE(g0.value(QStringLiteral("free")).toBool(), false);
        QCOMPARE(g0.value(QStringLiteral("verdict")).toString(), QStringLiteral("1 process on it"));
        // GPU 1 has no process but runs at 98-99 %: busy, by utilisation.
        const QJsonObject g1 = gpus.at(1).toObject();
        QVERIFY(g1.value(QStringLiteral("processes")).toArray().isEmpty());
        QCOMPARE(g1.value(QStringLiteral("free")).toBool(), false);
        QVERIFY2(g1.value(QStringLiteral("verdict")).toString().contains(QStringLiteral("utilisation reached")),
                 qPrintable(g1.value(QStringLiteral("verdict")).toString()));
        QVERIFY(g1.value(QStringLiteral("peak_utilization")).toDouble() >= 98);
        QCOMPARE(box.value(QStringLiteral("gpus_busy")).toInt(), 2);
        QVERIFY(box.value(QStringLiteral("serving")).isNull()); // not in models.yaml
        QVERIFY(box.value(QStringLiteral("jobs")).toArray().isEmpty());

        // The connection that is not connected is listed too, without GPUs.
        const QJsonObject cold = host(f, QStringLiteral("cold-box"));
        QCOMPARE(cold.value(QStringLiteral("link")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("disconnected"));
        QVERIFY(cold.value(QStringLiteral("gpus")).toArray().isEmpty());

        const QJsonObject totals = f.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("hosts")).toInt(), 2);
        QCOMPARE(totals.value(QStringLiteral("hosts_connected")).toInt(), 1);
        QCOMPARE(totals.value(QStringLiteral("gpus")).toInt(), 2);
        QCOMPARE(totals.value(QStringLiteral("gpus_free")).toInt(), 0);
        QCOMPARE(totals.value(QStringLiteral("gpus_busy")).toInt(), 2);
        QVERIFY(totals.value(QStringLiteral("power_watts")).toDouble() > 600);
        QVERIFY(totals.value(QStringLiteral("memory_used_mb")).toDouble() > 20000);

        // A lenient threshold makes the GPU without a process free once it was watched for the (short) window.
        QTRY_VERIFY_WITH_TIMEOUT(host(fleet(QStringLiteral("?threshold=100&window_s=3")), QStringLiteral("gpu-box"))
                                         .value(QStringLiteral("gpus_free"))
                                         .toInt() == 1,
                                 10000);
        const QJsonObject lenient = fleet(QStringLiteral("?threshold=100&window_s=3"));
        QCOMPARE(lenient.value(QStringLiteral("free_threshold_percent")).toDouble(), 100.0);
        QCOMPARE(lenient.value(QStringLiteral("free_window_s")).toInt(), 3);
        const QJsonArray lenientGpus = host(lenient, QStringLiteral("gpu-box")).value(QStringLiteral("gpus")).toArray();
        QCOMPARE(lenientGpus.at(0).toObject().value(QStringLiteral("free")).toBool(), false); // still its process
        QCOMPARE(lenientGpus.at(1).toObject().value(QStringLiteral("free")).toBool(), true);
    }

    void badParametersAreRefused()
    {
        for (const QString &query :
             {QStringLiteral("?threshold=0"), QStringLiteral("?threshold=101"), QStringLiteral("?threshold=x"),
              QStringLiteral("?window_s=0"), QStringLiteral("?window_s=601"), QStringLiteral("?gpus=1")}) {
            const HttpReply r = m_http->get(QStringLiteral("/api/dgx/fleet") + query);
            QVERIFY2(r.status == 400, qPrintable(query));
            QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        }
        QCOMPARE(m_http->request("GET", QStringLiteral("/api/dgx/fleet"), {}, {}, false).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestFleetApi)
#include "tst_fleet_api.moc"
