#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>
#include <memory>

namespace gpudeck::test {

// One server-sent event as a client saw it.
struct SseEvent
{
    QByteArray id;
    QByteArray event; // empty: "message"
    QByteArray data;
    qint64 receivedAtMs = 0;      // on the client's clock (SseClient::clock())
    qint64 receivedAtEpochMs = 0; // wall clock, milliseconds since 1970

    QJsonObject json() const { return QJsonDocument::fromJson(data).object(); }
    QJsonObject payload() const { return json().value(QStringLiteral("data")).toObject(); }
    quint64 number() const { return id.toULongLong(); }
};

// A client of a server-sent event stream over a real socket, driven by the event loop (not blocking), so a test can
// hold many at once and wait for what they receive with QTRY_* while the core's own main-thread signals run.
// Decodes the chunked transfer encoding and the SSE framing (id, event, data lines; comments skipped).
class SseClient
{
public:
    SseClient(quint16 port, const QByteArray &token, const QByteArray &target, const QByteArray &lastEventId = {})
        : m_socket(std::make_unique<QTcpSocket>())
    {
        m_clock.start();
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] { onReadyRead(); });
        m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
        if (!token.isEmpty()) {
            request += "Authorization: Bearer " + token + "\r\n";
        }
        if (!lastEventId.isEmpty()) {
            request += "Last-Event-ID: " + lastEventId + "\r\n";
        }
        request += "\r\n";
        m_socket->write(request); // sent once connected
    }

    // The head arrived: the status line and headers (the server has subscribed this client by then).
    bool started() const { return m_status != 0; }
    int status() const { return m_status; }
    QByteArray head() const { return m_head; }
    QByteArray body() const { return m_body; } // the decoded body so far (an error answer's JSON, or the stream)
    // A plain (not streamed) answer has arrived whole; when, on clock().
    bool answered() const { return m_status != 0 && !m_chunked && m_body.size() >= m_contentLength; }
    qint64 answeredAtMs() const { return m_answeredAt; }
    QJsonObject object() const { return QJsonDocument::fromJson(m_body).object(); }
    const QList<SseEvent> &events() const { return m_events; }
    bool connected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    void close() { m_socket->abort(); }
    qint64 clock() const { return m_clock.elapsed(); }

    // The events of one type (all when empty).
    QList<SseEvent> ofType(const QByteArray &type) const
    {
        QList<SseEvent> out;
        for (const SseEvent &e : m_events) {
            if (type.isEmpty() || e.event == type) {
                out.append(e);
            }
        }
        return out;
    }
    QByteArray lastId() const { return m_events.isEmpty() ? QByteArray() : m_events.constLast().id; }

private:
    void onReadyRead()
    {
        m_raw += m_socket->readAll();
        if (m_status == 0) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            m_head = m_raw.left(end);
            m_raw.remove(0, end + 4);
            m_status = m_head.mid(9, 3).toInt();
            const QByteArray lower = m_head.toLower();
            m_chunked = lower.contains("transfer-encoding: chunked");
            const qsizetype cl = lower.indexOf("content-length: ");
            if (cl >= 0) {
                m_contentLength = lower.mid(cl + 16, lower.indexOf("\r\n", cl) - cl - 16).trimmed().toLongLong();
            }
        }
        if (!m_chunked) {
            m_body += std::exchange(m_raw, {});
            if (answered() && m_answeredAt < 0) {
                m_answeredAt = m_clock.elapsed();
            }
            return;
        }
        for (;;) {
            const qsizetype lineEnd = m_raw.indexOf("\r\n");
            if (lineEnd < 0) {
                return;
            }
            bool ok = false;
            const qsizetype size = m_raw.left(lineEnd).toLongLong(&ok, 16);
            if (!ok || m_raw.size() < lineEnd + 2 + size + 2) {
                return;
            }
            const QByteArray chunk = m_raw.mid(lineEnd + 2, size);
            m_raw.remove(0, lineEnd + 2 + size + 2);
            if (size == 0) {
                return; // the end of the stream
            }
            m_body += chunk;
            m_pending += chunk;
            parseEvents();
        }
    }

    void parseEvents()
    {
        for (;;) {
            const qsizetype end = m_pending.indexOf("\n\n");
            if (end < 0) {
                return;
            }
            const QByteArray block = m_pending.left(end);
            m_pending.remove(0, end + 2);
            SseEvent e;
            bool any = false;
            for (const QByteArray &line : block.split('\n')) {
                if (line.startsWith("id: ")) {
                    e.id = line.mid(4);
                    any = true;
                } else if (line.startsWith("event: ")) {
                    e.event = line.mid(7);
                    any = true;
                } else if (line.startsWith("data: ")) {
                    e.data += (e.data.isEmpty() ? QByteArray() : QByteArray("\n")) + line.mid(6);
                    any = true;
                }
            }
            if (any) {
                e.receivedAtMs = m_clock.elapsed();
                e.receivedAtEpochMs = QDateTime::currentMSecsSinceEpoch();
                m_events.append(e);
            }
        }
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QElapsedTimer m_clock;
    QByteArray m_raw;
    QByteArray m_head;
    QByteArray m_body;
    QByteArray m_pending;
    int m_status = 0;
    bool m_chunked = false;
    qsizetype m_contentLength = 0;
    qint64 m_answeredAt = -1;
    QList<SseEvent> m_events;
};

} // namespace gpudeck::test
