#pragma once

// MemorySecretStore: a SecretStore that keeps secrets in process memory only — gone when the process ends.
// For tests of other components, and for `--headless` setups without a keychain when the user opted in.
// Thread-safe; callbacks follow the SecretStore contract (later, on the calling thread's event loop).

#include "secrets/SecretStore.h"

#include <QHash>
#include <QMutex>

namespace gpudeck {

class MemorySecretStore : public SecretStore
{
public:
    MemorySecretStore() = default;

    void read(const QString &key, std::function<void(Result<QString>)> done) override;
    void write(const QString &key, const QString &secret, std::function<void(Status)> done) override;
    void remove(const QString &key, std::function<void(Status)> done) override;

    int size() const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QString> m_secrets;
};

} // namespace gpudeck
