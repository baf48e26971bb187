#pragma once

// Keyring: a private, unlocked Secret Service for tests. Starts gnome-keyring-daemon (secrets component only)
// on the current D-Bus session bus with its keyrings in a temporary directory, unlocked with a throwaway
// password, so QtKeychain has a real default collection to talk to; stops it and deletes everything at the end.
//
// It needs a session bus of its own: run the tests under `dbus-run-session -- ctest ...` (the README's test
// command does). Without DBUS_SESSION_BUS_ADDRESS, or when a Secret Service already runs on the bus (a desktop
// session — whose real keyring must not receive test secrets), it is unavailable and says why.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace gpudeck::test {

class Keyring
{
public:
    Keyring();
    ~Keyring();
    Keyring(const Keyring &) = delete;
    Keyring &operator=(const Keyring &) = delete;

    // Starts the daemon and waits until it owns org.freedesktop.secrets. False with the reason otherwise.
    bool start(QString *error = nullptr);
    void stop();

    bool available() const { return m_unavailableReason.isEmpty(); }
    QString unavailableReason() const { return m_unavailableReason; }
    bool isRunning() const;

private:
    QString m_unavailableReason;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_daemon;
};

} // namespace gpudeck::test
