#include "SshServer.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gpudeck::test {
namespace {

const QString kSshd = QStringLiteral("/usr/sbin/sshd");
const QString kUserLock = QStringLiteral("/run/gpudeck-test-user.lock");
const QString kPasswordFile = QStringLiteral("/run/gpudeck-test-user.password");
const QStringList kKeyTypes = {QStringLiteral("ed25519"), QStringLiteral("ed25519-passphrase"), QStringLiteral("rsa"),
                               QStringLiteral("ecdsa"), QStringLiteral("stranger")};

struct ToolResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString failure; // set when the tool did not run to completion

    bool ok() const { return failure.isEmpty() && exitCode == 0; }
    QString describe(const QString &what) const
    {
        if (!failure.isEmpty()) {
            return QStringLiteral("%1: %2").arg(what, failure);
        }
        return QStringLiteral("%1 exited with %2: %3")
            .arg(what)
            .arg(exitCode)
            .arg(QString::fromLocal8Bit(err + out).trimmed());
    }
};

ToolResult runTool(const QString &program, const QStringList &args, const QByteArray &input = {}, int timeoutMs = 30000,
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    ToolResult result;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        result.failure = p.errorString();
        return result;
    }
    if (!input.isEmpty()) {
        p.write(input);
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        result.failure = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
        return result;
    }
    result.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    result.out = p.readAllStandardOutput();
    result.err = p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit) {
        result.failure = QStringLiteral("crashed");
    }
    return result;
}

QString randomToken(int length)
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString token;
    for (int i = 0; i < length; ++i) {
        token += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet - 1))]);
    }
    return token;
}

// Serialises creating the test user and setting its password across test processes.
class UserLock
{
public:
    UserLock()
    {
        m_fd = ::open(kUserLock.toLocal8Bit().constData(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (m_fd >= 0) {
            ::flock(m_fd, LOCK_EX);
        }
    }
    ~UserLock()
    {
        if (m_fd >= 0) {
            ::flock(m_fd, LOCK_UN);
            ::close(m_fd);
        }
    }
    UserLock(const UserLock &) = delete;
    UserLock &operator=(const UserLock &) = delete;

private:
    int m_fd = -1;
};

// The parent of every process, from /proc/<pid>/stat ("pid (comm) state ppid ..."; comm may hold anything).
QHash<qint64, QList<qint64>> childrenByParent()
{
    QHash<qint64, QList<qint64>> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric) {
            continue;
        }
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')');
        if (close < 0) {
            continue;
        }
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() < 2 || fields.at(0) == "Z") {
            continue; // zombies are already dead
        }
        children[fields.at(1).toLongLong()].append(pid);
    }
    return children;
}

QList<qint64> descendantsOf(qint64 root)
{
    const auto children = childrenByParent();
    QList<qint64> out;
    QList<qint64> queue = children.value(root);
    while (!queue.isEmpty()) {
        const qint64 pid = queue.takeFirst();
        out << pid;
        queue << children.value(pid);
    }
    return out;
}

// Processes other than this one holding a TCP socket whose local port is `port`: the sessions of an sshd on that
// port, including one it accepted and forked in the instant between our kill of its sessions and its own exit
// (a forked session calls setsid() and is no longer its descendant once the listener is gone).
QList<qint64> processesServingPort(quint16 port)
{
    QSet<QByteArray> inodes;
    for (const QString &table : {QStringLiteral("/proc/net/tcp"), QStringLiteral("/proc/net/tcp6")}) {
        QFile f(table);
        if (!f.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines.at(i).simplified().split(' ');
            if (fields.size() < 10) {
                continue;
            }
            const QByteArray local = fields.at(1);
            bool ok = false;
            const uint localPort = local.mid(local.lastIndexOf(':') + 1).toUInt(&ok, 16);
            if (ok && localPort == port && fields.at(9) != "0") {
                inodes.insert("socket:[" + fields.at(9) + "]");
            }
        }
    }
    QList<qint64> out;
    if (inodes.isEmpty()) {
        return out;
    }
    const qint64 self = QCoreApplication::applicationPid();
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pidText : pids) {
        bool ok = false;
        const qint64 pid = pidText.toLongLong(&ok);
        if (!ok || pid == self) {
            continue;
        }
        const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
        const QStringList entries = fds.entryList(QDir::System | QDir::NoDotAndDotDot);
        for (const QString &fd : entries) {
            if (inodes.contains(QFile::symLinkTarget(fds.filePath(fd)).section(QLatin1Char('/'), -1).toUtf8())) {
                out << pid;
                break;
            }
        }
    }
    return out;
}

