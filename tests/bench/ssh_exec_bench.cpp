// Benchmark for the SSH worker pool (issue [2]): latency of POST /api/dgx/exec running `true` against a real
// loopback sshd, side by side with OpenSSH's multiplexed (ControlMaster) and fresh `ssh host true`; then the
// CPU and memory of holding 50 idle connections. Prints its figures; asserts nothing.
#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "ssh/SshPool.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

using namespace gpudeck;

namespace {

struct Stats
{
    double median = 0;
    double p99 = 0;
    int n = 0;
};

Stats stats(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    Stats s;
    s.n = static_cast<int>(ms.size());
    if (ms.isEmpty()) {
        return s;
    }
    s.median = ms.at(ms.size() / 2);
    s.p99 = ms.at(std::min<qsizetype>(ms.size() - 1, static_cast<qsizetype>(ms.size() * 0.99)));
    return s;
}

// One keep-alive HTTP connection, as an agent's HTTP client would hold.
class KeepAliveClient
{
public:
    KeepAliveClient(quint16 port, QByteArray token)
        : m_token(std::move(token))
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(5000);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }

    int post(const QByteArray &path, const QByteArray &body)
    {
        m_socket.write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_token +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                       "\r\n\r\n" + body);
        QByteArray buffer;
        qsizetype headerEnd = -1;
        qsizetype length = 0;
        while (m_socket.waitForReadyRead(10000)) {
            buffer += m_socket.readAll();
            if (headerEnd < 0 && (headerEnd = buffer.indexOf("\r\n\r\n")) >= 0) {
                const qsizetype at = buffer.toLower().indexOf("content-length:");
                length = buffer.mid(at + 15, buffer.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
            }
            if (headerEnd >= 0 && buffer.size() >= headerEnd + 4 + length) {
                return buffer.mid(9, 3).toInt();
            }
        }
        return 0;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_token;
};

double runProcess(const QString &program, const QStringList &args)
{
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(program, args);
    p.waitForFinished(30000);
    if (p.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(program), p.readAllStandardError().constData());
    }
    return t.nsecsElapsed() / 1e6;
}

void print(const char *what, const Stats &s)
{
    std::printf("  %-46s median %7.2f ms   p99 %7.2f ms   (n=%d)\n", what, s.median, s.p99, s.n);
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    f.open(QIODevice::ReadOnly);
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').value(0).toLong();
        }
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? QByteArray(argv[1]).toInt() : 500;
    test::SshServer sshd;
    QString error;
    if (!sshd.available() || !sshd.start(&error)) {
        std::fprintf(stderr, "cannot start sshd: %s %s\n", qPrintable(sshd.unavailableReason()), qPrintable(error));
        return 1;
    }
    test::TestCore tc;
    test::HttpClient http(tc.port(), tc.token());
    const auto created = http.post(QStringLiteral("/api/dgx/connections"),
                                   {{QStringLiteral("name"), QStringLiteral("bench")},
                                    {QStringLiteral("hostname"), sshd.host()},
                                    {QStringLiteral("port"), sshd.port()},
                                    {QStringLiteral("username"), sshd.user()},
                                    {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
    const auto connected = http.post(QStringLiteral("/api/dgx/connect/bench"),
                                     {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}});
    if (created.status != 201 || connected.status != 200) {
        std::fprintf(stderr, "setup failed: %s %s\n", created.body.constData(), connected.body.constData());
        return 1;
    }

    std::printf("SSH exec latency, `true` on a loopback OpenSSH sshd\n");
    KeepAliveClient client(tc.port(), tc.token());
    const QByteArray body = R"({"command":"true"})";
    for (int i = 0; i < 20; ++i) {
        client.post("/api/dgx/exec/bench", body);
    }
    QList<double> api;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        if (client.post("/api/dgx/exec/bench", body) != 200) {
            std::fprintf(stderr, "exec failed\n");
            return 1;
        }
        api << t.nsecsElapsed() / 1e6;
    }
    const Stats apiStats = stats(api);
    print("GPU Deck POST /api/dgx/exec (keep-alive HTTP)", apiStats);

    QTemporaryDir dir;
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    const QString control = dir.filePath(QStringLiteral("cm.sock"));
    const QStringList common = {QStringLiteral("-p"), QString::number(sshd.port()),
                                QStringLiteral("-i"), sshd.keyPath(QStringLiteral("ed25519")),
                                QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=") + knownHosts,
                                QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=accept-new"),
                                QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                QStringLiteral("-F"), QStringLiteral("/dev/null"),
                                QStringLiteral("-l"), sshd.user()};
    QProcess::execute(QStringLiteral("ssh"),
                      common + QStringList{QStringLiteral("-M"), QStringLiteral("-S"), control, QStringLiteral("-fN"),
                                           QStringLiteral("-o"), QStringLiteral("ControlPersist=60"), sshd.host()});
    QList<double> mux;
    const QStringList muxArgs =
        common + QStringList{QStringLiteral("-S"), control, sshd.host(), QStringLiteral("true")};
    for (int i = 0; i < 10; ++i) {
        runProcess(QStringLiteral("ssh"), muxArgs);
    }
    for (int i = 0; i < std::min(runs, 200); ++i) {
        mux << runProcess(QStringLiteral("ssh"), muxArgs);
    }
    const Stats muxStats = stats(mux);
    print("OpenSSH ControlMaster `ssh -S sock host true`", muxStats);
    QProcess::execute(QStringLiteral("ssh"), common + QStringList{QStringLiteral("-S"), control, QStringLiteral("-O"),
                                                                  QStringLiteral("exit"), sshd.host()});

    QList<double> fresh;
    const QStringList freshArgs = common + QStringList{QStringLiteral("-o"), QStringLiteral("ControlPath=none"),
                                                       sshd.host(), QStringLiteral("true")};
    for (int i = 0; i < 30; ++i) {
        fresh << runProcess(QStringLiteral("ssh"), freshArgs);
    }
    print("OpenSSH fresh `ssh host true`", stats(fresh));
    std::printf("  API median / multiplexed median: %.2f (target <= 0.5); API median target <= 4 ms\n\n",
                apiStats.median / muxStats.median);

    std::printf("50 idle connections\n");
    for (int i = 0; i < 50; ++i) {
        const QString name = QStringLiteral("idle-%1").arg(i);
        http.post(QStringLiteral("/api/dgx/connections"),
                  {{QStringLiteral("name"), name},
                   {QStringLiteral("hostname"), sshd.host()},
                   {QStringLiteral("port"), sshd.port()},
                   {QStringLiteral("username"), sshd.user()},
                   {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
        const auto r = http.post(QStringLiteral("/api/dgx/connect/") + name, {});
        if (r.status != 200) {
            std::fprintf(stderr, "connect %s failed: %s\n", qPrintable(name), r.body.constData());
            return 1;
        }
    }
    QThread::msleep(1000);
    const double cpuBefore = cpuSeconds();
    QElapsedTimer idle;
    idle.start();
    const int idleMs = 20000;
    QTimer::singleShot(idleMs, &app, &QCoreApplication::quit);
    app.exec();
    const double cpu = (cpuSeconds() - cpuBefore) / (idle.elapsed() / 1000.0) * 100.0;
    std::printf("  workers: %d   CPU: %.3f %% of one core over %d s   RSS: %.1f MB (targets < 1 %%, < 100 MB)\n",
                tc.core().ssh().workerCount(), cpu, idleMs / 1000, rssKb() / 1024.0);
    return 0;
}
