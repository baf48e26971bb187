#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <optional>

namespace gpudeck {

// Where a swap is. Running and RollingBack are the live states; the other three are final.
enum class SwapState {
    Running,     // detect → check_fit → stop_current → start → wait_healthy → verify
    RollingBack, // after a failure or a cancel: collect_logs → stop_new → restore_start → restore_wait
    Succeeded,
    Failed,    // the new model did not come up; see error, and restored for the previous model
    Cancelled, // stopped on request, previous model restored (see restored)
};

QString swapStateName(SwapState state);

struct SwapLogLine
{
    QDateTime at;
    QString step;
    QString level; // info, warning, error
    QString message;

    QJsonObject toJson() const;
};

// Everything known about one swap, as the GUI and GET /api/dgx/models/swap/:id show it.
struct SwapReport
{
    QString id;        // "swap-<n>"
    QString host;      // where the model is served (the head's host of a model across hosts)
    QStringList hosts; // every host the swap holds: the model's hosts, and those of a unit it had to stop
    QString model;     // the model being brought up
    QString previous;  // the model that was up before on `host` (empty: none was)
    QMap<QString, QString> previousOn; // per host of `hosts`, the model that was up there (a unit on each of its hosts)
    SwapState state = SwapState::Running;
    QString step;    // current (or last) step name
    int percent = 0; // 0..100, of the forward path
    QList<SwapLogLine> log;

    // Set when it failed or was cancelled.
    QString errorStep;            // the step that failed
    QString error;                // what went wrong, for people
    QString errorOutput;          // last lines of the start command's output or of the model's log
    std::optional<bool> restored; // empty: nothing to restore (no model was up before)
    QString restoreError;

    bool refused = false; // stopped before changing anything (the fit check): the previous model still runs
    bool force = false;   // asked to go ahead even when the fit check says the model does not fit
    QJsonObject fit;      // the fit check's figures (FitReport::toJson); empty when it was not run

    QDateTime startedAt;
    QDateTime finishedAt;

    bool finished() const { return state != SwapState::Running && state != SwapState::RollingBack; }
    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::SwapReport)
