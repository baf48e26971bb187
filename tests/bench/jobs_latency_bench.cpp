// Benchmark for launched jobs (issue [5]): time from the start request to `running`, and from the job's exit
// on the host to `completed` being visible in the API, over a loopback sshd with a real tmux.
// Prints its figures; asserts nothing.
#include "HttpClient.h"
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
};

Stats stats(QList<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.isEmpty()) {
        return {};
    }
    return {v.at(v.size() / 2), v.at(std::min<qsizetype>(v.size() - 1, static_cast<qsizetype>(v.size() * 0.99))),
            v.last()};
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
    const QString marker = sshd.homeDir() + QStringLiteral("/bench-exit-time");
    QList<double> toRunning;
    QList<double> toCompleted;
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
        QElapsedTimer t;
        t.start();
        const auto started = http.post(QStringLiteral("/api/dgx/jobs/%1/start").arg(id), {});
        const double startMs = t.nsecsElapsed() / 1e6;
        if (started.object().value(QStringLiteral("status")).toString() != QStringLiteral("running")) {
            std::fprintf(stderr, "start failed: %s\n", started.body.constData());
            return 1;
        }
        toRunning << startMs;
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < 20000) {
            if (http.get(QStringLiteral("/api/dgx/jobs/%1").arg(id))
                    .object()
                    .value(QStringLiteral("status"))
                    .toString() == QStringLiteral("completed")) {
                break;
            }
            QCoreApplication::processEvents();
            QThread::msleep(5);
        }
        const qint64 seenAt = QDateTime::currentMSecsSinceEpoch();
        QFile f(marker);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "no exit marker\n");
            return 1;
        }
        toCompleted << static_cast<double>(seenAt - f.readAll().trimmed().toLongLong());
    }
    const Stats a = stats(toRunning);
    const Stats b = stats(toCompleted);
    std::printf("Job latency over loopback sshd + tmux (%d jobs, supervision poll every 1 s)\n", runs);
    std::printf("  start request -> running:          median %7.1f ms  p99 %7.1f ms  max %7.1f ms  (target < 300 ms)\n",
                a.median, a.p99, a.max);
    std::printf(
        "  job exit -> completed in the API:  median %7.1f ms  p99 %7.1f ms  max %7.1f ms  (target < 2000 ms)\n",
        b.median, b.p99, b.max);
    return 0;
}