bool isAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close >= 0 && line.mid(close + 2, 1) != "Z";
}

quint16 pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return probe.serverPort();
}

} // namespace

// ---------------------------------------------------------------------------------------------------------

SshServer::SshServer()
{
    if (::geteuid() != 0) {
        m_unavailableReason = QStringLiteral("the SSH test server needs root (to create the test user '%1' and "
                                             "run sshd); run the tests as root, e.g. in the CI container")
                                  .arg(testUserName());
    } else if (!QFileInfo(kSshd).isExecutable()) {
        m_unavailableReason = QStringLiteral("%1 is missing (Debian package openssh-server)").arg(kSshd);
    } else if (QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty()) {
        m_unavailableReason = QStringLiteral("ssh-keygen is missing (Debian package openssh-client)");
    }
}

SshServer::~SshServer()
{
    stop();
}

QString SshServer::user() const
{
    return testUserName();
}

QString SshServer::tempDir() const
{
    return m_dir ? m_dir->path() : QString();
}

bool SshServer::isRunning() const
{
    return m_sshd && m_sshd->state() == QProcess::Running;
}

qint64 SshServer::pid() const
{
    return isRunning() ? m_sshd->processId() : 0;
}

QString SshServer::keyPath(const QString &type) const
{
    if (!m_dir || !kKeyTypes.contains(type)) {
        return {};
    }
    return m_dir->filePath(QStringLiteral("client_%1").arg(type));
}

QString SshServer::knownHostsLine() const
{
    return QStringLiteral("[%1]:%2 %3").arg(host()).arg(m_port).arg(m_hostPublicKey);
}

QString SshServer::serverLog() const
{
    if (m_sshd) {
        m_log += m_sshd->readAllStandardError();
    }
    return QString::fromLocal8Bit(m_log);
}

bool SshServer::start(QString *error)
{
    if (!available()) {
        if (error) {
            *error = m_unavailableReason;
        }
        return false;
    }
    if (isRunning()) {
        return true;
    }
    if (!m_prepared && !prepare(error)) {
        return false;
    }
    // A free port can be taken between probing and binding; try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = pickFreePort();
        if (m_port && writeConfig(error) && launch(error)) {
            return true;
        }
    }
    return false;
}

bool SshServer::restart(bool newHostKey, QString *error)
{
    if (!m_prepared) {
        return start(error);
    }
    stop();
    if (newHostKey && !generateHostKey(error)) {
        return false;
    }
    // Same port, so known_hosts entries ([127.0.0.1]:PORT) keep applying.
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (writeConfig(error) && launch(error)) {
            return true;
        }
        QThread::msleep(100);
    }
    return false;
}

bool SshServer::restartOnNewPort(QString *error)
{
    if (!m_prepared) {
        return start(error);
    }
    stop();
    if (!generateHostKey(error)) {
        return false;
    }
    const quint16 old = m_port;
    for (int attempt = 0; attempt < 10; ++attempt) {
        m_port = pickFreePort();
        if (m_port && m_port != old && writeConfig(error) && launch(error)) {
            return true;
        }
    }
    return false;
}

bool SshServer::addAuthorizedKey(const QString &line, QString *error)
{
    if (!m_dir) {
        if (error) {
            *error = QStringLiteral("sshd is not prepared");
        }
        return false;
    }
    QFile keys(m_dir->filePath(QStringLiteral("authorized_keys")));
    if (keys.open(QIODevice::ReadOnly) && keys.readAll().contains(line.trimmed().toUtf8())) {
        return true;
    }
    keys.close();
    const QByteArray bytes = line.trimmed().toUtf8() + '\n';
    if (!keys.open(QIODevice::Append) || keys.write(bytes) != bytes.size()) {
        if (error) {
            *error = QStringLiteral("cannot append to %1: %2").arg(keys.fileName(), keys.errorString());
        }
        return false;
    }
    return true;
}

