#include "jobs/JobScripts.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace gpudeck {
namespace {

QString b64(const QString &text)
{
    return QString::fromLatin1(text.toUtf8().toBase64());
}

// A working directory for `cd`: "~" and "~/x" mean the home directory; anything else is taken literally.
QString cdTarget(const QString &dir)
{
    if (dir.isEmpty() || dir == QStringLiteral("~")) {
        return QStringLiteral("\"$HOME\"");
    }
    if (dir.startsWith(QStringLiteral("~/"))) {
        return QStringLiteral("\"$HOME\"/") + JobScripts::shellQuote(dir.mid(2));
    }
    return JobScripts::shellQuote(dir);
}

// Sets W to the folder and R to what is wrong with it (empty: it can be worked in), naming the path and the reason
// the way the system would ("cannot change to the working directory /x/y: No such file or directory").
QString dirCheck(const QString &dir, bool create)
{
    QString s = QStringLiteral("W=%1; R=\n").arg(cdTarget(dir));
    if (create) {
        s += QStringLiteral("if [ ! -d \"$W\" ]; then E=$(mkdir -p -- \"$W\" 2>&1) || R=\"cannot create the folder $W: "
                            "${E##*: }\"; fi\n");
    }
    s += QStringLiteral(
        "if [ -z \"$R\" ]; then\n"
        "  if [ ! -e \"$W\" ]; then R='No such file or directory'; elif [ ! -d \"$W\" ]; then R='Not a directory';\n"
        "  elif [ ! -x \"$W\" ]; then R='Permission denied'; fi\n"
        "  if [ -n \"$R\" ]; then R=\"cannot change to the working directory $W: $R\"; fi\n"
        "fi\n");
    return s;
}

QString wrapperText(const Job &job, const QString &workingDir)
{
    // The wrapper's first lines ("#!/bin/sh", which sbatch requires, and D=<attempt folder>) are written on the host,
    // where $HOME is known. sbatch runs a copy from its spool directory, so nothing relies on $0. The folder is
    // checked again here: it may have gone since the start, or not exist on a Slurm compute node.
    QString wrapper = dirCheck(workingDir, false);
    wrapper +=
        QStringLiteral("if [ -n \"$R\" ] || ! cd \"$W\"; then R=${R:-\"cannot change to the working directory $W\"}; "
                       "printf 'GPU Deck: %s\\n' \"$R\" >> \"$D/log\"; printf '%s\\n' \"$R\" > \"$D/reason\"; echo 1 > "
                       "\"$D/exit_code\"; "
                       "exit 1; fi\n");
    for (auto it = job.env.begin(); it != job.env.end(); ++it) {
        wrapper += QStringLiteral("export %1=%2\n").arg(it.key(), JobScripts::shellQuote(it.value().toString()));
    }
    wrapper += QStringLiteral(
        "if command -v bash >/dev/null 2>&1; then RUN=bash; else RUN=sh; fi\n"
        "{ \"$RUN\" \"$D/run.sh\"; echo $? > \"$D/exit_code.tmp\"; } 2>&1 | tee -a \"$D/log\" | "
        "grep --line-buffered -a '^GPUDECK_METRICS ' >> \"$D/metrics.jsonl\"\n"
        "mv \"$D/exit_code.tmp\" \"$D/exit_code\"\n"
        // The wrapper ends with the command's code, so Slurm records the job as FAILED (ExitCode N:0) too.
        "exit \"$(cat \"$D/exit_code\")\"\n");
    return wrapper;
}

} // namespace

QString JobScripts::attemptDir(const QString &instanceId, qint64 jobId, int attempt)
{
    return QStringLiteral("$HOME/.gpudeck/%1/jobs/%2/%3").arg(instanceId).arg(jobId).arg(attempt);
}

QString JobScripts::sessionName(const QString &instanceId, qint64 jobId, int attempt)
{
    return QStringLiteral("gpudeck-%1-%2-%3").arg(instanceId).arg(jobId).arg(attempt);
}

