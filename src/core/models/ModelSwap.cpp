#include "models/ModelSwap.h"

#include "models/FitCheck.h"
#include "models/ModelsLogging.h"
#include "ssh/SshPool.h"
#include "store/Entities.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QTimer>

namespace gpudeck {

ModelSwap::ModelSwap(SwapReport report, HostCatalog host, ModelSpec target, ProbeTarget probeTarget, SshPool &pool,
                     HttpProbe &probe, SwapTimings timings, QObject *parent)
    : QObject(parent)
    , m_report(std::move(report))
    , m_host(std::move(host))
    , m_target(std::move(target))
    , m_probeTarget(std::move(probeTarget))
    , m_pool(pool)
    , m_probe(probe)
    , m_timings(timings)
{
}

ModelSwap::~ModelSwap()
{
    if (m_execCancel) {
        m_execCancel->cancel();
    }
}

template<typename F>
auto ModelSwap::guarded(F f)
{
    QPointer<ModelSwap> self(this);
    const quint64 epoch = m_epoch;
    return [self, epoch, f](auto &&...args) {
        if (self && self->m_epoch == epoch && !self->m_aborted) {
            f(std::forward<decltype(args)>(args)...);
        }
    };
}

// ---- building blocks -------------------------------------------------------------------------------------------

void ModelSwap::exec(const QString &command, int timeoutMs, std::function<void(const Result<CommandResult> &)> done)
{
    ExecOptions options;
    options.timeoutMs = timeoutMs;
    options.maxOutputBytes = 1024 * 1024;
    m_execCancel = std::make_shared<ExecCancel>();
    options.cancel = m_execCancel;
    auto callback = guarded([done](const Result<CommandResult> &r) { done(r); });
    m_pool.exec(m_probeTarget.connectionId, command, options)
        .then(this, [callback](Result<CommandResult> r) { callback(r); })
        .onCanceled(this, [callback] {
            callback(Result<CommandResult>(Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"),
                                                       QStringLiteral("the command was abandoned"))));
        });
}

void ModelSwap::probe(int port, const QString &path, std::function<void(const ProbeResult &)> done)
{
    m_probe.get(m_probeTarget, port, path, m_timings.probeTimeoutMs,
                guarded([done](const ProbeResult &r) { done(r); }));
}

void ModelSwap::after(int ms, std::function<void()> then)
{
    QTimer::singleShot(ms, this, guarded([then] { then(); }));
}

void ModelSwap::waitHealthy(const ModelSpec &model, int percentFrom, int percentTo, Done done)
{
    struct Wait
    {
        QDeadlineTimer deadline;
        qint64 totalMs;
        int delayMs;
        QString lastAnswer;
    };
    auto w = std::make_shared<Wait>(Wait{QDeadlineTimer(qint64(model.readinessTimeoutS) * 1000),
                                         qint64(model.readinessTimeoutS) * 1000,
                                         m_timings.backoffInitialMs,
                                         {}});
    log(QStringLiteral("info"), QStringLiteral("waiting for http://%1:%2%3 to answer 200 (up to %4 s)")
                                    .arg(m_probeTarget.address)
                                    .arg(model.port)
                                    .arg(model.health)
                                    .arg(model.readinessTimeoutS));
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [this, w, model, percentFrom, percentTo, done, weak = std::weak_ptr<std::function<void()>>(attempt)] {
        probe(model.port, model.health, [this, w, model, percentFrom, percentTo, done, weak](const ProbeResult &r) {
            if (r.status == 200) {
                log(QStringLiteral("info"), QStringLiteral("%1 is healthy").arg(model.id));
                done(true, {});
                return;
            }
            const QString answer = r.describe();
            if (answer != w->lastAnswer) {
                w->lastAnswer = answer;
                log(QStringLiteral("info"), QStringLiteral("not ready yet: %1").arg(answer));
            }
            const qint64 elapsed = w->totalMs - w->deadline.remainingTime();
            setStep(m_report.step, percentFrom + int((percentTo - percentFrom) * std::min<qint64>(elapsed, w->totalMs) /
                                                     std::max<qint64>(w->totalMs, 1)));
            if (w->deadline.hasExpired()) {
                done(false, QStringLiteral("%1 did not become healthy within %2 s (last answer: %3)")
                                .arg(model.id)
                                .arg(model.readinessTimeoutS)
                                .arg(answer));
                return;
            }
            const int delay = int(std::min<qint64>(w->delayMs, std::max<qint64>(w->deadline.remainingTime(), 1)));
            w->delayMs = std::min(w->delayMs * 2, m_timings.backoffMaxMs);
            auto next = weak.lock();
            if (next) {
                after(delay, [next] { (*next)(); });
            }
        });
    };
    m_loop = attempt; // the loop's timers hold it only weakly: a newer loop (or the swap's end) drops it
    (*attempt)();
}

