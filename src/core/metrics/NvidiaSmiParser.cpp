#include "metrics/NvidiaSmiParser.h"

#include <QXmlStreamReader>

#include <array>
#include <cmath>
#include <utility>

namespace gpudeck {

namespace {

// ---------------------------------------------------------------------------------------------------------
// Small text helpers shared by every parser

// Calls f(line) for every line of `text`, without its '\n' or "\r\n".
template<typename F> void forEachLine(QStringView text, F &&f)
{
    qsizetype start = 0;
    while (start <= text.size()) {
        const qsizetype nl = text.indexOf(u'\n', start);
        const qsizetype end = nl < 0 ? text.size() : nl;
        QStringView line = text.sliced(start, end - start);
        if (line.endsWith(u'\r')) {
            line.chop(1);
        }
        f(line);
        if (nl < 0) {
            break;
        }
        start = nl + 1;
    }
}

inline bool isBlank(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\t' || u == u'\r' || u == u'\n' || u == u'\v' || u == u'\f';
}

// QStringView::trimmed() without the out-of-line call (and ASCII whitespace only): the hot path trims 22
// fields per line.
inline QStringView trimView(QStringView s)
{
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && isBlank(s[b])) {
        ++b;
    }
    while (e > b && isBlank(s[e - 1])) {
        --e;
    }
    return s.sliced(b, e - b);
}

// Splits on runs of spaces and tabs.
QList<QStringView> words(QStringView text)
{
    QList<QStringView> out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && (text[i] == u' ' || text[i] == u'\t')) {
            ++i;
        }
        const qsizetype start = i;
        while (i < n && text[i] != u' ' && text[i] != u'\t') {
            ++i;
        }
        if (i > start) {
            out.append(text.sliced(start, i - start));
        }
    }
    return out;
}

