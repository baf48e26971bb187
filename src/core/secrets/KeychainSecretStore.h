#pragma once

// KeychainSecretStore: SecretStore over the system keychain through QtKeychain (Secret Service via
// libsecret on Linux — gnome-keyring, KWallet — the Keychain on macOS, the Credential Manager on Windows).
//
// Every QtKeychain job runs on one process-wide thread ("gpudeck-keychain"): QtKeychain queues its jobs in
// an unsynchronised singleton, so jobs must never start from two threads. Answers are posted back to the
// calling thread. The thread (a WorkerThread, owned by the process rather than by one store, since two stores —
// two Cores in one test — must still share it) is started on first use and stopped when the QCoreApplication is
// destroyed, so a QCoreApplication must exist while the store is used.
//
// The plaintext fallback of QtKeychain (secrets in a settings file) is off unless explicitly allowed.
// Entries are stored under `service` (default "gpudeck") with the given key as the account name.

#include "secrets/SecretStore.h"

namespace gpudeck {

class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("gpudeck"), bool allowInsecureFallback = false);
    ~KeychainSecretStore() override;

    void read(const QString &key, std::function<void(Result<QString>)> done) override;
    void write(const QString &key, const QString &secret, std::function<void(Status)> done) override;
    void remove(const QString &key, std::function<void(Status)> done) override;

    QString service() const { return m_service; }

private:
    QString m_service;
    bool m_allowInsecureFallback = false;
};

} // namespace gpudeck
