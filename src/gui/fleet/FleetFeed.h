#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "fleet/FleetSnapshot.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace gpudeck {

class Core;
class FleetFeedWorker;

// Brings the Fleet pane a FleetSnapshot once a second while it runs. FleetReader reads the database (connections,
// running jobs, active alerts), so it runs on a thread of its own, never on the GUI thread: the pane gets the
// finished snapshot as a queued signal. At most one read is under way; a tick that finds one still running is
// skipped, so a slow disk delays the view instead of piling reads up.
class FleetFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;

    explicit FleetFeed(Core &core, QObject *parent = nullptr);
    ~FleetFeed() override;

    // Reading once a second (starts the thread the first time), or not at all.
    void setActive(bool active);
    bool isActive() const;
    // Reads now (without waiting for the tick), unless a read is already under way. Works while inactive too
    // (one read); turning the feed off drops the answer of a read it started before.
    void refresh();
    bool isReading() const { return m_reading; }
    // How long the last read took on the reader's thread (ms), for the curious and the benchmark.
    double lastReadMs() const { return m_lastReadMs; }

Q_SIGNALS:
    void snapshotReady(const gpudeck::FleetSnapshot &snapshot);
    void readFailed(const QString &message);

private:
    void delivered(const Result<FleetSnapshot> &result, double readMs, quint64 generation);

    Core &m_core;
    WorkerThread<FleetFeedWorker> m_thread;
    QTimer *m_timer;
    bool m_reading = false;
    quint64 m_generation = 0; // bumped when the feed is turned off: older answers are not wanted
    double m_lastReadMs = 0;
};

} // namespace gpudeck
