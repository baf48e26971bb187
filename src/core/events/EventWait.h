#pragma once

#include "events/EventHub.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QTimer>

namespace gpudeck {

// Waits, without a thread and without polling, until an event that `match` accepts is published or `timeoutMs`
// passes, whichever comes first; future() then gives true (the event came) or false (the time ran out). Lives on the
// thread of `parent` (the API thread for the API's ?wait=), which its timer and its answer use; deletes itself once
// answered. Deleting it early (its parent goes: the API stops) cancels the future.
//
// Subscribe first, then look at the current state, then return future() or cancel(): an event published between
// the two can never be missed.
class EventWait : public QObject
{
    Q_OBJECT
public:
    using Match = std::function<bool(const Event &event)>;

    EventWait(EventHub &hub, Match match, int timeoutMs, QObject *parent);
    ~EventWait() override;

    QFuture<bool> future() { return m_promise.future(); }
    // Not needed after all (the state was already final): answers true and goes.
    void cancel() { finish(true); }

private:
    void finish(bool matched);

    EventHub &m_hub;
    quint64 m_subscription = 0;
    QPromise<bool> m_promise;
    QTimer m_timer;
    bool m_done = false;
};

} // namespace gpudeck
