// GET /api/dgx/fleet and GET /metrics with 8 hosts × 8 GPUs, over a real socket: median and p99 round trip on one
// keep-alive connection, the answer's size, and the same work in process (FleetReader::read + JSON, the /metrics
// render) to show where the time goes. The hosts are 8 connections to the loopback test sshd, each streaming the
// replaying fake nvidia-smi with 8 GPUs at 1 s (real collector, real SQLite file), so the snapshot is what a real
// fleet of that size gives. Needs root (the test sshd), like the SSH tests.
//
//   fleet_bench [requests=1000] [scrapes=300]
#include "FakeNvidiaSmi.h"
#include "HttpClient.h"
#include "SshServer.h"
#include "SshdHosts.h"
#include "TestCore.h"
#include "fleet/FleetBuilder.h"
#include "metrics/MetricsService.h"
#include "prometheus/MetricsExport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace gpudeck;

namespace {

// One keep-alive HTTP/1.1 connection, blocking; answers are Content-Length framed.
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

    // Microseconds to the complete answer; -1 on failure. `bytes` gets the body's size.
    double get(const QByteArray &path, qsizetype *bytes)
    {
        const QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                                   "\r\nAuthorization: Bearer " + m_token + "\r\n\r\n";
        QElapsedTimer t;
        t.start();
        m_socket.write(request);
        m_socket.flush();
        QByteArray in;
        qsizetype headerEnd = -1;
        qint64 contentLength = -1;
        while (true) {
            if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(10000)) {
                return -1;
            }
            in += m_socket.readAll();
            if (headerEnd < 0) {
                headerEnd = in.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    continue;
                }
                const QByteArray head = in.left(headerEnd).toLower();
                const qsizetype cl = head.indexOf("content-length: ");
                contentLength = head.mid(cl + 16, head.indexOf('\r', cl) - cl - 16).toLongLong();
            }
            if (in.size() - headerEnd - 4 >= contentLength) {
                *bytes = contentLength;
                return in.startsWith("HTTP/1.1 200") ? t.nsecsElapsed() / 1000.0 : -1;
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
    const int requests = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int scrapes = argc > 2 ? std::atoi(argv[2]) : 300;
    constexpr int kHosts = 8;
    constexpr int kGpus = 8;
    qputenv("QT_LOGGING_RULES", "gpudeck.*.info=false");

    test::SshServer sshd;
    if (!sshd.available()) {
        std::fprintf(stderr, "no test sshd: %s\n", qPrintable(sshd.unavailableReason()));
        return 1;
    }
    test::FakeNvidiaSmi fake;
    QString error;
    if (!fake.install(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    fake.setGpus(kGpus);
    sshd.setSessionEnv(QStringLiteral("PATH"), fake.pathValue());
    if (!sshd.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    test::TestCore tc;
    tc.core().startMonitoring();
    test::HttpClient http(tc.port(), tc.token());
    http.put(QStringLiteral("/api/config/monitoring"),
             {{QStringLiteral("interval_ms"), 1000}, {QStringLiteral("host_poll_ms"), 2000}});
    for (int h = 1; h <= kHosts; ++h) {
        const QString name = QStringLiteral("host-%1").arg(h);
        if (const QString failed = test::connectSshdHost(http, sshd, name); !failed.isEmpty()) {
            std::fprintf(stderr, "connect %s: %s\n", qPrintable(name), qPrintable(failed));
            return 1;
        }
    }
    const bool ready = QTest::qWaitFor(
        [&] {
            return http.get(QStringLiteral("/api/dgx/fleet"))
                       .object()
                       .value(QStringLiteral("totals"))
                       .toObject()
                       .value(QStringLiteral("gpus"))
                       .toInt() == kHosts * kGpus;
        },
        60000);
    if (!ready) {
        std::fprintf(stderr, "the fleet did not show %d GPUs within 60 s\n", kHosts * kGpus);
        return 1;
    }

    // In process, on this thread: what the route does, without HTTP.
    Core &core = tc.core();
    const FleetReader reader(core.connections(), core.projects(), core.jobs(), core.ssh(), core.metrics(),
                             core.models());
    Stats readUs, jsonUs, renderUs;
    for (int i = 0; i < 300; ++i) {
        QElapsedTimer t;
        t.start();
        const auto fleet = reader.read();
        readUs.us.append(t.nsecsElapsed() / 1000.0);
        t.restart();
        const QByteArray json = QJsonDocument(fleet->toJson()).toJson(QJsonDocument::Compact);
        jsonUs.us.append(t.nsecsElapsed() / 1000.0);
        t.restart();
        MetricsExportInputs in;
        in.fleet = fleet.value();
        in.jobsByStatus = core.jobs().countByStatus().value();
        const QByteArray text = renderMetrics(in);
        renderUs.us.append(t.nsecsElapsed() / 1000.0);
        Q_UNUSED(json);
        Q_UNUSED(text);
    }

    Client client(tc.port(), tc.token());
    qsizetype fleetBytes = 0, metricsBytes = 0;
    Stats fleetUs, metricsUs;
    for (int i = 0; i < 50; ++i) { // warm-up
        client.get("/api/dgx/fleet", &fleetBytes);
        client.get("/metrics", &metricsBytes);
    }
    for (int i = 0; i < requests; ++i) {
        const double us = client.get("/api/dgx/fleet", &fleetBytes);
        if (us < 0) {
            std::fprintf(stderr, "GET /api/dgx/fleet failed\n");
            return 1;
        }
        fleetUs.us.append(us);
    }
    for (int i = 0; i < scrapes; ++i) {
        const double us = client.get("/metrics", &metricsBytes);
        if (us < 0) {
            std::fprintf(stderr, "GET /metrics failed\n");
            return 1;
        }
        metricsUs.us.append(us);
    }

    std::printf("fleet_bench: %d hosts x %d GPUs, metrics streaming at 1 s, one keep-alive connection\n", kHosts,
                kGpus);
    std::printf("  %-34s %9s %9s %9s\n", "", "median", "p99", "bytes");
    std::printf("  %-34s %7.2f ms %6.2f ms %9lld\n", "GET /api/dgx/fleet (socket)", fleetUs.percentile(0.5) / 1000,
                fleetUs.percentile(0.99) / 1000, static_cast<long long>(fleetBytes));
    std::printf("  %-34s %7.2f ms %6.2f ms %9lld\n", "GET /metrics (socket)", metricsUs.percentile(0.5) / 1000,
                metricsUs.percentile(0.99) / 1000, static_cast<long long>(metricsBytes));
    std::printf("  %-34s %7.2f ms %6.2f ms\n", "FleetReader::read (in process)", readUs.percentile(0.5) / 1000,
                readUs.percentile(0.99) / 1000);
    std::printf("  %-34s %7.2f ms %6.2f ms\n", "fleet toJson + serialise", jsonUs.percentile(0.5) / 1000,
                jsonUs.percentile(0.99) / 1000);
    std::printf("  %-34s %7.2f ms %6.2f ms\n", "/metrics render", renderUs.percentile(0.5) / 1000,
                renderUs.percentile(0.99) / 1000);
    return 0;
}