bool isMissingView(QStringView s)
{
    s = trimView(s);
    if (s.isEmpty()) {
        return true;
    }
    // nvidia-smi brackets every status that stands in for a value: [N/A], [Not Supported], [Unknown Error],
    // [Insufficient Permissions], [GPU is lost], [Requested functionality has been deprecated], ...
    if (s.size() >= 2 && s.front() == u'[' && s.back() == u']') {
        return true;
    }
    static constexpr std::array<QStringView, 6> kWords = {u"N/A", u"Not Supported", u"Unknown Error", u"ERR!",
                                                          u"-",   u"Unknown"};
    if (s.size() > 13) { // longer than any of the words
        return false;
    }
    for (QStringView w : kWords) {
        if (s.size() == w.size() && s.compare(w, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

// Plain decimals ("81559", "692.61", "-8") without going through the locale machinery: the integer mantissa
// (< 2^53) and the power of ten are both exact doubles, so one IEEE division is correctly rounded, the same
// result strtod gives. Anything else returns false and takes the general path.
bool fastDecimal(QStringView s, double *out)
{
    static constexpr std::array<double, 16> kPow10 = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    qsizetype i = 0;
    const qsizetype n = s.size();
    bool negative = false;
    if (i < n && s[i] == u'-') {
        negative = true;
        ++i;
    }
    quint64 mantissa = 0;
    int digits = 0;
    int fraction = -1; // digits after the point, -1 before any point
    for (; i < n; ++i) {
        const char16_t c = s[i].unicode();
        if (c >= u'0' && c <= u'9') {
            if (++digits > 15) {
                return false;
            }
            mantissa = mantissa * 10 + (c - u'0');
            if (fraction >= 0) {
                ++fraction;
            }
        } else if (c == u'.' && fraction < 0) {
            fraction = 0;
        } else {
            return false;
        }
    }
    if (digits == 0 || fraction == 0) { // "", "-", ".", "5." are left to the general path
        return false;
    }
    double v = double(mantissa);
    if (fraction > 0) {
        v /= kPow10[size_t(fraction)];
    }
    *out = negative ? -v : v;
    return true;
}

struct Unit
{
    QStringView suffix;
    double toBase; // factor to the unit GpuSample stores (MiB, W, MHz, C, %)
};

// The first suffix that matches is stripped (none of them is the ending of another, so order does not matter).
constexpr std::array<Unit, 11> kUnits = {{
    {u"MiB", 1.0},
    {u"GiB", 1024.0},
    {u"KiB", 1.0 / 1024.0},
    {u"MB", 1.0}, // old nvidia-smi prints "MB" and means MiB
    {u"GB", 1024.0},
    {u"kB", 1.0 / 1024.0},
    {u"KB", 1.0 / 1024.0},
    {u"MHz", 1.0},
    {u"%", 1.0},
    {u"W", 1.0},
    {u"C", 1.0},
}};

double numberFrom(QStringView s, bool *ok)
{
    s = trimView(s);
    double v = 0;
    if (fastDecimal(s, &v)) { // the common case: nounits output
        *ok = true;
        return v;
    }
    if (isMissingView(s)) {
        *ok = true;
        return kNoValue;
    }
    double scale = 1.0;
    for (const Unit &u : kUnits) {
        if (s.endsWith(u.suffix)) {
            s.chop(u.suffix.size());
            s = trimView(s);
            scale = u.toBase;
            break;
        }
    }
    if (!fastDecimal(s, &v)) {
        bool parsed = false;
        v = s.toDouble(&parsed);
        if (!parsed || !std::isfinite(v)) {
            *ok = false;
            return kNoValue;
        }
    }
    v *= scale;
    if (!std::isfinite(v)) {
        *ok = false;
        return kNoValue;
    }
    *ok = true;
    return v;
}

// A lenient reading for the -q / XML / table parsers: garbage is "no value", not a reason to drop a GPU.
double readingFrom(QStringView s)
{
    bool ok = false;
    const double v = numberFrom(s, &ok);
    return ok ? v : kNoValue;
}

bool intFrom(QStringView s, int *out)
{
    bool ok = false;
    const int v = s.trimmed().toInt(&ok);
    if (!ok) {
        return false;
    }
    *out = v;
    return true;
}

// "0x0000000000000004" or a plain decimal; missing is 0 (no reason known).
bool bitmaskFrom(QStringView s, quint64 *out)
{
    s = s.trimmed();
    if (isMissingView(s)) {
        *out = 0;
        return true;
    }
    bool ok = false;
    if (s.startsWith(u"0x", Qt::CaseInsensitive)) {
        const QStringView hex = s.sliced(2);
        *out = hex.isEmpty() ? 0 : hex.toULongLong(&ok, 16);
    } else {
        *out = s.toULongLong(&ok, 10);
    }
    return ok;
}

// "P0".."P15" (empty when missing); anything else is garbage.
bool pstateValid(QStringView s)
{
    if (s.size() < 2 || s.size() > 3 || s[0] != u'P') {
        return false;
    }
    for (qsizetype i = 1; i < s.size(); ++i) {
        if (!s[i].isDigit() || s[i].unicode() > 0x7f) {
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// --query-gpu fields

enum class Field : quint8 {
    Unknown,
    Timestamp,
    Index,
    Uuid,
    Name,
    BusId,
    DriverVersion,
    Pstate,
    UtilGpu,
    UtilMemory,
    MemTotal,
    MemUsed,
    MemFree,
    Temperature,
    MemTemperature,
    PowerDraw,
    PowerLimit,
    Fan,
    SmClock,
    MemClock,
    MaxSmClock,
    Throttle,
    Ecc,
};

struct FieldName
{
    QStringView name;
    Field field;
};

// Query names, their aliases (--help-query-gpu: "name" or "gpu_name"), and the names the csv header uses
// instead (clocks.current.sm, clocks_event_reasons.active).
constexpr std::array<FieldName, 35> kFieldNames = {{
    {u"timestamp", Field::Timestamp},
    {u"index", Field::Index},
    {u"uuid", Field::Uuid},
    {u"gpu_uuid", Field::Uuid},
    {u"name", Field::Name},
    {u"gpu_name", Field::Name},
    {u"pci.bus_id", Field::BusId},
    {u"gpu_bus_id", Field::BusId},
    {u"driver_version", Field::DriverVersion},
    {u"pstate", Field::Pstate},
    {u"utilization.gpu", Field::UtilGpu},
    {u"utilization.memory", Field::UtilMemory},
    {u"memory.total", Field::MemTotal},
    {u"memory.used", Field::MemUsed},
    {u"memory.free", Field::MemFree},
    {u"temperature.gpu", Field::Temperature},
    {u"temperature.memory", Field::MemTemperature},
    {u"power.draw", Field::PowerDraw},
    {u"power.draw.average", Field::PowerDraw},
    {u"gpu.power.draw.average", Field::PowerDraw},
    {u"power.draw.instant", Field::PowerDraw},
    {u"gpu.power.draw.instant", Field::PowerDraw},
    {u"power.limit", Field::PowerLimit},
    {u"gpu.power.requested_limit", Field::PowerLimit},
    {u"enforced.power.limit", Field::PowerLimit},
    {u"gpu.power.current_limit", Field::PowerLimit},
    {u"fan.speed", Field::Fan},
    {u"clocks.sm", Field::SmClock},
    {u"clocks.current.sm", Field::SmClock},
    {u"clocks.mem", Field::MemClock},
    {u"clocks.current.memory", Field::MemClock},
    {u"clocks.max.sm", Field::MaxSmClock},
    {u"clocks_throttle_reasons.active", Field::Throttle},
    {u"clocks_event_reasons.active", Field::Throttle},
    {u"ecc.errors.uncorrected.volatile.total", Field::Ecc},
}};

// "memory.used [MiB]" -> "memory.used"
QStringView withoutUnit(QStringView name)
{
    name = name.trimmed();
    const qsizetype bracket = name.indexOf(u'[');
    if (bracket > 0 && name.endsWith(u']')) {
        name = name.first(bracket).trimmed();
    }
    return name;
}

Field fieldFor(QStringView name)
{
    name = withoutUnit(name);
    for (const FieldName &f : kFieldNames) {
        if (name.compare(f.name, Qt::CaseInsensitive) == 0) {
            return f.field;
        }
    }
    return Field::Unknown;
}

// The field list is the same for every line of a stream: map it once per thread, not per line. Holding a
// copy keeps the caller's list data alive, so its address cannot be reused by a different list.
const QList<Field> &fieldsFor(const QStringList &names)
{
    struct Cache
    {
        QStringList names;
        QList<Field> fields;
        bool valid = false;
    };
    thread_local Cache cache;
    if (cache.valid && (cache.names.isSharedWith(names) || cache.names == names)) {
        return cache.fields;
    }
    cache.names = names;
    cache.fields.clear();
    cache.fields.reserve(names.size());
    for (const QString &n : names) {
        cache.fields.append(fieldFor(n));
    }
    cache.valid = true;
    return cache.fields;
}

// Text fields that repeat on every line (uuid, name, bus id, driver, pstate) share the previous line's
// QString instead of allocating a new one.
QString interned(QStringView value, int slot)
{
    thread_local std::array<QString, 8> last;
    QString &s = last[size_t(slot)];
    if (s != value) {
        s = value.toString();
    }
    return s;
}

bool applyField(GpuSample &s, Field field, QStringView v, bool *haveIndex)
{
    auto number = [&v](double *target) {
        bool ok = false;
        const double d = numberFrom(v, &ok);
        if (ok && !hasValue(*target)) { // of two spellings of one reading, the first one given wins
            *target = d;
        }
        return ok;
    };
    auto text = [&v](QString *target, int slot) {
        if (!isMissingView(v)) {
            *target = interned(v, slot);
        }
        return true;
    };
    switch (field) {
    case Field::Unknown:
        return true;
    case Field::Timestamp:
        if (!isMissingView(v)) {
            s.reportedTime = v.toString();
        }
        return true;
    case Field::Index: {
        int index = -1;
        if (!intFrom(v, &index) || index < 0) {
            return false;
        }
        s.index = index;
        *haveIndex = true;
        return true;
    }
    case Field::Uuid:
        return text(&s.uuid, 0);
    case Field::Name:
        return text(&s.name, 1);
    case Field::BusId:
        return text(&s.busId, 2);
    case Field::DriverVersion:
        return text(&s.driverVersion, 3);
    case Field::Pstate:
        if (isMissingView(v)) {
            return true;
        }
        if (!pstateValid(v)) {
            return false;
        }
        s.pstate = interned(v, 4);
        return true;
    case Field::UtilGpu:
        return number(&s.utilizationGpu);
    case Field::UtilMemory:
        return number(&s.utilizationMemory);
    case Field::MemTotal:
        return number(&s.memoryTotalMiB);
    case Field::MemUsed:
        return number(&s.memoryUsedMiB);
    case Field::MemFree:
        return number(&s.memoryFreeMiB);
    case Field::Temperature:
        return number(&s.temperatureC);
    case Field::MemTemperature:
        return number(&s.memoryTemperatureC);
    case Field::PowerDraw:
        return number(&s.powerDrawW);
    case Field::PowerLimit:
        return number(&s.powerLimitW);
    case Field::Fan:
        return number(&s.fanPercent);
    case Field::SmClock:
        return number(&s.smClockMHz);
    case Field::MemClock:
        return number(&s.memoryClockMHz);
    case Field::MaxSmClock:
        return number(&s.maxSmClockMHz);
    case Field::Throttle:
        return bitmaskFrom(v, &s.throttleReasons);
    case Field::Ecc:
        return number(&s.eccUncorrected);
    }
    return true;
}

std::optional<GpuSample> parseQueryLineView(QStringView line, const QList<Field> &fields)
{
    line = trimView(line);
    if (line.isEmpty() || fields.isEmpty()) {
        return std::nullopt;
    }
    GpuSample s;
    bool haveIndex = false;
    qsizetype count = 0;
    qsizetype pos = 0;
    const qsizetype n = line.size();
    const QChar *data = line.data();
    // ", " separates fields; a bare "," is tolerated (each field is trimmed).
    for (;;) {
        qsizetype end = pos;
        while (end < n && data[end] != u',') {
            ++end;
        }
        if (count >= fields.size()) {
            return std::nullopt; // too many fields
        }
        if (!applyField(s, fields[count], trimView(line.sliced(pos, end - pos)), &haveIndex)) {
            return std::nullopt;
        }
        ++count;
        if (end == n) {
            break;
        }
        pos = end + 1;
    }
    if (count != fields.size() || !haveIndex) {
        return std::nullopt;
    }
    return s;
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
    if (!isMissingView(v)) {
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

// One leaf of a <gpu> element, named by its path below <gpu> ("fb_memory_usage/used").
void applyXmlReading(GpuAccumulator &g, const QStringList &path, QStringView v)
{
    GpuSample &s = g.sample;
    const qsizetype depth = path.size();
    const QString &leaf = path.last();
    const QString parent = depth >= 2 ? path[depth - 2] : QString();

    if (depth == 1) {
        if (leaf == u"product_name") {
            setText(&s.name, v);
        } else if (leaf == u"uuid") {
            setText(&s.uuid, v);
        } else if (leaf == u"performance_state") {
            setPstate(s, v);
        } else if (leaf == u"fan_speed") {
            s.fanPercent = readingFrom(v);
        }
        return;
    }
    if (depth == 2) {
        if (parent == u"pci" && leaf == u"pci_bus_id") {
            setText(&s.busId, v);
        } else if (parent == u"fb_memory_usage") {
            if (leaf == u"total") {
                s.memoryTotalMiB = readingFrom(v);
            } else if (leaf == u"used") {
                s.memoryUsedMiB = readingFrom(v);
            } else if (leaf == u"free") {
                s.memoryFreeMiB = readingFrom(v);
            }
        } else if (parent == u"utilization") {
            if (leaf == u"gpu_util") {
                s.utilizationGpu = readingFrom(v);
            } else if (leaf == u"memory_util") {
                s.utilizationMemory = readingFrom(v);
            }
        } else if (parent == u"temperature") {
            if (leaf == u"gpu_temp") {
                s.temperatureC = readingFrom(v);
            } else if (leaf == u"memory_temp") {
                s.memoryTemperatureC = readingFrom(v);
            }
        } else if (parent == u"gpu_power_readings" || parent == u"power_readings") {
            if (leaf == u"power_draw") {
                g.setPower(0, v);
            } else if (leaf == u"average_power_draw") {
                g.setPower(1, v);
            } else if (leaf == u"instant_power_draw") {
                g.setPower(2, v);
            } else if (leaf == u"current_power_limit" || leaf == u"enforced_power_limit") {
                g.setLimit(0, v);
            } else if (leaf == u"power_limit" || leaf == u"requested_power_limit") {
                g.setLimit(1, v);
            }
        } else if (parent == u"clocks") {
            if (leaf == u"sm_clock") {
                s.smClockMHz = readingFrom(v);
            } else if (leaf == u"mem_clock") {
                s.memoryClockMHz = readingFrom(v);
            }
        } else if (parent == u"max_clocks" && leaf == u"sm_clock") {
            s.maxSmClockMHz = readingFrom(v);
        } else if (parent == u"clocks_event_reasons" && leaf.startsWith(u"clocks_event_reason_")) {
            g.setReason(QStringView(leaf).sliced(20), v);
        } else if (parent == u"clocks_throttle_reasons" && leaf.startsWith(u"clocks_throttle_reason_")) {
            g.setReason(QStringView(leaf).sliced(23), v);
        }
        return;
    }
    if (path[0] == u"ecc_errors" && path[1] == u"volatile") {
        if (depth == 3 && leaf.contains(u"uncorrectable")) {
            g.addUncorrectable(v);
        } else if (depth == 4 && path[2] == u"double_bit" && leaf == u"total") {
            g.eccDoubleBitTotal = readingFrom(v);
        }
        return;
    }
    if (depth == 3 && path[0] == u"processes" && path[1] == u"process_info") {
        GpuProcess &p = g.process();
        if (leaf == u"pid") {
            bool ok = false;
            const qint64 pid = v.trimmed().toLongLong(&ok);
            p.pid = ok ? pid : 0;
        } else if (leaf == u"process_name") {
            p.name = v.trimmed().toString();
        } else if (leaf == u"used_memory") {
            p.usedMemoryMiB = readingFrom(v);
        }
    }
}

// One "Key : Value" line of `nvidia-smi -q` inside a GPU section; `path` is the keys above it and itself,
// lower case.
void applyTextReading(GpuAccumulator &g, const QStringList &path, QStringView v)
{
    GpuSample &s = g.sample;
    const qsizetype depth = path.size();
    const QString &key = path.last();

    if (depth == 1) {
        if (key == u"product name") {
            setText(&s.name, v);
        } else if (key == u"gpu uuid") {
            setText(&s.uuid, v);
        } else if (key == u"performance state") {
            setPstate(s, v);
        } else if (key == u"fan speed") {
            s.fanPercent = readingFrom(v);
        }
        return;
    }
    const QString &section = path[0];
    if (section == u"clocks event reasons" || section == u"clocks throttle reasons") {
        g.setReason(key, v); // "HW Thermal Slowdown" sits one level below "HW Slowdown"
        return;
    }
    if (section == u"processes") {
        if (key == u"process id") {
            GpuProcess p;
            bool ok = false;
            const qint64 pid = v.trimmed().toLongLong(&ok);
            p.pid = ok ? pid : 0;
            g.processes.append(p);
        } else if (!g.processes.isEmpty()) {
            if (key == u"name") {
                g.processes.last().name = v.trimmed().toString();
            } else if (key == u"used gpu memory") {
                g.processes.last().usedMemoryMiB = readingFrom(v);
            }
        }
        return;
    }
    if (section == u"ecc errors") {
        if (depth >= 2 && path[1] == u"volatile") {
            if (depth == 3 && key.contains(u"uncorrectable")) {
                g.addUncorrectable(v);
            } else if (depth == 4 && path[2] == u"double bit" && key == u"total") {
                g.eccDoubleBitTotal = readingFrom(v);
            }
        }
        return;
    }
    if (depth != 2) {
        return;
    }
    if (section == u"pci" && key == u"bus id") {
        setText(&s.busId, v);
    } else if (section == u"fb memory usage") {
        if (key == u"total") {
            s.memoryTotalMiB = readingFrom(v);
        } else if (key == u"used") {
            s.memoryUsedMiB = readingFrom(v);
        } else if (key == u"free") {
            s.memoryFreeMiB = readingFrom(v);
        }
    } else if (section == u"utilization") {
        if (key == u"gpu") {
            s.utilizationGpu = readingFrom(v);
        } else if (key == u"memory") {
            s.utilizationMemory = readingFrom(v);
        }
    } else if (section == u"temperature") {
        if (key == u"gpu current temp") {
            s.temperatureC = readingFrom(v);
        } else if (key == u"memory current temp") {
            s.memoryTemperatureC = readingFrom(v);
        }
    } else if (section == u"gpu power readings" || section == u"power readings") {
        if (key == u"power draw") {
            g.setPower(0, v);
        } else if (key == u"average power draw") {
            g.setPower(1, v);
        } else if (key == u"instantaneous power draw") {
            g.setPower(2, v);
        } else if (key == u"current power limit" || key == u"enforced power limit") {
            g.setLimit(0, v);
        } else if (key == u"power limit" || key == u"requested power limit") {
            g.setLimit(1, v);
        }
    } else if (section == u"clocks") {
        if (key == u"sm") {
            s.smClockMHz = readingFrom(v);
        } else if (key == u"memory") {
            s.memoryClockMHz = readingFrom(v);
        }
    } else if (section == u"max clocks" && key == u"sm") {
        s.maxSmClockMHz = readingFrom(v);
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
    const double temperature = numberFrom(w[1], &ok);
    if (!ok || !(w[1].endsWith(u'C') || isMissingView(w[1]))) {
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
    p.usedMemoryMiB = numberFrom(memory, &ok);
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

} // namespace

// -------------------------------------------------------------------------------------------------------------

const QStringList &NvidiaSmiParser::queryFields()
{
    static const QStringList fields = {
        QStringLiteral("timestamp"),
        QStringLiteral("index"),
        QStringLiteral("uuid"),
        QStringLiteral("name"),
        QStringLiteral("pci.bus_id"),
        QStringLiteral("driver_version"),
        QStringLiteral("pstate"),
        QStringLiteral("utilization.gpu"),
        QStringLiteral("utilization.memory"),
        QStringLiteral("memory.total"),
        QStringLiteral("memory.used"),
        QStringLiteral("memory.free"),
        QStringLiteral("temperature.gpu"),
        QStringLiteral("temperature.memory"),
        QStringLiteral("power.draw"),
        QStringLiteral("power.limit"),
        QStringLiteral("fan.speed"),
        QStringLiteral("clocks.sm"),
        QStringLiteral("clocks.mem"),
        QStringLiteral("clocks.max.sm"),
        QStringLiteral("clocks_throttle_reasons.active"),
        QStringLiteral("ecc.errors.uncorrected.volatile.total"),
    };
    return fields;
}

QString NvidiaSmiParser::loopCommand(int intervalMs)
{
    return QStringLiteral("nvidia-smi --query-gpu=%1 --format=csv,noheader,nounits -lms %2")
        .arg(queryFields().join(u','))
        .arg(qMax(1, intervalMs));
}

QString NvidiaSmiParser::computeAppsCommand()
{
    return QStringLiteral(
        "nvidia-smi --query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits");
}

std::optional<GpuSample> NvidiaSmiParser::parseQueryLine(const QString &line, const QStringList &fields)
{
    return parseQueryLineView(line, fieldsFor(fields));
}

Result<QList<GpuSample>> NvidiaSmiParser::parseQueryCsv(const QString &text, int *malformed)
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
                headerOk = headerOk || fieldFor(f) == Field::Index;
            }
            return;
        }
        if (line == header) { // a repeated header is not data, and not malformed either
            return;
        }
        if (auto s = parseQueryLineView(line, fieldsFor(fields))) {
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

QList<GpuProcess> NvidiaSmiParser::parseComputeApps(const QString &text, int *malformed)
{
    QList<GpuProcess> out;
    int bad = 0;
    forEachLine(text, [&](QStringView line) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(u"pid,") || line.startsWith(u"No running", Qt::CaseInsensitive)) {
            return;
        }
        // pid first, uuid last, memory second-last: everything between is the name, commas and all.
        const qsizetype first = line.indexOf(u',');
        const qsizetype last = line.lastIndexOf(u',');
        const qsizetype memoryStart = last > first ? line.lastIndexOf(u',', last - 1) : -1;
        if (first < 0 || memoryStart <= first) {
            ++bad;
            return;
        }
        bool pidOk = false;
        const qint64 pid = line.first(first).trimmed().toLongLong(&pidOk);
        bool memOk = false;
        const double memory = numberFrom(line.sliced(memoryStart + 1, last - memoryStart - 1), &memOk);
        const QStringView uuid = line.sliced(last + 1).trimmed();
        if (!pidOk || pid <= 0 || !memOk || uuid.isEmpty()) {
            ++bad;
            return;
        }
        GpuProcess p;
        p.pid = pid;
        p.name = line.sliced(first + 1, memoryStart - first - 1).trimmed().toString();
        p.usedMemoryMiB = memory;
        if (!isMissingView(uuid)) {
            p.gpuUuid = uuid.toString();
        }
        out.append(p);
    });
    if (malformed) {
        *malformed = bad;
    }
    return out;
}

Result<QList<GpuSample>> NvidiaSmiParser::parseXml(const QString &xml, QList<GpuProcess> *processes)
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

Result<QList<GpuSample>> NvidiaSmiParser::parseQueryText(const QString &text)
{
    return parseQueryText(text, nullptr);
}

Result<QList<GpuSample>> NvidiaSmiParser::parseQueryText(const QString &text, QList<GpuProcess> *processes)
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

Result<QList<GpuSample>> NvidiaSmiParser::parseTable(const QString &text, QList<GpuProcess> *processes)
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

QList<GpuListEntry> NvidiaSmiParser::parseList(const QString &text)
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

QList<DmonSample> NvidiaSmiParser::parseDmon(const QString &text, int *malformed)
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
            double *target = nullptr;
            if (col == u"pwr") {
                target = &d.powerW;
            } else if (col == u"gtemp") {
                target = &d.gpuTemperatureC;
            } else if (col == u"mtemp") {
                target = &d.memoryTemperatureC;
            } else if (col == u"sm") {
                target = &d.smPercent;
            } else if (col == u"mem") {
                target = &d.memPercent;
            } else if (col == u"mclk") {
                target = &d.memoryClockMHz;
            } else if (col == u"pclk") {
                target = &d.smClockMHz;
            }
            if (target) {
                *target = numberFrom(w[i], &ok);
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

QStringList NvidiaSmiParser::parseHelpQueryGpu(const QString &text)
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

std::optional<HostMemory> NvidiaSmiParser::parseMeminfo(const QString &text)
{
    HostMemory m;
    bool bad = false;
    auto kibToMiB = [&bad](QStringView v) {
        const QList<QStringView> w = words(v);
        bool ok = false;
        double d = w.isEmpty() ? kNoValue : w[0].toDouble(&ok);
        if (!ok || w.size() != 2 || w[1].compare(u"kB", Qt::CaseInsensitive) != 0 || !std::isfinite(d) || d < 0) {
            bad = true;
            return kNoValue;
        }
        return d / 1024.0;
    };
    forEachLine(text, [&](QStringView line) {
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0) {
            return;
        }
        const QStringView key = line.first(colon).trimmed();
        if (key == u"MemTotal") {
            m.totalMiB = kibToMiB(line.sliced(colon + 1));
        } else if (key == u"MemAvailable") {
            m.availableMiB = kibToMiB(line.sliced(colon + 1));
        }
    });
    if (bad || !hasValue(m.totalMiB)) {
        return std::nullopt;
    }
    return m;
}

std::optional<LoadAverage> NvidiaSmiParser::parseLoadavg(const QString &text)
{
    // "0.52 0.58 0.59 1/467 12345"
    const QList<QStringView> w = words(QStringView(text).trimmed());
    if (w.size() < 3) {
        return std::nullopt;
    }
    std::array<double, 3> v{};
    for (size_t i = 0; i < 3; ++i) {
        bool ok = false;
        v[i] = w[qsizetype(i)].toDouble(&ok);
        if (!ok || !std::isfinite(v[i]) || v[i] < 0) {
            return std::nullopt;
        }
    }
    return LoadAverage{v[0], v[1], v[2]};
}

double NvidiaSmiParser::parseNumber(const QString &field, bool *ok)
{
    bool parsed = false;
    const double v = numberFrom(field, &parsed);
    if (ok) {
        *ok = parsed;
    }
    return v;
}

bool NvidiaSmiParser::isMissing(const QString &field)
{
    return isMissingView(field);
}

// -------------------------------------------------------------------------------------------------------------

QStringList LineBuffer::append(const QByteArray &chunk)
{
    QStringList lines;
    qsizetype pos = 0;
    const qsizetype n = chunk.size();
    while (pos < n) {
        const qsizetype nl = chunk.indexOf('\n', pos);
        if (nl < 0) {
            if (m_discarding) {
                return lines;
            }
            // +1: a line of exactly kMaxLine may still be waiting for the '\n' of its "\r\n"
            if (m_pending.size() + (n - pos) > kMaxLine + 1) {
                m_pending.clear();
                m_discarding = true;
                ++m_dropped;
                return lines;
            }
            m_pending.append(chunk.constData() + pos, n - pos);
            return lines;
        }
        const QByteArrayView piece(chunk.constData() + pos, nl - pos);
        pos = nl + 1;
        if (m_discarding) { // the newline that ends an over-long line already counted
            m_discarding = false;
            continue;
        }
        if (m_pending.isEmpty()) {
            emitLine(piece, lines);
        } else if (m_pending.size() + piece.size() > kMaxLine + 1) {
            m_pending.clear();
            ++m_dropped;
        } else {
            m_pending.append(piece);
            emitLine(m_pending, lines);
            m_pending.clear();
        }
    }
    return lines;
}

void LineBuffer::emitLine(QByteArrayView line, QStringList &lines)
{
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    if (line.size() > kMaxLine) {
        ++m_dropped;
        return;
    }
    lines.append(QString::fromUtf8(line));
}

} // namespace gpudeck
