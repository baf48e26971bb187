#include "NvidiaSmiReportParser.h"

#include "metrics/NvidiaSmiParser.h"
#include "metrics/TextScan.h"

#include <QXmlStreamReader>
#include <array>
#include <optional>
#include <span>
#include <utility>

namespace gpudeck::test {

namespace {

using textscan::forEachLine;
using textscan::intFrom;
using textscan::isMissing;
using textscan::pstateValid;
using textscan::withoutUnit;
using textscan::words;

// A lenient reading for the -q / XML / table parsers: garbage is "no value", not a reason to drop a GPU.
double readingFrom(QStringView s)
{
    bool ok = false;
    const double v = textscan::number(s, &ok);
    return ok ? v : kNoValue;
}

qint64 pidFrom(QStringView s)
{
    bool ok = false;
    const qint64 pid = s.trimmed().toLongLong(&ok);
    return ok ? pid : 0;
}

QStringList headerFields(QStringView header)
{
    QStringList out;
    for (QStringView part : header.tokenize(u',')) {
        out.append(withoutUnit(part).toString());
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// -q / -q -x: readings gathered per GPU, with preferences between alternative spellings resolved at the end

// clocks_event_reasons bits (NVML nvmlClocksEventReason*), by the names -q and -q -x give them, normalised
// to lower case with '_' for spaces.
struct ReasonBit
{
    QStringView name;
    quint64 bit;
};
constexpr std::array<ReasonBit, 11> kReasonBits = {{
    {u"gpu_idle", 0x1},
    {u"idle", 0x1},
    {u"applications_clocks_setting", 0x2},
    {u"sw_power_cap", 0x4},
    {u"hw_slowdown", 0x8},
    {u"sync_boost", 0x10},
    {u"sw_thermal_slowdown", 0x20},
    {u"hw_thermal_slowdown", 0x40},
    {u"hw_power_brake_slowdown", 0x80},
    {u"display_clocks_setting", 0x100},
    {u"display_clock_setting", 0x100},
}};

QString normalisedName(QStringView name)
{
    QString out = name.trimmed().toString().toLower();
    out.replace(u' ', u'_');
    out.replace(u'-', u'_');
    return out;
}

struct GpuAccumulator
{
    GpuSample sample;
    // power.draw: the plain reading, else the 1 s average (what power.draw means on Ampere and newer),
    // else the instant one.
    std::array<double, 3> power = {kNoValue, kNoValue, kNoValue};
    // the enforced limit, else the requested one
    std::array<double, 2> limit = {kNoValue, kNoValue};
    double eccDoubleBitTotal = kNoValue;
    double eccUncorrectableSum = kNoValue;
    QList<GpuProcess> processes;

    void setPower(int rank, QStringView v) { power[size_t(rank)] = readingFrom(v); }
    void setLimit(int rank, QStringView v) { limit[size_t(rank)] = readingFrom(v); }
    void addUncorrectable(QStringView v)
    {
        const double d = readingFrom(v);
        if (hasValue(d)) {
            eccUncorrectableSum = hasValue(eccUncorrectableSum) ? eccUncorrectableSum + d : d;
        }
    }
    void setReason(QStringView name, QStringView value)
    {
        if (value.trimmed().compare(u"Active", Qt::CaseInsensitive) != 0) {
            return;
        }
        const QString key = normalisedName(name);
        for (const ReasonBit &r : kReasonBits) {
            if (key == r.name) {
                sample.throttleReasons |= r.bit;
                return;
            }
        }
    }
    GpuProcess &process()
    {
        if (processes.isEmpty()) {
            processes.append(GpuProcess{});
        }
        return processes.last();
    }

    GpuSample finish(int index, const QString &driverVersion)
    {
        sample.index = index;
        if (sample.driverVersion.isEmpty()) {
            sample.driverVersion = driverVersion;
        }
        for (double p : power) {
            if (hasValue(p)) {
                sample.powerDrawW = p;
                break;
            }
        }
        for (double l : limit) {
            if (hasValue(l)) {
                sample.powerLimitW = l;
                break;
            }
        }
        sample.eccUncorrected = hasValue(eccDoubleBitTotal) ? eccDoubleBitTotal : eccUncorrectableSum;
        processes.removeIf([](const GpuProcess &p) { return p.pid <= 0; });
        for (GpuProcess &p : processes) {
            p.gpuUuid = sample.uuid;
            p.gpuIndex = index;
        }
        return sample;
    }
};

void setText(QString *target, QStringView v)
{
    if (!isMissing(v)) {
        *target = v.trimmed().toString();
    }
}

void setPstate(GpuSample &s, QStringView v)
{
    v = v.trimmed();
    if (pstateValid(v)) {
        s.pstate = v.toString();
    }
}

// ---------------------------------------------------------------------------------------------------------
// -q / -q -x: which reading sets what, by its path below the GPU

using Setter = void (*)(GpuAccumulator &, QStringView);

template<double GpuSample::*Member>
void setNumber(GpuAccumulator &g, QStringView v)
{
    g.sample.*Member = readingFrom(v);
}
template<QString GpuSample::*Member>
void setString(GpuAccumulator &g, QStringView v)
{
    setText(&(g.sample.*Member), v);
}
void setPstateReading(GpuAccumulator &g, QStringView v)
{
    setPstate(g.sample, v);
}
template<int Rank>
void power(GpuAccumulator &g, QStringView v)
{
    g.setPower(Rank, v);
}
template<int Rank>
void limit(GpuAccumulator &g, QStringView v)
{
    g.setLimit(Rank, v);
}
void eccDoubleBitTotal(GpuAccumulator &g, QStringView v)
{
    g.eccDoubleBitTotal = readingFrom(v);
}
void processPid(GpuAccumulator &g, QStringView v)
{
    g.process().pid = pidFrom(v);
}
void processName(GpuAccumulator &g, QStringView v)
{
    g.process().name = v.trimmed().toString();
}
void processMemory(GpuAccumulator &g, QStringView v)
{
    g.process().usedMemoryMiB = readingFrom(v);
}
// -q lists a process as "Process ID" followed by its details: the id starts a new one.
void newProcess(GpuAccumulator &g, QStringView v)
{
    GpuProcess p;
    p.pid = pidFrom(v);
    g.processes.append(p);
}
template<Setter Set>
void ofLastProcess(GpuAccumulator &g, QStringView v)
{
    if (!g.processes.isEmpty()) {
        Set(g, v);
    }
}

// `path`: the names from the GPU down to the reading, '/' between levels, '|' between spellings of one level.
struct Reading
{
    QStringView path;
    Setter set;
};

bool matches(QStringView pattern, const QStringList &path)
{
    qsizetype level = 0;
    for (QStringView spellings : pattern.tokenize(u'/')) {
        if (level >= path.size()) {
            return false;
        }
        bool any = false;
        for (QStringView spelling : spellings.tokenize(u'|')) {
            any = any || path[level] == spelling;
        }
        if (!any) {
            return false;
        }
        ++level;
    }
    return level == path.size();
}

Setter setterFor(std::span<const Reading> table, const QStringList &path)
{
    for (const Reading &r : table) {
        if (matches(r.path, path)) {
            return r.set;
        }
    }
    return nullptr;
}

// The leaves of a <gpu> element. power.draw is the plain reading, else the 1 s average (what power.draw means on
// Ampere and newer), else the instant one; the limit is the enforced one, else the requested one.
constexpr std::array<Reading, 24> kXmlReadings = {{
    {u"product_name", &setString<&GpuSample::name>},
    {u"uuid", &setString<&GpuSample::uuid>},
    {u"performance_state", &setPstateReading},
    {u"fan_speed", &setNumber<&GpuSample::fanPercent>},
    {u"pci/pci_bus_id", &setString<&GpuSample::busId>},
    {u"fb_memory_usage/total", &setNumber<&GpuSample::memoryTotalMiB>},
    {u"fb_memory_usage/used", &setNumber<&GpuSample::memoryUsedMiB>},
    {u"fb_memory_usage/free", &setNumber<&GpuSample::memoryFreeMiB>},
    {u"utilization/gpu_util", &setNumber<&GpuSample::utilizationGpu>},
    {u"utilization/memory_util", &setNumber<&GpuSample::utilizationMemory>},
    {u"temperature/gpu_temp", &setNumber<&GpuSample::temperatureC>},
    {u"temperature/memory_temp", &setNumber<&GpuSample::memoryTemperatureC>},
    {u"gpu_power_readings|power_readings/power_draw", &power<0>},
    {u"gpu_power_readings|power_readings/average_power_draw", &power<1>},
    {u"gpu_power_readings|power_readings/instant_power_draw", &power<2>},
    {u"gpu_power_readings|power_readings/current_power_limit|enforced_power_limit", &limit<0>},
    {u"gpu_power_readings|power_readings/power_limit|requested_power_limit", &limit<1>},
    {u"clocks/sm_clock", &setNumber<&GpuSample::smClockMHz>},
    {u"clocks/mem_clock", &setNumber<&GpuSample::memoryClockMHz>},
    {u"max_clocks/sm_clock", &setNumber<&GpuSample::maxSmClockMHz>},
    {u"ecc_errors/volatile/double_bit/total", &eccDoubleBitTotal},
    {u"processes/process_info/pid", &processPid},
    {u"processes/process_info/process_name", &processName},
    {u"processes/process_info/used_memory", &processMemory},
}};

// The "Key : Value" lines of a GPU section of `nvidia-smi -q`, keys in lower case.
constexpr std::array<Reading, 21> kTextReadings = {{
    {u"product name", &setString<&GpuSample::name>},
    {u"gpu uuid", &setString<&GpuSample::uuid>},
    {u"performance state", &setPstateReading},
    {u"fan speed", &setNumber<&GpuSample::fanPercent>},
    {u"pci/bus id", &setString<&GpuSample::busId>},
    {u"fb memory usage/total", &setNumber<&GpuSample::memoryTotalMiB>},
    {u"fb memory usage/used", &setNumber<&GpuSample::memoryUsedMiB>},
    {u"fb memory usage/free", &setNumber<&GpuSample::memoryFreeMiB>},
    {u"utilization/gpu", &setNumber<&GpuSample::utilizationGpu>},
    {u"utilization/memory", &setNumber<&GpuSample::utilizationMemory>},
    {u"temperature/gpu current temp", &setNumber<&GpuSample::temperatureC>},
    {u"temperature/memory current temp", &setNumber<&GpuSample::memoryTemperatureC>},
    {u"gpu power readings|power readings/power draw", &power<0>},
    {u"gpu power readings|power readings/average power draw", &power<1>},
    {u"gpu power readings|power readings/instantaneous power draw", &power<2>},
    {u"gpu power readings|power readings/current power limit|enforced power limit", &limit<0>},
    {u"gpu power readings|power readings/power limit|requested power limit", &limit<1>},
    {u"clocks/sm", &setNumber<&GpuSample::smClockMHz>},
    {u"clocks/memory", &setNumber<&GpuSample::memoryClockMHz>},
    {u"max clocks/sm", &setNumber<&GpuSample::maxSmClockMHz>},
    {u"ecc errors/volatile/double bit/total", &eccDoubleBitTotal},
}};
// Inside "Processes", by key alone: the details sit one level below their "Process ID".
constexpr std::array<Reading, 3> kTextProcessKeys = {{
    {u"process id", &newProcess},
    {u"name", &ofLastProcess<&processName>},
    {u"used gpu memory", &ofLastProcess<&processMemory>},
}};

// One leaf of a <gpu> element, named by its path below <gpu> ("fb_memory_usage/used").
void applyXmlReading(GpuAccumulator &g, const QStringList &path, QStringView v)
{
    if (const Setter set = setterFor(kXmlReadings, path)) {
        set(g, v);
        return;
    }
    // The throttle reasons and the ECC counters are families of leaves, not single ones.
    const QString &leaf = path.last();
    if (path.size() == 2 && path[0] == u"clocks_event_reasons" && leaf.startsWith(u"clocks_event_reason_")) {
        g.setReason(QStringView(leaf).sliced(20), v);
    } else if (path.size() == 2 && path[0] == u"clocks_throttle_reasons" &&
               leaf.startsWith(u"clocks_throttle_reason_")) {
        g.setReason(QStringView(leaf).sliced(23), v);
    } else if (path.size() == 3 && path[0] == u"ecc_errors" && path[1] == u"volatile" &&
               leaf.contains(u"uncorrectable")) {
        g.addUncorrectable(v);
    }
}

// One "Key : Value" line of `nvidia-smi -q` inside a GPU section; `path` is the keys above it and itself,
// lower case.
void applyTextReading(GpuAccumulator &g, const QStringList &path, QStringView v)
{
    if (const Setter set = setterFor(kTextReadings, path)) {
        set(g, v);
        return;
    }
    if (path.size() < 2) {
        return;
    }
    const QString &section = path[0];
    const QString &key = path.last();
    if (section == u"clocks event reasons" || section == u"clocks throttle reasons") {
        g.setReason(key, v); // "HW Thermal Slowdown" sits one level below "HW Slowdown"
    } else if (section == u"processes") {
        if (const Setter set = setterFor(kTextProcessKeys, QStringList{key})) {
            set(g, v);
        }
    } else if (path.size() == 3 && section == u"ecc errors" && path[1] == u"volatile" &&
               key.contains(u"uncorrectable")) {
        g.addUncorrectable(v);
    }
}

// ---------------------------------------------------------------------------------------------------------
// The plain `nvidia-smi` table

// The cells between '|' of one table line ("| a | b |" -> " a ", " b ").
QList<QStringView> cells(QStringView line)
{
    QList<QStringView> out;
    line = line.trimmed();
    if (!line.startsWith(u'|')) {
        return out;
    }
    line = line.sliced(1);
    if (line.endsWith(u'|')) {
        line.chop(1);
    }
    for (QStringView c : line.tokenize(u'|')) {
        out.append(c);
    }
    return out;
}

bool isUnsigned(QStringView s)
{
    if (s.isEmpty() || s.size() > 9) {
        return false;
    }
    for (QChar c : s) {
        if (c < u'0' || c > u'9') {
            return false;
        }
    }
    return true;
}

// "  0  NVIDIA H100 80GB HBM3          On  " -> index, name
bool tableGpuRow(const QList<QStringView> &row, GpuSample &s)
{
    if (row.size() < 2) {
        return false;
    }
    const QList<QStringView> w = words(row[0]);
    if (w.size() < 2 || !isUnsigned(w[0])) {
        return false;
    }
    qsizetype nameEnd = w.size();
    if (w.size() >= 3 && (w.last() == u"On" || w.last() == u"Off")) { // Persistence-M
        --nameEnd;
    }
    const QStringView first = w[1];
    const QStringView last = w[nameEnd - 1];
    s.index = w[0].toInt();
    s.name = QStringView(first.data(), last.data() + last.size() - first.data()).toString();
    const QList<QStringView> bus = words(row[1]);
    if (!bus.isEmpty() && bus[0].contains(u':')) {
        s.busId = bus[0].toString();
    }
    return true;
}

// " N/A   62C    P0            691W /  700W " + "   20085MiB /  81559MiB " + "     98%      Default "
bool tableReadingsRow(const QList<QStringView> &row, GpuSample &s)
{
    if (row.size() < 3) {
        return false;
    }
    // " / " separates usage and cap: a bare '/' is part of "N/A"
    QStringView power = row[0];
    QStringView cap;
    const qsizetype slash = power.indexOf(u" / ");
    if (slash >= 0) {
        cap = power.sliced(slash + 3);
        power = power.first(slash);
    }
    const QList<QStringView> w = words(power);
    if (w.size() < 3) {
        return false;
    }
    bool ok = false;
    const double temperature = textscan::number(w[1], &ok);
    if (!ok || !(w[1].endsWith(u'C') || isMissing(w[1]))) {
        return false;
    }
    s.fanPercent = readingFrom(w[0]);
    s.temperatureC = temperature;
    setPstate(s, w[2]);
    if (slash >= 0 && w.size() >= 4) {
        s.powerDrawW = readingFrom(w.last());
        const QList<QStringView> c = words(cap);
        if (!c.isEmpty()) {
            s.powerLimitW = readingFrom(c.first());
        }
    }
    const QStringView memory = row[1];
    const qsizetype memSlash = memory.indexOf(u" / ");
    if (memSlash >= 0) { // "Not Supported" on GB10 unified memory leaves both NaN
        s.memoryUsedMiB = readingFrom(memory.first(memSlash));
        s.memoryTotalMiB = readingFrom(memory.sliced(memSlash + 3));
    }
    const QList<QStringView> util = words(row[2]);
    if (!util.isEmpty() && util[0].endsWith(u'%')) {
        s.utilizationGpu = readingFrom(util[0]);
    }
    return true;
}

bool isProcessType(QStringView s)
{
    if (s.isEmpty() || s.size() > 5) {
        return false;
    }
    for (QChar c : s) {
        if (c != u'C' && c != u'G' && c != u'M' && c != u'+') {
            return false;
        }
    }
    return true;
}

// "    0   N/A  N/A             425      C   python3                               20076MiB " (GI/CI columns
// are absent on older drivers: the pid is the integer just before the type).
std::optional<GpuProcess> tableProcessRow(QStringView row)
{
    const QList<QStringView> w = words(row);
    if (w.size() < 4 || !isUnsigned(w[0])) {
        return std::nullopt;
    }
    qsizetype type = -1;
    for (qsizetype i = 2; i + 1 < w.size(); ++i) {
        if (isProcessType(w[i]) && isUnsigned(w[i - 1])) {
            type = i;
            break;
        }
    }
    if (type < 0) {
        return std::nullopt;
    }
    GpuProcess p;
    p.gpuIndex = w[0].toInt();
    p.pid = w[type - 1].toLongLong();
    const QStringView memory = w.last();
    bool ok = false;
    p.usedMemoryMiB = textscan::number(memory, &ok);
    if (!ok) {
        return std::nullopt;
    }
    if (type + 2 <= w.size() - 1) {
        const QStringView first = w[type + 1];
        const QStringView last = w[w.size() - 2];
        p.name = QStringView(first.data(), last.data() + last.size() - first.data()).toString();
    }
    return p;
}

// `nvidia-smi dmon` columns, by the name the "# gpu pwr gtemp ..." header line gives them.
struct DmonColumn
{
    QStringView name;
    double DmonSample::*member;
};
constexpr std::array<DmonColumn, 7> kDmonColumns = {{
    {u"pwr", &DmonSample::powerW},
    {u"gtemp", &DmonSample::gpuTemperatureC},
    {u"mtemp", &DmonSample::memoryTemperatureC},
    {u"sm", &DmonSample::smPercent},
    {u"mem", &DmonSample::memPercent},
    {u"mclk", &DmonSample::memoryClockMHz},
    {u"pclk", &DmonSample::smClockMHz},
}};

} // namespace

// -------------------------------------------------------------------------------------------------------------

Result<QList<GpuSample>> NvidiaSmiReportParser::parseQueryCsv(const QString &text, int *malformed)
{
    QList<GpuSample> samples;
    int bad = 0;
    QString header;
    QStringList fields;
    bool haveHeader = false;
    bool headerOk = false;
    forEachLine(text, [&](QStringView line) {
        if (line.trimmed().isEmpty() || (haveHeader && !headerOk)) {
            return;
        }
        if (!haveHeader) {
            haveHeader = true;
            header = line.toString();
            fields = headerFields(line);
            for (const QString &f : std::as_const(fields)) {
                // "index" is the only spelling of the column every sample needs (NvidiaSmiParser's field names)
                headerOk = headerOk || withoutUnit(f).compare(u"index", Qt::CaseInsensitive) == 0;
            }
            return;
        }
        if (line == header) { // a repeated header is not data, and not malformed either
            return;
        }
        if (auto s = NvidiaSmiParser::parseQueryLine(line.toString(), fields)) {
            samples.append(std::move(*s));
        } else {
            ++bad;
        }
    });
    if (malformed) {
        *malformed = bad;
    }
    if (!haveHeader) {
        return Error::validation(QStringLiteral("header"), QStringLiteral("nvidia-smi printed nothing"));
    }
    if (!headerOk) {
        return Error::validation(
            QStringLiteral("header"),
            QStringLiteral("not a --format=csv header (no index column): %1").arg(header.left(200)));
    }
    return samples;
}

Result<QList<GpuSample>> NvidiaSmiReportParser::parseXml(const QString &xml, QList<GpuProcess> *processes)
{
    QXmlStreamReader reader(xml);
    QList<GpuSample> gpus;
    QList<GpuProcess> procs;
    QString driverVersion;
    QStringList path;    // every open element, the root included
    QStringList gpuPath; // the open elements below <gpu>
    QString text;        // character data since the last start tag
    bool inGpu = false;
    bool sawRoot = false;
    GpuAccumulator gpu;

    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            const QString name = reader.name().toString();
            if (path.isEmpty()) {
                if (name != u"nvidia_smi_log") {
                    return Error::validation(QStringLiteral("xml"),
                                             QStringLiteral("not nvidia-smi -q -x output (root <%1>)").arg(name));
                }
                sawRoot = true;
            } else if (inGpu) {
                gpuPath.append(name);
                if (gpuPath.size() == 2 && gpuPath[0] == u"processes" && name == u"process_info") {
                    gpu.processes.append(GpuProcess{});
                }
            } else if (path.size() == 1 && name == u"gpu") {
                inGpu = true;
                gpu = GpuAccumulator{};
                setText(&gpu.sample.busId, reader.attributes().value(QLatin1StringView("id")));
            }
            path.append(name);
            text.clear();
            break;
        }
        case QXmlStreamReader::Characters:
            text += reader.text();
            break;
        case QXmlStreamReader::EndElement:
            if (inGpu && gpuPath.isEmpty()) { // </gpu>
                inGpu = false;
                const int index = int(gpus.size());
                gpus.append(gpu.finish(index, driverVersion));
                procs.append(gpu.processes);
            } else if (inGpu) {
                applyXmlReading(gpu, gpuPath, text);
                gpuPath.removeLast();
            } else if (path.size() == 2 && path.last() == u"driver_version") {
                driverVersion = text.trimmed();
            }
            if (!path.isEmpty()) {
                path.removeLast();
            }
            text.clear();
            break;
        default:
            break;
        }
    }
    if (reader.hasError()) {
        return Error::validation(
            QStringLiteral("xml"),
            QStringLiteral("nvidia-smi -q -x: %1 at line %2").arg(reader.errorString()).arg(reader.lineNumber()));
    }
    if (!sawRoot) {
        return Error::validation(QStringLiteral("xml"), QStringLiteral("not nvidia-smi -q -x output (empty)"));
    }
    for (GpuSample &g : gpus) { // <driver_version> precedes the GPUs, but do not depend on it
        if (g.driverVersion.isEmpty()) {
            g.driverVersion = driverVersion;
        }
    }
    if (processes) {
        *processes = procs;
    }
    return gpus;
}

