#include "SlurmCluster.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTcpServer>
#include <QThread>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace gpudeck::test {
namespace {

const QString kMunged = QStringLiteral("/usr/sbin/munged");
const QString kSlurmctld = QStringLiteral("/usr/sbin/slurmctld");
const QString kSlurmd = QStringLiteral("/usr/sbin/slurmd");
const QStringList kClients = {QStringLiteral("sbatch"), QStringLiteral("squeue"), QStringLiteral("scontrol"),
                              QStringLiteral("scancel"), QStringLiteral("sinfo")};
const QString kPackages =
    QStringLiteral("Debian packages slurmctld slurmd slurm-client munge; installer/debian-deps.sh "
                   "installs them");

QString tailOf(const QString &path, int lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QStringList all = QString::fromLocal8Bit(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (all.size() > lines) {
        all = all.mid(all.size() - lines);
    }
    return all.join(QLatin1Char('\n'));
}

} // namespace

SlurmCluster::SlurmCluster()
{
    if (::geteuid() != 0) {
        m_unavailableReason = QStringLiteral("the Slurm test cluster needs root (slurmd runs jobs as the test user); "
                                             "run the tests as root, e.g. in the CI container");
        return;
    }
    for (const QString &daemon : {kMunged, kSlurmctld, kSlurmd}) {
        if (!QFileInfo(daemon).isExecutable()) {
            m_unavailableReason = QStringLiteral("%1 is missing (%2)").arg(daemon, kPackages);
            return;
        }
    }
    for (const QString &client : kClients + QStringList{QStringLiteral("munge"), QStringLiteral("unmunge")}) {
        if (QStandardPaths::findExecutable(client).isEmpty()) {
            m_unavailableReason = QStringLiteral("%1 is not on PATH (%2)").arg(client, kPackages);
            return;
        }
    }
    // The node is named after this machine; slurmd is told its name (-N) and address, so nothing is resolved.
    m_nodeName = QSysInfo::machineHostName().section(QLatin1Char('.'), 0, 0);
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9-]*$"));
    if (!plain.match(m_nodeName).hasMatch()) {
        m_nodeName = QStringLiteral("localhost");
    }
}

SlurmCluster::~SlurmCluster()
{
    stop();
}

QString SlurmCluster::configPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("slurm.conf")) : QString();
}

QString SlurmCluster::directory() const
{
    return m_dir ? m_dir->path() : QString();
}

bool SlurmCluster::isRunning() const
{
    for (const auto *p : {m_munged.get(), m_slurmctld.get(), m_slurmd.get()}) {
        if (!p || p->state() != QProcess::Running) {
            return false;
        }
    }
    return true;
}

QProcessEnvironment SlurmCluster::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SLURM_CONF"), configPath());
    return env;
}

SlurmCluster::Output SlurmCluster::run(const QString &program, const QStringList &args, int timeoutMs) const
{
    Output result;
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        result.err = p.errorString();
        return result;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        result.err = QStringLiteral("%1 timed out after %2 ms").arg(program).arg(timeoutMs);
        return result;
    }
    result.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    result.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(p.readAllStandardError());
    return result;
}

QString SlurmCluster::logTail(int lines) const
{
    if (!m_dir) {
        return {};
    }
    QString out;
    for (const QString &name :
         {QStringLiteral("munged.out"), QStringLiteral("slurmctld.out"), QStringLiteral("slurmd.out")}) {
        const QString text = tailOf(m_dir->filePath(name), lines);
        if (!text.isEmpty()) {
            out += QStringLiteral("--- %1\n%2\n").arg(name, text);
        }
    }
    return out;
}

std::unique_ptr<QProcess> SlurmCluster::launch(const QString &program, const QStringList &args,
                                               const QString &outputFile) const
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(environment());
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->setStandardOutputFile(m_dir->filePath(outputFile), QIODevice::Append);
    // The daemons go when the test process goes, even when it crashes.
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    p->start(program, args);
    return p;
}