void ModelSwap::waitPortFree(int port, int timeoutMs, Done done)
{
    auto deadline = std::make_shared<QDeadlineTimer>(timeoutMs);
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [this, port, deadline, done, weak = std::weak_ptr<std::function<void()>>(attempt)] {
        probe(port, QStringLiteral("/health"), [this, port, deadline, done, weak](const ProbeResult &r) {
            if (r.refused) {
                log(QStringLiteral("info"), QStringLiteral("port %1 is free").arg(port));
                done(true, {});
                return;
            }
            if (deadline->hasExpired()) {
                done(false, QStringLiteral("port %1 is still in use (%2)").arg(port).arg(r.describe()));
                return;
            }
            if (auto next = weak.lock()) {
                after(500, [next] { (*next)(); });
            }
        });
    };
    m_loop = attempt;
    (*attempt)();
}

void ModelSwap::verify(const ModelSpec &model, Done done)
{
    probe(model.port, QStringLiteral("/v1/models"), [model, done](const ProbeResult &r) {
        if (r.status != 200) {
            done(false, QStringLiteral("GET /v1/models on port %1 answered %2").arg(model.port).arg(r.describe()));
            return;
        }
        const QStringList listed = HttpProbe::listedModels(r.body);
        for (const QString &id : listed) {
            if (model.answersTo(id)) {
                done(true, {});
                return;
            }
        }
        done(false, QStringLiteral("port %1 lists [%2] in /v1/models, not %3")
                        .arg(model.port)
                        .arg(listed.join(QStringLiteral(", ")), model.id));
    });
}

void ModelSwap::detectUp(std::function<void(const QString &, const QStringList &)> done)
{
    const QList<int> ports = m_host.modelPorts();
    struct Gather
    {
        int pending = 0;
        QString model;
        QStringList others;
    };
    auto g = std::make_shared<Gather>();
    g->pending = int(ports.size());
    if (ports.isEmpty()) {
        done({}, {});
        return;
    }
    for (int port : ports) {
        probe(port, QStringLiteral("/v1/models"), [this, g, port, done](const ProbeResult &r) {
            if (r.status == 200) {
                for (const QString &id : HttpProbe::listedModels(r.body)) {
                    const ModelSpec *m = m_host.model(id);
                    if (m && m->port == port && g->model.isEmpty()) {
                        g->model = m->id;
                    } else if (!m) {
                        g->others << id;
                    }
                }
            }
            if (--g->pending == 0) {
                done(g->model, g->others);
            }
        });
    }
}

// ---- forward path ----------------------------------------------------------------------------------------------

void ModelSwap::start()
{
    m_report.state = SwapState::Running;
    log(QStringLiteral("info"), QStringLiteral("swap %1 to %2").arg(m_report.host, m_target.id));
    detect();
}

void ModelSwap::detect()
{
    setStep(QStringLiteral("detect"), 2);
    detectUp([this](const QString &model, const QStringList &others) {
        if (!others.isEmpty()) {
            log(QStringLiteral("warning"),
                QStringLiteral("also served, not in the catalog: %1").arg(others.join(QStringLiteral(", "))));
        }
        if (model == m_target.id) {
            log(QStringLiteral("info"), QStringLiteral("%1 is already up: nothing to do").arg(model));
            m_report.previous = model;
            succeed();
            return;
        }
        if (!model.isEmpty()) {
            m_previous = *m_host.model(model);
            m_report.previous = model;
            log(QStringLiteral("info"), QStringLiteral("%1 is up on port %2").arg(model).arg(m_previous->port));
        } else {
            log(QStringLiteral("info"), QStringLiteral("no catalog model is up on %1").arg(m_report.host));
        }
        checkFit();
    });
}

