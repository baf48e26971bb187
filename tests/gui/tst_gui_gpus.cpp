// The GPUs pane, the alerts list, the tray's state and the monitoring settings dialog, over a real Core
// (temporary SQLite file). No GPU and no sshd: live data goes in through GpusPane::applySnapshot (what
// MetricsService::hostUpdated feeds), history through MetricRepository, as the collector writes it.
#include "MainWindow.h"
#include "RecordTable.h"
#include "TestCore.h"
#include "alerts/AlertRepository.h"
#include "alerts/AlertsModel.h"
#include "alerts/AlertsPanel.h"
#include "gpus/ChartSegments.h"
#include "gpus/GpusPane.h"
#include "gpus/HostColumn.h"
#include "gpus/MetricChart.h"
#include "metrics/MetricsService.h"
#include "settings/MonitoringSettingsDialog.h"
#include "ssh/SshPool.h"
#include "store/MetricRepository.h"
#include "store/SettingsRepository.h"
#include "tray/TrayState.h"

#include <QAbstractButton>
#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPointer>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

GpuSample gpu(int index, qint64 timeMs, double util, double temperature, double memUsedMiB = 20000,
              double memTotalMiB = 81559, double power = 250)
{
    GpuSample g;
    g.index = index;
    g.time = QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC);
    g.name = QStringLiteral("NVIDIA H100 80GB HBM3");
    g.uuid = QStringLiteral("GPU-0000000%1-aaaa-bbbb-cccc-000000000000").arg(index);
    g.pstate = QStringLiteral("P0");
    g.utilizationGpu = util;
    g.temperatureC = temperature;
    g.memoryUsedMiB = memUsedMiB;
    g.memoryTotalMiB = memTotalMiB;
    g.powerDrawW = power;
    g.powerLimitW = 700;
    g.smClockMHz = 1980;
    return g;
}

HostMetrics host(qint64 id, const QString &name, const QList<GpuSample> &gpus,
                 const QString &state = QStringLiteral("ok"))
{
    HostMetrics m;
    m.connectionId = id;
    m.name = name;
    m.state = state;
    m.gpus = gpus;
    m.updatedAt = QDateTime::currentDateTimeUtc();
    return m;
}

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

template<typename T>
T *child(const QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// Counts the paints of the widgets it watches.
class PaintCounter : public QObject
{
public:
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
        }
        return QObject::eventFilter(watched, event);
    }
};

int pointCount(const Segments &segments)
{
    int n = 0;
    for (const auto &s : segments) {
        n += static_cast<int>(s.size());
    }
    return n;
}

} // namespace

class TestGuiGpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void splitAtGapsBreaksLines();
    void liveSnapshotFillsTableAndCharts();
    void liveGapSplitsSeries();
    void hostStateShownPlainly();
    void compactLayoutFitsThreeHostsAt1280x720();
    void chartsHoverThresholdsAndTicks();
    void nothingRedrawnWhenNothingChanged();
    void historyRangeReadsStoredRows();
    void alertsListedNewestFirst();
    void trayStateNoHosts();
    void trayStateOkHost();
    void trayStateReconnectingHost();
    void trayStateCriticalAlert();
    void settingsDialogRejectsClearAboveAlert();
    void settingsDialogSavesValidChange();
    void settingsDialogSetsWhenAHostIsDown();
    void refreshBenchmark();

private:
    qint64 createConnection(const QString &name);

    QTemporaryDir m_settingsDir;
    std::unique_ptr<TestCore> m_core;
};

void TestGuiGpus::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
}

void TestGuiGpus::init()
{
    QSettings().clear(); // the pane remembers its range: every test starts live
    m_core = std::make_unique<TestCore>(false);
}

void TestGuiGpus::cleanup()
{
    m_core.reset();
}

qint64 TestGuiGpus::createConnection(const QString &name)
{
    Connection c;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.10");
    const auto created = m_core->core().connections().create(c);
    return created.ok() ? created->id : 0;
}

void TestGuiGpus::splitAtGapsBreaksLines()
{
    const QList<QPointF> points = {{0, 1}, {1000, 2}, {2000, 3}, {9000, 4}, {10000, qQNaN()}, {11000, 6}, {12000, 7}};
    const Segments byStep = splitAtGaps(points, 3000);
    QCOMPARE(byStep.size(), 3); // 2000 -> 9000 is too far; the NaN breaks too
    QCOMPARE(byStep.at(0).size(), 3);
    QCOMPARE(byStep.at(1).size(), 1);
    QCOMPARE(byStep.at(2).size(), 2);
    // A gap the store reported breaks the line even where the points are close enough.
    const Segments byGap = splitAtGaps({{0, 1}, {1000, 2}, {2000, 3}}, 5000, {{1500, 2000}});
    QCOMPARE(byGap.size(), 2);
    QCOMPARE(niceCeiling(79.6), 80.0);   // an H100's 80 GB in GiB
    QCOMPARE(niceCeiling(119.7), 120.0); // a DGX Spark's unified memory
    QCOMPARE(niceCeiling(700), 800.0);
    QCOMPARE(niceCeiling(0.0), 1.0);
}

