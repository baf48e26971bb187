#include "proxmox/ProxmoxApiSource.h"

#include "proxmox/ProxmoxLogging.h"
#include "proxmox/ProxmoxTypes.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslError>
#include <QUrl>
#include <QUrlQuery>
#include <memory>

namespace gpudeck {

ProxmoxApiSource::ProxmoxApiSource(Settings settings, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_settings(std::move(settings))
{
}

ProxmoxApiSource::~ProxmoxApiSource()
{
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_inFlight)) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
}

QString ProxmoxApiSource::fingerprintOf(const QSslCertificate &certificate)
{
    if (certificate.isNull()) {
        return {};
    }
    return normalizeCertFingerprint(QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex()));
}

void ProxmoxApiSource::get(const QString &path, const ProxmoxParams &query, Done done)
{
    send(QByteArrayLiteral("GET"), path, query, std::move(done));
}

void ProxmoxApiSource::post(const QString &path, const ProxmoxParams &params, Done done)
{
    send(QByteArrayLiteral("POST"), path, params, std::move(done));
}

std::optional<Error> ProxmoxApiSource::checkCertificate(const QString &presented) const
{
    if (!presented.isEmpty() && presented == m_settings.pinned) {
        return std::nullopt;
    }
    QJsonObject details{{QStringLiteral("fingerprint"), presented},
                        {QStringLiteral("host"), m_settings.host},
                        {QStringLiteral("port"), m_settings.port}};
    if (presented.isEmpty()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_tls_failed"),
                           QStringLiteral("%1:%2 presented no certificate").arg(m_settings.host).arg(m_settings.port),
                           details);
    }
    if (m_settings.pinned.isEmpty()) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("certificate_unknown"),
                           QStringLiteral("the certificate of %1:%2 is not known yet; its SHA-256 fingerprint is %3. "
                                          "Check it (the node's Certificates panel shows it) and accept it explicitly "
                                          "to use this node's API.")
                               .arg(m_settings.host)
                               .arg(m_settings.port)
                               .arg(presented),
                           details);
    }
    details.insert(QStringLiteral("pinned"), m_settings.pinned);
    return Error::make(ErrorCode::Forbidden, QStringLiteral("certificate_changed"),
                       QStringLiteral("REFUSED: the certificate of %1:%2 has CHANGED (now %3, pinned %4). This can "
                                      "mean someone is intercepting the connection, or the node's certificate was "
                                      "renewed. If you are sure the change is legitimate, accept the new fingerprint "
                                      "explicitly, replacing the old one.")
                           .arg(m_settings.host)
                           .arg(m_settings.port)
                           .arg(presented, m_settings.pinned),
                       details);
}

void ProxmoxApiSource::send(const QByteArray &method, const QString &path, const ProxmoxParams &params, Done done)
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(m_settings.host);
    url.setPort(m_settings.port);
    url.setPath(QStringLiteral("/api2/json") + path);
    QUrlQuery form;
    for (const auto &p : params) {
        form.addQueryItem(p.first, p.second);
    }
    const bool isGet = method == QByteArrayLiteral("GET");
    if (isGet && !params.isEmpty()) {
        url.setQuery(form);
    }
    QNetworkRequest request(url);
    if (!m_settings.tokenSecret.isEmpty()) {
        request.setRawHeader(QByteArrayLiteral("Authorization"),
                             "PVEAPIToken=" + m_settings.tokenId.toUtf8() + '=' + m_settings.tokenSecret.toUtf8());
    }
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_settings.timeoutMs);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer); // errors are reported, then ignored only for the pinned one
    request.setSslConfiguration(ssl);

    QNetworkReply *reply = nullptr;
    if (isGet) {
        reply = m_network->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/x-www-form-urlencoded"));
        reply = m_network->sendCustomRequest(request, method, form.toString(QUrl::FullyEncoded).toUtf8());
    }
    m_inFlight.append(reply);
    auto refusal = std::make_shared<std::optional<Error>>();
    auto verified = std::make_shared<bool>(false); // this reply's handshake presented the pinned certificate

    connect(reply, &QNetworkReply::sslErrors, this, [this, reply, refusal, verified](const QList<QSslError> &errors) {
        QSslCertificate cert = reply->sslConfiguration().peerCertificate();
        if (cert.isNull() && !errors.isEmpty()) {
            cert = errors.first().certificate();
        }
        *refusal = checkCertificate(fingerprintOf(cert));
        if (!*refusal) {
            *verified = true;
            reply->ignoreSslErrors(errors); // the pinned certificate: its issuer and name do not matter
        }
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply, refusal, verified] {
        // Also for a certificate a CA vouches for: only the pinned one is trusted.
        if (auto bad = checkCertificate(fingerprintOf(reply->sslConfiguration().peerCertificate()))) {
            *refusal = bad;
            reply->abort();
            return;
        }
        *verified = true;
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, refusal, verified, done = std::move(done)] {
        m_inFlight.removeAll(reply);
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
        if (!*refusal && status > 0 && !*verified && !peer.isNull()) {
            // A reused connection skips the handshake: check the certificate it was made with. (One with no
            // certificate recorded was verified when it was made, by this source: the network manager is its own.)
            *refusal = checkCertificate(fingerprintOf(peer));
        }
        if (*refusal) {
            done(**refusal);
            return;
        }
        if (status < 200 || status >= 300) {
            done(answerError(reply, status, body));
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            done(Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_bad_answer"),
                             QStringLiteral("%1:%2 answered %3 with something that is not JSON")
                                 .arg(m_settings.host)
                                 .arg(m_settings.port)
                                 .arg(reply->url().path())));
            return;
        }
        done(doc.object().value(QStringLiteral("data")));
    });
}

Error ProxmoxApiSource::answerError(QNetworkReply *reply, int status, const QByteArray &body) const
{
    const QString where = QStringLiteral("%1:%2").arg(m_settings.host).arg(m_settings.port);
    const QString path = reply->url().path().mid(int(qstrlen("/api2/json")));
    if (status == 0) {
        switch (reply->error()) {
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::TimeoutError:
            return Error::make(
                ErrorCode::Timeout, QStringLiteral("proxmox_timeout"),
                QStringLiteral("%1 did not answer %2 within %3 ms").arg(where, path).arg(m_settings.timeoutMs));
        case QNetworkReply::SslHandshakeFailedError:
            return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_tls_failed"),
                               QStringLiteral("TLS with %1 failed: %2").arg(where, reply->errorString()));
        default:
            return Error::make(
                ErrorCode::Upstream, QStringLiteral("proxmox_unreachable"),
                QStringLiteral("cannot reach the Proxmox API at %1: %2").arg(where, reply->errorString()));
        }
    }
    const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    if (status == 401) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_auth_failed"),
                           QStringLiteral("the Proxmox API at %1 refused the API token %2 (401 %3): check the token "
                                          "id and its secret")
                               .arg(where, m_settings.tokenId, phrase));
    }
    // Proxmox puts the reason in the status line, and parameter errors in {"errors": {...}}.
    QString message =
        QStringLiteral("the Proxmox API at %1 answered %2 with %3 %4").arg(where, path).arg(status).arg(phrase);
    const QJsonObject errors = QJsonDocument::fromJson(body).object().value(QStringLiteral("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it) {
        message += QStringLiteral("; %1: %2").arg(it.key(), it.value().toString().trimmed());
    }
    QJsonObject details{{QStringLiteral("proxmox_status"), status}};
    if (status == 403) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_forbidden"),
                           message + QStringLiteral(" (the token lacks a permission)"), details);
    }
    return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_error"), message, details);
}

} // namespace gpudeck
