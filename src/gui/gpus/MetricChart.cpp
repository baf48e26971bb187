#include "gpus/MetricChart.h"

#include "ChartPalette.h"

#include <QChart>
#include <QDateTime>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QStaticText>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <iterator>

namespace gpudeck {
namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;

struct TickStep
{
    qint64 ms;
    const char *format;
};

// The time axis' steps, on round minutes, hours and days of the local clock; the first whose labels fit is used.
const TickStep kTickSteps[] = {
    {kMinuteMs, "HH:mm"},      {2 * kMinuteMs, "HH:mm"},  {5 * kMinuteMs, "HH:mm"}, {10 * kMinuteMs, "HH:mm"},
    {15 * kMinuteMs, "HH:mm"}, {30 * kMinuteMs, "HH:mm"}, {kHourMs, "HH:mm"},       {2 * kHourMs, "HH:mm"},
    {3 * kHourMs, "HH:mm"},    {6 * kHourMs, "HH:mm"},    {12 * kHourMs, "HH:mm"},  {kDayMs, "ddd d"},
    {2 * kDayMs, "d MMM"},     {7 * kDayMs, "d MMM"},     {14 * kDayMs, "d MMM"},
};

qint64 localMidnight(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    return QDateTime(t.date(), QTime(0, 0)).toMSecsSinceEpoch();
}

} // namespace

MetricChart::MetricChart(const QString &title, QWidget *parent)
    : QChartView(parent)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide(); // the GPU table beside the charts is the legend, shared by all four
    chart->setBackgroundRoundness(0);
    chart->setBackgroundVisible(false);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    // The time labels are drawn here (drawForeground), under the plot area: room for them.
    chart->setMargins(QMargins(6, 0, 8, QFontMetrics(small).height() + 4));
    chart->layout()->setContentsMargins(2, 2, 2, 2);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setTitle(title);

    m_y->setLabelsFont(small);
    // Qt Charts sizes the value labels' column before it knows the widest label and then elides "100" to
    // "…"; the labels fit in the chart's margin anyway.
    m_y->setTruncateLabels(false);
    // Ticks on round values from 0, whatever room the spread lines add below and above.
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(0.25);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 1);
    // The time axis maps the points; its ticks and labels (round minutes, not five even parts of the span) are
    // drawn by drawBackground and drawForeground.
    m_x->setVisible(false);
    m_x->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    ChartPalette::apply(chart, palette());
    chart->setBackgroundVisible(false); // the view's background (Base) shows through

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(palette().brush(QPalette::Base));
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFormatter([](double v) { return QLocale().toString(v, 'f', 1); });

    // The spread between lines is in pixels: a new height moves them (and the room kept for them).
    connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF &) {
        applyPadding();
        updateTicks();
    });
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

void MetricChart::setThresholds(const QList<Threshold> &thresholds)
{
    const auto same = [](const Threshold &a, const Threshold &b) {
        return a.value == b.value && a.label == b.label && a.alert == b.alert;
    };
    if (thresholds.size() == m_thresholds.size() &&
        std::equal(thresholds.begin(), thresholds.end(), m_thresholds.begin(), same)) {
        return;
    }
    m_thresholds = thresholds;
    viewport()->update();
}

void MetricChart::setContent(const QList<Trace> &traces, qint64 fromMs, qint64 toMs, double valueMax)
{
    // Every axis change lays out every series again (mapping each point, and stroking the line for its
    // hover shape: the costly part). Emptied first, the series make that pass free, and are laid out once,
    // when refilled below.
    const bool spreadChanged = (traces.size() > 1) != (m_traces.size() > 1) || traces.size() != m_traces.size();
    if (fromMs != m_fromMs || toMs != m_toMs || valueMax != m_max || spreadChanged) {
        for (const auto &pool : std::as_const(m_series)) {
            for (QLineSeries *series : pool) {
                if (series->count() > 0) {
                    series->clear();
                }
            }
        }
    }
    m_traces = traces;
    setTimeRange(fromMs, toMs);
    setValueRange(valueMax);
    applyPadding();
    setTraces(m_traces);
}

double MetricChart::spreadOffset(int position) const
{
    const qsizetype n = m_traces.size();
    const double height = plotRect().height();
    if (n < 2 || height <= 0) {
        return 0;
    }
    const double valuePerPx = (m_max + 2 * m_pad) / height;
    return (position - (static_cast<double>(n) - 1) / 2) * kSpreadPx * valuePerPx;
}

