// The fleet view's rules on their own: the free verdict (a GPU with a process is not free; one under the threshold
// for the whole window is), the utilisation window in memory, the totals and the JSON an agent reads. No store,
// no threads: FleetInputs are built by hand.
#include "fleet/FleetBuilder.h"
#include "metrics/GpuActivity.h"

#include <QJsonArray>
#include <QTest>

using namespace gpudeck;

namespace {

constexpr qint64 kNow = 1'800'000'000'000; // a fixed "now", in ms

GpuSample gpu(int index, double utilization, const QString &uuid = {})
{
    GpuSample s;
    s.index = index;
    s.uuid = uuid.isEmpty() ? QStringLiteral("GPU-%1").arg(index) : uuid;
    s.name = QStringLiteral("NVIDIA H100 80GB HBM3");
    s.utilizationGpu = utilization;
    s.memoryUsedMiB = 1000 * (index + 1);
    s.memoryTotalMiB = 81559;
    s.temperatureC = 40;
    s.powerDrawW = 100;
    s.time = QDateTime::fromMSecsSinceEpoch(kNow, Qt::UTC);
    return s;
}

// A GPU watched for `watchedS` seconds with this peak.
GpuActivitySummary watched(double peak, int watchedS, qint64 lastProcessMs = 0)
{
    GpuActivitySummary a;
    a.peakUtilization = peak;
    a.observedSinceMs = kNow - qint64(watchedS) * 1000;
    a.samples = std::min(watchedS, 60);
    a.lastProcessMs = lastProcessMs;
    return a;
}

Connection connection(qint64 id, const QString &name)
{
    Connection c;
    c.id = id;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.%1").arg(10 + id);
    c.kind = QStringLiteral("dgx-spark");
    return c;
}

LinkStatus connected()
{
    LinkStatus s;
    s.state = LinkState::Connected;
    s.since = QDateTime::fromMSecsSinceEpoch(kNow - 3600 * 1000, Qt::UTC);
    return s;
}

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT

