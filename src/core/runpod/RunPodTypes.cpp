#include "runpod/RunPodTypes.h"

#include "store/Entities.h"
#include "store/JsonValues.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <cmath>

namespace gpudeck {
namespace {

RunPodSshEndpoint endpointFrom(const QJsonValue &v)
{
    RunPodSshEndpoint e;
    if (!v.isObject()) {
        return e;
    }
    const QJsonObject o = v.toObject();
    e.host = o.value(QStringLiteral("host")).toString();
    e.port = o.value(QStringLiteral("port")).toInt();
    e.username = o.value(QStringLiteral("username")).toString();
    return e;
}

double roundCents(double usd)
{
    return std::round(usd * 10000.0) / 10000.0;
}

Error invalid(const QString &field, const QString &message)
{
    return Error::validation(field, message);
}

} // namespace

QJsonObject RunPodSshEndpoint::toJson() const
{
    return {{QStringLiteral("host"), host}, {QStringLiteral("port"), port}, {QStringLiteral("username"), username}};
}

QStringList RunPodPod::statuses()
{
    return {QStringLiteral("PROVISIONING"), QStringLiteral("STARTING"), QStringLiteral("RUNNING"),
            QStringLiteral("EXITED"),       QStringLiteral("ERROR"),    QStringLiteral("TERMINATED")};
}

QStringList RunPodPod::allActions()
{
    return {QStringLiteral("start"), QStringLiteral("stop"), QStringLiteral("restart"), QStringLiteral("terminate")};
}

bool RunPodPod::isTransitional() const
{
    return status == QStringLiteral("PROVISIONING") || status == QStringLiteral("STARTING");
}

qint64 RunPodPod::runSeconds(const QDateTime &now) const
{
    if (!isRunning()) {
        return 0;
    }
    if (uptimeS >= 0 && fetchedAt.isValid()) {
        return uptimeS + qMax<qint64>(0, fetchedAt.secsTo(now));
    }
    if (startedAt.isValid()) {
        return qMax<qint64>(0, startedAt.secsTo(now));
    }
    return 0;
}

double RunPodPod::costSoFar(const QDateTime &now) const
{
    return costPerHr * double(runSeconds(now)) / 3600.0;
}

QJsonObject RunPodPod::toJson(const QDateTime &now) const
{
    QJsonObject gpu;
    if (!gpuTypeId.isEmpty()) {
        gpu = {{QStringLiteral("id"), gpuTypeId}, {QStringLiteral("count"), gpuCount}};
    }
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("status"), status},
        {QStringLiteral("actions"), QJsonArray::fromStringList(actions)},
        {QStringLiteral("image"), image},
        {QStringLiteral("gpu_type"), textOrNull(gpuTypeId)},
        {QStringLiteral("gpu_count"), gpuCount},
        {QStringLiteral("cloud"), cloud},
        {QStringLiteral("disk_gb"), diskGb},
        {QStringLiteral("volume_gb"), volumeGb},
        {QStringLiteral("volume_path"), textOrNull(volumePath)},
        {QStringLiteral("ports"), QJsonArray::fromStringList(ports)},
        {QStringLiteral("env_keys"), QJsonArray::fromStringList(envKeys)},
        {QStringLiteral("cost_per_hr"), costPerHr},
        {QStringLiteral("cost_so_far_usd"), roundCents(costSoFar(now))},
        {QStringLiteral("uptime_s"), runSeconds(now)},
        {QStringLiteral("data_center_id"), textOrNull(dataCenterId)},
        {QStringLiteral("cuda_version"), textOrNull(cudaVersion)},
        {QStringLiteral("ssh_direct"), sshDirect.isNull() ? QJsonValue() : QJsonValue(sshDirect.toJson())},
        {QStringLiteral("created_at"), timeOrNull(createdAt)},
        {QStringLiteral("started_at"), timeOrNull(startedAt)},
        {QStringLiteral("fetched_at"), timeOrNull(fetchedAt)},
        {QStringLiteral("connection_id"), connectionId > 0 ? QJsonValue(connectionId) : QJsonValue()},
    };
}

