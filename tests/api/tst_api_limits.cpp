// The HTTP server under bad input (issue 9): each attack against the real API over real sockets, with the
// server's memory bounded and a legitimate request still served.
#include "HttpClient.h"
#include "RawHttp.h"
#include "TestCore.h"
#include "api/ApiRequest.h"

#include <QTcpSocket>
#include <QTest>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <vector>

using namespace gpudeck;
using namespace gpudeck::test;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

QByteArray host(quint16 port)
{
    return "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
}

} // namespace

class TestApiLimits : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestCore> m_tc;

    // A Core with its API started under the given limits (environment, read when the API starts).
    void start(const QList<QPair<const char *, QByteArray>> &limits = {})
    {
        for (const auto &l : limits) {
            qputenv(l.first, l.second);
        }
        m_tc = std::make_unique<TestCore>();
        for (const auto &l : limits) {
            qunsetenv(l.first);
        }
    }
    quint16 port() const { return m_tc->port(); }
    QByteArray auth() const { return "Authorization: Bearer " + m_tc->token() + "\r\n"; }
    bool legitimateRequestServed() const
    {
        HttpClient http(port(), m_tc->token());
        return http.get(QStringLiteral("/api/dgx/connections")).status == 200 &&
               http.request("GET", QStringLiteral("/api/health"), {}, {}, false).status == 200;
    }

    // Sends the heads, then pumps `bodyBytes` of body on every socket until the server has answered and
    // closed them all or `timeoutMs` passes. Returns what each received; *peakKb: the process's peak VmRSS.
    QList<QByteArray> flood(const QList<QByteArray> &heads, qint64 bodyBytes, const QByteArray &piece, qint64 *peakKb,
                            int timeoutMs = 20000)
    {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        QList<QByteArray> received(heads.size());
        QList<qint64> sent(heads.size(), 0);
        for (const QByteArray &head : heads) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QStringLiteral("127.0.0.1"), port());
            if (!s->waitForConnected(3000)) {
                return {};
            }
            s->write(head);
            sockets.push_back(std::move(s));
        }
        bool checkedLegit = false;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            bool open = false;
            for (size_t i = 0; i < sockets.size(); ++i) {
                QTcpSocket &s = *sockets[i];
                received[qsizetype(i)] += s.readAll();
                if (s.state() != QAbstractSocket::ConnectedState) {
                    continue;
                }
                open = true;
                if (sent[qsizetype(i)] < bodyBytes && s.bytesToWrite() < 4 * piece.size()) {
                    s.write(piece);
                    sent[qsizetype(i)] += piece.size();
                }
                s.waitForBytesWritten(1);
            }
            *peakKb = std::max(*peakKb, raw::rssKb());
            if (!checkedLegit && timer.elapsed() > 200) {
                checkedLegit = true;
                if (!legitimateRequestServed()) {
                    qWarning("a legitimate request was not served during the flood");
                    return {};
                }
            }
            if (!open) {
                break;
            }
        }
        return received;
    }

