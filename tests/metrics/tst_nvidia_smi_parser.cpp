#include "NvidiaSmiReportParser.h"
#include "metrics/NvidiaSmiParser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <cmath>

using namespace gpudeck;
using gpudeck::test::DmonSample;
using gpudeck::test::GpuListEntry;
using gpudeck::test::NvidiaSmiReportParser;

// The nvidia-smi parsers against every file of the real recorded output in tests/fixtures/nvidia-smi (an
// H100 on driver 580), then against synthetic cases the recording cannot show: DGX Spark (GB10) memory,
// several GPUs, odd process names, malformed lines, CRLF, and a byte stream split anywhere.
class TestNvidiaSmiParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyFixtureFileIsCovered();

    // recorded output
    void idleQueryNounits();
    void loadQueryNounits();
    void queryCsvWithUnitsAndRenamedHeaders();
    void unitsLineThroughQueryNames();
    void loopCsv();
    void loopCsvThroughLineBuffer();
    void computeApps();
    void xml();
    void queryText();
    void table();
    void list();
    void dmon();
    void helpQueryGpu();
    void pollCost();

    // synthetic
    void dgxSparkUnifiedMemory();
    void notSupportedAndUnknownError();
    void severalGpus();
    void processNameWithSpacesAndCommas();
    void parseNumber_data();
    void parseNumber();
    void wrongFieldCount();
    void garbage();
    void tolerantSeparator();
    void crlf();
    void olderDriverSpellings();
    void notNvidiaSmiOutput();
    void commands();
    void lineBufferSplitsAnywhere();
    void lineBufferMaxLine();

    void queryLineSpeed();
};

namespace {

QString fixtureRoot()
{
    return QStringLiteral(GPUDECK_FIXTURES);
}

QString h100(const QString &relative)
{
    return fixtureRoot() + QStringLiteral("/h100-driver580/") + relative;
}

QByteArray readBytes(const QString &path, bool *ok)
{
    QFile f(path);
    *ok = f.open(QIODevice::ReadOnly);
    return *ok ? f.readAll() : QByteArray();
}

// The data line of a --format=csv capture, for line-level tests.
const QString kIdleLine = QStringLiteral(
    "2026/11/22 20:07:55.755, 0, GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60, NVIDIA H100 80GB HBM3, 00000000:00:06.0, "
    "580.159.04, P0, 0, 0, 81559, 0, 81079, 38, 38, 123.11, 700.00, [N/A], 1980, 2619, 1980, 0x0000000000000000, 0");

const QString kUuid = QStringLiteral("GPU-1d569442-f6f4-af9f-e6c5-e5d5d1f8eb60");
const QString kName = QStringLiteral("NVIDIA H100 80GB HBM3");
const QString kBusId = QStringLiteral("00000000:00:06.0");
const QString kDriver = QStringLiteral("580.159.04");

// A line for the standard query fields with some fields replaced (by position).
QString lineWith(const QHash<int, QString> &replace, int index = 0)
{
    QStringList fields = kIdleLine.split(QStringLiteral(", "));
    fields[1] = QString::number(index);
    for (auto it = replace.begin(); it != replace.end(); ++it) {
        fields[it.key()] = it.value();
    }
    return fields.join(QStringLiteral(", "));
}

} // namespace

#define READ_FIXTURE(var, relative)                                                                                    \
    QString var;                                                                                                       \
    {                                                                                                                  \
        bool ok_ = false;                                                                                              \
        var = QString::fromUtf8(readBytes(h100(QStringLiteral(relative)), &ok_));                                      \
        QVERIFY2(ok_, qPrintable(QStringLiteral("cannot read fixture ") + h100(QStringLiteral(relative))));            \
    }

void TestNvidiaSmiParser::initTestCase()
{
    // No skip: without the recorded output these tests prove nothing, so a missing directory is a failure.
    QVERIFY2(QDir(fixtureRoot() + QStringLiteral("/h100-driver580")).exists(),
             qPrintable(QStringLiteral("nvidia-smi fixtures not found at %1 (tests/fixtures/nvidia-smi/h100-driver580 "
                                       "in the repository)")
                            .arg(fixtureRoot())));
}

void TestNvidiaSmiParser::everyFixtureFileIsCovered()
{
    // A new recording must get assertions here, not go unnoticed.
    const QStringList covered = {
        QStringLiteral("README.md"),
        QStringLiteral("help-query-gpu.txt"),
        QStringLiteral("poll-cost.txt"),
        QStringLiteral("idle/compute-apps.csv"),
        QStringLiteral("idle/nvidia-smi-L.txt"),
        QStringLiteral("idle/nvidia-smi-q.txt"),
        QStringLiteral("idle/nvidia-smi-q.xml"),
        QStringLiteral("idle/nvidia-smi.txt"),
        QStringLiteral("idle/proc-meminfo.txt"),
        QStringLiteral("idle/query-gpu-nounits.csv"),
        QStringLiteral("idle/query-gpu.csv"),
        QStringLiteral("load/compute-apps.csv"),
        QStringLiteral("load/dmon.txt"),
        QStringLiteral("load/loop.csv"),
        QStringLiteral("load/nvidia-smi-L.txt"),
        QStringLiteral("load/nvidia-smi-q.txt"),
        QStringLiteral("load/nvidia-smi-q.xml"),
        QStringLiteral("load/nvidia-smi.txt"),
        QStringLiteral("load/query-gpu-nounits.csv"),
        QStringLiteral("load/query-gpu.csv"),
    };
    const QDir root(fixtureRoot() + QStringLiteral("/h100-driver580"));
    QStringList present;
    for (const QString &dir : {QString(), QStringLiteral("idle"), QStringLiteral("load")}) {
        const QDir d(root.filePath(dir));
        for (const QString &f : d.entryList(QDir::Files)) {
            present.append(dir.isEmpty() ? f : dir + u'/' + f);
        }
    }
    present.sort();
    QStringList expected = covered;
    expected.sort();
    QCOMPARE(present, expected);
    QCOMPARE(QDir(fixtureRoot()).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("h100-driver580")});
}

void TestNvidiaSmiParser::idleQueryNounits()
{
    READ_FIXTURE(text, "idle/query-gpu-nounits.csv");
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    const auto s = NvidiaSmiParser::parseQueryLine(lines[0]);
    QVERIFY(s);
    QCOMPARE(s->reportedTime, QStringLiteral("2026/11/22 20:07:55.755"));
    QVERIFY(!s->time.isValid()); // the collector stamps the time it received the line
    QCOMPARE(s->index, 0);
    QCOMPARE(s->uuid, kUuid);
    QCOMPARE(s->name, kName);
    QCOMPARE(s->busId, kBusId);
    QCOMPARE(s->driverVersion, kDriver);
    QCOMPARE(s->pstate, QStringLiteral("P0"));
    QCOMPARE(s->utilizationGpu, 0.0);
    QCOMPARE(s->utilizationMemory, 0.0);
    QCOMPARE(s->memoryTotalMiB, 81559.0);
    QCOMPARE(s->memoryUsedMiB, 0.0);
    QCOMPARE(s->memoryFreeMiB, 81079.0);
    QCOMPARE(s->temperatureC, 38.0);
    QCOMPARE(s->memoryTemperatureC, 38.0);
    QCOMPARE(s->powerDrawW, 123.11);
    QCOMPARE(s->powerLimitW, 700.0);
    QVERIFY(std::isnan(s->fanPercent)); // [N/A] on data-centre GPUs
    QCOMPARE(s->smClockMHz, 1980.0);
    QCOMPARE(s->memoryClockMHz, 2619.0);
    QCOMPARE(s->maxSmClockMHz, 1980.0);
    QCOMPARE(s->throttleReasons, quint64(0));
    QCOMPARE(s->eccUncorrected, 0.0);
    QVERIFY(!s->unifiedMemory);
}