void SshServer::pause()
{
    if (!isRunning() || isPaused()) {
        return;
    }
    // The listener first, so it forks no new session while its children are being stopped.
    const qint64 listener = m_sshd->processId();
    ::kill(static_cast<pid_t>(listener), SIGSTOP);
    m_paused << listener;
    for (qint64 pid : descendantsOf(listener)) {
        ::kill(static_cast<pid_t>(pid), SIGSTOP);
        m_paused << pid;
    }
}

void SshServer::resume()
{
    for (qint64 pid : std::as_const(m_paused)) {
        ::kill(static_cast<pid_t>(pid), SIGCONT);
    }
    m_paused.clear();
}

void SshServer::stop()
{
    if (!m_sshd) {
        return;
    }
    resume();
    // The listener is held still while its sessions are killed: a client that reconnects at once must not get
    // a new session that would outlive the listener.
    const bool running = isRunning();
    if (running) {
        ::kill(static_cast<pid_t>(m_sshd->processId()), SIGSTOP);
    }
    killClientSessions();
    if (m_sshd->state() != QProcess::NotRunning) {
        m_sshd->terminate();
        if (running) {
            ::kill(static_cast<pid_t>(m_sshd->processId()), SIGCONT); // it handles the SIGTERM before anything else
        }
        if (!m_sshd->waitForFinished(5000)) {
            m_sshd->kill();
            m_sshd->waitForFinished(2000);
        }
    }
    // A session accepted and forked while the listener was shutting down survives it: end it too, so a stopped
    // sshd never answers anyone (a flaky "link never went down" in tst_ssh_link came from such a session).
    for (qint64 pid : processesServingPort(m_port)) {
        ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
    m_log += m_sshd->readAllStandardError();
    m_sshd.reset();
}

void SshServer::setSessionEnv(const QString &name, const QString &value)
{
    if (value.isEmpty()) {
        m_sessionEnv.remove(name);
    } else {
        m_sessionEnv.insert(name, value);
    }
}

QList<qint64> SshServer::sessionProcesses() const
{
    return isRunning() ? descendantsOf(m_sshd->processId()) : QList<qint64>{};
}

void SshServer::killClientSessions()
{
    if (!isRunning()) {
        return;
    }
    const qint64 listener = m_sshd->processId();
    QList<qint64> killed;
    // New children may appear while we kill (a session forking); a few rounds catch them.
    for (int round = 0; round < 5; ++round) {
        const QList<qint64> pids = descendantsOf(listener);
        if (pids.isEmpty()) {
            break;
        }
        for (qint64 pid : pids) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            killed << pid;
        }
    }
    const QDeadlineTimer deadline(3000);
    for (qint64 pid : std::as_const(killed)) {
        while (isAlive(pid) && !deadline.hasExpired()) {
            QThread::msleep(5);
        }
    }
}

