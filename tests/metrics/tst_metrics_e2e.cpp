// GPU metrics end to end: a real OpenSSH sshd on loopback whose sessions find the replaying fake nvidia-smi
// (tests/fake/nvidia-smi, real recorded H100 output) first on their PATH, a real Core with its real SQLite file,
// and the real API over a real socket. What GPU Deck runs on the host is exactly NvidiaSmiParser::loopCommand and
// the host poll; nothing in the core is stubbed.
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "metrics/MetricsService.h"
#include "metrics/NvidiaSmiParser.h"
#include "store/Entities.h"
#include "store/MetricRepository.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <csignal>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

namespace {

const QString kGpuName = QStringLiteral("NVIDIA H100 80GB HBM3");
const QString kGpuUuid = QStringLiteral("GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60");

// This machine's /proc/meminfo, in MiB (what the host poll reads: the sshd runs here).
double meminfoMiB(const char *key)
{
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(QByteArray(key) + ':')) {
            return line.mid(qstrlen(key) + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return -1;
}

qint64 msOf(const QJsonValue &iso)
{
    return parseIsoUtc(iso.toString()).toMSecsSinceEpoch();
}

} // namespace

class TestMetricsE2e : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    test::FakeNvidiaSmi m_fake;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    QJsonObject metrics(const QString &name) const
    {
        return m_http->get(QStringLiteral("/api/dgx/metrics/") + name).object();
    }
    QString state(const QString &name) const { return metrics(name).value(QStringLiteral("state")).toString(); }
    int restarts(const QString &name) const { return metrics(name).value(QStringLiteral("stream_restarts")).toInt(-1); }
    QJsonArray gpus(const QString &name) const { return metrics(name).value(QStringLiteral("gpus")).toArray(); }

    QJsonObject history(const QString &name, const QString &query) const
    {
        return m_http->get(QStringLiteral("/api/dgx/metrics/%1/history?%2").arg(name, query)).object();
    }
    QJsonArray points(const QJsonObject &history, int gpu) const
    {
        const QJsonArray all = history.value(QStringLiteral("gpus")).toArray();
        for (const QJsonValue &g : all) {
            if (g.toObject().value(QStringLiteral("gpu_index")).toInt() == gpu) {
                return g.toObject().value(QStringLiteral("points")).toArray();
            }
        }
        return {};
    }
    QJsonArray alerts(bool activeOnly = false) const
    {
        return m_http
            ->get(activeOnly ? QStringLiteral("/api/dgx/alerts?active=true") : QStringLiteral("/api/dgx/alerts"))
            .array();
    }

    bool putMonitoring(const QJsonObject &body) const
    {
        const HttpReply r = m_http->put(QStringLiteral("/api/config/monitoring"), body);
        if (r.status != 200) {
            qWarning() << r.status << r.body;
        }
        return r.status == 200;
    }

