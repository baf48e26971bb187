#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

struct WakeOptions
{
    bool wait = true;            // wait until the host answers on its SSH port (else: send once and answer "sent")
    int timeoutMs = 180000;      // how long to wait
    int resendIntervalMs = 3000; // the magic packet is sent again this often while waiting
    int probeIntervalMs = 1000;  // pause between two probes of the SSH port that found nothing
    bool connect = true;         // once awake, connect if the host is watched

    static constexpr int kMaxTimeoutMs = 600000;
};

// Where a wake is (GET /api/dgx/wake, the progress dialog, the tray). Phases: "starting" (reading the SecureOn
// password, resolving the host), "cluster" (asking the host's Proxmox cluster to wake it), "waiting" (packets
// sent, probing the SSH port), "connecting" (awake; connecting because the host is watched), "done".
struct WakeProgress
{
    qint64 connectionId = 0;
    QString name;
    QString phase = QStringLiteral("starting");
    QDateTime startedAt;
    qint64 elapsedMs = 0;
    qint64 timeoutMs = 0;
    int packetsSent = 0;
    QStringList targets; // "address:port" the packets go to
    QString via = QStringLiteral("magic_packet");

    QJsonObject toJson() const;
};

// How a wake ended. outcome: "awake" (the SSH port answered with an SSH banner), "timeout" (the deadline passed),
// "cancelled" (cancel()), "sent" (wait: false: the packets went out, nobody waited). WakeService::wakeFinished also
// reports a wake that ended in an error as "failed" (the error itself is the future's result, as the API answers it).
struct WakeOutcome
{
    qint64 connectionId = 0;
    QString name;
    QString outcome;
    QString via = QStringLiteral("magic_packet"); // or "cluster": the Proxmox cluster woke it
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 elapsedMs = 0;
    int packetsSent = 0;
    QStringList targets;
    QStringList sendErrors;        // destinations a packet could not be sent to, with the reason (first of each)
    bool secureOn = false;         // the packets carried a SecureOn password (never shown)
    QString clusterError;          // the cluster was asked and failed (then the packets went out anyway)
    std::optional<bool> connected; // set when a connect was tried after waking (watched host)
    QString connectError;

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::WakeProgress)
Q_DECLARE_METATYPE(gpudeck::WakeOutcome)
