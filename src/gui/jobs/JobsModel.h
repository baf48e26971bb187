#pragma once

#include "store/Entities.h"

#include <QAbstractTableModel>
#include <QList>

namespace gpudeck {

// The jobs of one project as a read-only table. Qt::UserRole of any cell is the job's id.
class JobsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        ModelColumn,
        StatusColumn,
        OnEndColumn, // the cost guard: what happens to the pod when the job ends (blank: nothing)
        StartedColumn,
        CompletedColumn,
        CreatedColumn,
        ColumnCount
    };
    static QString onEndText(const Job &job);

    using QAbstractTableModel::QAbstractTableModel;

    void setJobs(const QList<Job> &jobs);
    int rowOf(qint64 id) const;
    const Job *job(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QColor statusColor(const QString &status);

private:
    QVariant display(const Job &j, int column) const;

    QList<Job> m_jobs;
};

} // namespace gpudeck
