#include "fleet/ProxmoxSection.h"

#include "RecordTable.h"
#include "fleet/FlowLayout.h"
#include "fleet/ProxmoxGuestsModel.h"
#include "fleet/ProxmoxNodeTile.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

const QStringList kActions = {QStringLiteral("start"), QStringLiteral("shutdown"), QStringLiteral("stop"),
                              QStringLiteral("reboot")};
constexpr int kTableRowsShown = 6;

QString guestName(const ProxmoxGuest *guest, int vmid)
{
    if (!guest || guest->name.isEmpty()) {
        return QString::number(vmid);
    }
    return QStringLiteral("%1 (%2)").arg(vmid).arg(guest->name);
}

} // namespace

ProxmoxSection::ProxmoxSection(qint64 connectionId, QWidget *parent)
    : QWidget(parent)
    , m_connectionId(connectionId)
    , m_model(new ProxmoxGuestsModel(this))
{
    setObjectName(QStringLiteral("proxmoxSection_%1").arg(connectionId));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto *header = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("proxmoxTitle"));
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_title->setFont(big);
    m_quorum = new QLabel(this);
    m_quorum->setObjectName(QStringLiteral("proxmoxQuorum"));
    m_quorum->setTextFormat(Qt::PlainText);
    header->addWidget(m_title);
    header->addWidget(m_quorum, 1);
    layout->addLayout(header);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("proxmoxError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();
    auto *errorRow = new QHBoxLayout;
    errorRow->addWidget(m_error, 1);
    m_trustButton = new QPushButton(tr("Check the certificate…"), this);
    m_trustButton->setObjectName(QStringLiteral("proxmoxTrustButton"));
    m_trustButton->hide();
    connect(m_trustButton, &QPushButton::clicked, this, &ProxmoxSection::requestTrust);
    errorRow->addWidget(m_trustButton, 0, Qt::AlignTop);
    layout->addLayout(errorRow);

    m_nodesWidget = new QWidget(this);
    m_nodesFlow = new FlowLayout(m_nodesWidget, 6);
    layout->addWidget(m_nodesWidget);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (const QString &action : kActions) {
        auto *button = new QPushButton(actionLabel(action), this);
        button->setObjectName(QStringLiteral("proxmox_%1Button").arg(action));
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, this, [this, action] { requestAction(selectedVmid(), action); });
        buttons->addWidget(button);
        m_buttons.insert(action, button);
    }
    buttons->addSpacing(12);
    m_taskBusy = new QProgressBar(this);
    m_taskBusy->setObjectName(QStringLiteral("proxmoxTaskBusy"));
    m_taskBusy->setRange(0, 0);
    m_taskBusy->setMaximumWidth(90);
    m_taskBusy->setMaximumHeight(12);
    m_taskBusy->setTextVisible(false);
    m_taskBusy->hide();
    buttons->addWidget(m_taskBusy);
    m_taskLabel = new QLabel(this);
    m_taskLabel->setObjectName(QStringLiteral("proxmoxTaskLabel"));
    m_taskLabel->setTextFormat(Qt::PlainText);
    buttons->addWidget(m_taskLabel, 1);
    layout->addLayout(buttons);

    m_table = new RecordTable(m_model, QStringLiteral("proxmoxGuests_%1").arg(connectionId),
                              ProxmoxGuestsModel::NameColumn, this);
    // Tall enough for a few guests; the pane scrolls for the rest of the fleet.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + kTableRowsShown * rowHeight + 4);
    layout->addWidget(m_table);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProxmoxSection::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ProxmoxSection::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ProxmoxSection::updateButtons);
}

ProxmoxSection::~ProxmoxSection() = default;

QString ProxmoxSection::actionLabel(const QString &action)
{
    if (action == QStringLiteral("start")) {
        return tr("Start");
    }
    if (action == QStringLiteral("shutdown")) {
        return tr("Shut down");
    }
    if (action == QStringLiteral("stop")) {
        return tr("Stop");
    }
    if (action == QStringLiteral("reboot")) {
        return tr("Reboot");
    }
    return action;
}

bool ProxmoxSection::canTake(const ProxmoxGuest &guest, const QString &action)
{
    if (guest.templ) {
        return false; // a template never runs
    }
    const bool running = guest.status == QStringLiteral("running");
    return action == QStringLiteral("start") ? !running : running;
}

void ProxmoxSection::setStatus(const ProxmoxStatus &status)
{
    const int selected = selectedVmid();
    m_status = status;
    updateQuorum();
    updateNodes();
    m_model->setGuests(status.guests);
    if (selected > 0 && selectedVmid() != selected) {
        m_table->selectId(selected); // the rows were rebuilt (a guest came or went)
    }
    updateButtons();
}

