#pragma once

#include "Result.h"
#include "models/HttpProbe.h"
#include "models/ModelCatalog.h"
#include "models/SwapReport.h"
#include "ssh/SshTypes.h"

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

// One swap of a host to another model, as a transaction: detect what is up → check that the new model fits in the
// memory the host would have once that stops (when the model declares what it needs; refused unless forced) → stop it
// (and see its port close) → start the new model → wait for its health endpoint (exponential backoff, up to its
// readiness timeout) → check /v1/models lists it. On a failure or a cancel: collect the model's last log lines, stop
// it, start the previous model again and wait for it, and report both what failed and whether the restore worked. Lives
// on the models thread; every step is asynchronous (SSH futures, HTTP replies, timers).
class ModelSwap : public QObject
{
    Q_OBJECT
public:
    ModelSwap(SwapReport report, HostCatalog host, ModelSpec target, ProbeTarget probeTarget, SshPool &pool,
              HttpProbe &probe, SwapTimings timings, QObject *parent = nullptr);
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
    void exec(const QString &command, int timeoutMs, std::function<void(const Result<CommandResult> &)> done);
    void probe(int port, const QString &path, std::function<void(const ProbeResult &)> done);
    void after(int ms, std::function<void()> then);
    void waitHealthy(const ModelSpec &model, int percentFrom, int percentTo, Done done);
    void waitPortFree(int port, int timeoutMs, Done done);
    void verify(const ModelSpec &model, Done done);
    // Which catalog model of the host answers on its port (empty: none); `others` gets non-catalog ids seen.
    void detectUp(std::function<void(const QString &model, const QStringList &others)> done);

    template<typename F>
    auto guarded(F f);

    void setStep(const QString &step, int percent);
    void log(const QString &level, const QString &message);
    QString tail(const QByteArray &text) const;

    SwapReport m_report;
    HostCatalog m_host;
    ModelSpec m_target;
    std::optional<ModelSpec> m_previous;
    ProbeTarget m_probeTarget;
    SshPool &m_pool;
    HttpProbe &m_probe;
    SwapTimings m_timings;

    quint64 m_epoch = 0; // bumped on cancel/abort: callbacks of an older epoch are ignored
    std::shared_ptr<ExecCancel> m_execCancel;
    std::shared_ptr<std::function<void()>> m_loop; // the polling loop running now (health, port free)
    bool m_targetStarted = false;
    bool m_cancelled = false;
    bool m_aborted = false;
    QString m_startOutput;
};

} // namespace gpudeck
