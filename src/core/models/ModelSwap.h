#pragma once

#include "Result.h"
#include "models/FitCheck.h"
#include "models/HttpProbe.h"
#include "models/ModelCatalog.h"
#include "models/SwapReport.h"
#include "ssh/SshTypes.h"

#include <QHash>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>

namespace gpudeck {

class SshPool;

// Timings of a swap; the defaults suit real models, tests shorten them.
struct SwapTimings
{
    int commandTimeoutMs = 120000; // a start or stop command must return within this (start commands detach)
    int portFreeTimeoutMs = 60000; // after stop, the port must close within this
    int probeTimeoutMs = 5000;     // one HTTP probe
    int backoffInitialMs = 250;    // health polling while the model loads: 250 ms doubling...
    int backoffMaxMs = 2000;       // ...up to 2 s between probes
    int logLines = 40;             // lines of the model's log (or start output) kept for the error
    QString fitCommand; // the fit check's host snapshot; empty: FitCheck::snapshotCommand() (tests replace it)
};

// One swap to another model, as a transaction over the hosts it holds (SwapReport::hosts: the model's hosts, one for
// most models, a head and its workers for a model across hosts): detect what is up on each → check that the new model
// fits in the memory its host would have once that stops (when the model declares what it needs; refused unless
// forced) → stop what is up (every host of it, in reverse start order, and see its ports close) → start the new model
// host by host in its start order (a worker with a port: wait for its health before the next) → wait for the head's
// health endpoint (exponential backoff, up to its readiness timeout) → check /v1/models lists it. On a failure or a
// cancel: collect the failed part's last log lines, stop what was started, start what was up before again on every
// host and wait for it, and report both what failed and whether the restore worked. Lives on the models thread; every
// step is asynchronous (SSH futures, HTTP replies, timers).
class ModelSwap : public QObject
{
    Q_OBJECT
public:
    // `targets`: how each host of `report.hosts` is reached.
    ModelSwap(SwapReport report, ModelCatalog catalog, ModelSpec target, QHash<QString, ProbeTarget> targets,
              SshPool &pool, HttpProbe &probe, SwapTimings timings, QObject *parent = nullptr);
    ~ModelSwap() override;

    void start();
    // Stops the forward path where it is and restores. False (with why) when it is already restoring or done.
    bool cancel(QString *why);
    // At shutdown: stop everything now, no restore.
    void abort();

    const SwapReport &report() const { return m_report; }

Q_SIGNALS:
    void updated(const gpudeck::SwapReport &report);
    void finished(const gpudeck::SwapReport &report);

private:
    using Done = std::function<void(bool ok, const QString &why)>;

    // Forward path.
    void detect();
    void checkFit();
    void concludeFit(const QList<FitReport> &perHost);
    void stopCurrent();
    void startTarget();
    void waitTarget();
    void verifyTarget();
    void succeed();
    // Failure path.
    void fail(const QString &message, const QString &output = {});
    void collectLogs();
    void stopNew();
    void restore();
    void finish();

    // Building blocks; their callbacks are dropped once the swap has moved on (cancel) or is gone.
    void exec(const QString &host, const QString &command, int timeoutMs,
              std::function<void(const Result<CommandResult> &)> done);
    void probe(const QString &host, int port, const QString &path, std::function<void(const ProbeResult &)> done);
    void after(int ms, std::function<void()> then);
    // Polls http://<host>:<port><path> until 200 (backoff), up to `timeoutS`; `what` names it in the log.
    void waitHealthy(const QString &host, int port, const QString &path, int timeoutS, const QString &what,
                     int percentFrom, int percentTo, Done done);
    void waitPortFree(const QString &host, int port, int timeoutMs, Done done);
    void verify(const ModelSpec &model, Done done);
    // Which catalog model of the host answers on its ports (empty: none); `others` gets non-catalog ids seen.
    void detectUp(const QString &host, std::function<void(const QString &model, const QStringList &others)> done);
    // Runs `steps` one after another; `done` with the first failure, or ok after the last.
    void sequence(QList<std::function<void(Done)>> steps, Done done);
    // A model's stop commands on each of its hosts, in reverse start order, each followed by its port closing.
    // `strict`: a command that cannot run or a port that stays open fails it; else they are only logged.
    void stopModel(const ModelSpec &model, bool strict, int portTimeoutMs, Done done);
    void stopParts(const ModelSpec &model, const QList<ServingStep> &parts, bool strict, int portTimeoutMs, Done done);
    // A model's start commands host by host in start order (a worker with a port is waited for before the next);
    // `started` counts the parts launched. The head's health is left to the caller.
    void startParts(const ModelSpec &model, int *started, Done done);
    void restoreOne(const ModelSpec &previous, Done done);
    const ModelSpec *previousOn(const QString &host) const;
    QString where(const ServingStep &step, const ModelSpec &model) const;

    template<typename F>
    auto guarded(F f);

    void setStep(const QString &step, int percent);
    void log(const QString &level, const QString &message);
    QString tail(const QByteArray &text) const;

    SwapReport m_report;
    ModelCatalog m_catalog;
    ModelSpec m_target;
    QList<ModelSpec> m_previous; // what was up on the swap's hosts, each model once
    QHash<QString, ProbeTarget> m_targets;
    SshPool &m_pool;
    HttpProbe &m_probe;
    SwapTimings m_timings;

    quint64 m_epoch = 0; // bumped on cancel/abort: callbacks of an older epoch are ignored
    std::shared_ptr<ExecCancel> m_execCancel;
    std::shared_ptr<std::function<void()>> m_loop; // the polling loop running now (health, port free)
    int m_targetStarted = 0;                       // parts of the new model launched (stopped again on a failure)
    ServingStep m_failedPart;                      // the part whose start or health failed: its log explains it
    bool m_cancelled = false;
    bool m_aborted = false;
    QString m_startOutput;  // the last start command's output
    QString m_failedOutput; // a start command's output when it failed (its exit code said so)
};

} // namespace gpudeck
