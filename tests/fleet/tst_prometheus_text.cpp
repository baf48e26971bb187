// The Prometheus text format on its own: escaping, HELP/TYPE once per family before its samples, families kept
// together, no duplicate series, values; then the /metrics text GPU Deck renders for a fleet: dcgm-exporter's names,
// HELP texts and labels, GPU Deck's own families, and what happens to a GPU without a UUID or with unified memory.
// A line-by-line reader checks the whole output's grammar; tst_fleet_api also runs promtool on a real scrape.
#include "fleet/FleetBuilder.h"
#include "prometheus/MetricsExport.h"
#include "prometheus/PrometheusText.h"

#include <QRegularExpression>
#include <QTest>

using namespace gpudeck;

namespace {

// Checks the exposition format line by line: every family's HELP then TYPE exactly once and before its samples,
// the samples of a family together, every sample line well-formed, no series twice. Returns the problems.
QStringList formatProblems(const QByteArray &text, QHash<QByteArray, QByteArray> *types = nullptr)
{
    static const QRegularExpression sampleLine(QStringLiteral(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*")*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$)"));
    QStringList problems;
    QSet<QByteArray> helped, typed, closed, series;
    QByteArray current;
    if (!text.endsWith('\n')) {
        problems << QStringLiteral("does not end with a newline");
    }
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
            const QList<QByteArray> parts = line.mid(7).split(' ');
            const QByteArray name = parts.value(0);
            QSet<QByteArray> &seen = line.startsWith("# HELP ") ? helped : typed;
            if (seen.contains(name)) {
                problems << QStringLiteral("second %1 line for %2")
                                .arg(QString::fromLatin1(line.left(6)), QString::fromLatin1(name));
            }
            seen.insert(name);
            if (line.startsWith("# TYPE ")) {
                if (!helped.contains(name)) {
                    problems << QStringLiteral("TYPE before HELP for %1").arg(QString::fromLatin1(name));
                }
                if (types) {
                    types->insert(name, parts.value(1));
                }
            }
            if (!current.isEmpty() && current != name) {
                closed.insert(current);
            }
            current = name;
            continue;
        }
        const QRegularExpressionMatch m = sampleLine.match(QString::fromUtf8(line));
        if (!m.hasMatch()) {
            problems << QStringLiteral("malformed line: %1").arg(QString::fromUtf8(line));
            continue;
        }
        const QByteArray name = m.captured(1).toUtf8();
        if (name != current || !typed.contains(name) || closed.contains(name)) {
            problems << QStringLiteral("sample of %1 outside its family").arg(QString::fromLatin1(name));
        }
        const QByteArray key = line.left(line.lastIndexOf(' '));
        if (series.contains(key)) {
            problems << QStringLiteral("duplicate series %1").arg(QString::fromUtf8(key));
        }
        series.insert(key);
    }
    return problems;
}

QByteArrayList samplesOf(const QByteArray &text, const QByteArray &name)
{
    QByteArrayList out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(name + '{') || line.startsWith(name + ' ')) {
            out.append(line);
        }
    }
    return out;
}

GpuSample gpu(int index, const QString &uuid)
{
    GpuSample s;
    s.index = index;
    s.uuid = uuid;
    s.name = QStringLiteral("NVIDIA H100 80GB HBM3");
    s.busId = QStringLiteral("00000000:00:0%1.0").arg(6 + index);
    s.utilizationGpu = 99;
    s.utilizationMemory = 31;
    s.memoryTotalMiB = 81559;
    s.memoryUsedMiB = 20085;
    s.memoryFreeMiB = 60995;
    s.temperatureC = 63;
    s.memoryTemperatureC = 51;
    s.powerDrawW = 689.73;
    s.smClockMHz = 1515;
    s.memoryClockMHz = 2619;
    return s;
}

