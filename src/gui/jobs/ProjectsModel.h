#pragma once

#include "store/Entities.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace gpudeck {

// The projects as a read-only table. Qt::UserRole of any cell is the project's id.
class ProjectsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ConnectionColumn, TypeColumn, StatusColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    // `connectionNames` maps connection ids to names, for the Connection column.
    void setProjects(const QList<Project> &projects, const QHash<qint64, QString> &connectionNames);
    int rowOf(qint64 id) const;
    const Project *project(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const Project &p, int column) const;
    QString tooltip(const Project &p) const;

    QList<Project> m_projects;
    QHash<qint64, QString> m_connectionNames;
};

} // namespace gpudeck
