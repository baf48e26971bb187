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

QJsonObject ModelSpec::toJson() const
{
    return {{QStringLiteral("id"), id},
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
            {QStringLiteral("line"), line}};
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