void ModelSwap::checkFit()
{
    if (!m_target.declaresMemory()) {
        stopCurrent();
        return;
    }
    setStep(QStringLiteral("check_fit"), 5);
    const QString command = m_timings.fitCommand.isEmpty() ? FitCheck::snapshotCommand() : m_timings.fitCommand;
    exec(command, 30000, [this](const Result<CommandResult> &r) {
        FitReport fit;
        fit.model = m_target.id;
        if (r.ok()) {
            fit = FitCheck::evaluate(m_target, m_previous ? &*m_previous : nullptr,
                                     FitCheck::parseSnapshot(QString::fromUtf8(r->stdOut)));
        } else {
            fit.unknownReason = r.error().message;
        }
        m_report.fit = fit.toJson();
        if (!fit.known) {
            log(QStringLiteral("warning"), QStringLiteral("fit check skipped: %1").arg(fit.message()));
        } else if (fit.fits) {
            log(QStringLiteral("info"), QStringLiteral("fits: %1").arg(fit.message()));
        } else if (m_report.force) {
            log(QStringLiteral("warning"), QStringLiteral("does not fit (%1): going ahead, forced").arg(fit.message()));
        } else {
            // Nothing has been stopped yet: the refusal leaves the host as it was.
            const Error refusal = FitCheck::refusal(m_report.host, fit);
            m_report.errorStep = m_report.step;
            m_report.error = refusal.message;
            m_report.state = SwapState::Failed;
            m_report.refused = true;
            log(QStringLiteral("error"), refusal.message);
            finish();
            return;
        }
        stopCurrent();
    });
}

void ModelSwap::stopCurrent()
{
    setStep(QStringLiteral("stop_current"), 10);
    // With nothing detected, the new model's own stop command clears whatever half-dead container it may have left.
    const ModelSpec &stopping = m_previous ? *m_previous : m_target;
    log(QStringLiteral("info"), m_previous ? QStringLiteral("stopping %1: %2").arg(stopping.id, stopping.stopCommand())
                                           : QStringLiteral("clearing up first: %1").arg(stopping.stopCommand()));
    exec(stopping.stopCommand(), m_timings.commandTimeoutMs, [this, stopping](const Result<CommandResult> &r) {
        if (!r.ok()) {
            fail(QStringLiteral("the stop command failed: %1").arg(r.error().message));
            return;
        }
        if (r->exitCode != 0) {
            log(QStringLiteral("warning"),
                QStringLiteral("stop exited with %1: %2").arg(r->exitCode).arg(tail(r->stdErr + r->stdOut).trimmed()));
        }
        setStep(QStringLiteral("stop_current"), 20);
        waitPortFree(stopping.port, m_timings.portFreeTimeoutMs, [this, stopping](bool ok, const QString &why) {
            if (!ok) {
                fail(why);
                return;
            }
            if (stopping.port == m_target.port) {
                startTarget();
                return;
            }
            waitPortFree(m_target.port, m_timings.probeTimeoutMs * 2, [this](bool free, const QString &whyNot) {
                if (!free) {
                    fail(whyNot + QStringLiteral(": something outside the catalog holds the new model's port"));
                    return;
                }
                startTarget();
            });
        });
    });
}

void ModelSwap::startTarget()
{
    setStep(QStringLiteral("start"), 25);
    log(QStringLiteral("info"), QStringLiteral("starting %1: %2").arg(m_target.id, m_target.startCommand()));
    m_targetStarted = true;
    exec(m_target.startCommand(), m_timings.commandTimeoutMs, [this](const Result<CommandResult> &r) {
        if (!r.ok()) {
            fail(r.error().code == ErrorCode::Timeout
                     ? QStringLiteral("the start command did not return within %1 s: it must launch the server in the "
                                      "background (docker run -d ..., nohup ... &)")
                           .arg(m_timings.commandTimeoutMs / 1000)
                     : QStringLiteral("the start command could not run: %1").arg(r.error().message));
            return;
        }
        m_startOutput = tail(r->stdOut + r->stdErr);
        if (r->exitCode != 0) {
            fail(QStringLiteral("the start command failed (exit %1)").arg(r->exitCode), m_startOutput);
            return;
        }
        waitTarget();
    });
}

