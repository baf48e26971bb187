#pragma once

// The text primitives the nvidia-smi and /proc readers share (NvidiaSmiParser, ProcParser, and the test-only
// reader of nvidia-smi's other output formats in tests/support): lines, words, and nvidia-smi's values — a
// number with or without its unit, or one of the ways nvidia-smi says "no value". None of them allocates
// more than its result, and none throws or crashes on any input.

#include "metrics/GpuSample.h"

#include <QList>
#include <QStringView>
#include <array>
#include <cmath>

namespace gpudeck::textscan {

// Calls f(line) for every line of `text`, without its '\n' or "\r\n".
template<typename F>
void forEachLine(QStringView text, F &&f)
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
QList<QStringView> words(QStringView text);

namespace detail {

// Plain decimals ("81559", "692.61", "-8") without going through the locale machinery: the integer mantissa
// (< 2^53) and the power of ten are both exact doubles, so one IEEE division is correctly rounded, the same
// result strtod gives. Anything else returns false and takes the general path.
inline bool fastDecimal(QStringView s, double *out)
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
inline constexpr std::array<Unit, 11> kUnits = {{
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

} // namespace detail

// Any bracketed "[...]" status, "N/A", "Not Supported", "Unknown Error", "ERR!", "-", "Unknown" or an empty
// field. Inline, like number(): the collector calls them for every field of every line (out of line, a
// stream line took ~1.6x as long to parse).
inline bool isMissing(QStringView s)
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

// One value: a missing one (isMissing) is NaN with *ok true; "98 %", "20085 MiB", "692.61 W" -> the number,
// sizes in MiB whatever their unit. *ok is false for garbage, "nan" / "inf" text or an overflow (kNoValue
// returned): a parsed number is always finite.
inline double number(QStringView s, bool *ok)
{
    s = trimView(s);
    double v = 0;
    if (detail::fastDecimal(s, &v)) { // the common case: nounits output
        *ok = true;
        return v;
    }
    if (isMissing(s)) {
        *ok = true;
        return kNoValue;
    }
    double scale = 1.0;
    for (const detail::Unit &u : detail::kUnits) {
        if (s.endsWith(u.suffix)) {
            s.chop(u.suffix.size());
            s = trimView(s);
            scale = u.toBase;
            break;
        }
    }
    if (!detail::fastDecimal(s, &v)) {
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

// A whole integer (surrounding blanks allowed); *out is left alone when `s` is not one.
bool intFrom(QStringView s, int *out);

// "P0".."P15"; anything else (empty included) is not a performance state.
bool pstateValid(QStringView s);

// "memory.used [MiB]" -> "memory.used"
QStringView withoutUnit(QStringView name);

} // namespace gpudeck::textscan
