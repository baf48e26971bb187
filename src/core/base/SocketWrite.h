#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QTcpSocket;

namespace gpudeck {

// Writes `data` to a connected TCP socket now: straight to the kernel while Qt holds nothing unsent for the socket,
// and only what the kernel does not take at once through Qt's buffer (sent when the socket has room again, with
// bytesWritten as usual). QTcpSocket::write() followed by flush() switches the socket's write notifier on and off
// around every answer, which costs event-loop bookkeeping and a wake-up per write; a proxy or API answer mostly
// fits the kernel's buffer whole. An error is left for Qt to find when it writes the rest. When this thread's outbox
// holds bytes for the socket (writeAtPassEnd), `data` joins them there, in order.
void writeNow(QTcpSocket &socket, QByteArrayView data);

// Writes `data` once this thread's event loop has handled everything that woke it in this pass (the dispatcher's
// awake after the pass, or its aboutToBlock before the next), then as writeNow does. Under load a pass handles many
// connections (client requests and upstream answers ready together); sent at its end, they wake each peer once, not
// one peer in the middle of the pass, which then preempts this thread on its CPU. Kept in order with writeNow on the
// same socket; nothingUnsent sees it; sendQueued sends it before a close; dropped for a socket deleted or disconnected
// meanwhile. Only for a thread whose event loop runs (the API threads): on one without an event dispatcher it is
// writeNow, but on one that has a dispatcher and never runs a pass the bytes would wait for ever.
void writeAtPassEnd(QTcpSocket &socket, QByteArray data);
// Sends what this thread's outbox holds for the socket now (before closing or half-closing it).
void sendQueued(QTcpSocket &socket);

// True when nothing written to the socket is still waiting on this side: neither in the outbox, in Qt's buffer nor in
// the kernel's send queue unsent (a loopback peer whose receive buffer is full leaves it there). What is in flight
// beyond that is in the peer's receive queue, where the peer sees it.
bool nothingUnsent(const QTcpSocket &socket);
// The receiving side's twin: nothing that came in waits to be read, neither in Qt's buffer nor in the kernel's
// receive queue.
bool nothingUnread(const QTcpSocket &socket);

} // namespace gpudeck
