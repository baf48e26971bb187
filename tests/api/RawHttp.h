#pragma once

#include "ProcMemory.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

// Helpers for tests that speak raw bytes to the API over a real socket (malformed framing, slow or huge
// requests), where HttpClient's well-formed requests cannot go.
namespace gpudeck::test::raw {

// The first answer in `bytes`: status, and the body when the answer is complete.
struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    bool complete = false; // the whole body has arrived

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
    // {"error":{"code","message"}} with a non-empty code and message.
    bool isJsonError() const
    {
        const QJsonObject e = json().value(QStringLiteral("error")).toObject();
        return !e.value(QStringLiteral("code")).toString().isEmpty() &&
               !e.value(QStringLiteral("message")).toString().isEmpty();
    }
};

inline Answer parse(const QByteArray &bytes)
{
    Answer a;
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (!bytes.startsWith("HTTP/1.1 ") || end < 0) {
        return a;
    }
    a.head = bytes.left(end);
    a.status = bytes.mid(9, 3).toInt();
    qsizetype length = 0;
    for (const QByteArray &line : a.head.split('\n')) {
        if (line.toLower().startsWith("content-length:")) {
            length = line.mid(15).trimmed().toLongLong();
        }
    }
    if (bytes.size() >= end + 4 + length) {
        a.body = bytes.mid(end + 4, length);
        a.complete = true;
    }
    return a;
}

// Sends `request` on a fresh connection and reads until the server closes it (or `timeoutMs` passes; or,
// with `untilAnswered`, until a complete answer has arrived). `closed` tells whether the server closed it.
inline QByteArray exchange(quint16 port, const QByteArray &request, int timeoutMs = 5000, bool *closed = nullptr,
                           bool untilAnswered = false)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(3000)) {
        return {};
    }
    socket.write(request);
    QByteArray in;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(50);
        in += socket.readAll();
        if (untilAnswered && parse(in).complete) {
            break;
        }
    }
    in += socket.readAll();
    if (closed) {
        *closed = socket.state() != QAbstractSocket::ConnectedState;
    }
    return in;
}

// This process's resident memory, in KiB (/proc/self/status VmRSS).
inline qint64 rssKb()
{
    return procStatusKb("VmRSS");
}

} // namespace gpudeck::test::raw
