// MCP tools/call round trip over a real socket: a read tool (host_status) and `fleet`, with 8 hosts of 8 GPUs each
// (8 connections to one loopback sshd whose sessions run the fake nvidia-smi reporting 8 GPUs), monitoring on.
// One keep-alive connection, as MCP clients keep one; each request is a whole JSON-RPC tools/call POST /mcp, timed
// from the first byte written to the last byte of the answer read. Prints median and p99 per tool.
// Targets (issue 10): host_status under 2 ms median, fleet under 5 ms median. When this build has no fleet route
// (GET /api/dgx/fleet), it says so and measures the closest read over all hosts instead (host_status_all).
//
//   mcp_bench [calls=2000]     needs root (the test sshd), like the sshd tests
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "SshdHosts.h"
#include "TestCore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace gpudeck;

namespace {

class KeepAliveClient
{
public:
    KeepAliveClient(quint16 port, QByteArray token)
        : m_port(port)
        , m_token(std::move(token))
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(3000);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }

    // POST /mcp; the answer's body, or empty on failure. `us`: the round trip in microseconds.
    QByteArray post(const QByteArray &body, double *us)
    {
        const QByteArray request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                                   "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"
                                   "\r\nAuthorization: Bearer " +
                                   m_token + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
                                   body;
        QElapsedTimer t;
        t.start();
        m_socket.write(request);
        m_socket.flush();
        QByteArray in;
        qsizetype headerEnd = -1;
        qint64 length = -1;
        while (true) {
            if (!m_socket.waitForReadyRead(10000)) {
                return {};
            }
            in += m_socket.readAll();
            if (headerEnd < 0 && (headerEnd = in.indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = in.left(headerEnd).toLower();
                const qsizetype at = head.indexOf("content-length:");
                length = at < 0 ? 0 : head.mid(at + 15, head.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
            }
            if (headerEnd >= 0 && in.size() >= headerEnd + 4 + length) {
                break;
            }
        }
        *us = t.nsecsElapsed() / 1000.0;
        return in.mid(headerEnd + 4, length);
    }

private:
    quint16 m_port;
    QByteArray m_token;
    QTcpSocket m_socket;
};

struct Figures
{
    double median = 0;
    double p99 = 0;
    int failures = 0;
};

Figures measure(KeepAliveClient &client, const QString &tool, const QJsonObject &arguments, int calls)
{
    QList<double> us;
    Figures f;
    for (int i = 0; i < calls + calls / 10; ++i) { // the first tenth warms up and is not counted
        const QByteArray body =
            QJsonDocument(
                QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                            {QStringLiteral("id"), i},
                            {QStringLiteral("method"), QStringLiteral("tools/call")},
                            {QStringLiteral("params"),
                             QJsonObject{{QStringLiteral("name"), tool}, {QStringLiteral("arguments"), arguments}}}})
                .toJson(QJsonDocument::Compact);
        double t = 0;
        const QByteArray answer = client.post(body, &t);
        const QJsonObject result = QJsonDocument::fromJson(answer).object().value(QStringLiteral("result")).toObject();
        if (answer.isEmpty() || result.value(QStringLiteral("isError")).toBool(true)) {
            ++f.failures;
            if (f.failures == 1) {
                std::fprintf(stderr, "%s failed: %s\n", qPrintable(tool), answer.left(300).constData());
            }
            continue;
        }
        if (i >= calls / 10) {
            us.append(t);
        }
    }
    std::sort(us.begin(), us.end());
    if (!us.isEmpty()) {
        f.median = us.at(us.size() / 2) / 1000.0;
        f.p99 = us.at(std::min<qsizetype>(us.size() - 1, qsizetype(us.size() * 0.99))) / 1000.0;
    }
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(100, std::atoi(argv[1])) : 2000;
    constexpr int kHosts = 8;
    constexpr int kGpus = 8;

    test::SshServer sshd;
    if (!sshd.available()) {
        std::fprintf(stderr, "mcp_bench needs the test sshd: %s\n", qPrintable(sshd.unavailableReason()));
        return 2;
    }
    test::FakeNvidiaSmi fake;
    QString error;
    if (!fake.install(&error)) {
        std::fprintf(stderr, "fake nvidia-smi: %s\n", qPrintable(error));
        return 2;
    }
    fake.setGpus(kGpus);
    sshd.setSessionEnv(QStringLiteral("PATH"), fake.pathValue());
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "sshd: %s\n", qPrintable(error));
        return 2;
    }
    test::TestCore tc;
    tc.core().startMonitoring();
    KeepAliveClient client(tc.port(), tc.token());

    const test::HttpClient http(tc.port(), tc.token());
    for (int h = 1; h <= kHosts; ++h) {
        const QString name = QStringLiteral("gpu-host-%1").arg(h);
        if (const QString failed = test::connectSshdHost(http, sshd, name); !failed.isEmpty()) {
            std::fprintf(stderr, "setting up %s failed: %s\n", qPrintable(name), qPrintable(failed));
            return 1;
        }
    }
    // Wait until every host reports its 8 GPUs.
    const bool live = QTest::qWaitFor(
        [&] {
            for (int h = 1; h <= kHosts; ++h) {
                double t = 0;
                const QByteArray answer = client.post(
                    QJsonDocument(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                              {QStringLiteral("id"), 0},
                                              {QStringLiteral("method"), QStringLiteral("tools/call")},
                                              {QStringLiteral("params"),
                                               QJsonObject{{QStringLiteral("name"), QStringLiteral("metrics_current")},
                                                           {QStringLiteral("arguments"),
                                                            QJsonObject{{QStringLiteral("id"),
                                                                         QStringLiteral("gpu-host-%1").arg(h)}}}}}})
                        .toJson(QJsonDocument::Compact),
                    &t);
                const QJsonArray gpus = QJsonDocument::fromJson(answer)
                                            .object()
                                            .value(QStringLiteral("result"))
                                            .toObject()
                                            .value(QStringLiteral("structuredContent"))
                                            .toObject()
                                            .value(QStringLiteral("gpus"))
                                            .toArray();
                if (gpus.size() != kGpus) {
                    return false;
                }
            }
            return true;
        },
        30000);
    if (!live) {
        std::fprintf(stderr, "the hosts' metrics did not arrive\n");
        return 1;
    }

    const bool hasFleet = tc.core().apiRoutes().contains(QStringLiteral("GET /api/dgx/fleet"));
    std::printf("MCP tools/call round trip, %d calls each, one keep-alive connection, %d hosts x %d GPUs, "
                "monitoring on\n",
                calls, kHosts, kGpus);
    std::printf("%-34s %10s %10s %9s %s\n", "tool", "median ms", "p99 ms", "failures", "target");
    const Figures status =
        measure(client, QStringLiteral("host_status"), {{QStringLiteral("id"), QStringLiteral("gpu-host-1")}}, calls);
    std::printf("%-34s %10.3f %10.3f %9d %s\n", "host_status (one host)", status.median, status.p99, status.failures,
                status.median < 2.0 ? "< 2 ms: met" : "< 2 ms: NOT met");
    const Figures metrics = measure(client, QStringLiteral("metrics_current"),
                                    {{QStringLiteral("id"), QStringLiteral("gpu-host-1")}}, calls);
    std::printf("%-34s %10.3f %10.3f %9d\n", "metrics_current (8 GPUs)", metrics.median, metrics.p99, metrics.failures);
    if (hasFleet) {
        const Figures fleet = measure(client, QStringLiteral("fleet"), {}, calls);
        std::printf("%-34s %10.3f %10.3f %9d %s\n", "fleet (8 hosts x 8 GPUs)", fleet.median, fleet.p99, fleet.failures,
                    fleet.median < 5.0 ? "< 5 ms: met" : "< 5 ms: NOT met");
    } else {
        std::printf("(no GET /api/dgx/fleet in this build: fleet not measured)\n");
    }
    const Figures all = measure(client, QStringLiteral("host_status_all"), {}, calls);
    std::printf("%-34s %10.3f %10.3f %9d\n", "host_status_all (8 hosts)", all.median, all.p99, all.failures);
    return status.failures + all.failures + metrics.failures > 0 ? 1 : 0;
}