Result<RunPodPod> RunPodPod::fromRunPod(const QJsonObject &o)
{
    RunPodPod p;
    p.id = o.value(QStringLiteral("id")).toString();
    p.status = o.value(QStringLiteral("status")).toString();
    if (p.id.isEmpty() || p.status.isEmpty()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("runpod_bad_answer"),
                           QStringLiteral("RunPod answered a pod without an id or a status"));
    }
    p.name = o.value(QStringLiteral("name")).toString();
    for (const QJsonValue &a : o.value(QStringLiteral("actions")).toArray()) {
        p.actions << a.toString();
    }
    p.image = o.value(QStringLiteral("image")).toString();
    const QJsonObject gpu = o.value(QStringLiteral("gpu")).toObject();
    p.gpuTypeId = gpu.value(QStringLiteral("id")).toString();
    p.gpuCount = p.gpuTypeId.isEmpty() ? 0 : gpu.value(QStringLiteral("count")).toInt(1);
    p.cloud = o.value(QStringLiteral("cloud")).toString();
    p.diskGb = o.value(QStringLiteral("disk")).toInt();
    const QJsonObject persistent =
        o.value(QStringLiteral("mounts")).toObject().value(QStringLiteral("persistent")).toObject();
    p.volumeGb = persistent.value(QStringLiteral("size")).toInt();
    p.volumePath = persistent.value(QStringLiteral("path")).toString();
    for (const QJsonValue &port : o.value(QStringLiteral("ports")).toArray()) {
        p.ports << port.toString();
    }
    p.envKeys = o.value(QStringLiteral("env")).toObject().keys();
    p.costPerHr = o.value(QStringLiteral("cost")).toDouble();
    p.dataCenterId = o.value(QStringLiteral("dataCenterId")).toString();
    p.cudaVersion = o.value(QStringLiteral("cudaVersion")).toString();
    const QJsonObject ssh = o.value(QStringLiteral("ssh")).toObject();
    p.sshDirect = endpointFrom(ssh.value(QStringLiteral("direct")));
    p.sshProxy = endpointFrom(ssh.value(QStringLiteral("proxy")));
    const QJsonValue runtime = o.value(QStringLiteral("runtime"));
    if (runtime.isObject() && runtime.toObject().contains(QStringLiteral("uptime"))) {
        p.uptimeS = runtime.toObject().value(QStringLiteral("uptime")).toInteger();
    }
    p.createdAt = parseIsoUtc(o.value(QStringLiteral("createdAt")).toString());
    p.startedAt = parseIsoUtc(o.value(QStringLiteral("startedAt")).toString());
    p.fetchedAt = nowUtc();
    return p;
}

double RunPodGpuType::hourly(const QString &cloud, int count) const
{
    const bool onCommunity = cloud == QStringLiteral("COMMUNITY");
    if (onCommunity ? !community : !secure) {
        return 0;
    }
    return (onCommunity ? priceCommunity : priceSecure) * qMax(1, count);
}

QJsonObject RunPodGpuType::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("manufacturer"), manufacturer},
        {QStringLiteral("memory_gb"), memoryGb},
        {QStringLiteral("secure"), secure},
        {QStringLiteral("community"), community},
        {QStringLiteral("price_secure_per_hr"), priceSecure},
        {QStringLiteral("price_community_per_hr"), priceCommunity},
        {QStringLiteral("max_count_secure"), maxCountSecure},
        {QStringLiteral("max_count_community"), maxCountCommunity},
    };
}

Result<RunPodGpuType> RunPodGpuType::fromRunPod(const QJsonObject &o)
{
    RunPodGpuType g;
    g.id = o.value(QStringLiteral("id")).toString();
    if (g.id.isEmpty()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("runpod_bad_answer"),
                           QStringLiteral("RunPod answered a GPU type without an id"));
    }
    g.name = o.value(QStringLiteral("name")).toString();
    g.manufacturer = o.value(QStringLiteral("manufacturer")).toString();
    g.memoryGb = o.value(QStringLiteral("memory")).toInt();
    g.secure = o.value(QStringLiteral("secure")).toBool();
    g.community = o.value(QStringLiteral("community")).toBool();
    const QJsonObject price = o.value(QStringLiteral("price")).toObject();
    g.priceSecure = price.value(QStringLiteral("secure")).toDouble();
    g.priceCommunity = price.value(QStringLiteral("community")).toDouble();
    const QJsonObject max = o.value(QStringLiteral("maxCount")).toObject();
    g.maxCountSecure = max.value(QStringLiteral("secure")).toInt();
    g.maxCountCommunity = max.value(QStringLiteral("community")).toInt();
    return g;
}

