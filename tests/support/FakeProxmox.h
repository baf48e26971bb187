#pragma once

// FakeProxmox: a Proxmox VE API served over HTTPS on loopback for tests, answering the paths GPU Deck uses with the
// shapes of the Proxmox API schema (tests/proxmox/data/api-subset.json, a copy of the spec). Its certificate
// is self-signed and made at start with `openssl req -x509` in a temporary directory; renewCertificate() makes a new
// one (a "changed" certificate for later connections). Every answer says Connection: close, so each request makes a
// new TLS handshake and a renewed certificate is seen at once.
//
// The cluster: "lab", nodes pve1..pve3 online, guests 100 (qemu "web", pve1, running), 101 (qemu "db", pve2,
// stopped), 200 (lxc "dns", pve1, running), storage local on each node and a shared "tank". Requests must carry
// `Authorization: PVEAPIToken=<tokenId>=<tokenSecret>` (else 401). An action answers a task (UPID) that reports
// "running" for taskPolls() status reads, then "stopped" with exit status "OK" (the guest's state changes then) or
// the one given to failNextTask().
//
// Runs on a thread of its own, so a test may block its own thread on a socket while GPU Deck talks to it.
// Every setter is thread-safe.

#include <QHash>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

class QThread;

namespace gpudeck::test {

class FakeProxmox
{
public:
    FakeProxmox();
    ~FakeProxmox();
    FakeProxmox(const FakeProxmox &) = delete;
    FakeProxmox &operator=(const FakeProxmox &) = delete;

    bool start(QString *error = nullptr);
    void stop();

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString tokenId() const { return QStringLiteral("gpudeck@pve!deck"); }
    QString tokenSecret() const { return m_secret; }
    // The certificate presented now: SHA-256, "AB:CD:..." as Proxmox shows it.
    QString fingerprint() const;
    // A fingerprint of the same form that is not this one: its first byte changed (the certificate is made per run,
    // so no fixed first byte can be assumed different from it).
    QString otherFingerprint() const;
    bool renewCertificate(QString *error = nullptr);

    void setQuorate(bool quorate); // not quorate: pve2 and pve3 go offline too; quorate: all online again
    void setStorageUse(const QString &node, const QString &storage, qint64 used, qint64 total);
    void setTaskPolls(int polls);
    void failNextTask(const QString &exitStatus);
    QString guestStatus(int vmid) const;
    // Requests seen, "METHOD /path" (without /api2/json), and how many were refused for their token.
    QStringList requests() const;
    int unauthorized() const;
    // Requests served over connections that presented the certificate with this fingerprint.
    int requestsWith(const QString &fingerprint) const;
    QString lastWakeNode() const;
    QString lastActionParams() const; // the form body of the last action

    struct State;
    struct Cert
    {
        QByteArray certPem;
        QByteArray keyPem;
        QString fingerprint;
    };
    Cert cert() const;

private:
    bool makeCertificate(QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_secret;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    Cert m_cert;
    std::shared_ptr<State> m_state;
    std::unique_ptr<QThread> m_thread;
    int m_certSerial = 0;
};

} // namespace gpudeck::test
