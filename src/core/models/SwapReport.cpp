#include "models/SwapReport.h"

#include "store/Entities.h"

#include <QJsonArray>

namespace gpudeck {

QString swapStateName(SwapState state)
{
    switch (state) {
    case SwapState::Running:
        return QStringLiteral("running");
    case SwapState::RollingBack:
        return QStringLiteral("rolling_back");
    case SwapState::Succeeded:
        return QStringLiteral("succeeded");
    case SwapState::Failed:
        return QStringLiteral("failed");
    case SwapState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QJsonObject SwapLogLine::toJson() const
{
    return {{QStringLiteral("at"), isoUtc(at)},
            {QStringLiteral("step"), step},
            {QStringLiteral("level"), level},
            {QStringLiteral("message"), message}};
}

QJsonObject SwapReport::toJson() const
{
    QJsonArray lines;
    for (const SwapLogLine &l : log) {
        lines.append(l.toJson());
    }
    QJsonValue err;
    if (!error.isEmpty()) {
        err = QJsonObject{{QStringLiteral("step"), errorStep},
                          {QStringLiteral("message"), error},
                          {QStringLiteral("output"), errorOutput.isEmpty() ? QJsonValue() : QJsonValue(errorOutput)}};
    }
    QJsonObject previousByHost;
    for (auto it = previousOn.cbegin(); it != previousOn.cend(); ++it) {
        previousByHost.insert(it.key(), it.value().isEmpty() ? QJsonValue() : QJsonValue(it.value()));
    }
    return {{QStringLiteral("id"), id},
            {QStringLiteral("host"), host},
            {QStringLiteral("hosts"), QJsonArray::fromStringList(hosts)},
            {QStringLiteral("previous_by_host"), previousByHost},
            {QStringLiteral("model"), model},
            {QStringLiteral("previous"), previous.isEmpty() ? QJsonValue() : QJsonValue(previous)},
            {QStringLiteral("state"), swapStateName(state)},
            {QStringLiteral("finished"), finished()},
            {QStringLiteral("step"), step},
            {QStringLiteral("percent"), percent},
            {QStringLiteral("log"), lines},
            {QStringLiteral("error"), err},
            {QStringLiteral("restored"), restored ? QJsonValue(*restored) : QJsonValue()},
            {QStringLiteral("restore_error"), restoreError.isEmpty() ? QJsonValue() : QJsonValue(restoreError)},
            {QStringLiteral("refused"), refused},
            {QStringLiteral("force"), force},
            {QStringLiteral("fit"), fit.isEmpty() ? QJsonValue() : QJsonValue(fit)},
            {QStringLiteral("started_at"), isoUtc(startedAt)},
            {QStringLiteral("finished_at"), finishedAt.isValid() ? QJsonValue(isoUtc(finishedAt)) : QJsonValue()}};
}

} // namespace gpudeck
