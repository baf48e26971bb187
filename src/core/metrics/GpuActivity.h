#pragma once

#include <QHash>
#include <QMutex>
#include <deque>

namespace gpudeck {

// What one GPU did over a recent window: the basis of the fleet's "free" verdict.
struct GpuActivitySummary
{
    double peakUtilization = -1; // highest utilisation (%) sampled in the window; -1: no sample in it
    qint64 observedSinceMs = 0;  // the oldest sample kept (0: none): how much of the window was watched
    qint64 lastProcessMs = 0;    // the last time a process was seen on the GPU (0: never while watched)
    int samples = 0;             // how many one-second buckets in the window had a sample
};

// The last few minutes of every GPU's utilisation and process sightings, in memory: one bucket per second
// (the highest reading in it) per GPU, at most kMaxWindowMs long. Written by the metrics collector as samples
// arrive, read by anyone (the API thread asks it per request, so no SQL is needed for "the last minute").
// Thread-safe. 64 GPUs × 600 buckets is ~0.6 MB at most.
class GpuActivity
{
public:
    static constexpr qint64 kMaxWindowMs = 10 * 60 * 1000;

    void recordUtilization(qint64 connectionId, int gpuIndex, qint64 atMs, double percent);
    void recordProcess(qint64 connectionId, int gpuIndex, qint64 atMs);
    // A host that stopped being watched (offline, paused): its history no longer says anything about now.
    void forget(qint64 connectionId);
    // Every watched GPU's activity since `sinceMs`, by connection id, then GPU index.
    QHash<qint64, QHash<int, GpuActivitySummary>> summarize(qint64 sinceMs) const;

private:
    struct Track
    {
        std::deque<std::pair<qint64, float>> buckets; // (second × 1000, peak %), oldest first
        qint64 firstMs = 0;                           // first sample since the host was (re)watched
        qint64 lastProcessMs = 0;
    };
    static void prune(Track &track, qint64 nowMs);

    mutable QMutex m_mutex;
    QHash<qint64, QHash<int, Track>> m_tracks;
};

} // namespace gpudeck
