#include "proxmox/ProxmoxWorker.h"

#include "proxmox/ProxmoxApiSource.h"
#include "proxmox/ProxmoxLogging.h"
#include "secrets/ConnectionSecrets.h"
#include "store/ConnectionRepository.h"

#include <QJsonArray>
#include <QTimer>

namespace gpudeck {
namespace {

// A task whose status cannot be read this many times in a row is given up (reported, not followed for ever).
constexpr int kMaxTaskFailures = 30;

QString linkKey(const Connection &c)
{
    return QStringList{c.hostname, QString::number(c.proxmoxApiPort), c.proxmoxTokenId, c.proxmoxFingerprint}.join(
        QLatin1Char('\n'));
}

Error notProxmox(const Connection &c)
{
    return Error::make(ErrorCode::Conflict, QStringLiteral("not_proxmox"),
                       QStringLiteral("connection '%1' is of kind '%2', not 'proxmox'").arg(c.name, c.kind));
}

} // namespace

QStringList ProxmoxAction::actions()
{
    return {QStringLiteral("start"), QStringLiteral("shutdown"), QStringLiteral("stop"), QStringLiteral("reboot")};
}

ProxmoxWorker::ProxmoxWorker(ConnectionRepository &connections, ConnectionSecrets &secrets, SshPool &ssh)
    : m_connections(connections)
    , m_secrets(secrets)
    , m_ssh(ssh)
{
}

ProxmoxWorker::~ProxmoxWorker()
{
    // Sources first: they abort what they have in flight, and their answers are dropped.
    for (Followed &f : m_followed) {
        delete f.timer;
    }
    m_followed.clear();
    for (const LinkPtr &link : std::as_const(m_links)) {
        link->source.reset();
    }
    for (const LinkPtr &link : std::as_const(m_retired)) {
        link->source.reset();
    }
}

void ProxmoxWorker::withLink(qint64 connectionId, LinkDone done)
{
    const auto c = m_connections.get(connectionId);
    if (!c.ok()) {
        done(c.error(), Connection{});
        return;
    }
    if (c->kind != QStringLiteral("proxmox")) {
        done(notProxmox(c.value()), c.value());
        return;
    }
    const QString key = linkKey(c.value());
    const auto it = m_links.constFind(connectionId);
    if (it != m_links.constEnd() && (*it)->key == key) {
        done(*it, c.value());
        return;
    }
    if (it != m_links.constEnd()) {
        retire(connectionId); // edited: a new source for the new settings
    }
    auto &waiters = m_linkWaiters[connectionId];
    waiters.append(std::move(done));
    if (waiters.size() == 1) {
        makeLink(c.value(), key, [this, connectionId](Result<LinkPtr> link, const Connection &connection) {
            const QList<LinkDone> all = m_linkWaiters.take(connectionId);
            if (link.ok()) {
                m_links.insert(connectionId, link.value());
            }
            for (const LinkDone &w : all) {
                w(link, connection);
            }
        });
    }
}

void ProxmoxWorker::makeLink(const Connection &connection, const QString &key, LinkDone done)
{
    auto link = std::make_shared<Link>();
    link->key = key;
    if (connection.proxmoxTokenId.isEmpty()) {
        link->source = makeProxmoxShellSource(connection, m_ssh);
        done(link, connection);
        return;
    }
    m_secrets.read(connection.id, SecretKind::ProxmoxTokenSecret,
                   [this, connection, link, done](Result<QString> secret) {
                       if (!secret.ok()) {
                           if (secret.error().code == ErrorCode::NotFound) {
                               done(Error::make(ErrorCode::Conflict, QStringLiteral("proxmox_token_secret_missing"),
                                                QStringLiteral("connection '%1' has the Proxmox API token %2 but no "
                                                               "secret for it: store it as proxmox_token_secret "
                                                               "(PUT /api/dgx/connections/%1/credentials)")
                                                    .arg(connection.name, connection.proxmoxTokenId)),
                                    connection);
                           } else {
                               done(secret.error(), connection);
                           }
                           return;
                       }
                       ProxmoxApiSource::Settings s;
                       s.host = connection.hostname;
                       s.port = connection.proxmoxApiPort;
                       s.tokenId = connection.proxmoxTokenId;
                       s.tokenSecret = secret.value();
                       s.pinned = normalizeCertFingerprint(connection.proxmoxFingerprint);
                       link->source = std::make_unique<ProxmoxApiSource>(s);
                       done(link, connection);
                   });
}

void ProxmoxWorker::call(const LinkPtr &link, bool post, const QString &path, const ProxmoxParams &params,
                         ProxmoxSource::Done done)
{
    ++link->outstanding;
    auto finish = [this, link, done = std::move(done)](Result<QJsonValue> answer) {
        --link->outstanding;
        if (link->retired && link->outstanding == 0) {
            QTimer::singleShot(0, this, [this, link] {
                link->source.reset();
                m_retired.removeAll(link);
            });
        }
        done(std::move(answer));
    };
    if (post) {
        link->source->post(path, params, std::move(finish));
    } else {
        link->source->get(path, params, std::move(finish));
    }
}

void ProxmoxWorker::retire(qint64 connectionId)
{
    const LinkPtr link = m_links.take(connectionId);
    if (!link) {
        return;
    }
    if (link->outstanding == 0) {
        link->source.reset();
        return;
    }
    link->retired = true;
    m_retired.append(link);
}

void ProxmoxWorker::forget(qint64 connectionId)
{
    retire(connectionId); // the next source has a network manager (and so connections) of its own
    if (!m_connections.get(connectionId).ok()) {
        m_last.remove(connectionId);
    }
}

void ProxmoxWorker::refresh(qint64 connectionId)
{
    if (m_refreshing.contains(connectionId)) {
        return; // the read in progress answers for this one too
    }
    m_refreshing.insert(connectionId);
    withLink(connectionId, [this, connectionId](Result<LinkPtr> link, const Connection &c) {
        if (!link.ok()) {
            finishRefresh(connectionId, c, {}, link.error(), {});
            return;
        }
        struct Gather
        {
            int remaining = 5;
            std::optional<Error> error;
            QJsonValue clusterStatus, nodes, guests, storage;
            std::optional<ProxmoxVotes> votes;
        };
        auto g = std::make_shared<Gather>();
        const QString kind = (*link)->source->kind();
        auto oneDone = [this, g, connectionId, c, kind] {
            if (--g->remaining > 0) {
                return;
            }
            ProxmoxStatus s;
            std::optional<Error> error = g->error;
            if (!error) {
                Status parsed = proxmoxparse::clusterStatus(g->clusterStatus, s.cluster, s.nodes);
                if (parsed.ok()) {
                    parsed = proxmoxparse::nodes(g->nodes, s.nodes);
                }
                auto guests = proxmoxparse::guests(g->guests);
                auto storage = proxmoxparse::storage(g->storage);
                if (!parsed.ok()) {
                    error = parsed.error();
                } else if (!guests.ok()) {
                    error = guests.error();
                } else if (!storage.ok()) {
                    error = storage.error();
                } else {
                    s.guests = guests.value();
                    s.storage = storage.value();
                    if (g->votes) {
                        if (g->votes->expectedVotes >= 0) {
                            s.cluster.expectedVotes = g->votes->expectedVotes;
                        }
                        s.cluster.totalVotes = g->votes->totalVotes;
                    }
                    s.cluster.nodesOnline = 0;
                    for (const ProxmoxNode &n : std::as_const(s.nodes)) {
                        s.cluster.nodesOnline += n.status == QStringLiteral("online") ? 1 : 0;
                    }
                }
            }
            finishRefresh(connectionId, c, kind, error, s);
        };
        auto store = [g, oneDone](QJsonValue Gather::*field) {
            return [g, oneDone, field](Result<QJsonValue> answer) {
                if (answer.ok()) {
                    (*g).*field = answer.value();
                } else if (!g->error) {
                    g->error = answer.error();
                }
                oneDone();
            };
        };
        call(*link, false, QStringLiteral("/cluster/status"), {}, store(&Gather::clusterStatus));
        call(*link, false, QStringLiteral("/nodes"), {}, store(&Gather::nodes));
        call(*link, false, QStringLiteral("/cluster/resources"), {{QStringLiteral("type"), QStringLiteral("vm")}},
             store(&Gather::guests));
        call(*link, false, QStringLiteral("/cluster/resources"), {{QStringLiteral("type"), QStringLiteral("storage")}},
             store(&Gather::storage));
        (*link)->source->votes([g, oneDone](Result<ProxmoxVotes> votes) {
            if (votes.ok()) {
                g->votes = votes.value();
            }
            oneDone();
        });
    });
}

void ProxmoxWorker::finishRefresh(qint64 connectionId, const Connection &connection, const QString &source,
                                  const std::optional<Error> &error, ProxmoxStatus fresh)
{
    m_refreshing.remove(connectionId);
    ProxmoxStatus s;
    if (error) {
        s = m_last.value(connectionId); // what was read last stays, marked stale by the error
        s.error = error;
        qCInfo(lcProxmox).noquote() << QStringLiteral("%1: %2").arg(connection.name, error->message);
    } else {
        s = std::move(fresh);
        s.fetchedAt = nowUtc();
    }
    s.connectionId = connectionId;
    s.connectionName = connection.name;
    if (!source.isEmpty()) {
        s.source = source;
    }
    s.attemptedAt = nowUtc();
    if (connection.id > 0) {
        m_last.insert(connectionId, s);
    }
    Q_EMIT statusRead(s);
}

void ProxmoxWorker::act(qint64 connectionId, const ProxmoxAction &action, Promise<Result<ProxmoxTask>> promise)
{
    auto fail = [promise](const Error &e) {
        promise->addResult(e);
        promise->finish();
    };
    withLink(connectionId, [this, connectionId, action, promise, fail](Result<LinkPtr> link, const Connection &) {
        if (!link.ok()) {
            fail(link.error());
            return;
        }
        // Where the guest is now (it may have migrated since the last read).
        const LinkPtr l = link.value();
        call(l, false, QStringLiteral("/cluster/resources"), {{QStringLiteral("type"), QStringLiteral("vm")}},
             [this, l, connectionId, action, promise, fail](Result<QJsonValue> data) {
                 if (!data.ok()) {
                     fail(data.error());
                     return;
                 }
                 const auto guests = proxmoxparse::guests(data.value());
                 if (!guests.ok()) {
                     fail(guests.error());
                     return;
                 }
                 const ProxmoxGuest *guest = nullptr;
                 for (const ProxmoxGuest &g : guests.value()) {
                     if (g.vmid == action.vmid) {
                         guest = &g;
                     }
                 }
                 if (!guest) {
                     fail(Error::notFound(QStringLiteral("no VM or container %1 in this cluster").arg(action.vmid)));
                     return;
                 }
                 ProxmoxParams params;
                 if (action.action == QStringLiteral("shutdown")) {
                     if (action.timeoutS >= 0) {
                         params.append({QStringLiteral("timeout"), QString::number(action.timeoutS)});
                     }
                     if (action.forceStop) {
                         params.append({QStringLiteral("forceStop"), QStringLiteral("1")});
                     }
                 }
                 const QString path = QStringLiteral("/nodes/%1/%2/%3/status/%4")
                                          .arg(guest->node, guest->type)
                                          .arg(guest->vmid)
                                          .arg(action.action);
                 call(l, true, path, params, [this, connectionId, action, promise, fail](Result<QJsonValue> upid) {
                     if (!upid.ok()) {
                         fail(upid.error());
                         return;
                     }
                     ProxmoxTask task = ProxmoxTask::fromUpid(upid->toString());
                     if (task.upid.isEmpty()) {
                         fail(Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_bad_answer"),
                                          QStringLiteral("Proxmox answered the %1 of %2 without a task id")
                                              .arg(action.action)
                                              .arg(action.vmid)));
                         return;
                     }
                     task.connectionId = connectionId;
                     task.action = action.action;
                     task.vmid = action.vmid;
                     qCInfo(lcProxmox).noquote()
                         << QStringLiteral("%1 of %2: task %3").arg(action.action).arg(action.vmid).arg(task.upid);
                     Q_EMIT taskUpdated(task);
                     follow(connectionId, task);
                     promise->addResult(task);
                     promise->finish();
                 });
             });
    });
}

