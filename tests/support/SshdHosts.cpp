#include "SshdHosts.h"

#include "HttpClient.h"
#include "SshServer.h"
#include "TestCore.h"
#include "models/ModelService.h"

#include <QFile>

namespace gpudeck::test {

QString connectSshdHost(const HttpClient &http, const SshServer &sshd, const QString &name)
{
    const HttpReply created = http.post(QStringLiteral("/api/dgx/connections"),
                                        {{QStringLiteral("name"), name},
                                         {QStringLiteral("hostname"), sshd.host()},
                                         {QStringLiteral("port"), sshd.port()},
                                         {QStringLiteral("username"), sshd.user()},
                                         {QStringLiteral("auth_method"), QStringLiteral("key")},
                                         {QStringLiteral("ssh_key_path"), sshd.keyPath(QStringLiteral("ed25519"))}});
    if (created.status != 201) {
        return QStringLiteral("creating %1: %2 %3").arg(name).arg(created.status).arg(QString::fromUtf8(created.body));
    }
    const HttpReply connected = http.post(QStringLiteral("/api/dgx/connect/") + name,
                                          {{QStringLiteral("accept_fingerprint"), sshd.hostKeyFingerprint()}});
    if (connected.status != 200) {
        return QStringLiteral("connecting %1: %2 %3")
            .arg(name)
            .arg(connected.status)
            .arg(QString::fromUtf8(connected.body));
    }
    return {};
}

QString writeModelsYaml(TestCore &tc, const QByteArray &yaml)
{
    QFile f(tc.dataDir() + QStringLiteral("/models.yaml"));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(yaml) != yaml.size() || !f.flush()) {
        return QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
    }
    f.close();
    tc.core().models().reload();
    return {};
}

} // namespace gpudeck::test
