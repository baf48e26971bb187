#pragma once

// SshServer: a real OpenSSH sshd for tests, on a free random port of 127.0.0.1, with everything it needs in a
// temporary directory: its own sshd_config, a fresh ed25519 host key, an authorized_keys file, and client keys
// (unencrypted ed25519, passphrase-protected ed25519, RSA, ECDSA — all authorized — and a "stranger" ed25519
// key that is not). It logs in as the system user `gpudeck-test` (login shell /bin/sh, which starts fast),
// created when missing; that needs root, so without root the fixture is unavailable and says why.
//
// The test user's password is random. It is kept (root-only) in /run/gpudeck-test-user.password and reused
// while that file exists, because several test processes may share the user at the same time: a new password
// per fixture would break the others' password logins. A new user or a cleared /run gets a new password.
//
// SshAgent: an ssh-agent of its own (ssh-agent -D -a <temporary socket>) to which keys can be added,
// passphrase-protected ones through a throwaway SSH_ASKPASS script.

#include <QHash>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace gpudeck::test {

class SshServer
{
public:
    SshServer();
    ~SshServer(); // stops sshd and its sessions, removes the temporary directory
    SshServer(const SshServer &) = delete;
    SshServer &operator=(const SshServer &) = delete;

    // Creates the test user and keys (first time only) and starts sshd; false with the reason on failure.
    bool start(QString *error = nullptr);
    void stop(); // sshd and every session it serves
    // Stops and starts again on the same port; with newHostKey the host key is replaced first.
    bool restart(bool newHostKey = false, QString *error = nullptr);
    // Stops and starts again on another free port with a new host key (a RunPod pod after a restart).
    bool restartOnNewPort(QString *error = nullptr);
    // Appends an authorized_keys line (another client key sshd accepts from now on). Thread-safe: only the file.
    bool addAuthorizedKey(const QString &line, QString *error = nullptr);

    bool available() const { return m_unavailableReason.isEmpty(); }
    QString unavailableReason() const { return m_unavailableReason; }
    bool isRunning() const;
    qint64 pid() const; // the listening sshd's process id (0 when stopped): its sessions are its children

    quint16 port() const { return m_port; }
    QString host() const { return QStringLiteral("127.0.0.1"); }
    QString user() const;
    QString password() const { return m_password; }
    QString homeDir() const { return m_homeDir; } // the test user's home
    QString tempDir() const;                      // scratch space that lives as long as the fixture

    // "ed25519", "ed25519-passphrase", "rsa", "ecdsa", "stranger": the private key file (public: + ".pub").
    QString keyPath(const QString &type) const;
    QString keyPassphrase() const { return m_keyPassphrase; }

    QString hostKeyFingerprint() const { return m_hostKeyFingerprint; } // "SHA256:..." as ssh-keygen -l prints
    QString knownHostsLine() const;                                     // "[127.0.0.1]:PORT ssh-ed25519 AAAA..."

    // Kills every process serving a client connection (the per-connection sshd processes and the commands
    // they run) but not the listener: to the client it looks like a dropped connection.
    void killClientSessions();

    // Freezes sshd (SIGSTOP to the listener and every session process), as a host that hangs or a network that
    // silently drops everything looks to a client: TCP still accepts and acknowledges, nothing answers.
    // resume() sends SIGCONT to the same processes. stop() and the destructor resume first.
    void pause();
    void resume();
    bool isPaused() const { return !m_paused.isEmpty(); }

    QString serverLog() const; // what sshd wrote to stderr so far (LogLevel ERROR)

    // Environment for every session's commands, set by sshd itself (a `SetEnv` line in sshd_config, OpenSSH 7.8
    // and later; it wins over sshd's default PATH), e.g. setSessionEnv("PATH", fakeBin + ":/usr/bin:/bin") to
    // put a fake tool first on the host's PATH. Takes effect at the next start() or restart(); an empty value
    // removes the variable again.
    void setSessionEnv(const QString &name, const QString &value);
    // sshd's `RekeyLimit` (e.g. "16K": a new key exchange after every 16 KiB either way); empty for OpenSSH's
    // default. Takes effect at the next start() or restart().
    void setRekeyLimit(const QString &limit) { m_rekeyLimit = limit; }
    // The processes serving client connections right now (per-connection sshd processes and every command
    // they run), for a test to find or signal one of them.
    QList<qint64> sessionProcesses() const;

    static QString testUserName() { return QStringLiteral("gpudeck-test"); }

private:
    bool prepare(QString *error);
    bool ensureUser(QString *error);
    bool generateHostKey(QString *error);
    bool writeConfig(QString *error);
    bool launch(QString *error);

    QString m_unavailableReason;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sshd;
    mutable QByteArray m_log;
    bool m_prepared = false;
    quint16 m_port = 0;
    QString m_password;
    QString m_homeDir;
    QString m_keyPassphrase;
    QString m_hostKeyFingerprint;
    QString m_hostPublicKey; // "ssh-ed25519 AAAA..."
    QMap<QString, QString> m_sessionEnv;
    QString m_rekeyLimit;
    QList<qint64> m_paused; // the processes pause() stopped, listener first
};

class SshAgent
{
public:
    SshAgent();
    ~SshAgent(); // kills the agent
    SshAgent(const SshAgent &) = delete;
    SshAgent &operator=(const SshAgent &) = delete;

    bool start(QString *error = nullptr);
    void stop();
    QString socketPath() const; // for SSH_AUTH_SOCK
    // Adds a private key; a passphrase is handed to ssh-add through SSH_ASKPASS.
    bool add(const QString &keyPath, const QString &passphrase = {}, QString *error = nullptr);

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_agent;
};

} // namespace gpudeck::test
