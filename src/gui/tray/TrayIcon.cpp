#include "tray/TrayIcon.h"

#include "AppIcon.h"
#include "app/Core.h"
#include "metrics/MetricsService.h"
#include "ssh/SshPool.h"
#include "wol/WakeService.h"

#include <QAction>
#include <QMenu>
#include <QSet>
#include <QTimer>
#include <algorithm>
#include <utility>

namespace gpudeck {
namespace {
constexpr int kUpdateEveryMs = 1000; // metrics arrive every second or two per host: one update per second is plenty
}

TrayIcon::TrayIcon(Core &core, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_icon(new QSystemTrayIcon(AppIcon::make(TrayState::color(TrayState::Level::Idle)), this))
    // QMenu is a widget and cannot have a QObject parent; it is deleted in the destructor.
    , m_menu(new QMenu)
    , m_throttle(new QTimer(this))
{
    m_toggleAction = m_menu->addAction(tr("Show window"), this, &TrayIcon::toggleWindowRequested);
    m_pauseAction = m_menu->addAction(tr("Pause monitoring"));
    m_pauseAction->setObjectName(QStringLiteral("trayPauseAction"));
    m_pauseAction->setCheckable(true);
    connect(m_pauseAction, &QAction::triggered, this, [this](bool paused) {
        if (Status s = m_core.metrics().setPaused(paused); !s.ok()) {
            m_pauseAction->setChecked(!paused);
            notify(tr("Monitoring"), s.error().message, QSystemTrayIcon::Warning);
        }
    });
    // Wake: the asleep hosts (watched, with a MAC, not connected), filled each time the menu opens.
    m_wakeMenu = m_menu->addMenu(tr("Wake"));
    m_wakeMenu->setObjectName(QStringLiteral("trayWakeMenu"));
    connect(m_wakeMenu, &QMenu::aboutToShow, this, &TrayIcon::fillWakeMenu);
    fillWakeMenu(); // so the entry is enabled (or not) before it is first opened
    // Emitted on the wake thread: queued to this one.
    connect(&m_core.wake(), &WakeService::wakeFinished, this, &TrayIcon::onWakeFinished);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit GPU Deck"), this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(m_menu);
    m_icon->setToolTip(tr("GPU Deck"));
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
            Q_EMIT toggleWindowRequested();
        }
    });

    m_throttle->setSingleShot(true);
    m_throttle->setInterval(kUpdateEveryMs);
    connect(m_throttle, &QTimer::timeout, this, [this] {
        if (std::exchange(m_pending, false)) {
            updateState();
            m_throttle->start();
        }
    });
    MetricsService &metrics = m_core.metrics();
    connect(&metrics, &MetricsService::hostUpdated, this, &TrayIcon::scheduleUpdate);
    connect(&metrics, &MetricsService::alertChanged, this, &TrayIcon::onAlert);
    connect(&metrics, &MetricsService::settingsApplied, this, &TrayIcon::syncPaused);
    connect(&m_core.ssh(), &SshPool::statusChanged, this, &TrayIcon::scheduleUpdate);
    connect(m_core.events(), &StoreEvents::connectionsChanged, this, [this] {
        reloadNames();
        scheduleUpdate();
    });
    reloadNames();
    reloadAlerts();
    syncPaused();
    m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

void TrayIcon::setWindowShown(bool shown)
{
    m_toggleAction->setText(shown ? tr("Hide window") : tr("Show window"));
}

void TrayIcon::notify(const QString &title, const QString &text, QSystemTrayIcon::MessageIcon icon)
{
    m_icon->showMessage(title, text, icon, 5000);
}

void TrayIcon::reloadNames()
{
    m_names.clear();
    if (const auto connections = m_core.connections().list(); connections.ok()) {
        for (const Connection &c : connections.value()) {
            m_names.insert(c.id, c.name);
        }
    }
}

void TrayIcon::reloadAlerts()
{
    const auto active = m_core.metrics().alerts(true, 0, 200);
    m_activeAlerts = active.ok() ? active.value() : QList<Alert>{};
}

void TrayIcon::onAlert(const Alert &alert, bool raised)
{
    reloadAlerts();
    scheduleUpdate();
    if (!raised) {
        return;
    }
    if (const auto n = notificationFor(alert)) {
        notify(n->title, n->text, n->icon);
    }
}

std::optional<TrayIcon::Notification> TrayIcon::notificationFor(const Alert &alert)
{
    if (alert.repeated) {
        return std::nullopt;
    }
    const QString host = alert.connectionName.isEmpty() ? tr("GPU Deck") : alert.connectionName;
    if (alert.severity == QStringLiteral("info")) {
        // Something done or ended (a job, the cost guard stopping a pod): news, not a warning.
        return Notification{host, alert.message, QSystemTrayIcon::Information};
    }
    const bool critical = alert.severity == QStringLiteral("critical");
    return Notification{critical ? tr("Critical: %1").arg(host) : tr("Warning: %1").arg(host), alert.message,
                        critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning};
}

