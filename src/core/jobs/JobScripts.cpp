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

} // namespace

QString JobScripts::jobDir(qint64 jobId)
{
    return QStringLiteral("$HOME/.gpudeck/jobs/%1").arg(jobId);
}

QString JobScripts::sessionName(qint64 jobId)
{
    return QStringLiteral("gpudeck-job-%1").arg(jobId);
}

QString JobScripts::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString JobScripts::writeFiles(const Job &job, const QString &workingDir)
{
    // The wrapper's first lines ("#!/bin/sh", which sbatch requires, and D=<job dir>) are written on the host,
    // where $HOME is known. sbatch runs a copy from its spool directory, so nothing relies on $0.
    QString wrapper = QStringLiteral("cd %1 || { echo \"GPU Deck: cannot change to the working directory\" >> \"$D/log\"; "
                                     "echo 1 > \"$D/exit_code\"; exit 1; }\n")
                          .arg(cdTarget(workingDir));
    for (auto it = job.env.begin(); it != job.env.end(); ++it) {
        wrapper += QStringLiteral("export %1=%2\n").arg(it.key(), shellQuote(it.value().toString()));
    }
    wrapper += QStringLiteral(
        "if command -v bash >/dev/null 2>&1; then RUN=bash; else RUN=sh; fi\n"
        "{ \"$RUN\" \"$D/run.sh\"; echo $? > \"$D/exit_code.tmp\"; } 2>&1 | tee -a \"$D/log\" | "
        "grep --line-buffered -a '^GPUDECK_METRICS ' >> \"$D/metrics.jsonl\"\n"
        "mv \"$D/exit_code.tmp\" \"$D/exit_code\"\n"
        // The wrapper ends with the command's code, so Slurm records the job as FAILED (ExitCode N:0) too.
        "exit \"$(cat \"$D/exit_code\")\"\n");
    return QStringLiteral("D=\"%1\"; mkdir -p \"$D\" && rm -f \"$D/exit_code\" \"$D/exit_code.tmp\" && : > \"$D/log\" && "
                          ": > \"$D/metrics.jsonl\" && printf %s %2 | base64 -d > \"$D/run.sh\" && "
                          "{ printf '#!/bin/sh\\n'; printf \"D='%s'\\n\" \"$D\"; printf %s %3 | base64 -d; } > \"$D/wrapper.sh\" && chmod +x \"$D/wrapper.sh\"")
        .arg(jobDir(job.id), shellQuote(b64(job.command)), shellQuote(b64(wrapper)));
}

QString JobScripts::tmuxStart(const Job &job, const QString &workingDir)
{
    return QStringLiteral("command -v tmux >/dev/null 2>&1 || { echo GPUDECK_NO_TMUX >&2; exit 97; }; %1 && "
                          "tmux kill-session -t %2 2>/dev/null; tmux new-session -d -s %2 \"sh '$D/wrapper.sh'\" && echo GPUDECK_STARTED")
        .arg(writeFiles(job, workingDir), sessionName(job.id));
}

QString JobScripts::slurmSubmit(const Job &job, const QString &workingDir)
{
    QString options = QStringLiteral("--parsable --job-name=%1 --output=\"$D/slurm.out\"").arg(sessionName(job.id));
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
    return QStringLiteral("command -v sbatch >/dev/null 2>&1 || { echo GPUDECK_NO_SLURM >&2; exit 98; }; %1 && "
                          "sbatch %2 \"$D/wrapper.sh\"")
        .arg(writeFiles(job, workingDir), options);
}

