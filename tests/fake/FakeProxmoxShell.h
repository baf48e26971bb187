#pragma once

// FakeProxmoxShell: installs the fake `pvesh` and `pvecm` (tests/fake/pvesh, tests/fake/pvecm, python3 scripts) with
// the documentation-shaped Proxmox VE output they print (tests/fixtures/proxmox, see its README) into a temporary
// directory the SSH test user can read, and a fake `sudo` (tests/fake/sudo-nopasswd): the test user is not root, so
// GPU Deck runs the tools through `sudo -n`, which the fake runs as the same user.
//
//   <root>/                     0755, a fresh temporary directory under /tmp
//     pvesh, pvecm, sudo-nopasswd   the scripts (0755)
//     fake-proxmox.conf         their configuration (key=value, read at every call)
//     calls.log                 every call, one line each (0666: the test user appends)
//     fixtures/                 the JSON and text they print
//     bin/pvesh, bin/pvecm, bin/sudo   symlinks: put bin/ first on the host's PATH
//
// The fixtures come from GPUDECK_PROXMOX_FIXTURES and the scripts from GPUDECK_FAKE_DIR (compile definitions).

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace gpudeck::test {

class FakeProxmoxShell
{
public:
    FakeProxmoxShell();
    ~FakeProxmoxShell();
    FakeProxmoxShell(const FakeProxmoxShell &) = delete;
    FakeProxmoxShell &operator=(const FakeProxmoxShell &) = delete;

    static QString fixturesRoot();               // tests/fixtures/proxmox in the source tree
    static QString fixture(const QString &name); // the content of one fixture file

    bool install(QString *error = nullptr);

    QString root() const;
    QString binDir() const;
    QString pathValue() const; // binDir() first, then the system's directories

    // Configuration for calls from now on.
    void setScenario(const QString &scenario); // "", "no-quorum", "standalone"
    void setTaskSeconds(double seconds);       // how long an action's task runs (default 0.5)
    void setTaskExit(const QString &exit);     // how tasks end ("OK", or the reason one failed)
    void setFail(const QString &mode);         // "", "garbage", "error", "hang"
    void setSudoNeedsPassword(bool needs);     // the fake sudo answers as sudo does when it wants a password
    void setOnPath(bool onPath);               // without: the host has no pvesh/pvecm (not a Proxmox VE node)

    QStringList calls() const; // "pvesh get /nodes --output-format json", ...
    void clearCalls();

private:
    bool writeConfig();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_scenario;
    double m_taskSeconds = 0.5;
    QString m_taskExit = QStringLiteral("OK");
    QString m_fail;
    bool m_sudoPassword = false;
};

} // namespace gpudeck::test
