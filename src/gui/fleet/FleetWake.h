#pragma once

#include <QObject>

namespace gpudeck {

class Core;
class FleetPane;
struct WakeOutcome;
struct WakeProgress;

// The Fleet tiles' Wake buttons on the core's WakeService: a click wakes the host and waits for it (the service's
// wake-and-wait: magic packets, or the host's Proxmox cluster, then its SSH port), the tile shows the phase and the
// time against the deadline with Cancel, and the outcome goes to the status bar. A wake started elsewhere (the
// Connections pane, the tray, the API) shows on its tile just the same: the tiles follow the service's signals.
class FleetWake : public QObject
{
    Q_OBJECT
public:
    FleetWake(Core &core, FleetPane *pane, QObject *parent = nullptr);

    void wake(qint64 connectionId);
    void cancel(qint64 connectionId);

    // The tile's line for a wake in progress ("Waiting for SSH… 12 s of 180 s").
    static QString progressText(const WakeProgress &progress);
    // The status bar's sentence for its end.
    static QString outcomeText(const WakeOutcome &outcome);

Q_SIGNALS:
    void message(const QString &text);

private:
    void showProgress(const WakeProgress &progress);
    void finished(const WakeOutcome &outcome);

    Core &m_core;
    FleetPane *m_pane;
};

} // namespace gpudeck
