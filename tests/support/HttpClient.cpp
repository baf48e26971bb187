#include "HttpClient.h"

#include <QElapsedTimer>
#include <QTcpSocket>

namespace gpudeck::test {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            return h.second;
        }
    }
    return {};
}

HttpClient::HttpClient(quint16 port, QByteArray token)
    : m_port(port)
    , m_token(std::move(token))
{
}

HttpReply HttpClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                              QList<QPair<QByteArray, QByteArray>> headers, bool withToken, bool jsonContentType) const
{
    HttpReply reply;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
    if (!socket.waitForConnected(5000)) {
        return reply;
    }
    bool hasHost = false;
    for (const auto &h : headers) {
        hasHost = hasHost || h.first.compare("host", Qt::CaseInsensitive) == 0;
    }
    QByteArray raw = method + ' ' + path.toUtf8() + " HTTP/1.1\r\n";
    if (!hasHost) {
        raw += "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    }
    if (withToken) {
        raw += "Authorization: Bearer " + m_token + "\r\n";
    }
    if (!body.isEmpty() && jsonContentType) {
        raw += "Content-Type: application/json\r\n";
    }
    for (const auto &h : headers) {
        raw += h.first + ": " + h.second + "\r\n";
    }
    raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    socket.write(raw);

    QByteArray response;
    QElapsedTimer timer;
    timer.start();
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    while (timer.elapsed() < 10000) {
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) {
            break;
        }
        socket.waitForReadyRead(200);
        response += socket.readAll();
        if (headerEnd < 0) {
            headerEnd = response.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                const QList<QByteArray> lines = response.left(headerEnd).split('\n');
                reply.status = lines.value(0).split(' ').value(1).toInt();
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const QByteArray line = lines.at(i).trimmed();
                    const qsizetype colon = line.indexOf(':');
                    if (colon > 0) {
                        reply.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
                    }
                }
                contentLength = reply.header("content-length").toLongLong();
            }
        }
        if (headerEnd >= 0 && response.size() - headerEnd - 4 >= contentLength) {
            break;
        }
    }
    if (headerEnd >= 0) {
        reply.body = response.mid(headerEnd + 4, contentLength);
    }
    return reply;
}

} // namespace gpudeck::test
