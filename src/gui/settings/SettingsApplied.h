#pragma once

#include <functional>

class QObject;

namespace gpudeck {

class MetricsService;

// MetricsService::settingsChanged is emitted once new settings are stored; the collector, whose copy
// MetricsService::settings() answers from, applies them a moment later on its own thread. This runs `then`
// on the GUI thread after it has (unless `context` is gone by then), so what it reads is current.
void whenSettingsApplied(MetricsService &metrics, QObject *context, std::function<void()> then);

} // namespace gpudeck
