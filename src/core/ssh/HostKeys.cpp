#include "ssh/HostKeys.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QSaveFile>

namespace gpudeck {

QString HostKeys::hostPattern(const QString &host, int port)
{
    return port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(port);
}

bool HostKeys::lineMatches(const QString &line, const QString &host, int port)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#'))) {
        return false;
    }
    QString hosts = trimmed.section(QLatin1Char(' '), 0, 0);
    if (hosts.startsWith(QLatin1Char('@'))) { // @cert-authority / @revoked markers
        hosts = trimmed.section(QLatin1Char(' '), 1, 1);
    }
    const QString wanted = hostPattern(host, port);
    if (hosts.startsWith(QStringLiteral("|1|"))) {
        // Hashed: |1|base64(salt)|base64(HMAC-SHA1(salt, host))
        const QStringList parts = hosts.split(QLatin1Char('|'));
        if (parts.size() < 4) {
            return false;
        }
        const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
        const QByteArray hash = QByteArray::fromBase64(parts.at(3).toLatin1());
        return QMessageAuthenticationCode::hash(wanted.toUtf8(), salt, QCryptographicHash::Sha1) == hash;
    }
    const QStringList names = hosts.split(QLatin1Char(','));
    return names.contains(wanted);
}

Result<int> HostKeys::forget(const QString &knownHostsPath, const QString &host, int port)
{
    QFile in(knownHostsPath);
    if (!in.exists()) {
        return 0;
    }
    if (!in.open(QIODevice::ReadOnly)) {
        return Error::internal(QStringLiteral("cannot read %1").arg(knownHostsPath));
    }
    const QList<QByteArray> lines = in.readAll().split('\n');
    in.close();
    QByteArray kept;
    int removed = 0;
    for (const QByteArray &line : lines) {
        if (lineMatches(QString::fromUtf8(line), host, port)) {
            ++removed;
            continue;
        }
        if (!line.isEmpty()) {
            kept += line + '\n';
        }
    }
    if (removed == 0) {
        return 0;
    }
    QSaveFile out(knownHostsPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(kept) != kept.size() || !out.commit()) {
        return Error::internal(QStringLiteral("cannot rewrite %1").arg(knownHostsPath));
    }
    return removed;
}

QString HostKeys::podKnownHostsPath(const QString &knownHostsPath, const QString &podId)
{
    QString safe;
    for (const QChar ch : podId) {
        safe += (ch.isLetterOrNumber() && ch.unicode() < 128) || ch == QLatin1Char('-') || ch == QLatin1Char('_')
                    ? QString(ch)
                    : QStringLiteral("%%1").arg(ch.unicode(), 4, 16, QLatin1Char('0'));
    }
    return QFileInfo(knownHostsPath).absolutePath() + QStringLiteral("/runpod-known-hosts/") + safe;
}

bool HostKeys::startPodRun(const QString &knownHostsPath, const QString &podId, const QString &run)
{
    const QString keys = podKnownHostsPath(knownHostsPath, podId);
    QDir().mkpath(QFileInfo(keys).absolutePath());
    QFile marker(keys + QStringLiteral(".run"));
    if (marker.open(QIODevice::ReadOnly)) {
        const bool same = QString::fromUtf8(marker.readAll()) == run;
        marker.close();
        if (same) {
            return false;
        }
    }
    QFile::remove(keys);
    QSaveFile out(keys + QStringLiteral(".run"));
    if (out.open(QIODevice::WriteOnly)) {
        out.write(run.toUtf8());
        out.commit();
    }
    return true;
}

void HostKeys::forgetPod(const QString &knownHostsPath, const QString &podId)
{
    const QString keys = podKnownHostsPath(knownHostsPath, podId);
    QFile::remove(keys);
    QFile::remove(keys + QStringLiteral(".run"));
}

} // namespace gpudeck
