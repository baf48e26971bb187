#pragma once

#include <QByteArray>
#include <QtGlobal>
#include <vector>

namespace gpudeck {

// One GPU's readings at one moment, as a raw chunk holds them. NaN: no reading ([N/A]).
struct ChunkSample
{
    enum Field { Utilization, MemoryUsed, MemoryTotal, Temperature, Power, FieldCount };
    qint64 timeMs = 0;
    double values[FieldCount] = {};
};

// The raw tier's storage: one blob per (connection, GPU, minute), its samples in time order (decision 140).
// Times are delta-of-delta varints from the minute's start; each field is, when every reading of the chunk is a
// whole number (of units, else of hundredths: nvidia-smi prints integers and watts with two decimals), a zigzag
// varint of the first value and then of each change (a steady reading costs one byte), with a presence bitmap
// when some readings are missing; any other field keeps its doubles as they are. Lossless either way.
namespace chunk {

constexpr qint64 kChunkMs = 60 * 1000;

// `samples` sorted by time, no time twice, all within [minuteMs, minuteMs + kChunkMs).
QByteArray encode(qint64 minuteMs, const std::vector<ChunkSample> &samples);
// Appends the chunk's samples to `out`; false (and `out` as it was) when the blob is not a chunk.
bool decode(qint64 minuteMs, const QByteArray &blob, std::vector<ChunkSample> &out);

} // namespace chunk
} // namespace gpudeck