Status RunPodCreate::validate() const
{
    static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    static const QRegularExpression portPattern(QStringLiteral("^([0-9]{1,5})/(tcp|http|udp)$"));
    if (name.trimmed().isEmpty() || name.size() > 128 || name.contains(QLatin1Char('/'))) {
        return invalid(QStringLiteral("name"), QStringLiteral("'name' is required: at most 128 characters, no '/'"));
    }
    bool numeric = false;
    name.toLongLong(&numeric);
    if (numeric) {
        return invalid(QStringLiteral("name"),
                       QStringLiteral("'name' must not be a number (the pod's connection is named after it)"));
    }
    if (gpuTypeId.trimmed().isEmpty()) {
        return invalid(QStringLiteral("gpu_type"),
                       QStringLiteral("'gpu_type' is required: a GPU type id from GET /api/runpod/gpu-types"));
    }
    if (gpuCount < 1 || gpuCount > 16) {
        return invalid(QStringLiteral("gpu_count"), QStringLiteral("'gpu_count' must be between 1 and 16"));
    }
    if (image.trimmed().isEmpty()) {
        return invalid(QStringLiteral("image"), QStringLiteral("'image' must not be empty"));
    }
    if (cloud != QStringLiteral("SECURE") && cloud != QStringLiteral("COMMUNITY")) {
        return invalid(QStringLiteral("cloud"), QStringLiteral("'cloud' must be SECURE or COMMUNITY"));
    }
    if (diskGb < 1 || diskGb > 4096) {
        return invalid(QStringLiteral("disk_gb"), QStringLiteral("'disk_gb' must be between 1 and 4096"));
    }
    if (volumeGb != 0 && (volumeGb < 10 || volumeGb > 65536)) {
        return invalid(QStringLiteral("volume_gb"),
                       QStringLiteral("'volume_gb' must be 0 (none) or between 10 and 65536 (RunPod's floor is 10)"));
    }
    for (const QString &p : ports) {
        const auto m = portPattern.match(p);
        if (!m.hasMatch() || m.captured(1).toInt() < 1 || m.captured(1).toInt() > 65535) {
            return invalid(QStringLiteral("ports"),
                           QStringLiteral("'ports' entries look like 8888/http or 6006/tcp (got '%1')").arg(p));
        }
    }
    for (auto it = env.cbegin(); it != env.cend(); ++it) {
        if (!envName.match(it.key()).hasMatch()) {
            return invalid(QStringLiteral("env"),
                           QStringLiteral("'env' names are letters, digits and _, not starting with a digit (got "
                                          "'%1')")
                               .arg(it.key()));
        }
        if (it.key() == QStringLiteral("PUBLIC_KEY")) {
            return invalid(QStringLiteral("env"),
                           QStringLiteral("'env' must not set PUBLIC_KEY: GPU Deck's registered key goes there"));
        }
    }
    return {};
}

QJsonObject RunPodCreate::toRunPod() const
{
    QStringList allPorts{QStringLiteral("22/tcp")};
    for (const QString &p : ports) {
        if (!allPorts.contains(p)) {
            allPorts << p;
        }
    }
    QJsonObject body{
        {QStringLiteral("name"), name.trimmed()},
        {QStringLiteral("image"), image.trimmed()},
        {QStringLiteral("gpu"), QJsonObject{{QStringLiteral("id"), gpuTypeId}, {QStringLiteral("count"), gpuCount}}},
        {QStringLiteral("cloud"), cloud},
        {QStringLiteral("disk"), diskGb},
        {QStringLiteral("ports"), QJsonArray::fromStringList(allPorts)},
        {QStringLiteral("startSsh"), true},
    };
    if (volumeGb > 0) {
        body.insert(QStringLiteral("mounts"),
                    QJsonObject{{QStringLiteral("persistent"),
                                 QJsonObject{{QStringLiteral("size"), volumeGb},
                                             {QStringLiteral("path"), QString::fromLatin1(kVolumePath)}}}});
    }
    if (!env.isEmpty()) {
        QJsonObject e;
        for (auto it = env.cbegin(); it != env.cend(); ++it) {
            e.insert(it.key(), it.value());
        }
        body.insert(QStringLiteral("env"), e);
    }
    return body;
}

