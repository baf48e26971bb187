#pragma once

// This process's memory as the kernel reports it, for the tests and benchmarks that bound how much memory a
// transfer may take (a peak, not a sample: the kernel's high-water mark, reset before the transfer).

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>

namespace gpudeck::test {

// A figure of /proc/self/status in KiB ("VmRSS": resident now, "VmHWM": the peak since the last reset), or -1.
inline qint64 procStatusKb(QByteArrayView field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field) && line.size() > field.size() && line.at(field.size()) == ':') {
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return -1;
}

// Starts the peak (VmHWM) again from the resident size now; false when the kernel does not allow it.
inline bool resetPeakMemory()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

} // namespace gpudeck::test
