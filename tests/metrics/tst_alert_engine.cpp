// AlertEngine on its own: when an alert starts and ends (hysteresis), memory percent, unreachable after a delay,
// forget(). No store, no threads.
#include "alerts/AlertEngine.h"

#include <QTest>

using namespace gpudeck;

namespace {

GpuSample sample(int index, double temperature, double usedMiB = 1000, double totalMiB = 80000)
{
    GpuSample s;
    s.index = index;
    s.temperatureC = temperature;
    s.memoryUsedMiB = usedMiB;
    s.memoryTotalMiB = totalMiB;
    return s;
}

AlertThresholds thresholds()
{
    AlertThresholds t;
    t.temperatureC = 85;
    t.temperatureClearC = 80;
    t.memoryPercent = 95;
    t.memoryClearPercent = 90;
    t.unreachableSeconds = 60;
    return t;
}

} // namespace

class TestAlertEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void temperatureHysteresisOneAlertPerEpisode()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        QVERIFY(e.onSample(1, QStringLiteral("box"), sample(0, 70)).isEmpty());
        QVERIFY(e.onSample(1, QStringLiteral("box"), sample(0, 84.9)).isEmpty());

        const auto raised = e.onSample(1, QStringLiteral("box"), sample(0, 85));
        QCOMPARE(raised.size(), 1);
        QVERIFY(raised.at(0).raised);
        const Alert &a = raised.at(0).alert;
        QCOMPARE(a.kind, QStringLiteral("gpu_temperature"));
        QCOMPARE(a.connectionId, 1);
        QCOMPARE(a.connectionName, QStringLiteral("box"));
        QCOMPARE(a.gpuIndex, 0);
        QCOMPARE(a.value, 85.0);
        QCOMPARE(a.threshold, 85.0);
        QVERIFY(a.active());
        QVERIFY(a.startedAt.isValid());
        QVERIFY(a.message.contains(QStringLiteral("box")) && a.message.contains(QStringLiteral("85")));
        e.setStoredId(AlertEngine::keyOf(a), 42);

        // Hovering around the line, and just under it, down to the clear level: the same episode.
        for (double t : {90.0, 84.0, 86.0, 81.0, 80.1, 95.0}) {
            QVERIFY2(e.onSample(1, QStringLiteral("box"), sample(0, t)).isEmpty(), qPrintable(QString::number(t)));
        }
        // At the clear level: it ends, carrying the stored id and the value that ended it.
        const auto cleared = e.onSample(1, QStringLiteral("box"), sample(0, 80));
        QCOMPARE(cleared.size(), 1);
        QVERIFY(!cleared.at(0).raised);
        QCOMPARE(cleared.at(0).alert.id, 42);
        QCOMPARE(cleared.at(0).alert.value, 80.0);
        QVERIFY(!cleared.at(0).alert.active());
        QVERIFY(cleared.at(0).alert.endedAt >= cleared.at(0).alert.startedAt);

        // Cool, then between the levels: nothing. Over again: a new episode.
        QVERIFY(e.onSample(1, QStringLiteral("box"), sample(0, 70)).isEmpty());
        QVERIFY(e.onSample(1, QStringLiteral("box"), sample(0, 84)).isEmpty());
        const auto again = e.onSample(1, QStringLiteral("box"), sample(0, 88));
        QCOMPARE(again.size(), 1);
        QVERIFY(again.at(0).raised);
        QCOMPARE(again.at(0).alert.id, 0); // not stored yet
    }

    void eachGpuAndHostHasItsOwnEpisode()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(0, 90)).size(), 1);
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(1, 90)).size(), 1);
        QCOMPARE(e.onSample(2, QStringLiteral("b"), sample(0, 90)).size(), 1);
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, 90)).isEmpty());
        // GPU 1 of host 1 cools: only its alert ends.
        const auto cleared = e.onSample(1, QStringLiteral("a"), sample(1, 60));
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(cleared.at(0).alert.gpuIndex, 1);
        QCOMPARE(cleared.at(0).alert.connectionId, 1);
        QVERIFY(e.onSample(2, QStringLiteral("b"), sample(0, 90)).isEmpty());
    }

    void missingReadingsNeitherRaiseNorClear()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, kNoValue, kNoValue, kNoValue)).isEmpty());
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(0, 90)).size(), 1);
        // [N/A] temperature: no news, the alert stays open.
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, kNoValue)).isEmpty());
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(0, 50)).size(), 1);
        // A zero memory total (or none) never divides.
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, 50, 100, 0)).isEmpty());
    }

    void memoryPercent()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, 50, 75000, 80000)).isEmpty());  // 93.75 %
        const auto raised = e.onSample(1, QStringLiteral("a"), sample(0, 50, 76000, 80000)); // 95 %
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.at(0).alert.kind, QStringLiteral("gpu_memory"));
        QCOMPARE(raised.at(0).alert.severity, QStringLiteral("warning"));
        QCOMPARE(raised.at(0).alert.value, 95.0);
        QCOMPARE(raised.at(0).alert.threshold, 95.0);
        QVERIFY(raised.at(0).alert.message.contains(QStringLiteral("95.0 %")));
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, 50, 79000, 80000)).isEmpty());
        QVERIFY(e.onSample(1, QStringLiteral("a"), sample(0, 50, 73000, 80000)).isEmpty());   // 91.25 %: still on
        const auto cleared = e.onSample(1, QStringLiteral("a"), sample(0, 50, 72000, 80000)); // 90 %
        QCOMPARE(cleared.size(), 1);
        QVERIFY(!cleared.at(0).raised);
        QCOMPARE(cleared.at(0).alert.kind, QStringLiteral("gpu_memory"));

        // Temperature and memory at once: two alerts, one of each.
        const auto both = e.onSample(1, QStringLiteral("a"), sample(0, 99, 80000, 80000));
        QCOMPARE(both.size(), 2);
        QSet<QString> kinds;
        for (const auto &c : both) {
            kinds.insert(c.alert.kind);
        }
        QCOMPARE(kinds, (QSet<QString>{QStringLiteral("gpu_temperature"), QStringLiteral("gpu_memory")}));
    }

    void unreachableOnlyAfterTheDelay()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        const qint64 t0 = 1'000'000;
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 30'000).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 59'999).isEmpty());
        const auto raised = e.onHostState(1, QStringLiteral("a"), false, t0 + 60'000);
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.at(0).alert.kind, QStringLiteral("host_unreachable"));
        QCOMPARE(raised.at(0).alert.gpuIndex, -1);
        QCOMPARE(raised.at(0).alert.value, 60.0);
        QVERIFY(raised.at(0).alert.message.contains(QStringLiteral("60 s")));
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 120'000).isEmpty()); // once
        const auto back = e.onHostState(1, QStringLiteral("a"), true, t0 + 121'000);
        QCOMPARE(back.size(), 1);
        QVERIFY(!back.at(0).raised);

        // A blip shorter than the delay, then up: never an alert, and the clock starts afresh next time.
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 200'000).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), true, t0 + 230'000).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 260'000).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, t0 + 300'000).isEmpty());
        QCOMPARE(e.onHostState(1, QStringLiteral("a"), false, t0 + 320'000).size(), 1);

        // A shorter threshold applies at once.
        AlertThresholds quick = thresholds();
        quick.unreachableSeconds = 5;
        e.setThresholds(quick);
        QVERIFY(e.onHostState(2, QStringLiteral("b"), false, t0).isEmpty());
        QCOMPARE(e.onHostState(2, QStringLiteral("b"), false, t0 + 5'000).size(), 1);
    }

    void forgetEndsEverythingOfThatConnection()
    {
        AlertEngine e;
        e.setThresholds(thresholds());
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(0, 99, 80000, 80000)).size(), 2);
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(1, 99)).size(), 1);
        QCOMPARE(e.onSample(2, QStringLiteral("b"), sample(0, 99)).size(), 1);
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, 0).isEmpty()); // down, not yet long enough

        const auto forgotten = e.forget(1);
        QCOMPARE(forgotten.size(), 3);
        for (const auto &c : forgotten) {
            QVERIFY(!c.raised);
            QCOMPARE(c.alert.connectionId, 1);
            QVERIFY(c.alert.endedAt.isValid());
            // Not over, only no longer looked at: the store reopens it when the same key is raised again.
            QCOMPARE(c.alert.endReason, QStringLiteral("unseen"));
            QCOMPARE(c.alert.key, AlertEngine::keyOf(c.alert));
        }
        QVERIFY(e.forget(1).isEmpty());
        // Host 2 untouched; host 1 starts afresh (a new episode, and a new unreachable clock).
        QVERIFY(e.onSample(2, QStringLiteral("b"), sample(0, 99)).isEmpty());
        QCOMPARE(e.onSample(1, QStringLiteral("a"), sample(0, 99)).size(), 1);
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, 1'000'000).isEmpty());
        QVERIFY(e.onHostState(1, QStringLiteral("a"), false, 1'059'000).isEmpty());
    }

    void thresholdsFromJson()
    {
        AlertThresholds t = thresholds();
        QString error;
        QVERIFY(AlertThresholds::fromJson(
            {{QStringLiteral("temperature_c"), 60}, {QStringLiteral("temperature_clear_c"), 55}}, t, &error));
        QCOMPARE(t.temperatureC, 60.0);
        QCOMPARE(t.temperatureClearC, 55.0);
        QCOMPARE(t.memoryPercent, 95.0); // untouched
        const AlertThresholds before = t;
        QVERIFY(
            !AlertThresholds::fromJson({{QStringLiteral("temperature_clear_c"), 70}}, t, &error)); // above the alert
        QVERIFY(error.contains(QStringLiteral("clear")));
        QVERIFY(!AlertThresholds::fromJson({{QStringLiteral("memory_percent"), 101}}, t, &error));
        QVERIFY(!AlertThresholds::fromJson({{QStringLiteral("unreachable_seconds"), 0}}, t, &error));
        QVERIFY(!AlertThresholds::fromJson({{QStringLiteral("bogus"), 1}}, t, &error));
        QVERIFY(!AlertThresholds::fromJson({{QStringLiteral("temperature_c"), QStringLiteral("hot")}}, t, &error));
        QCOMPARE(t.temperatureC, before.temperatureC); // a refused change changes nothing
        QCOMPARE(t.temperatureClearC, before.temperatureClearC);
    }
};

QTEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alert_engine.moc"