Result<RunPodCreate> RunPodCreate::fromJson(const QJsonObject &json)
{
    RunPodCreate c;
    auto text = [&json](const QString &field, QString &out) -> Status {
        const QJsonValue v = json.value(field);
        if (v.isUndefined()) {
            return {};
        }
        if (!v.isString()) {
            return invalid(field, QStringLiteral("'%1' must be a string").arg(field));
        }
        out = v.toString();
        return {};
    };
    auto integer = [&json](const QString &field, int &out) -> Status {
        const QJsonValue v = json.value(field);
        if (v.isUndefined()) {
            return {};
        }
        if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || std::abs(v.toDouble()) > 1e9) {
            return invalid(field, QStringLiteral("'%1' must be a whole number").arg(field));
        }
        out = int(v.toDouble());
        return {};
    };
    for (const Status &s :
         {text(QStringLiteral("name"), c.name), text(QStringLiteral("gpu_type"), c.gpuTypeId),
          text(QStringLiteral("image"), c.image), text(QStringLiteral("cloud"), c.cloud),
          integer(QStringLiteral("gpu_count"), c.gpuCount), integer(QStringLiteral("disk_gb"), c.diskGb),
          integer(QStringLiteral("volume_gb"), c.volumeGb)}) {
        if (!s.ok()) {
            return s.error();
        }
    }
    if (json.contains(QStringLiteral("image")) && c.image.trimmed().isEmpty()) {
        c.image = QString::fromLatin1(kDefaultImage);
    }
    c.cloud = c.cloud.toUpper();
    const QJsonValue ports = json.value(QStringLiteral("ports"));
    if (!ports.isUndefined()) {
        if (!ports.isArray()) {
            return invalid(QStringLiteral("ports"), QStringLiteral("'ports' must be an array of strings"));
        }
        for (const QJsonValue &p : ports.toArray()) {
            if (!p.isString()) {
                return invalid(QStringLiteral("ports"), QStringLiteral("'ports' must be an array of strings"));
            }
            c.ports << p.toString();
        }
    }
    const QJsonValue env = json.value(QStringLiteral("env"));
    if (!env.isUndefined()) {
        if (!env.isObject()) {
            return invalid(QStringLiteral("env"), QStringLiteral("'env' must be an object of strings"));
        }
        const QJsonObject e = env.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!it.value().isString()) {
                return invalid(QStringLiteral("env"), QStringLiteral("'env' values must be strings"));
            }
            c.env.insert(it.key(), it.value().toString());
        }
    }
    if (Status s = c.validate(); !s.ok()) {
        return s.error();
    }
    return c;
}

QString RunPodKeyState::source() const
{
    if (fromEnvironment) {
        return QStringLiteral("environment");
    }
    return inKeychain ? QStringLiteral("keychain") : QStringLiteral("none");
}

QJsonObject RunPodKeyState::toJson() const
{
    return {{QStringLiteral("configured"), configured()},
            {QStringLiteral("source"), source()},
            {QStringLiteral("in_keychain"), inKeychain},
            {QStringLiteral("environment_override"), fromEnvironment},
            {QStringLiteral("keychain_error"), keychainError.isEmpty() ? QJsonValue() : QJsonValue(keychainError)}};
}

QJsonObject RunPodRateLimit::toJson() const
{
    return {{QStringLiteral("remaining"), remaining >= 0 ? QJsonValue(remaining) : QJsonValue()},
            {QStringLiteral("reset_s"), resetS >= 0 ? QJsonValue(resetS) : QJsonValue()},
            {QStringLiteral("window"), window.isEmpty() ? QJsonValue() : QJsonValue(window)},
            {QStringLiteral("held_until"), timeOrNull(heldUntil)},
            {QStringLiteral("retried"), retried}};
}

} // namespace gpudeck
