#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace gpudeck::test {

struct HttpReply
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    QString errorCode() const
    {
        return object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
    QByteArray header(const QByteArray &name) const;
};

// A minimal blocking HTTP/1.1 client over a real TCP socket, so tests control every header byte
// (Host, Origin, Content-Type) and see exactly what the server writes.
class HttpClient
{
public:
    HttpClient(quint16 port, QByteArray token);

    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                      QList<QPair<QByteArray, QByteArray>> headers = {}, bool withToken = true,
                      bool jsonContentType = true) const;

    HttpReply get(const QString &path) const { return request("GET", path); }
    HttpReply del(const QString &path) const { return request("DELETE", path); }
    HttpReply post(const QString &path, const QJsonObject &body) const
    {
        return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    HttpReply put(const QString &path, const QJsonObject &body) const
    {
        return request("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

private:
    quint16 m_port;
    QByteArray m_token;
};

} // namespace gpudeck::test
