#pragma once

#include <cmath>
#include <limits>

namespace gpudeck {

// A reading that is not there (nvidia-smi's [N/A], [Not Supported], [Unknown Error], a missing field, a NULL
// column) is NaN: it travels through arithmetic as "no value" and is stored as NULL, shown as "—", sent as null.
inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
inline bool hasValue(double v)
{
    return !std::isnan(v);
}

} // namespace gpudeck
