#pragma once

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
};

} // namespace gpudeck
