#pragma once

#include "alerts/Alert.h"

#include <QAbstractTableModel>
#include <QList>

namespace gpudeck {

// Alerts, newest first, as a read-only table; active ones stand out (bold, tinted by severity).
// Qt::UserRole of any cell is the alert's id.
class AlertsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, HostColumn, GpuColumn, MessageColumn, SeverityColumn, EndedColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setAlerts(const QList<Alert> &alerts);
    const QList<Alert> &alerts() const { return m_alerts; }
    int activeCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString severityText(const QString &severity);
    static QColor severityColor(const QString &severity);

private:
    QVariant display(const Alert &a, int column) const;

    QList<Alert> m_alerts;
};

} // namespace gpudeck
