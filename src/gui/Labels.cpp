#include "Labels.h"

#include <QComboBox>
#include <QHash>

namespace gpudeck {
namespace {

// Unknown identifiers (a newer database, a typo written through the API) are shown as they are.
QString lookup(const QHash<QString, QString> &labels, const QString &identifier)
{
    return labels.value(identifier, identifier);
}

} // namespace

QString Labels::connectionKind(const QString &kind)
{
    return lookup({{QStringLiteral("generic"), tr("Generic SSH host")},
                   {QStringLiteral("dgx-spark"), tr("DGX Spark")},
                   {QStringLiteral("proxmox"), tr("Proxmox node")},
                   {QStringLiteral("runpod"), tr("RunPod pod")},
                   {QStringLiteral("local"), tr("This computer")}},
                  kind);
}

QString Labels::authMethod(const QString &method)
{
    return lookup({{QStringLiteral("key"), tr("SSH key file")},
                   {QStringLiteral("password"), tr("Password")},
                   {QStringLiteral("agent"), tr("SSH agent")}},
                  method);
}

QString Labels::projectType(const QString &type)
{
    return lookup({{QStringLiteral("computer_vision"), tr("Computer vision")},
                   {QStringLiteral("nlp"), tr("NLP")},
                   {QStringLiteral("reinforcement_learning"), tr("Reinforcement learning")},
                   {QStringLiteral("generative"), tr("Generative")},
                   {QStringLiteral("other"), tr("Other")}},
                  type);
}

QString Labels::projectStatus(const QString &status)
{
    return lookup({{QStringLiteral("active"), tr("Active")},
                   {QStringLiteral("paused"), tr("Paused")},
                   {QStringLiteral("archived"), tr("Archived")}},
                  status);
}

QString Labels::jobStatus(const QString &status)
{
    return lookup({{QStringLiteral("pending"), tr("Pending")},
                   {QStringLiteral("running"), tr("Running")},
                   {QStringLiteral("completed"), tr("Completed")},
                   {QStringLiteral("failed"), tr("Failed")},
                   {QStringLiteral("cancelled"), tr("Cancelled")}},
                  status);
}

QString Labels::jobOnEnd(const QString &onEnd)
{
    return lookup({{QStringLiteral("none"), tr("Leave the pod running")},
                   {QStringLiteral("stop_pod"), tr("Stop the pod")},
                   {QStringLiteral("terminate_pod"), tr("Terminate the pod (deletes its disk)")}},
                  onEnd);
}

QString Labels::linkState(LinkState state, int attempt)
{
    switch (state) {
    case LinkState::Disconnected:
        return tr("Disconnected");
    case LinkState::Connecting:
        return tr("Connecting…");
    case LinkState::Connected:
        return tr("Connected");
    case LinkState::Reconnecting:
        return attempt > 0 ? tr("Reconnecting (attempt %1)").arg(attempt) : tr("Reconnecting…");
    case LinkState::Failed:
        return tr("Failed");
    case LinkState::Down:
        return tr("Down, probing");
    }
    return linkStateName(state);
}

void Labels::fill(QComboBox *combo, const QStringList &identifiers, QString (*label)(const QString &))
{
    combo->clear();
    for (const QString &id : identifiers) {
        combo->addItem(label(id), id);
    }
}

void Labels::select(QComboBox *combo, const QString &identifier)
{
    combo->setCurrentIndex(qMax(0, combo->findData(identifier)));
}

QString Labels::selected(const QComboBox *combo)
{
    return combo->currentData().toString();
}

} // namespace gpudeck