    // Creates a key-authenticated connection to the test sshd and connects it, accepting its host key.
    void connectHost(const QString &name)
    {
        const QJsonObject body{{QStringLiteral("name"), name},
                               {QStringLiteral("hostname"), m_sshd.host()},
                               {QStringLiteral("port"), m_sshd.port()},
                               {QStringLiteral("username"), m_sshd.user()},
                               {QStringLiteral("auth_method"), QStringLiteral("key")},
                               {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}};
        const HttpReply created = m_http->post(QStringLiteral("/api/dgx/connections"), body);
        QVERIFY2(created.status == 201, created.body.constData());
        const HttpReply connected =
            m_http->post(QStringLiteral("/api/dgx/connect/") + name,
                         QJsonObject{{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        QVERIFY2(connected.status == 200, connected.body.constData());
    }

    // The one fake nvidia-smi loop running on the host (-1 when there is none, or more than one), and its command
    // line, each from a single look at /proc (a loop may end between two looks).
    qint64 onlyLoop() const
    {
        const QList<qint64> loops = m_fake.runningLoops();
        return loops.size() == 1 ? loops.first() : -1;
    }
    QString onlyLoopCommand() const
    {
        const qint64 pid = onlyLoop();
        return pid > 0 ? test::FakeNvidiaSmi::commandLine(pid) : QString();
    }

    qint64 connectionId(const QString &name) const
    {
        return metrics(name).value(QStringLiteral("connection_id")).toInteger();
    }

    // Rows of a roll-up tier, or raw samples (in their chunks) for the default.
    qint64 storedRows(qint64 connection, const QString &table = QStringLiteral("gpu_metric_chunks")) const
    {
        QSqlQuery q(m_tc->core().database().connection());
        q.prepare(QStringLiteral("SELECT %2 FROM %1 WHERE connection_id = ?")
                      .arg(table, table == QStringLiteral("gpu_metric_chunks")
                                      ? QStringLiteral("COALESCE(SUM(samples), 0)")
                                      : QStringLiteral("COUNT(*)")));
        q.addBindValue(connection);
        return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
    }

    void maintainOnCollectorThread() { m_tc->core().metrics().maintain(); }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        m_fake.setGpus(1);
        m_fake.setGb10(false);
        m_fake.setFail({});
        m_fake.setTemperature(std::nullopt);
        m_fake.setControlFail({});
        m_fake.setOnPath(true);
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        m_tc->core().startMonitoring();
        QVERIFY(putMonitoring({{QStringLiteral("interval_ms"), 1000}, {QStringLiteral("host_poll_ms"), 2000}}));
    }

    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
        // GPU Deck gone, its loops on the host end too (at the latest on their next write, as the channel is gone).
        QTRY_VERIFY2_WITH_TIMEOUT(m_fake.runningLoops().isEmpty(), "a fake nvidia-smi loop outlived GPU Deck", 5000);
    }

    void liveMetricsFromTheStreamAndTheHostPoll()
    {
        m_fake.setGpus(2);
        connectHost(QStringLiteral("gpu-box"));
        QTRY_VERIFY_WITH_TIMEOUT(
            state(QStringLiteral("gpu-box")) == QStringLiteral("ok") && gpus(QStringLiteral("gpu-box")).size() == 2 &&
                !metrics(QStringLiteral("gpu-box")).value(QStringLiteral("processes")).toArray().isEmpty(),
            10000);

        // Exactly one loop on the host, running exactly GPU Deck's command.
        const QList<qint64> loops = m_fake.runningLoops();
        QCOMPARE(loops.size(), 1);
        const QString command = NvidiaSmiParser::loopCommand(1000);
        QVERIFY2(test::FakeNvidiaSmi::commandLine(loops.first()).endsWith(command.mid(command.indexOf(u' '))),
                 qPrintable(test::FakeNvidiaSmi::commandLine(loops.first())));

        const QJsonObject m = metrics(QStringLiteral("gpu-box"));
        QCOMPARE(m.value(QStringLiteral("name")).toString(), QStringLiteral("gpu-box"));
        QVERIFY(m.value(QStringLiteral("detail")).isNull());
        QCOMPARE(m.value(QStringLiteral("stream_restarts")).toInt(), 0);
        QCOMPARE(m.value(QStringLiteral("malformed_lines")).toInt(), 0);
        QVERIFY(parseIsoUtc(m.value(QStringLiteral("updated_at")).toString()).isValid());

        const QJsonArray g = m.value(QStringLiteral("gpus")).toArray();
        const QJsonObject gpu0 = g.at(0).toObject();
        QCOMPARE(gpu0.value(QStringLiteral("gpu_index")).toInt(), 0);
        QCOMPARE(gpu0.value(QStringLiteral("name")).toString(), kGpuName);
        QCOMPARE(gpu0.value(QStringLiteral("uuid")).toString(), kGpuUuid);
        QCOMPARE(gpu0.value(QStringLiteral("pstate")).toString(), QStringLiteral("P0"));
        const double util = gpu0.value(QStringLiteral("gpu_utilization")).toDouble();
        QVERIFY2(util == 98 || util == 99, qPrintable(QString::number(util)));
        QCOMPARE(gpu0.value(QStringLiteral("memory_used_mb")).toDouble(), 20085.0);
        QCOMPARE(gpu0.value(QStringLiteral("memory_total_mb")).toDouble(), 81559.0);
        QCOMPARE(gpu0.value(QStringLiteral("unified_memory")).toBool(), false);
        const double power = gpu0.value(QStringLiteral("power_watts")).toDouble();
        QVERIFY2(power >= 689 && power <= 695, qPrintable(QString::number(power)));
        QCOMPARE(gpu0.value(QStringLiteral("power_limit_watts")).toDouble(), 700.0);
        const double temperature = gpu0.value(QStringLiteral("temperature_c")).toDouble();
        QVERIFY2(temperature >= 62 && temperature <= 65, qPrintable(QString::number(temperature)));
        const double sm = gpu0.value(QStringLiteral("sm_clock_mhz")).toDouble();
        QVERIFY2(sm >= 1485 && sm <= 1560, qPrintable(QString::number(sm)));
        QVERIFY(gpu0.value(QStringLiteral("fan_percent")).isNull()); // [N/A] on a data-centre GPU

        const QJsonObject gpu1 = g.at(1).toObject();
        QCOMPARE(gpu1.value(QStringLiteral("gpu_index")).toInt(), 1);
        QCOMPARE(gpu1.value(QStringLiteral("name")).toString(), kGpuName);
        QVERIFY(gpu1.value(QStringLiteral("uuid")).toString() != kGpuUuid);
        QCOMPARE(gpu1.value(QStringLiteral("memory_total_mb")).toDouble(), 81559.0);

        // The host poll: the GPU's process, and this machine's memory and load.
        const QJsonArray processes = m.value(QStringLiteral("processes")).toArray();
        QCOMPARE(processes.size(), 1);
        const QJsonObject p = processes.at(0).toObject();
        QCOMPARE(p.value(QStringLiteral("pid")).toInteger(), 425);
        QCOMPARE(p.value(QStringLiteral("name")).toString(), QStringLiteral("python3"));
        QCOMPARE(p.value(QStringLiteral("used_memory_mb")).toDouble(), 20076.0);
        QCOMPARE(p.value(QStringLiteral("gpu_uuid")).toString(), kGpuUuid);
        const QJsonObject host = m.value(QStringLiteral("host")).toObject();
        QCOMPARE(host.value(QStringLiteral("memory_total_mb")).toDouble(), meminfoMiB("MemTotal"));
        const double available = host.value(QStringLiteral("memory_available_mb")).toDouble();
        QVERIFY2(qAbs(available - meminfoMiB("MemAvailable")) < 0.1 * meminfoMiB("MemTotal"),
                 qPrintable(QString::number(available)));
        QVERIFY(host.value(QStringLiteral("load_1m")).isDouble());

        // It keeps streaming, about one sample per GPU per second.
        const qint64 id = connectionId(QStringLiteral("gpu-box"));
        const qint64 before = msOf(gpu0.value(QStringLiteral("recorded_at")));
        QTRY_VERIFY_WITH_TIMEOUT(
            msOf(gpus(QStringLiteral("gpu-box")).at(0).toObject().value(QStringLiteral("recorded_at"))) > before, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(storedRows(id) >= 6, 8000); // flushed to SQLite once a second

        // Stored, and charted from the raw tier: both GPUs, the replayed values, no gap.
        QJsonObject h;
        QTRY_VERIFY_WITH_TIMEOUT((h = history(QStringLiteral("gpu-box"), QStringLiteral("hours=1")),
                                  points(h, 0).size() >= 1 && points(h, 1).size() >= 1),
                                 5000);
        QCOMPARE(h.value(QStringLiteral("tier")).toString(), QStringLiteral("raw"));
        QVERIFY(h.value(QStringLiteral("gaps")).toArray().isEmpty());
        for (int gpu : {0, 1}) {
            const QJsonObject point = points(h, gpu).last().toObject();
            QVERIFY(point.value(QStringLiteral("samples")).toInt() >= 1);
            QCOMPARE(point.value(QStringLiteral("memory_total_mb")).toDouble(), 81559.0);
            const QJsonObject u = point.value(QStringLiteral("utilization")).toObject();
            QVERIFY(u.value(QStringLiteral("min")).toDouble() >= 98 && u.value(QStringLiteral("max")).toDouble() <= 99);
            const QJsonObject t = point.value(QStringLiteral("temperature_c")).toObject();
            QVERIFY(t.value(QStringLiteral("min")).toDouble() >= 62 && t.value(QStringLiteral("max")).toDouble() <= 65);
        }
        // Per GPU filter.
        const QJsonObject only1 = history(QStringLiteral("gpu-box"), QStringLiteral("hours=1&gpu=1"));
        QCOMPARE(only1.value(QStringLiteral("gpus")).toArray().size(), 1);
        QCOMPARE(
            only1.value(QStringLiteral("gpus")).toArray().at(0).toObject().value(QStringLiteral("gpu_index")).toInt(),
            1);
    }

    void rollUpsOnTheCollectorThread()
    {
        connectHost(QStringLiteral("roll-box"));
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("roll-box")), QStringLiteral("ok"), 10000);
        const qint64 id = connectionId(QStringLiteral("roll-box"));
        QTRY_VERIFY_WITH_TIMEOUT(storedRows(id) >= 2, 5000);

        // Three complete minutes of older raw samples, as if the host had been watched for a while: utilisation
        // 0..59 in each minute, temperature 40 + minute, power NULL ([N/A]) for the first ten seconds.
        constexpr qint64 kMinute = 60 * 1000;
        const qint64 firstMinute = (QDateTime::currentMSecsSinceEpoch() / kMinute - 10) * kMinute;
        QList<StoredSample> seeded;
        for (int minute = 0; minute < 3; ++minute) {
            for (int s = 0; s < 60; ++s) {
                StoredSample sample;
                sample.connectionId = id;
                sample.timeMs = firstMinute + minute * kMinute + s * 1000;
                sample.gpuIndex = 0;
                sample.utilization = s;
                sample.memoryUsedMiB = 1000 + minute;
                sample.memoryTotalMiB = 81559;
                sample.temperatureC = 40 + minute;
                sample.powerW = s < 10 ? kNoValue : 500;
                seeded << sample;
            }
        }
        QVERIFY(MetricRepository(m_tc->core().database()).insert(seeded).ok());
        QCOMPARE(storedRows(id, QStringLiteral("gpu_metrics_1m")), 0);

        maintainOnCollectorThread();

        QSqlQuery q(m_tc->core().database().connection());
        q.prepare(QStringLiteral(
            "SELECT bucket, samples, util_min, util_sum / util_n, util_max, temp_sum / temp_n, power_min, "
            "power_sum / power_n, mem_total FROM gpu_metrics_1m WHERE connection_id = ? AND gpu_index = 0 AND bucket "
            ">= ? "
            "AND bucket < ? ORDER BY bucket"));
        q.addBindValue(id);
        q.addBindValue(firstMinute);
        q.addBindValue(firstMinute + 3 * kMinute);
        QVERIFY(q.exec());
        int rows = 0;
        while (q.next()) {
            QCOMPARE(q.value(0).toLongLong(), firstMinute + rows * kMinute);
            QCOMPARE(q.value(1).toInt(), 60);
            QCOMPARE(q.value(2).toDouble(), 0.0);
            QCOMPARE(q.value(3).toDouble(), 29.5);
            QCOMPARE(q.value(4).toDouble(), 59.0);
            QCOMPARE(q.value(5).toDouble(), 40.0 + rows);
            QCOMPARE(q.value(6).toDouble(), 500.0);
            QCOMPARE(q.value(7).toDouble(), 500.0);
            QCOMPARE(q.value(8).toDouble(), 81559.0);
            ++rows;
        }
        QCOMPARE(rows, 3);

        // Only completed minutes are rolled up (5 s grace): never the minute still being written.
        const qint64 done = MetricRepository(m_tc->core().database()).rolledUntil(QStringLiteral("1m"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(done <= now - 5000 && done % kMinute == 0 && done > now - 5000 - kMinute);
        QSqlQuery newest(m_tc->core().database().connection());
        QVERIFY(newest.exec(QStringLiteral("SELECT MAX(bucket) FROM gpu_metrics_1m")) && newest.next());
        QVERIFY(newest.value(0).toLongLong() < done);

        // Idempotent: a second run changes nothing.
        const qint64 rolled = storedRows(id, QStringLiteral("gpu_metrics_1m"));
        maintainOnCollectorThread();
        QCOMPARE(storedRows(id, QStringLiteral("gpu_metrics_1m")), rolled);

        // A day and more is charted from the 1-minute tier (with the raw tail the roll-up has not reached yet).
        const QJsonObject h = history(QStringLiteral("roll-box"), QStringLiteral("hours=30"));
        QCOMPARE(h.value(QStringLiteral("tier")).toString(), QStringLiteral("1m"));
        const QJsonArray p = points(h, 0);
        QVERIFY(!p.isEmpty());
        int seededSamples = 0;
        for (const QJsonValue &v : p) {
            const qint64 t = msOf(v.toObject().value(QStringLiteral("t")));
            if (t >= firstMinute - h.value(QStringLiteral("bucket_seconds")).toDouble() * 1000 &&
                t < firstMinute + 3 * kMinute) {
                seededSamples += v.toObject().value(QStringLiteral("samples")).toInt();
            }
        }
        QCOMPARE(seededSamples, 180);
    }

    void temperatureAlertOncePerEpisode()
    {
        QVERIFY(
            putMonitoring({{QStringLiteral("thresholds"), QJsonObject{{QStringLiteral("temperature_c"), 60},
                                                                      {QStringLiteral("temperature_clear_c"), 55}}}}));
        connectHost(QStringLiteral("hot-box"));
        QTRY_COMPARE_WITH_TIMEOUT(alerts(true).size(), 1, 10000);
        const QJsonObject a = alerts(true).at(0).toObject();
        QCOMPARE(a.value(QStringLiteral("kind")).toString(), QStringLiteral("gpu_temperature"));
        QCOMPARE(a.value(QStringLiteral("gpu_index")).toInt(), 0);
        QCOMPARE(a.value(QStringLiteral("connection_name")).toString(), QStringLiteral("hot-box"));
        QCOMPARE(a.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(a.value(QStringLiteral("active")).toBool(), true);
        QVERIFY(a.value(QStringLiteral("ended_at")).isNull());
        QCOMPARE(a.value(QStringLiteral("threshold")).toDouble(), 60.0);
        QVERIFY(a.value(QStringLiteral("value")).toDouble() >= 62);
        QVERIFY(a.value(QStringLiteral("message")).toString().contains(QStringLiteral("hot-box")));
        const qint64 alertId = a.value(QStringLiteral("id")).toInteger();

        // Every sample stays above the line: still the one alert, not one per sample.
        const qint64 rows = storedRows(connectionId(QStringLiteral("hot-box")));
        QTRY_VERIFY_WITH_TIMEOUT(storedRows(connectionId(QStringLiteral("hot-box"))) >= rows + 3, 6000);
        QCOMPARE(alerts().size(), 1);

        // Cooled down below the clear level: the alert ends.
        m_fake.setTemperature(50);
        QTRY_VERIFY_WITH_TIMEOUT(alerts(true).isEmpty(), 5000);
        const QJsonArray all = alerts();
        QCOMPARE(all.size(), 1);
        const QJsonObject ended = all.at(0).toObject();
        QCOMPARE(ended.value(QStringLiteral("id")).toInteger(), alertId);
        QCOMPARE(ended.value(QStringLiteral("active")).toBool(), false);
        QVERIFY(parseIsoUtc(ended.value(QStringLiteral("ended_at")).toString()).isValid());
        QVERIFY(msOf(ended.value(QStringLiteral("ended_at"))) >= msOf(ended.value(QStringLiteral("started_at"))));
        QCOMPARE(ended.value(QStringLiteral("value")).toDouble(), 50.0);

        // Between the clear level and the alert level: hysteresis, nothing new.
        m_fake.setTemperature(58);
        QTRY_COMPARE_WITH_TIMEOUT(
            gpus(QStringLiteral("hot-box")).at(0).toObject().value(QStringLiteral("temperature_c")).toDouble(), 58.0,
            5000);
        QTest::qWait(2000);
        QCOMPARE(alerts().size(), 1);

        // Hot again: a new episode, a new alert.
        m_fake.setTemperature(70);
        QTRY_COMPARE_WITH_TIMEOUT(alerts(true).size(), 1, 5000);
        QCOMPARE(alerts().size(), 2);
        QVERIFY(alerts(true).at(0).toObject().value(QStringLiteral("id")).toInteger() != alertId);
        QCOMPARE(alerts(true).at(0).toObject().value(QStringLiteral("value")).toDouble(), 70.0);
    }

    void gb10UnifiedMemoryComesFromProcMeminfo()
    {
        m_fake.setGb10(true);
        connectHost(QStringLiteral("spark"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !gpus(QStringLiteral("spark")).isEmpty() &&
                gpus(QStringLiteral("spark")).at(0).toObject().value(QStringLiteral("unified_memory")).toBool(),
            10000);
        const QJsonObject m = metrics(QStringLiteral("spark"));
        const QJsonObject gpu = m.value(QStringLiteral("gpus")).toArray().at(0).toObject();
        const double total = meminfoMiB("MemTotal");
        QCOMPARE(gpu.value(QStringLiteral("memory_total_mb")).toDouble(), total);
        QCOMPARE(m.value(QStringLiteral("host")).toObject().value(QStringLiteral("memory_total_mb")).toDouble(), total);
        const double used = gpu.value(QStringLiteral("memory_used_mb")).toDouble();
        QVERIFY2(used > 0 && used < total, qPrintable(QString::number(used)));
        QVERIFY2(qAbs(used - (total - meminfoMiB("MemAvailable"))) < 0.1 * total, qPrintable(QString::number(used)));
        QCOMPARE(gpu.value(QStringLiteral("name")).toString(), kGpuName);

        // Stored with the host's figure too.
        QJsonObject h;
        // (A sample that arrives before the first host poll has no memory figure yet; later ones all have it.)
        QTRY_VERIFY_WITH_TIMEOUT(
            (h = history(QStringLiteral("spark"), QStringLiteral("hours=0.05")),
             !points(h, 0).isEmpty() &&
                 points(h, 0).last().toObject().value(QStringLiteral("memory_total_mb")).toDouble() == total),
            5000);
    }

    void killedStreamRestartsAndHistoryShowsTheGap()
    {
        connectHost(QStringLiteral("flaky"));
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("flaky")), QStringLiteral("ok"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(onlyLoop() > 0, 5000);
        const qint64 firstLoop = onlyLoop();

        // Killed on the host: GPU Deck starts a new loop by itself.
        QCOMPARE(m_fake.signalLoops(SIGTERM), 1);
        QTRY_VERIFY_WITH_TIMEOUT(restarts(QStringLiteral("flaky")) >= 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("flaky")), QStringLiteral("ok"), 8000);
        QCOMPARE(restarts(QStringLiteral("flaky")), 1);
        QTRY_VERIFY_WITH_TIMEOUT(onlyLoop() > 0 && onlyLoop() != firstLoop, 5000);

        // Killed again, and nvidia-smi now fails when started: GPU Deck backs off and keeps trying, saying why,
        // until it works again. History shows the outage as a gap, with no invented points in it.
        QTRY_VERIFY_WITH_TIMEOUT(history(QStringLiteral("flaky"), QStringLiteral("hours=0.05"))
                                             .value(QStringLiteral("gpus"))
                                             .toArray()
                                             .size() == 1 &&
                                     points(history(QStringLiteral("flaky"), QStringLiteral("hours=0.05")), 0).size() >=
                                         3,
                                 8000);
        m_fake.setFail(QStringLiteral("error"));
        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(m_fake.signalLoops(SIGKILL), 1);
        // Restart count: 1 (first kill) + 1 (this kill) + 2 failed starts, 1 s and 2 s apart; the next try is 4 s on.
        QTRY_VERIFY_WITH_TIMEOUT(restarts(QStringLiteral("flaky")) >= 4, 10000);
        const QJsonObject failing = metrics(QStringLiteral("flaky"));
        QCOMPARE(failing.value(QStringLiteral("state")).toString(), QStringLiteral("stream_error"));
        QVERIFY2(failing.value(QStringLiteral("detail")).toString().contains(QStringLiteral("Unknown Error")),
                 qPrintable(failing.value(QStringLiteral("detail")).toString()));
        m_fake.setFail({});
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("flaky")), QStringLiteral("ok"), 15000);
        const qint64 recoveredAt = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(restarts(QStringLiteral("flaky")) >= 4);

        QJsonObject h;
        QTRY_VERIFY_WITH_TIMEOUT(
            (h = history(QStringLiteral("flaky"), QStringLiteral("hours=0.05")),
             !h.value(QStringLiteral("gaps")).toArray().isEmpty() &&
                 msOf(points(h, 0).last().toObject().value(QStringLiteral("t"))) >= recoveredAt - 2000),
            5000);
        QCOMPARE(h.value(QStringLiteral("tier")).toString(), QStringLiteral("raw"));
        QCOMPARE(h.value(QStringLiteral("bucket_seconds")).toDouble(), 1.0);
        const QJsonArray gaps = h.value(QStringLiteral("gaps")).toArray();
        QCOMPARE(gaps.size(), 1);
        const qint64 from = msOf(gaps.at(0).toObject().value(QStringLiteral("from")));
        const qint64 to = msOf(gaps.at(0).toObject().value(QStringLiteral("to")));
        QVERIFY2(from <= killedAt + 1000 && from >= killedAt - 3000,
                 qPrintable(QStringLiteral("%1 vs %2").arg(from).arg(killedAt)));
        QVERIFY2(to >= killedAt + 3000 && to <= recoveredAt + 1000,
                 qPrintable(QStringLiteral("%1 vs %2").arg(to).arg(recoveredAt)));
        for (const QJsonValue &p : points(h, 0)) {
            const qint64 t = msOf(p.toObject().value(QStringLiteral("t")));
            QVERIFY2(t < from || t >= to, "a point inside the gap");
        }
    }

    void noNvidiaSmiOnThePath()
    {
        m_fake.setOnPath(false);
        connectHost(QStringLiteral("cpu-only"));
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("cpu-only")), QStringLiteral("no_nvidia_smi"), 10000);
        QVERIFY(metrics(QStringLiteral("cpu-only"))
                    .value(QStringLiteral("detail"))
                    .toString()
                    .contains(QStringLiteral("nvidia-smi")));
        // Said once; no restart loop.
        QTest::qWait(4000);
        const QJsonObject m = metrics(QStringLiteral("cpu-only"));
        QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("no_nvidia_smi"));
        QCOMPARE(m.value(QStringLiteral("stream_restarts")).toInt(), 0);
        QVERIFY(m.value(QStringLiteral("gpus")).toArray().isEmpty());
        // The host itself is still watched.
        QCOMPARE(m.value(QStringLiteral("host")).toObject().value(QStringLiteral("memory_total_mb")).toDouble(),
                 meminfoMiB("MemTotal"));
        QVERIFY(m.value(QStringLiteral("processes")).toArray().isEmpty());
    }

    void driverNotLoaded()
    {
        m_fake.setFail(QStringLiteral("driver"));
        connectHost(QStringLiteral("no-driver"));
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("no-driver")), QStringLiteral("no_gpu"), 10000);
        QVERIFY(metrics(QStringLiteral("no-driver"))
                    .value(QStringLiteral("detail"))
                    .toString()
                    .contains(QStringLiteral("NVIDIA driver")));
        QTest::qWait(3000);
        QCOMPARE(state(QStringLiteral("no-driver")), QStringLiteral("no_gpu"));
        QCOMPARE(restarts(QStringLiteral("no-driver")), 0);
    }

    // The door's signals carry the value and arrive on the service's thread: hostUpdated brings the new HostMetrics
    // (nobody calls back for a snapshot), settingsApplied comes once the collector applied the settings.
    void signalsCarryTheValueOnTheServiceThread()
    {
        MetricsService &metrics = m_tc->core().metrics();
        QList<HostMetrics> updates;
        QList<MonitoringSettings> applied;
        bool offThread = false;
        connect(&metrics, &MetricsService::hostUpdated, this, [&](const HostMetrics &m) {
            offThread |= QThread::currentThread() != thread();
            updates.append(m);
        });
        connect(&metrics, &MetricsService::settingsApplied, this, [&](const MonitoringSettings &s) {
            offThread |= QThread::currentThread() != thread();
            applied.append(s);
        });

        m_fake.setGpus(2);
        connectHost(QStringLiteral("signal-box"));
        const qint64 id = connectionId(QStringLiteral("signal-box"));
        QTRY_VERIFY_WITH_TIMEOUT(!updates.isEmpty() && updates.last().state == QStringLiteral("ok") &&
                                     updates.last().gpus.size() == 2,
                                 10000);
        const HostMetrics last = updates.last();
        QCOMPARE(last.connectionId, id);
        QCOMPARE(last.name, QStringLiteral("signal-box"));
        QCOMPARE(last.gpus.at(1).index, 1);
        QVERIFY(last.updatedAt.isValid());
        QVERIFY(metrics.snapshot(id).updatedAt >= last.updatedAt); // what snapshot() answers is at least as new

        QVERIFY(putMonitoring({{QStringLiteral("interval_ms"), 2000}}));
        QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty() && applied.last().intervalMs == 2000, 5000);
        QCOMPARE(metrics.settings().intervalMs, 2000);
        QVERIFY(!offThread);

        // Not monitoring: nothing applies them later, so the signal comes at once.
        QTRY_VERIFY_WITH_TIMEOUT(onlyLoopCommand().endsWith(QStringLiteral(" -lms 2000")), 8000);
        metrics.stop();
        MonitoringSettings s = metrics.settings();
        s.hostPollMs = 4000;
        const qsizetype before = applied.size();
        QVERIFY(metrics.setSettings(s).ok());
        QCOMPARE(applied.size(), before + 1);
        QCOMPARE(applied.last().hostPollMs, 4000);
        QCOMPARE(metrics.snapshot(id).state, QStringLiteral("offline")); // no collector, no snapshot
    }

    void intervalChangeRestartsTheLoopAndDisconnectGoesOffline()
    {
        connectHost(QStringLiteral("box"));
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("box")), QStringLiteral("ok"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(onlyLoopCommand().endsWith(QStringLiteral(" -lms 1000")), 5000);

        QVERIFY(putMonitoring({{QStringLiteral("interval_ms"), 2000}}));
        QTRY_VERIFY_WITH_TIMEOUT(onlyLoopCommand().endsWith(QStringLiteral(" -lms 2000")), 8000);
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("box")), QStringLiteral("ok"), 8000);
        // The old loop's end (cancelled on purpose) is not mistaken for a failure of the new one, so nothing
        // restarts and no second loop appears on the host.
        QTest::qWait(3000);
        QCOMPARE(m_fake.runningLoops().size(), 1);
        QCOMPARE(restarts(QStringLiteral("box")), 0);
        QCOMPARE(state(QStringLiteral("box")), QStringLiteral("ok"));

        QCOMPARE(m_http->post(QStringLiteral("/api/dgx/disconnect/box"), {}).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("box")), QStringLiteral("offline"), 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(m_fake.runningLoops().isEmpty(), "the loop kept running on the host after disconnect",
                                  5000);
        QTest::qWait(1500);
        QCOMPARE(state(QStringLiteral("box")), QStringLiteral("offline"));
    }
};

QTEST_GUILESS_MAIN(TestMetricsE2e)
#include "tst_metrics_e2e.moc"