Result<QList<GpuSample>> NvidiaSmiReportParser::parseQueryText(const QString &text)
{
    return parseQueryText(text, nullptr);
}

Result<QList<GpuSample>> NvidiaSmiReportParser::parseQueryText(const QString &text, QList<GpuProcess> *processes)
{
    QList<GpuSample> gpus;
    QList<GpuProcess> procs;
    QString driverVersion;
    bool sawLog = false;
    bool inGpu = false;
    GpuAccumulator gpu;
    struct Key
    {
        qsizetype indent;
        QString name;
    };
    QList<Key> stack;
    QStringList path;

    auto finishGpu = [&] {
        if (inGpu) {
            const int index = int(gpus.size());
            gpus.append(gpu.finish(index, driverVersion));
            procs.append(gpu.processes);
            inGpu = false;
        }
    };

    forEachLine(text, [&](QStringView line) {
        qsizetype indent = 0;
        while (indent < line.size() && line[indent] == u' ') {
            ++indent;
        }
        const QStringView content = line.sliced(indent).trimmed();
        if (content.isEmpty()) {
            return;
        }
        if (content.contains(u"NVSMI LOG")) {
            sawLog = true;
            return;
        }
        // "Key<spaces>: value"; a key with no " :" opens a section ("Utilization", "GPU 00000000:00:06.0").
        qsizetype colon = content.indexOf(u" :");
        QStringView key = content;
        QStringView value;
        bool hasValue = false;
        if (colon >= 0) {
            key = content.first(colon).trimmed();
            value = content.sliced(colon + 2).trimmed();
            hasValue = true;
        } else if (content.endsWith(u':')) {
            key = content.chopped(1).trimmed();
            hasValue = true;
        }
        if (indent == 0) {
            stack.clear();
            if (!hasValue && content.startsWith(u"GPU ")) {
                finishGpu();
                inGpu = true;
                gpu = GpuAccumulator{};
                setText(&gpu.sample.busId, content.sliced(4));
                return;
            }
            if (hasValue && key.compare(u"Driver Version", Qt::CaseInsensitive) == 0) {
                driverVersion = value.toString();
            }
            if (!hasValue) {
                finishGpu();
            }
            return;
        }
        if (!inGpu) {
            return;
        }
        while (!stack.isEmpty() && stack.last().indent >= indent) {
            stack.removeLast();
        }
        stack.append(Key{indent, key.toString().toLower()});
        if (!hasValue) {
            return;
        }
        path.clear();
        for (const Key &k : std::as_const(stack)) {
            path.append(k.name);
        }
        applyTextReading(gpu, path, value);
    });
    finishGpu();
    if (!sawLog && gpus.isEmpty()) {
        return Error::validation(QStringLiteral("text"), QStringLiteral("not nvidia-smi -q output"));
    }
    for (GpuSample &g : gpus) {
        if (g.driverVersion.isEmpty()) {
            g.driverVersion = driverVersion;
        }
    }
    if (processes) {
        *processes = procs;
    }
    return gpus;
}