void TestNvidiaSmiParser::loadQueryNounits()
{
    READ_FIXTURE(text, "load/query-gpu-nounits.csv");
    const auto s = NvidiaSmiParser::parseQueryLine(text.trimmed());
    QVERIFY(s);
    QCOMPARE(s->reportedTime, QStringLiteral("2026/11/22 20:08:08.119"));
    QCOMPARE(s->index, 0);
    QCOMPARE(s->uuid, kUuid);
    QCOMPARE(s->utilizationGpu, 99.0);
    QCOMPARE(s->utilizationMemory, 30.0);
    QCOMPARE(s->memoryTotalMiB, 81559.0);
    QCOMPARE(s->memoryUsedMiB, 20085.0);
    QCOMPARE(s->memoryFreeMiB, 60995.0);
    QCOMPARE(s->temperatureC, 62.0);
    QCOMPARE(s->memoryTemperatureC, 50.0);
    QCOMPARE(s->powerDrawW, 691.70);
    QCOMPARE(s->powerLimitW, 700.0);
    QVERIFY(std::isnan(s->fanPercent));
    QCOMPARE(s->smClockMHz, 1485.0);
    QCOMPARE(s->memoryClockMHz, 2619.0);
    QCOMPARE(s->maxSmClockMHz, 1980.0);
    QCOMPARE(s->throttleReasons, quint64(0x4)); // SW power cap
    QCOMPARE(s->eccUncorrected, 0.0);
}

void TestNvidiaSmiParser::queryCsvWithUnitsAndRenamedHeaders()
{
    {
        READ_FIXTURE(text, "load/query-gpu.csv");
        // The header says clocks.current.sm [MHz] and clocks_event_reasons.active, not what was asked for.
        QVERIFY(text.contains(QStringLiteral("clocks_event_reasons.active")));
        QVERIFY(text.contains(QStringLiteral("clocks.current.sm [MHz]")));
        int malformed = -1;
        const auto r = NvidiaSmiReportParser::parseQueryCsv(text, &malformed);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(malformed, 0);
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.reportedTime, QStringLiteral("2026/11/22 20:08:08.087"));
        QCOMPARE(s.index, 0);
        QCOMPARE(s.uuid, kUuid);
        QCOMPARE(s.name, kName);
        QCOMPARE(s.pstate, QStringLiteral("P0"));
        QCOMPARE(s.utilizationGpu, 98.0);
        QCOMPARE(s.utilizationMemory, 32.0);
        QCOMPARE(s.memoryTotalMiB, 81559.0);
        QCOMPARE(s.memoryUsedMiB, 20085.0);
        QCOMPARE(s.memoryFreeMiB, 60995.0);
        QCOMPARE(s.temperatureC, 62.0);
        QCOMPARE(s.powerDrawW, 692.61);
        QCOMPARE(s.powerLimitW, 700.0);
        QVERIFY(std::isnan(s.fanPercent));
        QCOMPARE(s.smClockMHz, 1485.0);
        QCOMPARE(s.memoryClockMHz, 2619.0);
        QCOMPARE(s.maxSmClockMHz, 1980.0);
        QCOMPARE(s.throttleReasons, quint64(0x4));
        QCOMPARE(s.eccUncorrected, 0.0);
    }
    {
        READ_FIXTURE(text, "idle/query-gpu.csv");
        int malformed = -1;
        const auto r = NvidiaSmiReportParser::parseQueryCsv(text, &malformed);
        QVERIFY(r.ok());
        QCOMPARE(malformed, 0);
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.reportedTime, QStringLiteral("2026/11/22 20:07:55.726"));
        QCOMPARE(s.utilizationGpu, 0.0);
        QCOMPARE(s.memoryUsedMiB, 0.0);
        QCOMPARE(s.memoryFreeMiB, 81079.0);
        QCOMPARE(s.temperatureC, 38.0);
        QCOMPARE(s.powerDrawW, 123.09);
        QCOMPARE(s.smClockMHz, 1980.0);
        QCOMPARE(s.throttleReasons, quint64(0));
    }
}

void TestNvidiaSmiParser::unitsLineThroughQueryNames()
{
    // The data line of a --format=csv capture, read with the query's own field names: units are stripped.
    READ_FIXTURE(text, "load/query-gpu.csv");
    const QString line = text.split(u'\n').value(1);
    const auto s = NvidiaSmiParser::parseQueryLine(line);
    QVERIFY(s);
    QCOMPARE(s->utilizationGpu, 98.0);
    QCOMPARE(s->memoryUsedMiB, 20085.0);
    QCOMPARE(s->powerDrawW, 692.61);
    QCOMPARE(s->smClockMHz, 1485.0);
    // and the header line itself is not a sample
    QVERIFY(!NvidiaSmiParser::parseQueryLine(text.split(u'\n').value(0)));
}

void TestNvidiaSmiParser::loopCsv()
{
    READ_FIXTURE(text, "load/loop.csv");
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    // The README says 20 samples; the recording holds 21 lines (poll-cost.txt's `wc -l` agrees): all are read.
    QCOMPARE(lines.size(), 21);
    QList<GpuSample> samples;
    for (const QString &line : lines) {
        const auto s = NvidiaSmiParser::parseQueryLine(line);
        QVERIFY2(s, qPrintable(line));
        QCOMPARE(s->index, 0);
        QCOMPARE(s->uuid, kUuid);
        QCOMPARE(s->memoryUsedMiB, 20085.0);
        QCOMPARE(s->throttleReasons, quint64(0x4));
        QVERIFY(s->utilizationGpu >= 98 && s->utilizationGpu <= 99);
        samples.append(*s);
    }
    const GpuSample &first = samples.first();
    QCOMPARE(first.reportedTime, QStringLiteral("2026/11/22 20:08:11.042"));
    QCOMPARE(first.utilizationGpu, 99.0);
    QCOMPARE(first.utilizationMemory, 31.0);
    QCOMPARE(first.temperatureC, 63.0);
    QCOMPARE(first.memoryTemperatureC, 51.0);
    QCOMPARE(first.powerDrawW, 689.73);
    QCOMPARE(first.smClockMHz, 1515.0);
    const GpuSample &last = samples.last();
    QCOMPARE(last.reportedTime, QStringLiteral("2026/11/22 20:08:15.124"));
    QCOMPARE(last.utilizationGpu, 99.0);
    QCOMPARE(last.utilizationMemory, 31.0);
    QCOMPARE(last.temperatureC, 65.0);
    QCOMPARE(last.memoryTemperatureC, 53.0);
    QCOMPARE(last.powerDrawW, 689.45);
    QCOMPARE(last.smClockMHz, 1575.0);
}

void TestNvidiaSmiParser::loopCsvThroughLineBuffer()
{
    // The collector's path: the looping process's stdout read in chunks of whatever size the channel gives.
    bool ok = false;
    const QByteArray bytes = readBytes(h100(QStringLiteral("load/loop.csv")), &ok);
    QVERIFY(ok);
    QRandomGenerator rng(580);
    LineBuffer buffer;
    QStringList lines;
    for (qsizetype pos = 0; pos < bytes.size();) {
        const qsizetype n = qMin<qsizetype>(rng.bounded(1, 300), bytes.size() - pos);
        lines += buffer.append(bytes.mid(pos, n));
        pos += n;
    }
    QCOMPARE(lines.size(), 21);
    QCOMPARE(buffer.dropped(), 0);
    for (const QString &line : std::as_const(lines)) {
        QVERIFY2(NvidiaSmiParser::parseQueryLine(line), qPrintable(line));
    }
    QCOMPARE(NvidiaSmiParser::parseQueryLine(lines.last())->powerDrawW, 689.45);
}

