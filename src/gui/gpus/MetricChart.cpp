#include "gpus/MetricChart.h"

#include "ChartPalette.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QValueAxis>
#include <cmath>

namespace gpudeck {

MetricChart::MetricChart(const QString &title, QWidget *parent)
    : QChartView(parent)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide(); // the GPU table beside the charts is the legend, shared by all four
    chart->setBackgroundRoundness(0);
    chart->setBackgroundVisible(false);
    chart->setMargins(QMargins(6, 0, 4, 0));
    chart->layout()->setContentsMargins(2, 2, 2, 2);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setTitle(title);

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_x), static_cast<QAbstractAxis *>(m_y)}) {
        axis->setLabelsFont(small);
    }
    // Qt Charts sizes the value labels' column before it knows the widest label and then elides "100" to
    // "…"; the labels fit in the chart's margin anyway.
    m_y->setTruncateLabels(false);
    m_x->setTickCount(5);
    m_y->setTickCount(5);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    ChartPalette::apply(chart, palette());
    chart->setBackgroundVisible(false); // the view's background (Base) shows through

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(palette().brush(QPalette::Base));
}

QColor MetricChart::gpuColor(int index)
{
    // Eight colours that stay apart from each other on a light background, as many as a node has GPUs.
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xe6, 0x7e, 0x22), QColor(0x2c, 0xa0, 0x2c),
                                    QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                    QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
    return colors[(index < 0 ? 0 : index) % 8];
}

QLineSeries *MetricChart::createSeries(int gpuIndex)
{
    auto *series = new QLineSeries;
    QPen pen(gpuColor(gpuIndex));
    pen.setWidthF(1.6);
    series->setPen(pen);
    series->setMarkerSize(4);
    chart()->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(m_y);
    return series;
}

void MetricChart::setContent(const QList<Trace> &traces, qint64 fromMs, qint64 toMs, const QString &format,
                             double valueMax)
{
    // Every axis change lays out every series again (mapping each point, and stroking the line for its
    // hover shape: the costly part). Emptied first, the series make that pass free, and are laid out once,
    // when refilled below.
    if (fromMs != m_fromMs || toMs != m_toMs || valueMax != m_max) {
        for (const auto &pool : std::as_const(m_series)) {
            for (QLineSeries *series : pool) {
                if (series->count() > 0) {
                    series->clear();
                }
            }
        }
    }
    setTimeRange(fromMs, toMs, format);
    setValueRange(valueMax);
    setTraces(traces);
}

void MetricChart::setTraces(const QList<Trace> &traces)
{
    QList<int> drawn;
    for (const Trace &trace : traces) {
        drawn.append(trace.gpuIndex);
        QList<QLineSeries *> &pool = m_series[trace.gpuIndex];
        while (pool.size() < trace.segments.size()) {
            pool.append(createSeries(trace.gpuIndex));
        }
        for (qsizetype i = 0; i < pool.size(); ++i) {
            QLineSeries *series = pool.at(i);
            if (i < trace.segments.size()) {
                const QList<QPointF> &points = trace.segments.at(i);
                series->replace(points);
                // A lone sample between two gaps has no line to draw: show it as a dot.
                const bool dot = points.size() == 1;
                if (series->pointsVisible() != dot) {
                    series->setPointsVisible(dot);
                }
            } else if (series->count() > 0) {
                series->clear();
            }
        }
    }
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        if (!drawn.contains(it.key())) {
            for (QLineSeries *series : std::as_const(it.value())) {
                if (series->count() > 0) {
                    series->clear();
                }
            }
        }
    }
}

void MetricChart::setTimeRange(qint64 fromMs, qint64 toMs, const QString &format)
{
    if (m_x->format() != format) {
        m_x->setFormat(format);
    }
    if (fromMs != m_fromMs || toMs != m_toMs) {
        m_fromMs = fromMs;
        m_toMs = toMs;
        m_x->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    }
}

void MetricChart::setValueRange(double max)
{
    if (max != m_max) {
        m_max = max;
        m_y->setRange(0, max);
        // Five ticks: whole numbers when the quarters are whole, one decimal otherwise.
        const double quarter = max / 4;
        m_y->setLabelFormat(quarter == std::floor(quarter) ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    }
}

Segments MetricChart::segments(int gpuIndex) const
{
    Segments result;
    for (const QLineSeries *series : m_series.value(gpuIndex)) {
        if (series->count() > 0) {
            result.append(series->points());
        }
    }
    return result;
}

int MetricChart::seriesCount() const
{
    int n = 0;
    for (const auto &pool : m_series) {
        n += static_cast<int>(pool.size());
    }
    return n;
}

} // namespace gpudeck
