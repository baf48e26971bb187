#include "settings/SettingsApplied.h"

#include "metrics/MetricsCollector.h"
#include "metrics/MetricsService.h"

#include <QCoreApplication>
#include <QPointer>

namespace gpudeck {

void whenSettingsApplied(MetricsService &metrics, QObject *context, std::function<void()> then)
{
    MetricsCollector *collector = metrics.collector();
    if (!collector) {
        then(); // not monitoring: nothing applies them later
        return;
    }
    // Queued behind the service's own applySettings call on the collector's thread, then back to this one.
    // The guard is only read on the GUI thread.
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(collector, [guard, then = std::move(then)] {
        QMetaObject::invokeMethod(QCoreApplication::instance(), [guard, then] {
            if (guard) {
                then();
            }
        });
    });
}

} // namespace gpudeck
