#include "fleet/FleetPane.h"

#include "WelcomePanel.h"
#include "app/Core.h"
#include "base/NoValue.h"
#include "fleet/FleetFeed.h"
#include "fleet/FleetPods.h"
#include "fleet/FleetProxmox.h"
#include "fleet/FleetWake.h"
#include "fleet/FlowLayout.h"
#include "fleet/HostTile.h"
#include "fleet/PodsSection.h"
#include "fleet/ProxmoxSection.h"
#include "gpus/MetricText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

constexpr int kTileSpacing = 8;
constexpr int kTotalWidthStep = 40;

QString powerText(double watts)
{
    if (watts >= 1000) {
        return FleetPane::tr("%1 kW").arg(QLocale().toString(watts / 1000.0, 'f', 2));
    }
    return MetricText::power(watts);
}

} // namespace

FleetPane::FleetPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_feed(new FleetFeed(core, this))
{
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("fleetScrollArea"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(m_scroll);
    content->setObjectName(QStringLiteral("fleetContent"));
    m_content = new QVBoxLayout(content);
    m_content->setContentsMargins(0, 0, 0, 0);
    m_content->setSpacing(12);
    m_tilesWidget = new QWidget(content);
    m_tilesWidget->setObjectName(QStringLiteral("fleetTiles"));
    m_flow = new FlowLayout(m_tilesWidget, kTileSpacing);
    m_content->addWidget(m_tilesWidget);
    // The Proxmox sections go between the tiles and the pods (arrangeClusters).
    m_podsSection = new PodsSection(content);
    m_content->addWidget(m_podsSection);
    m_content->addStretch(1);
    m_scroll->setWidget(content);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(buildEmpty());
    m_stack->addWidget(m_scroll);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildTotals());
    layout->addWidget(m_stack, 1);

    connect(m_feed, &FleetFeed::snapshotReady, this, &FleetPane::setSnapshot);
    connect(m_feed, &FleetFeed::readFailed, this, [this](const QString &text) {
        m_readError->setText(tr("Cannot read the fleet: %1").arg(text));
        m_readError->show();
    });
    // The fleet's Proxmox connections are read (every 10 s) while the pane is shown; their sections follow.
    m_proxmox = new FleetProxmox(m_core, this, this);
    connect(this, &FleetPane::snapshotApplied, m_proxmox, &FleetProxmox::follow);
    connect(this, &FleetPane::shownChanged, m_proxmox, &FleetProxmox::setShown);
    connect(m_proxmox, &FleetProxmox::message, this, &FleetPane::message);
    // RunPod pods are read (every 5 s) while the pane is shown and RunPod is set up.
    m_pods = new FleetPods(m_core, m_podsSection, this);
    connect(this, &FleetPane::snapshotApplied, m_pods, &FleetPods::follow);
    connect(this, &FleetPane::shownChanged, m_pods, &FleetPods::setShown);
    connect(m_pods, &FleetPods::message, this, &FleetPane::message);
    connect(m_pods, &FleetPods::contentChanged, this, &FleetPane::updateStack);
    // Wake buttons: the core's wake-and-wait, its progress on the tile (and wakes started elsewhere too).
    m_wake = new FleetWake(m_core, this, this);
    connect(m_wake, &FleetWake::message, this, &FleetPane::message);
    // A connection added, renamed or removed shows without waiting for the next tick.
    connect(m_core.events(), &StoreEvents::connectionsChanged, this, [this] {
        if (m_feed->isActive()) {
            m_feed->refresh();
        }
    });
}

FleetPane::~FleetPane() = default;

QWidget *FleetPane::buildTotals()
{
    m_totals = new QWidget(this);
    m_totals->setObjectName(QStringLiteral("fleetTotals"));
    auto *row = new QHBoxLayout(m_totals);
    row->setContentsMargins(2, 0, 2, 4);
    row->setSpacing(24);
    const QList<std::pair<QString, QString>> items = {
        {QStringLiteral("hosts"), tr("Hosts")},       {QStringLiteral("gpus"), tr("GPUs")},
        {QStringLiteral("memory"), tr("GPU memory")}, {QStringLiteral("power"), tr("Power draw")},
        {QStringLiteral("jobs"), tr("Running jobs")}, {QStringLiteral("alerts"), tr("Alerts")},
    };
    for (const auto &[key, caption] : items) {
        auto *box = new QWidget(m_totals);
        auto *column = new QVBoxLayout(box);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(0);
        auto *captionLabel = new QLabel(caption, box);
        captionLabel->setForegroundRole(QPalette::PlaceholderText);
        auto *value = new QLabel(MetricText::none(), box);
        value->setObjectName(QStringLiteral("fleetTotal_%1").arg(key));
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.3);
        big.setBold(true);
        value->setFont(big);
        value->setMinimumWidth(kTotalWidthStep);
        column->addWidget(captionLabel);
        column->addWidget(value);
        row->addWidget(box);
        m_totalValues.insert(key, value);
    }
    row->addStretch(1);
    m_readError = new QLabel(m_totals);
    m_readError->setObjectName(QStringLiteral("fleetReadError"));
    m_readError->setWordWrap(true);
    m_readError->hide();
    row->addWidget(m_readError);
    return m_totals;
}

