#pragma once

// The host's own figures the collector polls beside nvidia-smi: /proc/meminfo (the memory to show when the GPU
// has none of its own, DGX Spark / GB10 unified memory) and /proc/loadavg. Bad input is nullopt, never a guess.

#include "metrics/GpuSample.h"

#include <QString>
#include <optional>

namespace gpudeck {

class ProcParser
{
public:
    // MemTotal and MemAvailable, kB -> MiB. nullopt without a readable MemTotal, or when either line is not
    // "<non-negative number> kB"; MemAvailable stays NaN on kernels that do not print it (before 3.14).
    static std::optional<HostMemory> parseMeminfo(const QString &text);
    // "0.52 0.58 0.59 1/467 12345": the 1, 5 and 15 minute averages (finite, non-negative), else nullopt.
    static std::optional<LoadAverage> parseLoadavg(const QString &text);
};

} // namespace gpudeck