QString JobScripts::poll(const QList<Watched> &jobs)
{
    QStringList parts;
    for (const Watched &w : jobs) {
        QString part = QStringLiteral("D=\"%1\"; ").arg(jobDir(w.jobId));
        part += QStringLiteral("[ -f \"$D/metrics.jsonl\" ] && tail -n +%1 \"$D/metrics.jsonl\" | sed 's/^/M %2 /'; ")
                    .arg(w.metricsSeen + 1)
                    .arg(w.jobId);
        if (w.backend == QStringLiteral("slurm")) {
            part += QStringLiteral(
                        "if [ -f \"$D/exit_code\" ]; then echo \"J %1 exit $(cat \"$D/exit_code\")\"; else "
                        "S=$(squeue -h -j %2 -o %T 2>/dev/null); "
                        "if [ -z \"$S\" ]; then S=$(scontrol show job %2 2>/dev/null | tr ' ' '\\n' | sed -n 's/^JobState=//p' | head -n1); "
                        "E=$(scontrol show job %2 2>/dev/null | tr ' ' '\\n' | sed -n 's/^ExitCode=//p' | head -n1); fi; "
                        "echo \"J %1 slurm ${S:-UNKNOWN} ${E:-}\"; fi")
                        .arg(w.jobId)
                        .arg(shellQuote(w.slurmId));
        } else {
            part += QStringLiteral(
                        "if [ -f \"$D/exit_code\" ]; then echo \"J %1 exit $(cat \"$D/exit_code\")\"; "
                        "elif tmux has-session -t %2 2>/dev/null; then echo \"J %1 running\"; else echo \"J %1 gone\"; fi")
                        .arg(w.jobId)
                        .arg(sessionName(w.jobId));
        }
        parts << part;
    }
    return parts.join(QStringLiteral("; "));
}

QHash<qint64, JobScripts::PollState> JobScripts::parsePoll(const QString &output)
{
    QHash<qint64, PollState> states;
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(QStringLiteral("M "))) {
            const qsizetype space = line.indexOf(QLatin1Char(' '), 2);
            bool ok = false;
            const qint64 id = line.mid(2, space - 2).toLongLong(&ok);
            if (!ok || space < 0) {
                continue;
            }
            PollState &st = states[id];
            st.metricsLines++;
            const QString rest = line.mid(space + 1);
            const QString payload = rest.mid(QStringLiteral("GPUDECK_METRICS").size()).trimmed();
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(payload.toUtf8(), &error);
            if (error.error == QJsonParseError::NoError && doc.isObject()) {
                st.metrics.append(doc.object());
            }
        } else if (line.startsWith(QStringLiteral("J "))) {
            const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            bool ok = false;
            const qint64 id = f.value(1).toLongLong(&ok);
            if (!ok) {
                continue;
            }
            PollState &st = states[id];
            st.state = f.value(2);
            if (st.state == QStringLiteral("exit")) {
                bool codeOk = false;
                st.exitCode = f.value(3).toInt(&codeOk);
                if (!codeOk) {
                    st.exitCode = -1;
                }
            } else if (st.state == QStringLiteral("slurm")) {
                st.slurmState = f.value(3);
                const QString exit = f.value(4); // "3:0" = code:signal
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

QString JobScripts::tmuxInterrupt(qint64 jobId)
{
    return QStringLiteral("tmux send-keys -t %1 C-c 2>/dev/null; true").arg(sessionName(jobId));
}

QString JobScripts::tmuxKill(qint64 jobId)
{
    return QStringLiteral("tmux kill-session -t %1 2>/dev/null; true").arg(sessionName(jobId));
}

QString JobScripts::slurmCancel(const QString &slurmId)
{
    return QStringLiteral("scancel %1").arg(shellQuote(slurmId));
}

QString JobScripts::tail(qint64 jobId, int lines)
{
    return QStringLiteral("tail -n %1 \"%2/log\"").arg(lines).arg(jobDir(jobId));
}

QString JobScripts::follow(qint64 jobId, int lines)
{
    return QStringLiteral("exec tail -n %1 -F \"%2/log\" 2>/dev/null").arg(lines).arg(jobDir(jobId));
}

QString JobScripts::statusForSlurm(const QString &s)
{
    if (s == QStringLiteral("PENDING") || s == QStringLiteral("CONFIGURING") || s == QStringLiteral("REQUEUED")
        || s == QStringLiteral("RESV_DEL_HOLD") || s == QStringLiteral("SUSPENDED")) {
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
    if (s == QStringLiteral("FAILED") || s == QStringLiteral("TIMEOUT") || s == QStringLiteral("NODE_FAIL")
        || s == QStringLiteral("OUT_OF_MEMORY") || s == QStringLiteral("BOOT_FAIL") || s == QStringLiteral("DEADLINE")
        || s == QStringLiteral("PREEMPTED")) {
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace gpudeck
