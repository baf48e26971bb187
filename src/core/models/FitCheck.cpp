#include "models/FitCheck.h"

#include "metrics/NvidiaSmiParser.h"
#include "metrics/ProcParser.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace gpudeck {
namespace {

const QString kMark = QStringLiteral("::gpudeck-fit::");

bool isFinite(double v)
{
    return std::isfinite(v);
}

// Does this command line belong to `model`: it names the model (id or alias) or its port.
bool names(const QString &args, const ModelSpec &model)
{
    if (args.contains(model.id)) {
        return true;
    }
    for (const QString &alias : model.aliases) {
        if (alias.size() >= 3 && args.contains(alias)) {
            return true;
        }
    }
    const QRegularExpression port(QStringLiteral("--port[= ]%1(?!\\d)").arg(model.port));
    return args.contains(port);
}

// The process or one of its ancestors was started for `model` (vLLM's engine core is a child of `vllm serve`).
bool belongsTo(qint64 pid, const ModelSpec &model, const HostSnapshot &s)
{
    for (int depth = 0; depth < 32 && pid > 1; ++depth) {
        const auto it = s.table.constFind(pid);
        if (it == s.table.constEnd()) {
            return false;
        }
        if (names(it->args, model)) {
            return true;
        }
        pid = it->ppid;
    }
    return false;
}

QString commandOf(const GpuProcess &p, const HostSnapshot &s)
{
    QString c = s.table.value(p.pid).args.simplified();
    if (c.isEmpty()) {
        c = p.name.simplified();
    }
    return c.size() > 80 ? c.left(77) + QStringLiteral("...") : c;
}

} // namespace

bool HostSnapshot::unifiedMemory() const
{
    if (gpus.isEmpty() || !meminfo || !isFinite(meminfo->totalMiB)) {
        return false;
    }
    return std::none_of(gpus.cbegin(), gpus.cend(), [](const Gpu &g) { return isFinite(g.totalMiB); });
}

QString FitCheck::snapshotCommand()
{
    return QStringLiteral("cat /proc/meminfo 2>/dev/null; echo %1; "
                          "nvidia-smi --query-gpu=memory.total,memory.used --format=csv,noheader,nounits 2>/dev/null; "
                          "echo %1; %2 2>/dev/null; echo %1; ps -ww -eo pid=,ppid=,args= 2>/dev/null")
        .arg(kMark, NvidiaSmiParser::computeAppsCommand());
}

HostSnapshot FitCheck::parseSnapshot(const QString &output)
{
    HostSnapshot s;
    const QStringList sections = output.split(kMark);
    if (sections.size() < 4) {
        return s;
    }
    s.meminfo = ProcParser::parseMeminfo(sections.at(0));
    for (const QString &line : sections.at(1).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList f = line.split(QLatin1Char(','));
        if (f.size() != 2) {
            continue;
        }
        bool okTotal = false;
        bool okUsed = false;
        HostSnapshot::Gpu g;
        g.totalMiB = NvidiaSmiParser::parseNumber(f.at(0).trimmed(), &okTotal);
        g.usedMiB = NvidiaSmiParser::parseNumber(f.at(1).trimmed(), &okUsed);
        if (okTotal && okUsed) {
            s.gpus << g;
        }
    }
    s.processes = NvidiaSmiParser::parseComputeApps(sections.at(2).trimmed());
    static const QRegularExpression row(QStringLiteral("^\\s*(\\d+)\\s+(\\d+)\\s+(.*)$"));
    for (const QString &line : sections.at(3).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto m = row.match(line);
        if (m.hasMatch()) {
            s.table.insert(m.captured(1).toLongLong(), {m.captured(2).toLongLong(), m.captured(3).trimmed()});
        }
    }
    return s;
}

FitReport FitCheck::evaluate(const ModelSpec &target, const ModelSpec *current, const HostSnapshot &s)
{
    FitReport r;
    r.model = target.id;
    r.unified = s.unifiedMemory();
    if (r.unified) {
        r.totalMiB = s.meminfo->totalMiB;
        r.freeNowMiB = s.meminfo->availableMiB;
        if (!isFinite(r.freeNowMiB)) {
            r.unknownReason = QStringLiteral("/proc/meminfo has no MemAvailable");
            return r;
        }
    } else {
        for (const HostSnapshot::Gpu &g : s.gpus) {
            if (isFinite(g.totalMiB) && isFinite(g.usedMiB)) {
                r.totalMiB += g.totalMiB;
                r.freeNowMiB += std::max(0.0, g.totalMiB - g.usedMiB);
            }
        }
        if (r.totalMiB <= 0) {
            r.unknownReason = s.gpus.isEmpty() ? QStringLiteral("nvidia-smi gave no GPU memory figures")
                                               : QStringLiteral("the GPUs report no memory and /proc/meminfo "
                                                                "could not be read");
            return r;
        }
    }
    if (target.memoryGb > 0) {
        r.needsMiB = target.memoryGb * 1024;
        r.needsFrom = QStringLiteral("memory_gb");
    } else {
        r.needsMiB = target.gpuMemoryUtilization * r.totalMiB;
        r.needsFrom =
            QStringLiteral("gpu_memory_utilization %1 of %2").arg(target.gpuMemoryUtilization).arg(gib(r.totalMiB));
    }

    // What the running model gives back: its GPU processes as measured, else what it declares.
    QStringList releasedBy;
    for (const GpuProcess &p : s.processes) {
        if (current && belongsTo(p.pid, *current, s)) {
            if (isFinite(p.usedMemoryMiB)) {
                r.releasedMiB += p.usedMemoryMiB;
            }
            releasedBy << QStringLiteral("pid %1").arg(p.pid);
        } else if (isFinite(p.usedMemoryMiB) && p.usedMemoryMiB > 0) {
            r.holders.append({p.pid, commandOf(p, s), p.usedMemoryMiB});
        }
    }
    if (current) {
        if (r.releasedMiB > 0) {
            r.releasedFrom =
                QStringLiteral("%1's GPU processes (%2)").arg(current->id, releasedBy.join(QStringLiteral(", ")));
        } else if (current->memoryGb > 0) {
            r.releasedMiB = current->memoryGb * 1024;
            r.releasedFrom = QStringLiteral("%1's memory_gb").arg(current->id);
        } else if (current->gpuMemoryUtilization > 0) {
            r.releasedMiB = current->gpuMemoryUtilization * r.totalMiB;
            r.releasedFrom = QStringLiteral("%1's gpu_memory_utilization").arg(current->id);
        } else {
            r.releasedFrom = QStringLiteral("none of the GPU processes could be told to be %1's").arg(current->id);
        }
    }
    std::sort(r.holders.begin(), r.holders.end(), [](const FitHolder &a, const FitHolder &b) { return a.mib > b.mib; });
    r.wouldBeFreeMiB = std::min(r.freeNowMiB + r.releasedMiB, r.totalMiB);
    r.fits = r.wouldBeFreeMiB >= r.needsMiB;
    r.known = true;
    return r;
}