bool SshServer::prepare(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-sshd-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    // sshd reads authorized_keys as the test user: it must be able to get there.
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                             QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::ExeOther);
    // The privilege separation directory sshd insists on.
    if (!QFileInfo::exists(QStringLiteral("/run/sshd"))) {
        ::mkdir("/run/sshd", 0755);
    }
    if (!ensureUser(error) || !generateHostKey(error)) {
        return false;
    }

    m_keyPassphrase = randomToken(20);
    QByteArray authorized;
    for (const QString &type : kKeyTypes) {
        QStringList args = {QStringLiteral("-q"),
                            QStringLiteral("-f"),
                            keyPath(type),
                            QStringLiteral("-C"),
                            QStringLiteral("gpudeck-test-%1").arg(type),
                            QStringLiteral("-N"),
                            type == QLatin1String("ed25519-passphrase") ? m_keyPassphrase : QString()};
        if (type == QLatin1String("rsa")) {
            args << QStringLiteral("-t") << QStringLiteral("rsa") << QStringLiteral("-b") << QStringLiteral("2048");
        } else if (type == QLatin1String("ecdsa")) {
            args << QStringLiteral("-t") << QStringLiteral("ecdsa") << QStringLiteral("-b") << QStringLiteral("256");
        } else {
            args << QStringLiteral("-t") << QStringLiteral("ed25519");
        }
        const ToolResult keygen = runTool(QStringLiteral("ssh-keygen"), args);
        if (!keygen.ok()) {
            return fail(keygen.describe(QStringLiteral("ssh-keygen (%1 client key)").arg(type)));
        }
        if (type == QLatin1String("stranger")) {
            continue;
        }
        QFile pub(keyPath(type) + QStringLiteral(".pub"));
        if (!pub.open(QIODevice::ReadOnly)) {
            return fail(QStringLiteral("cannot read %1: %2").arg(pub.fileName(), pub.errorString()));
        }
        authorized += pub.readAll();
    }
    QFile keys(m_dir->filePath(QStringLiteral("authorized_keys")));
    if (!keys.open(QIODevice::WriteOnly | QIODevice::Truncate) || keys.write(authorized) != authorized.size()) {
        return fail(QStringLiteral("cannot write %1: %2").arg(keys.fileName(), keys.errorString()));
    }
    keys.close();
    keys.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                        QFileDevice::ReadOther);
    m_prepared = true;
    return true;
}

bool SshServer::ensureUser(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    const QByteArray name = testUserName().toLocal8Bit();
    UserLock lock;
    bool created = false;
    if (!::getpwnam(name.constData())) {
        const ToolResult add = runTool(QStringLiteral("useradd"), {QStringLiteral("-m"), QStringLiteral("-s"),
                                                                   QStringLiteral("/bin/sh"), testUserName()});
        if (!::getpwnam(name.constData())) {
            return fail(add.describe(QStringLiteral("useradd %1").arg(testUserName())));
        }
        created = true;
    }
    const passwd *pw = ::getpwnam(name.constData());
    if (QString::fromLocal8Bit(pw->pw_shell) != QLatin1String("/bin/sh")) {
        const ToolResult mod =
            runTool(QStringLiteral("usermod"), {QStringLiteral("-s"), QStringLiteral("/bin/sh"), testUserName()});
        if (!mod.ok()) {
            return fail(mod.describe(QStringLiteral("usermod -s /bin/sh %1").arg(testUserName())));
        }
        pw = ::getpwnam(name.constData());
    }
    m_homeDir = QString::fromLocal8Bit(pw->pw_dir);
    if (!QFileInfo::exists(m_homeDir)) {
        QDir().mkpath(m_homeDir);
        if (::chown(m_homeDir.toLocal8Bit().constData(), pw->pw_uid, pw->pw_gid) != 0) {
            return fail(QStringLiteral("cannot give %1 to %2").arg(m_homeDir, testUserName()));
        }
    }

    QFile stored(kPasswordFile);
    if (!created && stored.open(QIODevice::ReadOnly)) {
        m_password = QString::fromUtf8(stored.readAll()).trimmed();
        stored.close();
    }
    if (m_password.isEmpty()) {
        m_password = randomToken(24);
        const ToolResult chpasswd =
            runTool(QStringLiteral("chpasswd"), {}, QStringLiteral("%1:%2\n").arg(testUserName(), m_password).toUtf8());
        if (!chpasswd.ok()) {
            return fail(chpasswd.describe(QStringLiteral("chpasswd")));
        }
        QFile::remove(kPasswordFile);
        QFile out(kPasswordFile);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            out.write(m_password.toUtf8()) < 0) {
            return fail(QStringLiteral("cannot write %1: %2").arg(kPasswordFile, out.errorString()));
        }
    }
    return true;
}

