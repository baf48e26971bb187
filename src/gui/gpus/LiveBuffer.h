#pragma once

#include "metrics/GpuSample.h"

#include <QList>
#include <QMap>
#include <deque>

namespace gpudeck {

// The live minutes of one host's GPUs, kept in memory from the snapshots the collector publishes, so the
// live chart never asks the database. Bounded by age and by count: old samples fall off the front.
class LiveBuffer
{
public:
    struct Sample
    {
        qint64 timeMs = 0;
        double utilization = kNoValue;
        double memoryUsedMiB = kNoValue;
        double memoryTotalMiB = kNoValue;
        double temperatureC = kNoValue;
        double powerW = kNoValue;
    };

    explicit LiveBuffer(qint64 spanMs = 0, int capacity = 4000);

    // Appends the GPU's reading when it is newer than the last one kept (a snapshot repeats the readings of
    // GPUs that did not report since). Returns whether it was added.
    bool add(const GpuSample &sample);
    bool add(int gpuIndex, const Sample &sample);
    // Drops what is older than `nowMs` minus the span.
    void trim(qint64 nowMs);
    void clear() { m_gpus.clear(); }

    bool isEmpty() const;
    QList<int> gpuIndexes() const { return m_gpus.keys(); }
    const std::deque<Sample> &samples(int gpuIndex) const;
    qint64 lastTime(int gpuIndex) const;

private:
    qint64 m_spanMs;
    int m_capacity;
    QMap<int, std::deque<Sample>> m_gpus;
};

} // namespace gpudeck
