#pragma once

#include "gpus/ChartSegments.h"

#include <QChartView>
#include <QHash>
#include <QStaticText>
#include <functional>

class QLineSeries;
class QValueAxis;

namespace gpudeck {

// One metric of one host over time, a line per GPU in the GPU's colour. Built to be redrawn every second:
// its series are kept and refilled with replace() (one change per series, not one per point), a GPU's
// line broken by gaps reuses the series it had, axes are only touched when their range changes, and
// nothing animates.
//
// Besides the lines: time ticks on round minutes (hours, days: whatever fits the span and the width), drawn
// by the chart itself; dashed threshold lines (the temperature alert, the power limit); a crosshair under
// the mouse with every GPU's value at that time. GPUs with the same values would hide each other's lines:
// each GPU's line is drawn a pixel and a half apart from the next (its value is not changed: the crosshair
// and segments() tell the real one).
class MetricChart : public QChartView
{
    Q_OBJECT
public:
    struct Trace
    {
        int gpuIndex = 0;
        Segments segments;
    };
    struct Threshold
    {
        double value = 0;
        QString label;
        bool alert = false; // an alert threshold (the alert colour), else a limit
    };
    struct Reading
    {
        int gpuIndex = 0;
        double value = 0;
        qint64 timeMs = 0; // of the sample shown
    };
    using Formatter = std::function<QString(double)>;

    static constexpr double kSpreadPx = 1.5; // between two GPUs' lines

    MetricChart(const QString &title, QWidget *parent = nullptr);

    // How a value reads in the crosshair's box ("97 %", "212 W").
    void setFormatter(Formatter formatter) { m_formatter = std::move(formatter); }
    void setThresholds(const QList<Threshold> &thresholds);
    QList<Threshold> thresholds() const { return m_thresholds; }

    // Every GPU's lines (GPUs not listed are cleared) over [fromMs, toMs], values from 0 to `valueMax`.
    // One call per redraw: the chart lays its lines out once, not once per axis change and once more per
    // series.
    void setContent(const QList<Trace> &traces, qint64 fromMs, qint64 toMs, double valueMax);
    // Moves the time axis only (the data did not change).
    void setTimeRange(qint64 fromMs, qint64 toMs);

    // What is drawn for the GPU: one list of points per visible segment, at their real values.
    Segments segments(int gpuIndex) const;
    // The points the GPU's series hold: its segments moved up or down by its share of the spread.
    Segments drawnSegments(int gpuIndex) const;
    int seriesCount() const; // series created so far, drawn or spare
    qint64 timeFrom() const { return m_fromMs; }
    qint64 timeTo() const { return m_toMs; }
    double valueMax() const { return m_max; }
    // The time axis' ticks (ms since the epoch) and their labels, as last drawn or laid out.
    QList<qint64> timeTicks() const;
    QString tickLabel(qint64 timeMs) const;

    // Each GPU's reading nearest `timeMs` (a GPU without a sample near it is left out), highest first.
    QList<Reading> readingsAt(qint64 timeMs) const;
    // The crosshair, as the mouse sets it (a time inside the chart) and clears it (leaving the chart).
    void setHoverTime(qint64 timeMs);
    void clearHover();
    bool hasHover() const { return m_hover; }
    qint64 hoverTime() const { return m_hoverMs; }
    // The crosshair box's lines: the time, then "GPU n: value" per GPU.
    QStringList hoverText() const;

    // The colour of GPU `index`'s lines, also its swatch in the GPU table.
    static QColor gpuColor(int index);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    QLineSeries *createSeries(int gpuIndex);
    void setTraces(const QList<Trace> &traces);
    void setValueRange(double max);
    void applyPadding();
    double spreadOffset(int position) const; // in values, for the GPU at `position` among m_traces
    void updateTicks();
    QRectF plotRect() const; // the plot area in viewport coordinates
    double xAt(qint64 timeMs) const;
    double yAt(double value) const;

    QValueAxis *m_x;
    QValueAxis *m_y;
    QHash<int, QList<QLineSeries *>> m_series; // per GPU: its segments, then spares
    QList<Trace> m_traces;                     // the real values
    QList<Threshold> m_thresholds;
    Formatter m_formatter;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    double m_max = 0;
    double m_pad = 0; // room below 0 and above the maximum for the spread lines
    qint64 m_tickStepMs = 0;
    QString m_tickFormat;
    QHash<qint64, QStaticText> m_tickText; // the time labels laid out, by tick
    bool m_hover = false;
    qint64 m_hoverMs = 0;
};

} // namespace gpudeck
