#include "runpod/RunPodWorker.h"

#include "connections/ConnectionService.h"
#include "runpod/RunPodLogging.h"
#include "runpod/RunPodService.h"
#include "runpod/RunPodSshKey.h"
#include "secrets/SecretStore.h"
#include "ssh/HostKeys.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"

#include <QJsonArray>
#include <QUrl>

namespace gpudeck {
namespace {

template<typename T>
void answer(const std::shared_ptr<QPromise<T>> &promise, T value)
{
    if (promise) {
        promise->addResult(std::move(value));
        promise->finish();
    }
}

QString podPath(const QString &podId)
{
    return QStringLiteral("/v2/pods/") + QString::fromLatin1(QUrl::toPercentEncoding(podId));
}

QString describe(const RunPodPod &pod)
{
    return pod.name.isEmpty() ? pod.id : QStringLiteral("%1 (%2)").arg(pod.name, pod.id);
}

// What tells one run of a pod from the next: its start and where it is reached.
QString runOf(const RunPodPod &pod)
{
    return QStringLiteral("%1 %2:%3").arg(isoUtc(pod.startedAt), pod.sshDirect.host).arg(pod.sshDirect.port);
}

} // namespace

RunPodWorker::RunPodWorker(RunPodService &service, ConnectionRepository &connections,
                           ConnectionService &connectionService, SshPool &ssh, SecretStore &secrets, Config config,
                           QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_connections(connections)
    , m_connectionService(connectionService)
    , m_ssh(ssh)
    , m_secrets(secrets)
    , m_config(std::move(config))
    , m_client(new RunPodClient(m_config.baseUrl, this))
{
}

RunPodWorker::~RunPodWorker()
{
    delete m_client;
    m_client = nullptr;
}

void RunPodWorker::withKey(std::function<void()> then)
{
    if (m_keyLoaded) {
        then();
        return;
    }
    m_keyWaiters.append(std::move(then));
    if (m_keyWaiters.size() > 1) {
        return; // a keychain read is in flight
    }
    auto finish = [this] {
        m_keyLoaded = true;
        m_service.setKeyState(m_keyState);
        const auto waiters = std::move(m_keyWaiters);
        m_keyWaiters.clear();
        for (const auto &w : waiters) {
            w();
        }
    };
    m_keyState.fromEnvironment = !m_config.environmentKey.isEmpty();
    m_secrets.read(m_config.keychainKey, [this, finish](Result<QString> key) {
        m_keyState.inKeychain = key.ok() && !key.value().isEmpty();
        m_keyState.keychainReadable = key.ok() || key.error().code == ErrorCode::NotFound;
        m_keyState.keychainError = m_keyState.keychainReadable ? QString() : key.error().message;
        if (m_keyState.fromEnvironment) {
            m_client->setKey(m_config.environmentKey);
        } else if (m_keyState.inKeychain) {
            m_client->setKey(key.value());
        }
        finish();
    });
}

void RunPodWorker::startup()
{
    const auto all = m_connections.list();
    if (!all.ok()) {
        return;
    }
    for (const Connection &c : all.value()) {
        if (!c.runpodPodId.isEmpty()) {
            listPods(nullptr);
            return;
        }
    }
}

void RunPodWorker::listPods(Promise<Result<QList<RunPodPod>>> promise)
{
    if (promise) {
        m_listWaiters.append(promise);
    }
    if (m_listing) {
        return;
    }
    m_listing = true;
    withKey([this] {
        m_client->send("GET", QStringLiteral("/v2/pods"), {}, [this](Result<RunPodClient::Answer> got) {
            m_listing = false;
            const auto waiters = std::move(m_listWaiters);
            m_listWaiters.clear();
            if (!got.ok()) {
                Q_EMIT m_service.podsReadFailed(got.error().reason, got.error().message);
                if (got.error().reason != QStringLiteral("runpod_key_missing")) {
                    qCWarning(lcRunPod).noquote()
                        << QStringLiteral("reading the pods failed: %1").arg(got.error().message);
                }
                for (const auto &w : waiters) {
                    answer(w, Result<QList<RunPodPod>>(got.error()));
                }
                return;
            }
            QList<RunPodPod> pods;
            for (const QJsonValue &v : got->json.object().value(QStringLiteral("pods")).toArray()) {
                auto pod = RunPodPod::fromRunPod(v.toObject());
                if (!pod.ok()) {
                    qCWarning(lcRunPod).noquote() << pod.error().message;
                    continue;
                }
                syncConnection(pod.value());
                pods.append(pod.value());
            }
            const QStringList gone = m_service.onPodsRead(pods);
            for (const QString &id : gone) {
                podGone(id);
            }
            for (const auto &w : waiters) {
                answer(w, Result<QList<RunPodPod>>(pods));
            }
        });
    });
}

void RunPodWorker::getPodThen(const QString &podId, std::function<void(Result<RunPodPod>)> done)
{
    withKey([this, podId, done = std::move(done)] {
        m_client->send("GET", podPath(podId), {}, [this, podId, done](Result<RunPodClient::Answer> got) {
            if (!got.ok()) {
                if (got.error().code == ErrorCode::NotFound) {
                    m_service.onPodGone(podId);
                    podGone(podId);
                    Error e = got.error();
                    e.message = QStringLiteral("RunPod knows no pod '%1' (%2)").arg(podId, got.error().message);
                    done(e);
                    return;
                }
                done(got.error());
                return;
            }
            auto pod = RunPodPod::fromRunPod(got->json.object());
            if (pod.ok()) {
                syncConnection(pod.value());
                m_service.onPodRead(pod.value());
            }
            done(pod);
        });
    });
}

void RunPodWorker::getPod(const QString &podId, Promise<Result<RunPodPod>> promise)
{
    getPodThen(podId, [promise](Result<RunPodPod> pod) { answer(promise, std::move(pod)); });
}

void RunPodWorker::ensureRegistered(std::function<void(Result<QString>)> done)
{
    const auto line = RunPodSshKey::ensure(m_config.dataDir, m_config.instanceId);
    if (!line.ok()) {
        done(line.error());
        return;
    }
    const QString mine = line.value();
    withKey([this, mine, done = std::move(done)] {
        m_client->send(
            "GET", QStringLiteral("/v2/account/ssh-keys"), {}, [this, mine, done](Result<RunPodClient::Answer> got) {
                if (!got.ok()) {
                    done(got.error());
                    return;
                }
                QJsonArray keys = got->json.object().value(QStringLiteral("keys")).toArray();
                for (const QJsonValue &k : keys) {
                    if (RunPodSshKey::keyPart(k.toString()) == RunPodSshKey::keyPart(mine)) {
                        done(mine);
                        return;
                    }
                }
                // PUT replaces the whole set: the account's other keys are sent back unchanged.
                keys.append(mine);
                m_client->send("PUT", QStringLiteral("/v2/account/ssh-keys"),
                               QJsonObject{{QStringLiteral("keys"), keys}},
                               [mine, done](Result<RunPodClient::Answer> put) {
                                   if (!put.ok()) {
                                       done(put.error());
                                       return;
                                   }
                                   qCInfo(lcRunPod).noquote()
                                       << QStringLiteral("registered GPU Deck's SSH key on the RunPod account");
                                   done(mine);
                               });
            });
    });
}

void RunPodWorker::registerKey(Promise<Result<QString>> promise)
{
    ensureRegistered([promise](Result<QString> line) { answer(promise, std::move(line)); });
}

void RunPodWorker::create(const RunPodCreate &request, Promise<Result<RunPodPod>> promise)
{
    if (Status s = request.validate(); !s.ok()) {
        answer(promise, Result<RunPodPod>(s.error()));
        return;
    }
    ensureRegistered([this, request, promise](Result<QString> registered) {
        if (!registered.ok()) {
            answer(promise, Result<RunPodPod>(registered.error()));
            return;
        }
        m_client->send("POST", QStringLiteral("/v2/pods"), request.toRunPod(),
                       [this, promise](Result<RunPodClient::Answer> got) {
                           if (!got.ok()) {
                               answer(promise, Result<RunPodPod>(got.error()));
                               return;
                           }
                           auto pod = RunPodPod::fromRunPod(got->json.object());
                           if (pod.ok()) {
                               qCInfo(lcRunPod).noquote() << QStringLiteral("created pod %1").arg(describe(*pod));
                               syncConnection(pod.value());
                               m_service.onPodRead(pod.value());
                               m_service.markBusy();
                           }
                           answer(promise, std::move(pod));
                       });
    });
}

void RunPodWorker::act(const QString &podId, const QString &action, Promise<Result<RunPodPod>> promise)
{
    if (!RunPodPod::allActions().contains(action)) {
        answer(
            promise,
            Result<RunPodPod>(Error::validation(
                QStringLiteral("action"),
                QStringLiteral("'action' must be one of %1").arg(RunPodPod::allActions().join(QStringLiteral(", "))))));
        return;
    }
    withKey([this, podId, action, promise] {
        m_client->send(
            "POST", podPath(podId) + QStringLiteral("/action"), QJsonObject{{QStringLiteral("action"), action}},
            [this, podId, action, promise](Result<RunPodClient::Answer> got) {
                if (!got.ok() && got.error().reason == QStringLiteral("runpod_conflict")) {
                    // Name what the pod allows now: RunPod publishes it in the pod's `actions`.
                    const Error conflict = got.error();
                    getPodThen(podId, [podId, action, conflict, promise](Result<RunPodPod> now) {
                        Error e = conflict;
                        e.reason = QStringLiteral("runpod_action_not_allowed");
                        if (now.ok()) {
                            e.message = QStringLiteral("RunPod cannot %1 pod %2 while it is %3: allowed now: %4 (%5)")
                                            .arg(action, describe(*now), now->status,
                                                 now->actions.isEmpty() ? QStringLiteral("nothing")
                                                                        : now->actions.join(QStringLiteral(", ")),
                                                 conflict.message);
                            e.details.insert(QStringLiteral("allowed_actions"),
                                             QJsonArray::fromStringList(now->actions));
                            e.details.insert(QStringLiteral("pod_status"), now->status);
                        }
                        answer(promise, Result<RunPodPod>(e));
                    });
                    return;
                }
                if (!got.ok()) {
                    answer(promise, Result<RunPodPod>(got.error()));
                    return;
                }
                qCInfo(lcRunPod).noquote() << QStringLiteral("%1 of pod %2 accepted").arg(action, podId);
                m_service.markBusy();
                if (got->status == 204 || action == QStringLiteral("terminate")) {
                    RunPodPod gone = m_service.knownPod(podId).value_or(RunPodPod());
                    gone.id = podId;
                    gone.status = QStringLiteral("TERMINATED");
                    gone.actions.clear();
                    gone.costPerHr = 0;
                    gone.sshDirect = {};
                    gone.sshProxy = {};
                    gone.uptimeS = -1;
                    gone.fetchedAt = nowUtc();
                    syncConnection(gone);
                    m_service.onPodGone(podId);
                    podGone(podId);
                    answer(promise, Result<RunPodPod>(gone));
                    return;
                }
                auto pod = RunPodPod::fromRunPod(got->json.object());
                if (pod.ok()) {
                    syncConnection(pod.value());
                    m_service.onPodRead(pod.value());
                }
                answer(promise, std::move(pod));
            });
    });
}

void RunPodWorker::gpuTypesThen(std::function<void(Result<QList<RunPodGpuType>>)> done)
{
    if (m_catalogAt.isValid() && m_catalogAt.msecsTo(QDateTime::currentDateTimeUtc()) < kCatalogCacheMs) {
        done(m_catalog);
        return;
    }
    withKey([this, done = std::move(done)] {
        m_client->send("GET", QStringLiteral("/v2/catalog/gpus"), {}, [this, done](Result<RunPodClient::Answer> got) {
            if (!got.ok()) {
                done(got.error());
                return;
            }
            QList<RunPodGpuType> types;
            for (const QJsonValue &v : got->json.object().value(QStringLiteral("gpus")).toArray()) {
                auto t = RunPodGpuType::fromRunPod(v.toObject());
                if (t.ok()) {
                    types.append(t.value());
                }
            }
            m_catalog = types;
            m_catalogAt = QDateTime::currentDateTimeUtc();
            done(types);
        });
    });
}

void RunPodWorker::gpuTypes(Promise<Result<QList<RunPodGpuType>>> promise)
{
    gpuTypesThen([promise](Result<QList<RunPodGpuType>> types) { answer(promise, std::move(types)); });
}

void RunPodWorker::setKey(const QString &key, Promise<Status> promise)
{
    const QString trimmed = key.trimmed();
    auto store = [this, trimmed, promise] {
        auto stored = [this, trimmed, promise](Status s) {
            if (!s.ok()) {
                answer(promise, s);
                return;
            }
            m_keyLoaded = true;
            m_keyState.fromEnvironment = !m_config.environmentKey.isEmpty();
            m_keyState.inKeychain = !trimmed.isEmpty();
            m_keyState.keychainReadable = true;
            m_keyState.keychainError.clear();
            if (!m_keyState.fromEnvironment) {
                m_client->setKey(trimmed);
            }
            m_catalogAt = QDateTime();
            m_service.setKeyState(m_keyState);
            qCInfo(lcRunPod).noquote() << (trimmed.isEmpty()
                                               ? QStringLiteral("RunPod API key removed from the keychain")
                                               : QStringLiteral("RunPod API key stored in the keychain"));
            answer(promise, Status());
        };
        if (trimmed.isEmpty()) {
            m_secrets.remove(m_config.keychainKey, stored);
        } else {
            m_secrets.write(m_config.keychainKey, trimmed, stored);
        }
    };
    if (trimmed.isEmpty()) {
        store();
        return;
    }
    // Checked first (one cheap read): a key RunPod refuses is not stored.
    m_client->send(
        "GET", QStringLiteral("/v2/account/ssh-keys"), {},
        [promise, store](Result<RunPodClient::Answer> got) {
            if (!got.ok()) {
                Error e = got.error();
                if (e.reason == QStringLiteral("runpod_unauthorized")) {
                    e.code = ErrorCode::Validation;
                    e.reason = QStringLiteral("runpod_key_invalid");
                    e.field = QStringLiteral("api_key");
                    e.message = QStringLiteral("RunPod refused this API key (401): it was not stored");
                }
                answer(promise, Status(e));
                return;
            }
            store();
        },
        trimmed);
}

void RunPodWorker::readKeyState(Promise<RunPodKeyState> promise)
{
    m_keyLoaded = false; // ask the keychain again: it may have been unlocked or changed meanwhile
    withKey([this, promise] { answer(promise, m_keyState); });
}

QString RunPodWorker::uniqueConnectionName(const QString &podName, const QString &podId)
{
    QString base = podName.trimmed();
    base.replace(QLatin1Char('/'), QLatin1Char('-'));
    bool numeric = false;
    base.toLongLong(&numeric);
    if (base.isEmpty() || numeric) {
        base = QStringLiteral("pod-") + podId;
    }
    base = base.left(100);
    QStringList candidates{base, base + QLatin1Char('-') + podId.left(8), base + QLatin1Char('-') + podId};
    for (const QString &name : candidates) {
        const auto taken = m_connections.find(name);
        if (!taken.ok() && taken.error().code == ErrorCode::NotFound) {
            return name;
        }
    }
    return base + QLatin1Char('-') + podId + QLatin1Char('-') + QString::number(QDateTime::currentMSecsSinceEpoch());
}

void RunPodWorker::syncConnection(RunPodPod &pod)
{
    auto existing = m_connections.findByRunPodPod(pod.id);
    const bool reachable = pod.isRunning() && !pod.sshDirect.isNull();
    if (!reachable) {
        if (existing.ok()) {
            pod.connectionId = existing->id;
            if (m_connectedRun.remove(pod.id) > 0 || m_ssh.status(existing->id).state != LinkState::Disconnected) {
                // A pod that is not running is not "unreachable": its link is closed, not probed.
                m_ssh.disconnectFrom(existing->id);
            }
        }
        return;
    }
    const QString run = runOf(pod);
    const bool newRun = HostKeys::startPodRun(m_config.knownHostsPath, pod.id, run);
    if (newRun) {
        qCInfo(lcRunPod).noquote() << QStringLiteral("pod %1 runs at %2:%3: its host key will be trusted on first use")
                                          .arg(describe(pod), pod.sshDirect.host)
                                          .arg(pod.sshDirect.port);
    }
    Connection c;
    if (existing.ok()) {
        c = existing.value();
        const bool moved = c.hostname != pod.sshDirect.host || c.port != pod.sshDirect.port ||
                           (!pod.sshDirect.username.isEmpty() && c.username != pod.sshDirect.username);
        if (moved) {
            c.hostname = pod.sshDirect.host;
            c.port = pod.sshDirect.port;
            if (!pod.sshDirect.username.isEmpty()) {
                c.username = pod.sshDirect.username;
            }
            bool reconnected = false;
            auto updated = m_connectionService.update(c, &reconnected);
            if (!updated.ok()) {
                qCWarning(lcRunPod).noquote() << QStringLiteral("cannot update the connection of pod %1: %2")
                                                     .arg(describe(pod), updated.error().message);
                pod.connectionId = c.id;
                return;
            }
            c = updated.value();
            if (reconnected) {
                m_connectedRun.insert(pod.id, run);
            }
        }
    } else if (existing.error().code == ErrorCode::NotFound) {
        c.name = uniqueConnectionName(pod.name, pod.id);
        c.hostname = pod.sshDirect.host;
        c.port = pod.sshDirect.port;
        c.username = pod.sshDirect.username.isEmpty() ? QStringLiteral("root") : pod.sshDirect.username;
        c.kind = QStringLiteral("runpod");
        c.authMethod = QStringLiteral("key");
        c.sshKeyPath = RunPodSshKey::privateKeyPath(m_config.dataDir);
        c.watch = false; // RunPodService connects it while the pod runs; a stopped pod is not probed
        c.runpodPodId = pod.id;
        auto created = m_connections.create(c);
        if (!created.ok()) {
            qCWarning(lcRunPod).noquote() << QStringLiteral("cannot make a connection for pod %1: %2")
                                                 .arg(describe(pod), created.error().message);
            return;
        }
        c = created.value();
        qCInfo(lcRunPod).noquote() << QStringLiteral("pod %1 is the connection '%2'").arg(describe(pod), c.name);
    } else {
        qCWarning(lcRunPod).noquote() << existing.error().message;
        return;
    }
    pod.connectionId = c.id;
    const LinkState state = m_ssh.status(c.id).state;
    if (m_connectedRun.value(pod.id) != run || (state == LinkState::Disconnected && !m_connectedRun.contains(pod.id))) {
        m_connectedRun.insert(pod.id, run);
        if (state != LinkState::Connected && state != LinkState::Connecting) {
            m_ssh.connectTo(c);
        }
    }
}

void RunPodWorker::podGone(const QString &podId)
{
    m_connectedRun.remove(podId);
    const auto c = m_connections.findByRunPodPod(podId);
    if (c.ok()) {
        m_ssh.disconnectFrom(c->id);
    }
    HostKeys::forgetPod(m_config.knownHostsPath, podId);
}

} // namespace gpudeck
