// base/SocketWrite's outbox on real loopback sockets: a write for the end of the event loop's pass waits for it, keeps
// its order with writeNow, is seen by nothingUnsent, leaves at once with sendQueued, and is dropped without a word
// for a socket deleted or closed meanwhile.
#include "base/SocketWrite.h"

#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <memory>
#include <sys/socket.h>

using namespace gpudeck;

namespace {

// A connected pair on loopback, both ends on this thread.
struct Pair
{
    QTcpServer server;
    std::unique_ptr<QTcpSocket> client = std::make_unique<QTcpSocket>();
    std::unique_ptr<QTcpSocket> peer;

    bool open()
    {
        if (!server.listen(QHostAddress::LocalHost)) {
            return false;
        }
        client->connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!client->waitForConnected(5000) || !server.waitForNewConnection(5000)) {
            return false;
        }
        peer.reset(server.nextPendingConnection());
        peer->setParent(nullptr);
        return peer != nullptr;
    }

    // Bytes that reached the peer's kernel queue, read without running the event loop (nothing if none yet); before
    // a pass of the loop, the peer's Qt buffer is empty.
    QByteArray arrived() const
    {
        QByteArray out;
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(int(peer->socketDescriptor()), buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0) {
                return out;
            }
            out.append(buffer, n);
        }
    }

    // Reads until `size` bytes came (a blocking wait: the sender's loop has already sent them), from the peer's Qt
    // buffer (its loop may have read them) and its kernel queue.
    QByteArray read(qsizetype size) const
    {
        QByteArray out = peer->readAll() + arrived();
        while (out.size() < size && peer->waitForReadyRead(5000)) {
            out += peer->readAll();
        }
        return out;
    }
};

// One pass of this thread's event loop, as QThread::exec() runs them.
void onePass()
{
    QEventLoop loop;
    QTimer::singleShot(0, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

class TestSocketWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void waitsForThePassAndKeepsOrder()
    {
        Pair p;
        QVERIFY(p.open());
        QVERIFY(nothingUnsent(*p.client));
        writeAtPassEnd(*p.client, "one ");
        writeNow(*p.client, "two "); // behind what waits, not ahead of it
        writeAtPassEnd(*p.client, "three");
        QVERIFY(!nothingUnsent(*p.client));
        QCOMPARE(p.arrived(), QByteArray());
        onePass();
        QVERIFY(nothingUnsent(*p.client));
        QCOMPARE(p.read(13), QByteArray("one two three"));
        // With nothing waiting, writeNow sends at once.
        writeNow(*p.client, "four");
        QCOMPARE(p.read(4), QByteArray("four"));
    }

    void manySocketsInOnePass()
    {
        std::vector<std::unique_ptr<Pair>> pairs;
        for (int i = 0; i < 5; ++i) {
            pairs.push_back(std::make_unique<Pair>());
            QVERIFY(pairs.back()->open());
        }
        for (int round = 0; round < 3; ++round) {
            for (size_t i = 0; i < pairs.size(); ++i) {
                writeAtPassEnd(*pairs[i]->client, QByteArray::number(qulonglong(i)) + char('a' + round));
            }
        }
        for (const auto &p : pairs) {
            QCOMPARE(p->arrived(), QByteArray());
        }
        onePass();
        for (size_t i = 0; i < pairs.size(); ++i) {
            const QByteArray n = QByteArray::number(qulonglong(i));
            QCOMPARE(pairs[i]->read(6), n + 'a' + n + 'b' + n + 'c');
        }
    }

    void sendQueuedSendsAtOnce()
    {
        Pair p;
        QVERIFY(p.open());
        writeAtPassEnd(*p.client, "before the close");
        sendQueued(*p.client);
        QVERIFY(nothingUnsent(*p.client));
        QCOMPARE(p.read(16), QByteArray("before the close"));
        onePass(); // nothing is sent twice
        QCOMPARE(p.peer->readAll() + p.arrived(), QByteArray());
    }

    void droppedForAGoneOrClosedSocket()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        Pair gone;
        QVERIFY(gone.open());
        writeAtPassEnd(*gone.client, "never");
        gone.client.reset();
        Pair closed;
        QVERIFY(closed.open());
        writeAtPassEnd(*closed.client, "never");
        closed.client->abort();
        Pair alive;
        QVERIFY(alive.open());
        writeAtPassEnd(*alive.client, "still sent");
        onePass();
        QCOMPARE(alive.read(10), QByteArray("still sent"));
    }
};

QTEST_GUILESS_MAIN(TestSocketWrite)
#include "tst_socket_write.moc"
