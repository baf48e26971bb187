#include "models/ServingStatus.h"

#include "store/Entities.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue();
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

} // namespace

QString healthName(Health health)
{
    switch (health) {
    case Health::Unknown:
        return QStringLiteral("unknown");
    case Health::Up:
        return QStringLiteral("up");
    case Health::Down:
        return QStringLiteral("down");
    }
    return QStringLiteral("unknown");
}

QJsonObject HostServing::toJson() const
{
    return {{QStringLiteral("serving"), textOrNull(model)},
            {QStringLiteral("health"), healthName(health)},
            {QStringLiteral("unlisted"), QJsonArray::fromStringList(unlisted)},
            {QStringLiteral("swap_id"), textOrNull(swapId)},
            {QStringLiteral("checked_at"), timeOrNull(checkedAt)},
            {QStringLiteral("detail"), textOrNull(detail)},
            {QStringLiteral("unit"),
             unitHosts.isEmpty()
                 ? QJsonValue()
                 : QJsonValue(QJsonObject{{QStringLiteral("model"), model},
                                          {QStringLiteral("hosts"), QJsonArray::fromStringList(unitHosts)},
                                          {QStringLiteral("role"), unitRole}})}};
}

QJsonObject ServiceHealth::toJson() const
{
    return {{QStringLiteral("host"), host},
            {QStringLiteral("name"), name},
            {QStringLiteral("kind"), textOrNull(kind)},
            {QStringLiteral("port"), port},
            {QStringLiteral("health_path"), path},
            {QStringLiteral("status"), healthName(health)},
            {QStringLiteral("checked_at"), timeOrNull(checkedAt)},
            {QStringLiteral("since"), timeOrNull(since)},
            {QStringLiteral("consecutive_failures"), consecutiveFailures},
            {QStringLiteral("latency_ms"), latencyMs >= 0 ? QJsonValue(latencyMs) : QJsonValue()},
            {QStringLiteral("detail"), textOrNull(detail)}};
}

} // namespace gpudeck
