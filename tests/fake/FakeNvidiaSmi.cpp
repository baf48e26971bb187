#include "FakeNvidiaSmi.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <csignal>
#include <sys/types.h>

#ifndef GPUDECK_FIXTURES
#error "GPUDECK_FIXTURES must name tests/fixtures/nvidia-smi"
#endif
#ifndef GPUDECK_FAKE_NVIDIA_SMI_REPLAY
#error "GPUDECK_FAKE_NVIDIA_SMI_REPLAY must name the built nvidia_smi_replay"
#endif
#ifndef GPUDECK_FAKE_NVIDIA_SMI
#error "GPUDECK_FAKE_NVIDIA_SMI must name tests/fake/nvidia-smi"
#endif

namespace gpudeck::test {
namespace {

constexpr QFileDevice::Permissions kReadable =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
constexpr QFileDevice::Permissions kExecutable =
    kReadable | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther;

bool writeFile(const QString &path, const QByteArray &content)
{
    // Written whole and renamed into place, so a reader never sees half a file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        return false;
    }
    return QFile::setPermissions(path, kReadable);
}

} // namespace

FakeNvidiaSmi::FakeNvidiaSmi() = default;

FakeNvidiaSmi::~FakeNvidiaSmi()
{
    if (m_dir) {
        signalLoops(SIGKILL);
    }
}

QString FakeNvidiaSmi::fixturesRoot()
{
    return QStringLiteral(GPUDECK_FIXTURES);
}

QString FakeNvidiaSmi::scriptSource()
{
    return QStringLiteral(GPUDECK_FAKE_NVIDIA_SMI);
}

bool FakeNvidiaSmi::install(QString *error, const QString &recording)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    const QString source = fixturesRoot() + QLatin1Char('/') + recording;
    if (!QFileInfo::exists(source + QStringLiteral("/loop.csv"))) {
        return fail(QStringLiteral("no recorded nvidia-smi output at %1 (tests/fixtures/nvidia-smi in the "
                                   "repository)")
                        .arg(source));
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-fake-nvidia-smi-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    // The SSH test user runs the script and reads everything here.
    QDir dir(m_dir->path());
    if (!dir.mkpath(QStringLiteral("fixtures")) || !dir.mkpath(QStringLiteral("bin"))) {
        return fail(QStringLiteral("cannot create folders under %1").arg(m_dir->path()));
    }
    for (const QString &d : {m_dir->path(), dir.filePath(QStringLiteral("fixtures")), binDir()}) {
        QFile::setPermissions(d, kExecutable);
    }
    QFile script(scriptSource());
    if (!script.open(QIODevice::ReadOnly) || !writeFile(scriptPath(), script.readAll()) ||
        !QFile::setPermissions(scriptPath(), kExecutable)) {
        return fail(QStringLiteral("cannot install %1 as %2").arg(scriptSource(), scriptPath()));
    }
    // The recording, and the files every recording shares (help-query-gpu.txt sits one level up).
    QStringList files = QDir(source).entryList(QDir::Files);
    for (const QString &name : std::as_const(files)) {
        QFile in(source + QLatin1Char('/') + name);
        if (!in.open(QIODevice::ReadOnly) ||
            !writeFile(dir.filePath(QStringLiteral("fixtures/") + name), in.readAll())) {
            return fail(QStringLiteral("cannot copy %1").arg(in.fileName()));
        }
    }
    QFile help(QFileInfo(source).dir().filePath(QStringLiteral("help-query-gpu.txt")));
    if (help.exists() && (!help.open(QIODevice::ReadOnly) ||
                          !writeFile(dir.filePath(QStringLiteral("fixtures/help-query-gpu.txt")), help.readAll()))) {
        return fail(QStringLiteral("cannot copy %1").arg(help.fileName()));
    }
    if (!writeConfig() || !writeControl()) {
        return fail(QStringLiteral("cannot write the fake's configuration under %1").arg(m_dir->path()));
    }
    setOnPath(true);
    return true;
}

QString FakeNvidiaSmi::root() const
{
    return m_dir ? m_dir->path() : QString();
}

QString FakeNvidiaSmi::binDir() const
{
    return root() + QStringLiteral("/bin");
}

QString FakeNvidiaSmi::scriptPath() const
{
    return root() + QStringLiteral("/nvidia-smi");
}

