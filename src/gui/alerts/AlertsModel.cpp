#include "alerts/AlertsModel.h"

#include "TimeText.h"

#include <QColor>
#include <QFont>
#include <algorithm>

namespace gpudeck {

void AlertsModel::setAlerts(const QList<Alert> &alerts)
{
    beginResetModel();
    m_alerts = alerts;
    endResetModel();
}

int AlertsModel::activeCount() const
{
    return static_cast<int>(
        std::count_if(m_alerts.cbegin(), m_alerts.cend(), [](const Alert &a) { return a.active(); }));
}

int AlertsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_alerts.size());
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertsModel::severityText(const QString &severity)
{
    if (severity == QStringLiteral("critical")) {
        return tr("Critical");
    }
    if (severity == QStringLiteral("warning")) {
        return tr("Warning");
    }
    if (severity == QStringLiteral("info")) {
        return tr("Info");
    }
    return severity;
}

QColor AlertsModel::severityColor(const QString &severity)
{
    if (severity == QStringLiteral("critical")) {
        return QColor(0xc0, 0x39, 0x2b);
    }
    if (severity == QStringLiteral("warning")) {
        return QColor(0xe6, 0x9a, 0x16);
    }
    return QColor(0x29, 0x80, 0xb9);
}

QVariant AlertsModel::display(const Alert &a, int column) const
{
    switch (column) {
    case StartedColumn:
        return localTimeText(a.startedAt);
    case HostColumn:
        return a.connectionName;
    case GpuColumn:
        return a.gpuIndex >= 0 ? QString::number(a.gpuIndex) : QString();
    case MessageColumn:
        return a.message;
    case SeverityColumn:
        return severityText(a.severity);
    case EndedColumn:
        return a.active() ? tr("Active") : localTimeText(a.endedAt);
    default:
        return {};
    }
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_alerts.size()) {
        return {};
    }
    const Alert &a = m_alerts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(a, index.column());
    case Qt::ToolTipRole:
        return index.column() == MessageColumn ? QVariant(a.message) : QVariant();
    case Qt::UserRole:
        return a.id;
    case Qt::FontRole:
        if (a.active()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        if (a.active()) {
            QColor tint = severityColor(a.severity);
            tint.setAlphaF(0.16f);
            return tint;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn) {
            return severityColor(a.severity).darker(a.active() ? 110 : 100);
        }
        return {};
    default:
        return {};
    }
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case StartedColumn:
        return tr("Started");
    case HostColumn:
        return tr("Host");
    case GpuColumn:
        return tr("GPU");
    case MessageColumn:
        return tr("Alert");
    case SeverityColumn:
        return tr("Severity");
    case EndedColumn:
        return tr("Ended");
    default:
        return {};
    }
}

} // namespace gpudeck