void MetricChart::applyPadding()
{
    const double height = plotRect().height();
    const qsizetype n = m_traces.size();
    double pad = 0;
    if (n > 1 && height > 0) {
        // Half the spread plus a pixel, below 0 and above the top: no line is cut by the plot's edge.
        const double px = (static_cast<double>(n) - 1) / 2 * kSpreadPx + 1.5;
        pad = height > 2 * px ? px * m_max / (height - 2 * px) : 0;
    }
    if (std::abs(pad - m_pad) <= 1e-9 * std::max(1.0, m_max)) {
        return;
    }
    m_pad = pad;
    m_y->setRange(-m_pad, m_max + m_pad);
    setTraces(m_traces); // the offsets moved with the scale
}

void MetricChart::setTraces(const QList<Trace> &traces)
{
    QList<int> drawn;
    for (qsizetype t = 0; t < traces.size(); ++t) {
        const Trace &trace = traces.at(t);
        drawn.append(trace.gpuIndex);
        const double offset = spreadOffset(static_cast<int>(t));
        QList<QLineSeries *> &pool = m_series[trace.gpuIndex];
        while (pool.size() < trace.segments.size()) {
            pool.append(createSeries(trace.gpuIndex));
        }
        for (qsizetype i = 0; i < pool.size(); ++i) {
            QLineSeries *series = pool.at(i);
            if (i < trace.segments.size()) {
                QList<QPointF> points = trace.segments.at(i);
                if (offset != 0) {
                    for (QPointF &p : points) {
                        p.ry() += offset;
                    }
                }
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

void MetricChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs) {
        toMs = fromMs + kMinuteMs; // a single instant still gets a span around it to draw in
    }
    if (fromMs != m_fromMs || toMs != m_toMs) {
        m_fromMs = fromMs;
        m_toMs = toMs;
        m_x->setRange(static_cast<double>(fromMs), static_cast<double>(toMs));
        updateTicks();
    }
}

void MetricChart::setValueRange(double max)
{
    if (max != m_max) {
        m_max = max;
        m_y->setRange(-m_pad, max + m_pad);
        // Five ticks from 0: whole numbers when the quarters are whole, one decimal otherwise.
        const double quarter = max / 4;
        m_y->setTickInterval(quarter);
        m_y->setLabelFormat(quarter == std::floor(quarter) ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    }
}

void MetricChart::updateTicks()
{
    const double plotWidth = plotRect().width();
    const double width = plotWidth > 0 ? plotWidth : 300; // not laid out yet: a narrow chart's
    const qint64 span = m_toMs - m_fromMs;
    if (span <= 0) {
        return;
    }
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics metrics(small);
    const TickStep *chosen = &kTickSteps[std::size(kTickSteps) - 1];
    for (const TickStep &step : kTickSteps) {
        const int label = metrics.horizontalAdvance(
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_toMs), QString::fromLatin1(step.format)));
        const double room = label + 3.0 * metrics.averageCharWidth();
        if (static_cast<double>(span) / static_cast<double>(step.ms) * room <= width) {
            chosen = &step;
            break;
        }
    }
    const QString format = QString::fromLatin1(chosen->format);
    if (chosen->ms != m_tickStepMs || format != m_tickFormat) {
        m_tickStepMs = chosen->ms;
        m_tickFormat = format;
        m_tickText.clear();
    }
    viewport()->update();
}

QList<qint64> MetricChart::timeTicks() const
{
    QList<qint64> ticks;
    if (m_tickStepMs <= 0 || m_toMs <= m_fromMs) {
        return ticks;
    }
    const qint64 midnight = localMidnight(m_fromMs);
    qint64 t = midnight + (m_fromMs - midnight + m_tickStepMs - 1) / m_tickStepMs * m_tickStepMs;
    for (; t <= m_toMs; t += m_tickStepMs) {
        ticks.append(t);
    }
    return ticks;
}

QString MetricChart::tickLabel(qint64 timeMs) const
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(timeMs), m_tickFormat);
}

QRectF MetricChart::plotRect() const
{
    return chart()->mapRectToScene(chart()->plotArea());
}

double MetricChart::xAt(qint64 timeMs) const
{
    const QRectF plot = plotRect();
    return plot.left() + static_cast<double>(timeMs - m_fromMs) / static_cast<double>(m_toMs - m_fromMs) * plot.width();
}

