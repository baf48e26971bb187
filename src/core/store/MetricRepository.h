#pragma once

#include "Result.h"
#include "base/NoValue.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

class QSqlDatabase;

namespace gpudeck {

class Database;

// One stored GPU reading (a sample of a raw chunk, gpu_metric_chunks). NaN: no reading ([N/A]).
struct StoredSample
{
    qint64 connectionId = 0;
    qint64 timeMs = 0; // UTC, ms since the epoch
    int gpuIndex = 0;
    double utilization = kNoValue;
    double memoryUsedMiB = kNoValue;
    double memoryTotalMiB = kNoValue;
    double temperatureC = kNoValue;
    double powerW = kNoValue;
};

// How long each tier keeps its rows.
struct MetricRetention
{
    qint64 rawMs = 24LL * 3600 * 1000;
    qint64 minuteMs = 30LL * 24 * 3600 * 1000;
    qint64 hourMs = 365LL * 24 * 3600 * 1000;
};

struct HistoryQuery
{
    qint64 connectionId = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int gpu = -1; // -1: every GPU
    int maxPoints = 500;
    qint64 sampleIntervalMs = 2000; // the collector's interval: the finest bucket that makes sense
};

struct MinAvgMax
{
    double min = kNoValue;
    double avg = kNoValue;
    double max = kNoValue;
};

struct HistoryPoint
{
    qint64 timeMs = 0; // bucket start
    int gpuIndex = 0;
    int samples = 0;
    MinAvgMax utilization;
    MinAvgMax memoryUsedMiB;
    double memoryTotalMiB = kNoValue;
    MinAvgMax temperatureC;
    MinAvgMax powerW;
};

struct History
{
    QString tier; // "raw", "1m" or "1h": the finest tier that answered
    qint64 bucketMs = 0;
    QList<HistoryPoint> points;        // sorted by gpu, then time; at most maxPoints per GPU
    QList<QPair<qint64, qint64>> gaps; // spans with no samples at all (host down, stream restarting)

    QJsonObject toJson(qint64 connectionId, qint64 fromMs, qint64 toMs) const;
    // The same document as QJsonDocument(toJson(...)).toJson(Compact), written straight into bytes.
    QByteArray toJsonBytes(qint64 connectionId, qint64 fromMs, qint64 toMs) const;
};

// The three metric tiers: raw samples (a day; compressed chunks of one GPU's minute, decision 140), 1-minute and
// 1-hour roll-ups with min, max, and the sum and count of the readings there (a month, a year; decision 139).
// Writes come from the collector's thread in batches; reads from any thread.
class MetricRepository
{
public:
    explicit MetricRepository(Database &db);

    // One transaction for the whole batch. A sample at a time already stored for its GPU replaces it.
    Status insert(const QList<StoredSample> &samples);
    // The raw samples of one connection in [fromMs, toMs), sorted by GPU, then time.
    Result<QList<StoredSample>> rawSamples(qint64 connectionId, qint64 fromMs, qint64 toMs);
    // Rolls completed minutes into 1m and completed hours into 1h, up to `nowMs` (minus a short grace for
    // samples still in flight). Idempotent.
    Status rollUp(qint64 nowMs);
    // Deletes what is past retention, at most `batch` rows per tier per call, so it never stalls writers. Raw
    // chunks go when their whole minute is past retention.
    Result<int> prune(qint64 nowMs, const MetricRetention &retention, int batch = 5000);
    // Picks the tier that fits the span and max_points, aggregates into <= maxPoints buckets per GPU.
    Result<History> history(const HistoryQuery &query, const MetricRetention &retention = {});

    qint64 rolledUntil(const QString &tier);

private:
    Status setRolledUntil(const QString &tier, qint64 until);

    Database &m_db;
};

// Migration 16: the one-row-per-reading gpu_metrics table becomes chunks in gpu_metric_chunks, then is dropped.
Status convertRawRowsToChunks(QSqlDatabase &db);

} // namespace gpudeck