void ProxmoxSection::updateQuorum()
{
    const ProxmoxCluster &c = m_status.cluster;
    m_title->setText(c.clustered && !c.name.isEmpty() ? tr("Cluster %1").arg(c.name)
                                                      : tr("Proxmox %1").arg(m_status.connectionName));
    QStringList parts;
    QString tint;
    if (!m_status.hasData()) {
        parts << tr("not read yet");
    } else {
        if (c.clustered) {
            parts << (c.quorate ? tr("Quorate") : tr("NO QUORUM"));
            tint = c.quorate ? QString() : QStringLiteral("#c0392b");
        }
        parts << tr("%1 of %2 nodes online").arg(c.nodesOnline).arg(c.nodes);
        if (c.clustered && c.expectedVotes > 0) {
            parts << (c.totalVotes >= 0 ? tr("votes %1 of %2").arg(c.totalVotes).arg(c.expectedVotes)
                                        : tr("%1 votes expected").arg(c.expectedVotes));
        }
        int running = 0;
        for (const ProxmoxGuest &g : std::as_const(m_status.guests)) {
            running += g.status == QStringLiteral("running") ? 1 : 0;
        }
        parts << tr("%1 of %2 guests running").arg(running).arg(m_status.guests.size());
        parts << (m_status.source == QStringLiteral("ssh") ? tr("via pvesh over SSH") : tr("via the API"));
        parts << tr("read %1").arg(QLocale().toString(m_status.fetchedAt.toLocalTime().time(), QLocale::ShortFormat));
    }
    m_quorum->setText(parts.join(QStringLiteral(" · ")));
    m_quorum->setStyleSheet(tint.isEmpty() ? QString()
                                           : QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(tint));
    if (m_status.error) {
        m_error->setText(m_status.hasData()
                             ? tr("The last read failed: %1 (shown: what was read at %2)")
                                   .arg(m_status.error->message,
                                        QLocale().toString(m_status.fetchedAt.toLocalTime(), QLocale::ShortFormat))
                             : tr("Cannot read the cluster: %1").arg(m_status.error->message));
        const bool changed = m_status.error->reason == QStringLiteral("certificate_changed");
        m_error->setStyleSheet(changed ? QStringLiteral("QLabel { color: #c0392b; font-weight: bold; }")
                                       : QStringLiteral("QLabel { color: #e69a16; }"));
        m_error->show();
        const bool certificate = changed || m_status.error->reason == QStringLiteral("certificate_unknown");
        m_trustButton->setVisible(certificate &&
                                  !m_status.error->details.value(QStringLiteral("fingerprint")).toString().isEmpty());
    } else {
        m_error->hide();
        m_trustButton->hide();
    }
}

void ProxmoxSection::updateNodes()
{
    QList<ProxmoxNode> nodes = m_status.nodes;
    std::sort(nodes.begin(), nodes.end(), [](const ProxmoxNode &a, const ProxmoxNode &b) { return a.name < b.name; });
    QSet<QString> seen;
    int i = 0;
    for (const ProxmoxNode &n : std::as_const(nodes)) {
        seen.insert(n.name);
        ProxmoxNodeTile *tile = m_nodes.value(n.name);
        if (!tile) {
            tile = new ProxmoxNodeTile(n.name, m_nodesWidget);
            m_nodesFlow->addWidget(tile);
            m_nodes.insert(n.name, tile);
        }
        m_nodesFlow->moveWidget(tile, i++);
        tile->setNode(n);
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        m_nodesFlow->removeWidget(it.value());
        delete it.value();
        it = m_nodes.erase(it);
    }
}

QList<ProxmoxNodeTile *> ProxmoxSection::nodeTiles() const
{
    QList<ProxmoxNodeTile *> out;
    for (int i = 0; i < m_nodesFlow->count(); ++i) {
        if (auto *tile = qobject_cast<ProxmoxNodeTile *>(m_nodesFlow->itemAt(i)->widget())) {
            out.append(tile);
        }
    }
    return out;
}

int ProxmoxSection::selectedVmid() const
{
    return int(m_table->selectedId());
}

void ProxmoxSection::updateButtons()
{
    const ProxmoxGuest *guest = m_model->guest(selectedVmid());
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        it.value()->setEnabled(guest && canTake(*guest, it.key()));
    }
}

