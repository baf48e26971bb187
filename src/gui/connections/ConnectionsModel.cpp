#include "connections/ConnectionsModel.h"

#include "Labels.h"
#include "TimeText.h"
#include "connections/LinkDot.h"

#include <QFont>

namespace gpudeck {

LinkState LinkView::shownState() const
{
    if (connecting && (status.state == LinkState::Disconnected || status.state == LinkState::Failed)) {
        return LinkState::Connecting;
    }
    return status.state;
}

QString LinkView::problem() const
{
    const LinkState state = shownState();
    if (state == LinkState::Connected || state == LinkState::Connecting) {
        return {};
    }
    QString problem = status.reason.isEmpty() ? lastError : status.reason;
    if (!problem.isEmpty()) {
        problem[0] = problem.at(0).toUpper(); // the core's reasons are sentence fragments
    }
    return problem;
}

ConnectionsModel::ConnectionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    for (LinkState state : {LinkState::Disconnected, LinkState::Connecting, LinkState::Connected,
                            LinkState::Reconnecting, LinkState::Failed, LinkState::Down}) {
        m_dots.insert(static_cast<int>(state), LinkDot::icon(state));
    }
}

void ConnectionsModel::setConnections(const QList<Connection> &connections)
{
    beginResetModel();
    m_connections = connections;
    endResetModel();
}

const Connection *ConnectionsModel::connection(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_connections.at(row);
}

int ConnectionsModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_connections.size(); ++row) {
        if (m_connections.at(row).id == id) {
            return row;
        }
    }
    return -1;
}

void ConnectionsModel::setLink(qint64 id, const LinkView &link)
{
    m_links.insert(id, link);
    if (const int row = rowOf(id); row >= 0) {
        const QModelIndex cell = index(row, StatusColumn);
        Q_EMIT dataChanged(cell, cell);
    }
}

LinkView ConnectionsModel::link(qint64 id) const
{
    return m_links.value(id);
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
    case StatusColumn: {
        const LinkView l = link(c.id);
        return Labels::linkState(l.shownState(), l.status.attempt);
    }
    default:
        return {};
    }
}

QString ConnectionsModel::headline(const LinkView &link)
{
    const LinkState state = link.shownState();
    const QString text = Labels::linkState(state, link.status.attempt);
    if (state == LinkState::Disconnected || link.status.state != state || !link.status.since.isValid()) {
        return text;
    }
    const QString since = localTimeText(link.status.since);
    // "Connecting… since" reads badly; states still under way get the time in brackets.
    const bool underWay =
        state == LinkState::Connecting || state == LinkState::Reconnecting || state == LinkState::Down;
    return underWay ? tr("%1 (since %2)").arg(text, since) : tr("%1 since %2").arg(text, since);
}

QString ConnectionsModel::describe(const LinkView &link)
{
    const QString text = headline(link);
    const QString problem = link.problem();
    return problem.isEmpty() ? text : tr("%1: %2").arg(text, problem);
}

QVariant ConnectionsModel::toolTip(const Connection &c, int column) const
{
    if (column == StatusColumn) {
        return describe(link(c.id));
    }
    return c.lastConnectedAt.isValid() ? tr("Last connected %1").arg(localTimeText(c.lastConnectedAt))
                                       : tr("Never connected");
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
        return toolTip(c, index.column());
    case Qt::DecorationRole:
        return index.column() == StatusColumn ? QVariant(m_dots.value(static_cast<int>(link(c.id).shownState())))
                                              : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == PortColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
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
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace gpudeck
