#pragma once

#include "Result.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <optional>

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;
class SshPool;

// One host's part in Connect all / Disconnect all.
struct LinkOutcome
{
    qint64 connectionId = 0;
    QString name;
    // connect: connected, already_connected, failed; disconnect: disconnected, not_connected
    QString outcome;
    LinkStatus status;          // the link once the host answered (a watched host that failed may be `down`)
    std::optional<Error> error; // why a connect failed
};

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

    // Saves an edited connection (the API's PUT). A link that is up or trying with other address, port, user, auth
    // or key is reconnected with the new ones, so what is shown is what is used; the other fields (name, watch)
    // reach the link without a reconnect. `reconnected`, when given, says whether a reconnect started.
    Result<Connection> update(const Connection &connection, bool *reconnected = nullptr);

    // At start: connects every watched connection that has no link yet, all in parallel; returns at once (the
    // links report through SshPool::statusChanged) with how many will be asked for. A watched host that cannot be
    // reached is `down` and probed cheaply until it answers. With `pacer`, one host is asked per turn of the
    // pacer's event loop (starting a link's thread takes a few ms, 32 of them in a row would hold up a window).
    int connectWatched(QObject *pacer = nullptr);
    // Connect all: every connection not connected yet, in parallel (a new host key is refused, as for a plain
    // connect without accept_fingerprint). Resolves, on whichever thread answers last, once every host answered.
    QFuture<QList<LinkOutcome>> connectAll();
    // Disconnect all: closes every link (whatever its state). Watched hosts stay disconnected until they are
    // connected again or GPU Deck starts again. Returns at once.
    QList<LinkOutcome> disconnectAll();

    ConnectionSecrets &secrets() { return m_secrets; }

private:
    ConnectionRepository &m_connections;
    SshPool &m_ssh;
    ConnectionSecrets &m_secrets;
};

} // namespace gpudeck
