#include "fleet/FleetPods.h"

#include "FormErrors.h"
#include "app/Core.h"
#include "fleet/FleetSnapshot.h"
#include "fleet/PodCreateDialog.h"
#include "fleet/PodsModel.h"
#include "fleet/PodsSection.h"
#include "fleet/RunPodKeyDialog.h"
#include "metrics/MetricsService.h"
#include "runpod/RunPodService.h"
#include "store/AuditRepository.h"

#include <QFuture>

namespace gpudeck {

FleetPods::FleetPods(Core &core, PodsSection *section, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_section(section)
{
    RunPodService &service = m_core.runpod();
    // Emitted on the RunPod thread: queued to this one.
    connect(&service, &RunPodService::podsChanged, this, &FleetPods::showPods);
    connect(&service, &RunPodService::podUpdated, this, &FleetPods::podUpdated);
    connect(&service, &RunPodService::keyStateChanged, this, &FleetPods::showKeyState);
    connect(m_section, &PodsSection::actionRequested, this, &FleetPods::act);
    connect(m_section, &PodsSection::createRequested, this, &FleetPods::openCreateDialog);
    connect(m_section, &PodsSection::keyRequested, this, &FleetPods::openKeyDialog);
    m_section->setKeyState(service.knownKeyState());
    m_section->setPods(service.knownPods());
    // The idle pod alert of the cost guard, shown in the section's summary; settingsApplied comes from the
    // collector's thread, queued here.
    m_section->setIdleAlert(m_core.metrics().settings().costGuard.podIdleSeconds);
    connect(&m_core.metrics(), &MetricsService::settingsApplied, this,
            [this](const MonitoringSettings &settings) { m_section->setIdleAlert(settings.costGuard.podIdleSeconds); });
}

FleetPods::~FleetPods()
{
    if (m_watching) {
        m_core.runpod().unwatch();
    }
}

void FleetPods::setShown(bool shown)
{
    m_shown = shown;
    RunPodService &service = m_core.runpod();
    const bool watch = shown && m_section->configured();
    if (watch != m_watching) {
        m_watching = watch;
        watch ? service.watch() : service.unwatch(); // watch() reads now, then every 5 s
    }
    if (shown) {
        readKeyState(); // set elsewhere (the API, the environment) since last shown
    }
}

void FleetPods::follow(const FleetSnapshot &snapshot)
{
    QHash<qint64, QString> names;
    QHash<qint64, QString> guards;
    for (const FleetHost &host : snapshot.hosts) {
        if (host.kind != QStringLiteral("runpod")) {
            continue;
        }
        names.insert(host.connectionId, host.name);
        QStringList guard;
        for (const FleetJob &job : host.jobs) {
            if (job.onEnd == QStringLiteral("stop_pod")) {
                guard << tr("Stop after '%1'").arg(job.name);
            } else if (job.onEnd == QStringLiteral("terminate_pod")) {
                guard << tr("Terminate after '%1'").arg(job.name);
            }
        }
        guards.insert(host.connectionId, guard.join(QStringLiteral(", ")));
    }
    m_section->setConnectionNames(names);
    m_section->setGuards(guards);
}

void FleetPods::readKeyState()
{
    m_core.runpod().keyState().then(this, [this](const RunPodKeyState &state) { showKeyState(state); });
}

void FleetPods::showKeyState(const RunPodKeyState &state)
{
    const bool was = m_section->configured();
    m_section->setKeyState(state);
    if (m_keyDialog) {
        m_keyDialog->setState(state);
    }
    if (state.configured() && !m_typesRead) {
        readGpuTypes();
    }
    if (!state.configured() && m_section->hasPods()) {
        showPods({}); // the key was removed: what was read with it is not shown any more
    }
    if (was != state.configured()) {
        setShown(m_shown); // starts (or stops) watching the pods
        Q_EMIT contentChanged();
    }
}

void FleetPods::readGpuTypes()
{
    m_typesRead = true;
    m_core.runpod().gpuTypes().then(this, [this](const Result<QList<RunPodGpuType>> &types) {
        if (!types.ok()) {
            m_typesRead = false; // asked again with the next dialog or key
            if (m_createDialog) {
                m_createDialog->setGpuTypesFailed(FormErrors::text(types.error()));
            }
            return;
        }
        m_section->setGpuTypes(types.value());
        if (m_createDialog) {
            m_createDialog->setGpuTypes(types.value());
        }
    });
}

void FleetPods::showPods(const QList<RunPodPod> &pods)
{
    const bool had = m_section->hasPods();
    m_section->setPods(pods);
    if (had != m_section->hasPods()) {
        Q_EMIT contentChanged();
    }
}

void FleetPods::podUpdated(const RunPodPod &pod)
{
    // The list's next read brings the rest; a pod that changed (an action, a terminate) shows at once.
    QList<RunPodPod> pods = m_section->model()->pods();
    bool found = false;
    for (auto it = pods.begin(); it != pods.end();) {
        if (it->id != pod.id) {
            ++it;
            continue;
        }
        found = true;
        if (pod.status == QStringLiteral("TERMINATED")) {
            it = pods.erase(it);
        } else {
            *it = pod;
            ++it;
        }
    }
    if (!found && pod.status != QStringLiteral("TERMINATED")) {
        pods.append(pod);
    }
    showPods(pods);
}

void FleetPods::act(const QString &podId, const QString &action)
{
    m_core.runpod().action(podId, action).then(this, [this, podId, action](const Result<RunPodPod> &result) {
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/runpod/pods/:id/action"), podId,
                                 result.ok() ? Status() : Status(result.error()));
        if (!result.ok()) {
            const QString text = FormErrors::text(result.error());
            m_section->setActionFailed(podId, action, text);
            Q_EMIT message(text);
            return;
        }
        podUpdated(result.value());
        m_section->setActionDone(podId, action);
    });
}

PodCreateDialog *FleetPods::createDialog() const
{
    return m_createDialog;
}

RunPodKeyDialog *FleetPods::keyDialog() const
{
    return m_keyDialog;
}

PodCreateDialog *FleetPods::openCreateDialog()
{
    if (m_createDialog) {
        m_createDialog->raise();
        m_createDialog->activateWindow();
        return m_createDialog;
    }
    auto *dialog = new PodCreateDialog(m_section->window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_createDialog = dialog;
    connect(dialog, &PodCreateDialog::createRequested, this, &FleetPods::create);
    readGpuTypes(); // prices change: read them (the core caches them for 5 minutes)
    dialog->open();
    return dialog;
}

void FleetPods::create(const RunPodCreate &request)
{
    const QString name = request.name;
    m_core.runpod().create(request).then(this, [this, name](const Result<RunPodPod> &result) {
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/runpod/pods"),
                                 result.ok() ? result.value().id : QString(),
                                 result.ok() ? Status() : Status(result.error()));
        if (!result.ok()) {
            const QString text = FormErrors::text(result.error());
            if (m_createDialog) {
                m_createDialog->setFailed(text);
            } else {
                Q_EMIT message(tr("Pod %1 was not created: %2").arg(name, text));
            }
            return;
        }
        if (m_createDialog) {
            m_createDialog->accept();
        }
        podUpdated(result.value());
        m_section->selectPod(result.value().id);
        m_section->setMessage(
            tr("Pod %1 created: it becomes the connection %1 once it runs with SSH").arg(result.value().name));
        Q_EMIT message(tr("Pod %1 created").arg(result.value().name));
    });
}

RunPodKeyDialog *FleetPods::openKeyDialog()
{
    if (m_keyDialog) {
        m_keyDialog->raise();
        m_keyDialog->activateWindow();
        return m_keyDialog;
    }
    auto *dialog = new RunPodKeyDialog(m_core.runpod().knownKeyState(), m_section->window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_keyDialog = dialog;
    connect(dialog, &RunPodKeyDialog::saveRequested, this, &FleetPods::saveKey);
    connect(dialog, &RunPodKeyDialog::removeRequested, this, [this] { saveKey(QString()); });
    readKeyState();
    dialog->open();
    return dialog;
}

void FleetPods::saveKey(const QString &key)
{
    const bool removing = key.isEmpty();
    m_core.runpod().setApiKey(key).then(this, [this, removing](const Status &status) {
        m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/runpod/credentials"), {}, status);
        if (!status.ok()) {
            const QString text = FormErrors::text(status.error());
            if (m_keyDialog) {
                m_keyDialog->setFailed(text);
            }
            Q_EMIT message(text);
            return;
        }
        if (m_keyDialog) {
            m_keyDialog->accept();
        }
        Q_EMIT message(removing ? tr("RunPod API key removed from the keychain")
                                : tr("RunPod API key saved in the keychain"));
        readKeyState();
        if (!removing) {
            m_core.runpod().refresh();
        }
    });
}

} // namespace gpudeck