double MetricChart::yAt(double value) const
{
    const QRectF plot = plotRect();
    const double range = m_max + 2 * m_pad;
    return range > 0 ? plot.bottom() - (value + m_pad) / range * plot.height() : plot.bottom();
}

Segments MetricChart::segments(int gpuIndex) const
{
    for (const Trace &trace : m_traces) {
        if (trace.gpuIndex == gpuIndex) {
            Segments result;
            for (const QList<QPointF> &segment : trace.segments) {
                if (!segment.isEmpty()) {
                    result.append(segment);
                }
            }
            return result;
        }
    }
    return {};
}

Segments MetricChart::drawnSegments(int gpuIndex) const
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

QList<MetricChart::Reading> MetricChart::readingsAt(qint64 timeMs) const
{
    QList<Reading> readings;
    // A sample counts for the times up to 1 % of the span beside its line: the crosshair need not hit it.
    const double tolerance = static_cast<double>(m_toMs - m_fromMs) / 100;
    const double t = static_cast<double>(timeMs);
    for (const Trace &trace : m_traces) {
        for (const QList<QPointF> &segment : trace.segments) {
            if (segment.isEmpty() || t < segment.first().x() - tolerance || t > segment.last().x() + tolerance) {
                continue;
            }
            auto it = std::lower_bound(segment.begin(), segment.end(), t,
                                       [](const QPointF &p, double x) { return p.x() < x; });
            if (it == segment.end() || (it != segment.begin() && t - std::prev(it)->x() < it->x() - t)) {
                it = std::prev(it);
            }
            readings.append({trace.gpuIndex, it->y(), static_cast<qint64>(it->x())});
            break;
        }
    }
    std::stable_sort(readings.begin(), readings.end(),
                     [](const Reading &a, const Reading &b) { return a.value > b.value; });
    return readings;
}

void MetricChart::setHoverTime(qint64 timeMs)
{
    if (m_hover && m_hoverMs == timeMs) {
        return;
    }
    m_hover = true;
    m_hoverMs = timeMs;
    viewport()->update();
}

void MetricChart::clearHover()
{
    if (!m_hover) {
        return;
    }
    m_hover = false;
    viewport()->update();
}

QStringList MetricChart::hoverText() const
{
    if (!m_hover) {
        return {};
    }
    const qint64 span = m_toMs - m_fromMs;
    const QString format = span <= kHourMs  ? QStringLiteral("HH:mm:ss")
                           : span <= kDayMs ? QStringLiteral("HH:mm")
                                            : QStringLiteral("ddd d MMM HH:mm");
    QStringList lines = {QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_hoverMs), format)};
    for (const Reading &r : readingsAt(m_hoverMs)) {
        lines.append(tr("GPU %1: %2").arg(r.gpuIndex).arg(m_formatter(r.value)));
    }
    return lines;
}

void MetricChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::LocaleChange) {
        m_tickText.clear();
    }
    if (event->type() == QEvent::PaletteChange) {
        // A palette chosen after the chart was made (light to dark): the axes and the background follow.
        ChartPalette::apply(chart(), palette());
        chart()->setBackgroundVisible(false);
        setBackgroundBrush(palette().brush(QPalette::Base));
    }
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    updateTicks();
}

void MetricChart::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QRectF plot = plotRect();
    const QPointF pos = mapToScene(event->position().toPoint());
    if (m_toMs > m_fromMs && plot.width() > 0 && plot.contains(pos)) {
        setHoverTime(m_fromMs +
                     std::llround((pos.x() - plot.left()) / plot.width() * static_cast<double>(m_toMs - m_fromMs)));
    } else {
        clearHover();
    }
}

void MetricChart::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    clearHover();
}

void MetricChart::drawBackground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawBackground(painter, rect);
    // The time grid, under the lines.
    const QRectF plot = plotRect();
    if (plot.width() <= 0) {
        return;
    }
    painter->save();
    painter->setPen(QPen(ChartPalette::grid(palette()), 1));
    for (qint64 t : timeTicks()) {
        const double x = std::round(xAt(t)) + 0.5;
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    painter->restore();
}

void MetricChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = plotRect();
    if (plot.width() <= 0 || m_toMs <= m_fromMs) {
        return;
    }
    painter->save();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    const QFontMetricsF metrics(small);

    // The time axis: its line, and a label under each tick that fits inside the view.
    painter->setPen(palette().color(QPalette::Mid));
    painter->drawLine(plot.bottomLeft(), plot.bottomRight());
    painter->setPen(palette().color(QPalette::WindowText));
    // Laid out once per tick (QStaticText) rather than on every paint: a live chart is painted every second, and
    // its labels only change when the axis moves past a tick.
    QHash<qint64, QStaticText> kept;
    for (qint64 t : timeTicks()) {
        QStaticText label = m_tickText.value(t);
        if (label.text().isEmpty()) {
            label.setText(tickLabel(t));
            label.setTextFormat(Qt::PlainText);
            label.prepare(painter->transform(), small);
        }
        kept.insert(t, label);
        const double w = label.size().width();
        const double x = xAt(t);
        if (x - w / 2 < 0 || x + w / 2 > width()) {
            continue;
        }
        painter->drawStaticText(QPointF(x - w / 2, plot.bottom() + 2), label);
    }
    m_tickText = kept; // the ticks that scrolled out are dropped

    // Thresholds: a dashed line across, named at its right end.
    for (const Threshold &threshold : std::as_const(m_thresholds)) {
        if (threshold.value < 0 || threshold.value > m_max + m_pad) {
            continue;
        }
        const double y = yAt(threshold.value);
        QPen pen(ChartPalette::threshold(palette(), threshold.alert), 1.2, Qt::DashLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        const double w = metrics.horizontalAdvance(threshold.label);
        painter->drawText(QPointF(plot.right() - w - 2, y - 3), threshold.label);
    }

    // The crosshair: a line at the time, a dot on each GPU's line, and a box with every GPU's value.
    if (m_hover) {
        const double x = xAt(m_hoverMs);
        QColor line = palette().color(QPalette::WindowText);
        line.setAlpha(140);
        painter->setPen(QPen(line, 1));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const QList<Reading> readings = readingsAt(m_hoverMs);
        for (qsizetype t = 0; t < m_traces.size(); ++t) {
            for (const Reading &r : readings) {
                if (r.gpuIndex == m_traces.at(t).gpuIndex) {
                    painter->setPen(Qt::NoPen);
                    painter->setBrush(gpuColor(r.gpuIndex));
                    painter->drawEllipse(QPointF(xAt(r.timeMs), yAt(r.value + spreadOffset(static_cast<int>(t)))), 3,
                                         3);
                }
            }
        }
        const QStringList lines = hoverText();
        const double lineHeight = metrics.height();
        const double swatch = metrics.ascent() * 0.8;
        // One column while it fits the chart's height, else two.
        const qsizetype rows = lines.size() - 1;
        const int columns = (static_cast<double>(lines.size()) * lineHeight + 8 > height() && rows > 1) ? 2 : 1;
        const qsizetype perColumn = (rows + columns - 1) / columns;
        double textWidth = 0;
        for (const QString &l : lines.mid(1)) {
            textWidth = std::max(textWidth, metrics.horizontalAdvance(l));
        }
        const double columnWidth = swatch + 4 + textWidth + 8;
        const double boxWidth = std::max(metrics.horizontalAdvance(lines.first()), columns * columnWidth - 8) + 12;
        const double boxHeight = (1 + static_cast<double>(perColumn)) * lineHeight + 8;
        double left = x + 10;
        if (left + boxWidth > width()) {
            left = x - 10 - boxWidth;
        }
        const QRectF box(std::max(0.0, left), std::max(0.0, plot.top()), boxWidth, boxHeight);
        QColor background = palette().color(QPalette::ToolTipBase);
        background.setAlpha(235);
        painter->setPen(palette().color(QPalette::Mid));
        painter->setBrush(background);
        painter->drawRoundedRect(box, 3, 3);
        painter->setPen(palette().color(QPalette::ToolTipText));
        painter->drawText(QPointF(box.left() + 6, box.top() + 4 + metrics.ascent()), lines.first());
        for (qsizetype i = 0; i < readings.size() && i + 1 < lines.size(); ++i) {
            const double cx = box.left() + 6 + static_cast<double>(i / perColumn) * columnWidth;
            const double cy = box.top() + 4 + static_cast<double>(1 + i % perColumn) * lineHeight;
            painter->setPen(Qt::NoPen);
            painter->setBrush(gpuColor(readings.at(i).gpuIndex));
            painter->drawRect(QRectF(cx, cy + (lineHeight - swatch) / 2, swatch, swatch));
            painter->setPen(palette().color(QPalette::ToolTipText));
            painter->drawText(QPointF(cx + swatch + 4, cy + metrics.ascent()), lines.at(i + 1));
        }
    }
    painter->restore();
}

} // namespace gpudeck