void TestNvidiaSmiParser::computeApps()
{
    {
        READ_FIXTURE(text, "load/compute-apps.csv");
        int malformed = -1;
        const QList<GpuProcess> p = NvidiaSmiParser::parseComputeApps(text, &malformed);
        QCOMPARE(malformed, 0);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].pid, qint64(425));
        QCOMPARE(p[0].name, QStringLiteral("python3"));
        QCOMPARE(p[0].usedMemoryMiB, 20076.0);
        QCOMPARE(p[0].gpuUuid, kUuid);
    }
    {
        READ_FIXTURE(text, "idle/compute-apps.csv");
        QVERIFY(text.isEmpty());
        int malformed = -1;
        QVERIFY(NvidiaSmiParser::parseComputeApps(text, &malformed).isEmpty());
        QCOMPARE(malformed, 0);
    }
}

void TestNvidiaSmiParser::xml()
{
    {
        READ_FIXTURE(text, "load/nvidia-smi-q.xml");
        QList<GpuProcess> processes;
        const auto r = NvidiaSmiReportParser::parseXml(text, &processes);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.index, 0);
        QCOMPARE(s.name, kName);
        QCOMPARE(s.uuid, kUuid);
        QCOMPARE(s.busId, kBusId);
        QCOMPARE(s.driverVersion, kDriver);
        QCOMPARE(s.pstate, QStringLiteral("P0"));
        QCOMPARE(s.utilizationGpu, 98.0);
        QCOMPARE(s.utilizationMemory, 31.0);
        QCOMPARE(s.memoryTotalMiB, 81559.0);
        QCOMPARE(s.memoryUsedMiB, 20085.0);
        QCOMPARE(s.memoryFreeMiB, 60995.0);
        QCOMPARE(s.temperatureC, 62.0);
        QCOMPARE(s.memoryTemperatureC, 50.0);
        QCOMPARE(s.powerDrawW, 689.94); // average_power_draw: what power.draw reports on Hopper
        QCOMPARE(s.powerLimitW, 700.0);
        QVERIFY(std::isnan(s.fanPercent));
        QCOMPARE(s.smClockMHz, 1545.0);
        QCOMPARE(s.memoryClockMHz, 2619.0);
        QCOMPARE(s.maxSmClockMHz, 1980.0);
        QCOMPARE(s.throttleReasons, quint64(0x4)); // clocks_event_reason_sw_power_cap Active
        QCOMPARE(s.eccUncorrected, 0.0);
        QCOMPARE(processes.size(), 1);
        QCOMPARE(processes[0].pid, qint64(425));
        QCOMPARE(processes[0].name, QStringLiteral("python3"));
        QCOMPARE(processes[0].usedMemoryMiB, 20076.0);
        QCOMPARE(processes[0].gpuUuid, kUuid);
        QCOMPARE(processes[0].gpuIndex, 0);
    }
    {
        READ_FIXTURE(text, "idle/nvidia-smi-q.xml");
        QList<GpuProcess> processes = {GpuProcess{}};
        const auto r = NvidiaSmiReportParser::parseXml(text, &processes);
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.utilizationGpu, 0.0);
        QCOMPARE(s.memoryUsedMiB, 0.0);
        QCOMPARE(s.memoryFreeMiB, 81079.0);
        QCOMPARE(s.temperatureC, 37.0);
        QCOMPARE(s.memoryTemperatureC, 38.0);
        QCOMPARE(s.powerDrawW, 120.14);
        QCOMPARE(s.smClockMHz, 405.0);
        QCOMPARE(s.throttleReasons, quint64(0x1)); // clocks_event_reason_gpu_idle Active
        QVERIFY(processes.isEmpty());
        QVERIFY(NvidiaSmiReportParser::parseXml(text).ok()); // processes are optional
    }
}

void TestNvidiaSmiParser::queryText()
{
    {
        READ_FIXTURE(text, "load/nvidia-smi-q.txt");
        QList<GpuProcess> processes;
        const auto r = NvidiaSmiReportParser::parseQueryText(text, &processes);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.index, 0);
        QCOMPARE(s.name, kName);
        QCOMPARE(s.uuid, kUuid);
        QCOMPARE(s.busId, kBusId);
        QCOMPARE(s.driverVersion, kDriver);
        QCOMPARE(s.pstate, QStringLiteral("P0"));
        QCOMPARE(s.utilizationGpu, 98.0);
        QCOMPARE(s.utilizationMemory, 32.0);
        QCOMPARE(s.memoryTotalMiB, 81559.0);
        QCOMPARE(s.memoryUsedMiB, 20085.0);
        QCOMPARE(s.memoryFreeMiB, 60995.0);
        QCOMPARE(s.temperatureC, 63.0);
        QCOMPARE(s.memoryTemperatureC, 51.0);
        QCOMPARE(s.powerDrawW, 694.20);
        QCOMPARE(s.powerLimitW, 700.0);
        QVERIFY(std::isnan(s.fanPercent));
        QCOMPARE(s.smClockMHz, 1515.0);
        QCOMPARE(s.memoryClockMHz, 2619.0);
        QCOMPARE(s.maxSmClockMHz, 1980.0);
        QCOMPARE(s.throttleReasons, quint64(0x4)); // "SW Power Cap : Active"; the counters section is not read
        QCOMPARE(s.eccUncorrected, 0.0);
        QCOMPARE(processes.size(), 1);
        QCOMPARE(processes[0].pid, qint64(425));
        QCOMPARE(processes[0].name, QStringLiteral("python3"));
        QCOMPARE(processes[0].usedMemoryMiB, 20076.0);
        QCOMPARE(processes[0].gpuUuid, kUuid);
        QCOMPARE(processes[0].gpuIndex, 0);

        const auto plain = NvidiaSmiReportParser::parseQueryText(text);
        QVERIFY(plain.ok());
        QCOMPARE(plain->first().powerDrawW, 694.20);
    }
    {
        READ_FIXTURE(text, "idle/nvidia-smi-q.txt");
        QList<GpuProcess> processes;
        const auto r = NvidiaSmiReportParser::parseQueryText(text, &processes);
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.utilizationGpu, 0.0);
        QCOMPARE(s.memoryUsedMiB, 0.0);
        QCOMPARE(s.temperatureC, 37.0);
        QCOMPARE(s.memoryTemperatureC, 38.0);
        QCOMPARE(s.powerDrawW, 114.27);
        QCOMPARE(s.smClockMHz, 405.0);
        QCOMPARE(s.throttleReasons, quint64(0x1)); // "Idle : Active"
        QVERIFY(processes.isEmpty());              // "Processes : None"
    }
}

