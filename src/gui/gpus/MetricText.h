#pragma once

#include <QCoreApplication>
#include <QString>

namespace gpudeck {

// How GPU readings read on screen: units, precision, and a dash for a reading nvidia-smi did not give.
// The core keeps numbers and state identifiers; only the GUI turns them into these words.
class MetricText
{
    Q_DECLARE_TR_FUNCTIONS(MetricText)
public:
    static QString none(); // a missing reading
    static QString percent(double value);
    static QString temperature(double celsius);
    static QString power(double watts);
    static QString powerOf(double watts, double limitWatts); // "212 / 300 W"
    static QString clock(double mhz);
    static QString mebibytes(double mib);                                   // "850 MiB", "12.4 GiB"
    static QString gpuCount(int count);                                     // "1 GPU", "2 GPUs"
    static QString memoryOf(double usedMiB, double totalMiB, bool unified); // "45.1 / 119.7 GiB (unified)"

    // The host's monitoring state (HostMetrics::state) in words: "Offline", "nvidia-smi not found", ...
    static QString hostState(const QString &state);
    // True for the states that mean "nothing wrong to report".
    static bool isQuietState(const QString &state);
};

} // namespace gpudeck
