#pragma once

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QStringList>
#include <deque>
#include <functional>
#include <memory>

namespace gpudeck {

// One thing that changed, as GET /api/events sends it. Immutable once published; shared between subscribers.
struct Event
{
    quint64 id = 0;
    QString type;  // e.g. "job.status"
    QString topic; // the part before the dot: "job"
    QDateTime time;
    QJsonObject data;
    QByteArray json; // {"id", "type", "time", "data"}, compact: what the SSE "data:" line carries
    QByteArray sse;  // the whole server-sent event: "id: N\nevent: type\ndata: <json>\n\n"

    static QByteArray frame(quint64 id, const QString &type, const QByteArray &json);
};
using EventPtr = std::shared_ptr<const Event>;

// Which events a subscriber wants: whole topics ("job") and/or single types ("alert.raised").
struct EventFilter
{
    QSet<QString> topics;
    QSet<QString> types;

    bool matches(const Event &event) const { return topics.contains(event.topic) || types.contains(event.type); }
    // The topics whose events can match (a type counts for its topic).
    QSet<QString> coveredTopics() const;
    // Everything but metrics: what GET /api/events sends without ?topics.
    static EventFilter defaults();
    // "job,swap,alert.raised" (comma separated topics or types; "all" is every topic, metrics included). Empty:
    // defaults(). Validation error naming the known topics and types for anything else.
    static Result<EventFilter> parse(const QString &text);
};

// What changed in GPU Deck, in order, for anyone who asks: the API's event stream, waits on jobs and swaps.
// Publishers hook existing signals (Core wires them); publish() is thread-safe and cheap (one JSON serialisation,
// shared by every subscriber).
//
// Ids increase by one per event. The first id of a run is taken from the clock (10 × milliseconds since 1970), so an
// id remembered from an earlier run is always older than anything this run published: a client reconnecting across a
// restart is told it missed events (reset) instead of being handed the wrong ones.
//
// The last events are kept in a bounded ring for clients that reconnect (Last-Event-ID): kRingSize events of every
// topic but metrics, and a separate kMetricsRingSize for metrics samples, which arrive every second per host and
// would otherwise push the rare important events out within minutes.
class EventHub
{
public:
    static constexpr int kRingSize = 2000;
    static constexpr int kMetricsRingSize = 500;

    // The topics and event types, for validation and docs.
    static QStringList topics();
    static QStringList types();
    static QString topicOf(const QString &type);

    EventHub();
    ~EventHub();
    EventHub(const EventHub &) = delete;
    EventHub &operator=(const EventHub &) = delete;

    // Publishes an event of `type` (one of types()) now; returns it.
    EventPtr publish(const QString &type, QJsonObject data);
    quint64 lastId() const;

    // Called for every event published after subscribe() returned, on the publisher's thread, in id order, with the
    // hub's lock held: it must be quick (post it somewhere) and must not call the hub. Returning false unsubscribes.
    using Sink = std::function<bool(const EventPtr &event)>;
    // `lastId` (optional) receives the id of the last event published before the subscription began: the sink
    // gets exactly the events after it.
    quint64 subscribe(Sink sink, quint64 *lastId = nullptr);
    void unsubscribe(quint64 subscription);
    int subscriberCount() const;

    // The kept events with `after` < id <= `upTo` that `filter` matches, oldest first. `complete` is false when
    // one that may have matched is no longer kept (or `after` is not an id of this run): the caller missed events.
    struct Replay
    {
        bool complete = true;
        QList<EventPtr> events;
    };
    Replay since(quint64 after, quint64 upTo, const EventFilter &filter) const;
    // How many events this run has published.
    quint64 publishedCount() const;

private:
    mutable QMutex m_mutex;
    quint64 m_firstId = 1;
    quint64 m_lastId = 0;
    std::deque<EventPtr> m_ring;           // every topic but metrics
    std::deque<EventPtr> m_metricsRing;    // metrics samples
    QHash<QString, quint64> m_droppedUpTo; // per topic, the newest id that left the ring
    quint64 m_lastSubscription = 0;
    struct Subscriber
    {
        quint64 id;
        Sink sink;
    };
    std::vector<Subscriber> m_subscribers;
};

} // namespace gpudeck