void TestNvidiaSmiParser::table()
{
    {
        READ_FIXTURE(text, "load/nvidia-smi.txt");
        QList<GpuProcess> processes;
        const auto r = NvidiaSmiReportParser::parseTable(text, &processes);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.index, 0);
        QCOMPARE(s.name, kName);
        QCOMPARE(s.busId, kBusId);
        QCOMPARE(s.driverVersion, kDriver);
        QVERIFY(std::isnan(s.fanPercent));
        QCOMPARE(s.temperatureC, 62.0);
        QCOMPARE(s.pstate, QStringLiteral("P0"));
        QCOMPARE(s.powerDrawW, 691.0);
        QCOMPARE(s.powerLimitW, 700.0);
        QCOMPARE(s.memoryUsedMiB, 20085.0);
        QCOMPARE(s.memoryTotalMiB, 81559.0);
        QVERIFY(std::isnan(s.memoryFreeMiB)); // not in the table; total - used would ignore reserved memory
        QCOMPARE(s.utilizationGpu, 98.0);
        QCOMPARE(processes.size(), 1);
        QCOMPARE(processes[0].gpuIndex, 0);
        QCOMPARE(processes[0].pid, qint64(425));
        QCOMPARE(processes[0].name, QStringLiteral("python3"));
        QCOMPARE(processes[0].usedMemoryMiB, 20076.0);
    }
    {
        READ_FIXTURE(text, "idle/nvidia-smi.txt");
        QList<GpuProcess> processes = {GpuProcess{}};
        const auto r = NvidiaSmiReportParser::parseTable(text, &processes);
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 1);
        const GpuSample &s = r->first();
        QCOMPARE(s.temperatureC, 38.0);
        QCOMPARE(s.powerDrawW, 123.0);
        QCOMPARE(s.powerLimitW, 700.0);
        QCOMPARE(s.memoryUsedMiB, 0.0);
        QCOMPARE(s.memoryTotalMiB, 81559.0);
        QCOMPARE(s.utilizationGpu, 0.0);
        QVERIFY(processes.isEmpty()); // "No running processes found"
    }
}

void TestNvidiaSmiParser::list()
{
    for (const char *file : {"idle/nvidia-smi-L.txt", "load/nvidia-smi-L.txt"}) {
        bool ok = false;
        const QString text = QString::fromUtf8(readBytes(h100(QString::fromLatin1(file)), &ok));
        QVERIFY(ok);
        const QList<GpuListEntry> gpus = NvidiaSmiReportParser::parseList(text);
        QCOMPARE(gpus.size(), 1);
        QCOMPARE(gpus[0].index, 0);
        QCOMPARE(gpus[0].name, kName);
        QCOMPARE(gpus[0].uuid, kUuid);
    }
    // MIG devices are listed under their GPU and are not GPUs themselves
    const auto mig =
        NvidiaSmiReportParser::parseList(QStringLiteral("GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-aaaa)\n"
                                                        "  MIG 1g.5gb      Device  0: (UUID: MIG-bbbb)\n"
                                                        "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-cccc)\n"));
    QCOMPARE(mig.size(), 2);
    QCOMPARE(mig[1].index, 1);
    QCOMPARE(mig[1].uuid, QStringLiteral("GPU-cccc"));
}

void TestNvidiaSmiParser::dmon()
{
    READ_FIXTURE(text, "load/dmon.txt");
    int malformed = -1;
    const QList<DmonSample> rows = NvidiaSmiReportParser::parseDmon(text, &malformed);
    QCOMPARE(malformed, 0);
    QCOMPARE(rows.size(), 3);
    const DmonSample &a = rows[0];
    QCOMPARE(a.index, 0);
    QCOMPARE(a.powerW, 694.0);
    QCOMPARE(a.gpuTemperatureC, 63.0);
    QCOMPARE(a.memoryTemperatureC, 51.0);
    QCOMPARE(a.smPercent, 99.0);
    QCOMPARE(a.memPercent, 31.0);
    QCOMPARE(a.memoryClockMHz, 2619.0);
    QCOMPARE(a.smClockMHz, 1470.0);
    QCOMPARE(rows[1].memoryTemperatureC, 50.0);
    QCOMPARE(rows[1].smClockMHz, 1575.0);
    const DmonSample &c = rows[2];
    QCOMPARE(c.powerW, 692.0);
    QCOMPARE(c.gpuTemperatureC, 63.0);
    QCOMPARE(c.memoryTemperatureC, 51.0);
    QCOMPARE(c.smPercent, 99.0);
    QCOMPARE(c.memPercent, 32.0);
    QCOMPARE(c.smClockMHz, 1530.0);

    // "-" is dmon's missing value; rows without a header, or with a different column count, are malformed
    const auto odd = NvidiaSmiReportParser::parseDmon(QStringLiteral("    0    694\n"
                                                                     "# gpu    pwr  gtemp\n"
                                                                     "# Idx      W      C\n"
                                                                     "    1      -     40\n"
                                                                     "    2     10\n"),
                                                      &malformed);
    QCOMPARE(odd.size(), 1);
    QCOMPARE(odd[0].index, 1);
    QVERIFY(std::isnan(odd[0].powerW));
    QCOMPARE(odd[0].gpuTemperatureC, 40.0);
    QCOMPARE(malformed, 2);
}

void TestNvidiaSmiParser::helpQueryGpu()
{
    READ_FIXTURE(text, "help-query-gpu.txt");
    const QStringList names = NvidiaSmiReportParser::parseHelpQueryGpu(text);
    for (const char *n : {"timestamp",
                          "index",
                          "utilization.gpu",
                          "utilization.memory",
                          "memory.total",
                          "memory.used",
                          "clocks.sm",
                          "clocks.current.sm",
                          "clocks.max.sm",
                          "name",
                          "gpu_name",
                          "uuid",
                          "gpu_uuid",
                          "clocks_throttle_reasons.active",
                          "clocks_event_reasons.active",
                          "power.draw",
                          "power.draw.average",
                          "temperature.gpu",
                          "fan.speed",
                          "hostname"}) {
        QVERIFY2(names.contains(QString::fromLatin1(n)), n);
    }
    // description lines that start with a quote are not field names
    QVERIFY(!names.contains(QStringLiteral("0: Default")));
    for (const QString &n : names) {
        QVERIFY2(!n.contains(u' ') && !n.isEmpty(), qPrintable(n));
    }
    // 214 field lines, 41 of them with a distinct alias ("clocks.max.sm" or "clocks.max.sm" counts once)
    QCOMPARE(names.size(), 255);
    QCOMPARE(QStringList(names).removeDuplicates(), 0);
    // every field GPU Deck asks for is valid on this driver
    for (const QString &f : NvidiaSmiParser::queryFields()) {
        QVERIFY2(names.contains(f), qPrintable(f));
    }
}

void TestNvidiaSmiParser::pollCost()
{
    // Not an nvidia-smi format, but the measurement behind loopCommand(): one looping process costs less CPU per
    // sample than a fresh process per sample.
    READ_FIXTURE(text, "poll-cost.txt");
    QList<double> cpu; // user + sys per block
    for (const QString &line : text.split(u'\n')) {
        const QStringList w = line.split(u' ', Qt::SkipEmptyParts);
        if (w.size() == 7 && w[2] == u"wall" && w[4] == u"user" && w[6] == u"sys") {
            cpu.append(w[3].toDouble() + w[5].toDouble());
        }
    }
    QCOMPARE(cpu.size(), 2);
    QCOMPARE(cpu[0], 0.504);
    QCOMPARE(cpu[1], 0.100);
    QVERIFY(cpu[1] * 4 < cpu[0]);
}

