#include "fleet/FleetFeed.h"

#include "app/Core.h"
#include "fleet/FleetBuilder.h"

#include <QTimer>

namespace gpudeck {

// Lives on the feed's thread: the reader and that thread's database connection.
class FleetFeedWorker : public QObject
{
public:
    explicit FleetFeedWorker(Core &core)
        : reader(core.connections(), core.projects(), core.jobs(), core.ssh(), core.metrics(), core.models())
    {
    }
    FleetReader reader;
};

FleetFeed::FleetFeed(Core &core, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_thread(QStringLiteral("fleet-feed"))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(kIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &FleetFeed::refresh);
}

FleetFeed::~FleetFeed()
{
    // The thread's database connection is closed on the thread, before it ends (Database::releaseThread).
    Database &db = m_core.database();
    m_thread.stop([&db](FleetFeedWorker *) { db.releaseThread(); });
}

void FleetFeed::setActive(bool active)
{
    if (active == m_timer->isActive()) {
        return;
    }
    if (!active) {
        m_timer->stop();
        ++m_generation;
        return;
    }
    m_timer->start();
    refresh();
}

bool FleetFeed::isActive() const
{
    return m_timer->isActive();
}

void FleetFeed::refresh()
{
    if (m_reading) {
        return;
    }
    if (!m_thread.isRunning()) {
        Core *core = &m_core;
        m_thread.start([core] { return new FleetFeedWorker(*core); });
    }
    // `this` outlives every read: the destructor stops (joins) the thread before the QObject goes, and the QObject
    // drops the answers still queued to it.
    m_reading = m_thread.post([feed = this, generation = m_generation](FleetFeedWorker *worker) {
        QElapsedTimer clock;
        clock.start();
        Result<FleetSnapshot> result = worker->reader.read();
        const double ms = double(clock.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            feed, [feed, result = std::move(result), ms, generation] { feed->delivered(result, ms, generation); });
    });
}

void FleetFeed::delivered(const Result<FleetSnapshot> &result, double readMs, quint64 generation)
{
    m_reading = false;
    m_lastReadMs = readMs;
    if (generation != m_generation) {
        return;
    }
    if (!result.ok()) {
        Q_EMIT readFailed(result.error().message);
        return;
    }
    Q_EMIT snapshotReady(result.value());
}

} // namespace gpudeck
