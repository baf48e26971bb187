#include "secrets/MemorySecretStore.h"

namespace gpudeck {

void MemorySecretStore::read(const QString &key, std::function<void(Result<QString>)> done)
{
    Result<QString> result = Error::notFound(QStringLiteral("no secret is stored for '%1'").arg(key));
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_secrets.constFind(key);
        if (it != m_secrets.cend()) {
            result = it.value();
        }
    }
    replyToCallingThread()([done = std::move(done), result = std::move(result)] { done(result); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, std::function<void(Status)> done)
{
    {
        QMutexLocker lock(&m_mutex);
        m_secrets.insert(key, secret);
    }
    replyToCallingThread()([done = std::move(done)] { done(Status()); });
}

void MemorySecretStore::remove(const QString &key, std::function<void(Status)> done)
{
    {
        QMutexLocker lock(&m_mutex);
        m_secrets.remove(key);
    }
    replyToCallingThread()([done = std::move(done)] { done(Status()); });
}

int MemorySecretStore::size() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<int>(m_secrets.size());
}

} // namespace gpudeck
