#pragma once

#include "proxmox/ProxmoxTypes.h"

#include <QAbstractTableModel>

namespace gpudeck {

// A Proxmox cluster's VMs and containers, one row each in VMID order, the VMID in Qt::UserRole (RecordTable's rule).
// An update with the same guests changes the cells in place, so a selection survives the 10 s poll.
class ProxmoxGuestsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        NameColumn,
        TypeColumn,
        NodeColumn,
        StatusColumn,
        CpuColumn,
        MemoryColumn,
        UptimeColumn,
        TagsColumn,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setGuests(QList<ProxmoxGuest> guests);
    const QList<ProxmoxGuest> &guests() const { return m_guests; }
    const ProxmoxGuest *guest(int vmid) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString typeLabel(const QString &type);     // "VM", "Container"
    static QString statusLabel(const QString &status); // "Running", "Stopped", ...
    static QString uptimeText(qint64 seconds);

private:
    QList<ProxmoxGuest> m_guests;
};

} // namespace gpudeck
