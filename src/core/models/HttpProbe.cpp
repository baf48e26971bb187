#include "models/HttpProbe.h"

#include "ssh/SshPool.h"

#include <QElapsedTimer>
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

QString shellQuote(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
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
    HostReach &reach = m_reach[target.address];
    const bool sshUsable = target.sshConnected && target.connectionId > 0;
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
            known = {Reach::Direct, QDateTime::currentDateTimeUtc()};
            done(r);
            return;
        }
        if (known.reach == Reach::Direct || !sshUsable) {
            done(r);
            return;
        }
        // Could not connect from here: ask the host itself.
        self->overSsh(target, port, path, timeoutMs, [self, target, direct = r, done](const ProbeResult &viaSsh) {
            if (self && viaSsh.answered()) {
                self->m_reach[target.address] = {Reach::SshOnly, QDateTime::currentDateTimeUtc()};
            }
            if (viaSsh.answered() || viaSsh.refused) {
                done(viaSsh);
            } else {
                done(direct);
            }
        });
    });
}

void HttpProbe::direct(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                       std::function<void(const ProbeResult &)> done)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://%1:%2%3").arg(hostPart(target.address)).arg(port).arg(path)));
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
    const int seconds = std::max(1, (timeoutMs + 999) / 1000);
    const QString url = QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
    const QString command =
        QStringLiteral("curl -s -m %1 -o - -w '\\n%{http_code}' %2").arg(seconds).arg(shellQuote(url));
    ExecOptions options;
    options.timeoutMs = timeoutMs + 5000;
    options.maxOutputBytes = 4 * 1024 * 1024;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    auto finish = [timer, done](Result<CommandResult> result) {
        ProbeResult r;
        r.viaSsh = true;
        r.elapsedMs = timer->elapsed();
        if (!result.ok()) {
            r.error = QStringLiteral("over SSH: %1").arg(result.error().message);
            done(r);
            return;
        }
        const CommandResult &c = result.value();
        if (c.exitCode == 127) {
            r.error = QStringLiteral("the host has no curl for probing over SSH");
            done(r);
            return;
        }
        const qsizetype cut = c.stdOut.lastIndexOf('\n');
        const int status = c.stdOut.mid(cut + 1).trimmed().toInt();
        if (status > 0) {
            r.status = status;
            r.body = c.stdOut.left(std::max<qsizetype>(cut, 0));
        } else {
            r.refused = c.exitCode == 7; // curl: failed to connect
            r.error = c.exitCode == 28 ? QStringLiteral("timed out") : QStringLiteral("curl exit %1").arg(c.exitCode);
        }
        done(r);
    };
    m_pool.exec(target.connectionId, command, options).then(this, finish).onCanceled(this, [finish] {
        finish(Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"), QStringLiteral("cancelled")));
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