bool SshServer::generateHostKey(QString *error)
{
    const QString key = m_dir->filePath(QStringLiteral("ssh_host_ed25519_key"));
    QFile::remove(key);
    QFile::remove(key + QStringLiteral(".pub"));
    const ToolResult keygen =
        runTool(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"), QString(),
                 QStringLiteral("-C"), QStringLiteral("gpudeck-test-host"), QStringLiteral("-f"), key});
    if (!keygen.ok()) {
        if (error) {
            *error = keygen.describe(QStringLiteral("ssh-keygen (host key)"));
        }
        return false;
    }
    const ToolResult fingerprint =
        runTool(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"),
                                               QStringLiteral("-f"), key + QStringLiteral(".pub")});
    QFile pub(key + QStringLiteral(".pub"));
    if (!fingerprint.ok() || !pub.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = fingerprint.describe(QStringLiteral("ssh-keygen -l (host key)"));
        }
        return false;
    }
    // "256 SHA256:... comment (ED25519)"
    m_hostKeyFingerprint = QString::fromUtf8(fingerprint.out).section(QLatin1Char(' '), 1, 1);
    m_hostPublicKey = QString::fromUtf8(pub.readAll()).trimmed().section(QLatin1Char(' '), 0, 1);
    return true;
}

bool SshServer::writeConfig(QString *error)
{
    const QString config =
        QStringLiteral("ListenAddress %1\n"
                       "Port %2\n"
                       "HostKey %3\n"
                       "PidFile %4\n"
                       "AuthorizedKeysFile %5\n"
                       "StrictModes no\n"
                       "UsePAM no\n"
                       "PubkeyAuthentication yes\n"
                       "PasswordAuthentication yes\n"
                       "KbdInteractiveAuthentication no\n"
                       "PermitRootLogin yes\n"
                       "MaxSessions 100\n"
                       "MaxStartups 100:30:200\n"
                       "MaxAuthTries 20\n"
                       "LoginGraceTime 30\n"
                       "LogLevel ERROR\n"
                       "Subsystem sftp internal-sftp\n"
                       "PrintMotd no\n"
                       "PrintLastLog no\n"
                       "UseDNS no\n"
                       "X11Forwarding no\n"
                       "PermitUserEnvironment no\n"
                       // No AcceptEnv line: sshd accepts no client environment variables by default.
                       )
            .arg(host())
            .arg(m_port)
            .arg(m_dir->filePath(QStringLiteral("ssh_host_ed25519_key")), m_dir->filePath(QStringLiteral("sshd.pid")),
                 m_dir->filePath(QStringLiteral("authorized_keys")));
    // All on one SetEnv line: sshd uses only the first SetEnv line of its config.
    QString setEnv;
    for (auto it = m_sessionEnv.cbegin(); it != m_sessionEnv.cend(); ++it) {
        // Quoted, so a value may hold spaces; sshd_config has no escape for a double quote.
        setEnv += QStringLiteral(" \"%1=%2\"").arg(it.key(), QString(it.value()).remove(QLatin1Char('"')));
    }
    if (!setEnv.isEmpty()) {
        setEnv = QStringLiteral("SetEnv") + setEnv + QLatin1Char('\n');
    }
    if (!m_rekeyLimit.isEmpty()) {
        setEnv += QStringLiteral("RekeyLimit %1\n").arg(m_rekeyLimit);
    }
    QFile file(m_dir->filePath(QStringLiteral("sshd_config")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write((config + setEnv).toUtf8()) < 0) {
        if (error) {
            *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        }
        return false;
    }
    return true;
}

bool SshServer::launch(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        if (m_sshd) {
            m_sshd->kill();
            m_sshd->waitForFinished(2000);
            m_log += m_sshd->readAllStandardError();
            m_sshd.reset();
        }
        return false;
    };
    m_sshd = std::make_unique<QProcess>();
    m_sshd->setProcessChannelMode(QProcess::SeparateChannels);
    m_sshd->setStandardOutputFile(QProcess::nullDevice());
    m_sshd->start(kSshd, {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                          m_dir->filePath(QStringLiteral("sshd_config"))});
    if (!m_sshd->waitForStarted(5000)) {
        return fail(QStringLiteral("cannot start %1: %2").arg(kSshd, m_sshd->errorString()));
    }
    // Ready when it answers with its banner on the port (and the answer is really from our sshd).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_sshd->state() != QProcess::Running) {
            m_sshd->waitForFinished(1000);
            const QString log = QString::fromLocal8Bit(m_sshd->readAllStandardError()).trimmed();
            return fail(QStringLiteral("sshd exited at start (exit code %1): %2").arg(m_sshd->exitCode()).arg(log));
        }
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(200) && probe.waitForReadyRead(1000) && probe.readLine().startsWith("SSH-2.0-")) {
            probe.abort();
            // The answer came from a child of our sshd, or another process holds the port.
            QThread::msleep(20);
            if (m_sshd->state() == QProcess::Running) {
                return true;
            }
            continue;
        }
        QThread::msleep(20);
    }
    return fail(QStringLiteral("sshd did not answer on %1:%2 within 10 s: %3")
                    .arg(host())
                    .arg(m_port)
                    .arg(QString::fromLocal8Bit(m_sshd->readAllStandardError()).trimmed()));
}