void TestGuiGpus::liveSnapshotFillsTableAndCharts()
{
    const qint64 id = createConnection(QStringLiteral("spark-1"));
    GpusPane pane(m_core->core());
    pane.resize(1000, 900);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QVERIFY(pane.hostColumns().isEmpty());
    QCOMPARE(pane.range(), GpusPane::Range::Live);

    const qint64 t0 = nowMs() - 10000;
    GpuSample unified = gpu(0, t0, 97, 71, 46182, 122570, 31.5);
    unified.name = QStringLiteral("NVIDIA GB10");
    unified.unifiedMemory = true;
    unified.powerLimitW = kNoValue;
    HostMetrics m = host(id, QStringLiteral("spark-1"), {unified});
    GpuProcess process;
    process.pid = 4242;
    process.name = QStringLiteral("python3 train.py --epochs 3");
    process.usedMemoryMiB = 12000;
    process.gpuUuid = unified.uuid;
    m.processes = {process};
    pane.applySnapshot(m);
    pane.refreshNow();

    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);
    QCOMPARE(pane.hostColumns().size(), 1);
    const QTableWidget *table = column->gpuTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(cell(table, 0, HostColumn::GpuNameColumn), QStringLiteral("0"));
    const QString summary = child<QLabel>(column, "hostSummaryLabel")->text();
    QVERIFY2(summary.startsWith(QStringLiteral("GB10")), qPrintable(summary));
    QCOMPARE(cell(table, 0, HostColumn::UtilColumn), QStringLiteral("97 %"));
    QCOMPARE(cell(table, 0, HostColumn::TemperatureColumn), QStringLiteral("71 °C"));
    QCOMPARE(cell(table, 0, HostColumn::MemoryColumn), QStringLiteral("45.1 / 119.7 GiB"));
    QCOMPARE(table->horizontalHeaderItem(HostColumn::MemoryColumn)->text(), QStringLiteral("Memory (unified)"));
    QCOMPARE(cell(table, 0, HostColumn::PowerColumn), QStringLiteral("31.5 W"));
    QCOMPARE(cell(table, 0, HostColumn::ClockColumn), QStringLiteral("1980 MHz"));
    QCOMPARE(cell(table, 0, HostColumn::PStateColumn), QStringLiteral("P0"));
    const QTableWidget *processes = column->processTable();
    QCOMPARE(processes->rowCount(), 1);
    QCOMPARE(cell(processes, 0, HostColumn::PidColumn), QStringLiteral("4242"));
    QCOMPARE(cell(processes, 0, HostColumn::ProcessNameColumn), QStringLiteral("python3 train.py --epochs 3"));
    QCOMPARE(cell(processes, 0, HostColumn::ProcessGpuColumn), QStringLiteral("0"));
    QVERIFY(!column->stateLabel()->isVisible());

    // Four more samples, two seconds apart as the collector sends them: one unbroken line of five points.
    for (int i = 1; i <= 4; ++i) {
        GpuSample next = unified;
        next.time = QDateTime::fromMSecsSinceEpoch(t0 + i * 2000, Qt::UTC);
        next.utilizationGpu = 90 + i;
        m.gpus = {next};
        pane.applySnapshot(m);
    }
    // The same snapshot again (another GPU reported, this one did not): no duplicate point.
    pane.applySnapshot(m);
    pane.refreshNow();
    const Segments util = column->chart(HostColumn::Utilization)->segments(0);
    QCOMPARE(util.size(), 1);
    QCOMPARE(util.first().size(), 5);
    QCOMPARE(util.first().first().y(), 97.0);
    QCOMPARE(util.first().last().y(), 94.0);
    QCOMPARE(util.first().last().x(), double(t0 + 8000));
    QCOMPARE(cell(table, 0, HostColumn::UtilColumn), QStringLiteral("94 %"));
    const Segments memory = column->chart(HostColumn::Memory)->segments(0);
    QCOMPARE(pointCount(memory), 5);
    QVERIFY(qAbs(memory.first().first().y() - 46182 / 1024.0) < 1e-6); // charted in GiB
    // The live window is the last five minutes; the memory axis reaches the unified total.
    const MetricChart *chart = column->chart(HostColumn::Utilization);
    QVERIFY(qAbs(chart->timeTo() - nowMs()) < 5000);
    QCOMPARE(chart->timeTo() - chart->timeFrom(), GpusPane::spanMs(GpusPane::Range::Live));
    QVERIFY(column->chart(HostColumn::Memory)->valueMax() >= 119.7);
}

void TestGuiGpus::liveGapSplitsSeries()
{
    const qint64 id = createConnection(QStringLiteral("spark-2"));
    GpusPane pane(m_core->core());
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    // The default interval is 2 s: 4 s apart is fine, 36 s apart (the stream restarting) is a gap.
    const qint64 t0 = nowMs() - 120000;
    for (qint64 offset : {0, 2000, 4000, 40000, 42000}) {
        pane.applySnapshot(
            host(id, QStringLiteral("spark-2"), {gpu(0, t0 + offset, 50, 60), gpu(1, t0 + offset, 10, 40)}));
    }
    pane.refreshNow();
    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);
    for (int metric = 0; metric < HostColumn::MetricCount; ++metric) {
        for (int g : {0, 1}) {
            const Segments segments = column->chart(static_cast<HostColumn::Metric>(metric))->segments(g);
            QCOMPARE(segments.size(), 2);
            QCOMPARE(segments.at(0).size(), 3);
            QCOMPARE(segments.at(1).size(), 2);
            QCOMPARE(segments.at(1).first().x(), double(t0 + 40000));
        }
    }
    // Once the line is whole again, the spare series is emptied, not removed: it is reused next time.
    const int series = column->chart(HostColumn::Utilization)->seriesCount();
    pane.applySnapshot(host(id, QStringLiteral("spark-2"), {gpu(0, t0 + 44000, 50, 60), gpu(1, t0 + 44000, 10, 40)}));
    pane.refreshNow();
    QCOMPARE(column->chart(HostColumn::Utilization)->seriesCount(), series);
}

