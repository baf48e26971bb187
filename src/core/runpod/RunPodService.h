#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "plans/ActionPlan.h"
#include "runpod/RunPodTypes.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <optional>

class QTimer;

namespace gpudeck {

class ConnectionRepository;
class ConnectionService;
class Database;
class RunPodWorker;
class SecretStore;
class SshPool;

// RunPod pods (REST API v2): the one door the API, MCP, the Fleet pane's Pods section and the cost guard use. Owned
// by Core, lives on the main thread; the HTTP client and everything it learns run on its worker thread
// (`gpudeck-runpod`). Every method is thread-safe and returns at once (futures, or what is already known).
//
// The API key: RUNPOD_API_KEY from the environment, else the keychain entry this install wrote (setApiKey: the GUI's
// key dialog, PUT /api/runpod/credentials). Never in the database, a log or a message. Without one every call fails
// with reason `runpod_key_missing` (409). The base URL is https://api.runpod.io unless RUNPOD_API_BASE is set.
//
// Pods become connections: every read that sees a pod RUNNING with `ssh.direct` creates (or updates, never
// duplicates: `Connection::runpodPodId`) a connection of kind `runpod` named after the pod (host, port and user from
// ssh.direct, GPU Deck's own key), and connects it. Host and port move on every start; the pod's host key is new on
// every start too, so it is trusted on first use per pod and per run (see docs/runpod.md). A pod that stops is
// disconnected (no "unreachable" alert for a pod you stopped).
//
// Reads: the pods are read every pollIntervalMs() (5 s) while someone watch()es them or a pod is on its way
// (PROVISIONING, STARTING, or an action in flight), every kIdlePollMs (60 s) while runpod connections exist, else
// only when asked. Requests honour RunPod's rate limit (RateLimit header; 429 + Retry-After: held, then retried).
class RunPodService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultPollIntervalMs = 5000;
    static constexpr int kIdlePollMs = 60000;

    // `dataDir`: where GPU Deck's RunPod SSH key pair lives (runpod/id_ed25519) and, beside `knownHostsPath`, the
    // pods' host keys (runpod-known-hosts/<pod id>).
    RunPodService(ConnectionRepository &connections, ConnectionService &connectionService, SshPool &ssh,
                  SecretStore &secrets, Database &db, QString dataDir, QString knownHostsPath,
                  QObject *parent = nullptr);
    ~RunPodService() override;

    void start(); // main thread, after the database is open
    void stop();

    // --- Pods
    // Every pod of the account (as read now), with their connections.
    QFuture<Result<QList<RunPodPod>>> pods();
    // One pod (as read now). NotFound (404) when RunPod does not know it.
    QFuture<Result<RunPodPod>> pod(const QString &podId);
    // What is known without asking RunPod (the last read; empty before the first).
    QList<RunPodPod> knownPods() const;
    std::optional<RunPodPod> knownPod(const QString &podId) const;
    // The pod a `runpod` connection was made from, as last read.
    std::optional<RunPodPod> podOfConnection(qint64 connectionId) const;

    // Creates a pod (registers GPU Deck's SSH key on the account first, so the pod starts sshd with it). Answers
    // the pod as RunPod created it (PROVISIONING); it is then followed until RUNNING and becomes a connection.
    QFuture<Result<RunPodPod>> create(const RunPodCreate &request);
    // The dry run of create(): what it would start and its hourly price (read from the GPU catalog, cached 5 min).
    QFuture<Result<ActionPlan>> planCreate(const RunPodCreate &request);

    // start, stop, restart or terminate (RunPod's POST /v2/pods/{id}/action). Answers the pod afterwards; a
    // terminated pod is answered with status TERMINATED. An action the pod's status does not allow is a Conflict
    // (409, reason `runpod_action_not_allowed`) whose message and details (`allowed_actions`) name the allowed ones.
    QFuture<Result<RunPodPod>> action(const QString &podId, const QString &action);
    // The dry run of action(), from what is known (no request): effects, price, and what it would refuse.
    Result<ActionPlan> planAction(const QString &podId, const QString &action) const;

    // GPU types with their list prices (RunPod's catalog), cached for 5 minutes.
    QFuture<Result<QList<RunPodGpuType>>> gpuTypes();

    // --- Account
    // Stores the API key in the keychain (an empty key removes it). The key is checked first with one read of the
    // account's SSH keys: a key RunPod refuses (401) is not stored.
    QFuture<Status> setApiKey(const QString &key);
    // Where the key comes from, read now (keychain asked) / as last known (no waiting).
    QFuture<RunPodKeyState> keyState();
    RunPodKeyState knownKeyState() const;
    // Makes sure GPU Deck's public key is among the account's SSH keys (GET, then PUT of the whole list with it
    // added: the others are kept). Answers the key line. Done before every create.
    QFuture<Result<QString>> registerSshKey();
    // GPU Deck's own SSH key pair for pods (made on first use, ed25519, this install's): what runpod connections
    // authenticate with. See docs/decisions.md.
    QString privateKeyPath() const;
    QString publicKeyLine() const; // empty until the pair exists

    RunPodRateLimit rateLimit() const;

    // --- Reading while shown
    void watch(); // counted
    void unwatch();
    void refresh(); // reads the pods now (joins a read in flight)
    void setPollIntervalMs(int ms);
    int pollIntervalMs() const;

Q_SIGNALS:
    // Emitted on the worker's thread after every successful read of the pod list (connect with a context).
    void podsChanged(const QList<gpudeck::RunPodPod> &pods);
    // A pod read or changed by an action (also on the worker's thread). A terminated pod arrives with status
    // TERMINATED once.
    void podUpdated(const gpudeck::RunPodPod &pod);
    void keyStateChanged(const gpudeck::RunPodKeyState &state);
    // A read of the pod list failed (a poll or pods()): the error's reason (e.g. runpod_key_missing,
    // runpod_unauthorized, runpod_unreachable) and message. Worker thread.
    void podsReadFailed(const QString &reason, const QString &message);

private:
    friend class RunPodWorker;
    // Worker thread: the pods read; answers the ids of pods known before and not listed now.
    QStringList onPodsRead(const QList<RunPodPod> &pods);
    void onPodRead(const RunPodPod &pod); // worker thread
    void onPodGone(const QString &podId); // worker thread
    void setKeyState(const RunPodKeyState &state);
    void markBusy(); // an action or create was answered: read often for a while
    void poll();     // main thread

    ConnectionRepository &m_connections;
    ConnectionService &m_connectionService;
    SshPool &m_ssh;
    SecretStore &m_secrets;
    Database &m_db;
    QString m_dataDir;
    QString m_knownHostsPath;
    WorkerThread<RunPodWorker> m_thread{QStringLiteral("gpudeck-runpod")};
    QTimer *m_pollTimer = nullptr;

    mutable QMutex m_mutex;
    QHash<QString, RunPodPod> m_pods; // by id, as last read
    bool m_listed = false;            // a full list was read at least once
    int m_watchers = 0;
    int m_pollIntervalMs = kDefaultPollIntervalMs;
    qint64 m_lastPollMs = 0;
    qint64 m_busyUntilMs = 0; // an action or create was answered: read often until then
    RunPodKeyState m_keyState;
};

} // namespace gpudeck
