#include "jobs/JobsModel.h"

#include "Labels.h"
#include "TimeText.h"

#include <QColor>
#include <QHash>
#include <algorithm>

namespace gpudeck {

void JobsModel::setJobs(const QList<Job> &jobs)
{
    beginResetModel();
    m_jobs = jobs;
    endResetModel();
}

int JobsModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).id == id) {
            return row;
        }
    }
    return -1;
}

const Job *JobsModel::job(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_jobs.at(row);
}

bool JobsModel::anyRunning() const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(),
                       [](const Job &j) { return j.status == QStringLiteral("running"); });
}

void JobsModel::tick()
{
    if (!m_jobs.isEmpty()) {
        Q_EMIT dataChanged(index(0, DurationColumn), index(rowCount() - 1, DurationColumn), {Qt::DisplayRole});
    }
}

QString JobsModel::durationText(const Job &j, const QDateTime &now)
{
    if (!j.startedAt.isValid()) {
        return {};
    }
    const QDateTime end = j.completedAt.isValid()                 ? j.completedAt
                          : j.status == QStringLiteral("running") ? now
                                                                  : QDateTime();
    if (!end.isValid()) {
        return {};
    }
    const qint64 seconds = qMax<qint64>(0, j.startedAt.secsTo(end));
    if (seconds < 60) {
        return tr("%1 s").arg(seconds);
    }
    const qint64 minutes = seconds / 60;
    if (minutes < 60) {
        return tr("%1 min").arg(minutes);
    }
    const qint64 hours = minutes / 60;
    if (hours < 48) {
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    }
    return tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor JobsModel::statusColor(const QString &status)
{
    if (status == QStringLiteral("running")) {
        return QColor(0x1f, 0x6f, 0xd1);
    }
    if (status == QStringLiteral("completed")) {
        return QColor(0x2e, 0x8b, 0x3e);
    }
    if (status == QStringLiteral("failed")) {
        return QColor(0xc0, 0x39, 0x2b);
    }
    return QColor(Qt::gray);
}

QString JobsModel::onEndText(const Job &j)
{
    QString text;
    if (j.onEnd == QStringLiteral("stop_pod")) {
        text = tr("Stops pod");
    } else if (j.onEnd == QStringLiteral("terminate_pod")) {
        text = tr("Terminates pod");
    }
    const QString state = j.onEndResult.value(QStringLiteral("state")).toString();
    if (!state.isEmpty()) {
        static const QHash<QString, QString> states{{QStringLiteral("scheduled"), tr("scheduled")},
                                                    {QStringLiteral("retrying"), tr("retrying")},
                                                    {QStringLiteral("done"), tr("done")},
                                                    {QStringLiteral("failed"), tr("FAILED")},
                                                    {QStringLiteral("skipped"), tr("skipped")}};
        text += QStringLiteral(" (%1)").arg(states.value(state, state));
    }
    if (j.syncBeforeStart) {
        text = text.isEmpty() ? tr("Syncs first") : tr("Syncs first; %1").arg(text);
    }
    return text;
}

QVariant JobsModel::display(const Job &j, int column) const
{
    switch (column) {
    case NameColumn:
        return j.name;
    case ModelColumn:
        return j.modelName;
    case StatusColumn:
        return Labels::jobStatus(j.status);
    case AttemptColumn:
        return j.attempt > 0 ? QVariant(j.attempt) : QVariant();
    case ExitCodeColumn:
        return j.exitCode ? QVariant(*j.exitCode) : QVariant();
    case DurationColumn:
        return durationText(j, QDateTime::currentDateTimeUtc());
    case CommandColumn: {
        const QString first = j.command.section(QLatin1Char('\n'), 0, 0).trimmed();
        return j.command.contains(QLatin1Char('\n')) ? tr("%1 …").arg(first) : first;
    }
    case OnEndColumn:
        return onEndText(j);
    case StartedColumn:
        return localTimeText(j.startedAt);
    case CompletedColumn:
        return localTimeText(j.completedAt);
    case CreatedColumn:
        return localTimeText(j.createdAt);
    default:
        return {};
    }
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size()) {
        return {};
    }
    const Job &j = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(j, index.column());
    case Qt::UserRole:
        return j.id;
    case Qt::ForegroundRole:
        if (index.column() == OnEndColumn && j.onEnd != QStringLiteral("none")) {
            return QColor(0xb3, 0x5c, 0x00); // the cost guard is on: hard to miss
        }
        if (index.column() == ExitCodeColumn && j.exitCode.value_or(0) != 0) {
            return statusColor(QStringLiteral("failed"));
        }
        return index.column() == StatusColumn ? QVariant(statusColor(j.status)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == AttemptColumn || index.column() == ExitCodeColumn || index.column() == DurationColumn
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == OnEndColumn && !j.onEndResult.isEmpty()) {
            return j.onEndResult.value(QStringLiteral("message")).toString();
        }
        if (index.column() == CommandColumn) {
            return j.command.isEmpty() ? tr("A tracked job: something else runs it and updates it through the API")
                                       : j.command;
        }
        if (index.column() == StatusColumn && !j.statusReason.isEmpty()) {
            return j.statusReason;
        }
        return j.containerId.isEmpty() ? QVariant() : QVariant(tr("Container %1").arg(j.containerId));
    default:
        return {};
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Job");
    case ModelColumn:
        return tr("Model");
    case StatusColumn:
        return tr("Status");
    case AttemptColumn:
        return tr("Attempt");
    case ExitCodeColumn:
        return tr("Exit code");
    case DurationColumn:
        return tr("Duration");
    case CommandColumn:
        return tr("Command");
    case OnEndColumn:
        return tr("When it ends");
    case StartedColumn:
        return tr("Started");
    case CompletedColumn:
        return tr("Completed");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace gpudeck
