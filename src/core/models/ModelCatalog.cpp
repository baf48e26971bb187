#include "models/ModelCatalog.h"

#include <QFileInfo>
#include <QJsonArray>

namespace gpudeck {

QString ModelSpec::substitute(const QString &text) const
{
    QString out = text;
    out.replace(QStringLiteral("${PORT}"), QString::number(port));
    out.replace(QStringLiteral("${MODEL}"), id);
    return out;
}

QStringList ModelSpec::hosts() const
{
    QStringList out{host};
    for (const WorkerSpec &w : workers) {
        out << w.host;
    }
    return out;
}

QList<ServingStep> ModelSpec::startSteps() const
{
    QList<ServingStep> workerSteps;
    for (const WorkerSpec &w : workers) {
        workerSteps << ServingStep{w.host,
                                   QStringLiteral("worker"),
                                   substitute(w.start),
                                   substitute(w.stop),
                                   w.logs.isEmpty() ? QString() : substitute(w.logs),
                                   w.logsFollow.isEmpty() ? QString() : substitute(w.logsFollow),
                                   w.port,
                                   w.health};
    }
    ServingStep head;
    head.host = host;
    head.role = QStringLiteral("head");
    head.start = startCommand();
    head.stop = stopCommand();
    head.logs = logs.isEmpty() ? QString() : logsCommand();
    head.logsFollow = logsFollow.isEmpty() ? QString() : logsFollowCommand();
    head.port = port;
    head.health = health;
    return headFirst ? QList<ServingStep>{head} + workerSteps : workerSteps + QList<ServingStep>{head};
}

std::optional<ServingStep> ModelSpec::partOn(const QString &onHost) const
{
    for (const ServingStep &part : startSteps()) {
        if (part.host == onHost) {
            return part;
        }
    }
    return std::nullopt;
}

QJsonObject WorkerSpec::toJson(const ModelSpec &model) const
{
    return {
        {QStringLiteral("host"), host},
        {QStringLiteral("start"), model.substitute(start)},
        {QStringLiteral("stop"), model.substitute(stop)},
        {QStringLiteral("logs"), logs.isEmpty() ? QJsonValue() : QJsonValue(model.substitute(logs))},
        {QStringLiteral("logs_follow"), logsFollow.isEmpty() ? QJsonValue() : QJsonValue(model.substitute(logsFollow))},
        {QStringLiteral("port"), port > 0 ? QJsonValue(port) : QJsonValue()},
        {QStringLiteral("health"), port > 0 ? QJsonValue(health) : QJsonValue()},
        {QStringLiteral("line"), line}};
}

QJsonObject ModelSpec::toJson() const
{
    QJsonArray workerList;
    for (const WorkerSpec &w : workers) {
        workerList.append(w.toJson(*this));
    }
    return {{QStringLiteral("hosts"), QJsonArray::fromStringList(hosts())},
            {QStringLiteral("workers"), workerList},
            {QStringLiteral("start_order"), headFirst ? QStringLiteral("head_first") : QStringLiteral("workers_first")},
            {QStringLiteral("id"), id},
            {QStringLiteral("display_name"), displayName},
            {QStringLiteral("host"), host},
            {QStringLiteral("port"), port},
            {QStringLiteral("start"), startCommand()},
            {QStringLiteral("stop"), stopCommand()},
            {QStringLiteral("logs"), logs.isEmpty() ? QJsonValue() : QJsonValue(logsCommand())},
            {QStringLiteral("health"), health},
            {QStringLiteral("readiness_timeout_s"), readinessTimeoutS},
            {QStringLiteral("memory_gb"), memoryGb > 0 ? QJsonValue(memoryGb) : QJsonValue()},
            {QStringLiteral("gpu_memory_utilization"),
             gpuMemoryUtilization > 0 ? QJsonValue(gpuMemoryUtilization) : QJsonValue()},
            {QStringLiteral("on_demand"), onDemand},
            {QStringLiteral("ttl_s"), ttlS > 0 ? QJsonValue(ttlS) : QJsonValue()},
            {QStringLiteral("preload"), preload},
            {QStringLiteral("max_concurrency"), maxConcurrency > 0 ? QJsonValue(maxConcurrency) : QJsonValue()},
            {QStringLiteral("aliases"), QJsonArray::fromStringList(aliases)},
            {QStringLiteral("settings"), settings},
            {QStringLiteral("line"), line},
            {QStringLiteral("logs_follow"), logsFollow.isEmpty() ? QJsonValue() : QJsonValue(logsFollowCommand())}};
}

QJsonObject ServiceSpec::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("host"), host},
            {QStringLiteral("kind"), kind.isEmpty() ? QJsonValue() : QJsonValue(kind)},
            {QStringLiteral("port"), port},
            {QStringLiteral("health"), health},
            {QStringLiteral("line"), line}};
}

const ModelSpec *HostCatalog::model(const QString &idOrAlias) const
{
    for (const ModelSpec &m : models) {
        if (m.id == idOrAlias) {
            return &m;
        }
    }
    for (const ModelSpec &m : models) {
        if (m.aliases.contains(idOrAlias)) {
            return &m;
        }
    }
    return nullptr;
}

QList<int> HostCatalog::modelPorts() const
{
    QList<int> ports;
    for (const ModelSpec &m : models) {
        if (!ports.contains(m.port)) {
            ports << m.port;
        }
    }
    return ports;
}

const HostCatalog *ModelCatalog::host(const QString &name) const
{
    for (const HostCatalog &h : hosts) {
        if (h.host == name) {
            return &h;
        }
    }
    return nullptr;
}

const ModelSpec *ModelCatalog::model(const QString &idOrAlias) const
{
    for (const HostCatalog &h : hosts) {
        if (const ModelSpec *m = h.model(idOrAlias)) {
            return m;
        }
    }
    return nullptr;
}

QList<const ModelSpec *> ModelCatalog::unitsOn(const QString &name) const
{
    QList<const ModelSpec *> out;
    for (const HostCatalog &h : hosts) {
        for (const ModelSpec &m : h.models) {
            if (m.spansHosts() && m.hosts().contains(name)) {
                out << &m;
            }
        }
    }
    return out;
}

QStringList ModelCatalog::modelIds() const
{
    QStringList ids;
    for (const HostCatalog &h : hosts) {
        for (const ModelSpec &m : h.models) {
            ids << m.id;
        }
    }
    return ids;
}

QStringList ModelCatalog::hostNames() const
{
    QStringList names;
    for (const HostCatalog &h : hosts) {
        names << h.host;
    }
    return names;
}

QString CatalogError::toString() const
{
    QString where = QFileInfo(file).fileName();
    if (line > 0) {
        where += QStringLiteral(":%1").arg(line);
        if (column > 0) {
            where += QStringLiteral(":%1").arg(column);
        }
    }
    QString out = where.isEmpty() ? message : where + QStringLiteral(": ") + message;
    if (!hint.isEmpty()) {
        out += QStringLiteral(" — ") + hint;
    }
    return out;
}

QJsonObject CatalogError::toJson() const
{
    return {{QStringLiteral("file"), file},
            {QStringLiteral("line"), line > 0 ? QJsonValue(line) : QJsonValue()},
            {QStringLiteral("column"), column > 0 ? QJsonValue(column) : QJsonValue()},
            {QStringLiteral("message"), message},
            {QStringLiteral("hint"), hint.isEmpty() ? QJsonValue() : QJsonValue(hint)},
            {QStringLiteral("text"), toString()}};
}

} // namespace gpudeck