Result<QList<GpuSample>> NvidiaSmiReportParser::parseTable(const QString &text, QList<GpuProcess> *processes)
{
    QList<GpuSample> gpus;
    QList<GpuProcess> procs;
    QString driverVersion;
    bool sawBanner = false;
    bool inProcesses = false;
    bool processRows = false;         // past the "|===" line of the process table
    std::optional<GpuSample> pending; // a GPU row waiting for its readings row

    forEachLine(text, [&](QStringView line) {
        if (line.contains(u"NVIDIA-SMI")) {
            sawBanner = true;
            const qsizetype at = line.indexOf(u"Driver Version:");
            if (at >= 0) {
                const QList<QStringView> w = words(line.sliced(at + 15));
                if (!w.isEmpty()) {
                    driverVersion = w[0].toString();
                }
            }
            return;
        }
        if (line.contains(u"Processes:")) {
            inProcesses = true;
            pending.reset();
            return;
        }
        if (inProcesses) {
            if (line.trimmed().startsWith(u"|=")) {
                processRows = true;
            } else if (processRows) {
                const QList<QStringView> c = cells(line);
                if (c.size() == 1) {
                    if (auto p = tableProcessRow(c[0])) {
                        procs.append(*p);
                    }
                }
            }
            return;
        }
        const QList<QStringView> c = cells(line);
        if (c.isEmpty()) {
            pending.reset();
            return;
        }
        if (pending) {
            if (tableReadingsRow(c, *pending)) {
                pending->driverVersion = driverVersion;
                gpus.append(*pending);
            }
            pending.reset();
            return;
        }
        GpuSample s;
        if (tableGpuRow(c, s)) {
            pending = s;
        }
    });
    if (!sawBanner && gpus.isEmpty()) {
        return Error::validation(QStringLiteral("text"), QStringLiteral("not an nvidia-smi table"));
    }
    if (processes) {
        *processes = procs;
    }
    return gpus;
}

