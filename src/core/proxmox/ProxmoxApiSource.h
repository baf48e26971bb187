#pragma once

#include "proxmox/ProxmoxSource.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;
class QSslCertificate;

namespace gpudeck {

// A Proxmox VE node's HTTPS API, https://host:port/api2/json, authenticated by an API token
// (`Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`).
//
// The node's certificate is usually self-signed, so it is trusted by its pinned SHA-256 fingerprint, as SSH trusts a
// host key: certificate errors (self-signed, wrong host name, unknown CA) are ignored only when the certificate's
// fingerprint is the pinned one. With nothing pinned every call fails with certificate_unknown (409, details: the
// fingerprint, to be shown and accepted explicitly); with another one pinned, certificate_changed (403). The check
// runs before the request is written (sslErrors, encrypted), so the token never reaches an unverified server, and
// again on every answer (a reused connection).
//
// Lives on the Proxmox worker thread, with a network manager of its own: a new source (a new pin, token or host)
// never reuses a connection an older one made. The secret stays in memory only, never in a message.
class ProxmoxApiSource : public QObject, public ProxmoxSource
{
    Q_OBJECT
public:
    struct Settings
    {
        QString host;
        int port = 8006;
        QString tokenId;     // USER@REALM!TOKENID
        QString tokenSecret; // from the keychain; empty: no Authorization header (a trust probe)
        QString pinned;      // normalizeCertFingerprint() form; empty: nothing trusted yet
        int timeoutMs = 15000;
    };

    explicit ProxmoxApiSource(Settings settings, QObject *parent = nullptr);
    ~ProxmoxApiSource() override; // aborts what is in flight; their answers are dropped

    QString kind() const override { return QStringLiteral("api"); }
    void get(const QString &path, const ProxmoxParams &query, Done done) override;
    void post(const QString &path, const ProxmoxParams &params, Done done) override;

    // The certificate's fingerprint as normalizeCertFingerprint() writes it.
    static QString fingerprintOf(const QSslCertificate &certificate);

private:
    void send(const QByteArray &method, const QString &path, const ProxmoxParams &params, Done done);
    // The refusal for a certificate whose fingerprint is `presented`, or none when it is the pinned one.
    std::optional<Error> checkCertificate(const QString &presented) const;
    Error answerError(QNetworkReply *reply, int status, const QByteArray &body) const;

    QNetworkAccessManager *m_network = nullptr; // a child
    Settings m_settings;
    QList<QPointer<QNetworkReply>> m_inFlight;
};

} // namespace gpudeck