void TestNvidiaSmiParser::dgxSparkUnifiedMemory()
{
    // GB10: memory.total/used/free are [N/A]; the line is still a sample, with NaN (not 0) memory.
    const QString line = lineWith({{3, QStringLiteral("NVIDIA GB10")},
                                   {4, QStringLiteral("0000000F:01:00.0")},
                                   {9, QStringLiteral("[N/A]")},
                                   {10, QStringLiteral("[N/A]")},
                                   {11, QStringLiteral("[N/A]")},
                                   {13, QStringLiteral("[N/A]")},
                                   {15, QStringLiteral("[N/A]")}});
    const auto s = NvidiaSmiParser::parseQueryLine(line);
    QVERIFY(s);
    QCOMPARE(s->name, QStringLiteral("NVIDIA GB10"));
    QVERIFY(std::isnan(s->memoryTotalMiB));
    QVERIFY(std::isnan(s->memoryUsedMiB));
    QVERIFY(std::isnan(s->memoryFreeMiB));
    QVERIFY(std::isnan(s->memoryTemperatureC));
    QVERIFY(std::isnan(s->powerLimitW));
    QVERIFY(!s->unifiedMemory); // set by whoever fills memory from /proc/meminfo, not by the parser
    QCOMPARE(s->temperatureC, 38.0);
    QCOMPARE(s->powerDrawW, 123.11);

    // the plain table on GB10 says "Not Supported" for memory usage
    const QString table =
        QStringLiteral("| NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0     |\n"
                       "|=========================================+========================+======================|\n"
                       "|   0  NVIDIA GB10                    On  |   0000000F:01:00.0  On |                  N/A |\n"
                       "| N/A   41C    P8              4W /  N/A  | Not Supported          |      0%      Default |\n"
                       "|                                         |                        |                  N/A |\n"
                       "+-----------------------------------------+------------------------+----------------------+\n");
    const auto t = NvidiaSmiReportParser::parseTable(table);
    QVERIFY(t.ok());
    QCOMPARE(t->size(), 1);
    QCOMPARE(t->first().name, QStringLiteral("NVIDIA GB10"));
    QCOMPARE(t->first().driverVersion, QStringLiteral("580.95.05"));
    QCOMPARE(t->first().temperatureC, 41.0);
    QCOMPARE(t->first().pstate, QStringLiteral("P8"));
    QCOMPARE(t->first().powerDrawW, 4.0);
    QVERIFY(std::isnan(t->first().powerLimitW));
    QVERIFY(std::isnan(t->first().memoryUsedMiB));
    QVERIFY(std::isnan(t->first().memoryTotalMiB));
    QCOMPARE(t->first().utilizationGpu, 0.0);
}

void TestNvidiaSmiParser::notSupportedAndUnknownError()
{
    const auto s = NvidiaSmiParser::parseQueryLine(lineWith({{7, QStringLiteral("[Not Supported]")},
                                                             {12, QStringLiteral("[Unknown Error]")},
                                                             {14, QStringLiteral("[Insufficient Permissions]")},
                                                             {6, QStringLiteral("[N/A]")},
                                                             {20, QStringLiteral("[Not Supported]")},
                                                             {21, QStringLiteral("[N/A]")}}));
    QVERIFY(s);
    QVERIFY(std::isnan(s->utilizationGpu));
    QVERIFY(std::isnan(s->temperatureC));
    QVERIFY(std::isnan(s->powerDrawW));
    QVERIFY(std::isnan(s->eccUncorrected));
    QVERIFY(s->pstate.isEmpty());
    QCOMPARE(s->throttleReasons, quint64(0));
    QCOMPARE(s->memoryTotalMiB, 81559.0);
}

void TestNvidiaSmiParser::severalGpus()
{
    QString text = QStringLiteral("timestamp, index, uuid, name, pci.bus_id, driver_version, pstate, "
                                  "utilization.gpu, utilization.memory, memory.total, memory.used, memory.free, "
                                  "temperature.gpu, temperature.memory, power.draw, power.limit, fan.speed, "
                                  "clocks.current.sm, clocks.current.memory, clocks.max.sm, "
                                  "clocks_event_reasons.active, ecc.errors.uncorrected.volatile.total\n");
    QStringList lines;
    for (int i = 0; i < 8; ++i) {
        lines.append(lineWith({{2, QStringLiteral("GPU-%1").arg(i)}, {7, QString::number(10 * i)}}, i));
    }
    text += lines.join(u'\n') + u'\n';
    int malformed = -1;
    const auto r = NvidiaSmiReportParser::parseQueryCsv(text, &malformed);
    QVERIFY(r.ok());
    QCOMPARE(malformed, 0);
    QCOMPARE(r->size(), 8);
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(r->at(i).index, i);
        QCOMPARE(r->at(i).uuid, QStringLiteral("GPU-%1").arg(i));
        QCOMPARE(r->at(i).utilizationGpu, 10.0 * i);
        // line by line, as the loop delivers them
        const auto s = NvidiaSmiParser::parseQueryLine(lines[i]);
        QVERIFY(s);
        QCOMPARE(s->index, i);
        QCOMPARE(s->uuid, QStringLiteral("GPU-%1").arg(i));
    }
}

void TestNvidiaSmiParser::processNameWithSpacesAndCommas()
{
    int malformed = -1;
    const QList<GpuProcess> p =
        NvidiaSmiParser::parseComputeApps(QStringLiteral("1234, python3 train.py --tag a,b, 512, GPU-aaaa\n"
                                                         "77, /usr/bin/my app, with, commas , [N/A], GPU-bbbb\n"
                                                         "not-a-pid, x, 1, GPU-cccc\n"
                                                         "88, too few\n"
                                                         "99, name, lots, GPU-dddd\n"
                                                         "0, name, 1, GPU-eeee\n"),
                                          &malformed);
    QCOMPARE(p.size(), 2);
    QCOMPARE(p[0].pid, qint64(1234));
    QCOMPARE(p[0].name, QStringLiteral("python3 train.py --tag a,b"));
    QCOMPARE(p[0].usedMemoryMiB, 512.0);
    QCOMPARE(p[0].gpuUuid, QStringLiteral("GPU-aaaa"));
    QCOMPARE(p[1].pid, qint64(77));
    QCOMPARE(p[1].name, QStringLiteral("/usr/bin/my app, with, commas"));
    QVERIFY(std::isnan(p[1].usedMemoryMiB));
    QCOMPARE(malformed, 4);

    // with units and a header line (--format=csv without nounits)
    const QList<GpuProcess> u = NvidiaSmiParser::parseComputeApps(
        QStringLiteral("pid, process_name, used_gpu_memory [MiB], gpu_uuid\n425, python3, 20076 MiB, GPU-aaaa\n"),
        &malformed);
    QCOMPARE(malformed, 0);
    QCOMPARE(u.size(), 1);
    QCOMPARE(u[0].usedMemoryMiB, 20076.0);
}

void TestNvidiaSmiParser::parseNumber_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value"); // NaN: missing

    const double nan = kNoValue;
    auto row = [](const char *field, bool ok, double value) {
        QTest::newRow(field) << QString::fromUtf8(field) << ok << value;
    };
    row("0", true, 0);
    row("81559", true, 81559);
    row("692.61", true, 692.61);
    row("-8", true, -8);
    row("98 %", true, 98);
    row("98%", true, 98);
    row("20085 MiB", true, 20085);
    row("20085MiB", true, 20085);
    row("20085 MB", true, 20085);
    row("2 GiB", true, 2048);
    row("2048 kB", true, 2);
    row("692.61 W", true, 692.61);
    row("691W", true, 691);
    row("1485 MHz", true, 1485);
    row("62 C", true, 62);
    row("62C", true, 62);
    row(" 7 ", true, 7);
    row("1e3", true, 1000);
    row("12345678901234567890", true, 12345678901234567890.0);
    row("[N/A]", true, nan);
    row("N/A", true, nan);
    row("[Not Supported]", true, nan);
    row("Not Supported", true, nan);
    row("[Unknown Error]", true, nan);
    row("[GPU is lost]", true, nan);
    row("ERR!", true, nan);
    row("", true, nan);
    row("   ", true, nan);
    row("abc", false, nan);
    row("12abc", false, nan);
    row("1.2.3", false, nan);
    row("nan", false, nan);
    row("NaN", false, nan);
    row("inf", false, nan);
    row("-inf", false, nan);
    row("1e999", false, nan);
    row("98 %%", false, nan);
    row("MiB", false, nan);
    row("0x10", false, nan);
    row("5 parsecs", false, nan);
}

