#include "store/MetricChunk.h"

#include "base/NoValue.h"

#include <cmath>
#include <cstring>

namespace gpudeck::chunk {
namespace {

constexpr quint8 kVersion = 1;

enum Mode : quint8 {
    Absent = 0,      // no reading at all
    Centi = 1,       // every reading there, hundredths: first value, then changes
    CentiSparse = 2, // a presence bitmap, then as Centi over the readings there
    Doubles = 3,     // a presence bitmap, then 8 bytes per reading there
    Constant = 4,    // every reading there and the same: one value in hundredths
};
constexpr quint8 kWhole = 0x10; // with Centi, CentiSparse, Constant: whole units instead of hundredths

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(static_cast<char>(v));
}

quint64 zigzag(qint64 v)
{
    return (static_cast<quint64>(v) << 1) ^ static_cast<quint64>(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return static_cast<qint64>(v >> 1) ^ -static_cast<qint64>(v & 1);
}

// The reading in hundredths, when that is exactly what it is.
bool toCenti(double v, qint64 &c)
{
    if (!(std::abs(v) < 1e13)) {
        return false;
    }
    c = std::llround(v * 100.0);
    return static_cast<double>(c) / 100.0 == v;
}

bool isWhole(double v)
{
    return std::abs(v) < 1e13 && v == std::floor(v);
}

// The stored integer of a reading: whole units or hundredths.
qint64 scaled(double v, bool whole)
{
    return whole ? static_cast<qint64>(v) : std::llround(v * 100.0);
}

struct Reader
{
    const uchar *p;
    const uchar *end;
    bool ok = true;

    quint64 varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            const uchar b = *p++;
            v |= static_cast<quint64>(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                return v;
            }
        }
        ok = false;
        return 0;
    }
    quint8 byte()
    {
        if (p < end) {
            return *p++;
        }
        ok = false;
        return 0;
    }
    const uchar *take(size_t n)
    {
        if (static_cast<size_t>(end - p) < n) {
            ok = false;
            return nullptr;
        }
        const uchar *at = p;
        p += n;
        return at;
    }
};

} // namespace

QByteArray encode(qint64 minuteMs, const std::vector<ChunkSample> &samples)
{
    const size_t n = samples.size();
    QByteArray out;
    out.reserve(static_cast<qsizetype>(8 + n * 7));
    out.append(static_cast<char>(kVersion));
    putVarint(out, n);
    qint64 previous = minuteMs;
    qint64 previousDelta = 0;
    for (const ChunkSample &s : samples) {
        const qint64 delta = s.timeMs - previous;
        putVarint(out, zigzag(delta - previousDelta));
        previousDelta = delta;
        previous = s.timeMs;
    }
    const qsizetype bitmapBytes = static_cast<qsizetype>((n + 7) / 8);
    for (int f = 0; f < ChunkSample::FieldCount; ++f) {
        size_t present = 0;
        bool centi = true;
        bool whole = true;
        bool constant = true;
        double first = 0;
        for (const ChunkSample &s : samples) {
            const double v = s.values[f];
            if (!hasValue(v)) {
                continue;
            }
            qint64 c = 0;
            if (centi && !toCenti(v, c)) {
                centi = false;
            }
            whole = whole && isWhole(v);
            if (present == 0) {
                first = v;
            } else if (v != first) {
                constant = false;
            }
            ++present;
        }
        whole = whole && centi;
        if (present == 0) {
            out.append(static_cast<char>(Absent));
            continue;
        }
        if (centi && constant && present == n) {
            out.append(static_cast<char>(Constant | (whole ? kWhole : 0)));
            putVarint(out, zigzag(scaled(first, whole)));
            continue;
        }
        const Mode mode = !centi ? Doubles : (present == n ? Centi : CentiSparse);
        out.append(static_cast<char>(mode | (whole && mode != Doubles ? kWhole : 0)));
        if (mode != Centi) {
            const qsizetype at = out.size();
            out.append(bitmapBytes, '\0');
            for (size_t i = 0; i < n; ++i) {
                if (hasValue(samples[i].values[f])) {
                    out[at + static_cast<qsizetype>(i / 8)] = static_cast<char>(
                        static_cast<uchar>(out[at + static_cast<qsizetype>(i / 8)]) | (1u << (i % 8)));
                }
            }
        }
        qint64 previousCenti = 0;
        for (const ChunkSample &s : samples) {
            const double v = s.values[f];
            if (!hasValue(v)) {
                continue;
            }
            if (mode == Doubles) {
                char bytes[8];
                std::memcpy(bytes, &v, 8);
                out.append(bytes, 8);
            } else {
                const qint64 c = scaled(v, whole);
                putVarint(out, zigzag(c - previousCenti));
                previousCenti = c;
            }
        }
    }
    return out;
}

bool decode(qint64 minuteMs, const QByteArray &blob, std::vector<ChunkSample> &out)
{
    Reader r{reinterpret_cast<const uchar *>(blob.constData()),
             reinterpret_cast<const uchar *>(blob.constData()) + blob.size()};
    if (r.byte() != kVersion) {
        return false;
    }
    const quint64 n = r.varint();
    if (!r.ok || n > static_cast<quint64>(kChunkMs) + 1) {
        return false;
    }
    const size_t base = out.size();
    out.resize(base + n);
    ChunkSample *samples = out.data() + base;
    qint64 previous = minuteMs;
    qint64 previousDelta = 0;
    for (quint64 i = 0; i < n; ++i) {
        previousDelta += unzigzag(r.varint());
        previous += previousDelta;
        samples[i].timeMs = previous;
    }
    const size_t bitmapBytes = (n + 7) / 8;
    for (int f = 0; f < ChunkSample::FieldCount && r.ok; ++f) {
        const quint8 byte = r.byte();
        const quint8 mode = byte & ~kWhole;
        const double divisor = (byte & kWhole) ? 1.0 : 100.0;
        const uchar *bitmap = nullptr;
        switch (mode) {
        case Absent:
            for (quint64 i = 0; i < n; ++i) {
                samples[i].values[f] = kNoValue;
            }
            continue;
        case Constant: {
            const double v = static_cast<double>(unzigzag(r.varint())) / divisor;
            for (quint64 i = 0; i < n; ++i) {
                samples[i].values[f] = v;
            }
            continue;
        }
        case Centi:
            break;
        case CentiSparse:
        case Doubles:
            bitmap = r.take(bitmapBytes);
            break;
        default:
            r.ok = false;
            continue;
        }
        qint64 c = 0;
        for (quint64 i = 0; i < n && r.ok; ++i) {
            if (bitmap && !(bitmap[i / 8] & (1u << (i % 8)))) {
                samples[i].values[f] = kNoValue;
            } else if (mode == Doubles) {
                const uchar *bytes = r.take(8);
                double v = kNoValue;
                if (bytes) {
                    std::memcpy(&v, bytes, 8);
                }
                samples[i].values[f] = v;
            } else {
                c += unzigzag(r.varint());
                samples[i].values[f] = static_cast<double>(c) / divisor;
            }
        }
    }
    if (!r.ok) {
        out.resize(base);
        return false;
    }
    return true;
}

} // namespace gpudeck::chunk