    // Host 1 (spark-1): GPU 0 runs a process, GPU 1 idle for 2 min, GPU 2 busy 30 s ago, GPU 3 watched for 20 s.
    // Host 2 (spark-2): connected, metrics offline. Host 3 (box-3): disconnected, no metrics at all.
    FleetInputs inputs() const
    {
        FleetInputs in;
        in.now = QDateTime::fromMSecsSinceEpoch(kNow, Qt::UTC);
        in.sampleIntervalMs = 1000;
        in.connections = {connection(2, QStringLiteral("spark-2")), connection(1, QStringLiteral("spark-1")),
                          connection(3, QStringLiteral("box-3"))};
        in.links.insert(1, connected());
        in.links.insert(2, connected());

        HostMetrics m1;
        m1.connectionId = 1;
        m1.name = QStringLiteral("spark-1");
        m1.state = QStringLiteral("ok");
        m1.updatedAt = in.now;
        m1.gpus = {gpu(0, 2), gpu(1, 3), gpu(2, 1), gpu(3, 0)};
        GpuProcess p;
        p.pid = 425;
        p.name = QStringLiteral("python3");
        p.usedMemoryMiB = 20076;
        p.gpuUuid = QStringLiteral("GPU-0");
        m1.processes = {p};
        HostMetrics m2;
        m2.connectionId = 2;
        m2.name = QStringLiteral("spark-2");
        m2.state = QStringLiteral("offline");
        m2.gpus = {gpu(0, 50)}; // stale: not shown
        in.metrics = {m1, m2};

        in.activity[1][0] = watched(2, 120);
        in.activity[1][1] = watched(3, 120);
        in.activity[1][2] = watched(45, 120);
        in.activity[1][3] = watched(0, 20);

        Project project;
        project.id = 7;
        project.connectionId = 1;
        project.name = QStringLiteral("llm");
        in.projects = {project};
        Job job;
        job.id = 11;
        job.projectId = 7;
        job.name = QStringLiteral("finetune");
        job.status = QStringLiteral("running");
        job.attempt = 1;
        job.startedAt = in.now.addSecs(-600);
        in.runningJobs = {job};

        HostServing serving;
        serving.host = QStringLiteral("spark-1");
        serving.model = QStringLiteral("qwen3-32b");
        serving.health = Health::Up;
        in.serving = {serving};

        Alert hot;
        hot.id = 5;
        hot.connectionId = 1;
        hot.connectionName = QStringLiteral("spark-1");
        hot.gpuIndex = 2;
        hot.kind = QStringLiteral("gpu_temperature");
        hot.severity = QStringLiteral("warning");
        hot.startedAt = in.now;
        Alert swap;
        swap.id = 6;
        swap.kind = QStringLiteral("swap_failed");
        swap.severity = QStringLiteral("warning");
        swap.startedAt = in.now;
        in.activeAlerts = {hot, swap};
        return in;
    }

private Q_SLOTS:
    void gpuWithAProcessIsNotFree()
    {
        const GpuActivitySummary idle = watched(0, 120);
        const GpuVerdict v = judgeGpu(gpu(0, 0), 1, &idle, kNow, FleetOptions{}, 1000);
        QVERIFY(!v.free);
        QCOMPARE(v.reason, QStringLiteral("1 process on it"));

        // A process seen on it within the window, gone at the last poll: still not free.
        const GpuActivitySummary recent = watched(0, 120, kNow - 20'000);
        const GpuVerdict r = judgeGpu(gpu(0, 0), 0, &recent, kNow, FleetOptions{}, 1000);
        QVERIFY(!r.free);
        QVERIFY2(r.reason.contains(QStringLiteral("20 s ago")), qPrintable(r.reason));
        // ... and free once that sighting is older than the window.
        const GpuActivitySummary old = watched(0, 120, kNow - 61'000);
        QVERIFY(judgeGpu(gpu(0, 0), 0, &old, kNow, FleetOptions{}, 1000).free);
    }

    void gpuUnderTheThresholdForTheWindowIsFree()
    {
        const GpuActivitySummary idle = watched(9.5, 61);
        const GpuVerdict v = judgeGpu(gpu(0, 3), 0, &idle, kNow, FleetOptions{}, 1000);
        QVERIFY2(v.free, qPrintable(v.reason));
        QCOMPARE(v.reason, QStringLiteral("idle: under 10 % for the last 60 s, no process"));

        // At the threshold is not under it.
        const GpuActivitySummary atLine = watched(10, 120);
        const GpuVerdict busy = judgeGpu(gpu(0, 3), 0, &atLine, kNow, FleetOptions{}, 1000);
        QVERIFY(!busy.free);
        QVERIFY2(busy.reason.contains(QStringLiteral("reached 10 %")), qPrintable(busy.reason));

        // The threshold and the window are the caller's.
        FleetOptions lenient;
        lenient.thresholdPercent = 50;
        lenient.windowS = 30;
        QVERIFY(judgeGpu(gpu(0, 3), 0, &atLine, kNow, lenient, 1000).free);
    }

    void gpuNotWatchedForTheWholeWindowIsNotFree()
    {
        const GpuActivitySummary young = watched(0, 20);
        const GpuVerdict v = judgeGpu(gpu(0, 0), 0, &young, kNow, FleetOptions{}, 1000);
        QVERIFY(!v.free);
        QCOMPARE(v.reason, QStringLiteral("watched for only 20 s of the 60 s needed"));
        // Within one sample interval (plus a second) of the window is the whole window.
        const GpuActivitySummary almost = watched(0, 58);
        QVERIFY(judgeGpu(gpu(0, 0), 0, &almost, kNow, FleetOptions{}, 2000).free);
        // No reading at all.
        QVERIFY(!judgeGpu(gpu(0, 0), 0, nullptr, kNow, FleetOptions{}, 1000).free);
        GpuActivitySummary none;
        QVERIFY(!judgeGpu(gpu(0, 0), 0, &none, kNow, FleetOptions{}, 1000).free);
    }

    void snapshotOfHostsGpusJobsModelsAlerts()
    {
        const FleetSnapshot fleet = buildFleet(inputs(), FleetOptions{});
        QCOMPARE(fleet.hosts.size(), 3);
        // By name.
        QCOMPARE(fleet.hosts.at(0).name, QStringLiteral("box-3"));
        QCOMPARE(fleet.hosts.at(1).name, QStringLiteral("spark-1"));
        QCOMPARE(fleet.hosts.at(2).name, QStringLiteral("spark-2"));

        const FleetHost &s1 = fleet.hosts.at(1);
        QCOMPARE(s1.gpus.size(), 4);
        QVERIFY(!s1.gpus.at(0).free); // a process
        QCOMPARE(s1.gpus.at(0).processes.size(), 1);
        QVERIFY(s1.gpus.at(1).free);  // idle for 2 min
        QVERIFY(!s1.gpus.at(2).free); // 45 % in the window though 1 % now
        QVERIFY(!s1.gpus.at(3).free); // watched for 20 s only
        QCOMPARE(s1.gpusFree(), 1);
        QCOMPARE(s1.jobs.size(), 1);
        QCOMPARE(s1.jobs.first().projectName, QStringLiteral("llm"));
        QVERIFY(s1.serving.has_value());
        QCOMPARE(s1.serving->model, QStringLiteral("qwen3-32b"));
        QCOMPARE(s1.alerts.size(), 1);

        // Connected but not watched: its stale GPUs are not shown, not counted.
        QVERIFY(fleet.hosts.at(2).gpus.isEmpty());
        QCOMPARE(fleet.hosts.at(2).metricsState, QStringLiteral("offline"));
        QCOMPARE(fleet.hosts.at(0).link.state, LinkState::Disconnected);
        QCOMPARE(fleet.hosts.at(0).metricsState, QStringLiteral("offline"));

        const FleetTotals &t = fleet.totals;
        QCOMPARE(t.hosts, 3);
        QCOMPARE(t.hostsConnected, 2);
        QCOMPARE(t.gpus, 4);
        QCOMPARE(t.gpusFree, 1);
        QCOMPARE(t.gpusBusy, 3);
        QCOMPARE(t.memoryUsedMiB, 1000.0 + 2000 + 3000 + 4000);
        QCOMPARE(t.memoryTotalMiB, 4 * 81559.0);
        QCOMPARE(t.powerDrawW, 400.0);
        QCOMPARE(t.runningJobs, 1);
        QCOMPARE(t.activeAlerts, 2);
        QCOMPARE(fleet.otherAlerts.size(), 1); // the swap alert has no connection
    }

    void unifiedMemoryCountsOncePerHost()
    {
        FleetInputs in = inputs();
        HostMetrics &m = in.metrics[0];
        for (GpuSample &g : m.gpus) {
            g.unifiedMemory = true;
            g.memoryUsedMiB = 50000;
            g.memoryTotalMiB = 128000;
        }
        const FleetSnapshot fleet = buildFleet(in, FleetOptions{});
        QCOMPARE(fleet.totals.memoryUsedMiB, 50000.0);
        QCOMPARE(fleet.totals.memoryTotalMiB, 128000.0);
    }

    void jsonAnAgentReads()
    {
        const QJsonObject json = buildFleet(inputs(), FleetOptions{}).toJson();
        QCOMPARE(json.value(QStringLiteral("free_threshold_percent")).toDouble(), 10.0);
        QCOMPARE(json.value(QStringLiteral("free_window_s")).toInt(), 60);
        QVERIFY(json.value(QStringLiteral("generated_at")).toString().endsWith(u'Z'));
        const QJsonObject totals = json.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("gpus_free")).toInt(), 1);
        QCOMPARE(totals.value(QStringLiteral("gpus_busy")).toInt(), 3);
        const QJsonArray hosts = json.value(QStringLiteral("hosts")).toArray();
        QCOMPARE(hosts.size(), 3);
        const QJsonObject box = hosts.at(0).toObject();
        QCOMPARE(box.value(QStringLiteral("link")).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("disconnected"));
        QVERIFY(box.value(QStringLiteral("link")).toObject().value(QStringLiteral("since")).isNull());
        QVERIFY(box.value(QStringLiteral("serving")).isNull());
        const QJsonObject spark = hosts.at(1).toObject();
        QCOMPARE(spark.value(QStringLiteral("link")).toObject().value(QStringLiteral("since")).toString(),
                 QStringLiteral("2027-01-15T07:00:00.000Z"));
        const QJsonArray gpus = spark.value(QStringLiteral("gpus")).toArray();
        const QJsonObject g0 = gpus.at(0).toObject();
        QCOMPARE(g0.value(QStringLiteral("gpu_index")).toInt(), 0);
        QCOMPARE(g0.value(QStringLiteral("free")).toBool(), false);
        QCOMPARE(g0.value(QStringLiteral("verdict")).toString(), QStringLiteral("1 process on it"));
        QCOMPARE(g0.value(QStringLiteral("processes")).toArray().at(0).toObject().value(QStringLiteral("pid")).toInt(),
                 425);
        QCOMPARE(g0.value(QStringLiteral("memory_free_mb")).toDouble(), 81559.0 - 1000);
        QCOMPARE(gpus.at(1).toObject().value(QStringLiteral("free")).toBool(), true);
        QCOMPARE(spark.value(QStringLiteral("gpus_free")).toInt(), 1);
        QCOMPARE(spark.value(QStringLiteral("serving")).toObject().value(QStringLiteral("model")).toString(),
                 QStringLiteral("qwen3-32b"));
        QCOMPARE(spark.value(QStringLiteral("serving")).toObject().value(QStringLiteral("health")).toString(),
                 QStringLiteral("up"));
        QCOMPARE(spark.value(QStringLiteral("jobs")).toArray().at(0).toObject().value(QStringLiteral("id")).toInt(),
                 11);
        QCOMPARE(spark.value(QStringLiteral("alerts")).toArray().size(), 1);
        QCOMPARE(json.value(QStringLiteral("other_alerts")).toArray().size(), 1);
    }