void TestNvidiaSmiParser::parseNumber()
{
    QFETCH(QString, field);
    QFETCH(bool, ok);
    QFETCH(double, value);
    bool parsed = !ok;
    const double v = NvidiaSmiParser::parseNumber(field, &parsed);
    QCOMPARE(parsed, ok);
    if (std::isnan(value)) {
        QVERIFY2(std::isnan(v), qPrintable(QString::number(v)));
    } else {
        QCOMPARE(v, value);
    }
    QCOMPARE(NvidiaSmiParser::isMissing(field), ok && std::isnan(value));
}

void TestNvidiaSmiParser::wrongFieldCount()
{
    QStringList fields = kIdleLine.split(QStringLiteral(", "));
    const QString tooFew = QStringList(fields.mid(0, 21)).join(QStringLiteral(", "));
    const QString tooMany = kIdleLine + QStringLiteral(", 42");
    QVERIFY(!NvidiaSmiParser::parseQueryLine(tooFew));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(tooMany));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(QString()));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(QStringLiteral("   ")));
    QVERIFY(NvidiaSmiParser::parseQueryLine(kIdleLine));

    READ_FIXTURE(header, "idle/query-gpu.csv");
    const QString text = header + tooFew + u'\n' + tooMany + u'\n' + kIdleLine + u'\n';
    int malformed = -1;
    const auto r = NvidiaSmiReportParser::parseQueryCsv(text, &malformed);
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 2); // the recorded line and kIdleLine
    QCOMPARE(malformed, 2);

    // a custom field list decides the count
    const QStringList three = {QStringLiteral("index"), QStringLiteral("utilization.gpu"),
                               QStringLiteral("memory.used")};
    const auto s = NvidiaSmiParser::parseQueryLine(QStringLiteral("3, 55, 1024"), three);
    QVERIFY(s);
    QCOMPARE(s->index, 3);
    QCOMPARE(s->utilizationGpu, 55.0);
    QCOMPARE(s->memoryUsedMiB, 1024.0);
    QVERIFY(std::isnan(s->temperatureC));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(QStringLiteral("3, 55"), three));
    // without an index column nothing is a sample
    QVERIFY(!NvidiaSmiParser::parseQueryLine(QStringLiteral("55"), {QStringLiteral("utilization.gpu")}));
    // and the default list still works after a custom one (the field mapping is cached per list)
    QVERIFY(NvidiaSmiParser::parseQueryLine(kIdleLine));
}

void TestNvidiaSmiParser::garbage()
{
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{7, QStringLiteral("abc")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{9, QStringLiteral("81559 parsecs")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{14, QStringLiteral("nan")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{14, QStringLiteral("1e999")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{1, QStringLiteral("x")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{1, QStringLiteral("-1")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{1, QStringLiteral("[N/A]")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{1, QStringLiteral("0.5")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{20, QStringLiteral("0xZZ")}})));
    QVERIFY(!NvidiaSmiParser::parseQueryLine(lineWith({{6, QStringLiteral("Q9")}})));
    // text fields take anything
    QVERIFY(NvidiaSmiParser::parseQueryLine(lineWith({{3, QStringLiteral("Some Future GPU")}})));
    // a decimal bit mask is read too
    const auto decimal = NvidiaSmiParser::parseQueryLine(lineWith({{20, QStringLiteral("4")}}));
    QVERIFY(decimal);
    QCOMPARE(decimal->throttleReasons, quint64(4));
}

void TestNvidiaSmiParser::tolerantSeparator()
{
    QString tight = kIdleLine;
    tight.replace(QStringLiteral(", "), QStringLiteral(","));
    const auto s = NvidiaSmiParser::parseQueryLine(tight);
    QVERIFY(s);
    QCOMPARE(s->name, kName);
    QCOMPARE(s->powerDrawW, 123.11);
    QString loose = kIdleLine;
    loose.replace(QStringLiteral(", "), QStringLiteral(" ,\t"));
    QVERIFY(NvidiaSmiParser::parseQueryLine(loose));
}

void TestNvidiaSmiParser::crlf()
{
    auto dos = [](QString t) { return t.replace(u'\n', QStringLiteral("\r\n")); };

    const auto s = NvidiaSmiParser::parseQueryLine(kIdleLine + QStringLiteral("\r"));
    QVERIFY(s);
    QCOMPARE(s->eccUncorrected, 0.0);

    READ_FIXTURE(csv, "load/query-gpu.csv");
    int malformed = -1;
    auto r = NvidiaSmiReportParser::parseQueryCsv(dos(csv), &malformed);
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 1);
    QCOMPARE(malformed, 0);
    QCOMPARE(r->first().eccUncorrected, 0.0);

    READ_FIXTURE(apps, "load/compute-apps.csv");
    const auto p = NvidiaSmiParser::parseComputeApps(dos(apps), &malformed);
    QCOMPARE(malformed, 0);
    QCOMPARE(p.size(), 1);
    QCOMPARE(p[0].gpuUuid, kUuid);

    READ_FIXTURE(dmonText, "load/dmon.txt");
    QCOMPARE(NvidiaSmiReportParser::parseDmon(dos(dmonText), &malformed).size(), 3);
    QCOMPARE(malformed, 0);

    READ_FIXTURE(q, "load/nvidia-smi-q.txt");
    QList<GpuProcess> processes;
    r = NvidiaSmiReportParser::parseQueryText(dos(q), &processes);
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 1);
    QCOMPARE(r->first().powerDrawW, 694.20);
    QCOMPARE(r->first().uuid, kUuid);
    QCOMPARE(processes.value(0).name, QStringLiteral("python3"));

    READ_FIXTURE(xmlText, "load/nvidia-smi-q.xml");
    r = NvidiaSmiReportParser::parseXml(dos(xmlText));
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 1);
    QCOMPARE(r->first().uuid, kUuid);

    READ_FIXTURE(tableText, "load/nvidia-smi.txt");
    r = NvidiaSmiReportParser::parseTable(dos(tableText), &processes);
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 1);
    QCOMPARE(r->first().utilizationGpu, 98.0);
    QCOMPARE(processes.value(0).usedMemoryMiB, 20076.0);

    READ_FIXTURE(listText, "load/nvidia-smi-L.txt");
    QCOMPARE(NvidiaSmiReportParser::parseList(dos(listText)).value(0).uuid, kUuid);

    READ_FIXTURE(help, "help-query-gpu.txt");
    QCOMPARE(NvidiaSmiReportParser::parseHelpQueryGpu(dos(help)).size(), 255);
}

