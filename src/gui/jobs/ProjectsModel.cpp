#include "jobs/ProjectsModel.h"

#include "Labels.h"

#include <QColor>

namespace gpudeck {

void ProjectsModel::setProjects(const QList<Project> &projects, const QHash<qint64, QString> &connectionNames)
{
    beginResetModel();
    m_projects = projects;
    m_connectionNames = connectionNames;
    endResetModel();
}

int ProjectsModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_projects.size(); ++row) {
        if (m_projects.at(row).id == id) {
            return row;
        }
    }
    return -1;
}

const Project *ProjectsModel::project(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_projects.at(row);
}

int ProjectsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_projects.size());
}

int ProjectsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectsModel::display(const Project &p, int column) const
{
    switch (column) {
    case NameColumn:
        return p.name;
    case ConnectionColumn:
        return m_connectionNames.value(p.connectionId, QString::number(p.connectionId));
    case TypeColumn:
        return Labels::projectType(p.projectType);
    case StatusColumn:
        return Labels::projectStatus(p.status);
    default:
        return {};
    }
}

QString ProjectsModel::tooltip(const Project &p) const
{
    QStringList lines;
    if (!p.description.isEmpty()) {
        lines << p.description;
    }
    if (!p.remotePath.isEmpty()) {
        lines << tr("Remote path: %1").arg(p.remotePath);
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant ProjectsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_projects.size()) {
        return {};
    }
    const Project &p = m_projects.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(p, index.column());
    case Qt::UserRole:
        return p.id;
    case Qt::ToolTipRole:
        return tooltip(p);
    case Qt::ForegroundRole:
        return p.status == QStringLiteral("archived") ? QVariant(QColor(Qt::gray)) : QVariant();
    default:
        return {};
    }
}

QVariant ProjectsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Project");
    case ConnectionColumn:
        return tr("Connection");
    case TypeColumn:
        return tr("Type");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace gpudeck
