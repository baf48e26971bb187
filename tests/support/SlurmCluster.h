#pragma once

// SlurmCluster: a real single-node Slurm for tests (Debian's slurmctld, slurmd, slurm-client and munge), on
// this machine, with everything in a temporary directory: a munge key and its own munged on a private socket,
// a slurm.conf (cluster "gpudeck-test", one node named after this machine's short host name at 127.0.0.1,
// partition "debug", free random ports, no accounting, proctrack/linuxproc and task/none so it works
// without cgroups), the state and spool directories and the daemons' logs. Nothing under /etc is read or
// written: every Slurm command finds the cluster through SLURM_CONF=configPath() (for sessions of the SSH test
// server, pass it with SshServer::setSessionEnv), and slurm.conf names the munge socket (AuthInfo).
//
// Running slurmd and jobs of other users needs root; without root, or without the packages, the cluster is
// unavailable and says why. stop() (and the destructor) cancels every job, waits for them to end, and stops the
// three daemons; they also die with the test process if it crashes.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace gpudeck::test {

class SlurmCluster
{
public:
    SlurmCluster();
    ~SlurmCluster();
    SlurmCluster(const SlurmCluster &) = delete;
    SlurmCluster &operator=(const SlurmCluster &) = delete;

    bool available() const { return m_unavailableReason.isEmpty(); }
    QString unavailableReason() const { return m_unavailableReason; }

    // Starts munged, slurmctld and slurmd and waits until the node is idle; false with the reason on failure.
    bool start(QString *error = nullptr);
    void stop();
    bool isRunning() const;

    QString configPath() const; // for SLURM_CONF
    QString nodeName() const { return m_nodeName; }
    QString partition() const { return QStringLiteral("debug"); }
    QString directory() const; // the temporary directory (world-readable, so the test user reads slurm.conf)

    struct Output
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    // Runs a Slurm client command (squeue, scontrol, scancel, sinfo, ...) as root against this cluster.
    Output run(const QString &program, const QStringList &args, int timeoutMs = 15000) const;

    // Cancels every job of the cluster and waits (up to timeoutMs) until squeue lists none; false if some remain.
    bool cancelAll(int timeoutMs = 10000);
    // Drains the node (running jobs go on, new ones wait in the queue) or returns it to service.
    bool setNodeDrained(bool drained);

    // The last lines of the daemons' logs, for failure messages.
    QString logTail(int lines = 20) const;

private:
    bool writeKey(QString *error);
    bool startMunge(QString *error);
    bool writeConfig(QString *error);
    bool startDaemons(QString *error);
    bool waitForIdleNode(QString *error);
    std::unique_ptr<QProcess> launch(const QString &program, const QStringList &args, const QString &outputFile) const;
    QProcessEnvironment environment() const;

    QString m_unavailableReason;
    QString m_nodeName;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_munged;
    std::unique_ptr<QProcess> m_slurmctld;
    std::unique_ptr<QProcess> m_slurmd;
    quint16 m_ctldPort = 0;
    quint16 m_slurmdPort = 0;
};

} // namespace gpudeck::test