void TestGuiGpus::hostStateShownPlainly()
{
    const qint64 id = createConnection(QStringLiteral("spark-2"));
    GpusPane pane(m_core->core());
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    HostMetrics m = host(id, QStringLiteral("spark-2"), {}, QStringLiteral("offline"));
    m.detail = QStringLiteral("connection refused");
    pane.applySnapshot(m);
    pane.refreshNow();
    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);
    QVERIFY(column->stateLabel()->isVisible());
    QCOMPARE(column->stateLabel()->text(), QStringLiteral("Offline: connection refused"));
    QVERIFY(!column->gpuTable()->isVisible());

    m.state = QStringLiteral("no_nvidia_smi");
    m.detail.clear();
    pane.applySnapshot(m);
    pane.refreshNow();
    QCOMPARE(column->stateLabel()->text(), QStringLiteral("nvidia-smi not found"));

    pane.applySnapshot(host(id, QStringLiteral("spark-2"), {gpu(0, nowMs(), 5, 35)}));
    pane.refreshNow();
    QVERIFY(!column->stateLabel()->isVisible());
    QVERIFY(column->gpuTable()->isVisible());
}

void TestGuiGpus::compactLayoutFitsThreeHostsAt1280x720()
{
    const QStringList names = {QStringLiteral("dgx-1"), QStringLiteral("dgx-2"), QStringLiteral("dgx-3")};
    QList<qint64> ids;
    for (const QString &name : names) {
        ids.append(createConnection(name));
    }
    MainWindow window(m_core->core());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPane(MainWindow::GpusPaneIndex);
    GpusPane *pane = window.gpusPane();
    const QString command = QStringLiteral("/usr/bin/python3 /srv/work/experiments/long-context/train_llama.py "
                                           "--config configs/70b.yaml --resume");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        QList<GpuSample> gpus;
        for (int g = 0; g < 8; ++g) {
            gpus.append(gpu(g, nowMs(), 50, 60));
        }
        HostMetrics m = host(ids.at(i), names.at(i), gpus);
        GpuProcess process;
        process.pid = 4242;
        process.name = command;
        process.usedMemoryMiB = 12000;
        process.gpuIndex = 3;
        m.processes = {process};
        pane->applySnapshot(m);
    }
    pane->refreshNow();
    QCOMPARE(pane->hostColumns().size(), 3);
    auto *scroll = child<QScrollArea>(pane, "hostColumnsArea");
    QVERIFY(scroll);
    QTRY_VERIFY(pane->hostColumns().last()->width() > 0 && pane->hostColumns().last()->isVisible());
    // Three hosts side by side, nothing to scroll sideways: the pane, and each column's tables.
    QTRY_COMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    for (HostColumn *column : pane->hostColumns()) {
        QVERIFY(column->isCompact());
        const QRect r(column->mapTo(scroll->viewport(), QPoint(0, 0)), column->size());
        QVERIFY(r.left() >= 0 && r.right() < scroll->viewport()->width());
        const QTableWidget *table = column->gpuTable();
        QCOMPARE(table->rowCount(), 8);
        QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
        // Every header whole ("Memory", not "emo"): each column at least as wide as its header wants.
        const QHeaderView *header = table->horizontalHeader();
        for (int c = 0; c < table->columnCount(); ++c) {
            if (!table->isColumnHidden(c)) {
                QVERIFY2(header->sectionSize(c) >= header->sectionSizeHint(c),
                         qPrintable(table->horizontalHeaderItem(c)->text()));
            }
        }
        // One short row per GPU: the used figures with a bar; the totals, the clock and P-state in tooltips.
        QVERIFY(table->isColumnHidden(HostColumn::ClockColumn));
        QVERIFY(table->isColumnHidden(HostColumn::PStateColumn));
        QCOMPARE(cell(table, 0, HostColumn::MemoryColumn), QStringLiteral("19.5 GiB"));
        QCOMPARE(table->item(0, HostColumn::MemoryColumn)->toolTip(), QStringLiteral("19.5 / 79.6 GiB"));
        QCOMPARE(cell(table, 0, HostColumn::PowerColumn), QStringLiteral("250 W"));
        QCOMPARE(table->item(0, HostColumn::PowerColumn)->toolTip(), QStringLiteral("250 / 700 W"));
        QCOMPARE(table->item(0, HostColumn::UtilColumn)->data(HostColumn::BarFractionRole).toDouble(), 0.5);
        QCOMPARE(table->item(0, HostColumn::PowerColumn)->data(HostColumn::BarFractionRole).toDouble(), 250.0 / 700);
        QVERIFY(table->item(0, HostColumn::GpuNameColumn)->toolTip().contains(QStringLiteral("1980 MHz")));
        // The command line is cut in the middle (the executable stays in view), whole in its tooltip.
        const QTableWidget *processes = column->processTable();
        QCOMPARE(processes->textElideMode(), Qt::ElideMiddle);
        QCOMPARE(processes->item(0, HostColumn::ProcessNameColumn)->toolTip(), command);
        QVERIFY(processes->columnWidth(HostColumn::ProcessNameColumn) <
                processes->fontMetrics().horizontalAdvance(command));
        QCOMPARE(processes->horizontalScrollBar()->maximum(), 0);
    }

    // Out of the compact layout (a wider column), the table has every column again and the totals in its cells.
    HostColumn *first = pane->hostColumns().first();
    first->setCompact(false);
    QVERIFY(!first->gpuTable()->isColumnHidden(HostColumn::ClockColumn));
    QCOMPARE(cell(first->gpuTable(), 0, HostColumn::MemoryColumn), QStringLiteral("19.5 / 79.6 GiB"));
    QCOMPARE(cell(first->gpuTable(), 0, HostColumn::PowerColumn), QStringLiteral("250 / 700 W"));
}

