#include "alerts/AlertEngine.h"

#include "store/Entities.h"

#include <QJsonValue>

namespace gpudeck {

QJsonObject Alert::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("connection_id"), connectionId > 0 ? QJsonValue(connectionId) : QJsonValue()},
            {QStringLiteral("connection_name"), connectionName},
            {QStringLiteral("gpu_index"), gpuIndex >= 0 ? QJsonValue(gpuIndex) : QJsonValue()},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("severity"), severity},
            {QStringLiteral("message"), message},
            {QStringLiteral("value"), value},
            {QStringLiteral("threshold"), threshold},
            {QStringLiteral("active"), active()},
            {QStringLiteral("started_at"), isoUtc(startedAt)},
            {QStringLiteral("ended_at"), endedAt.isValid() ? QJsonValue(isoUtc(endedAt)) : QJsonValue()},
            {QStringLiteral("end_reason"), endReason.isEmpty() ? QJsonValue() : QJsonValue(endReason)}};
}

QJsonObject AlertThresholds::toJson() const
{
    return {{QStringLiteral("temperature_c"), temperatureC},
            {QStringLiteral("temperature_clear_c"), temperatureClearC},
            {QStringLiteral("memory_percent"), memoryPercent},
            {QStringLiteral("memory_clear_percent"), memoryClearPercent},
            {QStringLiteral("unreachable_seconds"), unreachableSeconds}};
}

bool AlertThresholds::fromJson(const QJsonObject &json, AlertThresholds &out, QString *error)
{
    AlertThresholds t = out;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!it.value().isDouble()) {
            *error = QStringLiteral("'%1' must be a number").arg(it.key());
            return false;
        }
        const double v = it.value().toDouble();
        if (it.key() == QStringLiteral("temperature_c")) {
            t.temperatureC = v;
        } else if (it.key() == QStringLiteral("temperature_clear_c")) {
            t.temperatureClearC = v;
        } else if (it.key() == QStringLiteral("memory_percent")) {
            t.memoryPercent = v;
        } else if (it.key() == QStringLiteral("memory_clear_percent")) {
            t.memoryClearPercent = v;
        } else if (it.key() == QStringLiteral("unreachable_seconds")) {
            t.unreachableSeconds = static_cast<int>(v);
        } else {
            *error = QStringLiteral("unknown field '%1'").arg(it.key());
            return false;
        }
    }
    if (t.temperatureClearC > t.temperatureC || t.memoryClearPercent > t.memoryPercent) {
        *error = QStringLiteral("a clear level must not be above its alert level");
        return false;
    }
    if (t.temperatureC < 0 || t.temperatureC > 150 || t.memoryPercent <= 0 || t.memoryPercent > 100 ||
        t.unreachableSeconds < 1 || t.unreachableSeconds > 86400) {
        *error = QStringLiteral("thresholds out of range (temperature 0-150 C, memory 1-100 %, unreachable 1-86400 s)");
        return false;
    }
    out = t;
    return true;
}

QString AlertEngine::keyOf(const Alert &a)
{
    return QStringLiteral("%1/%2/%3").arg(a.connectionId).arg(a.gpuIndex).arg(a.kind);
}

void AlertEngine::setStoredId(const QString &key, qint64 id)
{
    auto it = m_open.find(key);
    if (it != m_open.end()) {
        it->id = id;
    }
}

QList<AlertEngine::Change> AlertEngine::evaluate(const QString &key, bool over, bool under, const Alert &candidate)
{
    QList<Change> changes;
    const auto it = m_open.find(key);
    if (it == m_open.end() && over) {
        Alert a = candidate;
        a.key = key;
        a.startedAt = nowUtc();
        m_open.insert(key, a);
        changes.append({true, a});
    } else if (it != m_open.end() && under) {
        Alert a = *it;
        a.endedAt = nowUtc();
        a.endReason = QStringLiteral("cleared");
        a.value = candidate.value;
        m_open.erase(it);
        changes.append({false, a});
    }
    return changes;
}

QList<AlertEngine::Change> AlertEngine::onSample(qint64 connectionId, const QString &name, const GpuSample &s)
{
    QList<Change> changes;
    if (hasValue(s.temperatureC)) {
        Alert a;
        a.connectionId = connectionId;
        a.connectionName = name;
        a.gpuIndex = s.index;
        a.kind = QStringLiteral("gpu_temperature");
        a.severity = QStringLiteral("critical");
        a.value = s.temperatureC;
        a.threshold = m_thresholds.temperatureC;
        a.message = QStringLiteral("%1 GPU %2 is at %3 °C (alert at %4 °C)")
                        .arg(name)
                        .arg(s.index)
                        .arg(s.temperatureC)
                        .arg(m_thresholds.temperatureC);
        changes += evaluate(keyOf(a), s.temperatureC >= m_thresholds.temperatureC,
                            s.temperatureC <= m_thresholds.temperatureClearC, a);
    }
    if (hasValue(s.memoryUsedMiB) && hasValue(s.memoryTotalMiB) && s.memoryTotalMiB > 0) {
        const double percent = 100.0 * s.memoryUsedMiB / s.memoryTotalMiB;
        Alert a;
        a.connectionId = connectionId;
        a.connectionName = name;
        a.gpuIndex = s.index;
        a.kind = QStringLiteral("gpu_memory");
        a.severity = QStringLiteral("warning");
        a.value = percent;
        a.threshold = m_thresholds.memoryPercent;
        a.message = QStringLiteral("%1 GPU %2 memory is %3 % full (alert at %4 %)")
                        .arg(name)
                        .arg(s.index)
                        .arg(percent, 0, 'f', 1)
                        .arg(m_thresholds.memoryPercent);
        changes +=
            evaluate(keyOf(a), percent >= m_thresholds.memoryPercent, percent <= m_thresholds.memoryClearPercent, a);
    }
    return changes;
}

QList<AlertEngine::Change> AlertEngine::onHostState(qint64 connectionId, const QString &name, bool reachable,
                                                    qint64 nowMs)
{
    Alert a;
    a.connectionId = connectionId;
    a.connectionName = name;
    a.kind = QStringLiteral("host_unreachable");
    a.severity = QStringLiteral("critical");
    a.threshold = m_thresholds.unreachableSeconds;
    if (reachable) {
        m_downSince.remove(connectionId);
        return evaluate(keyOf(a), false, true, a);
    }
    const qint64 since = m_downSince.value(connectionId, nowMs);
    m_downSince.insert(connectionId, since);
    const double downFor = static_cast<double>(nowMs - since) / 1000.0;
    a.value = downFor;
    a.message = QStringLiteral("%1 has been unreachable for %2 s").arg(name).arg(static_cast<int>(downFor));
    return evaluate(keyOf(a), downFor >= m_thresholds.unreachableSeconds, false, a);
}

QList<AlertEngine::Change> AlertEngine::forget(qint64 connectionId)
{
    QList<Change> changes;
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (it->connectionId == connectionId) {
            Alert a = *it;
            a.endedAt = nowUtc();
            a.endReason = QStringLiteral("unseen"); // not over: no longer looked at; reopened if seen again
            changes.append({false, a});
            it = m_open.erase(it);
        } else {
            ++it;
        }
    }
    m_downSince.remove(connectionId);
    return changes;
}

} // namespace gpudeck