FleetSnapshot fleet()
{
    FleetInputs in;
    in.now = QDateTime::currentDateTimeUtc();
    Connection a;
    a.id = 1;
    a.name = QStringLiteral("spark-1");
    a.kind = QStringLiteral("dgx-spark");
    Connection b;
    b.id = 2;
    b.name = QStringLiteral("lab \"B\"\\2\nnew");
    Connection c;
    c.id = 3;
    c.name = QStringLiteral("box-3");
    in.connections = {a, b, c};
    LinkStatus up;
    up.state = LinkState::Connected;
    in.links.insert(1, up);
    in.links.insert(2, up);
    HostMetrics m1;
    m1.connectionId = 1;
    m1.state = QStringLiteral("ok");
    GpuSample noUuid = gpu(1, QString());
    noUuid.powerDrawW = kNoValue; // [N/A]: no sample, not a zero
    m1.gpus = {gpu(0, QStringLiteral("GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60")), noUuid};
    HostMetrics m2;
    m2.connectionId = 2;
    m2.state = QStringLiteral("ok");
    GpuSample gb10 = gpu(0, QStringLiteral("GPU-gb10"));
    gb10.name = QStringLiteral("NVIDIA GB10");
    gb10.unifiedMemory = true;
    m2.gpus = {gb10};
    in.metrics = {m1, m2};
    Alert critical;
    critical.connectionId = 1;
    critical.severity = QStringLiteral("critical");
    in.activeAlerts = {critical};
    return buildFleet(in, FleetOptions{});
}

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapesLabelValuesAndHelp()
    {
        QCOMPARE(PrometheusText::escapeLabelValue(QStringLiteral("a\\b\"c\nd")), QByteArray("a\\\\b\\\"c\\nd"));
        QCOMPARE(PrometheusText::escapeLabelValue(QStringLiteral("ünï 203.0.113.10")),
                 QStringLiteral("ünï 203.0.113.10").toUtf8());
        QCOMPARE(PrometheusText::escapeHelp(QStringLiteral("a \"quoted\" \\ path\nnext")),
                 QByteArray("a \"quoted\" \\\\ path\\nnext"));
    }

    void formatsValues()
    {
        QCOMPARE(PrometheusText::formatValue(0), QByteArray("0"));
        QCOMPARE(PrometheusText::formatValue(81559), QByteArray("81559"));
        QCOMPARE(PrometheusText::formatValue(-3), QByteArray("-3"));
        QCOMPARE(PrometheusText::formatValue(689.73), QByteArray("689.73"));
        QCOMPARE(PrometheusText::formatValue(0.1), QByteArray("0.1"));
        QCOMPARE(PrometheusText::formatValue(1e300), QByteArray("1e+300"));
        QCOMPARE(PrometheusText::formatValue(std::nan("")), QByteArray("NaN"));
        QCOMPARE(PrometheusText::formatValue(HUGE_VAL), QByteArray("+Inf"));
        QCOMPARE(PrometheusText::formatValue(-HUGE_VAL), QByteArray("-Inf"));
    }

    void familiesTogetherWithHelpAndTypeOnce()
    {
        PrometheusText t;
        t.family("b_total", "counter", QStringLiteral("B things."));
        t.family("a", "gauge", QStringLiteral("A things."));
        t.family("a", "gauge", QStringLiteral("declared again: ignored"));
        QVERIFY(t.sample("a", {{"x", QStringLiteral("1")}}, 1));
        QVERIFY(t.sample("b_total", {{"y", QStringLiteral("2")}}, 2));
        QVERIFY(t.sample("a", {{"x", QStringLiteral("2")}}, 3));  // after b: still printed with a
        QVERIFY(!t.sample("a", {{"x", QStringLiteral("1")}}, 4)); // the same series again: dropped
        QVERIFY(!t.sample("undeclared", {}, 1));
        QVERIFY(t.sample("b_total", {}, 5)); // no labels
        QCOMPARE(t.duplicates(), 1);
        QCOMPARE(t.text(), QByteArray("# HELP b_total B things.\n# TYPE b_total counter\nb_total{y=\"2\"} 2\n"
                                      "b_total 5\n# HELP a A things.\n# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 3\n"));
        QVERIFY2(formatProblems(t.text()).isEmpty(), qPrintable(formatProblems(t.text()).join(u'\n')));
    }

    void namesAreChecked()
    {
        QVERIFY(PrometheusText::isValidMetricName("DCGM_FI_DEV_GPU_UTIL"));
        QVERIFY(PrometheusText::isValidMetricName("gpudeck:x_total"));
        QVERIFY(!PrometheusText::isValidMetricName("1x"));
        QVERIFY(!PrometheusText::isValidMetricName("a-b"));
        QVERIFY(PrometheusText::isValidLabelName("UUID"));
        QVERIFY(!PrometheusText::isValidLabelName("__name__"));
        QVERIFY(!PrometheusText::isValidLabelName("a:b"));
    }

    void dcgmExporterNamesUnitsAndLabels()
    {
        const QByteArray text = renderMetrics({fleet(), {}, {}, {}});
        QHash<QByteArray, QByteArray> types;
        const QStringList problems = formatProblems(text, &types);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));

        // dcgm-exporter's HELP texts (etc/default-counters.csv), all gauges.
        for (const auto &[name, help] :
             QList<QPair<QByteArray, QByteArray>>{{"DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %)."},
                                                  {"DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB)."},
                                                  {"DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB)."},
                                                  {"DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C)."},
                                                  {"DCGM_FI_DEV_POWER_USAGE", "Power draw (in W)."},
                                                  {"DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz)."}}) {
            QVERIFY2(text.contains("# HELP " + name + ' ' + help + '\n'), name.constData());
            QCOMPARE(types.value(name), QByteArray("gauge"));
        }
        const QByteArray labels0 = "{gpu=\"0\",UUID=\"GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60\","
                                   "pci_bus_id=\"00000000:00:06.0\",device=\"nvidia0\","
                                   "modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"spark-1\"}";
        QVERIFY(text.contains("DCGM_FI_DEV_GPU_UTIL" + labels0 + " 99\n"));
        QVERIFY(text.contains("DCGM_FI_DEV_FB_USED" + labels0 + " 20085\n"));
        QVERIFY(text.contains("DCGM_FI_DEV_FB_FREE" + labels0 + " 60995\n"));
        QVERIFY(text.contains("DCGM_FI_DEV_GPU_TEMP" + labels0 + " 63\n"));
        QVERIFY(text.contains("DCGM_FI_DEV_POWER_USAGE" + labels0 + " 689.73\n"));
        QVERIFY(text.contains("DCGM_FI_DEV_SM_CLOCK" + labels0 + " 1515\n"));

        // No UUID in the readings: UUID="" (absent to Prometheus); a reading that is not there is no sample.
        QVERIFY(text.contains("DCGM_FI_DEV_GPU_UTIL{gpu=\"1\",UUID=\"\","));
        QCOMPARE(samplesOf(text, "DCGM_FI_DEV_POWER_USAGE").size(), 2); // spark-1 GPU 0 and the GB10, not GPU 1

        // A host name with a quote, a backslash and a newline, escaped.
        const QByteArray escaped = "Hostname=\"lab \\\"B\\\"\\\\2\\nnew\"";
        QVERIFY2(text.contains("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-gb10\""), text.constData());
        QVERIFY(text.contains(escaped));
        // Unified memory (GB10) is the host's, not a framebuffer: no FB_* for it.
        QCOMPARE(samplesOf(text, "DCGM_FI_DEV_FB_USED").size(), 2);
        for (const QByteArray &line : samplesOf(text, "DCGM_FI_DEV_FB_USED")) {
            QVERIFY(!line.contains("GPU-gb10"));
        }
    }

    void gpuDecksOwnFamilies()
    {
        MetricsExportInputs in{fleet(),
                               {{QStringLiteral("running"), 2}, {QStringLiteral("completed"), 5}},
                               {{QStringLiteral("failed"), 1}},
                               {{"GET", QStringLiteral("/api/dgx/fleet"), 200, 7},
                                {"GET", QStringLiteral("/api/dgx/jobs/:id"), 404, 1},
                                {"other", ApiRequestStats::unmatched(), 405, 2}}};
        const QByteArray text = renderMetrics(in);
        QHash<QByteArray, QByteArray> types;
        const QStringList problems = formatProblems(text, &types);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));

        QCOMPARE(types.value("gpudeck_host_up"), QByteArray("gauge"));
        QVERIFY(text.contains("gpudeck_host_up{connection=\"spark-1\",kind=\"dgx-spark\"} 1\n"));
        QVERIFY(text.contains("gpudeck_host_up{connection=\"box-3\",kind=\"generic\"} 0\n"));
        QCOMPARE(samplesOf(text, "gpudeck_host_up").size(), 3);

        // Every status, zero included.
        QVERIFY(text.contains("gpudeck_jobs{state=\"running\"} 2\n"));
        QVERIFY(text.contains("gpudeck_jobs{state=\"completed\"} 5\n"));
        QVERIFY(text.contains("gpudeck_jobs{state=\"pending\"} 0\n"));
        QCOMPARE(samplesOf(text, "gpudeck_jobs").size(), 5);

        QCOMPARE(types.value("gpudeck_swaps_total"), QByteArray("counter"));
        QVERIFY(text.contains("gpudeck_swaps_total{outcome=\"failed\"} 1\n"));
        QVERIFY(text.contains("gpudeck_swaps_total{outcome=\"succeeded\"} 0\n"));
        QVERIFY(text.contains("gpudeck_swaps_total{outcome=\"cancelled\"} 0\n"));

        QCOMPARE(types.value("gpudeck_api_requests_total"), QByteArray("counter"));
        QVERIFY(text.contains("gpudeck_api_requests_total{method=\"GET\",route=\"/api/dgx/fleet\",code=\"200\"} 7\n"));
        QVERIFY(text.contains("gpudeck_api_requests_total{method=\"other\",route=\"unmatched\",code=\"405\"} 2\n"));

        QVERIFY(text.contains("gpudeck_alerts_active{severity=\"critical\"} 1\n"));
        QVERIFY(text.contains("gpudeck_alerts_active{severity=\"warning\"} 0\n"));
        QCOMPARE(samplesOf(text, "gpudeck_gpu_free").size(), 3);
    }

    void requestStatsBoundTheirLabels()
    {
        ApiRequestStats stats;
        stats.add("GET", QStringLiteral("/api/dgx/fleet"), 200);
        stats.add("GET", QStringLiteral("/api/dgx/fleet"), 200);
        stats.add("BREW", QString(), 404);
        stats.add("PROPFIND", QString(), 404);
        const QList<ApiRequestStats::Count> counts = stats.counts();
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts.at(0).method, QByteArray("GET"));
        QCOMPARE(counts.at(0).count, quint64(2));
        QCOMPARE(counts.at(1).method, QByteArray("other"));
        QCOMPARE(counts.at(1).route, ApiRequestStats::unmatched());
        QCOMPARE(counts.at(1).count, quint64(2));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheus_text.moc"
