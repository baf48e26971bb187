#pragma once

#include "app/Core.h"

#include <QTemporaryDir>
#include <memory>

namespace gpudeck::test {

// A real Core on a fresh temporary data dir (real SQLite file), with its API on an ephemeral loopback port.
class TestCore
{
public:
    // `secrets`: the keychain by default; a MemorySecretStore for tests that need secrets without a Secret Service.
    explicit TestCore(bool startApi = true, std::unique_ptr<SecretStore> secrets = {});
    ~TestCore();

    Core &core() { return *m_core; }
    QString dataDir() const { return m_dir.path(); }
    quint16 port() const { return m_core->apiPort(); }
    QByteArray token() const { return m_core->token().value(); }
    QString baseUrl() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Core> m_core;
};

} // namespace gpudeck::test