void ProxmoxWorker::follow(qint64 connectionId, const ProxmoxTask &task)
{
    Followed f;
    f.connectionId = connectionId;
    f.task = task;
    f.timer = new QTimer(this);
    f.timer->setSingleShot(true);
    const QString upid = task.upid;
    connect(f.timer, &QTimer::timeout, this, [this, connectionId, upid] { pollTask(connectionId, upid); });
    f.timer->start(m_taskPollMs);
    m_followed.insert(upid, f);
}

void ProxmoxWorker::pollTask(qint64 connectionId, const QString &upid)
{
    withLink(connectionId, [this, upid](Result<LinkPtr> link, const Connection &) {
        auto again = [this, upid](const Error &e) {
            auto it = m_followed.find(upid);
            if (it == m_followed.end()) {
                return;
            }
            if (++it->failures >= kMaxTaskFailures) {
                ProxmoxTask t = it->task;
                t.status = QStringLiteral("unknown");
                t.exitStatus = QStringLiteral("GPU Deck stopped following the task: ") + e.message;
                delete it->timer;
                m_followed.erase(it);
                Q_EMIT taskUpdated(t);
                return;
            }
            it->timer->start(m_taskPollMs);
        };
        if (!link.ok()) {
            again(link.error());
            return;
        }
        const ProxmoxTask parts = ProxmoxTask::fromUpid(upid);
        call(link.value(), false, QStringLiteral("/nodes/%1/tasks/%2/status").arg(parts.node, upid), {},
             [this, upid, again](Result<QJsonValue> data) {
                 auto it = m_followed.find(upid);
                 if (it == m_followed.end()) {
                     return;
                 }
                 const auto read =
                     data.ok() ? proxmoxparse::taskStatus(data.value()) : Result<ProxmoxTask>(data.error());
                 if (!read.ok()) {
                     again(read.error());
                     return;
                 }
                 it->failures = 0;
                 ProxmoxTask t = it->task;
                 t.status = read->status;
                 t.exitStatus = read->exitStatus;
                 if (!read->type.isEmpty()) {
                     t.type = read->type;
                 }
                 const bool changed = t.status != it->task.status || t.exitStatus != it->task.exitStatus;
                 if (!t.finished()) {
                     it->task = t;
                     if (changed) {
                         Q_EMIT taskUpdated(t);
                     }
                     it->timer->start(m_taskPollMs);
                     return;
                 }
                 t.endedAt = nowUtc();
                 const qint64 owner = it->connectionId;
                 delete it->timer;
                 m_followed.erase(it);
                 qCInfo(lcProxmox).noquote() << QStringLiteral("task %1 ended: %2").arg(upid, t.exitStatus);
                 Q_EMIT taskUpdated(t);
                 refresh(owner); // the guest's new state
             });
    });
}

