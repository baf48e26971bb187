#include "gpus/ChartSegments.h"

#include <cmath>

namespace gpudeck {

Segments splitAtGaps(const QList<QPointF> &points, qint64 maxStepMs, const QList<QPair<qint64, qint64>> &gaps)
{
    Segments segments;
    QList<QPointF> current;
    qsizetype gap = 0; // gaps are sorted by time, like the points: walk both once
    double previousX = 0;
    for (const QPointF &p : points) {
        if (std::isnan(p.y())) {
            if (!current.isEmpty()) {
                segments.append(std::move(current));
                current = {};
            }
            continue;
        }
        bool broken = false;
        if (!current.isEmpty()) {
            broken = p.x() - previousX > static_cast<double>(maxStepMs);
            while (gap < gaps.size() && static_cast<double>(gaps.at(gap).first) <= previousX) {
                ++gap;
            }
            if (gap < gaps.size() && static_cast<double>(gaps.at(gap).first) <= p.x()) {
                broken = true;
            }
        }
        if (broken) {
            segments.append(std::move(current));
            current = {};
        }
        current.append(p);
        previousX = p.x();
    }
    if (!current.isEmpty()) {
        segments.append(std::move(current));
    }
    return segments;
}

double niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value)) {
        return 1;
    }
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    // Steps whose quarters are round too: the value axes have five ticks.
    for (double step : {1.0, 1.2, 1.6, 2.0, 4.0, 6.0, 8.0, 10.0}) {
        if (step * magnitude >= value - 1e-9) {
            return step * magnitude;
        }
    }
    return 10 * magnitude;
}

} // namespace gpudeck
