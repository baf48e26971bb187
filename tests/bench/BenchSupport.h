#pragma once

// What every benchmark under tests/bench needs and had written again: its integer options, the machine's load
// (printed beside the figures, which depend on it) and CPU clocks.

#include <QFile>
#include <QString>
#include <QStringList>
#include <ctime>

namespace gpudeck::bench {

// `--name N` among the arguments, else `fallback`.
inline int intArg(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

// The 1-minute load average, as /proc/loadavg says it.
inline QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().split(' ').value(0)) : QStringLiteral("?");
}

inline double clockMs(clockid_t clock)
{
    timespec t{};
    ::clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// CPU time of the calling thread, in ms.
inline double threadCpuMs()
{
    return clockMs(CLOCK_THREAD_CPUTIME_ID);
}

// CPU time of the whole process (every thread of it; child processes are not counted), in ms.
inline double processCpuMs()
{
    return clockMs(CLOCK_PROCESS_CPUTIME_ID);
}

} // namespace gpudeck::bench
