#include "wol/WakeTypes.h"

#include "store/Entities.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

QJsonObject WakeProgress::toJson() const
{
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("name"), name},
            {QStringLiteral("phase"), phase},
            {QStringLiteral("via"), via},
            {QStringLiteral("started_at"), isoUtc(startedAt)},
            {QStringLiteral("elapsed_ms"), elapsedMs},
            {QStringLiteral("timeout_ms"), timeoutMs},
            {QStringLiteral("packets_sent"), packetsSent},
            {QStringLiteral("targets"), QJsonArray::fromStringList(targets)}};
}

QJsonObject WakeOutcome::toJson() const
{
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("name"), name},
            {QStringLiteral("outcome"), outcome},
            {QStringLiteral("via"), via},
            {QStringLiteral("started_at"), isoUtc(startedAt)},
            {QStringLiteral("finished_at"), isoUtc(finishedAt)},
            {QStringLiteral("elapsed_ms"), elapsedMs},
            {QStringLiteral("packets_sent"), packetsSent},
            {QStringLiteral("targets"), QJsonArray::fromStringList(targets)},
            {QStringLiteral("send_errors"), QJsonArray::fromStringList(sendErrors)},
            {QStringLiteral("secure_on"), secureOn},
            {QStringLiteral("cluster_error"), textOrNull(clusterError)},
            {QStringLiteral("connected"), connected ? QJsonValue(*connected) : QJsonValue()},
            {QStringLiteral("connect_error"), textOrNull(connectError)}};
}

} // namespace gpudeck
