#include "fleet/FleetWake.h"

#include "app/Core.h"
#include "fleet/FleetPane.h"
#include "wol/WakeService.h"

namespace gpudeck {
namespace {

QString seconds(qint64 ms)
{
    return QString::number((ms + 500) / 1000);
}

} // namespace

FleetWake::FleetWake(Core &core, FleetPane *pane, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_pane(pane)
{
    WakeService &service = m_core.wake();
    // Emitted on the wake thread: queued to this one.
    connect(&service, &WakeService::wakeStarted, this, &FleetWake::showProgress);
    connect(&service, &WakeService::progressChanged, this, &FleetWake::showProgress);
    connect(&service, &WakeService::wakeFinished, this, &FleetWake::finished);
    connect(m_pane, &FleetPane::wakeRequested, this, &FleetWake::wake);
    connect(m_pane, &FleetPane::wakeCancelRequested, this, &FleetWake::cancel);
    // A tile made after a wake started (a new snapshot, the window opened late) learns of it here.
    connect(m_pane, &FleetPane::tilesChanged, this, [this] {
        for (const WakeProgress &p : m_core.wake().inProgress()) {
            showProgress(p);
        }
    });
}

void FleetWake::wake(qint64 connectionId)
{
    m_pane->setWaking(connectionId, true, 0, tr("Waking…"));
    // The outcome arrives through wakeFinished too; the future only tells about a wake that could not start.
    m_core.wake().wake(QString::number(connectionId)).then(this, [this, connectionId](const Result<WakeOutcome> &r) {
        if (r.ok()) {
            return;
        }
        m_pane->setWaking(connectionId, false);
        Q_EMIT message(tr("Cannot wake it: %1").arg(r.error().message));
    });
}

void FleetWake::cancel(qint64 connectionId)
{
    if (!m_core.wake().cancel(connectionId)) {
        m_pane->setWaking(connectionId, false); // nothing to cancel any more
    }
}

QString FleetWake::progressText(const WakeProgress &p)
{
    if (p.phase == QStringLiteral("cluster")) {
        return tr("Asking its cluster to wake it…");
    }
    if (p.phase == QStringLiteral("waiting")) {
        return p.timeoutMs > 0 ? tr("Waiting for SSH… %1 s of %2 s").arg(seconds(p.elapsedMs), seconds(p.timeoutMs))
                               : tr("Waiting for SSH… %1 s").arg(seconds(p.elapsedMs));
    }
    if (p.phase == QStringLiteral("connecting")) {
        return tr("Awake: connecting…");
    }
    return tr("Waking…");
}

QString FleetWake::outcomeText(const WakeOutcome &o)
{
    if (o.outcome == QStringLiteral("awake")) {
        QString text = tr("%1 is awake after %2 s").arg(o.name, seconds(o.elapsedMs));
        if (o.connected.has_value() && !*o.connected) {
            text += tr(", but connecting failed: %1").arg(o.connectError);
        }
        return text;
    }
    if (o.outcome == QStringLiteral("timeout")) {
        return tr("%1 did not answer within %2 s of waking (%3 packets sent)")
            .arg(o.name, seconds(o.elapsedMs))
            .arg(o.packetsSent);
    }
    if (o.outcome == QStringLiteral("cancelled")) {
        return tr("Stopped waiting for %1").arg(o.name);
    }
    if (o.outcome == QStringLiteral("sent")) {
        return tr("Wake-on-LAN packet sent to %1").arg(o.name);
    }
    return tr("Waking %1 failed").arg(o.name);
}

void FleetWake::showProgress(const WakeProgress &p)
{
    const double fraction = p.timeoutMs > 0 ? double(p.elapsedMs) / double(p.timeoutMs) : -1;
    m_pane->setWaking(p.connectionId, true, fraction, progressText(p));
}

void FleetWake::finished(const WakeOutcome &outcome)
{
    m_pane->setWaking(outcome.connectionId, false);
    Q_EMIT message(outcomeText(outcome));
    // The link (and so "asleep") changes now: show it without waiting for the tick.
    m_pane->refresh();
}

} // namespace gpudeck
