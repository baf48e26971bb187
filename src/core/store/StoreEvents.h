#pragma once

#include "store/Entities.h"

#include <QObject>

namespace gpudeck {

// Announces every change written to the store, whoever wrote it (API thread or GUI thread), so every view
// refreshes from the same truth. Lives on the GUI (main) thread: receivers there get queued, in-order signals.
class StoreEvents : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    void connectionsChanged();
    void projectsChanged();
    void jobsChanged();
    // A job's status (or its attempt) changed: emitted once the change is committed, on the thread that made it
    // (connect with a direct connection to hear it at once, e.g. the event hub; queued receivers get it in order).
    // `previousStatus` is empty for a new job.
    void jobStatusChanged(const gpudeck::Job &job, const QString &previousStatus);
};

} // namespace gpudeck
