#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QTcpSocket;

namespace gpudeck {

// Writes `data` to a connected TCP socket now: straight to the kernel while Qt holds nothing unsent for the socket,
// and only what the kernel does not take at once through Qt's buffer (sent when the socket has room again, with
// bytesWritten as usual). QTcpSocket::write() followed by flush() switches the socket's write notifier on and off
// around every answer, which costs event-loop bookkeeping and a wake-up per write; a proxy or API answer mostly
// fits the kernel's buffer whole. An error is left for Qt to find when it writes the rest.
// Behind what this thread's outbox holds for the socket (writeAtPassEnd), in order.
void writeNow(QTcpSocket &socket, QByteArrayView data);

// Writes `data` once the thread's event loop has handled everything that woke it in this pass (the dispatcher's
// awake after the pass, or aboutToBlock before the next), then as writeNow does. A pass that answers several connections (a proxy under load: client requests and upstream
// answers ready together) then wakes each peer once it is done, instead of waking one in the middle of the pass
// and being preempted by it on this CPU. In order with writeNow, and sent before sendQueued, nothingUnsent and a
// socket's close by HttpConnection; dropped for a socket deleted or disconnected meanwhile. Without an event loop on
// this thread it is writeNow.
void writeAtPassEnd(QTcpSocket &socket, QByteArray data);
// Sends what this thread's outbox holds for the socket now (before closing or half-closing it).
void sendQueued(QTcpSocket &socket);

// True when nothing written to the socket is still waiting on this side: neither in the outbox, in Qt's buffer nor in the
// kernel's send queue unsent (a loopback peer whose receive buffer is full leaves it there). What is in flight
// beyond that is in the peer's receive queue, where the peer sees it.
bool nothingUnsent(const QTcpSocket &socket);
// The receiving side's twin: nothing that came in waits to be read, neither in Qt's buffer nor in the kernel's
// receive queue.
bool nothingUnread(const QTcpSocket &socket);

} // namespace gpudeck