FitReport FitCheck::measure(const ModelSpec &target, const ModelSpec *current, const QString &host,
                            const Result<CommandResult> &snapshot)
{
    FitReport fit;
    fit.model = target.id;
    if (snapshot.ok()) {
        fit = evaluate(target, current, parseSnapshot(QString::fromUtf8(snapshot->stdOut)));
    } else {
        fit.unknownReason = snapshot.error().message;
    }
    fit.host = host;
    return fit;
}

FitReport FitCheck::deciding(const QList<FitReport> &perHost)
{
    for (const FitReport &r : perHost) {
        if (r.known && !r.fits) {
            return r;
        }
    }
    return perHost.value(0);
}

Error FitCheck::refusal(const QString &host, const FitReport &fit)
{
    return Error::make(ErrorCode::Conflict, QStringLiteral("does_not_fit"),
                       QStringLiteral("%1 does not fit on %2: %3 (send \"force\": true to swap anyway)")
                           .arg(fit.model, host, fit.message()),
                       {{QStringLiteral("fit"), fit.toJson()}});
}

QString FitCheck::gib(double mib)
{
    const double g = mib / 1024.0;
    if (std::abs(g) >= 10) {
        return QStringLiteral("%1 GiB").arg(std::round(g), 0, 'f', 0);
    }
    QString t = QString::number(g, 'f', 1);
    if (t.endsWith(QStringLiteral(".0"))) {
        t.chop(2);
    }
    return t + QStringLiteral(" GiB");
}

QString FitReport::message() const
{
    if (!known) {
        return QStringLiteral("the memory free could not be measured: %1").arg(unknownReason);
    }
    QString text =
        QStringLiteral("needs %1, %2 would be free").arg(FitCheck::gib(needsMiB), FitCheck::gib(wouldBeFreeMiB));
    QStringList held;
    for (const FitHolder &h : holders.mid(0, 3)) {
        held << QStringLiteral("%1 %2 pid %3 %4")
                    .arg(FitCheck::gib(h.mib), held.isEmpty() ? QStringLiteral("held by") : QStringLiteral("by"))
                    .arg(h.pid)
                    .arg(h.command);
    }
    if (holders.size() > 3) {
        held << QStringLiteral("%1 more").arg(holders.size() - 3);
    }
    if (!held.isEmpty()) {
        text += QStringLiteral(": ") + held.join(QStringLiteral(", "));
    } else {
        text += QStringLiteral(" of %1%2")
                    .arg(FitCheck::gib(totalMiB),
                         unified ? QStringLiteral(" unified memory") : QStringLiteral(" GPU memory"));
    }
    return text;
}

QJsonObject FitReport::toJson() const
{
    QJsonArray list;
    for (const FitHolder &h : holders) {
        list.append(QJsonObject{{QStringLiteral("pid"), h.pid},
                                {QStringLiteral("command"), h.command},
                                {QStringLiteral("mib"), std::round(h.mib)}});
    }
    auto mib = [this](double v) { return known ? QJsonValue(std::round(v)) : QJsonValue(); };
    return {{QStringLiteral("host"), host.isEmpty() ? QJsonValue() : QJsonValue(host)},
            {QStringLiteral("known"), known},
            {QStringLiteral("fits"), known ? QJsonValue(fits) : QJsonValue()},
            {QStringLiteral("message"), message()},
            {QStringLiteral("needs_mib"), mib(needsMiB)},
            {QStringLiteral("needs_from"), needsFrom.isEmpty() ? QJsonValue() : QJsonValue(needsFrom)},
            {QStringLiteral("total_mib"), mib(totalMiB)},
            {QStringLiteral("free_now_mib"), mib(freeNowMiB)},
            {QStringLiteral("released_mib"), mib(releasedMiB)},
            {QStringLiteral("released_from"), releasedFrom.isEmpty() ? QJsonValue() : QJsonValue(releasedFrom)},
            {QStringLiteral("would_be_free_mib"), mib(wouldBeFreeMiB)},
            {QStringLiteral("unified_memory"), unified},
            {QStringLiteral("held_by"), list}};
}

} // namespace gpudeck
