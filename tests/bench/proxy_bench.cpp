// The OpenAI-compatible proxy's added latency: the same requests to the fake OpenAI server directly and through
// GPU Deck's API (/v1/...), over keep-alive connections, interleaved so both see the same machine load.
// Prints median and p99 for a small non-streamed chat completion and time to first byte for a streamed one.
//
//   proxy_bench [requests=2000] [streams=200]
#include "Ports.h"
#include "TestCore.h"
#include "models/ModelService.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace gpudeck;
using test::freePort;

namespace {

// One keep-alive HTTP/1.1 connection, blocking.
class Client
{
public:
    Client(quint16 port, QByteArray token)
        : m_port(port)
        , m_token(std::move(token))
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(3000);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }

    // Sends a POST; returns microseconds to the first body byte (ttfb) and to the complete response.
    bool post(const QByteArray &path, const QByteArray &body, double *ttfbUs, double *totalUs)
    {
        QByteArray request =
            "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
            "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (!m_token.isEmpty()) {
            request += "Authorization: Bearer " + m_token + "\r\n";
        }
        request += "\r\n" + body;
        QElapsedTimer t;
        t.start();
        m_socket.write(request);
        m_socket.flush();
        QByteArray in;
        qsizetype headerEnd = -1;
        qint64 contentLength = -1;
        bool chunked = false;
        *ttfbUs = -1;
        while (true) {
            if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(10000)) {
                return false;
            }
            in += m_socket.readAll();
            if (headerEnd < 0) {
                headerEnd = in.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    continue;
                }
                const QByteArray head = in.left(headerEnd).toLower();
                chunked = head.contains("transfer-encoding: chunked");
                const qsizetype cl = head.indexOf("content-length: ");
                if (cl >= 0) {
                    contentLength = head.mid(cl + 16, head.indexOf('\r', cl) - cl - 16).toLongLong();
                }
            }
            if (*ttfbUs < 0 && in.size() > headerEnd + 4) {
                *ttfbUs = t.nsecsElapsed() / 1000.0;
            }
            const bool done = chunked ? in.endsWith("0\r\n\r\n") : in.size() - headerEnd - 4 >= contentLength;
            if (done) {
                *totalUs = t.nsecsElapsed() / 1000.0;
                return in.startsWith("HTTP/1.1 200");
            }
        }
    }

private:
    quint16 m_port;
    QByteArray m_token;
    QTcpSocket m_socket;
};

struct Stats
{
    QList<double> us;

    double percentile(double p)
    {
        std::sort(us.begin(), us.end());
        return us.isEmpty() ? 0 : us.at(std::min<qsizetype>(us.size() - 1, qsizetype(p * us.size())));
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int requests = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int streams = argc > 2 ? std::atoi(argv[2]) : 200;
    qputenv("QT_LOGGING_RULES", "gpudeck.*.info=false");

    const quint16 fakePort = freePort();
    QProcess fake;
    fake.setStandardErrorFile(QProcess::nullDevice());
    fake.start(QStringLiteral("python3"),
               {QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), QStringLiteral("--port"), QString::number(fakePort),
                QStringLiteral("--model"), QStringLiteral("example/model-8b"), QStringLiteral("--chunks"),
                QStringLiteral("3"), QStringLiteral("--chunk-delay"), QStringLiteral("0.01")});
    if (!fake.waitForStarted()) {
        std::fprintf(stderr, "cannot start the fake server\n");
        return 1;
    }

    test::TestCore tc;
    Connection c;
    c.name = QStringLiteral("bench-host");
    c.hostname = QStringLiteral("127.0.0.1");
    c.username = QStringLiteral("bench");
    if (!tc.core().connections().create(c).ok()) {
        return 1;
    }
    QFile yaml(tc.dataDir() + QStringLiteral("/models.yaml"));
    yaml.open(QIODevice::WriteOnly);
    yaml.write(QStringLiteral("hosts:\n  bench-host:\n    models:\n      - {id: example/model-8b, port: %1, start: "
                              "'true', stop: 'true'}\n")
                   .arg(fakePort)
                   .toUtf8());
    yaml.close();
    tc.core().models().reload();
    if (!QTest::qWaitFor([&] { return tc.core().models().serving(QStringLiteral("bench-host")).health == Health::Up; },
                         15000)) {
        std::fprintf(stderr, "the fake model never showed up\n");
        return 1;
    }

    const QByteArray small =
        R"({"model":"example/model-8b","max_tokens":8,"messages":[{"role":"user","content":"Say hi"}]})";
    const QByteArray streamed =
        R"({"model":"example/model-8b","stream":true,"messages":[{"role":"user","content":"Say hi"}]})";
    Client direct(fakePort, {});
    Client proxied(tc.port(), tc.token());
    double ttfb = 0;
    double total = 0;
    for (int i = 0; i < 200; ++i) { // warm up both paths (connections, caches)
        direct.post("/v1/chat/completions", small, &ttfb, &total);
        proxied.post("/v1/chat/completions", small, &ttfb, &total);
    }
    Stats d, p, added;
    for (int i = 0; i < requests; ++i) {
        double a = 0, b = 0;
        if (!direct.post("/v1/chat/completions", small, &ttfb, &a) ||
            !proxied.post("/v1/chat/completions", small, &ttfb, &b)) {
            std::fprintf(stderr, "request %d failed\n", i);
            return 1;
        }
        d.us << a;
        p.us << b;
        added.us << b - a;
    }
    Stats ds, ps, addedStream;
    for (int i = 0; i < streams; ++i) {
        double a = 0, b = 0;
        if (!direct.post("/v1/chat/completions", streamed, &a, &total) ||
            !proxied.post("/v1/chat/completions", streamed, &b, &total)) {
            std::fprintf(stderr, "stream %d failed\n", i);
            return 1;
        }
        ds.us << a;
        ps.us << b;
        addedStream.us << b - a;
    }

    std::printf(
        "proxy_bench: %d non-streamed chat completions and %d streamed ones, each direct and through the proxy\n",
        requests, streams);
    std::printf("  non-streamed   direct  median %7.0f us  p99 %7.0f us\n", d.percentile(0.5), d.percentile(0.99));
    std::printf("                 proxy   median %7.0f us  p99 %7.0f us\n", p.percentile(0.5), p.percentile(0.99));
    std::printf("                 added   median %7.0f us  p99 %7.0f us  (pairwise)\n", added.percentile(0.5),
                added.percentile(0.99));
    std::printf("  streamed TTFB  direct  median %7.0f us  p99 %7.0f us\n", ds.percentile(0.5), ds.percentile(0.99));
    std::printf("                 proxy   median %7.0f us  p99 %7.0f us\n", ps.percentile(0.5), ps.percentile(0.99));
    std::printf("                 added   median %7.0f us  p99 %7.0f us  (pairwise)\n", addedStream.percentile(0.5),
                addedStream.percentile(0.99));
    fake.terminate();
    fake.waitForFinished(3000);
    return 0;
}
