#include "jobs/JobMetricsChart.h"

#include "store/JobRepository.h"

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
    double maxX = 0;
    bool any = false;
    if (id != 0) {
        // The latest attempt's series (a job run again starts a new one), numbered from 1.
        const auto job = m_jobs.get(id);
        const auto series = m_jobs.metricSeries(id, 5000, job.ok() ? job->attempt : 0);
        const QJsonArray points = series.ok() ? series.value() : QJsonArray();
        double x = 0;
        for (const QJsonValue &point : points) {
            const QJsonObject p = point.toObject();
            x += 1;
            const QJsonObject values = p.value(QStringLiteral("values")).toObject();
            for (auto it = values.begin(); it != values.end(); ++it) {
                if (!it.value().isDouble()) {
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
                maxX = qMax(maxX, x);
                any = true;
            }
        }
    }
    c->setTitle(any ? QString() : tr("No metrics yet"));
    setToolTip(tr("Lines the job prints as GPUDECK_METRICS {\"loss\": 0.5, ...} are drawn here, one line per key."));
    if (!any) {
        return;
    }
    auto *axisX = new QValueAxis(c);
    axisX->setLabelFormat(QStringLiteral("%d"));
    axisX->setTitleText(tr("Metrics line"));
    axisX->setRange(0, qMax(1.0, maxX));
    auto *axisY = new QValueAxis(c);
    const double pad = maxY > minY ? (maxY - minY) * 0.05 : qMax(1e-6, qAbs(maxY) * 0.1 + 0.1);
    // Non-negative metrics (losses, rates) keep their axis at or above zero.
    axisY->setRange(minY >= 0 ? qMax(0.0, minY - pad) : minY - pad, maxY + pad);
    axisY->applyNiceNumbers();
    c->addAxis(axisX, Qt::AlignBottom);
    c->addAxis(axisY, Qt::AlignLeft);
    for (QLineSeries *s : byKey) {
        if (s->count() == 1) {
            s->setPointsVisible(true); // one point draws no line
        }
        c->addSeries(s);
        s->attachAxis(axisX);
        s->attachAxis(axisY);
    }
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
