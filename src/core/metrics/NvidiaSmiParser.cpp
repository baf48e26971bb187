#include "metrics/NvidiaSmiParser.h"

#include "metrics/TextScan.h"

#include <array>
#include <utility>

namespace gpudeck {

namespace {

using textscan::forEachLine;
using textscan::intFrom;
using textscan::pstateValid;
using textscan::trimView;
using textscan::withoutUnit;

// "0x0000000000000004" or a plain decimal; missing is 0 (no reason known).
bool bitmaskFrom(QStringView s, quint64 *out)
{
    s = s.trimmed();
    if (textscan::isMissing(s)) {
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
        const double d = textscan::number(v, &ok);
        if (ok && !hasValue(*target)) { // of two spellings of one reading, the first one given wins
            *target = d;
        }
        return ok;
    };
    auto text = [&v](QString *target, int slot) {
        if (!textscan::isMissing(v)) {
            *target = interned(v, slot);
        }
        return true;
    };
    switch (field) {
    case Field::Unknown:
        return true;
    case Field::Timestamp:
        if (!textscan::isMissing(v)) {
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
        if (textscan::isMissing(v)) {
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
        const double memory = textscan::number(line.sliced(memoryStart + 1, last - memoryStart - 1), &memOk);
        const QStringView uuid = line.sliced(last + 1).trimmed();
        if (!pidOk || pid <= 0 || !memOk || uuid.isEmpty()) {
            ++bad;
            return;
        }
        GpuProcess p;
        p.pid = pid;
        p.name = line.sliced(first + 1, memoryStart - first - 1).trimmed().toString();
        p.usedMemoryMiB = memory;
        if (!textscan::isMissing(uuid)) {
            p.gpuUuid = uuid.toString();
        }
        out.append(p);
    });
    if (malformed) {
        *malformed = bad;
    }
    return out;
}

double NvidiaSmiParser::parseNumber(const QString &field, bool *ok)
{
    bool parsed = false;
    const double v = textscan::number(field, &parsed);
    if (ok) {
        *ok = parsed;
    }
    return v;
}

bool NvidiaSmiParser::isMissing(const QString &field)
{
    return textscan::isMissing(field);
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

QStringList LineBuffer::finish()
{
    QStringList lines;
    if (!m_discarding && !m_pending.isEmpty()) {
        emitLine(m_pending, lines);
    }
    m_pending.clear();
    m_discarding = false;
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
