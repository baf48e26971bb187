#pragma once

#include "runpod/RunPodTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace gpudeck {

class Core;
class PodCreateDialog;
class PodsSection;
class RunPodKeyDialog;
struct FleetSnapshot;

// The Fleet pane's Pods section on the core's RunPodService: while the pane is shown the service reads the pods
// (watch(): every 5 s) and every read reaches the section (podsChanged, queued from the RunPod thread); the key's
// state decides between the pods and "not set up". Create pod…, API key… and the section's confirmed actions are
// the service's create(), setApiKey() and action() futures, answered on this thread: the GUI thread never waits.
// Each is recorded in the audit log as its REST twin.
class FleetPods : public QObject
{
    Q_OBJECT
public:
    FleetPods(Core &core, PodsSection *section, QObject *parent = nullptr);
    ~FleetPods() override;

    void setShown(bool shown);
    bool watching() const { return m_watching; }
    // The connections made from pods, by name, from the fleet the pane shows.
    void follow(const FleetSnapshot &snapshot);

    // Opens the dialogs (non-modal; at most one of each).
    PodCreateDialog *openCreateDialog();
    RunPodKeyDialog *openKeyDialog();
    PodCreateDialog *createDialog() const;
    RunPodKeyDialog *keyDialog() const;

Q_SIGNALS:
    void message(const QString &text);
    // The section's content changed (pods came or went, the key was set): the pane may show or hide its empty view.
    void contentChanged();

private:
    void readKeyState();
    void readGpuTypes();
    void showKeyState(const RunPodKeyState &state);
    void showPods(const QList<RunPodPod> &pods);
    void podUpdated(const RunPodPod &pod);
    void act(const QString &podId, const QString &action);
    void create(const RunPodCreate &request);
    void saveKey(const QString &key);

    Core &m_core;
    PodsSection *m_section;
    bool m_shown = false;
    bool m_watching = false;
    bool m_typesRead = false;
    QPointer<PodCreateDialog> m_createDialog;
    QPointer<RunPodKeyDialog> m_keyDialog;
};

} // namespace gpudeck