QString JobScripts::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString JobScripts::prepare(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir)
{
    QString s = QStringLiteral("D=\"%1\"\n").arg(attempt.hostDir);
    // The parents may exist (earlier attempts, other jobs); the attempt's own folder must not.
    s += QStringLiteral("mkdir -p \"${D%/*}\" || exit 1\n"
                        "if ! mkdir \"$D\"; then if [ -e \"$D\" ]; then echo \"GPUDECK_FOLDER_EXISTS $D\" >&2; exit "
                        "%1; fi; exit 1; fi\n")
             .arg(int(FolderExists));
    s += QStringLiteral(
             ": > \"$D/log\" && : > \"$D/metrics.jsonl\" && printf %s %1 | base64 -d > \"$D/run.sh\" && "
             "{ printf '#!/bin/sh\\n'; printf \"D='%s'\\n\" \"$D\"; printf %s %2 | base64 -d; } > \"$D/wrapper.sh\" && "
             "chmod +x \"$D/wrapper.sh\" || { rm -rf \"$D\"; exit 1; }\n")
             .arg(shellQuote(b64(job.command)), shellQuote(b64(wrapperText(job, workingDir))));
    s += dirCheck(workingDir, createDir);
    s += QStringLiteral("if [ -n \"$R\" ]; then printf 'GPU Deck: %s\\n' \"$R\" >> \"$D/log\"; printf '%s\\n' \"$R\" > "
                        "\"$D/reason\"; "
                        "printf '%s\\n' \"$R\" >&2; exit %1; fi\n")
             .arg(int(WorkingDirUnusable));
    return s;
}

QString JobScripts::tmuxStart(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir)
{
    // tmux new-session itself refuses a name that exists ("duplicate session"): no separate check (each tmux
    // client costs tens of milliseconds), and nothing of another's is touched.
    return QStringLiteral("command -v tmux >/dev/null 2>&1 || { echo GPUDECK_NO_TMUX >&2; exit %1; }\n"
                          "%2"
                          "E=$(tmux new-session -d -s %3 \"sh '$D/wrapper.sh'\" 2>&1) || { rm -rf \"$D\"; "
                          "case \"$E\" in *'duplicate session'*) echo GPUDECK_SESSION_EXISTS >&2; exit %4;; esac; "
                          "echo \"$E\" >&2; exit 1; }\n"
                          "echo GPUDECK_STARTED\n")
        .arg(int(NoTmux))
        .arg(prepare(job, workingDir, attempt, createDir), shellQuote(attempt.session))
        .arg(int(SessionExists));
}

QString JobScripts::ensureTmux()
{
    // apt-get's lists are usually emptied in container images, so it updates first (a failed update is not fatal:
    // the install says whether the package could be found). Whatever the manager printed goes to a temporary file,
    // and only its last lines are shown when it fails.
    return QStringLiteral(
               "if command -v tmux >/dev/null 2>&1; then echo GPUDECK_TMUX_OK; exit 0; fi\n"
               "fail() { echo \"GPUDECK_TMUX_FAIL $1\"; exit %1; }\n"
               "if [ \"$(id -u)\" = 0 ]; then AS=; elif command -v sudo >/dev/null 2>&1 && sudo -n true "
               ">/dev/null 2>&1; then AS=sudo; else fail \"tmux is not installed and cannot be installed: the login "
               "is not root and sudo is missing or wants a password\"; fi\n"
               "run() { if [ -n \"$AS\" ]; then sudo -n env DEBIAN_FRONTEND=noninteractive \"$@\"; else env "
               "DEBIAN_FRONTEND=noninteractive \"$@\"; fi; }\n"
               "L=$(mktemp 2>/dev/null) || L=/tmp/gpudeck-tmux-install.$$\n"
               "if command -v apt-get >/dev/null 2>&1; then PM=apt-get; { run apt-get update -q; run apt-get install "
               "-y -q --no-install-recommends tmux; } > \"$L\" 2>&1\n"
               "elif command -v dnf >/dev/null 2>&1; then PM=dnf; run dnf install -y -q tmux > \"$L\" 2>&1\n"
               "elif command -v microdnf >/dev/null 2>&1; then PM=microdnf; run microdnf install -y tmux > \"$L\" "
               "2>&1\n"
               "elif command -v yum >/dev/null 2>&1; then PM=yum; run yum install -y -q tmux > \"$L\" 2>&1\n"
               "elif command -v apk >/dev/null 2>&1; then PM=apk; run apk add --no-cache tmux > \"$L\" 2>&1\n"
               "elif command -v zypper >/dev/null 2>&1; then PM=zypper; run zypper --non-interactive install tmux > "
               "\"$L\" 2>&1\n"
               "elif command -v pacman >/dev/null 2>&1; then PM=pacman; run pacman -Sy --noconfirm tmux > \"$L\" "
               "2>&1\n"
               "else rm -f \"$L\"; fail \"tmux is not installed and no known package manager was found (apt-get, dnf, "
               "microdnf, yum, apk, zypper, pacman)\"; fi\n"
               "RC=$?; hash -r 2>/dev/null\n"
               "if [ \"$RC\" -ne 0 ] || ! command -v tmux >/dev/null 2>&1; then tail -n 5 \"$L\" >&2; rm -f \"$L\"; "
               "fail \"$PM could not install tmux (exit $RC)\"; fi\n"
               "rm -f \"$L\"; echo \"GPUDECK_TMUX_INSTALLED $PM\"\n")
        .arg(int(TmuxInstallFailed));
}