QWidget *FleetPane::buildEmpty()
{
    auto *empty = new WelcomePanel(QStringLiteral("fleet"), this);
    connect(empty, &WelcomePanel::addRequested, this, &FleetPane::addConnectionRequested);
    connect(empty, &WelcomePanel::importRequested, this, &FleetPane::importRequested);
    // Or rent one: a pod becomes a connection once it runs.
    QPushButton *rent = empty->addOption(QStringLiteral("fleetRentButton"), tr("Rent a GPU on RunPod…"),
                                         tr("A cloud machine with the GPU you choose; it shows here and becomes a "
                                            "connection once it runs."));
    connect(rent, &QPushButton::clicked, this, [this] {
        if (m_podsSection->configured()) {
            m_pods->openCreateDialog();
        } else {
            m_pods->openKeyDialog();
        }
    });
    return empty;
}

QList<HostTile *> FleetPane::tiles() const
{
    return m_order;
}

QString FleetPane::totalText(const QString &key) const
{
    const QLabel *label = m_totalValues.value(key);
    return label ? label->text() : QString();
}

HostTile *FleetPane::makeTile(qint64 connectionId)
{
    auto *tile = new HostTile(connectionId, m_tilesWidget);
    connect(tile, &HostTile::activated, this, &FleetPane::hostActivated);
    connect(tile, &HostTile::wakeRequested, this, &FleetPane::wakeRequested);
    connect(tile, &HostTile::wakeCancelRequested, this, &FleetPane::wakeCancelRequested);
    m_flow->addWidget(tile);
    m_tiles.insert(connectionId, tile);
    return tile;
}

void FleetPane::setSnapshot(const FleetSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_hasSnapshot = true;
    m_readError->hide();

    QList<HostTile *> order;
    order.reserve(snapshot.hosts.size());
    for (const FleetHost &host : snapshot.hosts) {
        HostTile *tile = m_tiles.value(host.connectionId);
        if (!tile) {
            tile = makeTile(host.connectionId);
        }
        tile->setHost(host, snapshot.generatedAt);
        order.append(tile);
    }
    const bool tilesChanged = order != m_order;
    if (tilesChanged) {
        for (HostTile *tile : std::as_const(m_order)) {
            if (!order.contains(tile)) {
                m_tiles.remove(tile->connectionId());
                m_flow->removeWidget(tile);
                delete tile; // its connection is gone
            }
        }
        for (int i = 0; i < order.size(); ++i) {
            m_flow->moveWidget(order.at(i), i);
        }
        m_order = order;
    }
    // A Proxmox section of a connection that is gone goes with it.
    for (const qint64 id : m_clusters.keys()) {
        if (!m_tiles.contains(id)) {
            removeProxmox(id);
        }
    }
    updateStack();
    updateTotals();
    if (tilesChanged) {
        Q_EMIT this->tilesChanged();
    }
    Q_EMIT snapshotApplied(m_snapshot);
}

void FleetPane::updateStack()
{
    // Pods on their way have no tile yet: they alone are worth the view.
    m_stack->setCurrentIndex(m_order.isEmpty() && !m_podsSection->hasPods() ? 0 : 1);
}

void FleetPane::refresh()
{
    if (m_feed->isActive()) {
        m_feed->refresh();
    }
}

void FleetPane::setProxmoxStatus(const ProxmoxStatus &status)
{
    ProxmoxSection *section = m_clusters.value(status.connectionId);
    if (!section) {
        section = new ProxmoxSection(status.connectionId, m_scroll->widget());
        section->setQuestion(m_question);
        connect(section, &ProxmoxSection::actionRequested, this, &FleetPane::proxmoxActionRequested);
        connect(section, &ProxmoxSection::trustRequested, this, &FleetPane::proxmoxTrustRequested);
        m_clusters.insert(status.connectionId, section);
        m_content->insertWidget(m_content->count() - 1, section); // above the stretch
    }
    section->setStatus(status);
    arrangeClusters();
}

