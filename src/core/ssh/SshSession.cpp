#include "ssh/SshSession.h"

#include "logging/Logging.h"
#include "secrets/ConnectionSecrets.h"
#include "ssh/HostKeys.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace gpudeck {
namespace {

bool isRunPodPod(const Connection &c)
{
    return c.kind == QStringLiteral("runpod") && !c.runpodPodId.isEmpty();
}

} // namespace

SshSession::~SshSession()
{
    close();
}

void SshSession::close()
{
    if (m_session) {
        if (ssh_is_connected(m_session)) {
            ssh_disconnect(m_session);
        }
        ssh_free(m_session);
        m_session = nullptr;
    }
}

QString SshSession::lastError() const
{
    return QString::fromUtf8(ssh_get_error(m_session));
}

QString SshSession::fingerprintOf(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) {
        return {};
    }
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    const QString fingerprint = QString::fromLatin1(text);
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
    return fingerprint;
}

Status SshSession::open(const Connection &c, const SshSettings &settings, const QString &acceptFingerprint)
{
    close();
    m_session = ssh_new();
    if (!m_session) {
        return Error::internal(QStringLiteral("cannot create an SSH session"));
    }
    const QByteArray host = c.hostname.toUtf8();
    const QByteArray user = c.username.toUtf8();
    // A RunPod pod's host key is its own (new on every start): trusted in a known_hosts of the pod's, never mixed
    // with the user's or with other hosts that held the same address before.
    const bool pod = isRunPodPod(c);
    const QString podKnown = pod ? HostKeys::podKnownHostsPath(settings.knownHostsPath, c.runpodPodId) : QString();
    if (pod) {
        QDir().mkpath(QFileInfo(podKnown).absolutePath());
    }
    const QByteArray known = (pod ? podKnown : settings.knownHostsPath).toUtf8();
    const QByteArray userKnown = (pod ? podKnown : settings.userKnownHostsPath).toUtf8();
    const unsigned int port = static_cast<unsigned int>(c.port);
    const int one = 1;
    const long timeoutSec = qMax(1, settings.connectTimeoutMs / 1000);
    const bool no = false;
    ssh_options_set(m_session, SSH_OPTIONS_HOST, host.constData());
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    if (!user.isEmpty()) {
        ssh_options_set(m_session, SSH_OPTIONS_USER, user.constData());
    }
    // Without TCP_NODELAY every command pays ~40 ms of Nagle / delayed-ACK stall.
    ssh_options_set(m_session, SSH_OPTIONS_NODELAY, &one);
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &timeoutSec);
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &no);
    ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, known.constData());
    ssh_options_set(m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, userKnown.constData());

    if (ssh_connect(m_session) != SSH_OK) {
        const QString why = lastError();
        return Error::make(ErrorCode::Upstream, QStringLiteral("connect_failed"),
                           QStringLiteral("cannot reach %1:%2: %3").arg(c.hostname).arg(c.port).arg(why));
    }
    if (Status s = verifyHostKey(c, settings, acceptFingerprint); !s.ok()) {
        return s;
    }
    return authenticate(c, settings);
}

Status SshSession::verifyHostKey(const Connection &c, const SshSettings &settings, const QString &acceptFingerprint)
{
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(m_session, &key) != SSH_OK) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("connect_failed"),
                           QStringLiteral("the server sent no host key: %1").arg(lastError()));
    }
    m_fingerprint = fingerprintOf(key);
    ssh_key_free(key);
    const QJsonObject details{{QStringLiteral("fingerprint"), m_fingerprint},
                              {QStringLiteral("host"), c.hostname},
                              {QStringLiteral("port"), c.port}};

    switch (ssh_session_is_known_server(m_session)) {
    case SSH_KNOWN_HOSTS_OK:
        return {};
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
        if (isRunPodPod(c)) {
            QJsonObject podDetails = details;
            podDetails.insert(QStringLiteral("runpod_pod_id"), c.runpodPodId);
            podDetails.insert(QStringLiteral("key_rotates"), true);
            return Error::make(
                ErrorCode::Forbidden, QStringLiteral("host_key_changed"),
                QStringLiteral("REFUSED: the host key of RunPod pod %1 (%2:%3) CHANGED while the pod kept running "
                               "(now %4). A pod's key is new on every start, and GPU Deck trusts the new one when "
                               "the pod starts again, but not in the middle of a run: this can mean someone is "
                               "intercepting the connection. Restart the pod, or forget the host key if you are sure.")
                    .arg(c.runpodPodId, c.hostname)
                    .arg(c.port)
                    .arg(m_fingerprint),
                podDetails);
        }
        return Error::make(ErrorCode::Forbidden, QStringLiteral("host_key_changed"),
                           QStringLiteral("REFUSED: the host key of %1:%2 has CHANGED (now %3). This can mean someone "
                                          "is intercepting the connection, or the host was reinstalled. If you are "
                                          "sure the change is legitimate, forget the old key first.")
                               .arg(c.hostname)
                               .arg(c.port)
                               .arg(m_fingerprint),
                           details);
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        if (isRunPodPod(c)) {
            // Trust on first use for this pod and this run (RunPodService forgets the key when the pod starts again).
            if (ssh_session_update_known_hosts(m_session) != SSH_OK) {
                return Error::internal(
                    QStringLiteral("cannot record the host key of pod %1: %2").arg(c.runpodPodId, lastError()));
            }
            qCInfo(lcSsh).noquote() << QStringLiteral("trusted on first use: host key %1 of RunPod pod %2 (%3:%4)")
                                           .arg(m_fingerprint, c.runpodPodId, c.hostname)
                                           .arg(c.port);
            return {};
        }
        if (!acceptFingerprint.isEmpty() && acceptFingerprint == m_fingerprint) {
            if (ssh_session_update_known_hosts(m_session) != SSH_OK) {
                return Error::internal(
                    QStringLiteral("cannot record the host key in %1: %2").arg(settings.knownHostsPath, lastError()));
            }
            qCInfo(lcSsh).noquote()
                << QStringLiteral("trusted new host key %1 for %2:%3").arg(m_fingerprint, c.hostname).arg(c.port);
            return {};
        }
        return Error::make(
            ErrorCode::Conflict, QStringLiteral("host_key_unknown"),
            acceptFingerprint.isEmpty()
                ? QStringLiteral("the host key of %1:%2 is not known yet; its fingerprint is %3. Check it "
                                 "and accept it explicitly to connect.")
                      .arg(c.hostname)
                      .arg(c.port)
                      .arg(m_fingerprint)
                : QStringLiteral("the host key of %1:%2 has fingerprint %3, not the %4 you accepted")
                      .arg(c.hostname)
                      .arg(c.port)
                      .arg(m_fingerprint, acceptFingerprint),
            details);
    case SSH_KNOWN_HOSTS_ERROR:
        break;
    }
    return Error::internal(QStringLiteral("cannot check the host key: %1").arg(lastError()));
}