    // "Asleep": a host with a MAC address whose link is not up; the MAC and the verdict reach the JSON.
    void asleepNeedsAMacAndNoLink()
    {
        FleetInputs in = inputs();
        in.connections[0].macAddress = QStringLiteral("00:11:22:33:44:55"); // spark-2: connected
        in.connections[2].macAddress = QStringLiteral("00:11:22:33:44:66"); // box-3: disconnected
        LinkStatus failed;
        failed.state = LinkState::Failed;
        in.connections.append(connection(4, QStringLiteral("node-4")));
        in.connections[3].macAddress = QStringLiteral("00:11:22:33:44:77");
        in.links.insert(4, failed);
        const FleetSnapshot fleet = buildFleet(in, FleetOptions{});
        QHash<QString, bool> asleep;
        for (const FleetHost &h : fleet.hosts) {
            asleep.insert(h.name, h.asleep);
        }
        QCOMPARE(asleep.value(QStringLiteral("box-3")), true);
        QCOMPARE(asleep.value(QStringLiteral("node-4")), true);
        QCOMPARE(asleep.value(QStringLiteral("spark-2")), false); // up
        QCOMPARE(asleep.value(QStringLiteral("spark-1")), false); // no MAC: cannot be woken
        LinkStatus connecting;
        connecting.state = LinkState::Connecting;
        QVERIFY(!hostAsleep(QStringLiteral("generic"), QStringLiteral("00:11:22:33:44:55"), connecting));
        // This computer is awake by definition, whatever its link says.
        QVERIFY(!hostAsleep(QStringLiteral("local"), QStringLiteral("00:11:22:33:44:55"), LinkStatus{}));
        QVERIFY(hostAsleep(QStringLiteral("proxmox"), QStringLiteral("00:11:22:33:44:55"), LinkStatus{}));
        const QJsonObject box = fleet.toJson().value(QStringLiteral("hosts")).toArray().at(0).toObject();
        QCOMPARE(box.value(QStringLiteral("mac_address")).toString(), QStringLiteral("00:11:22:33:44:66"));
        QCOMPARE(box.value(QStringLiteral("asleep")).toBool(), true);
        const QJsonObject spark = fleet.toJson().value(QStringLiteral("hosts")).toArray().at(2).toObject();
        QVERIFY(spark.value(QStringLiteral("mac_address")).isNull());
        QCOMPARE(spark.value(QStringLiteral("watch")).toBool(), true);
    }

