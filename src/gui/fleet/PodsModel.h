#pragma once

#include "runpod/RunPodTypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

namespace gpudeck {

// The RunPod pods of the Fleet pane's Pods section, one row each in name order, the pod id in PodIdRole. An update
// with the same pods changes the cells in place, so a selection survives the poll; uptime and cost so far are the
// core's (RunPodPod::runSeconds / costSoFar) at the model's clock, which tick() moves on without a read.
class PodsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StatusColumn,
        GpuColumn,
        CloudColumn,
        CostColumn,
        UptimeColumn,
        SpentColumn,
        GuardColumn,
        SshColumn,
        ColumnCount
    };
    static constexpr int PodIdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setPods(QList<RunPodPod> pods);
    const QList<RunPodPod> &pods() const { return m_pods; }
    const RunPodPod *pod(const QString &id) const;
    // Names shown instead of ids: GPU types by id (the catalog's short names), connections by id.
    void setGpuNames(const QHash<QString, QString> &names);
    void setConnectionNames(const QHash<qint64, QString> &names);
    // The cost guard per connection: what its running jobs do to the pod when they end ("Stop after 'train'").
    void setGuards(const QHash<qint64, QString> &guards);
    QString gpuText(const RunPodPod &pod) const; // "2 × H100 80GB HBM3"
    QString connectionName(qint64 connectionId) const { return m_connectionNames.value(connectionId); }
    int rowOf(const QString &id) const;
    // The clock uptime and cost so far are computed against (tests set it).
    void setNow(const QDateTime &now);
    void tick(); // now = the current time; the time columns change

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString statusLabel(const QString &status); // "Running", "Stopped", ...
    static QString money(double dollars);              // "$1.38"
    static QString rateText(double dollarsPerHour);    // "$1.38/h"
    static QString durationText(qint64 seconds);

private:
    QList<RunPodPod> m_pods;
    QHash<QString, QString> m_gpuNames;
    QHash<qint64, QString> m_connectionNames;
    QHash<qint64, QString> m_guards;
    QDateTime m_now;
    bool m_fixedNow = false;
};

} // namespace gpudeck