void TestGuiGpus::chartsHoverThresholdsAndTicks()
{
    const qint64 id = createConnection(QStringLiteral("dgx-1"));
    GpusPane pane(m_core->core());
    pane.resize(1000, 900);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    // Two minutes of three GPUs, two of them with the same readings all along.
    const qint64 t0 = nowMs() - 120000;
    for (qint64 t = t0; t <= t0 + 120000; t += 2000) {
        pane.applySnapshot(
            host(id, QStringLiteral("dgx-1"), {gpu(0, t, 50, 60), gpu(1, t, 50, 60), gpu(2, t, 10, 40)}));
    }
    pane.refreshNow();
    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);
    MetricChart *util = column->chart(HostColumn::Utilization);
    QTRY_VERIFY(util->chart()->plotArea().height() > 50);
    pane.refreshNow();

    // The two equal GPUs are drawn apart (each its own line), their values untouched.
    QCOMPARE(util->segments(0).first().first().y(), 50.0);
    QCOMPARE(util->segments(1).first().first().y(), 50.0);
    const double drawn0 = util->drawnSegments(0).first().first().y();
    const double drawn1 = util->drawnSegments(1).first().first().y();
    QVERIFY2(drawn0 != drawn1, qPrintable(QStringLiteral("%1 %2").arg(drawn0).arg(drawn1)));
    const double pxPerValue = util->chart()->plotArea().height() / (util->valueMax() * 1.1);
    QVERIFY(std::abs(drawn0 - drawn1) * pxPerValue >= 1.0); // at least a pixel apart
    QVERIFY(std::abs(drawn0 - 50) < 5);

    // Time ticks on round minutes of the clock, labelled HH:mm.
    const QList<qint64> ticks = util->timeTicks();
    QVERIFY(ticks.size() >= 3);
    for (qint64 t : ticks) {
        QVERIFY(t >= util->timeFrom() && t <= util->timeTo());
        const QTime time = QDateTime::fromMSecsSinceEpoch(t).time();
        QCOMPARE(time.second(), 0);
        QCOMPARE(time.msec(), 0);
        QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d$")).match(util->tickLabel(t)).hasMatch());
    }

    // Threshold lines: the temperature alert, the memory alert of these 80 GB GPUs, the power limit.
    const QList<MetricChart::Threshold> temperature = column->chart(HostColumn::Temperature)->thresholds();
    QCOMPARE(temperature.size(), 1);
    QCOMPARE(temperature.first().value, 85.0);
    QVERIFY(temperature.first().alert);
    QCOMPARE(temperature.first().label, QStringLiteral("alert 85 °C"));
    const QList<MetricChart::Threshold> power = column->chart(HostColumn::Power)->thresholds();
    QCOMPARE(power.size(), 1);
    QCOMPARE(power.first().value, 700.0);
    QCOMPARE(power.first().label, QStringLiteral("limit 700 W"));
    QVERIFY(column->chart(HostColumn::Power)->valueMax() >= 700);
    QCOMPARE(column->chart(HostColumn::Memory)->thresholds().size(), 1);

    // The mouse over the plot: a crosshair with every GPU's value at that time, highest first.
    const QRectF plot = util->chart()->plotArea();
    const qint64 hovered = t0 + 60000; // in the middle of the samples
    const double x = plot.left() + static_cast<double>(hovered - util->timeFrom()) /
                                       static_cast<double>(util->timeTo() - util->timeFrom()) * plot.width();
    const QPoint at = util->mapFromScene(util->chart()->mapToScene(QPointF(x, plot.center().y())));
    QMouseEvent move(QEvent::MouseMove, QPointF(at), QPointF(util->viewport()->mapToGlobal(at)), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(util->viewport(), &move);
    QVERIFY(util->hasHover());
    QVERIFY(std::abs(util->hoverTime() - hovered) < 2000);
    const QStringList lines = util->hoverText();
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(1), QStringLiteral("GPU 0: 50 %"));
    QCOMPARE(lines.at(2), QStringLiteral("GPU 1: 50 %"));
    QCOMPARE(lines.at(3), QStringLiteral("GPU 2: 10 %"));
    const QStringList temperatures = column->chart(HostColumn::Temperature)->hoverText();
    QVERIFY(temperatures.isEmpty()); // only the chart under the mouse
    util->grab();                    // paints the crosshair without tripping over anything
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(util, &leave);
    QVERIFY(!util->hasHover());
    // Before the first sample there is nothing to read.
    QVERIFY(util->readingsAt(t0 - 60000).isEmpty());

    // A day: ticks on whole hours.
    pane.setRange(GpusPane::Range::Day);
    for (qint64 t : util->timeTicks()) {
        const QTime time = QDateTime::fromMSecsSinceEpoch(t).time();
        QCOMPARE(time.minute(), 0);
        QCOMPARE(time.second(), 0);
    }
}

