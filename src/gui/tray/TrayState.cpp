#include "tray/TrayState.h"

#include "AppIcon.h"
#include "gpus/MetricText.h"

#include <algorithm>

namespace gpudeck {
namespace {

using Level = TrayState::Level;

Level worse(Level a, Level b)
{
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

Level levelOf(const TrayState::Host &h)
{
    switch (h.link) {
    case LinkState::Failed:
        return Level::Critical;
    case LinkState::Reconnecting:
    case LinkState::Down:
        return Level::Warning;
    case LinkState::Connecting:
    case LinkState::Disconnected:
        return Level::Idle;
    case LinkState::Connected:
        break;
    }
    return h.monitored && h.metrics.state == QStringLiteral("stream_error") ? Level::Warning : Level::Ok;
}

} // namespace

QColor TrayState::color(Level level)
{
    switch (level) {
    case Level::Ok:
        return AppIcon::okColor();
    case Level::Warning:
        return QColor(0xe6, 0x9a, 0x16);
    case Level::Critical:
        return QColor(0xd0, 0x3a, 0x2b);
    case Level::Idle:
        break;
    }
    return QColor(0x95, 0xa0, 0xa8);
}

QString TrayState::hostLine(const Host &h)
{
    switch (h.link) {
    case LinkState::Failed:
        return tr("%1: connection failed").arg(h.name);
    case LinkState::Reconnecting:
        return h.attempt > 0 ? tr("%1: reconnecting (attempt %2)").arg(h.name).arg(h.attempt)
                             : tr("%1: reconnecting").arg(h.name);
    case LinkState::Connecting:
        return tr("%1: connecting").arg(h.name);
    case LinkState::Down:
        return tr("%1: down (probing)").arg(h.name);
    case LinkState::Disconnected:
        return tr("%1: offline").arg(h.name);
    case LinkState::Connected:
        break;
    }
    if (!h.monitored) {
        return tr("%1: connected").arg(h.name);
    }
    const HostMetrics &m = h.metrics;
    if (m.state != QStringLiteral("ok") || m.gpus.isEmpty()) {
        if (m.state == QStringLiteral("offline")) {
            return tr("%1: offline").arg(h.name);
        }
        return tr("%1: %2").arg(h.name, MetricText::hostState(m.state).toLower());
    }
    double util = kNoValue;
    double temperature = kNoValue;
    for (const GpuSample &g : m.gpus) {
        if (hasValue(g.utilizationGpu)) {
            util = hasValue(util) ? std::max(util, g.utilizationGpu) : g.utilizationGpu;
        }
        if (hasValue(g.temperatureC)) {
            temperature = hasValue(temperature) ? std::max(temperature, g.temperatureC) : g.temperatureC;
        }
    }
    return tr("%1: %2, %3, %4")
        .arg(h.name, MetricText::gpuCount(static_cast<int>(m.gpus.size())), MetricText::percent(util),
             MetricText::temperature(temperature));
}

TrayState TrayState::evaluate(const QList<Host> &hosts, const QList<Alert> &activeAlerts, bool paused)
{
    TrayState state;
    QStringList lines{tr("GPU Deck")};
    if (paused) {
        lines << tr("Monitoring paused");
    }
    for (const Host &h : hosts) {
        state.m_level = worse(state.m_level, levelOf(h));
        lines << hostLine(h);
    }
    if (hosts.isEmpty()) {
        lines << tr("No hosts connected");
    }
    int critical = 0;
    int warning = 0;
    for (const Alert &a : activeAlerts) {
        if (!a.active()) {
            continue;
        }
        if (a.severity == QStringLiteral("critical")) {
            ++critical;
            state.m_level = Level::Critical;
        } else if (a.severity == QStringLiteral("warning")) {
            ++warning;
            state.m_level = worse(state.m_level, Level::Warning);
        }
    }
    if (critical > 0) {
        lines << (critical == 1 ? tr("1 critical alert") : tr("%n critical alerts", nullptr, critical));
    }
    if (warning > 0) {
        lines << (warning == 1 ? tr("1 warning") : tr("%n warnings", nullptr, warning));
    }
    state.m_toolTip = lines.join(QLatin1Char('\n'));
    return state;
}

} // namespace gpudeck
