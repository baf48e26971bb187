#pragma once

#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QList>

namespace gpudeck {

// What the window knows about one connection's link: the pool's status, plus what only this window knows.
struct LinkView
{
    LinkStatus status;       // SshPool::status(), the truth about the link
    bool connecting = false; // a connect this window asked for is still under way
    QString lastError;       // why the last connect this window asked for failed, when the status does not say

    // While this window waits for a connect, a link the pool still reports as down reads as "connecting".
    LinkState shownState() const;
    // The reason to show: the pool's own, else the window's last error; empty once connected.
    QString problem() const;
};

// The connections as a read-only table, with each one's live link state (coloured dot and text; the reason
// in its tooltip). Qt::UserRole of any cell is the connection's id.
class ConnectionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, HostnameColumn, UserColumn, PortColumn, KindColumn, StatusColumn, ColumnCount };

    explicit ConnectionsModel(QObject *parent = nullptr);

    void setConnections(const QList<Connection> &connections);
    const Connection *connection(qint64 id) const;

    // Link states are kept by id, across setConnections(), for connections that are not listed yet too.
    void setLink(qint64 id, const LinkView &link);
    LinkView link(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "Connected since 14:03:22", "Reconnecting (attempt 2) (since …)": the state with its time.
    static QString headline(const LinkView &link);
    // The headline and the problem, if any: the status cell's tooltip.
    static QString describe(const LinkView &link);

private:
    QVariant display(const Connection &c, int column) const;
    QVariant toolTip(const Connection &c, int column) const;
    int rowOf(qint64 id) const;

    QList<Connection> m_connections;
    QHash<qint64, LinkView> m_links;
    QHash<int, QIcon> m_dots; // by LinkState
};

} // namespace gpudeck
