#include "models/ModelSwap.h"

#include "models/FitCheck.h"
#include "models/ModelsLogging.h"
#include "ssh/SshPool.h"
#include "store/Entities.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QTimer>

namespace gpudeck {

ModelSwap::ModelSwap(SwapReport report, ModelCatalog catalog, ModelSpec target, QHash<QString, ProbeTarget> targets,
                     SshPool &pool, HttpProbe &probe, SwapTimings timings, QObject *parent)
    : QObject(parent)
    , m_report(std::move(report))
    , m_catalog(std::move(catalog))
    , m_target(std::move(target))
    , m_targets(std::move(targets))
    , m_pool(pool)
    , m_probe(probe)
    , m_timings(timings)
{
    if (m_report.hosts.isEmpty()) {
        m_report.hosts = m_target.hosts();
    }
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

void ModelSwap::exec(const QString &host, const QString &command, int timeoutMs,
                     std::function<void(const Result<CommandResult> &)> done)
{
    ExecOptions options;
    options.timeoutMs = timeoutMs;
    options.maxOutputBytes = 1024 * 1024;
    m_execCancel = std::make_shared<ExecCancel>();
    options.cancel = m_execCancel;
    auto callback = guarded([done](const Result<CommandResult> &r) { done(r); });
    m_pool.exec(m_targets.value(host).connectionId, command, options)
        .then(this, [callback](Result<CommandResult> r) { callback(r); })
        .onCanceled(this, [callback] {
            callback(Result<CommandResult>(Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"),
                                                       QStringLiteral("the command was abandoned"))));
        });
}

void ModelSwap::probe(const QString &host, int port, const QString &path, std::function<void(const ProbeResult &)> done)
{
    m_probe.get(m_targets.value(host), port, path, m_timings.probeTimeoutMs,
                guarded([done](const ProbeResult &r) { done(r); }));
}

void ModelSwap::after(int ms, std::function<void()> then)
{
    QTimer::singleShot(ms, this, guarded([then] { then(); }));
}

void ModelSwap::sequence(QList<std::function<void(Done)>> steps, Done done)
{
    if (steps.isEmpty()) {
        done(true, {});
        return;
    }
    auto first = steps.takeFirst();
    first([this, steps, done](bool ok, const QString &why) {
        if (!ok) {
            done(false, why);
            return;
        }
        sequence(steps, done);
    });
}

void ModelSwap::waitHealthy(const QString &host, int port, const QString &path, int timeoutS, const QString &what,
                            int percentFrom, int percentTo, Done done)
{
    struct Wait
    {
        QDeadlineTimer deadline;
        qint64 totalMs;
        int delayMs;
        QString lastAnswer;
    };
    auto w = std::make_shared<Wait>(
        Wait{QDeadlineTimer(qint64(timeoutS) * 1000), qint64(timeoutS) * 1000, m_timings.backoffInitialMs, {}});
    log(QStringLiteral("info"), QStringLiteral("waiting for http://%1:%2%3 to answer 200 (up to %4 s)")
                                    .arg(m_targets.value(host).address)
                                    .arg(port)
                                    .arg(path)
                                    .arg(timeoutS));
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [this, w, host, port, path, timeoutS, what, percentFrom, percentTo, done,
                weak = std::weak_ptr<std::function<void()>>(attempt)] {
        probe(host, port, path, [this, w, timeoutS, what, percentFrom, percentTo, done, weak](const ProbeResult &r) {
            if (r.status == 200) {
                log(QStringLiteral("info"), QStringLiteral("%1 is healthy").arg(what));
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
                                .arg(what)
                                .arg(timeoutS)
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

void ModelSwap::waitPortFree(const QString &host, int port, int timeoutMs, Done done)
{
    auto deadline = std::make_shared<QDeadlineTimer>(timeoutMs);
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [this, host, port, deadline, done, weak = std::weak_ptr<std::function<void()>>(attempt)] {
        probe(host, port, QStringLiteral("/health"), [this, host, port, deadline, done, weak](const ProbeResult &r) {
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
    probe(model.host, model.port, QStringLiteral("/v1/models"), [model, done](const ProbeResult &r) {
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

void ModelSwap::detectUp(const QString &host, std::function<void(const QString &, const QStringList &)> done)
{
    const HostCatalog *catalog = m_catalog.host(host);
    const QList<int> ports = catalog ? catalog->modelPorts() : QList<int>();
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
        probe(host, port, QStringLiteral("/v1/models"), [this, host, g, port, done](const ProbeResult &r) {
            if (r.status == 200) {
                const HostCatalog *c = m_catalog.host(host);
                for (const QString &id : HttpProbe::listedModels(r.body)) {
                    const ModelSpec *m = c ? c->model(id) : nullptr;
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

QString ModelSwap::where(const ServingStep &step, const ModelSpec &model) const
{
    return model.spansHosts() ? QStringLiteral("%1 (%2 on %3)").arg(model.id, step.role, step.host) : model.id;
}

void ModelSwap::stopModel(const ModelSpec &model, bool strict, int portTimeoutMs, Done done)
{
    stopParts(model, model.startSteps(), strict, portTimeoutMs, done);
}

void ModelSwap::stopParts(const ModelSpec &model, const QList<ServingStep> &parts, bool strict, int portTimeoutMs,
                          Done done)
{
    QList<std::function<void(Done)>> steps;
    for (auto it = parts.crbegin(); it != parts.crend(); ++it) {
        const ServingStep part = *it;
        steps << [this, model, part, strict, portTimeoutMs](Done next) {
            log(QStringLiteral("info"), QStringLiteral("stopping %1: %2").arg(where(part, model), part.stop));
            exec(part.host, part.stop, m_timings.commandTimeoutMs,
                 [this, model, part, strict, portTimeoutMs, next](const Result<CommandResult> &r) {
                     if (!r.ok() && strict) {
                         next(false, QStringLiteral("the stop command failed: %1").arg(r.error().message));
                         return;
                     }
                     if (!r.ok() || r->exitCode != 0) {
                         log(QStringLiteral("warning"),
                             r.ok() ? QStringLiteral("stop of %1 exited with %2: %3")
                                          .arg(where(part, model))
                                          .arg(r->exitCode)
                                          .arg(tail(r->stdErr + r->stdOut).trimmed())
                                    : QStringLiteral("stop of %1: %2").arg(where(part, model), r.error().message));
                     }
                     if (part.port <= 0) {
                         next(true, {});
                         return;
                     }
                     waitPortFree(part.host, part.port, portTimeoutMs,
                                  [this, strict, next](bool ok, const QString &why) {
                                      if (!ok && !strict) {
                                          log(QStringLiteral("warning"), why);
                                      }
                                      next(ok || !strict, why);
                                  });
                 });
        };
    }
    sequence(steps, done);
}

void ModelSwap::startParts(const ModelSpec &model, int *started, Done done)
{
    QList<std::function<void(Done)>> steps;
    for (const ServingStep &part : model.startSteps()) {
        steps << [this, model, part, started](Done next) {
            log(QStringLiteral("info"), QStringLiteral("starting %1: %2").arg(where(part, model), part.start));
            m_failedPart = part;
            m_failedOutput.clear();
            if (started) {
                ++*started;
            }
            exec(part.host, part.start, m_timings.commandTimeoutMs,
                 [this, model, part, next](const Result<CommandResult> &r) {
                     if (!r.ok()) {
                         m_startOutput.clear();
                         next(false, r.error().code == ErrorCode::Timeout
                                         ? QStringLiteral("the start command of %1 did not return within %2 s: it must "
                                                          "launch the server in the background (docker run -d ..., "
                                                          "nohup ... &)")
                                               .arg(where(part, model))
                                               .arg(m_timings.commandTimeoutMs / 1000)
                                         : QStringLiteral("the start command of %1 could not run: %2")
                                               .arg(where(part, model), r.error().message));
                         return;
                     }
                     m_startOutput = tail(r->stdOut + r->stdErr);
                     if (r->exitCode != 0) {
                         m_failedOutput = m_startOutput;
                         next(false, QStringLiteral("the start command of %1 failed (exit %2)")
                                         .arg(where(part, model))
                                         .arg(r->exitCode));
                         return;
                     }
                     if (part.role != QLatin1String("worker") || part.port <= 0) {
                         next(true, {});
                         return;
                     }
                     // A worker that says when it is ready is waited for before the next part starts.
                     waitHealthy(part.host, part.port, part.health, model.readinessTimeoutS, where(part, model),
                                 m_report.percent, m_report.percent, next);
                 });
        };
    }
    sequence(steps, done);
}

const ModelSpec *ModelSwap::previousOn(const QString &host) const
{
    for (const ModelSpec &m : m_previous) {
        if (m.hosts().contains(host)) {
            return &m;
        }
    }
    return nullptr;
}

// ---- forward path ----------------------------------------------------------------------------------------------

void ModelSwap::start()
{
    m_report.state = SwapState::Running;
    log(QStringLiteral("info"), m_target.spansHosts()
                                    ? QStringLiteral("swap %1 to %2 (across %3)")
                                          .arg(m_report.host, m_target.id, m_target.hosts().join(QStringLiteral(", ")))
                                    : QStringLiteral("swap %1 to %2").arg(m_report.host, m_target.id));
    detect();
}

void ModelSwap::detect()
{
    setStep(QStringLiteral("detect"), 2);
    struct Gather
    {
        int pending = 0;
        QHash<QString, QString> up; // host → the catalog model on its ports
    };
    auto g = std::make_shared<Gather>();
    g->pending = int(m_report.hosts.size());
    auto concluded = [this, g] {
        for (const QString &host : std::as_const(m_report.hosts)) {
            const QString id = g->up.value(host);
            const ModelSpec *spec = id.isEmpty() ? nullptr : m_catalog.model(id);
            if (spec && !previousOn(host)) {
                m_previous << *spec;
            }
        }
        for (const QString &host : std::as_const(m_report.hosts)) {
            m_report.previousOn.insert(host, QString());
        }
        for (const ModelSpec &p : std::as_const(m_previous)) {
            log(QStringLiteral("info"), p.spansHosts() ? QStringLiteral("%1 is up across %2 (port %3)")
                                                             .arg(p.id, p.hosts().join(QStringLiteral(", ")))
                                                             .arg(p.port)
                                                       : QStringLiteral("%1 is up on port %2").arg(p.id).arg(p.port));
            for (const QString &h : p.hosts()) {
                m_report.previousOn.insert(h, p.id);
            }
        }
        const ModelSpec *onHead = previousOn(m_report.host);
        m_report.previous = onHead ? onHead->id : QString();
        if (m_previous.size() == 1 && m_previous.constFirst().id == m_target.id) {
            log(QStringLiteral("info"), QStringLiteral("%1 is already up: nothing to do").arg(m_target.id));
            succeed();
            return;
        }
        if (m_previous.isEmpty()) {
            log(QStringLiteral("info"),
                QStringLiteral("no catalog model is up on %1").arg(m_report.hosts.join(QStringLiteral(", "))));
        }
        // What is stopped must lie within the hosts this swap holds (a unit the serving state did not show yet).
        for (const ModelSpec &p : std::as_const(m_previous)) {
            for (const QString &h : p.hosts()) {
                if (!m_report.hosts.contains(h)) {
                    m_report.errorStep = m_report.step;
                    m_report.error =
                        QStringLiteral("%1 runs across %2, beyond the hosts of this swap (%3): swap "
                                       "with \"stop_unit\": true to stop it on every host")
                            .arg(p.id, p.hosts().join(QStringLiteral(", ")), m_report.hosts.join(QStringLiteral(", ")));
                    m_report.state = SwapState::Failed;
                    m_report.refused = true;
                    log(QStringLiteral("error"), m_report.error);
                    finish();
                    return;
                }
            }
        }
        checkFit();
    };
    for (const QString &host : std::as_const(m_report.hosts)) {
        detectUp(host, [this, g, host, concluded](const QString &model, const QStringList &others) {
            if (!others.isEmpty()) {
                log(QStringLiteral("warning"), QStringLiteral("also served on %1, not in the catalog: %2")
                                                   .arg(host, others.join(QStringLiteral(", "))));
            }
            if (!model.isEmpty()) {
                g->up.insert(host, model);
            }
            if (--g->pending == 0) {
                concluded();
            }
        });
    }
}

void ModelSwap::checkFit()
{
    if (!m_target.declaresMemory()) {
        stopCurrent();
        return;
    }
    setStep(QStringLiteral("check_fit"), 5);
    // Every host of the model is measured (the declared memory is what each host gives it), one after the other.
    const QString command = m_timings.fitCommand.isEmpty() ? FitCheck::snapshotCommand() : m_timings.fitCommand;
    auto reports = std::make_shared<QList<FitReport>>();
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, command, reports, weak = std::weak_ptr<std::function<void()>>(next)] {
        const QStringList hosts = m_target.hosts();
        if (reports->size() < hosts.size()) {
            const QString host = hosts.at(reports->size());
            const auto self = weak.lock();
            exec(host, command, 30000, [this, host, reports, self](const Result<CommandResult> &r) {
                reports->append(FitCheck::measure(m_target, previousOn(host), host, r));
                if (self) {
                    (*self)();
                }
            });
            return;
        }
        concludeFit(*reports);
    };
    (*next)();
}

void ModelSwap::concludeFit(const QList<FitReport> &perHost)
{
    const bool acrossHosts = perHost.size() > 1;
    for (const FitReport &fit : perHost) {
        const QString on = acrossHosts ? QStringLiteral(" on %1").arg(fit.host) : QString();
        if (!fit.known) {
            log(QStringLiteral("warning"), QStringLiteral("fit check skipped%1: %2").arg(on, fit.message()));
        } else if (fit.fits) {
            log(QStringLiteral("info"), QStringLiteral("fits%1: %2").arg(on, fit.message()));
        }
    }
    const FitReport fit = FitCheck::deciding(perHost);
    m_report.fit = fit.toJson();
    if (fit.known && !fit.fits) {
        if (m_report.force) {
            log(QStringLiteral("warning"),
                QStringLiteral("does not fit on %1 (%2): going ahead, forced").arg(fit.host, fit.message()));
        } else {
            // Nothing has been stopped yet: the refusal leaves the hosts as they were.
            const Error refusal = FitCheck::refusal(fit.host, fit);
            m_report.errorStep = m_report.step;
            m_report.error = refusal.message;
            m_report.state = SwapState::Failed;
            m_report.refused = true;
            log(QStringLiteral("error"), refusal.message);
            finish();
            return;
        }
    }
    stopCurrent();
}

void ModelSwap::stopCurrent()
{
    setStep(QStringLiteral("stop_current"), 10);
    QList<std::function<void(Done)>> steps;
    if (m_previous.isEmpty()) {
        // With nothing detected, the new model's own stop commands clear whatever half-dead container it may have
        // left.
        log(QStringLiteral("info"), QStringLiteral("clearing up first"));
        steps << [this](Done next) { stopModel(m_target, true, m_timings.portFreeTimeoutMs, next); };
    }
    for (const ModelSpec &p : std::as_const(m_previous)) {
        steps << [this, p](Done next) { stopModel(p, true, m_timings.portFreeTimeoutMs, next); };
    }
    // The new model's ports must be free too: something outside the catalog may hold one.
    for (const ServingStep &part : m_target.startSteps()) {
        if (part.port > 0) {
            steps << [this, part](Done next) {
                waitPortFree(part.host, part.port, m_timings.probeTimeoutMs * 2,
                             [next](bool free, const QString &whyNot) {
                                 next(free, free ? QString()
                                                 : whyNot + QStringLiteral(": something outside the catalog holds the "
                                                                           "new model's port"));
                             });
            };
        }
    }
    sequence(steps, [this](bool ok, const QString &why) {
        if (!ok) {
            fail(why);
            return;
        }
        setStep(QStringLiteral("stop_current"), 20);
        startTarget();
    });
}

void ModelSwap::startTarget()
{
    setStep(QStringLiteral("start"), 25);
    startParts(m_target, &m_targetStarted, [this](bool ok, const QString &why) {
        if (!ok) {
            fail(why, m_failedOutput);
            return;
        }
        waitTarget();
    });
}

void ModelSwap::waitTarget()
{
    setStep(QStringLiteral("wait_healthy"), 30);
    m_failedPart = m_target.startSteps().value(m_target.headFirst ? 0 : m_target.workers.size());
    waitHealthy(m_target.host, m_target.port, m_target.health, m_target.readinessTimeoutS, m_target.id, 30, 90,
                [this](bool ok, const QString &why) {
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
    log(QStringLiteral("info"),
        m_target.spansHosts()
            ? QStringLiteral("%1 now serve %2").arg(m_target.hosts().join(QStringLiteral(" + ")), m_target.id)
            : QStringLiteral("%1 now serves %2").arg(m_report.host, m_target.id));
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
    const ServingStep failed = m_failedPart;
    if (m_cancelled || m_targetStarted == 0 || failed.logs.isEmpty() || !m_report.errorOutput.isEmpty()) {
        if (m_report.errorOutput.isEmpty()) {
            m_report.errorOutput = m_startOutput;
        }
        stopNew();
        return;
    }
    setStep(QStringLiteral("collect_logs"), m_report.percent);
    const QString command = QStringLiteral("( %1 ) 2>&1 | tail -n %2").arg(failed.logs).arg(m_timings.logLines);
    exec(failed.host, command, 15000, [this](const Result<CommandResult> &r) {
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
    if (m_targetStarted == 0) {
        restore();
        return;
    }
    setStep(QStringLiteral("stop_new"), m_report.percent);
    // Only the parts that were launched, newest first.
    stopParts(m_target, m_target.startSteps().mid(0, m_targetStarted), false, m_timings.portFreeTimeoutMs / 2,
              [this](bool, const QString &) { restore(); });
}

void ModelSwap::restoreOne(const ModelSpec &previous, Done done)
{
    // It may still be up (a cancel during its stop): then there is nothing to start.
    probe(previous.host, previous.port, previous.health, [this, previous, done](const ProbeResult &health) {
        if (health.status == 200) {
            verify(previous, done);
            return;
        }
        startParts(previous, nullptr, [this, previous, done](bool ok, const QString &why) {
            if (!ok) {
                done(false,
                     m_failedOutput.isEmpty() ? why : QStringLiteral("%1: %2").arg(why, m_failedOutput.trimmed()));
                return;
            }
            setStep(QStringLiteral("restore_wait"), m_report.percent);
            waitHealthy(previous.host, previous.port, previous.health, previous.readinessTimeoutS, previous.id,
                        m_report.percent, m_report.percent,
                        [this, previous, done](bool healthy, const QString &whyNot) {
                            if (!healthy) {
                                done(false, whyNot);
                                return;
                            }
                            verify(previous, done);
                        });
        });
    });
}

void ModelSwap::restore()
{
    if (m_previous.isEmpty()) {
        log(QStringLiteral("info"), QStringLiteral("no model was up before: nothing to restore"));
        finish();
        return;
    }
    setStep(QStringLiteral("restore"), m_report.percent);
    auto errors = std::make_shared<QStringList>();
    QList<std::function<void(Done)>> steps;
    for (const ModelSpec &p : std::as_const(m_previous)) {
        steps << [this, p, errors](Done next) {
            setStep(QStringLiteral("restore"), m_report.percent);
            restoreOne(p, [this, p, errors, next](bool ok, const QString &why) {
                log(ok ? QStringLiteral("info") : QStringLiteral("error"),
                    ok ? QStringLiteral("%1 restored").arg(p.id)
                       : QStringLiteral("restore of %1 failed: %2").arg(p.id, why));
                if (!ok) {
                    *errors << (m_previous.size() > 1 ? QStringLiteral("%1: %2").arg(p.id, why) : why);
                }
                next(true, {}); // the next one is restored all the same
            });
        };
    }
    sequence(steps, [this, errors](bool, const QString &) {
        m_report.restored = errors->isEmpty();
        m_report.restoreError = errors->join(QStringLiteral("; "));
        finish();
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
                                      .arg(m_report.id, m_report.hosts.join(QStringLiteral("+")), m_target.id,
                                           swapStateName(m_report.state));
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