void FleetPane::removeProxmox(qint64 connectionId)
{
    if (ProxmoxSection *section = m_clusters.take(connectionId)) {
        m_content->removeWidget(section);
        delete section;
        arrangeClusters();
    }
}

void FleetPane::arrangeClusters()
{
    // One section per cluster: the first connection by name that has read it shows it; the others hide.
    QList<ProxmoxSection *> sections = m_clusters.values();
    std::sort(sections.begin(), sections.end(), [](const ProxmoxSection *a, const ProxmoxSection *b) {
        return a->status().connectionName < b->status().connectionName;
    });
    QSet<QString> shown;
    int index = 1; // after the tiles
    for (ProxmoxSection *section : std::as_const(sections)) {
        const ProxmoxCluster &c = section->status().cluster;
        const bool duplicate =
            c.clustered && !c.name.isEmpty() && section->status().hasData() && shown.contains(c.name);
        if (c.clustered && !c.name.isEmpty() && section->status().hasData()) {
            shown.insert(c.name);
        }
        section->setVisible(!duplicate);
        if (m_content->indexOf(section) != index) {
            m_content->removeWidget(section);
            m_content->insertWidget(index, section);
        }
        ++index;
    }
}

void FleetPane::setQuestion(Confirm::Question question)
{
    m_question = std::move(question);
    m_podsSection->setQuestion(m_question);
    for (ProxmoxSection *section : std::as_const(m_clusters)) {
        section->setQuestion(m_question);
    }
}

void FleetPane::setTotal(const QString &key, const QString &text, const QString &toolTip, bool attention)
{
    QLabel *label = m_totalValues.value(key);
    if (!label) {
        return;
    }
    if (label->text() != text) {
        label->setText(text);
        // The minimum only grows, in steps: a minimum that followed the figures would change the window's own
        // minimum size (its size hints, sent to the window manager) every second.
        const int needed = label->minimumSizeHint().width();
        if (needed > label->minimumWidth()) {
            label->setMinimumWidth((needed + kTotalWidthStep - 1) / kTotalWidthStep * kTotalWidthStep);
        }
    }
    if (label->toolTip() != toolTip) {
        label->setToolTip(toolTip);
    }
    if (label->property("attention").toBool() != attention) {
        label->setProperty("attention", attention);
        QPalette pal = m_totals->palette();
        if (attention) {
            pal.setColor(QPalette::WindowText, QColor(0xe6, 0x9a, 0x16)); // the tiles' warning amber
        }
        label->setPalette(pal);
    }
}

void FleetPane::updateTotals()
{
    const FleetTotals &t = m_snapshot.totals;
    int asleep = 0;
    for (const FleetHost &h : std::as_const(m_snapshot.hosts)) {
        asleep += h.asleep ? 1 : 0;
    }
    setTotal(QStringLiteral("hosts"), asleep > 0
                                          ? tr("%1 of %2 up · %3 asleep").arg(t.hostsConnected).arg(t.hosts).arg(asleep)
                                          : tr("%1 of %2 up").arg(t.hostsConnected).arg(t.hosts));
    setTotal(QStringLiteral("gpus"), tr("%1 busy · %2 free").arg(t.gpusBusy).arg(t.gpusFree),
             tr("%1 GPUs with a current reading. Free: under %2 % utilisation for the last %3 s and no process.")
                 .arg(t.gpus)
                 .arg(m_snapshot.options.thresholdPercent)
                 .arg(m_snapshot.options.windowS));
    setTotal(QStringLiteral("memory"),
             t.gpus > 0 ? MetricText::memoryOf(t.memoryUsedMiB, t.memoryTotalMiB, false) : MetricText::none());
    setTotal(QStringLiteral("power"), t.gpus > 0 ? powerText(t.powerDrawW) : MetricText::none());
    setTotal(QStringLiteral("jobs"), QString::number(t.runningJobs));
    setTotal(QStringLiteral("alerts"), QString::number(t.activeAlerts),
             t.activeAlerts > 0 ? tr("Active alerts: see the tiles, or the alerts under the GPUs pane") : QString(),
             t.activeAlerts > 0);
}

void FleetPane::setWaking(qint64 connectionId, bool waking, double progress, const QString &text)
{
    if (HostTile *tile = m_tiles.value(connectionId)) {
        tile->setWaking(waking, progress, text);
    }
}

void FleetPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_feed->setActive(true);
    Q_EMIT shownChanged(true);
}

void FleetPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_feed->setActive(false); // nothing is read or drawn off screen
    Q_EMIT shownChanged(false);
}

} // namespace gpudeck
