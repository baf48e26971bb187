#include "metrics/ProcParser.h"

#include "metrics/TextScan.h"

#include <array>
#include <cmath>

namespace gpudeck {

using textscan::forEachLine;
using textscan::words;

std::optional<HostMemory> ProcParser::parseMeminfo(const QString &text)
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

std::optional<LoadAverage> ProcParser::parseLoadavg(const QString &text)
{
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

} // namespace gpudeck
