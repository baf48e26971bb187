#pragma once

#include "store/Entities.h"

#include <QAbstractTableModel>
#include <QList>

namespace gpudeck {

// The connections as a read-only table. Qt::UserRole of any cell is the connection's id.
class ConnectionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, HostnameColumn, UserColumn, PortColumn, KindColumn, ActiveColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setConnections(const QList<Connection> &connections);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const Connection &c, int column) const;

    QList<Connection> m_connections;
};

} // namespace gpudeck
