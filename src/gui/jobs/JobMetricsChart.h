#pragma once

#include <QChartView>

namespace gpudeck {

class JobRepository;

// The job's GPUDECK_METRICS lines as a chart: one line series per numeric key, against the line's number.
class JobMetricsChart : public QChartView
{
    Q_OBJECT
public:
    explicit JobMetricsChart(JobRepository &jobs, QWidget *parent = nullptr);

    void showJob(qint64 id); // 0: none; showing the same job again re-reads its series
    QStringList seriesNames() const;
    QString xAxisTitle() const; // "Step", or the time since the first line

private:
    JobRepository &m_jobs;
    qint64 m_jobId = 0;
};

} // namespace gpudeck
