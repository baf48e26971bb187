#include "fleet/PodsModel.h"

#include <QColor>
#include <QLocale>
#include <algorithm>

namespace gpudeck {

void PodsModel::setPods(QList<RunPodPod> pods)
{
    std::sort(pods.begin(), pods.end(), [](const RunPodPod &a, const RunPodPod &b) {
        return a.name == b.name ? a.id < b.id : a.name.localeAwareCompare(b.name) < 0;
    });
    const bool sameRows =
        pods.size() == m_pods.size() && std::equal(pods.cbegin(), pods.cend(), m_pods.cbegin(),
                                                   [](const RunPodPod &a, const RunPodPod &b) { return a.id == b.id; });
    if (!m_fixedNow) {
        m_now = QDateTime::currentDateTimeUtc();
    }
    if (!sameRows) {
        beginResetModel();
        m_pods = std::move(pods);
        endResetModel();
        return;
    }
    m_pods = std::move(pods);
    if (!m_pods.isEmpty()) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

const RunPodPod *PodsModel::pod(const QString &id) const
{
    const int row = rowOf(id);
    return row >= 0 ? &m_pods.at(row) : nullptr;
}

int PodsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_pods.size(); ++i) {
        if (m_pods.at(i).id == id) {
            return i;
        }
    }
    return -1;
}

void PodsModel::setNow(const QDateTime &now)
{
    m_fixedNow = now.isValid();
    m_now = now;
    if (!m_pods.isEmpty()) {
        Q_EMIT dataChanged(index(0, UptimeColumn), index(rowCount() - 1, SpentColumn));
    }
}

void PodsModel::tick()
{
    if (!m_fixedNow) {
        m_now = QDateTime::currentDateTimeUtc();
    }
    bool running = false;
    for (const RunPodPod &p : std::as_const(m_pods)) {
        running = running || p.isRunning();
    }
    if (running) {
        Q_EMIT dataChanged(index(0, UptimeColumn), index(rowCount() - 1, SpentColumn));
    }
}

int PodsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pods.size());
}

int PodsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PodsModel::statusLabel(const QString &status)
{
    if (status == QStringLiteral("PROVISIONING")) {
        return tr("Provisioning");
    }
    if (status == QStringLiteral("STARTING")) {
        return tr("Starting");
    }
    if (status == QStringLiteral("RUNNING")) {
        return tr("Running");
    }
    if (status == QStringLiteral("EXITED")) {
        return tr("Stopped");
    }
    if (status == QStringLiteral("ERROR")) {
        return tr("Error");
    }
    if (status == QStringLiteral("TERMINATED")) {
        return tr("Terminated");
    }
    return status;
}

void PodsModel::setGpuNames(const QHash<QString, QString> &names)
{
    m_gpuNames = names;
    if (!m_pods.isEmpty()) {
        Q_EMIT dataChanged(index(0, GpuColumn), index(rowCount() - 1, GpuColumn));
    }
}

void PodsModel::setGuards(const QHash<qint64, QString> &guards)
{
    if (guards == m_guards) {
        return;
    }
    m_guards = guards;
    if (!m_pods.isEmpty()) {
        Q_EMIT dataChanged(index(0, GuardColumn), index(rowCount() - 1, GuardColumn));
    }
}

void PodsModel::setConnectionNames(const QHash<qint64, QString> &names)
{
    if (names == m_connectionNames) {
        return;
    }
    m_connectionNames = names;
    if (!m_pods.isEmpty()) {
        Q_EMIT dataChanged(index(0, SshColumn), index(rowCount() - 1, SshColumn));
    }
}

QString PodsModel::gpuText(const RunPodPod &pod) const
{
    const QString name = m_gpuNames.value(pod.gpuTypeId, pod.gpuTypeId);
    if (name.isEmpty()) {
        return tr("CPU");
    }
    return tr("%1 × %2").arg(qMax(1, pod.gpuCount)).arg(name);
}

QString PodsModel::money(double dollars)
{
    return QStringLiteral("$%1").arg(QLocale::c().toString(dollars, 'f', 2));
}

QString PodsModel::rateText(double dollarsPerHour)
{
    return tr("%1/h").arg(money(dollarsPerHour));
}

QString PodsModel::durationText(qint64 seconds)
{
    if (seconds <= 0) {
        return {};
    }
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

QVariant PodsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_pods.size()) {
        return {};
    }
    const RunPodPod &p = m_pods.at(index.row());
    if (role == PodIdRole) {
        return p.id;
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case CostColumn:
        case UptimeColumn:
        case SpentColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        if (p.status == QStringLiteral("ERROR")) {
            return QColor(0xc0, 0x39, 0x2b);
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case NameColumn:
            return tr("%1\nPod id: %2\nImage: %3").arg(p.name, p.id, p.image);
        case GpuColumn:
            return p.gpuTypeId;
        case CostColumn:
            return tr("What RunPod bills for this pod now, per hour (nothing while it is stopped but its volume).");
        case SpentColumn:
            return tr("Its rate times the time since it last started: what this run has cost so far.");
        case GuardColumn:
            return tr("What GPU Deck does to this pod when a job running on it ends (the job's \"When it ends\"), "
                      "after the grace set in Monitoring settings.");
        case SshColumn:
            return p.connectionId > 0 ? tr("Connection %1").arg(connectionName(p.connectionId))
                                      : tr("Becomes a connection once it runs with SSH");
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
    case NameColumn:
        return p.name;
    case StatusColumn:
        return statusLabel(p.status);
    case GpuColumn:
        return gpuText(p);
    case CloudColumn:
        return p.cloud == QStringLiteral("COMMUNITY") ? tr("Community")
               : p.cloud == QStringLiteral("SECURE")  ? tr("Secure")
                                                      : p.cloud;
    case CostColumn:
        return p.costPerHr > 0 ? rateText(p.costPerHr) : QStringLiteral("—");
    case UptimeColumn:
        return p.isRunning() ? durationText(p.runSeconds(m_now)) : QString();
    case SpentColumn:
        return p.isRunning() ? money(p.costSoFar(m_now)) : QString();
    case GuardColumn:
        return p.connectionId > 0 ? m_guards.value(p.connectionId) : QString();
    case SshColumn: {
        const QString name = connectionName(p.connectionId);
        if (p.sshDirect.isNull()) {
            return name;
        }
        const QString address = QStringLiteral("%1:%2").arg(p.sshDirect.host).arg(p.sshDirect.port);
        return name.isEmpty() ? address : tr("%1 (%2)").arg(name, address);
    }
    default:
        return {};
    }
}

QVariant PodsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Pod");
    case StatusColumn:
        return tr("Status");
    case GpuColumn:
        return tr("GPU");
    case CloudColumn:
        return tr("Cloud");
    case CostColumn:
        return tr("Cost");
    case UptimeColumn:
        return tr("Uptime");
    case SpentColumn:
        return tr("Cost so far");
    case GuardColumn:
        return tr("When its job ends");
    case SshColumn:
        return tr("Connection");
    default:
        return {};
    }
}

} // namespace gpudeck
