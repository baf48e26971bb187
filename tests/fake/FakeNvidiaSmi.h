#pragma once

// FakeNvidiaSmi: installs the replaying fake `nvidia-smi` (tests/fake/nvidia-smi, a python3 script) with a copy of
// the recorded fixture it replays into a temporary directory the SSH test user can read, and drives it: the number
// of GPUs, GB10 (unified memory) mode, failure modes, and the replayed temperature of running loops.
//
//   <root>/                     0755, a fresh temporary directory under /tmp
//     nvidia-smi                the script (0755)
//     fake-nvidia-smi.conf      its configuration (key=value, read when it starts)
//     control                   re-read by a running loop on every tick (temperature, fail)
//     fixtures/                 loop.csv, compute-apps.csv, help-query-gpu.txt, ... (0644)
//     bin/nvidia-smi            a symlink to ../nvidia-smi: put bin/ first on the host's PATH
//
//     nvidia-smi-replay         the compiled replayer, after useCompiledReplayer() (bin/nvidia-smi then points at it)
//
// The fixtures come from GPUDECK_FIXTURES (the repository's tests/fixtures/nvidia-smi, a compile definition)
// and the script from GPUDECK_FAKE_NVIDIA_SMI.

#include <QList>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace gpudeck::test {

class FakeNvidiaSmi
{
public:
    FakeNvidiaSmi();
    ~FakeNvidiaSmi();
    FakeNvidiaSmi(const FakeNvidiaSmi &) = delete;
    FakeNvidiaSmi &operator=(const FakeNvidiaSmi &) = delete;

    static QString fixturesRoot(); // tests/fixtures/nvidia-smi in the source tree
    static QString scriptSource(); // tests/fake/nvidia-smi in the source tree

    // Copies the script and `recording` (a folder of the fixtures root: "h100-driver580/load" or ".../idle").
    bool install(QString *error = nullptr, const QString &recording = QStringLiteral("h100-driver580/load"));

    QString root() const;
    QString binDir() const;     // holds `nvidia-smi` while onPath()
    QString scriptPath() const; // the installed script
    // A PATH for the host's sessions: binDir() first, then the system's directories.
    QString pathValue() const;

    // Configuration for processes started from now on (running loops keep theirs).
    void setGpus(int gpus);
    void setGb10(bool gb10);
    void setFail(const QString &mode); // "driver", "no_devices", "error"; empty: no failure
    void setTicks(int ticks);          // stop a loop after this many ticks (0: never)

    // The control file, seen by running loops at their next tick.
    void setTemperature(std::optional<double> celsius);
    void setControlFail(const QString &mode);

    // Whether bin/nvidia-smi exists: without it the host has no nvidia-smi on its PATH.
    void setOnPath(bool onPath);

    // Puts the compiled replayer (tests/fake/nvidia_smi_replay.cpp) first on the PATH instead of the script: it
    // answers GPU Deck's two usual commands without starting Python and hands everything else to the script. For
    // benchmarks with many hosts on one machine. False (and the script stays) when it cannot be installed.
    bool useCompiledReplayer(QString *error = nullptr);

    // Running `-lms` loops of this installation (found through /proc), and signalling them.
    QList<qint64> runningLoops() const;
    int signalLoops(int signal) const;
    static QString commandLine(qint64 pid);

private:
    bool writeConfig();
    bool writeControl();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_entry = QStringLiteral("nvidia-smi"); // what bin/nvidia-smi points at, in root()
    int m_gpus = 1;
    bool m_gb10 = false;
    QString m_fail;
    int m_ticks = 0;
    std::optional<double> m_temperature;
    QString m_controlFail;
};

} // namespace gpudeck::test
