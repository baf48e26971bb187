// The SSH link under load and faults, against a real OpenSSH sshd: channel lanes (streams cannot starve execs or
// supervision), timeouts counted from the request in every state, a frozen host declared down by unanswered
// keepalives, and a quick return once the host answers again.
#include "HttpClient.h"
#include "ProcMemory.h"
#include "SshServer.h"
#include "TestCore.h"
#include "base/SocketWrite.h"
#include "ssh/SshPool.h"
#include "store/SettingsRepository.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <atomic>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;

class TestSshLink : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    SshPool &pool() { return m_tc->core().ssh(); }

    // Creates and connects a key-authenticated connection named `name`; its id.
    qint64 ready(const QString &name)
    {
        const QJsonObject body{{QStringLiteral("name"), name},
                               {QStringLiteral("hostname"), m_sshd.host()},
                               {QStringLiteral("port"), m_sshd.port()},
                               {QStringLiteral("username"), m_sshd.user()},
                               {QStringLiteral("auth_method"), QStringLiteral("key")},
                               {QStringLiteral("ssh_key_path"), m_sshd.keyPath(QStringLiteral("ed25519"))}};
        const auto created = m_http->post(QStringLiteral("/api/dgx/connections"), body);
        if (created.status != 201) {
            qWarning() << created.body;
            return -1;
        }
        const auto connected = m_http->post(QStringLiteral("/api/dgx/connect/") + name,
                                            {{QStringLiteral("accept_fingerprint"), m_sshd.hostKeyFingerprint()}});
        if (connected.status != 200) {
            qWarning() << connected.body;
            return -1;
        }
        return created.object().value(QStringLiteral("id")).toInteger();
    }

    HttpReply exec(const QString &name, const QString &command, double timeoutS)
    {
        return m_http->post(QStringLiteral("/api/dgx/exec/") + name,
                            {{QStringLiteral("command"), command}, {QStringLiteral("timeout_s"), timeoutS}});
    }

    // A "host's" service on 127.0.0.1 that sends back what each connection sends it.
    bool startEcho(QTcpServer &service)
    {
        if (!service.listen(QHostAddress::LocalHost, 0)) {
            return false;
        }
        connect(&service, &QTcpServer::newConnection, this, [&service] {
            QTcpSocket *s = service.nextPendingConnection();
            connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
        });
        return true;
    }

    HttpReply putSettings(const QJsonObject &body) { return m_http->put(QStringLiteral("/api/config/ssh"), body); }

    static ExecOptions stream(const std::shared_ptr<ExecCancel> &cancel, std::atomic_int *chunks)
    {
        ExecOptions o;
        o.timeoutMs = 0;
        o.lane = ExecLane::Stream;
        o.collectOutput = false;
        o.cancel = cancel;
        o.onOutput = [chunks](const QByteArray &, bool) { ++*chunks; };
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void init()
    {
        if (!m_sshd.available()) {
            QSKIP("no sshd");
        }
        if (!m_sshd.isRunning()) {
            QString error;
            QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        }
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }

    void cleanup()
    {
        m_sshd.resume();
        m_http.reset();
        m_tc.reset();
    }

    void settingsRoute()
    {
        const auto defaults = m_http->get(QStringLiteral("/api/config/ssh"));
        QCOMPARE(defaults.status, 200);
        QCOMPARE(defaults.object().value(QStringLiteral("down_after_s")).toDouble(), 6.0);
        QCOMPARE(defaults.object().value(QStringLiteral("reconnect_probe_s")).toDouble(), 1.0);
        QCOMPARE(defaults.object().value(QStringLiteral("backoff_max_s")).toDouble(), 30.0);

        const auto changed = putSettings({{QStringLiteral("down_after_s"), 4.5}});
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.object().value(QStringLiteral("down_after_s")).toDouble(), 4.5);
        QCOMPARE(changed.object().value(QStringLiteral("backoff_max_s")).toDouble(), 30.0);
        QCOMPARE(pool().settings().downAfterMs, 4500);
        QCOMPARE(pool().settings().keepaliveIntervalMs(), 1500);
        // Stored, so the next start uses it.
        QCOMPARE(SettingsRepository(m_tc->core().database())
                     .value(QStringLiteral("ssh"))
                     .value(QStringLiteral("down_after_s"))
                     .toDouble(),
                 4.5);

        for (const QJsonObject &bad :
             {QJsonObject{{QStringLiteral("down_after_s"), 0.5}},
              QJsonObject{{QStringLiteral("down_after_s"), QStringLiteral("6")}},
              QJsonObject{{QStringLiteral("backoff_max_s"), 1e9}}, QJsonObject{{QStringLiteral("keepalive"), 1}}}) {
            const auto refused = putSettings(bad);
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), QStringLiteral("validation_failed"));
            QVERIFY(refused.object()
                        .value(QStringLiteral("error"))
                        .toObject()
                        .value(QStringLiteral("message"))
                        .toString()
                        .contains(bad.begin().key()));
        }
        QCOMPARE(pool().settings().downAfterMs, 4500); // nothing changed by a refused request
    }

    // Eight long streams on one host: five run, three wait; an interactive exec and a supervision poll still
    // answer on time, and a queued command's timeout counts from the moment it was asked.
    void streamsDoNotStarveExecsOrSupervision()
    {
        const qint64 id = ready(QStringLiteral("box"));
        QVERIFY(id > 0);
        const QString log = m_sshd.tempDir() + QStringLiteral("/followed.log");
        {
            QFile f(log);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("line\n");
            f.setPermissions(f.permissions() | QFileDevice::ReadOther);
        }
        const int channels = pool().settings().maxChannels;
        QCOMPARE(channels, 8);
        std::vector<std::shared_ptr<ExecCancel>> cancels;
        std::vector<std::unique_ptr<std::atomic_int>> chunks;
        QList<QFuture<Result<CommandResult>>> streams;
        for (int i = 0; i < 8; ++i) {
            cancels.push_back(std::make_shared<ExecCancel>());
            chunks.push_back(std::make_unique<std::atomic_int>(0));
            streams << pool().exec(id, QStringLiteral("tail -f %1").arg(log),
                                   stream(cancels.back(), chunks.back().get()));
        }
        auto started = [&] {
            return static_cast<int>(
                std::count_if(chunks.begin(), chunks.end(), [](const auto &c) { return c->load() > 0; }));
        };
        QTRY_COMPARE(started(), channels - 3);
        QTest::qWait(300);
        QCOMPARE(started(), channels - 3); // the other three wait for a stream to end

        QElapsedTimer t;
        t.start();
        const auto hello = exec(QStringLiteral("box"), QStringLiteral("echo hello"), 3);
        QCOMPARE(hello.status, 200);
        QCOMPARE(hello.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("hello\n"));
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));

        // Two long interactive commands take the last general channels...
        auto slow1 = pool().exec(id, QStringLiteral("sleep 4"), ExecOptions{});
        auto slow2 = pool().exec(id, QStringLiteral("sleep 4"), ExecOptions{});
        QTest::qWait(300);
        // ... so a third one waits, and its timeout runs while it waits: `timeout`, saying it never ran.
        t.restart();
        const auto queued = exec(QStringLiteral("box"), QStringLiteral("echo never"), 1);
        const qint64 queuedMs = t.elapsed();
        QCOMPARE(queued.status, 504);
        QCOMPARE(queued.errorCode(), QStringLiteral("timeout"));
        const QJsonObject error = queued.object().value(QStringLiteral("error")).toObject();
        QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("still queued")),
                 qPrintable(error.value(QStringLiteral("message")).toString()));
        QCOMPARE(error.value(QStringLiteral("phase")).toString(), QStringLiteral("queued"));
        QVERIFY2(queuedMs >= 1000 && queuedMs < 1500, qPrintable(QString::number(queuedMs)));

        // The last channel is kept for supervision: a job poll runs at once.
        ExecOptions poll;
        poll.lane = ExecLane::Supervision;
        poll.timeoutMs = 3000;
        t.restart();
        auto polled = pool().exec(id, QStringLiteral("echo polled"), poll);
        QTRY_VERIFY_WITH_TIMEOUT(polled.isFinished(), 3000);
        const qint64 pollMs = t.elapsed();
        QVERIFY2(polled.result().ok(), polled.result().ok() ? "" : qPrintable(polled.result().error().message));
        QCOMPARE(polled.result()->stdOut, QByteArray("polled\n"));
        QVERIFY2(pollMs < 1000, qPrintable(QString::number(pollMs)));
        qInfo("interactive exec beside 8 streams: answered; queued exec timeout 1 s answered after %lld ms; "
              "supervision poll answered after %lld ms",
              static_cast<long long>(queuedMs), static_cast<long long>(pollMs));

        // Ending the streams (running and queued) frees everything.
        for (const auto &c : cancels) {
            c->cancel();
        }
        for (auto &f : streams) {
            QTRY_VERIFY(f.isFinished());
            QVERIFY(!f.result().ok());
            QCOMPARE(f.result().error().reason, QStringLiteral("cancelled"));
        }
        QTRY_VERIFY_WITH_TIMEOUT(slow1.isFinished() && slow2.isFinished(), 10000);
        QVERIFY(slow1.result().ok() && slow2.result().ok());
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo free"), 3).status, 200);
    }

    // sshd stopped with SIGSTOP: TCP still accepts, nothing answers. The link is declared down within the
    // configured time, an exec's timeout holds to the second meanwhile, and the link is back within about a
    // second of SIGCONT.
    void frozenHostIsDeclaredDownAndComesBack()
    {
        QCOMPARE(putSettings({{QStringLiteral("down_after_s"), 3}}).status, 200);
        const qint64 id = ready(QStringLiteral("box"));
        QVERIFY(id > 0);
        auto inFlight = pool().exec(id, QStringLiteral("sleep 60"), ExecOptions{});
        std::atomic<int> stateWhenFailed{-1};
        inFlight.then([this, id, &stateWhenFailed](const Result<CommandResult> &) {
            stateWhenFailed = static_cast<int>(pool().status(id).state);
        });
        QTest::qWait(200);

        m_sshd.pause();
        QElapsedTimer frozen;
        frozen.start();
        const auto timedOut = exec(QStringLiteral("box"), QStringLiteral("echo hi"), 2);
        const qint64 execMs = frozen.elapsed();
        QCOMPARE(timedOut.status, 504);
        QCOMPARE(timedOut.errorCode(), QStringLiteral("timeout"));
        QVERIFY2(execMs >= 2000 && execMs < 2500, qPrintable(QString::number(execMs)));
        QCOMPARE(timedOut.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("phase")).toString(),
                 QStringLiteral("opening"));

        QTRY_COMPARE_WITH_TIMEOUT(pool().status(id).state, LinkState::Reconnecting, 6000);
        const qint64 downMs = frozen.elapsed();
        QVERIFY2(downMs < 3000 + 1000, qPrintable(QString::number(downMs)));
        QVERIFY(pool().status(id).reason.contains(QStringLiteral("no answer")));
        QTRY_VERIFY(inFlight.isFinished());
        QVERIFY(!inFlight.result().ok());
        QCOMPARE(inFlight.result().error().reason, QStringLiteral("connection_lost"));
        QTRY_COMPARE(stateWhenFailed.load(), static_cast<int>(LinkState::Reconnecting));
        QTRY_VERIFY(!m_tc->core().connections().get(id)->isActive);
        // While down, an exec is refused at once.
        QElapsedTimer refused;
        refused.start();
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("true"), 2).errorCode(), QStringLiteral("not_connected"));
        QVERIFY(refused.elapsed() < 500);

        // Longer than the first backoff steps, so only the probes can bring it back this fast.
        QTest::qWait(4000);
        m_sshd.resume();
        QElapsedTimer back;
        back.start();
        QTRY_COMPARE_WITH_TIMEOUT(pool().status(id).state, LinkState::Connected, 10000);
        const qint64 backMs = back.elapsed();
        QVERIFY2(backMs < 2500, qPrintable(QString::number(backMs)));
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo back"), 5)
                     .object()
                     .value(QStringLiteral("stdout"))
                     .toString(),
                 QStringLiteral("back\n"));
        qInfo("frozen host: exec timeout_s=2 answered after %lld ms; link declared down after %lld ms "
              "(down_after_s=3); connected again %lld ms after SIGCONT",
              static_cast<long long>(execMs), static_cast<long long>(downMs), static_cast<long long>(backMs));
    }

    // An outage longer than the backoff cap: the link returns within a couple of seconds of sshd, not after
    // the rest of a backoff step.
    void longOutageReconnectsSoonAfterTheHostReturns()
    {
        QCOMPARE(putSettings({{QStringLiteral("backoff_max_s"), 4}}).status, 200);
        const qint64 id = ready(QStringLiteral("box"));
        QVERIFY(id > 0);
        m_sshd.stop();
        QTRY_COMPARE_WITH_TIMEOUT(pool().status(id).state, LinkState::Reconnecting, 8000);
        QTest::qWait(9000); // the outage: more than twice the cap
        QString error;
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        QElapsedTimer back;
        back.start();
        QTRY_COMPARE_WITH_TIMEOUT(pool().status(id).state, LinkState::Connected, 15000);
        const qint64 backMs = back.elapsed();
        QVERIFY2(backMs < 2500, qPrintable(QString::number(backMs)));
        QCOMPARE(exec(QStringLiteral("box"), QStringLiteral("echo back"), 5).status, 200);
        qInfo("sshd restarted after a 9 s outage (backoff cap 4 s): connected again %lld ms later",
              static_cast<long long>(backMs));
    }

    // A worker let go while it is inside a blocking connect: disconnecting returns at once, the slot is free for
    // a new worker, and of the old one only its final "disconnected" is passed on.
    // A forwarded port carries bulk both ways, byte for byte, and a local reader that stops reading holds back its
    // own stream without GPU Deck holding what the host keeps sending: 64 MB from the host while the client reads
    // nothing for a while, 4 MB from the client, each checked with a checksum; GPU Deck's peak memory meanwhile.
    void forwardCarriesBulkAndHoldsBackAStalledReader()
    {
        const qint64 id = ready(QStringLiteral("fwd"));
        QVERIFY(id > 0);
        constexpr qint64 kDown = 64LL * 1024 * 1024; // more than every buffer on the way can hold
        constexpr qint64 kUp = 4LL * 1024 * 1024;
        auto byteAt = [](qint64 i) { return char((i * 131 + i / 4093) & 0xff); };
        auto fnv = [](quint64 h, const char *data, qsizetype n) {
            for (qsizetype i = 0; i < n; ++i) {
                h = (h ^ quint8(data[i])) * 1099511628211ULL;
            }
            return h;
        };
        constexpr quint64 kFnvStart = 1469598103934665603ULL;
        quint64 expectedDown = kFnvStart;
        quint64 expectedUp = kFnvStart;
        {
            QByteArray all(1024 * 1024, Qt::Uninitialized);
            for (qint64 done = 0; done < kDown; done += all.size()) {
                for (qsizetype i = 0; i < all.size(); ++i) {
                    all[i] = byteAt(done + i);
                }
                expectedDown = fnv(expectedDown, all.constData(), all.size());
                if (done < kUp) {
                    expectedUp = fnv(expectedUp, all.constData(), all.size());
                }
            }
        }
        // The "host's" service: sends kDown bytes as its socket has room, and checks what it receives.
        QTcpServer service;
        QVERIFY(service.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *remote = nullptr;
        qint64 sent = 0;
        qint64 receivedUp = 0;
        quint64 upSum = kFnvStart;
        auto pump = [&] {
            while (remote && sent < kDown && remote->bytesToWrite() < 512 * 1024) {
                QByteArray piece(64 * 1024, Qt::Uninitialized);
                for (qsizetype i = 0; i < piece.size(); ++i) {
                    piece[i] = byteAt(sent + i);
                }
                remote->write(piece);
                sent += piece.size();
            }
        };
        connect(&service, &QTcpServer::newConnection, this, [&] {
            remote = service.nextPendingConnection();
            connect(remote, &QTcpSocket::bytesWritten, this, pump);
            connect(remote, &QTcpSocket::readyRead, this, [&] {
                const QByteArray in = remote->readAll();
                upSum = fnv(upSum, in.constData(), in.size());
                receivedUp += in.size();
            });
            pump();
        });
        auto forwarded = pool().forward(id, service.serverPort());
        QTRY_VERIFY(forwarded.isFinished());
        if (!forwarded.result().ok()) {
            QFAIL(qPrintable(forwarded.result().error().message));
        }

        const qint64 rssBefore = test::procStatusKb("VmRSS");
        test::resetPeakMemory(); // the peak (VmHWM) starts again from here
        QTcpSocket client;
        client.setReadBufferSize(64 * 1024);
        client.connectToHost(QHostAddress::LocalHost, forwarded.result().value());
        QVERIFY(client.waitForConnected(5000));
        // The client sends its 4 MB and reads nothing for a while: the host keeps sending meanwhile.
        for (qint64 done = 0; done < kUp; done += 256 * 1024) {
            QByteArray piece(256 * 1024, Qt::Uninitialized);
            for (qsizetype i = 0; i < piece.size(); ++i) {
                piece[i] = byteAt(done + i);
            }
            client.write(piece);
        }
        QTRY_COMPARE_WITH_TIMEOUT(receivedUp, kUp, 20000);
        QCOMPARE(upSum, expectedUp);
        QTest::qWait(500); // still not reading: everything between the host and the stalled client fills up
        QVERIFY2(sent < kDown, "the whole download fit in the buffers: the stall held nothing back");
        qint64 receivedDown = 0;
        quint64 downSum = kFnvStart;
        QElapsedTimer timer;
        timer.start();
        while (receivedDown < kDown && timer.elapsed() < 60000) {
            if (client.bytesAvailable() == 0) {
                client.waitForReadyRead(100);
            }
            const QByteArray in = client.readAll();
            downSum = fnv(downSum, in.constData(), in.size());
            receivedDown += in.size();
            QCoreApplication::processEvents(); // the service's side lives on this thread too
        }
        QCOMPARE(receivedDown, kDown);
        QCOMPARE(downSum, expectedDown);
        const qint64 growthKb = test::procStatusKb("VmHWM") - rssBefore;
        QVERIFY2(growthKb < 16 * 1024, qPrintable(QStringLiteral("peak memory grew by %1 kB").arg(growthKb)));
    }

    // What a client of a forward sends may be written into the channel by the client's own thread (the forward's
    // LoopbackShortcut, as the proxy does) or go through its socket: mixed at random, the host receives every
    // record once and in the order sent, and both ways were taken.
    void forwardShortcutKeepsTheSocketsOrder()
    {
        const qint64 id = ready(QStringLiteral("shortcut"));
        QVERIFY(id > 0);
        QTcpServer service;
        QVERIFY(service.listen(QHostAddress::LocalHost, 0));
        QByteArray received;
        connect(&service, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *s = service.nextPendingConnection();
            connect(s, &QTcpSocket::readyRead, s, [s, &received] { received += s->readAll(); });
        });
        auto forwarded = pool().forward(id, service.serverPort());
        QTRY_VERIFY(forwarded.isFinished());
        QVERIFY(forwarded.result().ok());
        const quint16 port = forwarded.result().value();
        const std::optional<LocalForward> forward = pool().forwardedPort(id, service.serverPort());
        QVERIFY(forward.has_value() && forward->shortcut);

        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(5000));
        QByteArray expected = "open;";
        client.write(expected);
        QTRY_COMPARE(received, expected); // the stream's channel is open

        int direct = 0;
        int socket = 0;
        int n = 0;
        auto next = [&] {
            const QByteArray record = QByteArray::number(n++).rightJustified(6, '0') + ';';
            expected += record;
            return record;
        };
        auto viaSocket = [&](const QByteArray &record) {
            client.write(record);
            client.flush();
            ++socket;
        };
        for (int round = 0; round < 30; ++round) {
            // Once the link's thread has carried what the socket brought and gone back to wait, the next record
            // goes straight into the channel (a refusal writes nothing: asking again is safe).
            viaSocket(next());
            QTRY_COMPARE(received.size(), expected.size());
            const QByteArray record = next();
            bool delivered = false; // (QTRY_VERIFY evaluates its condition again once it holds)
            QTRY_VERIFY(delivered || (delivered = nothingUnsent(client) &&
                                                  forward->shortcut->deliver(port, client.localPort(), record)));
            ++direct;
            for (int i = 0; i < 8; ++i) { // then both ways at random, back to back
                const QByteArray more = next();
                if (QRandomGenerator::global()->bounded(2) == 0 && nothingUnsent(client) &&
                    forward->shortcut->deliver(port, client.localPort(), more)) {
                    ++direct;
                } else {
                    viaSocket(more);
                }
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), expected.size(), 10000);
        QCOMPARE(received, expected);
        qInfo("%d records written into the channel directly, %d through the socket", direct, socket);
        // A port nobody is connected from: refused, so the caller writes to its socket.
        QVERIFY(!forward->shortcut->deliver(port, 1, "x"));
    }

    // The shortcut while the session keeps exchanging keys (sshd's RekeyLimit 16K: a re-exchange every 16 KiB, so
    // many fall on a write from the client's thread, where libssh then reads the session for the link's thread):
    // request and echo pairs over a forward, written through the shortcut wherever it takes them, arrive whole and in
    // order both ways, and a command run meanwhile on the same link returns all of its output.
    void forwardShortcutThroughKeyExchanges()
    {
        m_sshd.setRekeyLimit(QStringLiteral("4K"));
        const auto restore = qScopeGuard([this] {
            m_sshd.setRekeyLimit({});
            m_sshd.restart(false);
        });
        QString error;
        QVERIFY2(m_sshd.restart(false, &error), qPrintable(error));
        const qint64 id = ready(QStringLiteral("rekey"));
        QVERIFY(id > 0);
        QTcpServer service;
        QVERIFY(startEcho(service));
        auto forwarded = pool().forward(id, service.serverPort());
        QTRY_VERIFY(forwarded.isFinished());
        QVERIFY(forwarded.result().ok());
        const quint16 port = forwarded.result().value();
        const std::optional<LocalForward> forward = pool().forwardedPort(id, service.serverPort());
        QVERIFY(forward.has_value());
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(5000));

        auto output = pool().exec(id, QStringLiteral("head -c 300000 /dev/zero | tr '\\0' x"), {});
        // Bursts of requests back to back, the echoes read as they come (the session has data to read at almost
        // any moment); after each burst every echo is in, and the next burst starts through the shortcut.
        QByteArray sent;
        QByteArray echoed;
        int direct = 0;
        auto readEchoes = [&](int waitMs) {
            QElapsedTimer t;
            t.start();
            do {
                QCoreApplication::processEvents(); // the echo lives on this thread
                if (waitMs > 0 && client.bytesAvailable() == 0) {
                    client.waitForReadyRead(10);
                }
                echoed += client.readAll();
            } while (echoed.size() < sent.size() && t.elapsed() < waitMs);
        };
        for (int i = 0; i < 2000; ++i) {
            const QByteArray request = QByteArray::number(i).rightJustified(6, '0').repeated(50); // 300 bytes
            sent += request;
            if (i % 100 == 0) {         // after a burst's echoes are all in: through the shortcut, once it is free
                bool delivered = false; // (QTRY_VERIFY evaluates its condition again once it holds)
                QTRY_VERIFY(delivered || (delivered = nothingUnsent(client) &&
                                                      forward->shortcut->deliver(port, client.localPort(), request)));
                ++direct;
            } else if (nothingUnsent(client) && forward->shortcut->deliver(port, client.localPort(), request)) {
                ++direct;
            } else {
                client.write(request);
                client.flush();
            }
            readEchoes(i % 100 == 99 ? 10000 : 0);
        }
        readEchoes(20000);
        QCOMPARE(echoed.size(), sent.size());
        QVERIFY(echoed == sent);
        QTRY_VERIFY_WITH_TIMEOUT(output.isFinished(), 20000);
        QVERIFY(output.result().ok());
        QCOMPARE(output.result().value().stdOut, QByteArray(300000, 'x'));
        QVERIFY2(direct > 0, "the shortcut was never taken");
        qInfo("%d of 2000 requests written into the channel directly", direct);
    }

    // A forward with no stream through it closes once it has been idle for forwardIdleMs (setForwardIdleMs, on the
    // running link); one with a stream open stays while the stream does. A forward asked for after the close is a
    // new one, and carries.
    void idleForwardCloses()
    {
        const qint64 id = ready(QStringLiteral("idle"));
        QVERIFY(id > 0);
        QTcpServer service;
        QVERIFY(startEcho(service));
        auto forwardNow = [&] {
            auto f = pool().forward(id, service.serverPort());
            return QTest::qWaitFor([&f] { return f.isFinished(); }, 5000) && f.result().ok() ? f.result().value()
                                                                                             : quint16(0);
        };
        auto echoes = [](quint16 port, QTcpSocket &client) {
            client.connectToHost(QHostAddress::LocalHost, port);
            if (!client.waitForConnected(3000)) {
                return false;
            }
            client.write("ping");
            QByteArray in;
            QElapsedTimer t;
            t.start();
            while (in.size() < 4 && t.elapsed() < 5000) {
                QCoreApplication::processEvents(); // the service answers on this thread
                client.waitForReadyRead(20);
                in += client.readAll();
            }
            return in == "ping";
        };
        const quint16 first = forwardNow();
        QVERIFY(first > 0);
        QTcpSocket busy;
        QVERIFY(echoes(first, busy));

        pool().setForwardIdleMs(50);
        QTest::qWait(300); // many idle periods: the open stream keeps the forward
        const std::optional<LocalForward> kept = pool().forwardedPort(id, service.serverPort());
        QVERIFY(kept.has_value());
        QCOMPARE(kept->port, first);
        QTcpSocket second;
        QVERIFY(echoes(first, second));

        busy.disconnectFromHost();
        second.disconnectFromHost();
        QTRY_VERIFY_WITH_TIMEOUT(!pool().forwardedPort(id, service.serverPort()).has_value(), 5000);
        QTcpSocket refused;
        refused.connectToHost(QHostAddress::LocalHost, first);
        QVERIFY(!refused.waitForConnected(1000) || !refused.waitForReadyRead(200)); // the listener is gone

        pool().setForwardIdleMs(60000);
        const quint16 again = forwardNow();
        QVERIFY(again > 0);
        QTcpSocket third;
        QVERIFY(echoes(again, third));
    }

    void disconnectDuringAConnectDoesNotWait()
    {
        QTcpServer silent; // accepts TCP, never sends a banner: libssh waits for its connect timeout
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        Connection c;
        c.name = QStringLiteral("silent");
        c.hostname = QStringLiteral("127.0.0.1");
        c.port = silent.serverPort();
        c.username = QStringLiteral("ubuntu");
        const auto created = m_tc->core().connections().create(c);
        QVERIFY(created.ok());
        auto connecting = pool().connectTo(created.value());
        QTRY_COMPARE(pool().status(created->id).state, LinkState::Connecting);
        QSignalSpy reports(&pool(), &SshPool::statusChanged);
        QElapsedTimer t;
        t.start();
        pool().disconnectFrom(created->id);
        QVERIFY2(t.elapsed() < 200, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(pool().workerCount(), 0);
        QCOMPARE(pool().status(created->id).state, LinkState::Disconnected);
        QTRY_VERIFY_WITH_TIMEOUT(connecting.isFinished(), 20000);
        QVERIFY(!connecting.result().ok());
        QTRY_VERIFY_WITH_TIMEOUT(!reports.isEmpty(), 5000);
        QTest::qWait(50);
        for (const QList<QVariant> &args : std::as_const(reports)) {
            QCOMPARE(args.at(1).value<LinkStatus>().state, LinkState::Disconnected);
        }
        QVERIFY(!m_tc->core().connections().get(created->id)->isActive);
    }
};

QTEST_GUILESS_MAIN(TestSshLink)
#include "tst_ssh_link.moc"
