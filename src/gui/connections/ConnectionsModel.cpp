#include "connections/ConnectionsModel.h"

#include "Labels.h"
#include "TimeText.h"

#include <QColor>
#include <QFont>

namespace gpudeck {

void ConnectionsModel::setConnections(const QList<Connection> &connections)
{
    beginResetModel();
    m_connections = connections;
    endResetModel();
}

int ConnectionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_connections.size());
}

int ConnectionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionsModel::display(const Connection &c, int column) const
{
    const bool local = c.kind == QStringLiteral("local");
    switch (column) {
    case NameColumn:
        return c.name;
    case HostnameColumn:
        return local && c.hostname.isEmpty() ? tr("(this computer)") : c.hostname;
    case UserColumn:
        return c.username;
    case PortColumn:
        return local ? QVariant() : QVariant(c.port);
    case KindColumn:
        return Labels::connectionKind(c.kind);
    case ActiveColumn:
        return c.isActive ? tr("Connected") : tr("Not connected");
    default:
        return {};
    }
}

QVariant ConnectionsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_connections.size()) {
        return {};
    }
    const Connection &c = m_connections.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(c, index.column());
    case Qt::UserRole:
        return c.id;
    case Qt::ToolTipRole:
        return c.lastConnectedAt.isValid() ? tr("Last connected %1").arg(localTimeText(c.lastConnectedAt))
                                           : tr("Never connected");
    case Qt::TextAlignmentRole:
        return index.column() == PortColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
        // Idle connections are the normal case; only a live one should catch the eye.
        return index.column() == ActiveColumn && !c.isActive ? QVariant(QColor(Qt::gray)) : QVariant();
    case Qt::FontRole:
        if (index.column() == NameColumn) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    default:
        return {};
    }
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case HostnameColumn:
        return tr("Host");
    case UserColumn:
        return tr("User");
    case PortColumn:
        return tr("Port");
    case KindColumn:
        return tr("Kind");
    case ActiveColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace gpudeck