QList<GpuListEntry> NvidiaSmiReportParser::parseList(const QString &text)
{
    QList<GpuListEntry> out;
    forEachLine(text, [&](QStringView line) {
        line = line.trimmed();
        // "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-...)"; MIG lines below it start with "MIG".
        if (!line.startsWith(u"GPU ")) {
            return;
        }
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0) {
            return;
        }
        int index = -1;
        if (!intFrom(line.sliced(4, colon - 4), &index) || index < 0) {
            return;
        }
        GpuListEntry e;
        e.index = index;
        QStringView rest = line.sliced(colon + 1).trimmed();
        const qsizetype uuidAt = rest.lastIndexOf(u"(UUID:");
        if (uuidAt >= 0) {
            QStringView uuid = rest.sliced(uuidAt + 6).trimmed();
            if (uuid.endsWith(u')')) {
                uuid.chop(1);
            }
            e.uuid = uuid.trimmed().toString();
            rest = rest.first(uuidAt).trimmed();
        }
        e.name = rest.toString();
        out.append(e);
    });
    return out;
}

QList<DmonSample> NvidiaSmiReportParser::parseDmon(const QString &text, int *malformed)
{
    QList<DmonSample> out;
    int bad = 0;
    QList<QString> columns; // from the first "# gpu pwr ..." line
    bool sawHeader = false;
    forEachLine(text, [&](QStringView line) {
        line = line.trimmed();
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith(u'#')) {
            // "# gpu pwr gtemp ..." names the columns; "# Idx W C ..." gives their units.
            const QList<QStringView> w = words(line.sliced(1));
            if (!w.isEmpty() && (w[0].compare(u"gpu", Qt::CaseInsensitive) == 0 || w.contains(u"gpu"))) {
                columns.clear();
                for (QStringView c : w) {
                    columns.append(c.toString().toLower());
                }
                sawHeader = true;
            }
            return;
        }
        const QList<QStringView> w = words(line);
        if (!sawHeader || w.size() != columns.size()) {
            ++bad;
            return;
        }
        DmonSample d;
        bool ok = true;
        for (qsizetype i = 0; i < w.size() && ok; ++i) {
            const QString &col = columns[i];
            if (col == u"gpu") {
                ok = intFrom(w[i], &d.index) && d.index >= 0;
                continue;
            }
            for (const DmonColumn &c : kDmonColumns) {
                if (col == c.name) {
                    d.*c.member = textscan::number(w[i], &ok);
                    break;
                }
            }
        }
        if (!ok || d.index < 0) {
            ++bad;
            return;
        }
        out.append(d);
    });
    if (malformed) {
        *malformed = bad;
    }
    return out;
}

QStringList NvidiaSmiReportParser::parseHelpQueryGpu(const QString &text)
{
    // A field line is only quoted names joined by " or ": "name" or "gpu_name". Description lines that merely
    // start with a quote ("0: Default" means ...) are not.
    auto isNameChar = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' ||
               c == u'.';
    };
    QStringList out;
    forEachLine(text, [&](QStringView line) {
        line = line.trimmed();
        if (!line.startsWith(u'"')) {
            return;
        }
        QStringList names;
        qsizetype i = 0;
        for (;;) {
            if (i >= line.size() || line[i] != u'"') {
                return;
            }
            const qsizetype close = line.indexOf(u'"', i + 1);
            if (close <= i + 1) {
                return;
            }
            const QStringView name = line.sliced(i + 1, close - i - 1);
            for (QChar c : name) {
                if (!isNameChar(c)) {
                    return;
                }
            }
            names.append(name.toString());
            i = close + 1;
            if (i == line.size()) {
                break;
            }
            if (!line.sliced(i).startsWith(u" or ")) {
                return;
            }
            i += 4;
        }
        for (const QString &n : std::as_const(names)) {
            if (!out.contains(n)) {
                out.append(n);
            }
        }
    });
    return out;
}

} // namespace gpudeck::test
