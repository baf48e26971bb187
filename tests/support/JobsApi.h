#pragma once

#include "HttpClient.h"
#include "SshServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QStringList>
#include <QTcpSocket>

namespace gpudeck::test::jobs {

// What the launched-job tests (tmux and Slurm alike) do over the API, written once.

// A connection `name` to the test sshd (connected, its host key trusted) and a project on it with `backend`,
// working in the home directory. Returns the project id, or -1 (with the reason logged).
inline int setUpHost(HttpClient &http, const SshServer &sshd, const QString &name, const QString &backend)
{
    const auto c = http.post(QStringLiteral("/api/dgx/connections"),
                             {{QStringLiteral("name"), name},
                              {QStringLiteral("hostname"), sshd.host()},
                              {QStringLiteral("port"), sshd.port()},
                              {QStringLiteral("username"), sshd.user()},
                              {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
    const auto connected = http.post(QStringLiteral("/api/dgx/connect/") + name,
                                     {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}});
    const auto p = http.post(QStringLiteral("/api/dgx/projects"), {{QStringLiteral("connection_id"), name},
                                                                   {QStringLiteral("name"), QStringLiteral("train")},
                                                                   {QStringLiteral("remote_path"), QStringLiteral("~")},
                                                                   {QStringLiteral("backend"), backend}});
    if (c.status != 201 || connected.status != 200 || p.status != 201) {
        qWarning() << "setting up the host failed:" << c.body << connected.body << p.body;
        return -1;
    }
    return p.object().value(QStringLiteral("id")).toInt();
}

// A job running `command` (plus any other job fields in `extra`); its id, or -1 when refused.
inline int createJob(HttpClient &http, int project, const QString &command, const QJsonObject &extra = {})
{
    QJsonObject body{{QStringLiteral("project_id"), project},
                     {QStringLiteral("name"), QStringLiteral("job")},
                     {QStringLiteral("command"), command}};
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        body.insert(it.key(), it.value());
    }
    const auto r = http.post(QStringLiteral("/api/dgx/jobs"), body);
    return r.status == 201 ? r.object().value(QStringLiteral("id")).toInt() : -1;
}

inline QJsonObject job(HttpClient &http, int id)
{
    return http.get(QStringLiteral("/api/dgx/jobs/%1").arg(id)).object();
}

inline QString status(HttpClient &http, int id)
{
    return job(http, id).value(QStringLiteral("status")).toString();
}

inline HttpReply start(HttpClient &http, int id)
{
    return http.post(QStringLiteral("/api/dgx/jobs/%1/start").arg(id), {});
}

inline QStringList logLines(HttpClient &http, int id, int tail = 100)
{
    QStringList out;
    const QJsonArray lines = http.get(QStringLiteral("/api/dgx/jobs/%1/logs?tail=%2").arg(id).arg(tail))
                                 .object()
                                 .value(QStringLiteral("lines"))
                                 .toArray();
    for (const QJsonValue &v : lines) {
        out << v.toString();
    }
    return out;
}

// What GET /api/dgx/jobs/<id>/logs?follow=true sent, read on a raw socket until "event: end" or the timeout,
// and when `marker` first showed up (-1: never), to tell lines that stream from lines sent at the end.
struct FollowedLog
{
    QByteArray received;
    qint64 markerAtMs = -1;
    qint64 elapsedMs = 0;
};

inline FollowedLog followLog(quint16 port, const QByteArray &token, int id, const QByteArray &marker, int timeoutMs)
{
    FollowedLog out;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000)) {
        return out;
    }
    socket.write("GET /api/dgx/jobs/" + QByteArray::number(id) +
                 "/logs?follow=true&tail=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Authorization: Bearer " +
                 token + "\r\n\r\n");
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && !out.received.contains("event: end")) {
        socket.waitForReadyRead(200);
        out.received += socket.readAll();
        if (out.markerAtMs < 0 && out.received.contains(marker)) {
            out.markerAtMs = t.elapsed();
        }
    }
    out.elapsedMs = t.elapsed();
    return out;
}

} // namespace gpudeck::test::jobs
