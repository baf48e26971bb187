// The fleet over the real API: a real OpenSSH sshd on loopback whose sessions run the replaying fake nvidia-smi
// (real recorded H100 output, 2 GPUs, one process on GPU 0), a real Core and its API on a real socket.
// GET /api/dgx/fleet shows the connected host with its GPUs and verdicts, the one that is not connected, and the
// totals; bad parameters are refused. GET /metrics passes promtool's check, and a real Prometheus (the Debian
// package) scraping GPU Deck with the bearer token in its scrape config shows the series in its own API.
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "Ports.h"
#include "SshServer.h"
#include "TestCore.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;
using test::freePort;
using test::HttpClient;
using test::HttpReply;

namespace {

const QString kGpuUuid = QStringLiteral("GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60");

// A Prometheus server of its own: a temporary storage and configuration, on a free loopback port.
class Prometheus
{
public:
    ~Prometheus()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
    }

    // Starts it scraping `target` (host:port) every second with `token`; false with the reason when it cannot.
    bool start(const QString &target, const QByteArray &token, QString *error)
    {
        const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (binary.isEmpty()) {
            *error =
                QStringLiteral("prometheus is not installed (Debian package prometheus; installer/debian-deps.sh)");
            return false;
        }
        QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
        if (!m_dir.isValid() || !config.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write the Prometheus configuration");
            return false;
        }
        config.write(QStringLiteral("global:\n"
                                    "  scrape_interval: 1s\n"
                                    "  scrape_timeout: 1s\n"
                                    "scrape_configs:\n"
                                    "  - job_name: gpudeck\n"
                                    "    metrics_path: /metrics\n"
                                    "    authorization:\n"
                                    "      type: Bearer\n"
                                    "      credentials: '%1'\n"
                                    "    static_configs:\n"
                                    "      - targets: ['%2']\n")
                         .arg(QString::fromLatin1(token), target)
                         .toUtf8());
        config.close();
        // A port found free can be taken before Prometheus binds it: then it exits at once, and another is tried.
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = freePort();
            m_process.setWorkingDirectory(m_dir.path());
            m_process.setProcessChannelMode(QProcess::MergedChannels);
            m_process.start(binary,
                            {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                             QStringLiteral("--storage.tsdb.path=%1").arg(m_dir.filePath(QStringLiteral("data"))),
                             QStringLiteral("--config.file=%1").arg(config.fileName())});
            if (!m_process.waitForStarted(10000)) {
                *error = m_process.errorString();
                return false;
            }
            // Ready (its HTTP API answers) or gone, whichever comes first.
            const bool ready = QTest::qWaitFor(
                [this] {
                    return m_process.state() == QProcess::NotRunning ||
                           test::HttpClient(m_port, {})
                                   .request("GET", QStringLiteral("/-/ready"), {}, {}, false)
                                   .status == 200;
                },
                60000);
            if (ready && m_process.state() == QProcess::Running) {
                return true;
            }
            *error =
                QStringLiteral("prometheus did not start: %1").arg(QString::fromUtf8(m_process.readAll().right(2000)));
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        return false;
    }

    // GET on Prometheus's own HTTP API (`target`: path and query, encoded).
    QJsonObject api(const QString &target) const
    {
        return test::HttpClient(m_port, {}).request("GET", target, {}, {}, false).object();
    }

    // The result vector of an instant query.
    QJsonArray query(const QString &promql) const
    {
        return api(QStringLiteral("/api/v1/query?query=") + QString::fromLatin1(QUrl::toPercentEncoding(promql)))
            .value(QStringLiteral("data"))
            .toObject()
            .value(QStringLiteral("result"))
            .toArray();
    }

