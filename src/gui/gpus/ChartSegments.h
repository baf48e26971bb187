#pragma once

#include <QList>
#include <QPair>
#include <QPointF>

namespace gpudeck {

// The lines of one GPU's metric: unbroken runs of points. A chart draws each run as its own series, so a
// time without samples shows as a break, never as a straight line drawn across it.
using Segments = QList<QList<QPointF>>;

// Splits points (x: ms since the epoch, ascending; y: the value, NaN when not read) into runs. A run ends
// where y is NaN, where the next point is more than `maxStepMs` later, or where one of `gaps` (spans the
// store found without samples) lies between two points.
Segments splitAtGaps(const QList<QPointF> &points, qint64 maxStepMs, const QList<QPair<qint64, qint64>> &gaps = {});

// The smallest "nice" number (1, 1.2, 1.6, 2, 4, 6 or 8 times a power of ten) at or above `value`: a tidy
// axis end whose quarters are tidy too.
double niceCeiling(double value);

} // namespace gpudeck
