#pragma once

#include "base/LoopbackShortcut.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <http_parser.h>
#include <memory>

class QIODevice;
class QTcpSocket;
class QTimer;

namespace gpudeck {

class UpstreamClient;
class UpstreamConnection;

// One request to an upstream and its answer, read as it arrives. The proxy's counterpart of QNetworkReply, with
// the parts it uses: status and Content-Type once the head is in (headReceived), the body in pieces (readyRead,
// readAll), then finished exactly once (also after abort()). Its user deletes it once finished, with
// UpstreamClient::dispose() (or deleteLater, as a QNetworkReply's); the client deletes those left at its own end.
class UpstreamReply : public QObject
{
    Q_OBJECT
public:
    enum class Error { None, ConnectionRefused, Connect, Closed, Protocol, Canceled };

    int status() const { return m_status; } // 0 until the head is in
    QByteArray contentType() const { return m_contentType; }
    QByteArray readAll();
    bool headDone() const { return m_status > 0; }
    bool isFinished() const { return m_finished; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    void abort();

Q_SIGNALS:
    void headReceived();
    void readyRead();
    void finished();

private:
    friend class UpstreamClient;
    friend class UpstreamConnection;
    explicit UpstreamReply(QObject *parent);
    void fail(Error error, const QString &why);
    void complete();

    QPointer<UpstreamConnection> m_connection;
    int m_status = 0;
    QByteArray m_contentType;
    QByteArray m_body;
    bool m_finished = false;
    Error m_error = Error::None;
    QString m_errorString;
};

// What is sent: a POST with a body in memory, or one read from a sequential device as it arrives (an upload, of
// `uploadSize` bytes, sent with that Content-Length).
struct UpstreamRequest
{
    QString address; // an IP address or a name (resolved IPv4 first)
    quint16 port = 0;
    QByteArray path;
    QByteArray contentType;
    QByteArray body;
    QIODevice *upload = nullptr;
    qint64 uploadSize = -1;
    QList<QPair<QByteArray, QByteArray>> headers;
    // The upstream is a loopback port served in this process (an SSH link's forward): a request in memory is
    // handed to it directly when it can take it at once (LoopbackShortcut), else sent on the socket.
    std::shared_ptr<LoopbackShortcut> shortcut;
};

// A small HTTP/1.1 client for the OpenAI-style proxy, on the thread it lives on (the API thread): keep-alive
// connections per upstream (address, port), reused across requests without a cap on how many run at once (the
// upstream's own concurrency limit and max_concurrency decide that, not a per-host cap of six), no thread hop,
// responses parsed with http_parser as they arrive. A request on a reused connection that the upstream had closed
// meanwhile is sent again on a new one when nothing of its answer came (a body in memory only; an upload always
// gets a fresh connection). Idle connections close after 30 s.
class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;

    UpstreamReply *post(UpstreamRequest request);
    // Deletes a finished reply, from its own finished() handler too, without posting an event to this thread (a
    // posted event writes the loop's wake-up descriptor: a system call per proxied request). Inside the client's
    // handling of a socket's data it is deleted when that handling returns; elsewhere with deleteLater().
    void dispose(UpstreamReply *reply);

    int idleConnections() const; // for tests
    int connectionsOpened() const { return m_opened; }

    static int idleTimeoutMs; // tests shorten it

private:
    friend class UpstreamConnection;
    void start(UpstreamReply *reply, const std::shared_ptr<UpstreamRequest> &request, bool mayReuse);
    void release(UpstreamConnection *connection); // the answer is complete and the connection may be reused
    void forget(UpstreamConnection *connection);
    static QString key(const QString &address, quint16 port);

    // Held by a connection while it handles its socket's signals: replies disposed meanwhile are deleted as the
    // outermost one ends.
    class Handling
    {
    public:
        explicit Handling(UpstreamClient &client);
        ~Handling();
        Q_DISABLE_COPY_MOVE(Handling)

    private:
        UpstreamClient &m_client;
    };

    int m_handling = 0;
    QList<QPointer<UpstreamReply>> m_disposed; // a reply deleted meanwhile (with its parent) is skipped
    QHash<QString, QList<UpstreamConnection *>> m_idle;
    int m_opened = 0;
};

} // namespace gpudeck
