#include "runpod/RunPodSshKey.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <libssh/libssh.h>

namespace gpudeck {

QString RunPodSshKey::privateKeyPath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/runpod/id_ed25519");
}

QString RunPodSshKey::keyPart(const QString &line)
{
    const QStringList parts = line.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return parts.size() >= 2 ? parts.at(0) + QLatin1Char(' ') + parts.at(1) : QString();
}

QString RunPodSshKey::publicLine(const QString &dataDir)
{
    QFile pub(privateKeyPath(dataDir) + QStringLiteral(".pub"));
    if (!QFileInfo::exists(privateKeyPath(dataDir)) || !pub.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(pub.readAll()).trimmed();
}

Result<QString> RunPodSshKey::ensure(const QString &dataDir, const QString &instanceId)
{
    const QString existing = publicLine(dataDir);
    if (!existing.isEmpty()) {
        return existing;
    }
    const QString path = privateKeyPath(dataDir);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return Error::internal(QStringLiteral("cannot create %1").arg(QFileInfo(path).absolutePath()));
    }
    QFile::setPermissions(QFileInfo(path).absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    ssh_key key = nullptr;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
        return Error::internal(QStringLiteral("cannot make an ed25519 key pair for RunPod"));
    }
    QFile::remove(path);
    const int exported = ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, path.toUtf8().constData());
    char *b64 = nullptr;
    const int pubOk = ssh_pki_export_pubkey_base64(key, &b64);
    ssh_key_free(key);
    if (exported != SSH_OK || pubOk != SSH_OK || !b64) {
        ssh_string_free_char(b64);
        QFile::remove(path);
        return Error::internal(QStringLiteral("cannot write GPU Deck's RunPod key to %1").arg(path));
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QString line = QStringLiteral("ssh-ed25519 %1 gpudeck-%2")
                             .arg(QString::fromLatin1(b64), instanceId.isEmpty() ? QStringLiteral("deck") : instanceId);
    ssh_string_free_char(b64);
    QSaveFile pub(path + QStringLiteral(".pub"));
    const QByteArray bytes = line.toUtf8() + '\n';
    if (!pub.open(QIODevice::WriteOnly) || pub.write(bytes) != bytes.size() || !pub.commit()) {
        return Error::internal(QStringLiteral("cannot write %1.pub").arg(path));
    }
    return line;
}

} // namespace gpudeck