    QString log() { return QString::fromUtf8(m_process.readAll().right(4000)); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace

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

    // GET /metrics as text, in the exposition format promtool accepts, with dcgm-exporter's series for the host.
    void metricsScrape()
    {
        QTRY_VERIFY_WITH_TIMEOUT(ready(), 15000);
        const HttpReply r = m_http->get(QStringLiteral("/metrics"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY2(r.body.contains("\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"" + kGpuUuid.toUtf8() +
                                 "\",pci_bus_id=\"00000000:00:06.0\",device=\"nvidia0\","
                                 "modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"gpu-box\"} "),
                 r.body.constData());
        QVERIFY(r.body.contains("\nDCGM_FI_DEV_FB_USED{gpu=\"1\","));
        QVERIFY(r.body.contains("\ngpudeck_host_up{connection=\"gpu-box\",kind=\"generic\"} 1\n"));
        QVERIFY(r.body.contains("\ngpudeck_host_up{connection=\"cold-box\",kind=\"generic\"} 0\n"));
        QVERIFY(r.body.contains("\ngpudeck_jobs{state=\"running\"} 0\n"));
        // The requests made so far are counted (this one is not yet).
        QVERIFY2(r.body.contains("\ngpudeck_api_requests_total{method=\"GET\",route=\"/api/dgx/fleet\",code=\"200\"} "),
                 r.body.constData());
        QVERIFY(r.body.contains("\ngpudeck_api_requests_total{method=\"POST\",route=\"/api/dgx/connections\","
                                "code=\"201\"} 2\n"));

        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is not installed (Debian package prometheus)");
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForStarted(10000));
        check.write(r.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        const QByteArray said = check.readAll();
        // promtool's linter wants snake_case label names, which dcgm-exporter's (UUID, modelName, Hostname) are not:
        // that remark is expected for the families carrying them, and nothing else may be said (a format error
        // would be "error while linting").
        for (const QByteArray &line : said.split('\n')) {
            QVERIFY2(line.trimmed().isEmpty() ||
                         line.endsWith(" label names should be written in 'snake_case' not 'camelCase'"),
                     said.constData());
        }
        QVERIFY2(check.exitStatus() == QProcess::NormalExit, said.constData());

        // Without the token, like every route.
        QCOMPARE(m_http->request("GET", QStringLiteral("/metrics"), {}, {}, false).status, 401);
    }

    // A real Prometheus scrapes GPU Deck (bearer token in its scrape config): the target is up and the series are
    // in Prometheus's own query API with dcgm-exporter's labels.
    void prometheusScrapesGpuDeck()
    {
        QTRY_VERIFY_WITH_TIMEOUT(ready(), 15000);
        Prometheus prometheus;
        QString error;
        QVERIFY2(prometheus.start(QStringLiteral("127.0.0.1:%1").arg(m_tc->port()), m_tc->token(), &error),
                 qPrintable(error));

        const auto gpu0 = [&prometheus] {
            return prometheus.query(QStringLiteral("DCGM_FI_DEV_GPU_UTIL{Hostname=\"gpu-box\",gpu=\"0\"}"));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(gpu0().size() == 1, qPrintable(prometheus.log()), 60000);
        const QJsonObject series = gpu0().at(0).toObject();
        const QJsonObject labels = series.value(QStringLiteral("metric")).toObject();
        QCOMPARE(labels.value(QStringLiteral("__name__")).toString(), QStringLiteral("DCGM_FI_DEV_GPU_UTIL"));
        QCOMPARE(labels.value(QStringLiteral("UUID")).toString(), kGpuUuid);
        QCOMPARE(labels.value(QStringLiteral("modelName")).toString(), QStringLiteral("NVIDIA H100 80GB HBM3"));
        QCOMPARE(labels.value(QStringLiteral("Hostname")).toString(), QStringLiteral("gpu-box"));
        QCOMPARE(labels.value(QStringLiteral("device")).toString(), QStringLiteral("nvidia0"));
        QCOMPARE(labels.value(QStringLiteral("job")).toString(), QStringLiteral("gpudeck"));
        QVERIFY(series.value(QStringLiteral("value")).toArray().at(1).toString().toDouble() >= 98);

        // A dcgm-exporter dashboard's queries, as they are.
        QCOMPARE(prometheus
                     .query(QStringLiteral("max(DCGM_FI_DEV_GPU_TEMP{Hostname=~\"gpu-box\", gpu=~\".*\"}) by "
                                           "(Hostname, gpu, UUID)"))
                     .size(),
                 2);
        QCOMPARE(prometheus.query(QStringLiteral("sum(max(DCGM_FI_DEV_POWER_USAGE{Hostname=~\"gpu-box\"}) by (gpu))"))
                     .size(),
                 1);
        QCOMPARE(prometheus.query(QStringLiteral("DCGM_FI_DEV_FB_USED{Hostname=\"gpu-box\"}")).size(), 2);

        const auto hostUp = [&prometheus](const QString &connection) {
            const QJsonArray r = prometheus.query(QStringLiteral("gpudeck_host_up{connection=\"%1\"}").arg(connection));
            return r.size() == 1 ? r.at(0).toObject().value(QStringLiteral("value")).toArray().at(1).toString()
                                 : QString();
        };
        QCOMPARE(hostUp(QStringLiteral("gpu-box")), QStringLiteral("1"));
        QCOMPARE(hostUp(QStringLiteral("cold-box")), QStringLiteral("0"));

        // The scrape target is up, as Prometheus sees it.
        const QJsonArray targets = prometheus.api(QStringLiteral("/api/v1/targets"))
                                       .value(QStringLiteral("data"))
                                       .toObject()
                                       .value(QStringLiteral("activeTargets"))
                                       .toArray();
        QCOMPARE(targets.size(), 1);
        const QJsonObject target = targets.at(0).toObject();
        QCOMPARE(target.value(QStringLiteral("health")).toString(), QStringLiteral("up"));
        QCOMPARE(target.value(QStringLiteral("lastError")).toString(), QString());
        QCOMPARE(target.value(QStringLiteral("scrapeUrl")).toString(),
                 QStringLiteral("http://127.0.0.1:%1/metrics").arg(m_tc->port()));
        // Its scrapes are counted like any request.
        QTRY_VERIFY_WITH_TIMEOUT(
            !prometheus.query(QStringLiteral("gpudeck_api_requests_total{route=\"/metrics\",code=\"200\"} > 0"))
                 .isEmpty(),
            10000);
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
