#include "Keyring.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThread>

namespace gpudeck::test {
namespace {

const QString kSecretService = QStringLiteral("org.freedesktop.secrets");

bool secretServiceRegistered()
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    return bus && bus->isServiceRegistered(kSecretService).value();
}

} // namespace

Keyring::Keyring()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        m_unavailableReason = QStringLiteral("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): run the "
                                             "tests under dbus-run-session, e.g. `dbus-run-session -- ctest ...` "
                                             "as the README's test command does");
    } else if (QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon")).isEmpty()) {
        m_unavailableReason = QStringLiteral("gnome-keyring-daemon is not installed (Debian package gnome-keyring)");
    } else if (!QDBusConnection::sessionBus().isConnected()) {
        m_unavailableReason = QStringLiteral("cannot connect to the D-Bus session bus: %1")
                                  .arg(QDBusConnection::sessionBus().lastError().message());
    } else if (secretServiceRegistered()) {
        m_unavailableReason = QStringLiteral("a Secret Service already runs on this session bus (a desktop session?); "
                                             "test secrets must not go into it: run the tests under dbus-run-session");
    }
}

Keyring::~Keyring()
{
    stop();
}

bool Keyring::isRunning() const
{
    return m_daemon && m_daemon->state() == QProcess::Running;
}

bool Keyring::start(QString *error)
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
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-keyring-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    // Everything the daemon writes (keyrings, control socket) stays in the temporary directory.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"}) {
        const QString path = m_dir->filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(path);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QString::fromLatin1(name), path);
    }

    m_daemon = std::make_unique<QProcess>();
    m_daemon->setProcessEnvironment(env);
    m_daemon->setProcessChannelMode(QProcess::MergedChannels);
    m_daemon->start(QStringLiteral("gnome-keyring-daemon"), {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                                                             QStringLiteral("--components=secrets")});
    if (!m_daemon->waitForStarted(5000)) {
        return fail(QStringLiteral("cannot start gnome-keyring-daemon: %1").arg(m_daemon->errorString()));
    }
    // --unlock reads the password of the (new) login keyring from stdin.
    const QByteArray password = QByteArray::number(QRandomGenerator::system()->generate64(), 36);
    m_daemon->write(password);
    m_daemon->closeWriteChannel();

    const QDeadlineTimer deadline(10000);
    while (!secretServiceRegistered()) {
        if (m_daemon->state() != QProcess::Running) {
            return fail(QStringLiteral("gnome-keyring-daemon exited: %1")
                            .arg(QString::fromLocal8Bit(m_daemon->readAll()).trimmed()));
        }
        if (deadline.hasExpired()) {
            return fail(QStringLiteral("gnome-keyring-daemon did not register %1 on the session bus within 10 s")
                            .arg(kSecretService));
        }
        QCoreApplication::processEvents();
        QThread::msleep(20);
    }
    const auto owner = QDBusConnection::sessionBus().interface()->servicePid(kSecretService);
    if (!owner.isValid() || static_cast<qint64>(owner.value()) != m_daemon->processId()) {
        return fail(QStringLiteral("%1 on the session bus belongs to another process (pid %2), not the test's "
                                   "gnome-keyring-daemon (pid %3)")
                        .arg(kSecretService)
                        .arg(owner.value())
                        .arg(m_daemon->processId()));
    }
    return true;
}

void Keyring::stop()
{
    if (m_daemon) {
        if (m_daemon->state() != QProcess::NotRunning) {
            m_daemon->terminate();
            if (!m_daemon->waitForFinished(5000)) {
                m_daemon->kill();
                m_daemon->waitForFinished(2000);
            }
        }
        m_daemon.reset();
    }
    m_dir.reset();
}

} // namespace gpudeck::test