// ---------------------------------------------------------------------------------------------------------

SshAgent::SshAgent() = default;

SshAgent::~SshAgent()
{
    stop();
}

QString SshAgent::socketPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("agent.sock")) : QString();
}

bool SshAgent::start(QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) {
            *error = why;
        }
        stop();
        return false;
    };
    if (m_agent && m_agent->state() == QProcess::Running) {
        return true;
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/gpudeck-agent-XXXXXX"));
    if (!m_dir->isValid()) {
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    }
    m_agent = std::make_unique<QProcess>();
    m_agent->setProcessChannelMode(QProcess::MergedChannels);
    m_agent->start(QStringLiteral("ssh-agent"), {QStringLiteral("-D"), QStringLiteral("-a"), socketPath()});
    if (!m_agent->waitForStarted(5000)) {
        return fail(QStringLiteral("cannot start ssh-agent: %1").arg(m_agent->errorString()));
    }
    const QDeadlineTimer deadline(5000);
    while (!QFileInfo::exists(socketPath())) {
        if (m_agent->state() != QProcess::Running || deadline.hasExpired()) {
            return fail(QStringLiteral("ssh-agent did not create its socket: %1")
                            .arg(QString::fromLocal8Bit(m_agent->readAll()).trimmed()));
        }
        QThread::msleep(10);
    }
    return true;
}

void SshAgent::stop()
{
    if (m_agent) {
        if (m_agent->state() != QProcess::NotRunning) {
            m_agent->terminate();
            if (!m_agent->waitForFinished(3000)) {
                m_agent->kill();
                m_agent->waitForFinished(2000);
            }
        }
        m_agent.reset();
    }
    m_dir.reset();
}

bool SshAgent::add(const QString &keyPath, const QString &passphrase, QString *error)
{
    if (!m_agent || m_agent->state() != QProcess::Running) {
        if (error) {
            *error = QStringLiteral("the agent is not running");
        }
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SSH_AUTH_SOCK"), socketPath());
    const QString secretFile = m_dir->filePath(QStringLiteral("askpass.secret"));
    const QString script = m_dir->filePath(QStringLiteral("askpass.sh"));
    if (!passphrase.isEmpty()) {
        QFile secret(secretFile);
        QFile askpass(script);
        if (!secret.open(QIODevice::WriteOnly | QIODevice::Truncate,
                         QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            secret.write(passphrase.toUtf8() + '\n') < 0 ||
            !askpass.open(QIODevice::WriteOnly | QIODevice::Truncate,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)
            // Answers once: ssh-add asks again after a wrong passphrase, and an empty answer makes it give up.
            || askpass.write(QStringLiteral("#!/bin/sh\n[ -e '%1.used' ] && exit 1\n: > '%1.used'\ncat '%1'\n")
                                 .arg(secretFile)
                                 .toUtf8()) < 0) {
            if (error) {
                *error = QStringLiteral("cannot write the askpass helper");
            }
            return false;
        }
        env.insert(QStringLiteral("SSH_ASKPASS"), script);
        env.insert(QStringLiteral("SSH_ASKPASS_REQUIRE"), QStringLiteral("force"));
        env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":0"));
    }
    const ToolResult added = runTool(QStringLiteral("ssh-add"), {keyPath}, {}, 15000, env);
    QFile::remove(secretFile);
    QFile::remove(secretFile + QStringLiteral(".used"));
    QFile::remove(script);
    if (!added.ok()) {
        if (error) {
            *error = added.describe(QStringLiteral("ssh-add %1").arg(keyPath));
        }
        return false;
    }
    return true;
}

} // namespace gpudeck::test