void TestGuiGpus::nothingRedrawnWhenNothingChanged()
{
    const qint64 id = createConnection(QStringLiteral("dgx-1"));
    GpusPane pane(m_core->core());
    pane.resize(1000, 900);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QTRY_COMPARE(pane.nextRedrawMs(), -1); // nothing to show, nothing planned
    pane.applySnapshot(host(id, QStringLiteral("dgx-1"), {gpu(0, nowMs(), 50, 60), gpu(1, nowMs(), 20, 40)}));
    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);
    // The snapshot is drawn within the second.
    // (A coarse timer may run 5 % late.)
    QVERIFY2(pane.nextRedrawMs() >= 0 && pane.nextRedrawMs() <= 1100, qPrintable(QString::number(pane.nextRedrawMs())));
    // Drawn, and nothing new: the next redraw is the live time axis' move, ten seconds on.
    QTRY_VERIFY(pane.nextRedrawMs() > 5000);
    PaintCounter counter;
    for (int m = 0; m < HostColumn::MetricCount; ++m) {
        column->chart(static_cast<HostColumn::Metric>(m))->viewport()->installEventFilter(&counter);
    }
    column->gpuTable()->viewport()->installEventFilter(&counter);
    QTest::qWait(2500); // what an idle window does in that time: nothing
    QCOMPARE(counter.paints, 0);
    // A new sample is drawn within a second.
    pane.applySnapshot(host(id, QStringLiteral("dgx-1"), {gpu(0, nowMs(), 60, 61), gpu(1, nowMs(), 20, 40)}));
    QTRY_VERIFY_WITH_TIMEOUT(counter.paints > 0, 3000);
    QTRY_COMPARE(cell(column->gpuTable(), 0, HostColumn::UtilColumn), QStringLiteral("60 %"));
    // A stored range does not move by itself: once drawn, no timer is left running.
    pane.setRange(GpusPane::Range::Day);
    QTRY_COMPARE(pane.nextRedrawMs(), -1);
    // Hidden, nothing is planned either.
    pane.setRange(GpusPane::Range::Live);
    pane.hide();
    pane.applySnapshot(host(id, QStringLiteral("dgx-1"), {gpu(0, nowMs(), 70, 61), gpu(1, nowMs(), 20, 40)}));
    QCOMPARE(pane.nextRedrawMs(), -1);
}

void TestGuiGpus::historyRangeReadsStoredRows()
{
    const qint64 spark1 = createConnection(QStringLiteral("spark-1"));
    const qint64 spark2 = createConnection(QStringLiteral("spark-2"));
    QVERIFY(spark1 > 0 && spark2 > 0);
    // Two hours of samples for spark-1's two GPUs, 30 s apart, with half an hour missing in the middle.
    const qint64 now = nowMs();
    const qint64 from = now - 3 * 3600 * 1000;
    const qint64 gapFrom = now - 2 * 3600 * 1000;
    const qint64 gapTo = gapFrom + 30 * 60 * 1000;
    QList<StoredSample> samples;
    for (qint64 t = from; t < now - 3600 * 1000; t += 30000) {
        if (t >= gapFrom && t < gapTo) {
            continue;
        }
        for (int g : {0, 1}) {
            samples.append({spark1, t, g, 40.0 + 10 * g, 8000, 81559, 55.0 + g, 300});
        }
    }
    MetricRepository repository(m_core->core().database());
    QVERIFY(repository.insert(samples).ok());
    QVERIFY(repository.rollUp(now).ok());

    GpusPane pane(m_core->core());
    pane.resize(1200, 900);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QVERIFY(pane.hostColumns().isEmpty()); // live: nothing is being monitored

    pane.setRange(GpusPane::Range::Day);
    QCOMPARE(pane.range(), GpusPane::Range::Day);
    QVERIFY(child<QAbstractButton>(&pane, "range24hButton")->isChecked());
    HostColumn *column = pane.hostColumn(spark1);
    QVERIFY(column);
    QVERIFY(!pane.hostColumn(spark2)); // no data, not monitored: no empty column
    QCOMPARE(pane.hostColumns().size(), 1);
    QVERIFY(column->stateLabel()->isVisible()); // "not monitored now"

    const MetricChart *util = column->chart(HostColumn::Utilization);
    QCOMPARE(util->timeTo() - util->timeFrom(), GpusPane::spanMs(GpusPane::Range::Day));
    for (int g : {0, 1}) {
        const Segments segments = util->segments(g);
        QCOMPARE(segments.size(), 2); // the missing half hour is a break, not a line across it
        QVERIFY(pointCount(segments) >= 15);
        for (const auto &segment : segments) {
            for (const QPointF &p : segment) {
                QCOMPARE(p.y(), 40.0 + 10 * g);
                QVERIFY(p.x() >= double(from - 3600 * 1000) && p.x() < double(now - 3600 * 1000));
            }
        }
        const Segments temperature = column->chart(HostColumn::Temperature)->segments(g);
        QCOMPARE(temperature.first().first().y(), 55.0 + g);
    }
    // The gap lies between the two lines.
    const Segments gpu0 = util->segments(0);
    QVERIFY(gpu0.at(0).last().x() <= double(gapFrom));
    QVERIFY(gpu0.at(1).first().x() >= double(gapTo - 5 * 60 * 1000));

    // Back to live: the history-only host goes away again.
    pane.setRange(GpusPane::Range::Live);
    QVERIFY(!pane.hostColumn(spark1));
    // The chosen range is remembered.
    pane.setRange(GpusPane::Range::Week);
    GpusPane again(m_core->core());
    QCOMPARE(again.range(), GpusPane::Range::Week);
    QVERIFY(again.hostColumn(spark1));
}

