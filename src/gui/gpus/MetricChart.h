#pragma once

#include "gpus/ChartSegments.h"

#include <QChartView>
#include <QHash>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace gpudeck {

// One metric of one host over time, a line per GPU in the GPU's colour. Built to be redrawn every second:
// its series are kept and refilled with replace() (one change per series, not one per point), a GPU's
// line broken by gaps reuses the series it had, axes are only touched when their range changes, and
// nothing animates.
class MetricChart : public QChartView
{
    Q_OBJECT
public:
    struct Trace
    {
        int gpuIndex = 0;
        Segments segments;
    };

    MetricChart(const QString &title, QWidget *parent = nullptr);

    // Every GPU's lines (GPUs not listed are cleared) over [fromMs, toMs], values from 0 to `valueMax`.
    // One call per redraw: the chart lays its lines out once, not once per axis change and once more per
    // series.
    void setContent(const QList<Trace> &traces, qint64 fromMs, qint64 toMs, const QString &format, double valueMax);
    // Moves the time axis only (the data did not change).
    void setTimeRange(qint64 fromMs, qint64 toMs, const QString &format);

    // What is drawn for the GPU: one list of points per visible segment.
    Segments segments(int gpuIndex) const;
    int seriesCount() const; // series created so far, drawn or spare
    qint64 timeFrom() const { return m_fromMs; }
    qint64 timeTo() const { return m_toMs; }
    double valueMax() const { return m_max; }

    // The colour of GPU `index`'s lines, also its swatch in the GPU table.
    static QColor gpuColor(int index);

private:
    QLineSeries *createSeries(int gpuIndex);
    void setTraces(const QList<Trace> &traces);
    void setValueRange(double max);

    QDateTimeAxis *m_x;
    QValueAxis *m_y;
    QHash<int, QList<QLineSeries *>> m_series; // per GPU: its segments, then spares
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    double m_max = 0;
};

} // namespace gpudeck
