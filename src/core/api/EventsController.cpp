// GET /api/events: what changes in GPU Deck, as server-sent events (see events/EventHub).
#include "api/ApiContext.h"
#include "api/Controllers.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "events/EventHub.h"
#include "logging/Logging.h"

#include <QJsonDocument>
#include <QTimer>

namespace gpudeck {
namespace {

// A comment line every this often on each open stream, from one timer for all of them: proxies and clients that
// give up on a silent connection keep it, and a client that vanished without a FIN is found by the failed write.
constexpr int kKeepAliveMs = 30'000;
// A client that leaves this much unread is dropped instead of being buffered for without end (a stalled reader of
// ?topics=metrics); it reconnects with Last-Event-ID and gets what the ring still has.
constexpr qint64 kMaxBacklogBytes = 8 * 1024 * 1024;

// The event streams of one API server: lives on the API thread as a child of the HTTP server (found, or made on
// the first request). It holds ONE subscription to the hub and fans each event out to its clients on the API thread,
// so an event costs one cross-thread hop whatever the number of clients, and an idle client costs nothing: no timer
// of its own, no wake-up (the shared keep-alive aside).
//
// Everything here runs on the API thread, so "the last event handed to the clients" (m_deliveredUpTo) is exact: a
// client that (re)connects is given the kept events after its Last-Event-ID up to that id, then joins the live
// fan-out, which starts after it — no event is lost or sent twice.
class EventStreams : public QObject
{
public:
    EventStreams(EventHub &hub, QObject *server)
        : QObject(server)
        , m_hub(hub)
    {
        setObjectName(QStringLiteral("gpudeck-event-streams"));
        m_subscription = m_hub.subscribe(
            [this](const EventPtr &event) {
                QMetaObject::invokeMethod(
                    this, [this, event] { deliver(event); }, Qt::QueuedConnection);
                return true;
            },
            &m_deliveredUpTo);
        m_keepAlive.setInterval(kKeepAliveMs);
        m_keepAlive.setTimerType(Qt::VeryCoarseTimer);
        connect(&m_keepAlive, &QTimer::timeout, this, [this] {
            for (const Client &c : std::as_const(m_clients)) {
                c.stream->write(QByteArrayLiteral(": keep-alive\n\n"));
            }
        });
    }

    ~EventStreams() override
    {
        m_hub.unsubscribe(m_subscription); // the clients' sockets go with the server
    }

    static EventStreams &of(EventHub &hub, QObject *server)
    {
        auto *streams =
            server->findChild<EventStreams *>(QStringLiteral("gpudeck-event-streams"), Qt::FindDirectChildrenOnly);
        return streams ? *streams : *new EventStreams(hub, server);
    }

    // `after`: the client's Last-Event-ID (nullopt: live events only).
    void add(const std::shared_ptr<ResponseStream> &stream, const EventFilter &filter, std::optional<quint64> after)
    {
        const quint64 id = ++m_lastClient;
        stream->begin(200, QByteArrayLiteral("text/event-stream"),
                      {{QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")}});
        // A first line at once, so a client knows the stream is open (and since when) before anything happens.
        stream->write(QByteArrayLiteral("retry: 1000\n: events after id ") + QByteArray::number(m_deliveredUpTo) +
                      "\n\n");
        if (after) {
            const EventHub::Replay replay = m_hub.since(*after, m_deliveredUpTo, filter);
            if (replay.complete) {
                QByteArray missed;
                for (const EventPtr &e : replay.events) {
                    missed += e->sse;
                }
                stream->write(missed);
            } else {
                stream->write(resetEvent(*after));
            }
        }
        m_clients.insert(id, {stream, filter});
        stream->onClosed([this, id] { remove(id); }); // runs on this (the API) thread
        if (!m_keepAlive.isActive()) {
            m_keepAlive.start();
        }
    }

private:
    struct Client
    {
        std::shared_ptr<ResponseStream> stream;
        EventFilter filter;
    };

    QByteArray resetEvent(quint64 after) const
    {
        const QJsonObject data{
            {QStringLiteral("reason"),
             QStringLiteral("events after id %1 are no longer kept (or that id is from an earlier run of GPU "
                            "Deck): read the current state again; live events follow")
                 .arg(after)},
            {QStringLiteral("last_event_id"), double(after)},
            {QStringLiteral("resume_id"), double(m_deliveredUpTo)}};
        const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("id"), double(m_deliveredUpTo)},
                                                          {QStringLiteral("type"), QStringLiteral("reset")},
                                                          {QStringLiteral("data"), data}})
                                    .toJson(QJsonDocument::Compact);
        return Event::frame(m_deliveredUpTo, QStringLiteral("reset"), json);
    }

    void deliver(const EventPtr &event)
    {
        m_deliveredUpTo = event->id;
        for (auto it = m_clients.begin(); it != m_clients.end();) {
            const Client &c = it.value();
            if (c.stream->backlog() > kMaxBacklogBytes) {
                qCWarning(lcApi) << "an event client left" << c.stream->backlog() << "bytes unread: dropped";
                c.stream->abort();
                it = m_clients.erase(it);
                continue;
            }
            if (c.filter.matches(*event)) {
                c.stream->write(event->sse);
            }
            ++it;
        }
        if (m_clients.isEmpty()) {
            m_keepAlive.stop();
        }
    }

    void remove(quint64 id)
    {
        m_clients.remove(id);
        if (m_clients.isEmpty()) {
            m_keepAlive.stop();
        }
    }

    EventHub &m_hub;
    quint64 m_subscription = 0;
    quint64 m_deliveredUpTo = 0;
    quint64 m_lastClient = 0;
    QHash<quint64, Client> m_clients;
    QTimer m_keepAlive;
};

} // namespace

void registerEventRoutes(Router &router, ApiContext &ctx)
{
    router.addStream("GET", QStringLiteral("/api/events"),
                     [&ctx](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
                         const auto filter = EventFilter::parse(req.queryValue(QStringLiteral("topics")));
                         if (!filter.ok()) {
                             stream->respond(ApiResponse::fromError(filter.error()));
                             return;
                         }
                         // The header is what EventSource sends on reconnecting; the query parameter is for a client
                         // that cannot set headers on its first request.
                         QByteArray last = req.header("last-event-id").trimmed();
                         if (last.isEmpty()) {
                             last = req.queryValue(QStringLiteral("last_event_id")).toUtf8();
                         }
                         std::optional<quint64> after;
                         if (!last.isEmpty()) {
                             bool ok = false;
                             after = last.toULongLong(&ok);
                             if (!ok) {
                                 stream->respond(ApiResponse::error(
                                     400, QStringLiteral("validation_failed"),
                                     QStringLiteral("Last-Event-ID must be an event id (a whole number) from this "
                                                    "stream"),
                                     QStringLiteral("last_event_id")));
                                 return;
                             }
                         }
                         EventStreams::of(ctx.events, req.context).add(stream, filter.value(), after);
                     });
    router.setQueryParams("GET", QStringLiteral("/api/events"),
                          {QStringLiteral("topics"), QStringLiteral("last_event_id")});
}

} // namespace gpudeck
