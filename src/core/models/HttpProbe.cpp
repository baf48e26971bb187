#include "models/HttpProbe.h"

#include "base/HostAddress.h"
#include "ssh/SshPool.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <memory>

namespace gpudeck {
namespace {

constexpr qint64 kDirectRetryMs = 5 * 60 * 1000;

QString hostPart(const QString &address)
{
    return address.contains(QLatin1Char(':')) ? QLatin1Char('[') + address + QLatin1Char(']') : address;
}

} // namespace

QString ProbeResult::describe() const
{
    if (answered()) {
        return QStringLiteral("HTTP %1").arg(status);
    }
    if (refused) {
        return QStringLiteral("connection refused");
    }
    return error.isEmpty() ? QStringLiteral("no answer") : error;
}

HttpProbe::HttpProbe(SshPool &pool, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_nam(new QNetworkAccessManager(this))
{
}

HttpProbe::~HttpProbe() = default;

void HttpProbe::get(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                    std::function<void(const ProbeResult &)> done)
{
    const bool sshUsable = target.sshConnected && target.connectionId > 0;
    if (target.viaSsh) {
        if (!sshUsable) {
            ProbeResult r;
            r.viaSsh = true;
            r.error = QStringLiteral("%1 is reached through its SSH link (via: ssh), which is not connected")
                          .arg(target.host);
            done(r);
            return;
        }
        overSsh(target, port, path, timeoutMs, std::move(done));
        return;
    }
    HostReach &reach = m_reach[target.address];
    if (reach.reach == Reach::SshOnly && sshUsable &&
        reach.since.msecsTo(QDateTime::currentDateTimeUtc()) < kDirectRetryMs) {
        overSsh(target, port, path, timeoutMs, std::move(done));
        return;
    }
    QPointer<HttpProbe> self(this);
    direct(target, port, path, timeoutMs, [self, target, port, path, timeoutMs, sshUsable, done](const ProbeResult &r) {
        if (!self) {
            return;
        }
        HostReach &known = self->m_reach[target.address];
        if (r.answered()) {
            const bool was = known.reach == Reach::SshOnly;
            known = {Reach::Direct, QDateTime::currentDateTimeUtc()};
            if (was) {
                self->setReach(target.address, false);
            }
            done(r);
            return;
        }
        if (known.reach == Reach::Direct || !sshUsable) {
            done(r);
            return;
        }
        // Could not connect from here: go through the host's SSH link.
        self->overSsh(target, port, path, timeoutMs, [self, target, direct = r, done](const ProbeResult &viaSsh) {
            if (self && viaSsh.answered()) {
                self->m_reach[target.address] = {Reach::SshOnly, QDateTime::currentDateTimeUtc()};
                self->setReach(target.address, true);
            }
            if (viaSsh.answered() || viaSsh.refused) {
                done(viaSsh);
            } else {
                done(direct);
            }
        });
    });
}

void HttpProbe::setReach(const QString &address, bool tunnelled)
{
    if (m_observer) {
        m_observer(address, tunnelled);
    }
}

void HttpProbe::direct(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                       std::function<void(const ProbeResult &)> done)
{
    QHostAddress literal;
    if (literal.setAddress(target.address)) {
        fetch(target.address, port, path, timeoutMs, std::move(done));
        return;
    }
    if (const QString known = m_resolved.value(target.address); !known.isEmpty()) {
        fetch(known, port, path, timeoutMs, std::move(done));
        return;
    }
    // Resolved here rather than by the network access manager, which may try an IPv6 address first (a `.local`
    // name often resolves to one) that the serving process does not listen on.
    QPointer<HttpProbe> self(this);
    const QString name = target.address;
    QHostInfo::lookupHost(name, this, [self, name, port, path, timeoutMs, done](const QHostInfo &info) {
        if (!self) {
            return;
        }
        const QString chosen = preferIPv4(info.addresses()).toString(); // empty when there is none
        if (chosen.isEmpty()) {
            ProbeResult r;
            r.error = QStringLiteral("cannot resolve %1: %2").arg(name, info.errorString());
            done(r);
            return;
        }
        self->m_resolved.insert(name, chosen);
        self->fetch(chosen, port, path, timeoutMs, done);
    });
}

void HttpProbe::fetch(const QString &address, int port, const QString &path, int timeoutMs,
                      std::function<void(const ProbeResult &)> done)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://%1:%2%3").arg(hostPart(address)).arg(port).arg(path)));
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QNetworkReply *reply = m_nam->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, timer, done] {
        reply->deleteLater();
        ProbeResult r;
        r.elapsedMs = timer->elapsed();
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (r.status > 0) {
            r.body = reply->readAll();
        } else {
            r.refused = reply->error() == QNetworkReply::ConnectionRefusedError;
            r.error = reply->error() == QNetworkReply::OperationCanceledError ? QStringLiteral("timed out")
                                                                              : reply->errorString();
        }
        done(r);
    });
}

void HttpProbe::overSsh(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                        std::function<void(const ProbeResult &)> done)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<HttpProbe> self(this);
    auto through = [self, port, path, timeoutMs, timer, done](const Result<quint16> &local) {
        if (!self) {
            return;
        }
        if (!local.ok()) {
            ProbeResult r;
            r.viaSsh = true;
            r.elapsedMs = timer->elapsed();
            r.error = QStringLiteral("through the SSH link: %1").arg(local.error().message);
            done(r);
            return;
        }
        self->fetch(QStringLiteral("127.0.0.1"), local.value(), path, timeoutMs, [port, done](ProbeResult r) {
            r.viaSsh = true;
            if (!r.answered() && r.error != QStringLiteral("timed out")) {
                // The host could not connect to the port (its channel was refused): as a refused direct connect.
                r.refused = true;
                r.error = QStringLiteral("nothing listens on port %1 of the host (through the SSH link)").arg(port);
            }
            done(r);
        });
    };
    m_pool.forward(target.connectionId, port).then(this, through).onCanceled(this, [through] {
        through(Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"), QStringLiteral("cancelled")));
    });
}

QStringList HttpProbe::listedModels(const QByteArray &body)
{
    QStringList ids;
    const QJsonArray data = QJsonDocument::fromJson(body).object().value(QStringLiteral("data")).toArray();
    for (const QJsonValue &v : data) {
        const QString id = v.toObject().value(QStringLiteral("id")).toString();
        if (!id.isEmpty()) {
            ids << id;
        }
    }
    return ids;
}

} // namespace gpudeck