bool SlurmCluster::start(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        stop();
        return false;
    };
    if (!available()) {
        return fail(m_unavailableReason);
    }
    if (isRunning()) {
        return true;
    }
    stop();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-slurm-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    // The test user's sbatch and squeue read slurm.conf here and talk to munged's socket.
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                             QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::ExeOther);
    for (const QString &sub : {QStringLiteral("state"), QStringLiteral("spool")}) {
        if (!QDir(m_dir->path()).mkpath(sub)) {
            return fail(QStringLiteral("cannot create %1").arg(m_dir->filePath(sub)));
        }
    }
    QString why;
    if (!writeKey(&why) || !startMunge(&why)) {
        return fail(why);
    }
    // A free port can be taken between probing and binding; try a few.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (writeConfig(&why) && startDaemons(&why) && waitForIdleNode(&why)) {
            return true;
        }
        for (auto *p : {&m_slurmd, &m_slurmctld}) {
            if (*p) {
                (*p)->kill();
                (*p)->waitForFinished(3000);
                p->reset();
            }
        }
    }
    return fail(why + QLatin1Char('\n') + logTail());
}

bool SlurmCluster::writeKey(QString *error)
{
    QByteArray key(128, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
    QFile file(m_dir->filePath(QStringLiteral("munge.key")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner) ||
        file.write(key) != key.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

bool SlurmCluster::startMunge(QString *error)
{
    const QString socket = m_dir->filePath(QStringLiteral("munge.socket"));
    m_munged = launch(kMunged,
                      {QStringLiteral("--foreground"), QStringLiteral("--socket=") + socket,
                       QStringLiteral("--key-file=") + m_dir->filePath(QStringLiteral("munge.key")),
                       QStringLiteral("--pid-file=") + m_dir->filePath(QStringLiteral("munged.pid")),
                       QStringLiteral("--seed-file=") + m_dir->filePath(QStringLiteral("munged.seed")),
                       QStringLiteral("--log-file=") + m_dir->filePath(QStringLiteral("munged.log"))},
                      QStringLiteral("munged.out"));
    if (!m_munged->waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(kMunged, m_munged->errorString());
        return false;
    }
    // Ready when a credential made through its socket decodes again.
    const QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        if (m_munged->state() != QProcess::Running) {
            *error = QStringLiteral("munged exited at start:\n%1")
                         .arg(tailOf(m_dir->filePath(QStringLiteral("munged.out")), 20));
            return false;
        }
        if (QFileInfo::exists(socket)) {
            const Output check = run(QStringLiteral("sh"),
                                     {QStringLiteral("-c"), QStringLiteral("munge -n -S \"$1\" | unmunge -S \"$1\""),
                                      QStringLiteral("sh"), socket});
            if (check.exitCode == 0) {
                return true;
            }
        }
        QThread::msleep(20);
    }
    *error = QStringLiteral("munged did not answer on %1 within 5 s").arg(socket);
    return false;
}

bool SlurmCluster::writeConfig(QString *error)
{
    auto freePort = [](quint16 other) -> quint16 {
        for (int i = 0; i < 10; ++i) {
            QTcpServer probe;
            if (probe.listen(QHostAddress::Any, 0) && probe.serverPort() != other) {
                return probe.serverPort();
            }
        }
        return 0;
    };
    m_ctldPort = freePort(0);
    m_slurmdPort = freePort(m_ctldPort);
    if (!m_ctldPort || !m_slurmdPort) {
        *error = QStringLiteral("no free TCP port for slurmctld and slurmd");
        return false;
    }
    const QString d = m_dir->path();
    const long cpus = qMax(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
    const QString config = QStringLiteral("# Written by the GPU Deck test set-up (tests/support/SlurmCluster.cpp).\n"
                                          "ClusterName=gpudeck-test\n"
                                          "SlurmctldHost=%1(127.0.0.1)\n"
                                          "SlurmctldPort=%2\n"
                                          "SlurmdPort=%3\n"
                                          "SlurmUser=root\n"
                                          "SlurmdUser=root\n"
                                          "AuthType=auth/munge\n"
                                          "CredType=cred/munge\n"
                                          "AuthInfo=socket=%4/munge.socket\n"
                                          "StateSaveLocation=%4/state\n"
                                          "SlurmdSpoolDir=%4/spool\n"
                                          "SlurmctldPidFile=%4/slurmctld.pid\n"
                                          "SlurmdPidFile=%4/slurmd.pid\n"
                                          "SlurmctldLogFile=%4/slurmctld.log\n"
                                          "SlurmdLogFile=%4/slurmd.log\n"
                                          "ProctrackType=proctrack/linuxproc\n"
                                          "TaskPlugin=task/none\n"
                                          "JobAcctGatherType=jobacct_gather/none\n"
                                          "AccountingStorageType=accounting_storage/none\n"
                                          "JobCompType=jobcomp/none\n"
                                          "MpiDefault=none\n"
                                          "MailProg=/bin/true\n"
                                          // Finished jobs stay known to `scontrol show job` for ten minutes.
                                          "MinJobAge=600\n"
                                          "ReturnToService=2\n"
                                          "SelectType=select/cons_tres\n"
                                          "SelectTypeParameters=CR_Core\n"
                                          "NodeName=%1 NodeAddr=127.0.0.1 CPUs=%5 State=UNKNOWN\n"
                                          "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n")
                               .arg(m_nodeName)
                               .arg(m_ctldPort)
                               .arg(m_slurmdPort)
                               .arg(d)
                               .arg(cpus);
    QFile file(configPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                        QFileDevice::ReadOther);
    return true;
}

bool SlurmCluster::startDaemons(QString *error)
{
    m_slurmctld =
        launch(kSlurmctld, {QStringLiteral("-D"), QStringLiteral("-f"), configPath()}, QStringLiteral("slurmctld.out"));
    m_slurmd =
        launch(kSlurmd, {QStringLiteral("-D"), QStringLiteral("-N"), m_nodeName, QStringLiteral("-f"), configPath()},
               QStringLiteral("slurmd.out"));
    for (auto *p : {m_slurmctld.get(), m_slurmd.get()}) {
        if (!p->waitForStarted(5000)) {
            *error = QStringLiteral("cannot start %1: %2").arg(p->program(), p->errorString());
            return false;
        }
    }
    return true;
}

bool SlurmCluster::waitForIdleNode(QString *error)
{
    const QDeadlineTimer deadline(15000);
    QDeadlineTimer resumeAgain(0);
    QString state;
    while (!deadline.hasExpired()) {
        for (auto *p : {m_munged.get(), m_slurmctld.get(), m_slurmd.get()}) {
            if (p->state() != QProcess::Running) {
                *error = QStringLiteral("%1 exited at start (exit code %2)").arg(p->program()).arg(p->exitCode());
                return false;
            }
        }
        const Output sinfo = run(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-n"), m_nodeName,
                                                           QStringLiteral("-o"), QStringLiteral("%T")});
        state = sinfo.out.trimmed();
        if (state == QStringLiteral("idle")) {
            return true;
        }
        if ((state.startsWith(QStringLiteral("down")) || state.startsWith(QStringLiteral("drain"))) &&
            resumeAgain.hasExpired()) {
            run(QStringLiteral("scontrol"),
                {QStringLiteral("update"), QStringLiteral("NodeName=") + m_nodeName, QStringLiteral("State=RESUME")});
            resumeAgain.setRemainingTime(1000);
        }
        QThread::msleep(100);
    }
    *error = QStringLiteral("node %1 did not become idle within 15 s (last state: '%2')").arg(m_nodeName, state);
    return false;
}

bool SlurmCluster::cancelAll(int timeoutMs)
{
    run(QStringLiteral("scancel"), {QStringLiteral("--partition=") + partition()});
    const QDeadlineTimer deadline(timeoutMs);
    while (true) {
        // Lists pending, running and completing jobs: empty once every job's processes have ended.
        const Output q =
            run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%i")});
        if (q.exitCode != 0) {
            return false;
        }
        if (q.out.trimmed().isEmpty()) {
            return true;
        }
        if (deadline.hasExpired()) {
            return false;
        }
        QThread::msleep(100);
    }
}

bool SlurmCluster::setNodeDrained(bool drained)
{
    QStringList args = {QStringLiteral("update"), QStringLiteral("NodeName=") + m_nodeName};
    if (drained) {
        args << QStringLiteral("State=DRAIN") << QStringLiteral("Reason=gpudeck-test");
    } else {
        args << QStringLiteral("State=RESUME");
    }
    return run(QStringLiteral("scontrol"), args).exitCode == 0;
}

void SlurmCluster::stop()
{
    if (m_slurmctld && m_slurmctld->state() == QProcess::Running && m_slurmd &&
        m_slurmd->state() == QProcess::Running) {
        // Jobs would outlive slurmd (slurmstepd runs on its own): cancel them all and wait until they are gone.
        cancelAll();
    }
    for (auto *p : {&m_slurmd, &m_slurmctld, &m_munged}) {
        if (!*p) {
            continue;
        }
        if ((*p)->state() != QProcess::NotRunning) {
            (*p)->terminate();
            if (!(*p)->waitForFinished(5000)) {
                (*p)->kill();
                (*p)->waitForFinished(2000);
            }
        }
        p->reset();
    }
    m_dir.reset();
}

} // namespace gpudeck::test