void ProxmoxWorker::readTask(qint64 connectionId, const QString &upid, Promise<Result<ProxmoxTask>> promise)
{
    const ProxmoxTask parts = ProxmoxTask::fromUpid(upid);
    if (parts.upid.isEmpty()) {
        promise->addResult(Error::validation(QStringLiteral("upid"), QStringLiteral("'%1' is not a Proxmox task id "
                                                                                    "(UPID:node:...)")
                                                                         .arg(upid)));
        promise->finish();
        return;
    }
    withLink(connectionId, [this, connectionId, parts, promise](Result<LinkPtr> link, const Connection &) {
        if (!link.ok()) {
            promise->addResult(link.error());
            promise->finish();
            return;
        }
        call(link.value(), false, QStringLiteral("/nodes/%1/tasks/%2/status").arg(parts.node, parts.upid), {},
             [connectionId, parts, promise](Result<QJsonValue> data) {
                 Result<ProxmoxTask> read =
                     data.ok() ? proxmoxparse::taskStatus(data.value()) : Result<ProxmoxTask>(data.error());
                 if (read.ok()) {
                     ProxmoxTask t = read.value();
                     t.connectionId = connectionId;
                     bool numeric = false;
                     const int vmid = t.id.toInt(&numeric);
                     t.vmid = numeric ? vmid : 0;
                     read = t;
                 } else if (read.error().reason == QStringLiteral("proxmox_error") &&
                            read.error().details.value(QStringLiteral("proxmox_status")).toInt() == 404) {
                     read = Error::notFound(QStringLiteral("no task %1 on node %2").arg(parts.upid, parts.node));
                 }
                 promise->addResult(read);
                 promise->finish();
             });
    });
}