void TrayIcon::syncPaused()
{
    m_paused = m_core.metrics().settings().paused;
    m_pauseAction->setChecked(m_paused);
    scheduleUpdate();
}

void TrayIcon::scheduleUpdate()
{
    if (m_throttle->isActive()) {
        m_pending = true;
        return;
    }
    updateState();
    m_throttle->start();
}

void TrayIcon::updateState()
{
    const QHash<qint64, LinkStatus> links = m_core.ssh().statuses();
    QHash<qint64, HostMetrics> snapshots;
    for (const HostMetrics &m : m_core.metrics().snapshots()) {
        snapshots.insert(m.connectionId, m);
    }
    QList<TrayState::Host> hosts;
    for (auto it = m_names.cbegin(); it != m_names.cend(); ++it) {
        const LinkStatus link = links.value(it.key());
        const auto snapshot = snapshots.constFind(it.key());
        if (link.state == LinkState::Disconnected && snapshot == snapshots.cend()) {
            continue; // never connected this session: not part of the picture
        }
        TrayState::Host host;
        host.name = it.value();
        host.link = link.state;
        host.attempt = link.attempt;
        host.monitored = snapshot != snapshots.cend();
        if (host.monitored) {
            host.metrics = *snapshot;
        }
        hosts.append(host);
    }
    std::sort(hosts.begin(), hosts.end(), [](const TrayState::Host &a, const TrayState::Host &b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    const TrayState state = TrayState::evaluate(hosts, m_activeAlerts, m_paused);
    if (m_first || state.level() != m_state.level()) {
        m_icon->setIcon(AppIcon::make(state.color()));
    }
    if (m_first || state.toolTip() != m_state.toolTip()) {
        m_icon->setToolTip(state.toolTip());
    }
    m_first = false;
    m_state = state;
}

void TrayIcon::fillWakeMenu()
{
    m_wakeMenu->clear();
    QSet<qint64> waking;
    for (const WakeProgress &p : m_core.wake().inProgress()) {
        waking.insert(p.connectionId);
    }
    const QList<Connection> asleep = m_core.wake().asleep();
    for (const Connection &c : asleep) {
        QAction *action = m_wakeMenu->addAction(waking.contains(c.id) ? tr("%1 (waking…)").arg(c.name) : c.name);
        action->setObjectName(QStringLiteral("trayWake_%1").arg(c.id));
        action->setEnabled(!waking.contains(c.id));
        connect(action, &QAction::triggered, this, [this, id = c.id] { wake(id); });
    }
    if (asleep.isEmpty()) {
        m_wakeMenu->addAction(tr("No host is asleep"))->setEnabled(false);
    } else {
        m_wakeMenu->addSeparator();
        QAction *all = m_wakeMenu->addAction(tr("Wake all"), this, &TrayIcon::wakeAll);
        all->setObjectName(QStringLiteral("trayWakeAllAction"));
    }
}

void TrayIcon::wake(qint64 connectionId)
{
    const QString name = m_names.value(connectionId, QString::number(connectionId));
    notify(tr("Waking %1").arg(name), tr("Magic packet sent; waiting until it answers on SSH."));
    m_core.wake()
        .wake(QString::number(connectionId))
        .then(this, [this, connectionId, name](const Result<WakeOutcome> &r) {
            m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/wake/:id"),
                                     QString::number(connectionId), r.ok() ? Status() : Status(r.error()));
            if (!r.ok()) {
                notify(tr("Could not wake %1").arg(name), r.error().message, QSystemTrayIcon::Warning);
            }
        });
}

void TrayIcon::wakeAll()
{
    const QList<Connection> asleep = m_core.wake().asleep();
    for (const Connection &c : asleep) {
        wake(c.id);
    }
}

void TrayIcon::onWakeFinished(const WakeOutcome &outcome)
{
    if (outcome.outcome == QStringLiteral("awake")) {
        notify(tr("%1 is awake").arg(outcome.name),
               tr("It answered after %1 s.").arg(double(outcome.elapsedMs) / 1000.0, 0, 'f', 1));
    } else if (outcome.outcome == QStringLiteral("timeout")) {
        notify(tr("%1 did not wake").arg(outcome.name),
               tr("No answer on SSH within %1 s.").arg(outcome.elapsedMs / 1000), QSystemTrayIcon::Warning);
    }
}

} // namespace gpudeck