QString JobScripts::slurmSubmit(const Job &job, const QString &workingDir, const JobAttempt &attempt, bool createDir)
{
    QString options =
        QStringLiteral("--parsable --job-name=%1 --output=\"$D/slurm.out\"").arg(shellQuote(attempt.session));
    const int gpus = job.config.value(QStringLiteral("gpus")).toInt(0);
    if (gpus > 0) {
        options += QStringLiteral(" --gres=gpu:%1").arg(gpus);
    }
    const QString time = job.config.value(QStringLiteral("time")).toString();
    if (!time.isEmpty()) {
        options += QStringLiteral(" --time=%1").arg(shellQuote(time));
    }
    const QString partition = job.config.value(QStringLiteral("partition")).toString();
    if (!partition.isEmpty()) {
        options += QStringLiteral(" --partition=%1").arg(shellQuote(partition));
    }
    return QStringLiteral("command -v sbatch >/dev/null 2>&1 || { echo GPUDECK_NO_SLURM >&2; exit %1; }\n"
                          "%2"
                          "sbatch %3 \"$D/wrapper.sh\" || { C=$?; rm -rf \"$D\"; exit $C; }\n")
        .arg(int(NoSlurm))
        .arg(prepare(job, workingDir, attempt, createDir), options);
}

QString JobScripts::checkDir(const QString &dir, bool create)
{
    return dirCheck(dir, create) + QStringLiteral("if [ -n \"$R\" ]; then printf 'GPUDECK_DIR_FAIL\\n%s\\n' \"$R\"; "
                                                  "else printf 'GPUDECK_DIR_OK %s\\n' \"$W\"; fi\n");
}

QString JobScripts::poll(const QList<Watched> &jobs, int logChunk)
{
    QString script;
    for (const Watched &w : jobs) {
        const JobAttempt &a = w.attempt;
        script += QStringLiteral("D=\"%1\"\n").arg(a.hostDir);
        if (w.state) {
            script += QStringLiteral("if [ -f \"$D/exit_code\" ]; then echo \"J %1 exit $(cat \"$D/exit_code\")\"; "
                                     "if [ -f \"$D/reason\" ]; then printf 'R %1 %s\\n' \"$(head -c 2000 \"$D/reason\" "
                                     "| tr '\\n' ' ')\"; fi\n")
                          .arg(w.key);
            if (a.backend == QStringLiteral("slurm")) {
                script += QStringLiteral("else S=$(squeue -h -j %2 -o %T 2>/dev/null); E=\n"
                                         "if [ -z \"$S\" ]; then S=$(scontrol show job %2 2>/dev/null | tr ' ' '\\n' | "
                                         "sed -n 's/^JobState=//p' | head -n1); "
                                         "E=$(scontrol show job %2 2>/dev/null | tr ' ' '\\n' | sed -n "
                                         "'s/^ExitCode=//p' | head -n1); fi\n"
                                         "echo \"J %1 slurm ${S:-UNKNOWN} ${E:-}\"; fi\n")
                              .arg(w.key)
                              .arg(shellQuote(a.containerId));
            } else {
                script += QStringLiteral("elif tmux has-session -t %2 2>/dev/null; then echo \"J %1 running\"; else "
                                         "echo \"J %1 gone\"; fi\n")
                              .arg(w.key)
                              .arg(shellQuote(QLatin1Char('=') + a.session));
            }
            script +=
                QStringLiteral(
                    "if [ -f \"$D/metrics.jsonl\" ]; then tail -n +%1 \"$D/metrics.jsonl\" | sed 's/^/M %2 /'; fi\n")
                    .arg(w.metricsSeen + 1)
                    .arg(w.key);
        }
        if (w.logFrom >= 0) {
            script +=
                QStringLiteral(
                    "printf 'L %1 %2 '; tail -c +%3 \"$D/log\" 2>/dev/null | head -c %4 | base64 | tr -d '\\n'; echo\n")
                    .arg(w.key)
                    .arg(w.logFrom)
                    .arg(w.logFrom + 1)
                    .arg(logChunk);
        }
    }
    return script;
}