void ModelSwap::waitTarget()
{
    setStep(QStringLiteral("wait_healthy"), 30);
    waitHealthy(m_target, 30, 90, [this](bool ok, const QString &why) {
        if (!ok) {
            fail(why);
            return;
        }
        verifyTarget();
    });
}

void ModelSwap::verifyTarget()
{
    setStep(QStringLiteral("verify"), 95);
    verify(m_target, [this](bool ok, const QString &why) {
        if (!ok) {
            fail(why);
            return;
        }
        log(QStringLiteral("info"), QStringLiteral("/v1/models lists %1").arg(m_target.id));
        succeed();
    });
}

void ModelSwap::succeed()
{
    m_report.state = SwapState::Succeeded;
    setStep(QStringLiteral("done"), 100);
    log(QStringLiteral("info"), QStringLiteral("%1 now serves %2").arg(m_report.host, m_target.id));
    finish();
}

// ---- failure path ----------------------------------------------------------------------------------------------

bool ModelSwap::cancel(QString *why)
{
    if (m_report.finished()) {
        *why = QStringLiteral("the swap has already finished (%1)").arg(swapStateName(m_report.state));
        return false;
    }
    if (m_report.state == SwapState::RollingBack) {
        *why = QStringLiteral("the swap is already restoring the previous model");
        return false;
    }
    ++m_epoch; // drops the callbacks of whatever is in flight
    if (m_execCancel) {
        m_execCancel->cancel();
    }
    m_cancelled = true;
    fail(QStringLiteral("cancelled by request during '%1'").arg(m_report.step));
    return true;
}

void ModelSwap::abort()
{
    ++m_epoch;
    m_aborted = true;
    if (m_execCancel) {
        m_execCancel->cancel();
    }
}

void ModelSwap::fail(const QString &message, const QString &output)
{
    m_report.errorStep = m_report.step;
    m_report.error = message;
    m_report.errorOutput = output;
    m_report.state = SwapState::RollingBack;
    log(m_cancelled ? QStringLiteral("warning") : QStringLiteral("error"), message);
    collectLogs();
}

void ModelSwap::collectLogs()
{
    // A start command that failed has already said why; the log explains the failures that come later.
    if (m_cancelled || !m_targetStarted || m_target.logs.isEmpty() || !m_report.errorOutput.isEmpty()) {
        if (m_report.errorOutput.isEmpty()) {
            m_report.errorOutput = m_startOutput;
        }
        stopNew();
        return;
    }
    setStep(QStringLiteral("collect_logs"), m_report.percent);
    const QString command =
        QStringLiteral("( %1 ) 2>&1 | tail -n %2").arg(m_target.logsCommand()).arg(m_timings.logLines);
    exec(command, 15000, [this](const Result<CommandResult> &r) {
        if (r.ok() && !r->stdOut.trimmed().isEmpty()) {
            m_report.errorOutput = tail(r->stdOut);
        } else {
            if (m_report.errorOutput.isEmpty()) {
                m_report.errorOutput = m_startOutput;
            }
            log(QStringLiteral("warning"), QStringLiteral("could not read the model's log: %1")
                                               .arg(r.ok() ? QStringLiteral("empty") : r.error().message));
        }
        stopNew();
    });
}

