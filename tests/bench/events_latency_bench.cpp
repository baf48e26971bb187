// Benchmark for the events stream (issue [7]): time from a launched job's exit on the host to its `job.status`
// event (completed) reaching a client of GET /api/events, over a loopback sshd with a real tmux and the supervisor's
// shipped 1 s poll (the poll is most of it). The job writes the wall-clock time just before it exits; the client
// notes the wall-clock time at which the event's bytes arrived (same machine, same clock).
//
//   build/tests/events_latency_bench [runs]     (default 20; needs root for the test sshd user)
//
// Prints median, p99 and max; asserts nothing. Target: median under 1 s.
#include "HttpClient.h"
#include "SseClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobSupervisor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <algorithm>
#include <cstdio>

using namespace gpudeck;

namespace {

struct Stats
{
    double median = 0;
    double p99 = 0;
    double max = 0;
    double min = 0;
};

Stats stats(QList<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.isEmpty()) {
        return {};
    }
    return {v.at(v.size() / 2), v.at(std::min<qsizetype>(v.size() - 1, static_cast<qsizetype>(v.size() * 0.99))),
            v.last(), v.first()};
}

// Runs the event loop until `done` or the timeout.
template<typename F>
bool spinUntil(F done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? QByteArray(argv[1]).toInt() : 20;
    test::SshServer sshd;
    QString error;
    if (!sshd.available() || !sshd.start(&error)) {
        std::fprintf(stderr, "cannot start sshd: %s %s\n", qPrintable(sshd.unavailableReason()), qPrintable(error));
        return 1;
    }
    test::TestCore tc;
    tc.core().startJobSupervision(); // the default 1 s poll, as shipped
    test::HttpClient http(tc.port(), tc.token());
    http.post(QStringLiteral("/api/dgx/connections"),
              {{QStringLiteral("name"), QStringLiteral("bench")},
               {QStringLiteral("hostname"), sshd.host()},
               {QStringLiteral("port"), sshd.port()},
               {QStringLiteral("username"), sshd.user()},
               {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
    if (http.post(QStringLiteral("/api/dgx/connect/bench"),
                  {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}})
            .status != 200) {
        std::fprintf(stderr, "connect failed\n");
        return 1;
    }
    const int project =
        http.post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), QStringLiteral("bench")},
                                                        {QStringLiteral("name"), QStringLiteral("bench")}})
            .object()
            .value(QStringLiteral("id"))
            .toInt();
    test::SseClient events(tc.port(), tc.token(), "/api/events?topics=job.status");
    if (!spinUntil([&] { return events.started(); }, 5000) || events.status() != 200) {
        std::fprintf(stderr, "no event stream\n");
        return 1;
    }
    const QString marker = sshd.homeDir() + QStringLiteral("/bench-exit-time");
    QList<double> latencies;
    for (int i = 0; i < runs; ++i) {
        QFile::remove(marker);
        const int id = http.post(QStringLiteral("/api/dgx/jobs"),
                                 {{QStringLiteral("project_id"), project},
                                  {QStringLiteral("name"), QStringLiteral("bench-%1").arg(i)},
                                  {QStringLiteral("command"),
                                   QStringLiteral("sleep 0.3; date +%s%3N > \"$HOME/bench-exit-time\"")}})
                           .object()
                           .value(QStringLiteral("id"))
                           .toInt();
        const auto started = http.post(QStringLiteral("/api/dgx/jobs/%1/start").arg(id), {});
        if (started.object().value(QStringLiteral("status")).toString() != QStringLiteral("running")) {
            std::fprintf(stderr, "start failed: %s\n", started.body.constData());
            return 1;
        }
        test::SseEvent completed;
        const bool seen = spinUntil(
            [&] {
                for (const test::SseEvent &e : events.events()) {
                    const QJsonObject d = e.payload();
                    if (d.value(QStringLiteral("job_id")).toInt() == id &&
                        d.value(QStringLiteral("status")).toString() == QStringLiteral("completed")) {
                        completed = e;
                        return true;
                    }
                }
                return false;
            },
            20000);
        QFile f(marker);
        if (!seen || !f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "run %d: no completed event or no exit marker\n", i);
            return 1;
        }
        latencies << static_cast<double>(completed.receivedAtEpochMs - f.readAll().trimmed().toLongLong());
    }
    const Stats s = stats(latencies);
    std::printf("Job exit on the host -> job.status event at a GET /api/events client (%d jobs, loopback sshd + "
                "tmux, supervision poll every 1 s)\n",
                runs);
    std::printf("  median %7.1f ms  p99 %7.1f ms  max %7.1f ms  min %7.1f ms  (target: median < 1000 ms)\n", s.median,
                s.p99, s.max, s.min);
    return 0;
}
