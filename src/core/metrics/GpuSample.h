#pragma once

#include "base/NoValue.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace gpudeck {

// One GPU at one moment.
struct GpuSample
{
    QString reportedTime; // nvidia-smi's own timestamp text (host-local time, no zone): informative only
    QDateTime time;       // when GPU Deck received it (UTC): what is stored and charted
    int index = -1;
    QString uuid;
    QString name;
    QString busId;
    QString driverVersion;
    QString pstate;                      // "P0".."P12", empty when unknown
    double utilizationGpu = kNoValue;    // %
    double utilizationMemory = kNoValue; // %
    double memoryTotalMiB = kNoValue;
    double memoryUsedMiB = kNoValue;
    double memoryFreeMiB = kNoValue;
    double temperatureC = kNoValue;
    double memoryTemperatureC = kNoValue;
    double powerDrawW = kNoValue;
    double powerLimitW = kNoValue;
    double fanPercent = kNoValue;
    double smClockMHz = kNoValue;
    double memoryClockMHz = kNoValue;
    double maxSmClockMHz = kNoValue;
    quint64 throttleReasons = 0; // clocks_event_reasons.active bit mask
    double eccUncorrected = kNoValue;
    // Set when the GPU reports no memory of its own (DGX Spark / GB10 unified memory) and the figures
    // above were filled from the host's /proc/meminfo instead.
    bool unifiedMemory = false;
};

// A process using a GPU (nvidia-smi --query-compute-apps, or the process table of `nvidia-smi` / `-q -x`).
struct GpuProcess
{
    qint64 pid = 0;
    QString name; // may contain spaces and commas
    double usedMemoryMiB = kNoValue;
    QString gpuUuid;
    int gpuIndex = -1; // when the source gives an index instead of a uuid
};

struct HostMemory
{
    double totalMiB = kNoValue;
    double availableMiB = kNoValue;
    double usedMiB() const { return totalMiB - availableMiB; }
};

struct LoadAverage
{
    double one = kNoValue;
    double five = kNoValue;
    double fifteen = kNoValue;
};

} // namespace gpudeck