void ModelSwap::stopNew()
{
    if (!m_targetStarted) {
        restore();
        return;
    }
    setStep(QStringLiteral("stop_new"), m_report.percent);
    log(QStringLiteral("info"), QStringLiteral("stopping %1: %2").arg(m_target.id, m_target.stopCommand()));
    exec(m_target.stopCommand(), m_timings.commandTimeoutMs, [this](const Result<CommandResult> &r) {
        if (!r.ok() || r->exitCode != 0) {
            log(QStringLiteral("warning"),
                QStringLiteral("stop of %1: %2")
                    .arg(m_target.id, r.ok() ? QStringLiteral("exit %1").arg(r->exitCode) : r.error().message));
        }
        waitPortFree(m_target.port, m_timings.portFreeTimeoutMs / 2, [this](bool ok, const QString &why) {
            if (!ok) {
                log(QStringLiteral("warning"), why);
            }
            restore();
        });
    });
}

void ModelSwap::restore()
{
    if (!m_previous) {
        log(QStringLiteral("info"), QStringLiteral("no model was up before: nothing to restore"));
        finish();
        return;
    }
    const ModelSpec previous = *m_previous;
    auto concluded = [this](bool ok, const QString &why) {
        m_report.restored = ok;
        m_report.restoreError = why;
        log(ok ? QStringLiteral("info") : QStringLiteral("error"),
            ok ? QStringLiteral("%1 restored").arg(m_previous->id) : QStringLiteral("restore failed: %1").arg(why));
        finish();
    };
    setStep(QStringLiteral("restore"), m_report.percent);
    // It may still be up (a cancel during its stop): then there is nothing to start.
    probe(previous.port, previous.health, [this, previous, concluded](const ProbeResult &health) {
        if (health.status == 200) {
            verify(previous, concluded);
            return;
        }
        log(QStringLiteral("info"), QStringLiteral("starting %1 again: %2").arg(previous.id, previous.startCommand()));
        exec(previous.startCommand(), m_timings.commandTimeoutMs,
             [this, previous, concluded](const Result<CommandResult> &r) {
                 if (!r.ok() || r->exitCode != 0) {
                     concluded(false, r.ok() ? QStringLiteral("its start command failed (exit %1): %2")
                                                   .arg(r->exitCode)
                                                   .arg(tail(r->stdOut + r->stdErr).trimmed())
                                             : r.error().message);
                     return;
                 }
                 setStep(QStringLiteral("restore_wait"), m_report.percent);
                 waitHealthy(previous, m_report.percent, m_report.percent,
                             [this, previous, concluded](bool ok, const QString &why) {
                                 if (!ok) {
                                     concluded(false, why);
                                     return;
                                 }
                                 verify(previous, concluded);
                             });
             });
    });
}

void ModelSwap::finish()
{
    if (m_report.state == SwapState::RollingBack) {
        m_report.state = m_cancelled ? SwapState::Cancelled : SwapState::Failed;
    }
    m_report.finishedAt = nowUtc();
    m_report.step = m_report.state == SwapState::Succeeded ? QStringLiteral("done") : m_report.step;
    if (m_report.state != SwapState::Succeeded) {
        m_report.percent = 100;
    }
    qCInfo(lcModels).noquote() << QStringLiteral("swap %1 (%2 → %3): %4")
                                      .arg(m_report.id, m_report.host, m_target.id, swapStateName(m_report.state));
    Q_EMIT updated(m_report);
    Q_EMIT finished(m_report);
}

// ---- reporting -------------------------------------------------------------------------------------------------

void ModelSwap::setStep(const QString &step, int percent)
{
    const bool changed = step != m_report.step || percent != m_report.percent;
    m_report.step = step;
    m_report.percent = std::clamp(percent, 0, 100);
    if (changed) {
        Q_EMIT updated(m_report);
    }
}

void ModelSwap::log(const QString &level, const QString &message)
{
    m_report.log.append({nowUtc(), m_report.step, level, message});
    if (m_report.log.size() > 500) {
        m_report.log.remove(1, m_report.log.size() - 500);
    }
    qCDebug(lcModels).noquote() << m_report.id << m_report.step << message;
    Q_EMIT updated(m_report);
}

QString ModelSwap::tail(const QByteArray &text) const
{
    QList<QByteArray> lines = text.split('\n');
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty()) {
        lines.removeLast();
    }
    if (lines.size() > m_timings.logLines) {
        lines = lines.mid(lines.size() - m_timings.logLines);
    }
    return QString::fromUtf8(lines.join('\n'));
}

} // namespace gpudeck