void TestNvidiaSmiParser::olderDriverSpellings()
{
    // Older drivers: <power_readings>/<power_draw>, <clocks_throttle_reasons>, double_bit totals, two GPUs.
    const QString xml = QStringLiteral(R"(<?xml version="1.0" ?>
<nvidia_smi_log>
  <driver_version>470.256.02</driver_version>
  <gpu id="00000000:3B:00.0">
    <product_name>Tesla V100-SXM2-16GB</product_name>
    <uuid>GPU-aaaa</uuid>
    <fan_speed>N/A</fan_speed>
    <performance_state>P2</performance_state>
    <clocks_throttle_reasons>
      <clocks_throttle_reason_gpu_idle>Not Active</clocks_throttle_reason_gpu_idle>
      <clocks_throttle_reason_hw_thermal_slowdown>Active</clocks_throttle_reason_hw_thermal_slowdown>
    </clocks_throttle_reasons>
    <fb_memory_usage><total>16160 MiB</total><used>1 MiB</used><free>16159 MiB</free></fb_memory_usage>
    <utilization><gpu_util>7 %</gpu_util><memory_util>1 %</memory_util></utilization>
    <ecc_errors><volatile>
      <single_bit><device_memory>0</device_memory><total>3</total></single_bit>
      <double_bit><device_memory>0</device_memory><total>2</total></double_bit>
    </volatile></ecc_errors>
    <temperature><gpu_temp>40 C</gpu_temp><memory_temp>N/A</memory_temp></temperature>
    <power_readings><power_draw>43.21 W</power_draw><power_limit>300.00 W</power_limit>
      <enforced_power_limit>250.00 W</enforced_power_limit></power_readings>
    <clocks><sm_clock>1290 MHz</sm_clock><mem_clock>877 MHz</mem_clock></clocks>
    <processes>
      <process_info><pid>11</pid><type>C</type><process_name>a b, c</process_name><used_memory>300 MiB</used_memory></process_info>
      <process_info><pid>12</pid><type>C</type><process_name>d</process_name><used_memory>400 MiB</used_memory></process_info>
    </processes>
  </gpu>
  <gpu id="00000000:86:00.0">
    <product_name>Tesla V100-SXM2-16GB</product_name>
    <uuid>GPU-bbbb</uuid>
    <utilization><gpu_util>N/A</gpu_util></utilization>
  </gpu>
</nvidia_smi_log>
)");
    QList<GpuProcess> processes;
    const auto r = NvidiaSmiReportParser::parseXml(xml, &processes);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->size(), 2);
    const GpuSample &a = r->at(0);
    QCOMPARE(a.index, 0);
    QCOMPARE(a.busId, QStringLiteral("00000000:3B:00.0")); // from the id attribute
    QCOMPARE(a.driverVersion, QStringLiteral("470.256.02"));
    QCOMPARE(a.pstate, QStringLiteral("P2"));
    QCOMPARE(a.throttleReasons, quint64(0x40));
    QCOMPARE(a.eccUncorrected, 2.0);
    QCOMPARE(a.powerDrawW, 43.21);
    QCOMPARE(a.powerLimitW, 250.0); // enforced, not requested
    QVERIFY(std::isnan(a.memoryTemperatureC));
    QCOMPARE(a.smClockMHz, 1290.0);
    const GpuSample &b = r->at(1);
    QCOMPARE(b.index, 1);
    QCOMPARE(b.uuid, QStringLiteral("GPU-bbbb"));
    QVERIFY(std::isnan(b.utilizationGpu));
    QCOMPARE(processes.size(), 2);
    QCOMPARE(processes[0].name, QStringLiteral("a b, c"));
    QCOMPARE(processes[1].pid, qint64(12));
    QCOMPARE(processes[1].gpuUuid, QStringLiteral("GPU-aaaa"));

    // -q text of an older driver: "Clocks Throttle Reasons", "Power Readings", a process table in the older shape
    const QString text = QStringLiteral("\n==============NVSMI LOG==============\n\n"
                                        "Driver Version                            : 470.256.02\n"
                                        "Attached GPUs                             : 2\n"
                                        "GPU 00000000:3B:00.0\n"
                                        "    Product Name                          : Tesla V100-SXM2-16GB\n"
                                        "    GPU UUID                              : GPU-aaaa\n"
                                        "    Performance State                     : P2\n"
                                        "    Clocks Throttle Reasons\n"
                                        "        Idle                              : Not Active\n"
                                        "        HW Slowdown                       : Active\n"
                                        "            HW Thermal Slowdown           : Active\n"
                                        "    FB Memory Usage\n"
                                        "        Total                             : 16160 MiB\n"
                                        "        Used                              : 1 MiB\n"
                                        "    Utilization\n"
                                        "        Gpu                               : 7 %\n"
                                        "    Power Readings\n"
                                        "        Power Draw                        : 43.21 W\n"
                                        "        Power Limit                       : 300.00 W\n"
                                        "    Processes\n"
                                        "        Process ID                        : 11\n"
                                        "            Type                          : C\n"
                                        "            Name                          : a b, c\n"
                                        "            Used GPU Memory               : 300 MiB\n"
                                        "GPU 00000000:86:00.0\n"
                                        "    Product Name                          : Tesla V100-SXM2-16GB\n"
                                        "    GPU UUID                              : GPU-bbbb\n"
                                        "    Processes                             : None\n");
    const auto t = NvidiaSmiReportParser::parseQueryText(text, &processes);
    QVERIFY(t.ok());
    QCOMPARE(t->size(), 2);
    QCOMPARE(t->at(0).throttleReasons, quint64(0x48));
    QCOMPARE(t->at(0).utilizationGpu, 7.0);
    QCOMPARE(t->at(0).powerDrawW, 43.21);
    QCOMPARE(t->at(0).powerLimitW, 300.0);
    QCOMPARE(t->at(0).driverVersion, QStringLiteral("470.256.02"));
    QCOMPARE(t->at(1).index, 1);
    QCOMPARE(t->at(1).busId, QStringLiteral("00000000:86:00.0"));
    QCOMPARE(processes.size(), 1);
    QCOMPARE(processes[0].name, QStringLiteral("a b, c"));
    QCOMPARE(processes[0].gpuIndex, 0);

    // the process table without GI/CI columns
    const QString table =
        QStringLiteral("| NVIDIA-SMI 470.256.02   Driver Version: 470.256.02   CUDA Version: 11.4     |\n"
                       "|===============================+======================+======================|\n"
                       "|   0  Tesla V100-SXM2...  On   | 00000000:3B:00.0 Off |                    0 |\n"
                       "| N/A   40C    P2    43W / 300W |      1MiB / 16160MiB |      7%      Default |\n"
                       "+-------------------------------+----------------------+----------------------+\n"
                       "| Processes:                                                                  |\n"
                       "|  GPU       PID   Type   Process name                            Usage      |\n"
                       "|=============================================================================|\n"
                       "|    0      1234      C   python train.py --x a                     300MiB |\n"
                       "+-----------------------------------------------------------------------------+\n");
    const auto tb = NvidiaSmiReportParser::parseTable(table, &processes);
    QVERIFY(tb.ok());
    QCOMPARE(tb->size(), 1);
    QCOMPARE(tb->first().name, QStringLiteral("Tesla V100-SXM2..."));
    QCOMPARE(tb->first().powerLimitW, 300.0);
    QCOMPARE(tb->first().memoryUsedMiB, 1.0);
    QCOMPARE(processes.size(), 1);
    QCOMPARE(processes[0].pid, qint64(1234));
    QCOMPARE(processes[0].name, QStringLiteral("python train.py --x a"));
    QCOMPARE(processes[0].usedMemoryMiB, 300.0);
}

