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
        StatusColumn,
        AttemptColumn,  // how many times GPU Deck started it (blank: never)
        ExitCodeColumn, // of the latest attempt
        DurationColumn, // started → completed, or → now while it runs
        CommandColumn,  // its first line; the whole command in the tooltip
        ModelColumn,
        OnEndColumn, // the cost guard: what happens to the pod when the job ends (blank: nothing)
        StartedColumn,
        CompletedColumn,
        CreatedColumn,
        ColumnCount
    };
    static QString onEndText(const Job &job);
    // "4 s", "12 min", "3 h 5 min", "2 d 1 h"; empty when it has not started.
    static QString durationText(const Job &job, const QDateTime &now);

    using QAbstractTableModel::QAbstractTableModel;

    void setJobs(const QList<Job> &jobs);
    int rowOf(qint64 id) const;
    const Job *job(qint64 id) const;
    bool anyRunning() const;
    // A running job's duration grows: repaints that column (the pane calls it every second while one runs).
    void tick();

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
