#pragma once

#include "alerts/Alert.h"
#include "metrics/HostMetrics.h"
#include "ssh/SshTypes.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace gpudeck {

// What the tray icon says: the worst state across the hosts as a colour, and a line per host in the
// tooltip. Computed from plain values, so it is tested without a system tray.
class TrayState
{
    Q_DECLARE_TR_FUNCTIONS(TrayState)
public:
    enum class Level {
        Idle,     // grey: no host connected
        Ok,       // green: every host fine
        Warning,  // amber: a warning alert, a host reconnecting, a metrics stream restarting
        Critical, // red: a critical alert, a host whose link failed
    };

    struct Host
    {
        QString name;
        LinkState link = LinkState::Disconnected;
        int attempt = 0;        // reconnect attempt
        bool monitored = false; // `metrics` holds a snapshot from the collector
        HostMetrics metrics;
    };

    // `hosts`: every connection that is wanted (link not Disconnected) or has a snapshot; `activeAlerts`:
    // the alerts not ended.
    static TrayState evaluate(const QList<Host> &hosts, const QList<Alert> &activeAlerts, bool paused = false);

    Level level() const { return m_level; }
    QString toolTip() const { return m_toolTip; }
    QColor color() const { return color(m_level); }
    static QColor color(Level level);

    // "spark-1: 2 GPUs, 97 %, 71 °C" (the highest utilisation and temperature), "spark-2: offline".
    static QString hostLine(const Host &host);

private:
    Level m_level = Level::Idle;
    QString m_toolTip;
};

} // namespace gpudeck