    void activityKeepsOneBucketPerSecondAndForgets()
    {
        GpuActivity a;
        const qint64 t0 = kNow - 100'000;
        for (int s = 0; s < 100; ++s) {
            a.recordUtilization(1, 0, t0 + s * 1000, s == 10 ? 80 : 5);
            a.recordUtilization(1, 0, t0 + s * 1000 + 500, 6); // same second: the peak is kept
        }
        a.recordUtilization(1, 1, t0, -1); // [N/A]: no evidence
        a.recordProcess(1, 0, t0 + 5000);

        const auto lastMinute = a.summarize(kNow - 60'000);
        const GpuActivitySummary s = lastMinute.value(1).value(0);
        QCOMPARE(s.samples, 60);
        QCOMPARE(s.peakUtilization, 6.0);
        QCOMPARE(s.observedSinceMs, t0);
        QCOMPARE(s.lastProcessMs, t0 + 5000);
        QVERIFY(!lastMinute.value(1).contains(1));

        const GpuActivitySummary all = a.summarize(t0).value(1).value(0);
        QCOMPARE(all.samples, 100);
        QCOMPARE(all.peakUtilization, 80.0);

        // Ten minutes at most.
        a.recordUtilization(1, 0, kNow + GpuActivity::kMaxWindowMs, 1);
        QCOMPARE(a.summarize(0).value(1).value(0).samples, 1);

        a.forget(1);
        QVERIFY(a.summarize(0).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
