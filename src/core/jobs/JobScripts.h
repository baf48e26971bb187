#pragma once

#include "store/Entities.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

// The shell text GPU Deck sends to a host to run, watch and stop jobs. Everything user-supplied (command,
// working directory, environment) travels base64-encoded or single-quoted, so any text — quotes, `$`,
// backslashes, newlines — arrives byte for byte.
//
// Every name this install creates on a host carries its instance id, so two installs sharing a host account never
// touch each other's jobs: attempt N of job J lives in ~/.gpudeck/<instance>/jobs/<J>/<N>/ — run.sh (the command),
// wrapper.sh (cd, env, run, capture), log (stdout and stderr), metrics.jsonl (its GPUDECK_METRICS lines), exit_code
// (written when it ends), reason (why it could not run, when it could not) — and runs in the tmux session (or as the
// Slurm job named) gpudeck-<instance>-<J>-<N>. Nothing is killed or overwritten to make room: the folder is made with
// a plain mkdir and the session with tmux new-session, and both fail when the name is taken.
//
// Jobs started before instance ids (~/.gpudeck/jobs/<J>, gpudeck-job-<J>) keep the folder and session recorded for
// their attempt (JobAttempt), which every script here takes as given.
class JobScripts
{
public:
    static QString attemptDir(const QString &instanceId, qint64 jobId,
                              int attempt); // "$HOME/.gpudeck/<i>/jobs/<j>/<n>"
    static QString sessionName(const QString &instanceId, qint64 jobId, int attempt); // "gpudeck-<i>-<j>-<n>"
    static QString shellQuote(const QString &text);                                   // 'text' with ' escaped

    // Exit codes of the start scripts (besides 0 and the backend's own failures).
    enum StartExit {
        NoTmux = 97,             // "GPUDECK_NO_TMUX" on stderr
        NoSlurm = 98,            // "GPUDECK_NO_SLURM"
        FolderExists = 95,       // the attempt's folder is already there: not ours to overwrite
        SessionExists = 94,      // a tmux session of that name exists: not ours to replace
        WorkingDirUnusable = 96, // stderr: "cannot change to the working directory <path>: <reason>"
        TmuxInstallFailed = 93, // ensureTmux: "GPUDECK_TMUX_FAIL <why>" on stdout, the installer's last lines on stderr
    };

    // Makes sure tmux is there before a launch (a new RunPod pod's image often lacks it): prints "GPUDECK_TMUX_OK"
    // when it is, else installs it as root — directly when logged in as root, else through `sudo -n` — with the
    // first package manager found (apt-get, dnf, microdnf, yum, apk, zypper, pacman; non-interactive flags) and
    // prints "GPUDECK_TMUX_INSTALLED <manager>". Exits TmuxInstallFailed when it cannot, saying why.
    static QString ensureTmux();

    // Makes the attempt's folder (failing if it exists), writes its files, checks the working directory (creating it
    // first with `createDir`) and starts the wrapper in a new detached tmux session. Prints "GPUDECK_STARTED".
    // A failure after the folder was made removes that folder again, except WorkingDirUnusable: then the folder
    // keeps a log that says why, as the record of the attempt.
    static QString tmuxStart(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir);
    // The same, submitting the wrapper with sbatch --parsable (prints the Slurm job id). GPUs from config "gpus",
    // time from "time", partition from "partition".
    static QString slurmSubmit(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir);

    // Checks a folder on the host (creating it first with `create`). Prints "GPUDECK_DIR_OK <path>" or
    // "GPUDECK_DIR_FAIL" and a line saying what is wrong, naming the path.
    static QString checkDir(const QString &dir, bool create);

    struct Watched
    {
        int key = 0;         // names this entry in the output
        JobAttempt attempt;  // where it is on the host
        bool state = true;   // read its state and new metrics lines
        int metricsSeen = 0; // metrics lines already read
        qint64 logFrom = -1; // read its log from this byte offset (-1: not followed)
    };
    // One command for every watched job on a host. Output lines, per entry (state first, so when it says "exit"
    // the metrics and log read after it are complete):
    //   "J <key> exit <code>" | "J <key> running" | "J <key> gone" | "J <key> slurm <STATE> <exit>",
    //   "R <key> <why it could not run>" (with exit, when it did not get to run the command),
    //   "M <key> GPUDECK_METRICS {...}" for each new metrics line,
    //   "L <key> <offset> <base64 of at most logChunk bytes from offset>".
    static QString poll(const QList<Watched> &jobs, int logChunk);

    struct PollState
    {
        QString state; // exit, running, gone, slurm
        int exitCode = -1;
        QString slurmState;
        QString reason;
        QList<QJsonObject> metrics; // new GPUDECK_METRICS objects, in order
        int metricsLines = 0;       // metrics lines seen in this poll (parsed or not)
        bool hasLog = false;
        qint64 logFrom = 0;
        QByteArray log;
    };
    static QHash<qint64, PollState> parsePoll(const QString &output);

    static QString tmuxInterrupt(const QString &session);
    static QString tmuxKill(const QString &session);
    static QString slurmCancel(const QString &slurmId);
    // The last `lines` lines of the attempt's log; exits 3 with "GPUDECK_NO_LOG" when the log is not there.
    static QString tail(const JobAttempt &attempt, int lines);
    // For a follower joining: the log's size now, on the first line, then the last `lines` lines up to that size.
    static QString tailWithSize(const JobAttempt &attempt, int lines);

    // Slurm job state -> GPU Deck job status ("" while it should stay as it is).
    static QString statusForSlurm(const QString &slurmState);

private:
    static QString prepare(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir);
};

} // namespace gpudeck