bool ProxmoxSection::requestAction(int vmid, const QString &action)
{
    const ProxmoxGuest *guest = m_status.guest(vmid);
    if (!guest || !kActions.contains(action) || !canTake(*guest, action)) {
        return false;
    }
    const QString what = guestName(guest, vmid);
    const QString kind = ProxmoxGuestsModel::typeLabel(guest->type);
    QString text;
    if (action == QStringLiteral("start")) {
        text = tr("Start %1 %2 on %3?").arg(kind, what, guest->node);
    } else if (action == QStringLiteral("shutdown")) {
        text = tr("Shut down %1 %2 on %3?\n\nIts operating system is asked to shut down cleanly; whatever runs in it "
                  "stops.")
                   .arg(kind, what, guest->node);
    } else if (action == QStringLiteral("stop")) {
        text = tr("Stop %1 %2 on %3 now?\n\nThis is pulling the plug: unsaved work in it is lost and its disks may "
                  "need checking.")
                   .arg(kind, what, guest->node);
    } else {
        text = tr("Reboot %1 %2 on %3?\n\nWhatever runs in it stops and starts again.").arg(kind, what, guest->node);
    }
    if (!m_question(this, tr("%1 %2").arg(actionLabel(action), what), text, actionLabel(action))) {
        return false;
    }
    m_taskUpid.clear();
    m_taskBusy->show();
    m_taskLabel->setStyleSheet(QString());
    m_taskLabel->setText(tr("%1 %2: asking Proxmox…").arg(actionLabel(action), what));
    Q_EMIT actionRequested(m_connectionId, vmid, action);
    return true;
}

bool ProxmoxSection::requestTrust()
{
    if (!m_status.error) {
        return false;
    }
    const QString fingerprint = m_status.error->details.value(QStringLiteral("fingerprint")).toString();
    const bool replace = m_status.error->reason == QStringLiteral("certificate_changed");
    if (fingerprint.isEmpty() || (!replace && m_status.error->reason != QStringLiteral("certificate_unknown"))) {
        return false;
    }
    const QString text =
        replace ? tr("The Proxmox node of %1 now presents ANOTHER certificate than the one trusted before.\n\n"
                     "This happens when the node's certificate was renewed, or when someone is between you and the "
                     "node. Trust the new one only if you know it was renewed and its SHA-256 fingerprint, shown on "
                     "the node (Datacenter → node → System → Certificates), is:\n\n%2")
                      .arg(m_status.connectionName, fingerprint)
                : tr("The Proxmox node of %1 presents a certificate GPU Deck has not seen before.\n\nCompare its "
                     "SHA-256 fingerprint with the one the node shows (Datacenter → node → System → Certificates) "
                     "before trusting it:\n\n%2")
                      .arg(m_status.connectionName, fingerprint);
    if (!m_question(this, replace ? tr("Certificate changed") : tr("New certificate"), text,
                    replace ? tr("Trust the new certificate") : tr("Trust"))) {
        return false;
    }
    Q_EMIT trustRequested(m_connectionId, fingerprint, replace);
    return true;
}

void ProxmoxSection::setTask(const ProxmoxTask &task)
{
    m_taskUpid = task.upid;
    const QString what = guestName(m_status.guest(task.vmid), task.vmid);
    const QString verb = actionLabel(task.action.isEmpty() ? task.type : task.action);
    if (!task.finished()) {
        const qint64 seconds = task.startedAt.isValid() ? task.startedAt.secsTo(QDateTime::currentDateTimeUtc()) : -1;
        m_taskBusy->show();
        m_taskLabel->setStyleSheet(QString());
        m_taskLabel->setText(seconds >= 0
                                 ? tr("%1 %2: task running on %3 (%4 s)").arg(verb, what, task.node).arg(seconds)
                                 : tr("%1 %2: task running on %3").arg(verb, what, task.node));
        m_taskLabel->setToolTip(task.upid);
        return;
    }
    m_taskBusy->hide();
    if (task.succeeded()) {
        m_taskLabel->setStyleSheet(QString());
        m_taskLabel->setText(tr("%1 %2: done (OK)").arg(verb, what));
    } else {
        m_taskLabel->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
        m_taskLabel->setText(tr("%1 %2 failed: %3").arg(verb, what, task.exitStatus));
    }
    m_taskLabel->setToolTip(task.upid);
}

void ProxmoxSection::setActionFailed(int vmid, const QString &action, const QString &message)
{
    m_taskBusy->hide();
    m_taskLabel->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_taskLabel->setText(
        tr("%1 %2 failed: %3").arg(actionLabel(action), guestName(m_status.guest(vmid), vmid), message));
}

} // namespace gpudeck