QString FakeNvidiaSmi::pathValue() const
{
    return binDir() + QStringLiteral(":/usr/local/bin:/usr/bin:/bin");
}

void FakeNvidiaSmi::setGpus(int gpus)
{
    m_gpus = gpus;
    writeConfig();
}

void FakeNvidiaSmi::setGb10(bool gb10)
{
    m_gb10 = gb10;
    writeConfig();
}

void FakeNvidiaSmi::setFail(const QString &mode)
{
    m_fail = mode;
    writeConfig();
}

void FakeNvidiaSmi::setTicks(int ticks)
{
    m_ticks = ticks;
    writeConfig();
}

void FakeNvidiaSmi::setTemperature(std::optional<double> celsius)
{
    m_temperature = celsius;
    writeControl();
}

void FakeNvidiaSmi::setControlFail(const QString &mode)
{
    m_controlFail = mode;
    writeControl();
}

void FakeNvidiaSmi::setOnPath(bool onPath)
{
    const QString link = binDir() + QStringLiteral("/nvidia-smi");
    QFile::remove(link);
    if (onPath) {
        QFile::link(QStringLiteral("../") + m_entry, link);
    }
}

bool FakeNvidiaSmi::useCompiledReplayer(QString *error)
{
    const QString target = root() + QStringLiteral("/nvidia-smi-replay");
    QFile binary(QStringLiteral(GPUDECK_FAKE_NVIDIA_SMI_REPLAY));
    if (!m_dir || !binary.open(QIODevice::ReadOnly) || !writeFile(target, binary.readAll()) ||
        !QFile::setPermissions(target, kExecutable)) {
        if (error) {
            *error = QStringLiteral("cannot install %1 as %2").arg(binary.fileName(), target);
        }
        return false;
    }
    m_entry = QStringLiteral("nvidia-smi-replay");
    setOnPath(true);
    return true;
}

bool FakeNvidiaSmi::writeConfig()
{
    if (!m_dir) {
        return false;
    }
    const QString config = QStringLiteral("# written by FakeNvidiaSmi\n"
                                          "fixtures=%1\n"
                                          "control=%2\n"
                                          "gpus=%3\n"
                                          "gb10=%4\n"
                                          "fail=%5\n"
                                          "ticks=%6\n")
                               .arg(root() + QStringLiteral("/fixtures"), root() + QStringLiteral("/control"))
                               .arg(m_gpus)
                               .arg(m_gb10 ? 1 : 0)
                               .arg(m_fail)
                               .arg(m_ticks);
    return writeFile(root() + QStringLiteral("/fake-nvidia-smi.conf"), config.toUtf8());
}

bool FakeNvidiaSmi::writeControl()
{
    if (!m_dir) {
        return false;
    }
    QString control;
    if (m_temperature) {
        control += QStringLiteral("temperature=%1\n").arg(*m_temperature);
    }
    if (!m_controlFail.isEmpty()) {
        control += QStringLiteral("fail=%1\n").arg(m_controlFail);
    }
    return writeFile(root() + QStringLiteral("/control"), control.toUtf8());
}

QString FakeNvidiaSmi::commandLine(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QByteArray raw = file.readAll();
    if (raw.endsWith('\0')) {
        raw.chop(1);
    }
    return QString::fromLocal8Bit(raw.replace('\0', ' '));
}

QList<qint64> FakeNvidiaSmi::runningLoops() const
{
    QList<qint64> pids;
    if (!m_dir) {
        return pids;
    }
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric) {
            continue;
        }
        const QString cmd = commandLine(pid);
        // The interpreter runs the script by the path it was found under (bin/nvidia-smi or the script itself).
        if (cmd.contains(root() + QLatin1Char('/')) && cmd.contains(QStringLiteral(" -lms ")) &&
            !cmd.startsWith(QStringLiteral("sh ")) && !cmd.startsWith(QStringLiteral("/bin/sh "))) {
            // Not a zombie: those have an empty cmdline anyway, but a process may be on its way out.
            pids << pid;
        }
    }
    return pids;
}

int FakeNvidiaSmi::signalLoops(int sig) const
{
    int count = 0;
    for (qint64 pid : runningLoops()) {
        if (::kill(static_cast<pid_t>(pid), sig) == 0) {
            ++count;
        }
    }
    return count;
}

} // namespace gpudeck::test
