#include "api/HttpLimits.h"

#include <QString>
#include <algorithm>
#include <sys/resource.h>

namespace gpudeck {
namespace {

template<typename T>
void overrideFrom(const char *name, T &value)
{
    bool ok = false;
    const qlonglong v = qEnvironmentVariable(name).toLongLong(&ok);
    if (ok && v > 0) {
        value = static_cast<T>(v);
    }
}

} // namespace

HttpLimits HttpLimits::fromEnvironment()
{
    HttpLimits limits;
    overrideFrom("GPUDECK_API_MAX_CONNECTIONS", limits.maxConnections);
    overrideFrom("GPUDECK_API_MAX_HEAD_BYTES", limits.maxHeadBytes);
    overrideFrom("GPUDECK_API_MAX_BODY_BYTES", limits.maxBodyBytes);
    overrideFrom("GPUDECK_API_MAX_UPLOAD_BYTES", limits.maxUploadBytes);
    overrideFrom("GPUDECK_API_HEAD_TIMEOUT_MS", limits.headTimeoutMs);
    overrideFrom("GPUDECK_API_IDLE_TIMEOUT_MS", limits.idleTimeoutMs);
    overrideFrom("GPUDECK_API_LINGER_MS", limits.lingerMs);
    overrideFrom("GPUDECK_API_THREADS", limits.threads);
    return limits;
}

HttpLimits HttpLimits::fittedToFileLimit() const
{
    HttpLimits fitted = *this;
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
        const auto half = static_cast<int>(std::min<rlim_t>(files.rlim_cur / 2, 1 << 20));
        fitted.maxConnections = std::max(1, std::min(fitted.maxConnections, half));
    }
    return fitted;
}

} // namespace gpudeck