Status SshSession::authenticate(const Connection &c, const SshSettings &settings)
{
    if (ssh_userauth_none(m_session, nullptr) == SSH_AUTH_SUCCESS) {
        m_authMethod = QStringLiteral("none");
        return {};
    }
    QStringList order;
    if (c.authMethod == QStringLiteral("password")) {
        order = {QStringLiteral("password")};
    } else if (c.authMethod == QStringLiteral("key")) {
        order = {QStringLiteral("key"), QStringLiteral("agent")};
    } else {
        order = {QStringLiteral("agent"), QStringLiteral("key")};
    }

    QStringList failures;
    for (const QString &method : order) {
        if (method == QStringLiteral("key")) {
            if (c.sshKeyPath.isEmpty()) {
                continue;
            }
            const QString path = c.sshKeyPath.startsWith(QStringLiteral("~/"))
                                     ? QString::fromLocal8Bit(qgetenv("HOME")) + c.sshKeyPath.mid(1)
                                     : c.sshKeyPath;
            if (!QFileInfo::exists(path)) {
                failures << QStringLiteral("key %1: file not found").arg(path);
                continue;
            }
            ssh_key key = nullptr;
            int rc = ssh_pki_import_privkey_file(path.toUtf8().constData(), nullptr, nullptr, nullptr, &key);
            if (rc != SSH_OK) {
                // Probably protected by a passphrase: ask the keychain, never a log.
                if (!settings.secrets) {
                    failures << QStringLiteral("key %1: cannot read it (passphrase-protected? no keychain)").arg(path);
                    continue;
                }
                const auto passphrase = settings.secrets->readBlocking(c.id, SecretKind::KeyPassphrase);
                if (!passphrase.ok()) {
                    failures << QStringLiteral("key %1: cannot read it and no passphrase is available (%2)")
                                    .arg(path, passphrase.error().message);
                    continue;
                }
                rc = ssh_pki_import_privkey_file(path.toUtf8().constData(), passphrase.value().toUtf8().constData(),
                                                 nullptr, nullptr, &key);
                if (rc != SSH_OK) {
                    failures << QStringLiteral("key %1: the passphrase from the keychain does not open it").arg(path);
                    continue;
                }
            }
            rc = ssh_userauth_publickey(m_session, nullptr, key);
            ssh_key_free(key);
            if (rc == SSH_AUTH_SUCCESS) {
                m_authMethod = QStringLiteral("key");
                return {};
            }
            failures << QStringLiteral("key %1: rejected by the server").arg(path);
        } else if (method == QStringLiteral("agent")) {
            if (qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")) {
                failures << QStringLiteral("agent: no ssh-agent (SSH_AUTH_SOCK is not set)");
                continue;
            }
            if (ssh_userauth_agent(m_session, nullptr) == SSH_AUTH_SUCCESS) {
                m_authMethod = QStringLiteral("agent");
                return {};
            }
            failures << QStringLiteral("agent: no key in the agent was accepted");
        } else if (method == QStringLiteral("password")) {
            if (!settings.secrets) {
                failures << QStringLiteral("password: no keychain available");
                continue;
            }
            const auto password = settings.secrets->readBlocking(c.id, SecretKind::Password);
            if (!password.ok()) {
                failures << QStringLiteral("password: %1")
                                .arg(password.error().code == ErrorCode::NotFound
                                         ? QStringLiteral("none stored in the keychain")
                                         : password.error().message);
                continue;
            }
            if (ssh_userauth_password(m_session, nullptr, password.value().toUtf8().constData()) == SSH_AUTH_SUCCESS) {
                m_authMethod = QStringLiteral("password");
                return {};
            }
            failures << QStringLiteral("password: rejected by the server");
        }
    }
    if (failures.isEmpty()) {
        failures << QStringLiteral("no authentication method is configured");
    }
    return Error::make(ErrorCode::Upstream, QStringLiteral("auth_failed"),
                       QStringLiteral("authentication as '%1' on %2 failed: %3")
                           .arg(c.username, c.hostname, failures.join(QStringLiteral("; "))),
                       QJsonObject{{QStringLiteral("attempts"), QJsonArray::fromStringList(failures)}});
}

} // namespace gpudeck