void TestGuiGpus::alertsListedNewestFirst()
{
    const qint64 id = createConnection(QStringLiteral("spark-1"));
    AlertRepository alerts(m_core->core().database());
    Alert hot;
    hot.connectionId = id;
    hot.connectionName = QStringLiteral("spark-1");
    hot.gpuIndex = 0;
    hot.kind = QStringLiteral("gpu_temperature");
    hot.severity = QStringLiteral("critical");
    hot.message = QStringLiteral("spark-1 GPU 0 is at 91 °C (alert at 85 °C)");
    hot.value = 91;
    hot.threshold = 85;
    hot.startedAt = QDateTime::currentDateTimeUtc().addSecs(-600);
    const auto hotId = alerts.insert(hot);
    QVERIFY(hotId.ok());
    QVERIFY(alerts.close(hotId.value(), QDateTime::currentDateTimeUtc().addSecs(-300), 79).ok());
    Alert full = hot;
    full.kind = QStringLiteral("gpu_memory");
    full.severity = QStringLiteral("warning");
    full.message = QStringLiteral("spark-1 GPU 0 memory is 96.0 % full (alert at 95 %)");
    full.startedAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    QVERIFY(alerts.insert(full).ok());

    GpusPane pane(m_core->core());
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    const AlertsModel *model = pane.alertsPanel()->model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, AlertsModel::MessageColumn).data().toString(), full.message);
    QCOMPARE(model->index(0, AlertsModel::EndedColumn).data().toString(), QStringLiteral("Active"));
    QVERIFY(model->index(0, AlertsModel::MessageColumn).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model->index(0, AlertsModel::MessageColumn).data(Qt::BackgroundRole).isValid());
    QCOMPARE(model->index(1, AlertsModel::MessageColumn).data().toString(), hot.message);
    QVERIFY(!model->index(1, AlertsModel::MessageColumn).data(Qt::FontRole).isValid());
    QCOMPARE(model->activeCount(), 1);

    // A new alert comes in through the service's signal: the list follows.
    Alert down;
    down.connectionId = id;
    down.connectionName = QStringLiteral("spark-1");
    down.kind = QStringLiteral("host_unreachable");
    down.severity = QStringLiteral("critical");
    down.message = QStringLiteral("spark-1 has been unreachable for 61 s");
    down.startedAt = QDateTime::currentDateTimeUtc();
    const auto downId = alerts.insert(down);
    QVERIFY(downId.ok());
    down.id = downId.value();
    Q_EMIT m_core->core().metrics().alertChanged(down, true);
    QTRY_COMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(0, AlertsModel::MessageColumn).data().toString(), down.message);
    QCOMPARE(model->activeCount(), 2);
}

void TestGuiGpus::trayStateNoHosts()
{
    const TrayState state = TrayState::evaluate({}, {});
    QCOMPARE(state.level(), TrayState::Level::Idle);
    QCOMPARE(state.color(), TrayState::color(TrayState::Level::Idle));
    QCOMPARE(state.toolTip(), QStringLiteral("GPU Deck\nNo hosts connected"));
}

void TestGuiGpus::trayStateOkHost()
{
    TrayState::Host spark1;
    spark1.name = QStringLiteral("spark-1");
    spark1.link = LinkState::Connected;
    spark1.monitored = true;
    spark1.metrics = host(1, QStringLiteral("spark-1"), {gpu(0, nowMs(), 97, 64), gpu(1, nowMs(), 12, 71)});
    TrayState::Host spark2;
    spark2.name = QStringLiteral("spark-2");
    spark2.link = LinkState::Disconnected;
    spark2.monitored = true;
    spark2.metrics = host(2, QStringLiteral("spark-2"), {}, QStringLiteral("offline"));
    const TrayState state = TrayState::evaluate({spark1, spark2}, {});
    QCOMPARE(state.level(), TrayState::Level::Ok);
    QCOMPARE(state.toolTip(), QStringLiteral("GPU Deck\nspark-1: 2 GPUs, 97 %, 71 °C\nspark-2: offline"));
    QVERIFY(state.color() != TrayState::color(TrayState::Level::Idle));

    spark1.metrics.gpus.removeLast();
    QCOMPARE(TrayState::hostLine(spark1), QStringLiteral("spark-1: 1 GPU, 97 %, 64 °C"));
}

