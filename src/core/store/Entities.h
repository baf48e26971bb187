#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

// ISO 8601 UTC with milliseconds, e.g. 2026-11-22T20:24:06.123Z; empty for a null time.
QString isoUtc(const QDateTime &time);
QDateTime parseIsoUtc(const QString &text);
QDateTime nowUtc();

// A host reachable over SSH (or this computer, for kind "local").
struct Connection
{
    qint64 id = 0;
    QString name;
    QString hostname;
    QString username;
    QString sshKeyPath;
    int port = 22;
    QString kind = QStringLiteral("generic");
    QString authMethod = QStringLiteral("agent");
    QString macAddress;
    bool watch = true;      // connected at start and kept connected; a down host is probed
    QString wolBroadcast;   // Wake-on-LAN target address (IPv4); empty: the default broadcasts
    int wolPort = 9;        // Wake-on-LAN UDP port
    QString proxmoxTokenId; // USER@REALM!TOKENID of a Proxmox VE API token (its secret is in the keychain)
    int proxmoxApiPort = 8006;
    QString proxmoxFingerprint; // the pinned SHA-256 of the Proxmox API certificate; set only by the trust flow
    QString runpodPodId; // the RunPod pod a `runpod` connection was made from; set only by RunPodService (create)
    bool isActive = false;
    QDateTime lastConnectedAt;
    QDateTime createdAt;
    QDateTime updatedAt;

    static QStringList kinds();       // generic dgx-spark proxmox runpod local
    static QStringList authMethods(); // key password agent

    Status validate() const;
    QJsonObject toJson() const;
    // Applies the writable fields present in `json`; with `requireAll` the required ones must be there.
    Status applyJson(const QJsonObject &json, bool requireAll);
};

struct Project
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString name;
    QString description;
    QString projectType = QStringLiteral("other");
    QString remotePath;
    QString status = QStringLiteral("active");
    QString backend = QStringLiteral("tmux"); // where launched jobs run: tmux on the host, or slurm
    QJsonObject config;
    // Sync (src/core/sync): the local git work tree whose tracked files go to remote_path, and extra local files
    // outside git (a .env, credentials), named one by one: relative to local_path or absolute, never a pattern.
    QString localPath;
    QStringList extraFiles;
    QDateTime createdAt;
    QDateTime updatedAt;

    static QStringList projectTypes(); // computer_vision nlp reinforcement_learning generative other
    static QStringList backends();     // tmux slurm
    static QStringList statuses();     // active paused archived

    Status validate() const;
    // local_path on this computer: exists, is a folder, inside a git work tree (not inside a .git folder). Reads the
    // file system, so the repository calls it only when local_path is set or changed.
    static Status checkLocalPath(const QString &path);
    QJsonObject toJson() const;
    // connection_id is resolved by the caller (it may be a name); this applies the other fields.
    Status applyJson(const QJsonObject &json, bool requireAll);
};

struct Job
{
    qint64 id = 0;
    qint64 projectId = 0;
    QString name;
    QString modelName;
    QString status = QStringLiteral("pending");
    QJsonObject config;
    QJsonObject metrics;
    QString containerId; // the backend's handle: tmux session name or Slurm job id
    QDateTime startedAt;
    QDateTime completedAt;
    QDateTime createdAt;
    // For jobs GPU Deck launches (empty command: a tracked job that something else updates).
    QString command;
    QString workingDir; // default: the project's remote_path
    QJsonObject env;    // extra environment variables, strings
    std::optional<int> exitCode;
    QString statusReason; // why it failed / was cancelled, in words
    QString backend;      // set at start: tmux or slurm
    int attempt = 0;      // how many times GPU Deck has started it (0: never); the fields above describe the latest
    // The cost guard (costguard/CostGuard.h): what happens to the job's RunPod pod once the job ends (completed,
    // failed or cancelled): none, stop_pod or terminate_pod. Anything but none needs a project on a `runpod`
    // connection (JobRepository refuses it otherwise).
    QString onEnd = QStringLiteral("none");
    bool syncBeforeStart = false; // sync the project's files to its host before each launch
    // What the cost guard did about on_end for the latest end (empty: nothing yet): {action, state, due_at,
    // finished_at, tries, pod_id, message}. Written by the cost guard only.
    QJsonObject onEndResult;

    static QStringList statuses();     // pending running completed failed cancelled
    static QStringList onEndActions(); // none stop_pod terminate_pod
    static bool isFinal(const QString &status);
    // A new pending job named `newName` in the same project with this one's definition (model, config, command,
    // working directory, env, the cost guard's on_end, sync before start) and none of its runs: no attempts, times,
    // exit code, metrics or container. What the Jobs pane's "Duplicate" starts from.
    Job duplicate(const QString &newName) const;

    Status validate() const;
    QJsonObject toJson() const;
    Status applyJson(const QJsonObject &json, bool requireAll);
};

// One run of a launched job on its host: where its files are (each attempt has its own folder, log and exit code),
// what the host calls it, and how it ended. Recorded when it starts, so a job keeps being found under the name it
// was started with, whatever the naming is today.
struct JobAttempt
{
    qint64 jobId = 0;
    int attempt = 0;
    QString backend;     // tmux or slurm
    QString hostDir;     // its folder on the host, as "$HOME/..." (used inside double quotes in shell)
    QString session;     // the tmux session, or the Slurm job name
    QString containerId; // the Slurm job id (tmux: the session)
    QDateTime startedAt;
    QDateTime endedAt; // null while it may still run
    QString status;    // how it ended (completed, failed, cancelled); empty while live
    std::optional<int> exitCode;
    QString statusReason;

    bool isLive() const { return !endedAt.isValid(); }
    QJsonObject toJson() const;
};

} // namespace gpudeck
