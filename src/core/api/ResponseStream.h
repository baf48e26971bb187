#pragma once

#include "api/ApiResponse.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <functional>
#include <memory>

class QObject;
class QTcpSocket;

namespace gpudeck {

// A response written piece by piece as data arrives (server-sent events, a proxied token stream, a log being
// followed), with HTTP/1.1 chunked transfer encoding. Every method is thread-safe: the writes are carried
// out, in order, on the API thread that owns the socket. Once the client has gone, writes are dropped and
// the onClosed callback runs (so the producer can stop its upstream work).
class ResponseStream : public std::enable_shared_from_this<ResponseStream>
{
public:
    ResponseStream(QObject *apiThreadObject, QTcpSocket *socket);
    // A stream with no socket, for in-process callers (ApiDispatch::call): an ordinary response is handed to
    // `done` as it is; a streamed one is collected and handed over, in one piece, at end().
    static std::shared_ptr<ResponseStream> capture(std::function<void(const ApiResponse &)> done);

    // A complete, ordinary response instead of a stream (e.g. an error found before streaming began).
    void respond(const ApiResponse &response);
    // Starts the stream: status line and headers.
    void begin(int status, const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void write(const QByteArray &data);
    void end();

    // Drops the connection at once (a client too slow to keep up).
    void abort();
    // Bytes written but not yet taken by the client. On the API thread only.
    qint64 backlog() const;

    bool isOpen() const;
    // Runs on the API thread when the client disconnects before end().
    void onClosed(std::function<void()> callback);
    // Runs on the API thread once the answer is complete (after respond() or end() wrote their last byte), so the
    // connection can go on as after any answer: closed when the request asked for that, else kept alive.
    void onFinished(std::function<void()> callback);

    // Server-sent event framing: "data: <line>\n" for each line, then a blank line.
    static QByteArray sseEvent(const QByteArray &data, const QByteArray &event = {});

private:
    void post(std::function<void(QTcpSocket *)> action);
    void finished(); // API thread

    QPointer<QObject> m_context;
    QPointer<QTcpSocket> m_socket;
    mutable QMutex m_mutex;
    bool m_begun = false;
    bool m_ended = false;
    bool m_closed = false;
    std::function<void()> m_onClosed;
    std::function<void(const ApiResponse &)> m_capture; // capture(): no socket, the response goes here
    ApiResponse m_captured;
    std::function<void()> m_onFinished;
    QMetaObject::Connection
        m_closedConnection; // API thread only; dropped at end() so keep-alive sockets do not pile them up
};

} // namespace gpudeck
