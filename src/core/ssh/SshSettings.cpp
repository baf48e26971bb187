#include "ssh/SshSettings.h"

#include <cmath>

namespace gpudeck {
namespace {

struct Field
{
    const char *name;
    int SshSettings::*member;
    double minS;
    double maxS;
};

const Field kFields[] = {
    {"down_after_s", &SshSettings::downAfterMs, 2, 600},
    {"reconnect_probe_s", &SshSettings::probeIntervalMs, 0.2, 60},
    {"probe_max_s", &SshSettings::probeMaxMs, 1, 3600},
    {"backoff_max_s", &SshSettings::backoffMaxMs, 1, 3600},
};

} // namespace

int SshSettings::probeDelayMs(int probes) const
{
    const int fast = qMax(50, probeIntervalMs);
    if (probes < kFastProbes) {
        return fast;
    }
    const double grown = static_cast<double>(fast) * std::pow(2.0, qMin(probes - kFastProbes + 1, 20));
    return static_cast<int>(qMin<double>(qMax(fast, probeMaxMs), grown));
}

QJsonObject SshSettings::toJson() const
{
    QJsonObject json;
    for (const Field &f : kFields) {
        json.insert(QLatin1String(f.name), this->*f.member / 1000.0);
    }
    return json;
}

bool SshSettings::fromJson(const QJsonObject &json, SshSettings &out, QString *error)
{
    SshSettings s = out;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const Field *field = nullptr;
        for (const Field &f : kFields) {
            if (it.key() == QLatin1String(f.name)) {
                field = &f;
            }
        }
        if (!field) {
            *error = QStringLiteral("unknown field '%1'").arg(it.key());
            return false;
        }
        const double v = it.value().toDouble(-1);
        if (!it.value().isDouble() || !std::isfinite(v) || v < field->minS || v > field->maxS) {
            *error = QStringLiteral("'%1' must be a number of seconds from %2 to %3")
                         .arg(it.key())
                         .arg(field->minS)
                         .arg(field->maxS);
            return false;
        }
        s.*(field->member) = static_cast<int>(std::lround(v * 1000.0));
    }
    out = s;
    return true;
}

} // namespace gpudeck
