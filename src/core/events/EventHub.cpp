#include "events/EventHub.h"

#include "store/Entities.h"

#include <QJsonDocument>
#include <algorithm>

namespace gpudeck {
namespace {

const QString kMetrics = QStringLiteral("metrics");

// The newest `n` ids fit in the ring: a lower bound on the events with id > `after` in a deque sorted by id.
std::deque<EventPtr>::const_iterator firstAfter(const std::deque<EventPtr> &ring, quint64 after)
{
    return std::upper_bound(ring.begin(), ring.end(), after, [](quint64 id, const EventPtr &e) { return id < e->id; });
}

} // namespace

QByteArray Event::frame(quint64 id, const QString &type, const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + type.size() + 40);
    out += "id: " + QByteArray::number(id) + "\nevent: " + type.toUtf8() + "\ndata: " + json + "\n\n";
    return out;
}

QSet<QString> EventFilter::coveredTopics() const
{
    QSet<QString> out = topics;
    for (const QString &t : types) {
        out.insert(EventHub::topicOf(t));
    }
    return out;
}

EventFilter EventFilter::defaults()
{
    EventFilter f;
    for (const QString &t : EventHub::topics()) {
        if (t != kMetrics) {
            f.topics.insert(t);
        }
    }
    return f;
}

Result<EventFilter> EventFilter::parse(const QString &text)
{
    if (text.trimmed().isEmpty()) {
        return defaults();
    }
    EventFilter f;
    const QStringList known = EventHub::topics();
    const QStringList types = EventHub::types();
    for (const QString &raw : text.split(QLatin1Char(','))) {
        const QString name = raw.trimmed();
        if (name == QLatin1String("all")) {
            for (const QString &t : known) {
                f.topics.insert(t);
            }
        } else if (known.contains(name)) {
            f.topics.insert(name);
        } else if (types.contains(name)) {
            f.types.insert(name);
        } else {
            return Error::validation(
                QStringLiteral("topics"),
                QStringLiteral("unknown topic '%1'; topics: %2, or all; or single event types: %3")
                    .arg(name, known.join(QStringLiteral(", ")), types.join(QStringLiteral(", "))));
        }
    }
    return f;
}

QStringList EventHub::topics()
{
    return {QStringLiteral("connection"), QStringLiteral("alert"),   QStringLiteral("job"),
            QStringLiteral("swap"),       QStringLiteral("catalog"), kMetrics};
}

QStringList EventHub::types()
{
    return {QStringLiteral("connection.state"), QStringLiteral("alert.raised"),  QStringLiteral("alert.cleared"),
            QStringLiteral("job.status"),       QStringLiteral("swap.progress"), QStringLiteral("swap.finished"),
            QStringLiteral("catalog.reloaded"), QStringLiteral("metrics.sample")};
}

QString EventHub::topicOf(const QString &type)
{
    return type.section(QLatin1Char('.'), 0, 0);
}

EventHub::EventHub()
{
    // Ten ids per millisecond of wall clock between two runs: a run would have to publish more than 10,000 events a
    // second on average to reach the next run's first id.
    m_firstId = quint64(std::max<qint64>(QDateTime::currentMSecsSinceEpoch(), 1)) * 10;
    m_lastId = m_firstId - 1;
    for (const QString &t : topics()) {
        m_droppedUpTo.insert(t, m_lastId); // everything before this run is gone
    }
}

EventHub::~EventHub() = default;

EventPtr EventHub::publish(const QString &type, QJsonObject data)
{
    auto event = std::make_shared<Event>();
    event->type = type;
    event->topic = topicOf(type);
    event->time = nowUtc();
    event->data = std::move(data);
    QMutexLocker lock(&m_mutex);
    event->id = ++m_lastId;
    // Serialised under the lock only because the id is part of it; a few microseconds for the payloads sent here.
    event->json = QJsonDocument(QJsonObject{{QStringLiteral("id"), double(event->id)},
                                            {QStringLiteral("type"), type},
                                            {QStringLiteral("time"), isoUtc(event->time)},
                                            {QStringLiteral("data"), event->data}})
                      .toJson(QJsonDocument::Compact);
    event->sse = Event::frame(event->id, type, event->json);
    EventPtr shared = event;

    const bool metrics = event->topic == kMetrics;
    std::deque<EventPtr> &ring = metrics ? m_metricsRing : m_ring;
    ring.push_back(shared);
    if (ring.size() > size_t(metrics ? kMetricsRingSize : kRingSize)) {
        const EventPtr &dropped = ring.front();
        m_droppedUpTo[dropped->topic] = dropped->id;
        ring.pop_front();
    }

    for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
        if (it->sink(shared)) {
            ++it;
        } else {
            it = m_subscribers.erase(it);
        }
    }
    return shared;
}

quint64 EventHub::lastId() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastId;
}

quint64 EventHub::subscribe(Sink sink, quint64 *lastId)
{
    QMutexLocker lock(&m_mutex);
    const quint64 id = ++m_lastSubscription;
    m_subscribers.push_back({id, std::move(sink)});
    if (lastId) {
        *lastId = m_lastId;
    }
    return id;
}

void EventHub::unsubscribe(quint64 subscription)
{
    std::function<bool(const EventPtr &)> released; // destroyed after the lock is let go
    QMutexLocker lock(&m_mutex);
    for (auto it = m_subscribers.begin(); it != m_subscribers.end(); ++it) {
        if (it->id == subscription) {
            released = std::move(it->sink);
            m_subscribers.erase(it);
            return;
        }
    }
}

int EventHub::subscriberCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_subscribers.size());
}

EventHub::Replay EventHub::since(quint64 after, quint64 upTo, const EventFilter &filter) const
{
    Replay out;
    QMutexLocker lock(&m_mutex);
    if (after > m_lastId || after > upTo) {
        out.complete = false; // not an id of this run (or of the future)
        return out;
    }
    for (const QString &topic : filter.coveredTopics()) {
        if (m_droppedUpTo.value(topic) > after) {
            out.complete = false;
            return out;
        }
    }
    auto a = firstAfter(m_ring, after);
    auto b = firstAfter(m_metricsRing, after);
    const bool wantMetrics = filter.coveredTopics().contains(kMetrics);
    if (!wantMetrics) {
        b = m_metricsRing.end();
    }
    while (a != m_ring.end() || b != m_metricsRing.end()) {
        const bool takeA = b == m_metricsRing.end() || (a != m_ring.end() && (*a)->id < (*b)->id);
        const EventPtr &e = takeA ? *a++ : *b++;
        if (e->id > upTo) {
            if (takeA) {
                a = m_ring.end();
            } else {
                b = m_metricsRing.end();
            }
            continue;
        }
        if (filter.matches(*e)) {
            out.events.append(e);
        }
    }
    return out;
}

quint64 EventHub::publishedCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastId + 1 - m_firstId;
}

} // namespace gpudeck
