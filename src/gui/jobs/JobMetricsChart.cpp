#include "jobs/JobMetricsChart.h"

#include "ChartPalette.h"
#include "store/JobRepository.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineSeries>
#include <QMap>
#include <QValueAxis>

namespace gpudeck {

JobMetricsChart::JobMetricsChart(JobRepository &jobs, QWidget *parent)
    : QChartView(parent)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("jobMetricsChart"));
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    chart()->setBackgroundRoundness(0);
    ChartPalette::apply(chart(), palette());
    setBackgroundBrush(palette().brush(QPalette::Base));
    setMinimumSize(380, 160);
    showJob(0);
}

void JobMetricsChart::showJob(qint64 id)
{
    m_jobId = id;
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    QMap<QString, QLineSeries *> byKey; // sorted, so the colours do not shuffle between refreshes
    double minY = 0;
    double maxY = 0;
    double minX = 0;
    double maxX = 0;
    bool any = false;
    QString xTitle;
    if (id != 0) {
        // The latest attempt's series (a job run again starts a new one).
        const auto job = m_jobs.get(id);
        const auto series = m_jobs.metricSeries(id, 5000, job.ok() ? job->attempt : 0);
        const QJsonArray points = series.ok() ? series.value() : QJsonArray();
        // The x axis: the job's own step when every line carries one ("step"), else the time since its first line.
        const QString stepKey = QStringLiteral("step");
        bool bySteps = !points.isEmpty();
        for (const QJsonValue &point : points) {
            bySteps = bySteps && point.toObject().value(QStringLiteral("values")).toObject().value(stepKey).isDouble();
        }
        QDateTime first;
        double spanS = 0;
        QList<double> xs;
        for (const QJsonValue &point : points) {
            const QJsonObject p = point.toObject();
            if (bySteps) {
                xs.append(p.value(QStringLiteral("values")).toObject().value(stepKey).toDouble());
                continue;
            }
            const QDateTime t = QDateTime::fromString(p.value(QStringLiteral("t")).toString(), Qt::ISODateWithMs);
            first = first.isValid() ? first : t;
            const double seconds = first.isValid() && t.isValid() ? static_cast<double>(first.msecsTo(t)) / 1000.0 : 0;
            spanS = qMax(spanS, seconds);
            xs.append(seconds);
        }
        const bool inMinutes = !bySteps && spanS > 600;
        xTitle = bySteps     ? tr("Step")
                 : inMinutes ? tr("Minutes since the first line")
                             : tr("Seconds since the first line");
        for (qsizetype i = 0; i < points.size(); ++i) {
            const double x = inMinutes ? xs.at(i) / 60.0 : xs.at(i);
            const QJsonObject values = points.at(i).toObject().value(QStringLiteral("values")).toObject();
            for (auto it = values.begin(); it != values.end(); ++it) {
                if (!it.value().isDouble() || (bySteps && it.key() == stepKey)) {
                    continue;
                }
                QLineSeries *&s = byKey[it.key()];
                if (!s) {
                    s = new QLineSeries;
                    s->setName(it.key());
                }
                const double y = it.value().toDouble();
                s->append(x, y);
                minY = any ? qMin(minY, y) : y;
                maxY = any ? qMax(maxY, y) : y;
                minX = any ? qMin(minX, x) : x;
                maxX = any ? qMax(maxX, x) : x;
                any = true;
            }
        }
    }
    c->setTitle(any ? QString() : tr("No metrics yet"));
    setToolTip(tr("Lines the job prints as GPUDECK_METRICS {\"loss\": 0.5, ...} are drawn here, one line per key; "
                  "with a \"step\" in every line, against the step."));
    if (!any) {
        return;
    }
    auto *axisX = new QValueAxis(c);
    axisX->setTitleText(xTitle);
    // One point (or one x) still gets an axis around it.
    axisX->setRange(minX < maxX ? minX : minX - 1, minX < maxX ? maxX : maxX + 1);
    axisX->applyNiceNumbers();
    axisX->setLabelFormat(QStringLiteral("%g"));
    auto *axisY = new QValueAxis(c);
    const double pad = maxY > minY ? (maxY - minY) * 0.05 : qMax(1e-6, qAbs(maxY) * 0.1 + 0.1);
    // Non-negative metrics (losses, rates) keep their axis at or above zero.
    axisY->setRange(minY >= 0 ? qMax(0.0, minY - pad) : minY - pad, maxY + pad);
    axisY->applyNiceNumbers();
    c->addAxis(axisX, Qt::AlignBottom);
    c->addAxis(axisY, Qt::AlignLeft);
    ChartPalette::apply(c, palette()); // the new axes
    for (QLineSeries *s : byKey) {
        if (s->count() == 1) {
            s->setPointsVisible(true); // one point draws no line
        }
        c->addSeries(s);
        s->attachAxis(axisX);
        s->attachAxis(axisY);
    }
}

QString JobMetricsChart::xAxisTitle() const
{
    const QList<QAbstractAxis *> axes = chart()->axes(Qt::Horizontal);
    return axes.isEmpty() ? QString() : axes.first()->titleText();
}

QStringList JobMetricsChart::seriesNames() const
{
    QStringList names;
    for (QAbstractSeries *s : chart()->series()) {
        names.append(s->name());
    }
    return names;
}

} // namespace gpudeck
