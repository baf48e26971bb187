// The proxy's HTTP/1.1 client (UpstreamClient) against a scripted server on loopback: keep-alive reuse, the
// three ways an answer's length is told (Content-Length, chunked, the connection's close), 1xx heads, a reused
// connection the server had closed, refusal, nonsense, aborts, and an upload read from a device as it arrives.
#include "Ports.h"
#include "api/UpstreamClient.h"
#include "base/HostAddress.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <functional>

using namespace gpudeck;

namespace {

// Answers each request its `script` returns for it (the request's head and body as received so far; an empty
// answer waits for more). `closeAfter`: the server closes the connection after answering.
class ScriptedServer : public QObject
{
public:
    std::function<QByteArray(const QByteArray &request)> script;
    bool closeAfter = false;
    int accepted = 0;
    QByteArray lastRequest;

    ScriptedServer()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++accepted;
                m_sockets << s;
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                    *buffer += s->readAll();
                    const QByteArray answer = script(*buffer);
                    if (answer.isEmpty()) {
                        return;
                    }
                    lastRequest = *buffer;
                    buffer->clear();
                    s->write(answer);
                    if (closeAfter) {
                        s->disconnectFromHost();
                    }
                });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    void closeAll()
    {
        for (QTcpSocket *s : std::as_const(m_sockets)) {
            if (s) {
                s->disconnectFromHost();
            }
        }
    }

private:
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
};

// A whole request (head and Content-Length body) has arrived.
bool complete(const QByteArray &r)
{
    const qsizetype end = r.indexOf("\r\n\r\n");
    if (end < 0) {
        return false;
    }
    const QByteArray head = r.left(end).toLower();
    const qsizetype at = head.indexOf("content-length: ");
    const qint64 length = at < 0 ? 0 : head.mid(at + 16, head.indexOf('\r', at) - at - 16).toLongLong();
    return r.size() - end - 4 >= length;
}

QByteArray ok(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}

UpstreamRequest request(quint16 port, const QByteArray &body = "{\"model\":\"m\"}")
{
    UpstreamRequest r;
    r.address = QStringLiteral("127.0.0.1");
    r.port = port;
    r.path = "/v1/chat/completions";
    r.contentType = "application/json";
    r.body = body;
    return r;
}

// Runs one request to its end; returns the reply (deleted with the client).
UpstreamReply *run(UpstreamClient &client, const UpstreamRequest &r, QByteArray *body = nullptr)
{
    UpstreamReply *reply = client.post(r);
    QByteArray got;
    QObject::connect(reply, &UpstreamReply::readyRead, reply, [reply, &got] { got += reply->readAll(); });
    QSignalSpy finished(reply, &UpstreamReply::finished);
    if (!finished.wait(5000) && finished.isEmpty()) {
        return reply;
    }
    got += reply->readAll();
    if (body) {
        *body = got;
    }
    return reply;
}

} // namespace

class TestUpstreamClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A name's addresses as getaddrinfo orders them (IPv6 first for a `.local` name over mDNS, or localhost on a
    // stock /etc/hosts): the proxy and HTTP probes take the IPv4 one; the models' address cache takes IPv4 only.
    void ipv4First()
    {
        const QHostAddress v6(QStringLiteral("::1"));
        const QHostAddress v4(QStringLiteral("127.0.0.1"));
        const QHostAddress other(QStringLiteral("192.0.2.7"));
        QCOMPARE(preferIPv4({v6, v4, other}), v4);
        QCOMPARE(preferIPv4({other, v6, v4}), other);
        QCOMPARE(preferIPv4({v6}), v6); // nothing else: what there is
        QVERIFY(preferIPv4({}).isNull());
        QCOMPARE(firstIPv4({v6, v4}), v4);
        QVERIFY(firstIPv4({v6}).isNull());
    }

    void keepAliveReusesOneConnection()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) { return complete(r) ? ok("{\"n\":1}") : QByteArray(); };
        UpstreamClient client;
        for (int i = 0; i < 10; ++i) {
            QByteArray body;
            UpstreamReply *reply = run(client, request(server.port()), &body);
            QVERIFY(reply->isFinished());
            QCOMPARE(reply->error(), UpstreamReply::Error::None);
            QCOMPARE(reply->status(), 200);
            QCOMPARE(reply->contentType(), QByteArray("application/json"));
            QCOMPARE(body, QByteArray("{\"n\":1}"));
        }
        QCOMPARE(server.accepted, 1);
        QCOMPARE(client.connectionsOpened(), 1);
        QCOMPARE(client.idleConnections(), 1);
        QVERIFY(server.lastRequest.startsWith("POST /v1/chat/completions HTTP/1.1\r\n"));
        QVERIFY(server.lastRequest.contains("\r\nContent-Length: 13\r\n"));
        QVERIFY(server.lastRequest.endsWith("\r\n\r\n{\"model\":\"m\"}"));
    }

    void concurrentRequestsGetTheirOwnConnections()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) { return complete(r) ? ok("{}") : QByteArray(); };
        UpstreamClient client;
        QList<UpstreamReply *> replies;
        for (int i = 0; i < 20; ++i) { // more than QNetworkAccessManager's six per host, all at once
            replies << client.post(request(server.port()));
        }
        QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](UpstreamReply *r) { return r->isFinished(); }));
        for (UpstreamReply *r : replies) {
            QCOMPARE(r->status(), 200);
        }
        QCOMPARE(server.accepted, 20);
        QCOMPARE(client.idleConnections(), 20);
    }

    void chunkedAndInterimHeadsAndStreaming()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) {
            return complete(r) ? QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: "
                                            "text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            "7\r\ndata: a\r\n4\r\n\n\nb\n\r\n0\r\n\r\n")
                               : QByteArray();
        };
        UpstreamClient client;
        QByteArray body;
        UpstreamReply *reply = run(client, request(server.port()), &body);
        QVERIFY2(reply->error() == UpstreamReply::Error::None, qPrintable(reply->errorString()));
        QCOMPARE(reply->status(), 200);
        QCOMPARE(reply->contentType(), QByteArray("text/event-stream"));
        QCOMPARE(body, QByteArray("data: a\n\nb\n"));
        QCOMPARE(client.idleConnections(), 1);
    }

    void answerEndedByClose()
    {
        ScriptedServer server;
        server.closeAfter = true;
        server.script = [](const QByteArray &r) {
            return complete(r) ? QByteArray("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\n\r\nRIFFdata")
                               : QByteArray();
        };
        UpstreamClient client;
        QByteArray body;
        UpstreamReply *reply = run(client, request(server.port()), &body);
        QCOMPARE(reply->error(), UpstreamReply::Error::None);
        QCOMPARE(body, QByteArray("RIFFdata"));
        QCOMPARE(client.idleConnections(), 0); // not reusable
    }

    // The server closed an idle keep-alive connection: the next request goes out again on a new one, unnoticed.
    void reusedConnectionClosedMeanwhileIsRetried()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) { return complete(r) ? ok("{}") : QByteArray(); };
        UpstreamClient client;
        QCOMPARE(run(client, request(server.port()))->status(), 200);
        QCOMPARE(client.idleConnections(), 1);
        server.closeAll();
        // Either the close is seen before the request (the idle connection is dropped) or the request is sent on it
        // and repeated: both end in a good answer on a second connection.
        UpstreamReply *reply = run(client, request(server.port()));
        QCOMPARE(reply->error(), UpstreamReply::Error::None);
        QCOMPARE(reply->status(), 200);
        QCOMPARE(server.accepted, 2);
    }

    void closedMidAnswerIsAnError()
    {
        ScriptedServer server;
        server.closeAfter = true;
        server.script = [](const QByteArray &r) {
            return complete(r) ? QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this") : QByteArray();
        };
        UpstreamClient client;
        QByteArray body;
        UpstreamReply *reply = run(client, request(server.port()), &body);
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error(), UpstreamReply::Error::Closed);
        QCOMPARE(body, QByteArray("only this"));
        QVERIFY(reply->errorString().contains(QStringLiteral("mid-answer")));
    }

    void refusedAndNonsense()
    {
        UpstreamClient client;
        UpstreamReply *refused = run(client, request(test::freePort()));
        QVERIFY(refused->isFinished());
        QCOMPARE(refused->error(), UpstreamReply::Error::ConnectionRefused);
        QCOMPARE(refused->status(), 0);

        ScriptedServer server;
        server.script = [](const QByteArray &r) {
            return complete(r) ? QByteArray("SSH-2.0-OpenSSH\r\n\r\n") : QByteArray();
        };
        UpstreamReply *nonsense = run(client, request(server.port()));
        QVERIFY(nonsense->isFinished());
        QCOMPARE(nonsense->error(), UpstreamReply::Error::Protocol);
        QCOMPARE(client.idleConnections(), 0);
    }

    void abortClosesTheConnectionAndFinishesOnce()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) {
            return complete(r) ? QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
                               : QByteArray(); // and never the end
        };
        UpstreamClient client;
        UpstreamReply *reply = client.post(request(server.port()));
        QSignalSpy finished(reply, &UpstreamReply::finished);
        QSignalSpy data(reply, &UpstreamReply::readyRead);
        QVERIFY(data.wait(5000));
        QCOMPARE(reply->readAll(), QByteArray("abc"));
        reply->abort();
        reply->abort();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(reply->error(), UpstreamReply::Error::Canceled);
        QCOMPARE(client.idleConnections(), 0);
        // The next request is not sent on the aborted connection.
        server.script = [](const QByteArray &r) { return complete(r) ? ok("{}") : QByteArray(); };
        QCOMPARE(run(client, request(server.port()))->status(), 200);
        QCOMPARE(server.accepted, 2);
    }

    // dispose() from the finished handler deletes the reply when the client's handling of the answer returns, with
    // no event posted (no DeferredDelete reaches it); outside that handling it falls back to deleteLater. The
    // connection is reused by the next request either way.
    void disposeDeletesWithoutPostingAnEvent()
    {
        ScriptedServer server;
        server.script = [](const QByteArray &r) { return complete(r) ? ok("{\"n\":1}") : QByteArray(); };
        UpstreamClient client;
        struct DeferredDeletes : QObject
        {
            int seen = 0;
            bool eventFilter(QObject *, QEvent *e) override
            {
                seen += e->type() == QEvent::DeferredDelete ? 1 : 0;
                return false;
            }
        } deferred;
        for (int i = 0; i < 3; ++i) {
            UpstreamReply *reply = client.post(request(server.port()));
            reply->installEventFilter(&deferred);
            QPointer<UpstreamReply> guard(reply);
            QByteArray body;
            bool deletedInHandler = false;
            connect(reply, &UpstreamReply::finished, &client, [&client, reply, &body, guard, &deletedInHandler] {
                body = reply->readAll();
                client.dispose(reply);
                client.dispose(reply);     // once is enough: not deleted twice
                deletedInHandler = !guard; // not yet: the client still handles the socket's data
            });
            QTRY_VERIFY(!guard);
            QVERIFY(!deletedInHandler);
            QCOMPARE(body, QByteArray("{\"n\":1}"));
        }
        QCOMPARE(deferred.seen, 0);
        QCOMPARE(server.accepted, 1);

        // Disposed outside the client's handling: deleted by the event loop, not at once.
        UpstreamReply *reply = run(client, request(server.port()));
        QVERIFY(reply->isFinished());
        reply->installEventFilter(&deferred);
        QPointer<UpstreamReply> guard(reply);
        client.dispose(reply);
        QVERIFY(guard);
        QTRY_VERIFY(!guard);
        QCOMPARE(deferred.seen, 1);
    }

    // An upload read from a sequential device as it is filled, with the declared length; the answer may come once
    // it is all there.
    void uploadFromADevice()
    {
        ScriptedServer server;
        qint64 expected = 3 * 1024 * 1024;
        server.script = [expected](const QByteArray &r) {
            const qsizetype end = r.indexOf("\r\n\r\n");
            return end >= 0 && r.size() - end - 4 >= expected ? ok("{\"ok\":true}") : QByteArray();
        };
        QBuffer source;
        source.open(QIODevice::ReadWrite);
        UpstreamClient client;
        UpstreamRequest r = request(server.port(), {});
        r.contentType = "multipart/form-data; boundary=x";
        r.upload = &source;
        r.uploadSize = expected;
        UpstreamReply *reply = client.post(r);
        QSignalSpy finished(reply, &UpstreamReply::finished);
        const QByteArray piece(1024 * 1024, 'u');
        for (int i = 0; i < 3; ++i) {
            QCoreApplication::processEvents(); // the device fills over time, as a client's upload arrives
            const qint64 at = source.pos();
            source.seek(source.size());
            source.write(piece);
            source.seek(at);
            Q_EMIT source.readyRead();
        }
        QVERIFY(finished.wait(5000));
        QCOMPARE(reply->error(), UpstreamReply::Error::None);
        QCOMPARE(reply->status(), 200);
        const qsizetype end = server.lastRequest.indexOf("\r\n\r\n");
        QCOMPARE(server.lastRequest.size() - end - 4, expected);
        QVERIFY(server.lastRequest.contains("Content-Length: 3145728\r\n"));
        QVERIFY(server.lastRequest.mid(end + 4) == piece + piece + piece);
    }
};

QTEST_MAIN(TestUpstreamClient)
#include "tst_upstream_client.moc"