QHash<qint64, JobScripts::PollState> JobScripts::parsePoll(const QString &output)
{
    QHash<qint64, PollState> states;
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.size() < 3 || line.at(1) != QLatin1Char(' ')) {
            continue;
        }
        const QChar kind = line.at(0);
        const qsizetype space = line.indexOf(QLatin1Char(' '), 2);
        bool ok = false;
        const qint64 id = line.mid(2, space < 0 ? -1 : space - 2).toLongLong(&ok);
        if (!ok) {
            continue;
        }
        const QString rest = space < 0 ? QString() : line.mid(space + 1);
        if (kind == QLatin1Char('M')) {
            PollState &st = states[id];
            st.metricsLines++;
            const QString payload = rest.mid(QStringLiteral("GPUDECK_METRICS").size()).trimmed();
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(payload.toUtf8(), &error);
            if (error.error == QJsonParseError::NoError && doc.isObject()) {
                st.metrics.append(doc.object());
            }
        } else if (kind == QLatin1Char('R')) {
            states[id].reason = rest.trimmed();
        } else if (kind == QLatin1Char('L')) {
            PollState &st = states[id];
            const QStringList f = rest.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            bool offsetOk = false;
            st.logFrom = f.value(0).toLongLong(&offsetOk);
            if (!offsetOk) {
                continue;
            }
            st.hasLog = true;
            st.log = QByteArray::fromBase64(f.value(1).toLatin1());
        } else if (kind == QLatin1Char('J')) {
            const QStringList f = rest.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            PollState &st = states[id];
            st.state = f.value(0);
            if (st.state == QStringLiteral("exit")) {
                bool codeOk = false;
                st.exitCode = f.value(1).toInt(&codeOk);
                if (!codeOk) {
                    st.exitCode = -1;
                }
            } else if (st.state == QStringLiteral("slurm")) {
                st.slurmState = f.value(1);
                const QString exit = f.value(2); // "3:0" = code:signal
                bool codeOk = false;
                bool signalOk = false;
                const int code = exit.section(QLatin1Char(':'), 0, 0).toInt(&codeOk);
                const int signal = exit.section(QLatin1Char(':'), 1, 1).toInt(&signalOk);
                // Killed by a signal (scancel, time limit: "0:15"): there is no exit code to report.
                if (codeOk && (!signalOk || signal == 0)) {
                    st.exitCode = code;
                }
            }
        }
    }
    return states;
}

QString JobScripts::tmuxInterrupt(const QString &session)
{
    return QStringLiteral("tmux send-keys -t %1 C-c 2>/dev/null; true")
        .arg(shellQuote(QLatin1Char('=') + session + QLatin1Char(':')));
}

QString JobScripts::tmuxKill(const QString &session)
{
    return QStringLiteral("tmux kill-session -t %1 2>/dev/null; true").arg(shellQuote(QLatin1Char('=') + session));
}

QString JobScripts::slurmCancel(const QString &slurmId)
{
    return QStringLiteral("scancel %1").arg(shellQuote(slurmId));
}

QString JobScripts::tail(const JobAttempt &attempt, int lines)
{
    return QStringLiteral("D=\"%1\"; [ -f \"$D/log\" ] || { echo GPUDECK_NO_LOG >&2; exit 3; }; tail -n %2 \"$D/log\"")
        .arg(attempt.hostDir)
        .arg(lines);
}

QString JobScripts::tailWithSize(const JobAttempt &attempt, int lines)
{
    return QStringLiteral("D=\"%1\"; S=$(wc -c < \"$D/log\" 2>/dev/null) || S=0; S=$((S + 0)); echo \"$S\"; "
                          "if [ \"$S\" -gt 0 ]; then head -c \"$S\" \"$D/log\" | tail -n %2; fi; true")
        .arg(attempt.hostDir)
        .arg(lines);
}

QString JobScripts::statusForSlurm(const QString &s)
{
    if (s == QStringLiteral("PENDING") || s == QStringLiteral("CONFIGURING") || s == QStringLiteral("REQUEUED") ||
        s == QStringLiteral("RESV_DEL_HOLD") || s == QStringLiteral("SUSPENDED")) {
        return QStringLiteral("pending");
    }
    if (s == QStringLiteral("RUNNING") || s == QStringLiteral("COMPLETING") || s == QStringLiteral("STAGE_OUT")) {
        return QStringLiteral("running");
    }
    if (s == QStringLiteral("COMPLETED")) {
        return QStringLiteral("completed");
    }
    if (s.startsWith(QStringLiteral("CANCELLED"))) {
        return QStringLiteral("cancelled");
    }
    if (s == QStringLiteral("FAILED") || s == QStringLiteral("TIMEOUT") || s == QStringLiteral("NODE_FAIL") ||
        s == QStringLiteral("OUT_OF_MEMORY") || s == QStringLiteral("BOOT_FAIL") || s == QStringLiteral("DEADLINE") ||
        s == QStringLiteral("PREEMPTED")) {
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace gpudeck