void TestGuiGpus::trayStateReconnectingHost()
{
    TrayState::Host ok;
    ok.name = QStringLiteral("spark-1");
    ok.link = LinkState::Connected;
    ok.monitored = true;
    ok.metrics = host(1, QStringLiteral("spark-1"), {gpu(0, nowMs(), 3, 40)});
    TrayState::Host reconnecting;
    reconnecting.name = QStringLiteral("spark-2");
    reconnecting.link = LinkState::Reconnecting;
    reconnecting.attempt = 3;
    const TrayState state = TrayState::evaluate({ok, reconnecting}, {});
    QCOMPARE(state.level(), TrayState::Level::Warning);
    QVERIFY(state.toolTip().contains(QStringLiteral("spark-2: reconnecting (attempt 3)")));

    // A failed link is worse than one reconnecting.
    reconnecting.link = LinkState::Failed;
    QCOMPARE(TrayState::evaluate({ok, reconnecting}, {}).level(), TrayState::Level::Critical);
    // A metrics stream restarting is a warning too.
    ok.metrics.state = QStringLiteral("stream_error");
    QCOMPARE(TrayState::evaluate({ok}, {}).level(), TrayState::Level::Warning);
}

void TestGuiGpus::trayStateCriticalAlert()
{
    TrayState::Host ok;
    ok.name = QStringLiteral("spark-1");
    ok.link = LinkState::Connected;
    ok.monitored = true;
    ok.metrics = host(1, QStringLiteral("spark-1"), {gpu(0, nowMs(), 100, 92)});
    Alert warning;
    warning.severity = QStringLiteral("warning");
    warning.startedAt = QDateTime::currentDateTimeUtc();
    QCOMPARE(TrayState::evaluate({ok}, {warning}).level(), TrayState::Level::Warning);
    Alert critical = warning;
    critical.severity = QStringLiteral("critical");
    const TrayState state = TrayState::evaluate({ok}, {warning, critical});
    QCOMPARE(state.level(), TrayState::Level::Critical);
    QCOMPARE(state.toolTip(), QStringLiteral("GPU Deck\nspark-1: 1 GPU, 100 %, 92 °C\n1 critical alert\n1 warning"));
    QVERIFY(state.color() != TrayState::color(TrayState::Level::Warning));
    // An alert that ended no longer counts.
    critical.endedAt = QDateTime::currentDateTimeUtc();
    QCOMPARE(TrayState::evaluate({ok}, {critical}).level(), TrayState::Level::Ok);
}

void TestGuiGpus::settingsDialogRejectsClearAboveAlert()
{
    m_core->core().startMonitoring();
    GpusPane pane(m_core->core());
    MonitoringSettingsDialog *dialog = pane.openSettings();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *errorLabel = child<QLabel>(dialog, "errorLabel");
    QVERIFY(!errorLabel->isVisible());
    child<QSpinBox>(dialog, "temperatureSpin")->setValue(80);
    child<QSpinBox>(dialog, "temperatureClearSpin")->setValue(90);
    dialog->accept();
    QVERIFY(dialog->isVisible());
    QVERIFY(errorLabel->isVisible());
    QVERIFY2(errorLabel->text().contains(QStringLiteral("clear level")), qPrintable(errorLabel->text()));
    QCOMPARE(dialog->focusWidget(), child<QSpinBox>(dialog, "temperatureClearSpin"));
    QTest::qWait(50);
    QCOMPARE(m_core->core().metrics().settings().thresholds.temperatureC, 85.0);
    QCOMPARE(m_core->core().metrics().settings().thresholds.temperatureClearC, 80.0);
    dialog->reject();
}

void TestGuiGpus::settingsDialogSavesValidChange()
{
    m_core->core().startMonitoring();
    GpusPane pane(m_core->core());
    QPointer<MonitoringSettingsDialog> dialog = pane.openSettings();
    QVERIFY(dialog);
    QCOMPARE(child<QSpinBox>(dialog, "intervalSpin")->value(), 2);
    child<QSpinBox>(dialog, "intervalSpin")->setValue(5);
    child<QSpinBox>(dialog, "temperatureSpin")->setValue(90);
    child<QSpinBox>(dialog, "temperatureClearSpin")->setValue(82);
    child<QSpinBox>(dialog, "minuteDaysSpin")->setValue(14);
    dialog->accept();
    QVERIFY(!dialog || !dialog->isVisible());
    QTRY_COMPARE(m_core->core().metrics().settings().intervalMs, 5000);
    const MonitoringSettings s = m_core->core().metrics().settings();
    QCOMPARE(s.thresholds.temperatureC, 90.0);
    QCOMPARE(s.thresholds.temperatureClearC, 82.0);
    QCOMPARE(s.retention.minuteMs, 14LL * 24 * 3600 * 1000);
    QVERIFY(!s.paused);
    QCOMPARE(m_core->core().ssh().settings().downAfterMs, 6000); // untouched: the SSH part is saved as it was

    // Pausing from the pane goes through the same service, and the action follows the applied state.
    pane.pauseAction()->trigger();
    QTRY_VERIFY(m_core->core().metrics().settings().paused);
    QTRY_VERIFY(pane.pauseAction()->isChecked());
    QCOMPARE(m_core->core().metrics().settings().intervalMs, 5000); // the rest is kept
    pane.pauseAction()->trigger();
    QTRY_VERIFY(!m_core->core().metrics().settings().paused);

    // Each change is in the audit log as the window's: the dialog's two settings, then pause and resume.
    const auto audit = m_core->core().audit().list(QStringLiteral("gui"));
    QVERIFY(audit.ok());
    QStringList routes;
    for (const AuditEntry &e : audit.value()) {
        routes.prepend(e.method + QLatin1Char(' ') + e.route);
    }
    QCOMPARE(routes,
             (QStringList{QStringLiteral("PUT /api/config/monitoring"), QStringLiteral("PUT /api/config/ssh"),
                          QStringLiteral("PUT /api/config/monitoring"), QStringLiteral("PUT /api/config/monitoring")}));
}

