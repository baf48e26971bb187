// The OpenAI-compatible proxy against the upstream itself and against nginx, all in one run and against the same
// fast upstream (bench_fast_upstream: one epoll thread, canned answers):
//   direct   the upstream itself
//   nginx    Debian's nginx as a reverse proxy (keep-alive to the upstream, proxy_buffering off for streams)
//   deck     GPU Deck's /v1 proxy to a model on a directly reachable port
//   tunnel   GPU Deck's /v1 proxy to a model reached through the host's SSH link (the test sshd on loopback)
// Prints, for each: latency of a small chat completion over one keep-alive connection (median, p99, and what the
// proxy adds to direct, pairwise), time to the first byte of a streamed one, and requests per second at 1 and 50
// connections (wrk, interleaved rounds). Then the tunnel's cost: as many requests in a row to the direct port and
// then through the tunnel, with the CPU time GPU Deck, the sshd and the upstream each used per request. Then a
// multipart upload of `upload_mb` MB direct and through GPU Deck: throughput and GPU Deck's peak RSS growth while it
// streams it on.
//
//   proxy_bench [--requests N] [--streams N] [--seconds S] [--rounds R] [--upload-mb M]
//   proxy_bench --only deck|tunnel|nginx|direct [--seconds S]   wrk at 50 connections on one target (to profile it)
//   proxy_bench --hold        the four targets set up and kept up, their ports printed (for a client or profiler)
#include "BenchSupport.h"
#include "HttpClient.h"
#include "Ports.h"
#include "ProcMemory.h"
#include "SshServer.h"
#include "SshdHosts.h"
#include "TestCore.h"
#include "models/ModelService.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <unistd.h>

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

    QByteArray head(const QByteArray &path, const QByteArray &type, qint64 length) const
    {
        QByteArray h = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                       "\r\nContent-Type: " + type + "\r\nContent-Length: " + QByteArray::number(length) + "\r\n";
        if (!m_token.isEmpty()) {
            h += "Authorization: Bearer " + m_token + "\r\n";
        }
        return h + "\r\n";
    }

    // Sends a POST; returns microseconds to the first body byte (ttfb) and to the complete response.
    bool post(const QByteArray &path, const QByteArray &body, double *ttfbUs, double *totalUs)
    {
        QElapsedTimer t;
        t.start();
        m_socket.write(head(path, "application/json", body.size()) + body);
        m_socket.flush();
        return readAnswer(t, ttfbUs, totalUs, nullptr);
    }

    // Streams a multipart/form-data upload of `bytes` bytes of file content, generated piece by piece.
    bool upload(const QByteArray &path, const QByteArray &model, qint64 bytes, QByteArray *answer, double *totalUs)
    {
        const QByteArray boundary = "----benchboundary7MA4YWxkTrZu0gW";
        const QByteArray before = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" +
                                  model + "\r\n--" + boundary +
                                  "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                                  "Content-Type: audio/wav\r\n\r\n";
        const QByteArray after = "\r\n--" + boundary + "--\r\n";
        QElapsedTimer t;
        t.start();
        m_socket.write(head(path, "multipart/form-data; boundary=" + boundary, before.size() + bytes + after.size()) +
                       before);
        QByteArray piece(1024 * 1024, '\0');
        for (qsizetype i = 0; i < piece.size(); ++i) {
            piece[i] = char((i * 131 + 7) & 0xff);
        }
        for (qint64 sent = 0; sent < bytes;) {
            const qint64 n = std::min<qint64>(piece.size(), bytes - sent);
            m_socket.write(piece.constData(), n);
            sent += n;
            while (m_socket.bytesToWrite() > 4 * 1024 * 1024) {
                if (!m_socket.waitForBytesWritten(10000)) {
                    return false;
                }
            }
        }
        m_socket.write(after);
        while (m_socket.bytesToWrite() > 0) {
            if (!m_socket.waitForBytesWritten(10000)) {
                return false;
            }
        }
        double ttfb = 0;
        return readAnswer(t, &ttfb, totalUs, answer);
    }

