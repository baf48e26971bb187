#include "FakeProxmoxShell.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#ifndef GPUDECK_PROXMOX_FIXTURES
#error "GPUDECK_PROXMOX_FIXTURES must name tests/fixtures/proxmox"
#endif
#ifndef GPUDECK_FAKE_DIR
#error "GPUDECK_FAKE_DIR must name tests/fake"
#endif

namespace gpudeck::test {
namespace {

constexpr QFileDevice::Permissions kReadable =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
constexpr QFileDevice::Permissions kExecutable =
    kReadable | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther;
constexpr QFileDevice::Permissions kWritableByAll = kReadable | QFileDevice::WriteGroup | QFileDevice::WriteOther;

bool writeFile(const QString &path, const QByteArray &content, QFileDevice::Permissions permissions = kReadable)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        return false;
    }
    return QFile::setPermissions(path, permissions);
}

const QStringList &tools()
{
    static const QStringList names = {QStringLiteral("pvesh"), QStringLiteral("pvecm")};
    return names;
}

} // namespace

FakeProxmoxShell::FakeProxmoxShell() = default;
FakeProxmoxShell::~FakeProxmoxShell() = default;

QString FakeProxmoxShell::fixturesRoot()
{
    return QStringLiteral(GPUDECK_PROXMOX_FIXTURES);
}

QString FakeProxmoxShell::fixture(const QString &name)
{
    QFile file(fixturesRoot() + QLatin1Char('/') + name);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool FakeProxmoxShell::install(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-fake-proxmox-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    QDir dir(m_dir->path());
    if (!dir.mkpath(QStringLiteral("fixtures")) || !dir.mkpath(QStringLiteral("bin"))) {
        return fail(QStringLiteral("cannot create folders under %1").arg(m_dir->path()));
    }
    for (const QString &d : {m_dir->path(), dir.filePath(QStringLiteral("fixtures")), binDir()}) {
        QFile::setPermissions(d, kExecutable);
    }
    for (const QString &script : tools() + QStringList{QStringLiteral("sudo-nopasswd")}) {
        QFile in(QStringLiteral(GPUDECK_FAKE_DIR) + QLatin1Char('/') + script);
        if (!in.open(QIODevice::ReadOnly) || !writeFile(dir.filePath(script), in.readAll(), kExecutable)) {
            return fail(QStringLiteral("cannot install %1 under %2").arg(in.fileName(), m_dir->path()));
        }
    }
    const QStringList files = QDir(fixturesRoot()).entryList(QDir::Files);
    for (const QString &name : files) {
        QFile in(fixturesRoot() + QLatin1Char('/') + name);
        if (!in.open(QIODevice::ReadOnly) ||
            !writeFile(dir.filePath(QStringLiteral("fixtures/") + name), in.readAll())) {
            return fail(QStringLiteral("cannot copy %1").arg(in.fileName()));
        }
    }
    if (!writeFile(dir.filePath(QStringLiteral("calls.log")), {}, kWritableByAll) || !writeConfig()) {
        return fail(QStringLiteral("cannot write the fake's configuration under %1").arg(m_dir->path()));
    }
    QFile::link(QStringLiteral("../sudo-nopasswd"), binDir() + QStringLiteral("/sudo"));
    setOnPath(true);
    return true;
}

QString FakeProxmoxShell::root() const
{
    return m_dir ? m_dir->path() : QString();
}

QString FakeProxmoxShell::binDir() const
{
    return root() + QStringLiteral("/bin");
}

QString FakeProxmoxShell::pathValue() const
{
    return binDir() + QStringLiteral(":/usr/local/bin:/usr/bin:/bin");
}

void FakeProxmoxShell::setScenario(const QString &scenario)
{
    m_scenario = scenario;
    writeConfig();
}

void FakeProxmoxShell::setTaskSeconds(double seconds)
{
    m_taskSeconds = seconds;
    writeConfig();
}

void FakeProxmoxShell::setTaskExit(const QString &exit)
{
    m_taskExit = exit;
    writeConfig();
}

void FakeProxmoxShell::setFail(const QString &mode)
{
    m_fail = mode;
    writeConfig();
}

void FakeProxmoxShell::setSudoNeedsPassword(bool needs)
{
    m_sudoPassword = needs;
    writeConfig();
}

void FakeProxmoxShell::setOnPath(bool onPath)
{
    for (const QString &tool : tools()) {
        const QString link = binDir() + QLatin1Char('/') + tool;
        QFile::remove(link);
        if (onPath) {
            QFile::link(QStringLiteral("../") + tool, link);
        }
    }
}

QStringList FakeProxmoxShell::calls() const
{
    QFile file(root() + QStringLiteral("/calls.log"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

void FakeProxmoxShell::clearCalls()
{
    QFile file(root() + QStringLiteral("/calls.log"));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.close();
    }
}

bool FakeProxmoxShell::writeConfig()
{
    if (!m_dir) {
        return false;
    }
    const QString config = QStringLiteral("scenario=%1\ntask_seconds=%2\ntask_exit=%3\nfail=%4\n%5")
                               .arg(m_scenario)
                               .arg(m_taskSeconds)
                               .arg(m_taskExit, m_fail, m_sudoPassword ? QStringLiteral("sudo=password\n") : QString());
    return writeFile(root() + QStringLiteral("/fake-proxmox.conf"), config.toUtf8());
}

} // namespace gpudeck::test
