#pragma once

#include "store/Entities.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

// The shell text GPU Deck sends to a host to run, watch and stop jobs. Everything user-supplied (command,
// working directory, environment) travels base64-encoded and is decoded on the host, so any text — quotes,
// `$`, backslashes, newlines — arrives byte for byte.
//
// On the host, job N lives in ~/.gpudeck/jobs/N/: run.sh (the command), wrapper.sh (cd, env, run, capture),
// log (stdout and stderr), metrics.jsonl (its GPUDECK_METRICS lines), exit_code (written when it ends).
class JobScripts
{
public:
    static QString jobDir(qint64 jobId);      // "$HOME/.gpudeck/jobs/<id>" (for use inside double quotes)
    static QString sessionName(qint64 jobId); // "gpudeck-job-<id>"
    static QString shellQuote(const QString &text); // 'text' with ' escaped

    // Writes the job's files and starts it in a detached tmux session. Prints "GPUDECK_STARTED" on success;
    // exits 97 with "GPUDECK_NO_TMUX" on stderr when tmux is missing.
    static QString tmuxStart(const Job &job, const QString &workingDir);
    // Writes the job's files and submits the wrapper with sbatch --parsable (prints the Slurm job id);
    // exits 98 with "GPUDECK_NO_SLURM" when sbatch is missing. GPUs from config "gpus", time from "time".
    static QString slurmSubmit(const Job &job, const QString &workingDir);

    struct Watched
    {
        qint64 jobId = 0;
        QString backend;     // tmux or slurm
        QString slurmId;     // for slurm
        int metricsSeen = 0; // metrics lines already read
    };
    // One command for every watched job on a host. Output lines:
    //   "J <id> exit <code>" | "J <id> running" | "J <id> gone" | "J <id> slurm <STATE> <exit>" and
    //   "M <id> GPUDECK_METRICS {...}" for each new metrics line.
    static QString poll(const QList<Watched> &jobs);

    struct PollState
    {
        QString state; // exit, running, gone, slurm
        int exitCode = -1;
        QString slurmState;
        QList<QJsonObject> metrics; // new GPUDECK_METRICS objects, in order
        int metricsLines = 0;       // metrics lines seen in this poll (parsed or not)
    };
    static QHash<qint64, PollState> parsePoll(const QString &output);

    static QString tmuxInterrupt(qint64 jobId);
    static QString tmuxKill(qint64 jobId);
    static QString slurmCancel(const QString &slurmId);
    static QString tail(qint64 jobId, int lines);
    static QString follow(qint64 jobId, int lines);

    // Slurm job state -> GPU Deck job status ("" while it should stay as it is).
    static QString statusForSlurm(const QString &slurmState);

private:
    static QString writeFiles(const Job &job, const QString &workingDir);
};

} // namespace gpudeck
