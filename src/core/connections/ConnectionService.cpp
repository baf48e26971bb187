#include "connections/ConnectionService.h"

#include "logging/Logging.h"
#include "secrets/ConnectionSecrets.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"

namespace gpudeck {

ConnectionService::ConnectionService(ConnectionRepository &connections, SshPool &ssh, ConnectionSecrets &secrets)
    : m_connections(connections)
    , m_ssh(ssh)
    , m_secrets(secrets)
{
}

Status ConnectionService::remove(qint64 connectionId, bool force)
{
    if (Status s = m_connections.remove(connectionId, force); !s.ok()) {
        return s;
    }
    // A deleted connection keeps no link and no secrets.
    m_ssh.disconnectFrom(connectionId);
    m_secrets.removeAll(connectionId, [connectionId](Status removed) {
        if (!removed.ok()) {
            qCWarning(lcApp).noquote() << QStringLiteral("connection %1 is deleted, but its secrets are still in the "
                                                         "keychain: %2")
                                              .arg(connectionId)
                                              .arg(removed.error().message);
        }
    });
    return {};
}

} // namespace gpudeck
