#pragma once

#include "api/ApiResponse.h"
#include "api/HttpLimits.h"
#include "api/HttpRequest.h"

#include <QObject>
#include <http_parser.h>
#include <memory>
#include <optional>

class QTcpSocket;

namespace gpudeck {

class HttpServer;
class RequestBody;

// One client connection of the API: the gate every byte passes before anything else sees it.
// Parses requests incrementally with http_parser (the parser Qt itself bundles) across keep-alive
// requests, and stops a request at its head when HttpServer::admit() refuses it (host, origin, token,
// declared size), so no body of a refused request is ever held; counts a chunked body as it streams; caps
// the head (16 KiB); enforces the head, idle and linger deadlines (HttpServer sweeps them). A refusal is
// answered with the usual JSON error, then the connection is closed gracefully: the write side is shut
// down and what the client still sends is read and dropped for a moment, so it sees the answer, not a reset.
// Lives on the API thread; HttpServer owns it.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(qintptr descriptor, HttpServer &server, const HttpLimits &limits);
    ~HttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }

    // Writes one answer; `close`: the connection ends after it. `headOnly`: the answer to a HEAD request,
    // its head without the body (Content-Length still says how long the body would be).
    void respond(const ApiResponse &response, bool close, bool headOnly = false);
    // Answers and closes (a refusal, a timeout).
    void refuse(const ApiResponse &response) { respond(response, true); }
    // An answer will come later (an asynchronous route); the connection is not idle meanwhile.
    void beginAsync() { ++m_inFlight; }
    void endAsync() { --m_inFlight; }
    // A stream (server-sent events, a proxied stream) owns the socket now: never closed as idle.
    void markStreaming() { m_streaming = true; }
    // The streamed answer is complete: the connection is closed now if the request asked for that (Connection:
    // close, HTTP/1.0), else it waits for the next request like after any answer.
    void streamEnded();

    // Waiting for (more of) a request head, with nothing in flight: the connection to drop first when the
    // server is at its connection limit, the one that has been quiet longest.
    bool isWaiting() const { return m_phase == Phase::Head && m_inFlight == 0 && !m_streaming; }
    qint64 lastActivityMs() const { return m_lastActivity; }
    void drop();

    // Acts on a passed deadline; `nowMs` is a steady clock in milliseconds (HttpServer::nowMs()).
    void checkDeadline(qint64 nowMs);

Q_SIGNALS:
    // The client is gone; the server forgets the connection and deletes it.
    void finished(gpudeck::HttpConnection *connection);

private:
    friend struct HttpParserCallbacks;
    enum class Phase { Head, Body, Finishing, Lingering };

    void onReadyRead();
    void feed(const char *data, qsizetype size);
    bool headComplete();
    void messageComplete();
    void parseFailed();
    void lingerClose();
    void shutdownWrite();
    void storeHeader();

    HttpServer &m_server;
    HttpLimits m_limits;
    QTcpSocket *m_socket = nullptr;
    http_parser m_parser{};
    Phase m_phase = Phase::Head;

    HttpRequest m_request;
    QByteArray m_field;
    QByteArray m_value;
    bool m_inValue = false;
    bool m_sawHeader = false; // a header line began (for 414 against 431)
    bool m_headDone = false;  // paused at the end of the head
    bool m_messageDone = false;
    qsizetype m_headBytes = 0;
    qsizetype m_bodyWireBytes = 0;
    std::optional<ApiResponse> m_refusal; // set by a parser callback that stopped the parse
    // A body read by its handler as it arrives (Router::setStreamedBody); or, when the handler did not keep it (it
    // answered at once), dropped as it arrives.
    std::shared_ptr<RequestBody> m_bodyStream;
    bool m_dropBody = false;
    bool m_streamedRequest = false; // the request in progress was dispatched at its head

    int m_served = 0;
    bool m_requestStarted = false;
    int m_inFlight = 0;
    bool m_streaming = false;
    bool m_http10KeepAlive = false;
    bool m_writeShut = false;
    qint64 m_deadline = 0;
    qint64 m_lastActivity = 0;
};

} // namespace gpudeck