void TestNvidiaSmiParser::notNvidiaSmiOutput()
{
    int malformed = -1;
    QVERIFY(!NvidiaSmiReportParser::parseQueryCsv(QString(), &malformed).ok());
    QCOMPARE(malformed, 0);
    const auto noHeader = NvidiaSmiReportParser::parseQueryCsv(kIdleLine);
    QVERIFY(!noHeader.ok());
    QCOMPARE(noHeader.error().code, ErrorCode::Validation);
    QVERIFY(!NvidiaSmiReportParser::parseQueryCsv(QStringLiteral("No devices were found\n")).ok());

    READ_FIXTURE(xmlText, "load/nvidia-smi-q.xml");
    const auto truncated = NvidiaSmiReportParser::parseXml(xmlText.left(xmlText.size() / 2));
    QVERIFY(!truncated.ok());
    QCOMPARE(truncated.error().code, ErrorCode::Validation);
    QVERIFY(!NvidiaSmiReportParser::parseXml(QString()).ok());
    QVERIFY(!NvidiaSmiReportParser::parseXml(QStringLiteral("<html><body/></html>")).ok());
    QVERIFY(!NvidiaSmiReportParser::parseXml(QStringLiteral("NVIDIA-SMI has failed")).ok());
    const auto none = NvidiaSmiReportParser::parseXml(QStringLiteral("<nvidia_smi_log><attached_gpus>0</attached_gpus>"
                                                                     "</nvidia_smi_log>"));
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());

    QVERIFY(!NvidiaSmiReportParser::parseQueryText(QStringLiteral("command not found")).ok());
    QVERIFY(!NvidiaSmiReportParser::parseTable(QStringLiteral("command not found")).ok());
    QVERIFY(NvidiaSmiReportParser::parseList(QStringLiteral("No devices found.")).isEmpty());
    QVERIFY(NvidiaSmiReportParser::parseHelpQueryGpu(QStringLiteral("garbage")).isEmpty());
}

void TestNvidiaSmiParser::commands()
{
    QCOMPARE(NvidiaSmiParser::loopCommand(500),
             QStringLiteral("nvidia-smi --query-gpu=timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,"
                            "utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,"
                            "temperature.memory,power.draw,power.limit,fan.speed,clocks.sm,clocks.mem,clocks.max.sm,"
                            "clocks_throttle_reasons.active,ecc.errors.uncorrected.volatile.total "
                            "--format=csv,noheader,nounits -lms 500"));
    QVERIFY(NvidiaSmiParser::loopCommand(0).endsWith(QStringLiteral(" -lms 1")));
    QCOMPARE(NvidiaSmiParser::computeAppsCommand(),
             QStringLiteral("nvidia-smi --query-compute-apps=pid,process_name,used_memory,gpu_uuid "
                            "--format=csv,noheader,nounits"));
    QCOMPARE(NvidiaSmiParser::queryFields().size(), 22);
}

void TestNvidiaSmiParser::lineBufferSplitsAnywhere()
{
    // Multi-byte UTF-8 (2, 3 and 4 bytes), CRLF and LF endings, an empty line, and a trailing partial line.
    const QByteArray stream = QByteArrayLiteral("first line\r\n"
                                                "4242, caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80 train, 12, GPU-x\r\n"
                                                "\n"
                                                "last\n"
                                                "partial");
    const QStringList expected = {
        QStringLiteral("first line"),
        QString::fromUtf8("4242, caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80 train, 12, GPU-x"),
        QString(),
        QStringLiteral("last"),
    };
    // every single split point, so every UTF-8 sequence and the "\r|\n" pair get cut
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        LineBuffer buffer;
        QStringList lines = buffer.append(stream.left(cut));
        lines += buffer.append(stream.mid(cut));
        QCOMPARE(lines, expected);
        QCOMPARE(buffer.dropped(), 0);
        // the partial line completes with the next chunk
        QCOMPARE(buffer.append(QByteArrayLiteral(" done\n")), QStringList{QStringLiteral("partial done")});
        QVERIFY(buffer.finish().isEmpty()); // nothing left over
    }
    {
        // the stream ends without a newline: finish() hands over its last line, once (a trailing '\r' dropped)
        LineBuffer buffer;
        QCOMPARE(buffer.append(stream), expected);
        QCOMPARE(buffer.finish(), QStringList{QStringLiteral("partial")});
        QVERIFY(buffer.finish().isEmpty());
        QVERIFY(buffer.append(QByteArrayLiteral("next\r")).isEmpty());
        QCOMPARE(buffer.finish(), QStringList{QStringLiteral("next")});
    }
    // one byte at a time, and random multi-way splits
    QRandomGenerator rng(20261122);
    for (int round = 0; round < 200; ++round) {
        LineBuffer buffer;
        QStringList lines;
        for (qsizetype pos = 0; pos < stream.size();) {
            const qsizetype n = round == 0 ? 1 : qMin<qsizetype>(rng.bounded(0, 8), stream.size() - pos);
            lines += buffer.append(stream.mid(pos, n));
            pos += n;
        }
        QCOMPARE(lines, expected);
    }
    QVERIFY(
        NvidiaSmiParser::parseComputeApps(expected[1]).value(0).name.contains(QString::fromUtf8("\xf0\x9f\x9a\x80")));
}

void TestNvidiaSmiParser::lineBufferMaxLine()
{
    const qsizetype max = LineBuffer::kMaxLine;
    {
        // exactly kMaxLine is a line, with LF or CRLF; one more byte is not
        LineBuffer buffer;
        const QByteArray exact(max, 'a');
        QCOMPARE(buffer.append(exact + "\n").value(0).size(), max);
        QCOMPARE(buffer.append(exact + "\r\n").value(0).size(), max);
        QVERIFY(buffer.append(exact + "b\nok\n") == QStringList{QStringLiteral("ok")});
        QCOMPARE(buffer.dropped(), 1);
    }
    {
        // an endless line fed in chunks is dropped once, then the stream recovers at its newline
        LineBuffer buffer;
        const QByteArray chunk(4096, 'x');
        for (int i = 0; i < 100; ++i) { // 400 KiB without a newline
            QVERIFY(buffer.append(chunk).isEmpty());
        }
        QCOMPARE(buffer.dropped(), 1);
        QCOMPARE(buffer.append(QByteArrayLiteral("tail of the long one\nnext\n")), QStringList{QStringLiteral("next")});
        QCOMPARE(buffer.dropped(), 1);
    }
    {
        // an endless line that the stream's end cuts short is not handed over by finish() either
        LineBuffer buffer;
        QVERIFY(buffer.append(QByteArray(max + 10, 'x')).isEmpty());
        QVERIFY(buffer.finish().isEmpty());
        QCOMPARE(buffer.dropped(), 1);
    }
    {
        // an over-long line that arrives complete in one chunk, between good ones
        LineBuffer buffer;
        const QByteArray big = "a\n" + QByteArray(max + 100, 'y') + "\nb\n";
        QCOMPARE(buffer.append(big), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(buffer.dropped(), 1);
    }
    {
        // pending part plus the rest of the line exceeds the limit only when joined
        LineBuffer buffer;
        QVERIFY(buffer.append(QByteArray(max - 10, 'z')).isEmpty());
        QCOMPARE(buffer.append(QByteArray(20, 'z') + "\nok\n"), QStringList{QStringLiteral("ok")});
        QCOMPARE(buffer.dropped(), 1);
    }
}

void TestNvidiaSmiParser::queryLineSpeed()
{
    // A figure, not an assertion: machines differ. The collector parses one line per GPU per interval.
    READ_FIXTURE(text, "load/loop.csv");
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    constexpr int kLines = 100000;
    int parsed = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kLines; ++i) {
        if (NvidiaSmiParser::parseQueryLine(lines[i % lines.size()])) {
            ++parsed;
        }
    }
    const qint64 ns = timer.nsecsElapsed();
    QCOMPARE(parsed, kLines);
    qInfo("parseQueryLine: %.0f ns/line (%d lines of %lld chars)", double(ns) / kLines, kLines,
          qlonglong(lines[0].size()));
}

QTEST_GUILESS_MAIN(TestNvidiaSmiParser)
#include "tst_nvidia_smi_parser.moc"
