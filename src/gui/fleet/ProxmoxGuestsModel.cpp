#include "fleet/ProxmoxGuestsModel.h"

#include "gpus/MetricText.h"

#include <QLocale>
#include <algorithm>

namespace gpudeck {

void ProxmoxGuestsModel::setGuests(QList<ProxmoxGuest> guests)
{
    std::sort(guests.begin(), guests.end(),
              [](const ProxmoxGuest &a, const ProxmoxGuest &b) { return a.vmid < b.vmid; });
    const bool sameRows = guests.size() == m_guests.size() &&
                          std::equal(guests.cbegin(), guests.cend(), m_guests.cbegin(),
                                     [](const ProxmoxGuest &a, const ProxmoxGuest &b) { return a.vmid == b.vmid; });
    if (!sameRows) {
        beginResetModel();
        m_guests = std::move(guests);
        endResetModel();
        return;
    }
    m_guests = std::move(guests);
    if (!m_guests.isEmpty()) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

const ProxmoxGuest *ProxmoxGuestsModel::guest(int vmid) const
{
    for (const ProxmoxGuest &g : m_guests) {
        if (g.vmid == vmid) {
            return &g;
        }
    }
    return nullptr;
}

int ProxmoxGuestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_guests.size());
}

int ProxmoxGuestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProxmoxGuestsModel::typeLabel(const QString &type)
{
    if (type == QStringLiteral("qemu")) {
        return tr("VM");
    }
    if (type == QStringLiteral("lxc")) {
        return tr("Container");
    }
    return type;
}

QString ProxmoxGuestsModel::statusLabel(const QString &status)
{
    if (status == QStringLiteral("running")) {
        return tr("Running");
    }
    if (status == QStringLiteral("stopped")) {
        return tr("Stopped");
    }
    if (status == QStringLiteral("paused")) {
        return tr("Paused");
    }
    return status;
}

QString ProxmoxGuestsModel::uptimeText(qint64 seconds)
{
    if (seconds <= 0) {
        return {};
    }
    const qint64 minutes = seconds / 60;
    if (minutes < 60) {
        return tr("%1 min").arg(minutes);
    }
    const qint64 hours = minutes / 60;
    if (hours < 48) {
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    }
    return tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QVariant ProxmoxGuestsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_guests.size()) {
        return {};
    }
    const ProxmoxGuest &g = m_guests.at(index.row());
    if (role == Qt::UserRole) {
        return qint64(g.vmid);
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case IdColumn:
        case CpuColumn:
        case MemoryColumn:
        case UptimeColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
    case IdColumn:
        return g.vmid;
    case NameColumn:
        return g.templ ? tr("%1 (template)").arg(g.name) : g.name;
    case TypeColumn:
        return typeLabel(g.type);
    case NodeColumn:
        return g.node;
    case StatusColumn:
        return g.lock.isEmpty() ? statusLabel(g.status) : tr("%1 (locked: %2)").arg(statusLabel(g.status), g.lock);
    case CpuColumn:
        return g.status == QStringLiteral("running") ? MetricText::percent(g.cpu * 100.0) : QString();
    case MemoryColumn:
        return g.maxMem > 0 ? MetricText::memoryOf(double(g.mem) / 1048576.0, double(g.maxMem) / 1048576.0, false)
                            : QString();
    case UptimeColumn:
        return uptimeText(g.uptime);
    case TagsColumn:
        return g.tags.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant ProxmoxGuestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case IdColumn:
        return tr("ID");
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case NodeColumn:
        return tr("Node");
    case StatusColumn:
        return tr("Status");
    case CpuColumn:
        return tr("CPU");
    case MemoryColumn:
        return tr("Memory");
    case UptimeColumn:
        return tr("Uptime");
    case TagsColumn:
        return tr("Tags");
    default:
        return {};
    }
}

} // namespace gpudeck
