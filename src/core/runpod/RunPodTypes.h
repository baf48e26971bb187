#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace gpudeck {

// One way to reach a pod over SSH (RunPod's PodSshEndpoint). Empty host: none (the pod is not running, or 22/tcp is
// not published).
struct RunPodSshEndpoint
{
    QString host;
    int port = 0;
    QString username;

    bool isNull() const { return host.isEmpty() || port <= 0; }
    QJsonObject toJson() const; // {"host", "port", "username"}
};

// A pod as RunPod's v2 API describes it (schema Pod), with what GPU Deck adds: the `runpod` connection made from it
// and its cost so far. A plain value, copied freely between threads.
struct RunPodPod
{
    QString id;
    QString name;
    QString status;      // PROVISIONING STARTING RUNNING EXITED ERROR TERMINATED
    QStringList actions; // what the pod's status allows now: start stop restart terminate
    QString image;
    QString gpuTypeId; // empty for a CPU pod
    int gpuCount = 0;
    QString cloud; // SECURE or COMMUNITY
    int diskGb = 0;
    int volumeGb = 0; // mounts.persistent.size; 0 without a persistent volume
    QString volumePath;
    QStringList ports;    // "22/tcp", "8888/http"
    QStringList envKeys;  // the names of the pod's environment variables (their values are never kept: secrets)
    double costPerHr = 0; // USD per hour now (0 while EXITED or TERMINATED), RunPod's `cost`
    QString dataCenterId;
    QString cudaVersion;
    RunPodSshEndpoint sshDirect; // straight to the pod's sshd (published 22/tcp): what a connection uses
    RunPodSshEndpoint sshProxy;  // RunPod's proxy: a shell only (no SFTP, no exec channels): not used
    qint64 uptimeS = -1;         // runtime.uptime; -1 when RunPod gave none
    QDateTime createdAt;
    QDateTime startedAt; // this run's start; null while never started
    // Filled by GPU Deck:
    QDateTime fetchedAt;     // when this was read from RunPod
    qint64 connectionId = 0; // the `runpod` connection made from this pod (0: none yet)

    static QStringList statuses();
    static QStringList allActions(); // start stop restart terminate
    bool isRunning() const { return status == QStringLiteral("RUNNING"); }
    bool isTransitional() const; // PROVISIONING or STARTING: worth reading again soon

    // Seconds this run has lasted at `now`: runtime.uptime advanced from fetchedAt, else since startedAt; 0 unless
    // RUNNING.
    qint64 runSeconds(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // The compute cost of this run so far in USD: costPerHr × runSeconds() / 3600 (0 unless RUNNING). Storage of a
    // stopped pod and earlier runs are not counted (RunPod's billing API has those; GPU Deck does not read it).
    double costSoFar(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    // The API's form (snake_case), with cost_so_far_usd and uptime_s worked out at `now`.
    QJsonObject toJson(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // From RunPod's Pod object; a Validation error names what is missing.
    static Result<RunPodPod> fromRunPod(const QJsonObject &pod);
};

// A GPU type of RunPod's catalog (schema GpuType) with its list prices per GPU per hour.
struct RunPodGpuType
{
    QString id; // what a create names (e.g. "NVIDIA GeForce RTX 4090")
    QString name;
    QString manufacturer;
    int memoryGb = 0;
    bool secure = false;
    bool community = false;
    double priceSecure = 0;
    double priceCommunity = 0;
    int maxCountSecure = 0;
    int maxCountCommunity = 0;

    // Hourly list price of `count` GPUs on `cloud` (SECURE or COMMUNITY); 0 when not offered there.
    double hourly(const QString &cloud, int count) const;
    QJsonObject toJson() const;
    static Result<RunPodGpuType> fromRunPod(const QJsonObject &gpu);
};

// What a new pod is made of (POST /api/runpod/pods). validate() checks it before anything is sent; toRunPod() is
// RunPod's CreatePodRequest: GPU Deck always asks for `22/tcp` and `startSsh`, so the pod can become a connection.
struct RunPodCreate
{
    static constexpr const char *kDefaultImage = "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404";
    static constexpr int kDefaultDiskGb = 50;
    static constexpr int kDefaultVolumeGb = 20;
    static constexpr const char *kVolumePath = "/workspace";

    QString name;
    QString gpuTypeId;
    int gpuCount = 1;
    QString image = QString::fromLatin1(kDefaultImage);
    QString cloud = QStringLiteral("SECURE");
    int diskGb = kDefaultDiskGb;
    int volumeGb = kDefaultVolumeGb; // 0: no persistent volume (RunPod's floor is 10 GB otherwise)
    QStringList ports;               // extra ports ("8888/http"); 22/tcp is always added
    QMap<QString, QString> env;

    Status validate() const;
    QJsonObject toRunPod() const;
    // From the API's body (name, gpu_type, gpu_count, image, cloud, disk_gb, volume_gb, ports, env); `confirm` and
    // `dry_run` are the caller's business. Validation errors name the field.
    static Result<RunPodCreate> fromJson(const QJsonObject &json);
};

// Where the API key comes from: RUNPOD_API_KEY wins over the keychain. Never the key itself.
struct RunPodKeyState
{
    bool fromEnvironment = false;
    bool inKeychain = false;
    bool keychainReadable = true; // false: the keychain could not be asked (locked, not running)
    QString keychainError;

    bool configured() const { return fromEnvironment || inKeychain; }
    QString source() const; // "environment", "keychain" or "none"
    QJsonObject toJson() const;
};

// The account's request budget as RunPod last reported it (RateLimit header), and how long GPU Deck is holding its
// requests back after a 429 (Retry-After).
struct RunPodRateLimit
{
    int remaining = -1;  // requests left in the tightest window; -1 unknown
    int resetS = -1;     // seconds until that window resets
    QString window;      // "minute", "hour", "day"
    QDateTime heldUntil; // requests wait until then (429 Retry-After, or a window at 0)
    int retried = 0;     // requests retried after a 429 since start

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::RunPodPod)
Q_DECLARE_METATYPE(gpudeck::RunPodKeyState)
