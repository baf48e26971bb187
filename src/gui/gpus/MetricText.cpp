#include "gpus/MetricText.h"

#include "metrics/GpuSample.h"

#include <QLocale>

namespace gpudeck {
namespace {

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

} // namespace

QString MetricText::none()
{
    return QStringLiteral("—");
}

QString MetricText::percent(double value)
{
    return hasValue(value) ? tr("%1 %").arg(number(value, 0)) : none();
}

QString MetricText::temperature(double celsius)
{
    return hasValue(celsius) ? tr("%1 °C").arg(number(celsius, 0)) : none();
}

QString MetricText::power(double watts)
{
    return hasValue(watts) ? tr("%1 W").arg(number(watts, watts < 100 ? 1 : 0)) : none();
}

QString MetricText::powerOf(double watts, double limitWatts)
{
    if (!hasValue(limitWatts)) {
        return power(watts);
    }
    return tr("%1 / %2 W").arg(hasValue(watts) ? number(watts, watts < 100 ? 1 : 0) : none(), number(limitWatts, 0));
}

QString MetricText::clock(double mhz)
{
    return hasValue(mhz) ? tr("%1 MHz").arg(QString::number(mhz, 'f', 0)) : none();
}

QString MetricText::mebibytes(double mib)
{
    if (!hasValue(mib)) {
        return none();
    }
    return mib < 1024 ? tr("%1 MiB").arg(number(mib, 0)) : tr("%1 GiB").arg(number(mib / 1024.0, 1));
}

QString MetricText::gpuCount(int count)
{
    // The singular apart: without a loaded translation a "%n GPU(s)" source text would be shown as it is.
    return count == 1 ? tr("1 GPU") : tr("%n GPUs", nullptr, count);
}

QString MetricText::memoryOf(double usedMiB, double totalMiB, bool unified)
{
    QString text;
    if (!hasValue(totalMiB)) {
        text = mebibytes(usedMiB);
    } else {
        text = tr("%1 / %2 GiB")
                   .arg(hasValue(usedMiB) ? number(usedMiB / 1024.0, 1) : none(), number(totalMiB / 1024.0, 1));
    }
    // Unified memory (DGX Spark) is the host's RAM, shared with the CPU: the figure is /proc/meminfo's.
    return unified ? tr("%1 (unified)").arg(text) : text;
}

QString MetricText::hostState(const QString &state)
{
    if (state == QStringLiteral("ok")) {
        return tr("Monitoring");
    }
    if (state == QStringLiteral("offline")) {
        return tr("Offline");
    }
    if (state == QStringLiteral("starting")) {
        return tr("Starting monitoring…");
    }
    if (state == QStringLiteral("no_nvidia_smi")) {
        return tr("nvidia-smi not found");
    }
    if (state == QStringLiteral("no_gpu")) {
        return tr("No NVIDIA GPU found");
    }
    if (state == QStringLiteral("stream_error")) {
        return tr("Metrics stream interrupted, restarting");
    }
    if (state == QStringLiteral("paused")) {
        return tr("Monitoring paused");
    }
    return state;
}

bool MetricText::isQuietState(const QString &state)
{
    return state == QStringLiteral("ok");
}

} // namespace gpudeck
