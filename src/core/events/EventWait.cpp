#include "events/EventWait.h"

#include <QPointer>

namespace gpudeck {

EventWait::EventWait(EventHub &hub, Match match, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
{
    m_promise.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // a wait never ends early
    connect(&m_timer, &QTimer::timeout, this, [this] { finish(false); });
    m_timer.start(timeoutMs);
    // The sink runs on the publisher's thread under the hub's lock; it only posts the answer here. Once this object
    // unsubscribed (finish, or the destructor) no sink call can be running, and a call already posted is dropped with
    // the object.
    m_subscription = m_hub.subscribe([this, match = std::move(match)](const EventPtr &event) {
        if (!match(*event)) {
            return true;
        }
        QMetaObject::invokeMethod(
            this, [this] { finish(true); }, Qt::QueuedConnection);
        return false;
    });
}

EventWait::~EventWait()
{
    m_hub.unsubscribe(m_subscription);
    if (!m_done) {
        m_promise.future().cancel();
        m_promise.finish();
    }
}

void EventWait::finish(bool matched)
{
    if (m_done) {
        return;
    }
    m_done = true;
    m_hub.unsubscribe(m_subscription);
    m_timer.stop();
    m_promise.addResult(matched);
    m_promise.finish();
    deleteLater();
}

} // namespace gpudeck