void ProxmoxWorker::trust(qint64 connectionId, const QString &fingerprint, bool replace, Promise<Status> promise)
{
    auto answer = [promise](Status s) {
        promise->addResult(s);
        promise->finish();
    };
    const auto c = m_connections.get(connectionId);
    if (!c.ok()) {
        answer(c.error());
        return;
    }
    if (c->kind != QStringLiteral("proxmox")) {
        answer(notProxmox(c.value()));
        return;
    }
    const QString wanted = normalizeCertFingerprint(fingerprint);
    if (wanted.isEmpty()) {
        answer(Error::validation(QStringLiteral("accept_fingerprint"),
                                 QStringLiteral("'accept_fingerprint' must be a SHA-256 fingerprint: 64 hex digits, "
                                                "in pairs separated by colons or not")));
        return;
    }
    const QString pinned = normalizeCertFingerprint(c->proxmoxFingerprint);
    if (pinned == wanted) {
        answer({});
        return;
    }
    if (!pinned.isEmpty() && !replace) {
        answer(Error::make(ErrorCode::Conflict, QStringLiteral("certificate_pinned"),
                           QStringLiteral("connection '%1' already trusts the certificate %2; to trust %3 instead, "
                                          "send \"replace\": true")
                               .arg(c->name, pinned, wanted),
                           {{QStringLiteral("pinned"), pinned}}));
        return;
    }
    // A probe pinned to the offered fingerprint: it passes the handshake only if the node presents exactly that
    // certificate. No token is sent: any HTTP answer (401 included) proves who answered.
    ProxmoxApiSource::Settings s;
    s.host = c->hostname;
    s.port = c->proxmoxApiPort;
    s.pinned = wanted;
    auto probe = std::make_shared<ProxmoxApiSource>(s);
    const Connection connection = c.value();
    probe->get(QStringLiteral("/version"), {}, [this, probe, connection, wanted, answer](Result<QJsonValue> r) mutable {
        QTimer::singleShot(0, this, [probe] {}); // released after this answer, not inside it
        probe.reset();
        if (!r.ok()) {
            const Error &e = r.error();
            const bool authOnly = e.reason == QStringLiteral("proxmox_auth_failed") ||
                                  e.reason == QStringLiteral("proxmox_forbidden") ||
                                  e.reason == QStringLiteral("proxmox_error");
            if (e.reason == QStringLiteral("certificate_changed")) {
                QJsonObject details = e.details;
                details.remove(QStringLiteral("pinned"));
                answer(Error::make(ErrorCode::Conflict, QStringLiteral("certificate_mismatch"),
                                   QStringLiteral("%1:%2 presents the certificate %3, not the %4 you "
                                                  "accepted: nothing was pinned")
                                       .arg(connection.hostname)
                                       .arg(connection.proxmoxApiPort)
                                       .arg(details.value(QStringLiteral("fingerprint")).toString(), wanted),
                                   details));
                return;
            }
            if (!authOnly) {
                answer(e);
                return;
            }
        }
        if (Status stored = m_connections.setProxmoxFingerprint(connection.id, wanted); !stored.ok()) {
            answer(stored);
            return;
        }
        qCInfo(lcProxmox).noquote() << QStringLiteral("trusted the certificate %1 of %2:%3")
                                           .arg(wanted, connection.hostname)
                                           .arg(connection.proxmoxApiPort);
        forget(connection.id);
        answer({});
    });
}

void ProxmoxWorker::wakeNode(qint64 connectionId, const QString &node, Promise<Result<QString>> promise)
{
    withLink(connectionId, [this, node, promise](Result<LinkPtr> link, const Connection &) {
        if (!link.ok()) {
            promise->addResult(link.error());
            promise->finish();
            return;
        }
        call(link.value(), true, QStringLiteral("/nodes/%1/wakeonlan").arg(node), {},
             [promise](Result<QJsonValue> mac) {
                 promise->addResult(mac.ok() ? Result<QString>(mac->toString()) : Result<QString>(mac.error()));
                 promise->finish();
             });
    });
}

} // namespace gpudeck
