#include "gpus/LiveBuffer.h"

namespace gpudeck {

LiveBuffer::LiveBuffer(qint64 spanMs, int capacity)
    : m_spanMs(spanMs)
    , m_capacity(capacity)
{
}

bool LiveBuffer::add(const GpuSample &s)
{
    if (!s.time.isValid() || s.index < 0) {
        return false;
    }
    return add(s.index, Sample{s.time.toMSecsSinceEpoch(), s.utilizationGpu, s.memoryUsedMiB, s.memoryTotalMiB,
                               s.temperatureC, s.powerDrawW});
}

bool LiveBuffer::add(int gpuIndex, const Sample &sample)
{
    std::deque<Sample> &samples = m_gpus[gpuIndex];
    if (!samples.empty() && sample.timeMs <= samples.back().timeMs) {
        return false;
    }
    samples.push_back(sample);
    while (static_cast<int>(samples.size()) > m_capacity) {
        samples.pop_front();
    }
    return true;
}

void LiveBuffer::trim(qint64 nowMs)
{
    if (m_spanMs <= 0) {
        return;
    }
    const qint64 oldest = nowMs - m_spanMs;
    for (auto it = m_gpus.begin(); it != m_gpus.end();) {
        std::deque<Sample> &samples = it.value();
        while (!samples.empty() && samples.front().timeMs < oldest) {
            samples.pop_front();
        }
        it = samples.empty() ? m_gpus.erase(it) : std::next(it);
    }
}

bool LiveBuffer::isEmpty() const
{
    return m_gpus.isEmpty();
}

const std::deque<LiveBuffer::Sample> &LiveBuffer::samples(int gpuIndex) const
{
    static const std::deque<Sample> empty;
    const auto it = m_gpus.constFind(gpuIndex);
    return it == m_gpus.constEnd() ? empty : it.value();
}

qint64 LiveBuffer::lastTime(int gpuIndex) const
{
    const std::deque<Sample> &s = samples(gpuIndex);
    return s.empty() ? 0 : s.back().timeMs;
}

} // namespace gpudeck
