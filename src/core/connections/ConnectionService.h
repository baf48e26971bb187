#pragma once

#include "Result.h"

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;
class SshPool;

// What happens to a connection as a whole, beyond its row: the one door the GUI and the API both call for it.
// Owned by Core; thread-safe (the GUI thread and the API thread call it).
class ConnectionService
{
public:
    ConnectionService(ConnectionRepository &connections, SshPool &ssh, ConnectionSecrets &secrets);

    // Deletes the connection (with its projects and their jobs when `force`; without, a connection that still has
    // projects is a Conflict), drops its SSH link and removes its own secrets from the keychain. A secret the
    // keychain cannot remove now is logged (never its value); the connection is gone either way.
    Status remove(qint64 connectionId, bool force);

    ConnectionSecrets &secrets() { return m_secrets; }

private:
    ConnectionRepository &m_connections;
    SshPool &m_ssh;
    ConnectionSecrets &m_secrets;
};

} // namespace gpudeck
