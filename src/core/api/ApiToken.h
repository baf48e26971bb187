#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace gpudeck {

// The bearer token every API call but /api/health needs.
// API_SERVER_KEY from the environment wins; otherwise a random token is created on first start in a
// file only the user can read (0600) and reused afterwards.
class ApiToken
{
public:
    enum class Source { Environment, File };

    static Result<ApiToken> load(const QString &tokenPath);

    QByteArray value() const { return m_value; }
    Source source() const { return m_source; }
    QString path() const { return m_path; }

    // Constant-time comparison, so the token cannot be guessed byte by byte from response times.
    bool matches(const QByteArray &candidate) const;

private:
    QByteArray m_value;
    Source m_source = Source::File;
    QString m_path;
};

} // namespace gpudeck
