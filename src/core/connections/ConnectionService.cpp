#include "connections/ConnectionService.h"

#include "logging/Logging.h"
#include "secrets/ConnectionSecrets.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"

#include <QMutex>
#include <QPromise>
#include <QTimer>
#include <functional>

namespace gpudeck {

namespace {

void connectPaced(QObject *pacer, const std::shared_ptr<QList<Connection>> &left,
                  const std::function<void(const Connection &)> &connectOne)
{
    if (left->isEmpty()) {
        return;
    }
    connectOne(left->takeFirst());
    QTimer::singleShot(0, pacer, [pacer, left, connectOne] { connectPaced(pacer, left, connectOne); });
}

} // namespace

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

Result<Connection> ConnectionService::update(const Connection &connection, bool *reconnected)
{
    auto saved = m_connections.update(connection);
    if (!saved.ok()) {
        return saved;
    }
    const bool again = m_ssh.reconfigure(saved.value(), true);
    if (reconnected) {
        *reconnected = again;
    }
    return saved;
}

int ConnectionService::connectWatched(QObject *pacer)
{
    const auto all = m_connections.list();
    if (!all.ok()) {
        qCWarning(lcApp).noquote() << "cannot read the connections to watch:" << all.error().message;
        return 0;
    }
    auto watched = std::make_shared<QList<Connection>>();
    for (const Connection &c : all.value()) {
        if (c.watch && m_ssh.status(c.id).state == LinkState::Disconnected) {
            watched->append(c);
        }
    }
    qCInfo(lcApp).noquote() << QStringLiteral("connecting %1 watched host(s)").arg(watched->size());
    const auto connectOne =
        [this](const Connection &c) {
            if (m_ssh.status(c.id).state != LinkState::Disconnected) {
                return; // connected meanwhile (by the user, or Connect all)
            }
            const QString name = c.name;
            m_ssh.connectTo(c).then([name](Status s) {
                if (!s.ok()) {
                    qCInfo(lcApp).noquote()
                        << QStringLiteral("watched host %1 not connected at start: %2").arg(name, s.error().message);
                }
            });
        };
    if (!pacer) {
        for (const Connection &c : std::as_const(*watched)) {
            connectOne(c);
        }
        return static_cast<int>(watched->size());
    }
    // One host per turn of the event loop; the rest wait in `watched`.
    const int count = static_cast<int>(watched->size());
    QTimer::singleShot(0, pacer, [pacer, watched, connectOne] { connectPaced(pacer, watched, connectOne); });
    return count;
}

QFuture<QList<LinkOutcome>> ConnectionService::connectAll()
{
    struct Pending
    {
        QMutex mutex;
        QList<LinkOutcome> outcomes;
        int remaining = 0;
        QPromise<QList<LinkOutcome>> promise;
    };
    auto pending = std::make_shared<Pending>();
    pending->promise.start();
    QFuture<QList<LinkOutcome>> future = pending->promise.future();
    const auto all = m_connections.list();
    if (!all.ok()) {
        qCWarning(lcApp).noquote() << "connect all: cannot read the connections:" << all.error().message;
        pending->promise.addResult(QList<LinkOutcome>{});
        pending->promise.finish();
        return future;
    }
    QList<Connection> toConnect;
    for (const Connection &c : all.value()) {
        LinkOutcome o;
        o.connectionId = c.id;
        o.name = c.name;
        o.status = m_ssh.status(c.id);
        if (o.status.state == LinkState::Connected) {
            o.outcome = QStringLiteral("already_connected");
        } else {
            toConnect.append(c);
        }
        pending->outcomes.append(o);
    }
    pending->remaining = static_cast<int>(toConnect.size());
    if (toConnect.isEmpty()) {
        pending->promise.addResult(pending->outcomes);
        pending->promise.finish();
        return future;
    }
    SshPool *pool = &m_ssh;
    for (const Connection &c : std::as_const(toConnect)) {
        const qint64 id = c.id;
        m_ssh.connectTo(c).then([pending, pool, id](Status s) {
            QMutexLocker lock(&pending->mutex);
            for (LinkOutcome &o : pending->outcomes) {
                if (o.connectionId == id) {
                    o.outcome = s.ok() ? QStringLiteral("connected") : QStringLiteral("failed");
                    o.status = pool->status(id);
                    if (!s.ok()) {
                        o.error = s.error();
                    }
                }
            }
            if (--pending->remaining == 0) {
                pending->promise.addResult(pending->outcomes);
                pending->promise.finish();
            }
        });
    }
    return future;
}

QList<LinkOutcome> ConnectionService::disconnectAll()
{
    QList<LinkOutcome> outcomes;
    const auto all = m_connections.list();
    const QHash<qint64, LinkStatus> before = m_ssh.statuses();
    const QList<qint64> closed = m_ssh.disconnectAll();
    if (!all.ok()) {
        return outcomes;
    }
    for (const Connection &c : all.value()) {
        LinkOutcome o;
        o.connectionId = c.id;
        o.name = c.name;
        const bool had = closed.contains(c.id) && before.value(c.id).state != LinkState::Disconnected;
        o.outcome = had ? QStringLiteral("disconnected") : QStringLiteral("not_connected");
        o.status.since = had ? nowUtc() : before.value(c.id).since;
        outcomes.append(o);
    }
    return outcomes;
}

} // namespace gpudeck
