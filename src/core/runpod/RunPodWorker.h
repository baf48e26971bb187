#pragma once

#include "Result.h"
#include "runpod/RunPodClient.h"
#include "runpod/RunPodTypes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPromise>
#include <functional>
#include <memory>

namespace gpudeck {

class ConnectionRepository;
class ConnectionService;
class RunPodService;
class SecretStore;
class SshPool;

// What RunPodService runs on its thread (`gpudeck-runpod`): the HTTP client, the API key in memory, the GPU catalog
// cache, and the work of turning running pods into connections. Every method runs on that thread; answers go to
// promises; what is learnt about pods goes to the service (thread-safe bookkeeping) directly.
class RunPodWorker : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QString baseUrl;        // RUNPOD_API_BASE or https://api.runpod.io
        QString environmentKey; // RUNPOD_API_KEY (wins over the keychain)
        QString keychainKey;    // the keychain entry's name for this install
        QString dataDir;
        QString knownHostsPath;
        QString instanceId;
    };
    template<typename T>
    using Promise = std::shared_ptr<QPromise<T>>;

    RunPodWorker(RunPodService &service, ConnectionRepository &connections, ConnectionService &connectionService,
                 SshPool &ssh, SecretStore &secrets, Config config, QObject *parent = nullptr);
    ~RunPodWorker() override; // the client first: its queued requests are answered while the worker is whole

    void listPods(Promise<Result<QList<RunPodPod>>> promise); // null promise: a poll (joins a list in flight)
    void getPod(const QString &podId, Promise<Result<RunPodPod>> promise);
    void create(const RunPodCreate &request, Promise<Result<RunPodPod>> promise);
    void act(const QString &podId, const QString &action, Promise<Result<RunPodPod>> promise);
    void gpuTypes(Promise<Result<QList<RunPodGpuType>>> promise);
    void setKey(const QString &key, Promise<Status> promise);
    void readKeyState(Promise<RunPodKeyState> promise);
    void registerKey(Promise<Result<QString>> promise);
    // At start: read the pods once when runpod connections exist (their addresses may have moved meanwhile).
    void startup();

    RunPodRateLimit rateLimit() const { return m_client->rateLimit(); }

    static constexpr int kCatalogCacheMs = 5 * 60 * 1000;

private:
    // Loads the key once (environment, else keychain), then runs `then`.
    void withKey(std::function<void()> then);
    void getPodThen(const QString &podId, std::function<void(Result<RunPodPod>)> done);
    void ensureRegistered(std::function<void(Result<QString>)> done);
    void gpuTypesThen(std::function<void(Result<QList<RunPodGpuType>>)> done);
    // Makes or updates the pod's connection when it runs with ssh.direct, disconnects it when the pod stopped;
    // fills pod.connectionId.
    void syncConnection(RunPodPod &pod);
    void podGone(const QString &podId);
    QString uniqueConnectionName(const QString &podName, const QString &podId);

    RunPodService &m_service;
    ConnectionRepository &m_connections;
    ConnectionService &m_connectionService;
    SshPool &m_ssh;
    SecretStore &m_secrets;
    Config m_config;
    RunPodClient *m_client = nullptr; // a child

    bool m_keyLoaded = false;
    QList<std::function<void()>> m_keyWaiters;
    RunPodKeyState m_keyState;

    QList<Promise<Result<QList<RunPodPod>>>> m_listWaiters; // joined onto the list in flight
    bool m_listing = false;

    QList<RunPodGpuType> m_catalog;
    QDateTime m_catalogAt;

    QHash<QString, QString> m_connectedRun; // pod id → the run its connection was last connected for
};

} // namespace gpudeck
