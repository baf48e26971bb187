#include "api/ApiToken.h"

#include <QFile>
#include <QRandomGenerator>

namespace gpudeck {

Result<ApiToken> ApiToken::load(const QString &tokenPath)
{
    ApiToken token;
    token.m_path = tokenPath;
    const QByteArray fromEnv = qgetenv("API_SERVER_KEY").trimmed();
    if (!fromEnv.isEmpty()) {
        token.m_value = fromEnv;
        token.m_source = Source::Environment;
        return token;
    }

    QFile existing(tokenPath);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly)) {
            return Error::internal(QStringLiteral("cannot read the API token file %1").arg(tokenPath));
        }
        token.m_value = existing.readAll().trimmed();
        // Tighten permissions in case someone loosened them.
        existing.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (!token.m_value.isEmpty()) {
            return token;
        }
    }

    quint32 raw[8];
    QRandomGenerator::system()->fillRange(raw);
    token.m_value = QByteArray(reinterpret_cast<const char *>(raw), sizeof raw)
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    // Created with 0600 from the first byte: never a moment where others could read it.
    QFile::remove(tokenPath);
    QFile file(tokenPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(token.m_value + '\n') < 0 || !file.flush()) {
        return Error::internal(QStringLiteral("cannot write the API token file %1").arg(tokenPath));
    }
    return token;
}

bool ApiToken::matches(const QByteArray &candidate) const
{
    if (m_value.isEmpty()) {
        return false;
    }
    // Compare every byte whatever the length, so timing reveals nothing.
    unsigned char diff = candidate.size() == m_value.size() ? 0 : 1;
    for (qsizetype i = 0; i < m_value.size(); ++i) {
        const char c = i < candidate.size() ? candidate.at(i) : '\0';
        diff |= static_cast<unsigned char>(c ^ m_value.at(i));
    }
    return diff == 0;
}

} // namespace gpudeck