private:
    bool readAnswer(const QElapsedTimer &t, double *ttfbUs, double *totalUs, QByteArray *body)
    {
        QByteArray in;
        qsizetype headerEnd = -1;
        qint64 contentLength = -1;
        bool chunked = false;
        *ttfbUs = -1;
        while (true) {
            if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(30000)) {
                return false;
            }
            in += m_socket.readAll();
            if (headerEnd < 0) {
                headerEnd = in.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    continue;
                }
                const QByteArray h = in.left(headerEnd).toLower();
                chunked = h.contains("transfer-encoding: chunked");
                const qsizetype cl = h.indexOf("content-length: ");
                if (cl >= 0) {
                    contentLength = h.mid(cl + 16, h.indexOf('\r', cl) - cl - 16).toLongLong();
                }
            }
            if (*ttfbUs < 0 && in.size() > headerEnd + 4) {
                *ttfbUs = t.nsecsElapsed() / 1000.0;
            }
            const bool done = chunked ? in.endsWith("0\r\n\r\n") : in.size() - headerEnd - 4 >= contentLength;
            if (done) {
                *totalUs = t.nsecsElapsed() / 1000.0;
                if (body) {
                    *body = in.mid(headerEnd + 4);
                }
                return in.startsWith("HTTP/1.1 200");
            }
        }
    }

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

struct Target
{
    const char *name;
    quint16 port;
    QByteArray token;
    QByteArray model;
};

// wrk's requests per second for `seconds` at `connections` against one target.
double wrkRate(const QString &dir, const Target &t, int connections, int seconds)
{
    const QString script = dir + QStringLiteral("/%1.lua").arg(QString::fromLatin1(t.name));
    QFile f(script);
    f.open(QIODevice::WriteOnly);
    f.write("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
    if (!t.token.isEmpty()) {
        f.write("wrk.headers[\"Authorization\"] = \"Bearer " + t.token + "\"\n");
    }
    f.write("wrk.body = '{\"model\":\"" + t.model +
            "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}'\n");
    f.write("done = function(summary, latency, requests)\n"
            "  io.write(string.format(\"non2xx %d errors %d\\n\", summary.errors.status, "
            "summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
            "end\n");
    f.close();
    QProcess wrk;
    wrk.start(QStringLiteral("wrk"),
              {QStringLiteral("-t%1").arg(std::min(2, connections)), QStringLiteral("-c%1").arg(connections),
               QStringLiteral("-d%1s").arg(seconds), QStringLiteral("-s"), script,
               QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(t.port)});
    // The API runs on its own thread in this process; this thread only waits.
    wrk.waitForFinished(seconds * 1000 + 30000);
    const QString out = QString::fromUtf8(wrk.readAllStandardOutput());
    const auto rate = QRegularExpression(QStringLiteral("Requests/sec:\\s+([0-9.]+)")).match(out);
    const auto errors = QRegularExpression(QStringLiteral("non2xx (\\d+) errors (\\d+)")).match(out);
    if (!rate.hasMatch() || (errors.hasMatch() && (errors.captured(1).toInt() + errors.captured(2).toInt()) > 0)) {
        std::fprintf(stderr, "wrk against %s: %s\n", t.name, qPrintable(out.right(400)));
        return rate.hasMatch() ? -rate.captured(1).toDouble() : 0; // negative: had errors
    }
    return rate.captured(1).toDouble();
}

bool startNginx(QProcess &nginx, const QString &dir, quint16 listen, quint16 upstream)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("nginx"),
                                                       {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (exe.isEmpty()) {
        return false;
    }
    QDir().mkpath(dir + QStringLiteral("/nginx/tmp"));
    QFile::setPermissions(dir + QStringLiteral("/nginx/tmp"), QFileDevice::Permissions(0x7777));
    QFile conf(dir + QStringLiteral("/nginx/nginx.conf"));
    conf.open(QIODevice::WriteOnly);
    conf.write(QStringLiteral(
                   "daemon off;\nworker_processes auto;\npid %1/nginx/nginx.pid;\nerror_log stderr error;\n"
                   "%2"
                   "events { worker_connections 4096; }\n"
                   "http {\n  access_log off;\n  keepalive_requests 1000000;\n  client_body_temp_path %1/nginx/tmp;\n"
                   "  proxy_temp_path %1/nginx/tmp;\n  client_max_body_size 1g;\n"
                   "  upstream model { server 127.0.0.1:%3; keepalive 64; }\n"
                   "  server {\n    listen 127.0.0.1:%4;\n"
                   "    location / {\n      proxy_pass http://model;\n      proxy_http_version 1.1;\n"
                   "      proxy_set_header Connection \"\";\n      proxy_buffering off;\n"
                   "      proxy_request_buffering off;\n    }\n  }\n}\n")
                   .arg(dir, geteuid() == 0 ? QStringLiteral("user root;\n") : QString())
                   .arg(upstream)
                   .arg(listen)
                   .toUtf8());
    conf.close();
    nginx.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    nginx.start(exe, {QStringLiteral("-c"), conf.fileName(), QStringLiteral("-p"), dir + QStringLiteral("/nginx")});
    return nginx.waitForStarted();
}

// Nanoseconds a process (every thread of it) has spent on a CPU, from /proc/PID/task/*/schedstat; 0 when gone.
qint64 processCpuNs(qint64 pid)
{
    qint64 total = 0;
    const QString tasks = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &tid : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks + u'/' + tid + QStringLiteral("/schedstat"));
        if (f.open(QIODevice::ReadOnly)) {
            total += f.readAll().split(' ').value(0).toLongLong();
        }
    }
    return total;
}