private Q_SLOTS:
    void cleanup() { m_tc.reset(); }

    // Three 300 MB POSTs without a token at once: refused at the head (401), no body held.
    void hugeUnauthenticatedPostsAreRefusedAtTheHead()
    {
        start();
        const QByteArray piece(256 * 1024, 'a');
        const QByteArray head = "POST /api/dgx/connections HTTP/1.1\r\n" + host(port()) +
                                "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(300 * kMiB) +
                                "\r\n\r\n";
        const qint64 before = raw::rssKb();
        qint64 peak = before;
        const QList<QByteArray> answers = flood({head, head, head}, 300 * kMiB, piece, &peak);
        QCOMPARE(answers.size(), 3);
        for (const QByteArray &bytes : answers) {
            const raw::Answer a = raw::parse(bytes);
            QCOMPARE(a.status, 401);
            QVERIFY(a.isJsonError());
        }
        qInfo("peak RSS growth during three 300 MB unauthenticated POSTs: %lld KiB", peak - before);
        QVERIFY2(peak - before < 16 * 1024, qPrintable(QString::number(peak - before)));
        QVERIFY(legitimateRequestServed());
    }

    // The same chunked: no declared size, but no token either.
    void hugeUnauthenticatedChunkedPostIsRefusedAtTheHead()
    {
        start();
        const QByteArray piece = "40000\r\n" + QByteArray(0x40000, 'a') + "\r\n";
        const QByteArray head = "POST /api/dgx/connections HTTP/1.1\r\n" + host(port()) +
                                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        const qint64 before = raw::rssKb();
        qint64 peak = before;
        const QList<QByteArray> answers = flood({head}, 300 * kMiB, piece, &peak);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(raw::parse(answers.first()).status, 401);
        QVERIFY2(peak - before < 16 * 1024, qPrintable(QString::number(peak - before)));
        QVERIFY(legitimateRequestServed());
    }

    // With a token: a declared size over the limit is refused before any body is sent.
    void declaredSizeOverTheLimitIs413AtOnce()
    {
        start();
        bool closed = false;
        const raw::Answer a = raw::parse(raw::exchange(
            port(),
            "POST /api/dgx/connections HTTP/1.1\r\n" + host(port()) + auth() +
                "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(300 * kMiB) + "\r\n\r\n",
            5000, &closed));
        QCOMPARE(a.status, 413);
        QCOMPARE(a.errorCode(), QStringLiteral("payload_too_large"));
        QVERIFY(closed);
    }

    // With a token, chunked: counted as it streams and refused when it passes 1 MiB; memory stays bounded.
    void chunkedBodyIsCountedAsItStreams()
    {
        start();
        const QByteArray piece = "10000\r\n" + QByteArray(0x10000, 'a') + "\r\n";
        const QByteArray head = "POST /api/dgx/connections HTTP/1.1\r\n" + host(port()) + auth() +
                                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        const qint64 before = raw::rssKb();
        qint64 peak = before;
        const QList<QByteArray> answers = flood({head}, 64 * kMiB, piece, &peak);
        QCOMPARE(answers.size(), 1);
        const raw::Answer a = raw::parse(answers.first());
        QCOMPARE(a.status, 413);
        QCOMPARE(a.errorCode(), QStringLiteral("payload_too_large"));
        QVERIFY2(peak - before < 16 * 1024, qPrintable(QString::number(peak - before)));
        QCOMPARE(m_tc->core().connections().list()->size(), 0);
        QVERIFY(legitimateRequestServed());
    }

    // A 64 MB header or URL is not read: 431 / 414 at 16 KiB.
    void hugeHeadIsRefusedAt16KiB()
    {
        start();
        const qint64 before = raw::rssKb();
        qint64 peak = before;
        const QList<QByteArray> answers = flood({"GET /api/health HTTP/1.1\r\nX-Filler: ", "GET /api/"}, 64 * kMiB,
                                                QByteArray(64 * 1024, 'a'), &peak);
        QCOMPARE(answers.size(), 2);
        QCOMPARE(raw::parse(answers.at(0)).status, 431);
        QCOMPARE(raw::parse(answers.at(0)).errorCode(), QStringLiteral("headers_too_large"));
        QCOMPARE(raw::parse(answers.at(1)).status, 414);
        QCOMPARE(raw::parse(answers.at(1)).errorCode(), QStringLiteral("uri_too_long"));
        QVERIFY2(peak - before < 16 * 1024, qPrintable(QString::number(peak - before)));
        // Just under the limit is fine.
        const QByteArray filler(15 * 1024, 'b');
        HttpClient http(port(), m_tc->token());
        QCOMPARE(http.request("GET", QStringLiteral("/api/health"), {}, {{"X-Filler", filler}}, false).status, 200);
    }

    void malformedFraming_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray h = "Host: 127.0.0.1\r\n";
        // Body framing is parsed only once the head is admitted: these carry the token (placeholder below).
        const QByteArray a = "Host: 127.0.0.1\r\nAuthorization: Bearer @TOKEN@\r\n";
        QTest::newRow("CR-only lines") << QByteArray("GET /api/health HTTP/1.1\r" + h + "\r\r") << 400;
        QTest::newRow("Transfer-Encoding with Content-Length")
            << QByteArray("POST /api/dgx/connections HTTP/1.1\r\n" + h +
                          "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("duplicate Content-Length") << QByteArray("POST /api/dgx/connections HTTP/1.1\r\n" + h +
                                                                "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}")
                                                  << 400;
        QTest::newRow("bad chunk size") << QByteArray("POST /api/dgx/connections HTTP/1.1\r\n" + a +
                                                      "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n")
                                        << 400;
        QTest::newRow("chunk size overflow")
            << QByteArray("POST /api/dgx/connections HTTP/1.1\r\n" + a +
                          "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}\r\n")
            << 400;
        QTest::newRow("unknown transfer coding")
            << QByteArray("POST /api/dgx/connections HTTP/1.1\r\n" + a + "Transfer-Encoding: gzip\r\n\r\n{}") << 400;
        QTest::newRow("TLS ClientHello") << QByteArray::fromHex("160301020001000001fc0303") + QByteArray(500, '\x01')
                                         << 400;
        QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400;
        QTest::newRow("HTTP/0.9") << QByteArray("GET /api/health\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("GET /api/health HTTP/1.1\r\nHost : evil.example\r\n\r\n") << 400;
        QTest::newRow("two Host headers") << QByteArray("GET /api/health HTTP/1.1\r\n" + h + h + "\r\n") << 400;
        QTest::newRow("Host: localhost:evil")
            << QByteArray("GET /api/health HTTP/1.1\r\nHost: localhost:evil\r\n\r\n") << 403;
        QTest::newRow("absolute-form, foreign host")
            << QByteArray("GET http://evil.example/api/health HTTP/1.1\r\n" + h + "\r\n") << 403;
        QTest::newRow("absolute-form, foreign host with loopback Host")
            << QByteArray("GET http://evil.example:3939/api/health HTTP/1.1\r\nHost: localhost\r\n\r\n") << 403;
        QTest::newRow("absolute-form, user info")
            << QByteArray("GET http://127.0.0.1@evil.example/api/health HTTP/1.1\r\n" + h + "\r\n") << 403;
    }

    // Malformed framing and foreign hosts: a JSON error, and the connection closed.
    void malformedFraming()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        if (!m_tc) {
            start();
        }
        request.replace("@TOKEN@", m_tc->token());
        bool closed = false;
        const raw::Answer a = raw::parse(raw::exchange(port(), request, 5000, &closed));
        QCOMPARE(a.status, status);
        QVERIFY2(a.isJsonError(), a.body.constData());
        QVERIFY(closed);
        QVERIFY(legitimateRequestServed());
    }

    void wellFormedVariantsStillWork()
    {
        start();
        bool closed = false;
        const QByteArray h = host(port());
        // Absolute-form naming this server.
        QCOMPARE(raw::parse(raw::exchange(port(), "GET http://127.0.0.1:" + QByteArray::number(port()) +
                                                      "/api/health HTTP/1.1\r\n" + h + "Connection: close\r\n\r\n"))
                     .status,
                 200);
        // Pipelined keep-alive requests are answered in order.
        const QByteArray two =
            raw::exchange(port(),
                          "GET /api/health HTTP/1.1\r\n" + h + "\r\nGET /api/dgx/nothing HTTP/1.1\r\n" + h + auth() +
                              "Connection: close\r\n\r\n",
                          5000, &closed);
        QVERIFY(closed);
        QCOMPARE(raw::parse(two).status, 200);
        QCOMPARE(raw::parse(two.mid(two.indexOf("HTTP/1.1 ", 1))).status, 404);
        // A chunked JSON body within the limit.
        const QByteArray json = R"({"name":"chunky","hostname":"203.0.113.10"})";
        const raw::Answer created = raw::parse(raw::exchange(
            port(), "POST /api/dgx/connections HTTP/1.1\r\n" + h + auth() +
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                        QByteArray::number(json.size(), 16) + "\r\n" + json + "\r\n0\r\n\r\n"));
        QCOMPARE(created.status, 201);
        // A HEAD answer is the head alone: the next answer on the connection follows right after it.
        const QByteArray head =
            raw::exchange(port(), "HEAD /api/health HTTP/1.1\r\n" + h + auth() + "\r\nGET /api/health HTTP/1.1\r\n" +
                                      h + "Connection: close\r\n\r\n");
        QVERIFY2(head.startsWith("HTTP/1.1 405 "), head.constData());
        QVERIFY2(head.contains("\r\n\r\nHTTP/1.1 200 OK\r\n"), head.constData());
        // Expect: 100-continue gets its interim answer before the body is sent.
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port());
        QVERIFY(s.waitForConnected(3000));
        s.write("POST /api/dgx/connections HTTP/1.1\r\n" + h + auth() +
                "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QTRY_VERIFY(s.bytesAvailable() > 0 || (s.waitForReadyRead(20), s.bytesAvailable() > 0));
        QVERIFY(s.readAll().startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    }

    // JSON nested deeper than 64 is refused with a clear 400 and not stored.
    void deepJsonIs400()
    {
        start();
        HttpClient http(port(), m_tc->token());
        const auto nested = [](int depth) {
            return R"({"name":"deep","hostname":"203.0.113.10","tags":)" + QByteArray(depth - 1, '[') +
                   QByteArray(depth - 1, ']') + "}";
        };
        const auto deep = http.request("POST", QStringLiteral("/api/dgx/connections"), nested(65));
        QCOMPARE(deep.status, 400);
        QCOMPARE(deep.errorCode(), QStringLiteral("malformed_json"));
        QVERIFY(deep.object()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("64")));
        const auto deeper = http.request("PUT", QStringLiteral("/api/dgx/connections/1"),
                                         "{\"a\":" + QByteArray(1023, '[') + QByteArray(1023, ']') + "}");
        QCOMPARE(deeper.status, 400);
        QCOMPARE(deeper.errorCode(), QStringLiteral("malformed_json"));
        QCOMPARE(m_tc->core().connections().list()->size(), 0);
        // 64 levels are JSON the server reads (the route then judges the fields).
        QVERIFY(http.request("POST", QStringLiteral("/api/dgx/connections"), nested(64)).errorCode() !=
                QStringLiteral("malformed_json"));
        // Brackets inside strings do not count.
        QCOMPARE(ApiRequest::jsonDepth("{\"a\":\"[[[[{{{{\\\"[[[\"}"), 1); // brackets in a string, an escaped quote
        QCOMPARE(ApiRequest::jsonDepth("[[[]],[{}]]"), 3);
    }

    // The audio upload routes stream their body and have a limit of their own: 200 MiB by default, above it 413 from
    // the head alone (Content-Length), before any of the body is read; GPUDECK_API_MAX_UPLOAD_BYTES sets it. The JSON
    // routes keep theirs (1 MiB).
    void uploadLimitIsItsOwn()
    {
        // The head alone, asking to be told to go on (100 Continue) once it is admitted.
        const auto headOnly = [this](const char *path, qint64 length) {
            bool closed = false;
            return raw::parse(
                raw::exchange(port(),
                              "POST " + QByteArray(path) + " HTTP/1.1\r\n" + host(port()) + auth() +
                                  "Content-Type: multipart/form-data; boundary=b\r\n"
                                  "Expect: 100-continue\r\nContent-Length: " +
                                  QByteArray::number(length) + "\r\n\r\n",
                              1500, &closed)); // a 413 closes at once; 100 Continue is all an admitted head gets
        };
        start();
        const qint64 mib200 = 200LL * 1024 * 1024;
        for (const char *path : {"/v1/audio/transcriptions", "/v1/audio/translations"}) {
            const raw::Answer over = headOnly(path, mib200 + 1);
            QCOMPARE(over.status, 413);
            QVERIFY2(over.body.contains("200 MiB"), over.body.constData());
            QCOMPARE(headOnly(path, mib200).status, 100);
        }
        m_tc.reset();
        start({{"GPUDECK_API_MAX_UPLOAD_BYTES", "1048576"}});
        QCOMPARE(headOnly("/v1/audio/transcriptions", 1048577).status, 413);
        QCOMPARE(headOnly("/v1/audio/transcriptions", 1048576).status, 100);
        QCOMPARE(HttpClient(port(), m_tc->token())
                     .request("POST", QStringLiteral("/api/dgx/connections"), QByteArray(1024 * 1024 + 1, ' '))
                     .status,
                 413);
    }

    // More idle connections than the cap: the quietest are dropped, a client with a request is served.
    void idleFloodDoesNotLockOut()
    {
        start({{"GPUDECK_API_MAX_CONNECTIONS", "32"}});
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 48; ++i) {
            idle.push_back(std::make_unique<QTcpSocket>());
            idle.back()->connectToHost(QStringLiteral("127.0.0.1"), port());
            QVERIFY(idle.back()->waitForConnected(3000));
        }
        QVERIFY(legitimateRequestServed());
        const auto dropped = [&] {
            int n = 0;
            for (auto &s : idle) {
                s->waitForReadyRead(0);
                n += s->state() != QAbstractSocket::ConnectedState;
            }
            return n;
        };
        QTRY_VERIFY(dropped() >= 48 - 32 + 1);
    }

    // When every connection is busy (a body on its way), the excess is answered 503 at once and closed.
    void busyConnectionsCapTheExcess()
    {
        start({{"GPUDECK_API_MAX_CONNECTIONS", "8"}});
        std::vector<std::unique_ptr<QTcpSocket>> busy;
        for (int i = 0; i < 8; ++i) {
            busy.push_back(std::make_unique<QTcpSocket>());
            busy.back()->connectToHost(QStringLiteral("127.0.0.1"), port());
            QVERIFY(busy.back()->waitForConnected(3000));
            // Expect: 100-continue: the interim answer says the server has admitted the head and waits for the
            // body, so this connection is busy, not waiting for a request.
            busy.back()->write("POST /api/dgx/connections HTTP/1.1\r\n" + host(port()) + auth() +
                               "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
            QByteArray interim;
            QTRY_VERIFY((busy.back()->waitForReadyRead(20), interim += busy.back()->readAll(),
                         interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n")));
            busy.back()->write("{\"name\":");
        }
        bool closed = false;
        const raw::Answer a =
            raw::parse(raw::exchange(port(), "GET /api/health HTTP/1.1\r\n" + host(port()) + "\r\n", 3000, &closed));
        QCOMPARE(a.status, 503);
        QCOMPARE(a.errorCode(), QStringLiteral("too_many_connections"));
        QVERIFY(closed);
        busy.clear(); // frees the slots
        QTRY_VERIFY(legitimateRequestServed());
    }

    // The server's end of a client connection (the API runs in this process, so its descriptors are ours): the
    // descriptor whose peer is `client`'s local port, or -1.
    static int serverEndOf(const QTcpSocket &client)
    {
        for (int fd = 3; fd < 4096; ++fd) {
            sockaddr_in peer{};
            socklen_t length = sizeof peer;
            if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) == 0 && peer.sin_family == AF_INET &&
                ntohs(peer.sin_port) == client.localPort() && fd != int(client.socketDescriptor())) {
                return fd;
            }
        }
        return -1;
    }

    // Answers leave without Nagle's algorithm: a stream's small last piece (its end) would otherwise wait for the
    // client's delayed acknowledgement, 40 ms on Linux, after every streamed answer.
    void answersAreNotHeldByNagle()
    {
        start();
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port());
        QVERIFY(s.waitForConnected(3000));
        s.write("GET /api/health HTTP/1.1\r\n" + host(port()) + "\r\n");
        QByteArray in;
        QTRY_VERIFY((s.waitForReadyRead(20), in += s.readAll(), raw::parse(in).status == 200));
        const int fd = serverEndOf(s);
        QVERIFY(fd >= 0);
        int noDelay = 0;
        socklen_t length = sizeof noDelay;
        QCOMPARE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &length), 0);
        QCOMPARE(noDelay, 1);
    }

    // An idle keep-alive connection is closed after the idle timeout.
    void idleKeepAliveIsClosed()
    {
        start({{"GPUDECK_API_IDLE_TIMEOUT_MS", "400"}});
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port());
        QVERIFY(s.waitForConnected(3000));
        s.write("GET /api/health HTTP/1.1\r\n" + host(port()) + "\r\n");
        QElapsedTimer timer;
        timer.start();
        QByteArray in;
        QTRY_VERIFY((s.waitForReadyRead(20), in += s.readAll(), raw::parse(in).status == 200));
        QCOMPARE(s.state(), QAbstractSocket::ConnectedState); // keep-alive: still open after the answer
        QTRY_VERIFY_WITH_TIMEOUT((s.waitForReadyRead(20), s.state() != QAbstractSocket::ConnectedState), 5000);
        QVERIFY(timer.elapsed() >= 350);
    }

    // Slowloris: heads trickling in a byte at a time are answered 408 and closed when the head timeout
    // passes; meanwhile and afterwards legitimate requests are served. A connection that sends nothing too.
    void slowHeadsAreClosed()
    {
        start({{"GPUDECK_API_HEAD_TIMEOUT_MS", "600"}});
        QElapsedTimer timer;
        timer.start(); // before the first connection: the first request's head counts from the connection's start
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 20; ++i) {
            slow.push_back(std::make_unique<QTcpSocket>());
            slow.back()->connectToHost(QStringLiteral("127.0.0.1"), port());
            QVERIFY(slow.back()->waitForConnected(3000));
            slow.back()->write("GET /api/health HTTP/1.1\r\n");
        }
        QTcpSocket silent;
        silent.connectToHost(QStringLiteral("127.0.0.1"), port());
        QVERIFY(silent.waitForConnected(3000));
        QList<QByteArray> in(qsizetype(slow.size()));
        bool allClosed = false;
        while (!allClosed && timer.elapsed() < 5000) {
            allClosed = true;
            for (size_t i = 0; i < slow.size(); ++i) {
                QTcpSocket &s = *slow[i];
                s.waitForReadyRead(5);
                in[qsizetype(i)] += s.readAll();
                if (s.state() == QAbstractSocket::ConnectedState) {
                    allClosed = false;
                    s.write("X");
                }
            }
            if (timer.elapsed() < 400) {
                QVERIFY(legitimateRequestServed());
            }
        }
        QVERIFY(allClosed);
        QVERIFY(timer.elapsed() >= 600);
        for (const QByteArray &bytes : in) {
            const raw::Answer a = raw::parse(bytes);
            QCOMPARE(a.status, 408);
            QCOMPARE(a.errorCode(), QStringLiteral("request_timeout"));
        }
        QByteArray silentIn;
        QTRY_VERIFY((silent.waitForReadyRead(20), silentIn += silent.readAll(),
                     silent.state() != QAbstractSocket::ConnectedState));
        QCOMPARE(raw::parse(silentIn).status, 408);
        QVERIFY(legitimateRequestServed());
    }
};

QTEST_GUILESS_MAIN(TestApiLimits)
#include "tst_api_limits.moc"