void TestGuiGpus::settingsDialogSetsWhenAHostIsDown()
{
    // The SSH links' "down after" lives in the same dialog and is saved through the pool, as PUT /api/config/ssh.
    GpusPane pane(m_core->core());
    QPointer<MonitoringSettingsDialog> dialog = pane.openSettings();
    QVERIFY(dialog);
    auto *downAfter = child<QSpinBox>(dialog, "downAfterSpin");
    QCOMPARE(downAfter->value(), 6);
    QVERIFY(downAfter->suffix().contains(QStringLiteral("without an answer")));
    downAfter->setValue(12);
    dialog->accept();
    QVERIFY(!dialog || !dialog->isVisible());
    QCOMPARE(m_core->core().ssh().settings().downAfterMs, 12000);
    QCOMPARE(m_core->core().ssh().settings().keepaliveIntervalMs(), 4000);
    QCOMPARE(SettingsRepository(m_core->core().database())
                 .value(QStringLiteral("ssh"))
                 .value(QStringLiteral("down_after_s"))
                 .toDouble(),
             12.0);
    // Opened again, it shows what is in force.
    dialog = pane.openSettings();
    QCOMPARE(child<QSpinBox>(dialog, "downAfterSpin")->value(), 12);
    dialog->reject();
}

void TestGuiGpus::refreshBenchmark()
{
    // Eight GPUs, five minutes at one sample a second: the live chart's worst case, redrawn once a second.
    const qint64 id = createConnection(QStringLiteral("dgx-8"));
    GpusPane pane(m_core->core());
    pane.resize(1400, 1000);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    const int gpus = 8;
    const int points = 300;
    const qint64 t0 = nowMs() - points * 1000;
    auto snapshot = [&](qint64 t) {
        QList<GpuSample> list;
        for (int g = 0; g < gpus; ++g) {
            const double phase = static_cast<double>(t / 1000 + g * 7);
            list.append(gpu(g, t, 50 + 45 * std::sin(phase / 20), 60 + 10 * std::sin(phase / 30), 40000 + 100 * g,
                            81559, 300 + 200 * std::sin(phase / 25)));
        }
        return host(id, QStringLiteral("dgx-8"), list);
    };
    QElapsedTimer feed;
    feed.start();
    for (int i = 0; i < points; ++i) {
        pane.applySnapshot(snapshot(t0 + i * 1000));
    }
    const double feedMs = static_cast<double>(feed.nsecsElapsed()) / 1e6;
    HostColumn *column = pane.hostColumn(id);
    QVERIFY(column);

    QElapsedTimer first;
    first.start();
    pane.refreshNow();
    QCoreApplication::processEvents();
    column->grab(); // paints every chart, as the screen would
    const double firstMs = static_cast<double>(first.nsecsElapsed()) / 1e6;
    QCOMPARE(pointCount(column->chart(HostColumn::Utilization)->segments(3)), points);

    const int rounds = 20;
    QElapsedTimer steady;
    steady.start();
    for (int i = 0; i < rounds; ++i) {
        pane.applySnapshot(snapshot(t0 + (points + i) * 1000));
        pane.refreshNow();
        QCoreApplication::processEvents();
        column->grab();
    }
    const double steadyMs = static_cast<double>(steady.nsecsElapsed()) / 1e6 / rounds;

    QElapsedTimer dataOnly;
    dataOnly.start();
    for (int i = 0; i < rounds; ++i) {
        pane.applySnapshot(snapshot(t0 + (points + rounds + i) * 1000));
        pane.refreshNow();
    }
    const double dataMs = static_cast<double>(dataOnly.nsecsElapsed()) / 1e6 / rounds;

    QElapsedTimer axisOnly; // a second with no new sample: only the time axis moves
    axisOnly.start();
    for (int i = 0; i < rounds; ++i) {
        pane.refreshNow();
    }
    const double axisMs = static_cast<double>(axisOnly.nsecsElapsed()) / 1e6 / rounds;
    qInfo().noquote() << QStringLiteral("GPUs pane, %1 GPUs x %2 points x 4 charts: feeding %3 snapshots %4 ms; "
                                        "first redraw+paint %5 ms; per-second update (series refill + paint) %6 ms; "
                                        "series refill alone %7 ms; time axis alone %8 ms")
                             .arg(gpus)
                             .arg(points)
                             .arg(points)
                             .arg(feedMs, 0, 'f', 1)
                             .arg(firstMs, 0, 'f', 1)
                             .arg(steadyMs, 0, 'f', 1)
                             .arg(dataMs, 0, 'f', 1)
                             .arg(axisMs, 0, 'f', 1);
}

QTEST_MAIN(TestGuiGpus)
#include "tst_gui_gpus.moc"
