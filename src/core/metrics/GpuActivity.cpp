#include "metrics/GpuActivity.h"

#include <algorithm>

namespace gpudeck {

void GpuActivity::prune(Track &track, qint64 nowMs)
{
    while (!track.buckets.empty() && track.buckets.front().first < nowMs - kMaxWindowMs) {
        track.buckets.pop_front();
    }
}

void GpuActivity::recordUtilization(qint64 connectionId, int gpuIndex, qint64 atMs, double percent)
{
    if (gpuIndex < 0 || !(percent >= 0)) { // an unknown reading ([N/A]) is no evidence either way
        return;
    }
    const qint64 second = atMs - atMs % 1000;
    QMutexLocker lock(&m_mutex);
    Track &track = m_tracks[connectionId][gpuIndex];
    if (track.firstMs == 0) {
        track.firstMs = atMs;
    }
    if (!track.buckets.empty() && track.buckets.back().first == second) {
        track.buckets.back().second = std::max(track.buckets.back().second, float(percent));
    } else {
        track.buckets.emplace_back(second, float(percent));
    }
    prune(track, atMs);
}

void GpuActivity::recordProcess(qint64 connectionId, int gpuIndex, qint64 atMs)
{
    if (gpuIndex < 0) {
        return;
    }
    QMutexLocker lock(&m_mutex);
    Track &track = m_tracks[connectionId][gpuIndex];
    track.lastProcessMs = std::max(track.lastProcessMs, atMs);
}

void GpuActivity::forget(qint64 connectionId)
{
    QMutexLocker lock(&m_mutex);
    m_tracks.remove(connectionId);
}

QHash<qint64, QHash<int, GpuActivitySummary>> GpuActivity::summarize(qint64 sinceMs) const
{
    QHash<qint64, QHash<int, GpuActivitySummary>> out;
    const qint64 sinceSecond = sinceMs - sinceMs % 1000;
    QMutexLocker lock(&m_mutex);
    out.reserve(m_tracks.size());
    for (auto host = m_tracks.cbegin(); host != m_tracks.cend(); ++host) {
        QHash<int, GpuActivitySummary> &gpus = out[host.key()];
        for (auto gpu = host->cbegin(); gpu != host->cend(); ++gpu) {
            const Track &track = gpu.value();
            GpuActivitySummary s;
            s.observedSinceMs = track.firstMs;
            s.lastProcessMs = track.lastProcessMs;
            // Newest first: stop at the first bucket older than the window.
            for (auto it = track.buckets.crbegin(); it != track.buckets.crend() && it->first >= sinceSecond; ++it) {
                s.peakUtilization = std::max(s.peakUtilization, double(it->second));
                ++s.samples;
            }
            gpus.insert(gpu.key(), s);
        }
    }
    return out;
}

} // namespace gpudeck
