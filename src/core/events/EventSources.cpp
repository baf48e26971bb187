#include "events/EventSources.h"

#include "events/EventHub.h"
#include "metrics/MetricsService.h"
#include "models/ModelService.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/StoreEvents.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

QJsonValue nullable(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue();
}

QJsonValue nullable(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject jobStatus(const Job &job, const QString &previous)
{
    return {{QStringLiteral("job_id"), job.id},
            {QStringLiteral("project_id"), job.projectId},
            {QStringLiteral("name"), job.name},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("previous_status"), nullable(previous)},
            {QStringLiteral("attempt"), job.attempt},
            {QStringLiteral("exit_code"), job.exitCode ? QJsonValue(*job.exitCode) : QJsonValue()},
            {QStringLiteral("status_reason"), nullable(job.statusReason)},
            {QStringLiteral("started_at"), nullable(job.startedAt)},
            {QStringLiteral("completed_at"), nullable(job.completedAt)}};
}

QJsonObject swapProgress(const SwapReport &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("host"), r.host},
            {QStringLiteral("model"), r.model},
            {QStringLiteral("previous"), nullable(r.previous)},
            {QStringLiteral("state"), swapStateName(r.state)},
            {QStringLiteral("step"), r.step},
            {QStringLiteral("percent"), r.percent},
            {QStringLiteral("message"), r.log.isEmpty() ? QJsonValue() : QJsonValue(r.log.constLast().message)}};
}

} // namespace

void publishCoreEvents(EventHub &hub, QObject *context, StoreEvents &store, ConnectionRepository &connections,
                       SshPool &ssh, MetricsService &metrics, ModelService &models)
{
    QObject::connect(
        &store, &StoreEvents::jobStatusChanged, context,
        [&hub](const Job &job, const QString &previous) {
            hub.publish(QStringLiteral("job.status"), jobStatus(job, previous));
        },
        Qt::DirectConnection);

    QObject::connect(&ssh, &SshPool::statusChanged, context,
                     [&hub, &connections](qint64 connectionId, const LinkStatus &status) {
                         QJsonObject data = status.toJson();
                         data.insert(QStringLiteral("connection_id"), connectionId);
                         const auto c = connections.get(connectionId);
                         data.insert(QStringLiteral("name"), c.ok() ? QJsonValue(c->name) : QJsonValue());
                         hub.publish(QStringLiteral("connection.state"), data);
                     });

    QObject::connect(&metrics, &MetricsService::alertChanged, context, [&hub](const Alert &alert, bool raised) {
        hub.publish(raised ? QStringLiteral("alert.raised") : QStringLiteral("alert.cleared"), alert.toJson());
    });
    QObject::connect(&metrics, &MetricsService::hostUpdated, context,
                     [&hub](const HostMetrics &host) { hub.publish(QStringLiteral("metrics.sample"), host.toJson()); });

    QObject::connect(&models, &ModelService::swapUpdated, context, [&hub](const SwapReport &report) {
        if (!report.finished()) { // the last report is swap.finished
            hub.publish(QStringLiteral("swap.progress"), swapProgress(report));
        }
    });
    QObject::connect(&models, &ModelService::swapFinished, context, [&hub](const SwapReport &report) {
        hub.publish(QStringLiteral("swap.finished"), report.toJson());
    });
    QObject::connect(&models, &ModelService::catalogChanged, context, [&hub, &models] {
        const ModelCatalog catalog = models.catalog();
        hub.publish(QStringLiteral("catalog.reloaded"),
                    {{QStringLiteral("ok"), true},
                     {QStringLiteral("file_exists"), catalog.fileExists},
                     {QStringLiteral("models"), QJsonArray::fromStringList(catalog.modelIds())},
                     {QStringLiteral("hosts"), QJsonArray::fromStringList(catalog.hostNames())},
                     {QStringLiteral("loaded_at"), nullable(catalog.loadedAt)}});
    });
    QObject::connect(&models, &ModelService::catalogErrorsChanged, context, [&hub](const QList<CatalogError> &errors) {
        if (errors.isEmpty()) {
            return; // fine again: catalogChanged follows
        }
        QJsonArray list;
        for (const CatalogError &e : errors) {
            list.append(e.toJson());
        }
        hub.publish(QStringLiteral("catalog.reloaded"),
                    {{QStringLiteral("ok"), false},
                     {QStringLiteral("errors"), list},
                     {QStringLiteral("message"),
                      QStringLiteral("models.yaml has errors; the last good catalog stays in use")}});
    });
}

} // namespace gpudeck