bool portOpen(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    return s.waitForConnected(200);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int requests = bench::intArg(args, QStringLiteral("--requests"), 2000);
    const int streams = bench::intArg(args, QStringLiteral("--streams"), 300);
    const int seconds = bench::intArg(args, QStringLiteral("--seconds"), 5);
    const int rounds = bench::intArg(args, QStringLiteral("--rounds"), 2);
    const int uploadMb = bench::intArg(args, QStringLiteral("--upload-mb"), 100);
    qputenv("QT_LOGGING_RULES", "gpudeck.*.info=false");

    QTemporaryDir dir;
    const quint16 upstreamPort = freePort();
    QProcess upstream;
    upstream.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    upstream.start(
        QStringLiteral(GPUDECK_FAST_UPSTREAM),
        {QString::number(upstreamPort), QStringLiteral("example/model-8b"), QStringLiteral("example/model-8b-tunnel")});
    const quint16 nginxPort = freePort();
    QProcess nginx;
    // Stopped on every way out (a killed nginx master would leave its workers behind).
    struct Stop
    {
        QProcess &process;
        ~Stop()
        {
            if (process.state() != QProcess::NotRunning) {
                process.terminate();
                process.waitForFinished(3000);
            }
        }
    } stopUpstream{upstream}, stopNginx{nginx};
    const bool haveNginx = startNginx(nginx, dir.path(), nginxPort, upstreamPort);
    if (!upstream.waitForStarted() || !QTest::qWaitFor([&] { return portOpen(upstreamPort); }, 5000)) {
        std::fprintf(stderr, "cannot start the upstream\n");
        return 1;
    }
    if (!haveNginx || !QTest::qWaitFor([&] { return portOpen(nginxPort); }, 5000)) {
        std::fprintf(stderr, "nginx is missing or did not start (Debian: apt-get install nginx-core)\n");
        return 1;
    }

    test::SshServer sshd;
    QString error;
    if (!sshd.available() || !sshd.start(&error)) {
        std::fprintf(stderr, "no test sshd: %s\n", qPrintable(sshd.available() ? error : sshd.unavailableReason()));
        return 1;
    }
    test::TestCore tc;
    test::HttpClient http(tc.port(), tc.token());
    const auto direct =
        http.post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("bench-direct")},
                                                           {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                                                           {QStringLiteral("username"), QStringLiteral("bench")}});
    const QString tunnelled = test::connectSshdHost(http, sshd, QStringLiteral("bench-tunnel"));
    if (direct.status != 201 || !tunnelled.isEmpty()) {
        std::fprintf(stderr, "cannot set up the hosts: %s %s\n", direct.body.constData(), qPrintable(tunnelled));
        return 1;
    }
    const QString written = test::writeModelsYaml(
        tc, QStringLiteral("hosts:\n  bench-direct:\n    via: direct\n    models:\n"
                           "      - {id: example/model-8b, port: %1, start: 'true', stop: 'true'}\n"
                           "  bench-tunnel:\n    via: ssh\n    models:\n"
                           "      - {id: example/model-8b-tunnel, port: %1, start: 'true', stop: 'true'}\n")
                .arg(upstreamPort)
                .toUtf8());
    if (!written.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(written));
        return 1;
    }
    for (const char *host : {"bench-direct", "bench-tunnel"}) {
        if (!QTest::qWaitFor([&] { return tc.core().models().serving(QString::fromLatin1(host)).health == Health::Up; },
                             20000)) {
            std::fprintf(stderr, "the model on %s never showed up\n", host);
            return 1;
        }
    }

    const QList<Target> targets{{"direct", upstreamPort, {}, "example/model-8b"},
                                {"nginx", nginxPort, {}, "example/model-8b"},
                                {"deck", tc.port(), tc.token(), "example/model-8b"},
                                {"tunnel", tc.port(), tc.token(), "example/model-8b-tunnel"}};
    const qsizetype n = targets.size();
    if (args.contains(QStringLiteral("--hold"))) { // the targets stay up for a profiler or a client of one's own
        for (const Target &t : targets) {
            std::printf("%s: port %d model %s%s%s\n", t.name, t.port, t.model.constData(),
                        t.token.isEmpty() ? "" : " token ", t.token.constData());
        }
        std::fflush(stdout);
        return app.exec();
    }
    QList<std::shared_ptr<Client>> clients;
    for (const Target &t : targets) {
        clients << std::make_shared<Client>(t.port, t.token);
    }
    auto small = [](const QByteArray &model) {
        return R"({"model":")" + model + R"(","max_tokens":8,"messages":[{"role":"user","content":"Say hi"}]})";
    };
    auto streamed = [](const QByteArray &model) {
        return R"({"model":")" + model + R"(","stream":true,"messages":[{"role":"user","content":"Say hi"}]})";
    };
    double ttfb = 0;
    double total = 0;
    for (int i = 0; i < 300; ++i) { // warm up every path (connections, caches, the tunnel's forward)
        for (qsizetype k = 0; k < n; ++k) {
            if (!clients[k]->post("/v1/chat/completions", small(targets[k].model), &ttfb, &total)) {
                std::fprintf(stderr, "warm-up request to %s failed\n", targets[k].name);
                return 1;
            }
        }
    }
    QList<Stats> latency(n), latencyAdded(n), first(n), firstAdded(n), streamEnd(n);
    for (int i = 0; i < requests; ++i) {
        QList<double> us(n);
        for (qsizetype k = 0; k < n; ++k) {
            if (!clients[k]->post("/v1/chat/completions", small(targets[k].model), &ttfb, &us[k])) {
                std::fprintf(stderr, "request %d to %s failed\n", i, targets[k].name);
                return 1;
            }
            latency[k].us << us[k];
            latencyAdded[k].us << us[k] - us[0];
        }
    }
    for (int i = 0; i < streams; ++i) {
        QList<double> us(n);
        for (qsizetype k = 0; k < n; ++k) {
            if (!clients[k]->post("/v1/chat/completions", streamed(targets[k].model), &us[k], &total)) {
                std::fprintf(stderr, "stream %d to %s failed\n", i, targets[k].name);
                return 1;
            }
            first[k].us << us[k];
            firstAdded[k].us << us[k] - us[0];
            streamEnd[k].us << total;
        }
    }
    // Where the tunnel's time goes: `requests` requests in a row to the direct port, then as many through the tunnel,
    // with the CPU time each process used meanwhile (GPU Deck: every thread but this one, which is the client).
    struct Share
    {
        double latencyUs = 0, deckCpuUs = 0, sshdCpuUs = 0, upstreamCpuUs = 0;
    };
    auto share = [&](qsizetype k) {
        QList<qint64> sshdProcesses = sshd.sessionProcesses();
        sshdProcesses << sshd.pid();
        auto sshdNs = [&] {
            qint64 ns = 0;
            for (qint64 pid : std::as_const(sshdProcesses)) {
                ns += processCpuNs(pid);
            }
            return ns;
        };
        Stats block;
        const double deckMs = bench::processCpuMs() - bench::threadCpuMs();
        const qint64 sshdBefore = sshdNs();
        const qint64 upstreamBefore = processCpuNs(upstream.processId());
        for (int i = 0; i < requests; ++i) {
            double us = 0;
            if (!clients[k]->post("/v1/chat/completions", small(targets[k].model), &ttfb, &us)) {
                return Share{};
            }
            block.us << us;
        }
        Share s;
        s.latencyUs = block.percentile(0.5);
        s.deckCpuUs = (bench::processCpuMs() - bench::threadCpuMs() - deckMs) * 1000 / requests;
        s.sshdCpuUs = double(sshdNs() - sshdBefore) / 1000 / requests;
        s.upstreamCpuUs = double(processCpuNs(upstream.processId()) - upstreamBefore) / 1000 / requests;
        return s;
    };
    const Share deckShare = share(2);
    const Share tunnelShare = share(3);
    clients.clear();
    if (const qsizetype only = args.indexOf(QStringLiteral("--only")); only >= 0) {
        for (const Target &t : targets) {
            if (args.value(only + 1) == QLatin1String(t.name)) {
                std::printf("%s: %.0f requests per second at 50 connections\n", t.name,
                            wrkRate(dir.path(), t, 50, seconds));
            }
        }
        return 0;
    }

    // Throughput, interleaved rounds: direct, nginx, deck, tunnel, direct, ...
    QList<QList<double>> rate1(n), rate50(n);
    for (int r = 0; r < rounds; ++r) {
        for (qsizetype k = 0; k < n; ++k) {
            rate1[k] << wrkRate(dir.path(), targets[k], 1, seconds);
            rate50[k] << wrkRate(dir.path(), targets[k], 50, seconds);
        }
    }
    auto best = [](const QList<double> &v) { return *std::max_element(v.begin(), v.end()); };

    // A large upload, direct and through GPU Deck: throughput, and GPU Deck's peak RSS growth (this process is
    // GPU Deck's core; the client sends from one 1 MiB buffer allocated before the peak is reset).
    const qint64 uploadBytes = qint64(uploadMb) * 1000 * 1000;
    Client uploadDirect(upstreamPort, {});
    Client uploadDeck(tc.port(), tc.token());
    QByteArray answerDirect, answerDeck;
    double directUs = 0, deckUs = 0;
    if (!uploadDirect.upload("/v1/audio/transcriptions", "example/model-8b", uploadBytes, &answerDirect, &directUs)) {
        std::fprintf(stderr, "the direct upload failed\n");
        return 1;
    }
    const qint64 rssBefore = test::procStatusKb("VmRSS");
    test::resetPeakMemory(); // VmHWM := the resident size now
    if (!uploadDeck.upload("/v1/audio/transcriptions", "example/model-8b", uploadBytes, &answerDeck, &deckUs)) {
        std::fprintf(stderr, "the upload through GPU Deck failed: %s\n", answerDeck.left(300).constData());
        return 1;
    }
    const qint64 peakGrowthKb = test::procStatusKb("VmHWM") - rssBefore;
    const bool intact = answerDirect == answerDeck;

    std::printf("proxy_bench: %d small chat completions and %d streamed ones per target over one keep-alive "
                "connection, interleaved; wrk %d s x %d rounds (best); load %s\n",
                requests, streams, seconds, rounds, qPrintable(bench::loadAverage()));
    std::printf("  %-7s %12s %10s %12s %12s %14s %10s %12s %10s\n", "target", "latency p50", "p99", "added p50",
                "added p99", "stream 1st B", "added", "stream end", "req/s c=1");
    for (qsizetype k = 0; k < n; ++k) {
        std::printf("  %-7s %9.0f us %7.0f us %9.0f us %9.0f us %11.0f us %7.0f us %9.0f us %10.0f\n", targets[k].name,
                    latency[k].percentile(0.5), latency[k].percentile(0.99), latencyAdded[k].percentile(0.5),
                    latencyAdded[k].percentile(0.99), first[k].percentile(0.5), firstAdded[k].percentile(0.5),
                    streamEnd[k].percentile(0.5), best(rate1[k]));
    }
    std::printf("  requests per second at 50 connections:");
    for (qsizetype k = 0; k < n; ++k) {
        std::printf("  %s %.0f", targets[k].name, best(rate50[k]));
    }
    std::printf("\n");
    const double nginxAdded = latencyAdded[1].percentile(0.5);
    const double deckAdded = latencyAdded[2].percentile(0.5);
    std::printf("  targets: deck added median %.0f us vs nginx %.0f us (%.1fx, target <= 3x); at 50 connections "
                "%.2f of nginx (target >= 0.5); stream first byte +%.0f us vs nginx (target <= 300 us); tunnel "
                "latency %.2fx deck (target <= 2x)\n",
                deckAdded, nginxAdded, nginxAdded > 0 ? deckAdded / nginxAdded : 0,
                best(rate50[1]) > 0 ? best(rate50[2]) / best(rate50[1]) : 0,
                first[2].percentile(0.5) - first[1].percentile(0.5),
                latency[3].percentile(0.5) / std::max(1.0, latency[2].percentile(0.5)));
    // An upper bound on what the tunnel could gain from GPU Deck's side: its extra CPU time per request, as if all
    // of it were on the request's path and could go.
    const double deckExtra = std::max(0.0, tunnelShare.deckCpuUs - deckShare.deckCpuUs);
    std::printf("  the tunnel's cost (%d requests in a row to each): p50 %.0f us vs deck %.0f us (%.2fx); CPU per "
                "request: GPU Deck %.0f us vs %.0f us, sshd %.0f us, upstream %.0f us vs %.0f us. Without GPU Deck's "
                "extra %.0f us the tunnel would be %.2fx deck in a row, %.2fx interleaved\n",
                requests, tunnelShare.latencyUs, deckShare.latencyUs,
                tunnelShare.latencyUs / std::max(1.0, deckShare.latencyUs), tunnelShare.deckCpuUs, deckShare.deckCpuUs,
                tunnelShare.sshdCpuUs, tunnelShare.upstreamCpuUs, deckShare.upstreamCpuUs, deckExtra,
                (tunnelShare.latencyUs - deckExtra) / std::max(1.0, deckShare.latencyUs),
                (latency[3].percentile(0.5) - deckExtra) / std::max(1.0, latency[2].percentile(0.5)));
    std::printf("  upload %d MB: direct %.0f MB/s, through GPU Deck %.0f MB/s (%.0f %%, target >= 80 %%); GPU Deck's "
                "peak RSS growth %.1f MB (target < 16 MB); body %s\n",
                uploadMb, uploadBytes / directUs, uploadBytes / deckUs, 100.0 * directUs / deckUs,
                peakGrowthKb / 1024.0, intact ? "intact (same byte count and checksum)" : "DIFFERENT");
    return intact ? 0 : 1;
}
