#pragma once

// The fit check before a swap: does the model about to be started fit in what its host can give once the model
// that runs now has stopped? Read from one command run on the host (snapshotCommand: /proc/meminfo, the GPUs'
// memory, the GPU processes and the process table), evaluated here without touching anything.
//
// On a GB10 (DGX Spark) the GPU has no memory of its own: nvidia-smi prints [N/A] for it and the figure is the
// host's MemAvailable, which already leaves out what the GPU processes hold. Elsewhere it is the GPUs' free memory.
// Either way, what the running model holds comes back when it stops; whatever else holds GPU memory (a training
// run, a notebook) stays, and the refusal names it.

#include "Result.h"
#include "metrics/GpuSample.h"
#include "models/ModelCatalog.h"
#include "ssh/SshTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace gpudeck {

// What the host said, parsed. Sections it could not read stay empty.
struct HostSnapshot
{
    std::optional<HostMemory> meminfo;
    struct Gpu
    {
        double totalMiB = kNoValue; // NaN on a GB10
        double usedMiB = kNoValue;
    };
    QList<Gpu> gpus;
    QList<GpuProcess> processes; // nvidia-smi --query-compute-apps
    struct Proc
    {
        qint64 ppid = 0;
        QString args;
    };
    QHash<qint64, Proc> table; // ps: pid → parent and command line

    bool unifiedMemory() const; // GPUs seen, none with a memory total of its own, and /proc/meminfo read
};

// Something else holding GPU memory, that stays when the current model stops.
struct FitHolder
{
    qint64 pid = 0;
    QString command; // its command line (or nvidia-smi's process name)
    double mib = kNoValue;
};

struct FitReport
{
    QString model;          // the model checked (its catalog id)
    QString host;           // the host measured (each host of a model across hosts is measured on its own)
    bool known = false;     // the figures could be read (a model that declares nothing is not checked)
    QString unknownReason;  // why not, when !known
    double needsMiB = 0;    // what the new model needs
    QString needsFrom;      // "memory_gb" or "gpu_memory_utilization 0.85 of 119.7 GiB"
    double totalMiB = 0;    // the host's GPU memory (the unified memory on a GB10)
    double freeNowMiB = 0;  // free now
    double releasedMiB = 0; // what the model that stops gives back
    QString releasedFrom;   // how that was found
    double wouldBeFreeMiB = 0;
    bool unified = false;
    bool fits = true;
    QList<FitHolder> holders; // the other GPU processes, largest first

    // "needs 96 GiB, 71 GiB would be free: 25 GiB held by pid 4242 python train.py"
    QString message() const;
    QJsonObject toJson() const;
};

class FitCheck
{
public:
    // One command, its sections separated by a marker line; each part may fail on its own (no nvidia-smi, no ps).
    static QString snapshotCommand();
    static HostSnapshot parseSnapshot(const QString &output);
    // `current`: the model that stops first (nullptr: none is up). `target` must declare its memory.
    static FitReport evaluate(const ModelSpec &target, const ModelSpec *current, const HostSnapshot &snapshot);
    // evaluate() on what snapshotCommand() printed on `host`; when it could not run, a report that is not known,
    // saying why.
    static FitReport measure(const ModelSpec &target, const ModelSpec *current, const QString &host,
                             const Result<CommandResult> &snapshot);
    // Of the reports of a model's hosts (the head's first): the first host it does not fit on, else the head's.
    static FitReport deciding(const QList<FitReport> &perHost);
    // Conflict "does_not_fit" (409), the figures in its details: what a swap that is not forced answers.
    static Error refusal(const QString &host, const FitReport &fit);
    // "96 GiB", "7.5 GiB"
    static QString gib(double mib);
};

} // namespace gpudeck
