// Benchmark for the project sync (issue 12): a generated git work tree of 1,000 tracked files / 90 MB (a realistic mix:
// many small sources, some medium data files, a few large ones, executables, symlinks, names with spaces; beside them
// untracked files, an ignored .venv and an ignored checkpoint, which neither side may send) synced to the loopback test
// sshd by GPU Deck (POST /api/dgx/projects/:id/sync's engine: SFTP on the connection's existing SSH session), side by
// side in the same run with `rsync -a --files-from=<(git ls-files)` over a fresh `ssh` to the same sshd.
//
// Each round, for both sides in alternating order: a first sync into an empty remote folder, then a no-change re-sync
// of the same tree to the same folder. Wall-clock time from the call to the end (GPU Deck: from the door's call to its
// summary; rsync: from the spawn of `bash -c 'rsync ...'` to its exit, so git ls-files and ssh's key exchange count,
// as they would for a user). After each first sync the remote copy is compared with the tracked files (every byte,
// every mode, every symlink) outside the timed part. Prints the figures and the targets; asserts nothing. Needs root
// (the sshd test fixture) and rsync.
//
//   sync_bench [--rounds 3] [--files 1000] [--mb 90] [--chunk-kb 64] [--in-flight 32] [--keep] [--tree DIR]
#include "BenchSupport.h"
#include "SshServer.h"
#include "TestCore.h"
#include "app/Core.h"
#include "secrets/MemorySecretStore.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/ProjectRepository.h"
#include "sync/SyncService.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace gpudeck;
using namespace gpudeck::bench;

namespace {

double cpuMs(int who)
{
    rusage u{};
    getrusage(who, &u);
    return (static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
            static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec)) /
           1000.0;
}

// ---------------------------------------------------------------------------------------------------------------------
// The work tree.

struct TreeStats
{
    int tracked = 0;
    qint64 trackedBytes = 0;
    int executables = 0;
    int symlinks = 0;
    int untracked = 0;
    qint64 ignoredBytes = 0;
};

class TreeGenerator
{
public:
    explicit TreeGenerator(QString root)
        : m_root(std::move(root))
        , m_rng(20261201)
    {
    }

    bool generate(int files, qint64 bytes, TreeStats *stats, QString *error)
    {
        // Directories a training repository has: a package with sub-packages, configs, scripts, tests, docs, notebooks
        // and a data folder with fixtures.
        const QStringList dirs = makeDirs();
        // File classes, by share of the count: sources and configs (small text), medium data (text and binary), a few
        // large binaries (sample data, small model files); the last few files take what is left of the byte budget.
        const int symlinks = 2;
        const int big = std::max(1, files / 100);
        const int regular = files - symlinks - big - 2; // and .gitignore, docs/index.md
        QList<Planned> plan;
        qint64 planned = 0;
        for (int i = 0; i < regular; ++i) {
            Planned p;
            const double r = unit();
            if (r < 0.70) {
                p.size = logUniform(200, 24 * 1024);
                p.text = true;
            } else if (r < 0.93) {
                p.size = logUniform(24 * 1024, 160 * 1024);
                p.text = unit() < 0.5;
            } else {
                p.size = logUniform(160 * 1024, 1536 * 1024);
                p.text = false;
            }
            p.dir = dirs.at(static_cast<qsizetype>(m_rng() % static_cast<quint64>(dirs.size())));
            p.name = fileName(i, p.text, p.size);
            p.exec = p.name.endsWith(QLatin1String(".sh")) || (p.text && unit() < 0.03);
            planned += p.size;
            plan.append(p);
        }
        const qint64 left = bytes - planned - 2048 - 64; // docs/index.md, .gitignore
        if (left < big * 512 * 1024) {
            *error = QStringLiteral("byte budget too small for %1 files").arg(files);
            return false;
        }
        for (int i = 0; i < big; ++i) {
            Planned p;
            p.size = i == big - 1 ? left - (left / big) * (big - 1) : left / big;
            p.dir = QStringLiteral("data/raw");
            p.name = QStringLiteral("shard-%1.bin").arg(i, 3, 10, QLatin1Char('0'));
            plan.append(p);
        }
        QDir().mkpath(m_root);
        for (const Planned &p : std::as_const(plan)) {
            QDir(m_root).mkpath(p.dir);
            const QString path = m_root + QLatin1Char('/') + p.dir + QLatin1Char('/') + p.name;
            if (!writeFile(path, p.size, p.text, error)) {
                return false;
            }
            if (p.exec) {
                ::chmod(QFile::encodeName(path).constData(), 0755);
                ++stats->executables;
            }
        }
        const QByteArray ignore = ".venv/\ncheckpoints/\n__pycache__/\n*.pyc\nwandb/\n";
        writeBytes(m_root + QStringLiteral("/.gitignore"), ignore);
        // Two tracked symlinks, as repositories have (a "latest" config, a README pointing into docs).
        QFile::link(QStringLiteral("configs"), m_root + QStringLiteral("/conf"));
        QFile::link(QStringLiteral("docs/index.md"), m_root + QStringLiteral("/README.md"));
        writeFile(m_root + QStringLiteral("/docs/index.md"), 2048, true, error);
        stats->symlinks = symlinks;
        // Not tracked: a virtualenv, a checkpoint, bytecode (ignored) and two untracked notes.
        stats->ignoredBytes += writeIgnored();
        writeFile(m_root + QStringLiteral("/scratch notes.txt"), 4000, true, error);
        writeFile(m_root + QStringLiteral("/src/trainer/todo.txt"), 1000, true, error);
        stats->untracked = 2;
        if (!git({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")}, error) ||
            !git({QStringLiteral("add"), QStringLiteral("-A"), QStringLiteral(".")}, error) ||
            !git({QStringLiteral("reset"), QStringLiteral("-q"), QStringLiteral("scratch notes.txt"),
                  QStringLiteral("src/trainer/todo.txt")},
                 error) ||
            !git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("bench tree")},
                 error)) {
            return false;
        }
        const QStringList listed = lsFiles(error);
        stats->tracked = static_cast<int>(listed.size());
        for (const QString &name : listed) {
            struct stat st
            {
            };
            if (::lstat(QFile::encodeName(m_root + QLatin1Char('/') + name).constData(), &st) == 0) {
                stats->trackedBytes += st.st_size;
            }
        }
        return true;
    }

    QStringList lsFiles(QString *error) const
    {
        QProcess p;
        p.setWorkingDirectory(m_root);
        p.start(QStringLiteral("git"), {QStringLiteral("ls-files"), QStringLiteral("-z")});
        p.waitForFinished(60000);
        if (p.exitCode() != 0) {
            *error = QString::fromUtf8(p.readAllStandardError());
            return {};
        }
        QStringList out;
        for (const QByteArray &name : p.readAllStandardOutput().split('\0')) {
            if (!name.isEmpty()) {
                out.append(QString::fromUtf8(name));
            }
        }
        return out;
    }

private:
    struct Planned
    {
        QString dir;
        QString name;
        qint64 size = 0;
        bool text = false;
        bool exec = false;
    };

    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_rng); }
    qint64 logUniform(double lo, double hi)
    {
        return static_cast<qint64>(std::exp(std::log(lo) + unit() * (std::log(hi) - std::log(lo))));
    }

    QStringList makeDirs()
    {
        QStringList dirs = {
            QStringLiteral("configs"),    QStringLiteral("configs/experiments"), QStringLiteral("scripts"),
            QStringLiteral("docs"),       QStringLiteral("docs/images"),         QStringLiteral("notebooks"),
            QStringLiteral("tests"),      QStringLiteral("tests/fixtures"),      QStringLiteral("data/samples"),
            QStringLiteral("data/vocab"), QStringLiteral("tools/eval kit")};
        const QStringList packages = {QStringLiteral("models"), QStringLiteral("data"), QStringLiteral("trainer"),
                                      QStringLiteral("utils"),  QStringLiteral("eval"), QStringLiteral("ops")};
        for (const QString &pkg : packages) {
            dirs.append(QStringLiteral("src/") + pkg);
            for (int i = 0; i < 4; ++i) {
                dirs.append(QStringLiteral("src/%1/sub%2").arg(pkg).arg(i));
            }
        }
        return dirs;
    }

    QString fileName(int i, bool text, qint64 size)
    {
        static const char *textExt[] = {".py", ".py", ".py", ".py", ".yaml", ".json", ".md", ".sh", ".txt", ".toml"};
        static const char *binExt[] = {".png", ".npy", ".bin", ".jpg", ".pt", ".parquet"};
        const char *ext = text ? textExt[m_rng() % 10] : binExt[m_rng() % 6];
        // A few names with spaces, as data folders exported from elsewhere have.
        const QString stem = i % 97 == 5 ? QStringLiteral("sample run %1").arg(i)
                                         : QStringLiteral("f%1").arg(i, 4, 10, QLatin1Char('0'));
        Q_UNUSED(size)
        return stem + QLatin1String(ext);
    }

    bool writeFile(const QString &path, qint64 size, bool text, QString *error)
    {
        QByteArray data;
        data.reserve(size);
        if (text) {
            static const char *words[] = {"def ",     "return ", "self.", "import ", "torch",  "tensor", "(x, y)",
                                          " = ",      "config",  "batch", "lr",      "\n    ", "\n",     "# ",
                                          "for i in", "range(",  "),",    "model",   "loss",   "step",   "0.001"};
            while (data.size() < size) {
                data.append(words[m_rng() % 21]);
                data.append(QByteArray::number(static_cast<qulonglong>(m_rng() % 1000)));
            }
            data.truncate(size);
        } else {
            data.resize(size);
            auto *out = reinterpret_cast<quint64 *>(data.data());
            const qint64 words = size / 8;
            for (qint64 i = 0; i < words; ++i) {
                out[i] = m_rng();
            }
            for (qint64 i = words * 8; i < size; ++i) {
                data[i] = static_cast<char>(m_rng());
            }
        }
        if (!writeBytes(path, data)) {
            *error = QStringLiteral("cannot write ") + path;
            return false;
        }
        return true;
    }

    static bool writeBytes(const QString &path, const QByteArray &data)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
    }

    qint64 writeIgnored()
    {
        QString error;
        qint64 total = 0;
        for (int i = 0; i < 300; ++i) {
            const QString dir = m_root + QStringLiteral("/.venv/lib/python3.11/site-packages/pkg%1").arg(i % 30);
            QDir().mkpath(dir);
            const qint64 size = logUniform(500, 80 * 1024);
            writeFile(dir + QStringLiteral("/m%1.py").arg(i), size, true, &error);
            total += size;
        }
        QDir().mkpath(m_root + QStringLiteral("/checkpoints"));
        writeFile(m_root + QStringLiteral("/checkpoints/step-1000.pt"), 32 * 1024 * 1024, false, &error);
        total += 32 * 1024 * 1024;
        QDir().mkpath(m_root + QStringLiteral("/src/models/__pycache__"));
        writeFile(m_root + QStringLiteral("/src/models/__pycache__/a.cpython-311.pyc"), 9000, false, &error);
        return total + 9000;
    }

    bool git(const QStringList &args, QString *error) const
    {
        QProcess p;
        p.setWorkingDirectory(m_root);
        p.start(QStringLiteral("git"),
                QStringList{QStringLiteral("-c"), QStringLiteral("user.name=bench"), QStringLiteral("-c"),
                            QStringLiteral("user.email=bench@example.invalid"), QStringLiteral("-c"),
                            QStringLiteral("commit.gpgsign=false")} +
                    args);
        if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            *error = QStringLiteral("git %1: %2")
                         .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()));
            return false;
        }
        return true;
    }

    QString m_root;
    std::mt19937_64 m_rng;
};

// ---------------------------------------------------------------------------------------------------------------------
// Checking a remote copy (the sshd is on this machine: its user's home is a local folder).

QByteArray linkTarget(const QString &path)
{
    char buffer[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
    return n < 0 ? QByteArray() : QByteArray(buffer, n);
}

QString compareTree(const QString &local, const QString &remote, const QStringList &tracked)
{
    int checked = 0;
    for (const QString &name : tracked) {
        const QString a = local + QLatin1Char('/') + name;
        const QString b = remote + QLatin1Char('/') + name;
        struct stat sa
        {
        };
        struct stat sb
        {
        };
        if (::lstat(QFile::encodeName(a).constData(), &sa) != 0) {
            return QStringLiteral("local %1 missing").arg(name);
        }
        if (::lstat(QFile::encodeName(b).constData(), &sb) != 0) {
            return QStringLiteral("%1 missing on the remote").arg(name);
        }
        if (S_ISLNK(sa.st_mode)) {
            if (!S_ISLNK(sb.st_mode) || linkTarget(a) != linkTarget(b)) {
                return QStringLiteral("%1: symlink differs").arg(name);
            }
            ++checked;
            continue;
        }
        if ((sa.st_mode & 07777) != (sb.st_mode & 07777)) {
            return QStringLiteral("%1: mode %2 vs %3")
                .arg(name)
                .arg(sa.st_mode & 07777, 0, 8)
                .arg(sb.st_mode & 07777, 0, 8);
        }
        QFile fa(a);
        QFile fb(b);
        if (!fa.open(QIODevice::ReadOnly) || !fb.open(QIODevice::ReadOnly) || fa.readAll() != fb.readAll()) {
            return QStringLiteral("%1: content differs").arg(name);
        }
        ++checked;
    }
    // Nothing else: no untracked or ignored file, nothing left under a temporary name. GPU Deck's marker of the last
    // sync (.gpudeck-sync-<instance id>, in the remote folder itself) is expected and not counted.
    int found = 0;
    QDirIterator it(remote, QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isDir() && !info.isSymLink()) {
            continue;
        }
        if (info.path() == remote && info.fileName().startsWith(QLatin1String(".gpudeck-sync-"))) {
            continue;
        }
        ++found;
    }
    if (found != checked) {
        return QStringLiteral("%1 entries on the remote, %2 tracked").arg(found).arg(checked);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------------------------------
// The two sides.

struct Run
{
    double wallMs = 0;
    double cpuMs = 0; // the client side's CPU: GPU Deck's process, or rsync + ssh + git + bash
    qint64 bytesSent = -1;
    int filesSent = -1;
    QString error;
};

class RsyncSide
{
public:
    RsyncSide(const test::SshServer &sshd, QString tree, const QString &scratch)
        : m_tree(std::move(tree))
    {
        const QString knownHosts = scratch + QStringLiteral("/rsync_known_hosts");
        QFile f(knownHosts);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(sshd.knownHostsLine().toUtf8() + '\n');
        }
        m_ssh = QStringLiteral("ssh -F /dev/null -p %1 -i %2 -o IdentitiesOnly=yes -o BatchMode=yes "
                               "-o UserKnownHostsFile=%3 -o StrictHostKeyChecking=yes -o ControlPath=none")
                    .arg(sshd.port())
                    .arg(sshd.keyPath(QStringLiteral("ed25519")), knownHosts);
        m_target = sshd.user() + QLatin1Char('@') + sshd.host();
    }

    // `dest` relative to the remote user's home.
    Run sync(const QString &dest) const
    {
        const QString script = QStringLiteral("rsync -a --stats --files-from=<(git ls-files) -e '%1' . '%2:%3/'")
                                   .arg(m_ssh, m_target, dest);
        Run run;
        const double cpu0 = cpuMs(RUSAGE_CHILDREN);
        QElapsedTimer t;
        t.start();
        QProcess p;
        p.setWorkingDirectory(m_tree);
        p.start(QStringLiteral("bash"), {QStringLiteral("-c"), script});
        const bool finished = p.waitForFinished(600000);
        run.wallMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        run.cpuMs = cpuMs(RUSAGE_CHILDREN) - cpu0;
        const QByteArray out = p.readAllStandardOutput();
        if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            run.error = QStringLiteral("rsync failed (%1): %2")
                            .arg(p.exitCode())
                            .arg(QString::fromUtf8(p.readAllStandardError()));
            return run;
        }
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith("Number of regular files transferred:")) {
                run.filesSent = line.mid(line.indexOf(':') + 1).trimmed().replace(",", "").toInt();
            } else if (line.startsWith("Total transferred file size:")) {
                run.bytesSent =
                    line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).replace(",", "").toLongLong();
            }
        }
        return run;
    }

private:
    QString m_tree;
    QString m_ssh;
    QString m_target;
};

class GpuDeckSide
{
public:
    GpuDeckSide(Core &core, qint64 connectionId, QString tree)
        : m_core(core)
        , m_connectionId(connectionId)
        , m_tree(std::move(tree))
    {
    }

    // A new project per round (its remote folder empty), so the first sync of each round is a real first sync.
    Result<qint64> newProject(const QString &name, const QString &remotePath)
    {
        Project p;
        p.connectionId = m_connectionId;
        p.name = name;
        p.projectType = QStringLiteral("other");
        p.remotePath = remotePath;
        p.localPath = m_tree;
        const auto created = m_core.projects().create(p);
        if (!created.ok()) {
            return created.error();
        }
        return created->id;
    }

    Run sync(qint64 projectId)
    {
        Run run;
        const double cpu0 = cpuMs(RUSAGE_SELF);
        QElapsedTimer t;
        t.start();
        const auto started = m_core.sync().sync(projectId, m_options);
        if (!started.ok()) {
            run.error = started.error().message;
            return run;
        }
        QFuture<SyncProgress> done = started->done;
        QFutureWatcher<SyncProgress> watcher;
        QEventLoop loop;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(done);
        if (!done.isFinished()) {
            loop.exec();
        }
        run.wallMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        run.cpuMs = cpuMs(RUSAGE_SELF) - cpu0;
        const SyncProgress end = done.result();
        if (end.state != QLatin1String("completed")) {
            run.error = end.state + QStringLiteral(": ") + (end.error ? end.error->message : QString());
            return run;
        }
        run.filesSent = end.summary.sent;
        run.bytesSent = end.summary.bytesSent;
        return run;
    }

private:
public:
    void setOptions(const SyncOptions &options) { m_options = options; }

private:
    Core &m_core;
    SyncOptions m_options;
    qint64 m_connectionId;
    QString m_tree;
};

struct Series
{
    QList<double> wall;
    QList<double> cpu;
    void add(const Run &r)
    {
        wall.append(r.wallMs);
        cpu.append(r.cpuMs);
    }
    static double median(QList<double> v)
    {
        if (v.isEmpty()) {
            return 0;
        }
        std::sort(v.begin(), v.end());
        return v.size() % 2 ? v.at(v.size() / 2) : (v.at(v.size() / 2 - 1) + v.at(v.size() / 2)) / 2;
    }
};

void printRun(const char *side, const char *what, int round, const Run &r)
{
    if (!r.error.isEmpty()) {
        std::printf("  round %d  %-8s %-9s FAILED: %s\n", round, side, what, qPrintable(r.error));
        return;
    }
    std::printf("  round %d  %-8s %-9s %9.1f ms wall  %8.1f ms client CPU  %5d files  %6.1f MB sent\n", round, side,
                what, r.wallMs, r.cpuMs, r.filesSent, static_cast<double>(std::max<qint64>(r.bytesSent, 0)) / 1e6);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int rounds = intArg(args, QStringLiteral("--rounds"), 3);
    const int files = intArg(args, QStringLiteral("--files"), 1000);
    const qint64 bytes = static_cast<qint64>(intArg(args, QStringLiteral("--mb"), 90)) * 1000 * 1000;
    const bool keep = args.contains(QStringLiteral("--keep"));

    if (QStandardPaths::findExecutable(QStringLiteral("rsync")).isEmpty()) {
        std::fprintf(stderr, "sync_bench: rsync is not installed (installer/debian-deps.sh installs it)\n");
        return 2;
    }
    test::SshServer sshd;
    QString error;
    if (!sshd.available() || !sshd.start(&error)) {
        std::fprintf(stderr, "sync_bench: sshd: %s %s\n", qPrintable(sshd.unavailableReason()), qPrintable(error));
        return 2;
    }
    QTemporaryDir scratch;
    scratch.setAutoRemove(!keep);
    // --tree DIR: reuse a tree a --keep run left (profiling without paying the generation each time).
    const qsizetype treeArg = args.indexOf(QStringLiteral("--tree"));
    const QString tree = treeArg >= 0 ? args.value(treeArg + 1) : scratch.filePath(QStringLiteral("repo"));

    QElapsedTimer genClock;
    genClock.start();
    TreeGenerator generator(tree);
    if (treeArg < 0) {
        TreeStats stats;
        if (!generator.generate(files, bytes, &stats, &error)) {
            std::fprintf(stderr, "sync_bench: generating the tree: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("Sync benchmark: a git work tree of %d tracked files, %.1f MB (%d executable, %d symlinks), beside "
                    "%d untracked files and %.1f MB ignored (.venv, a checkpoint); generated in %.1f s\n",
                    stats.tracked, static_cast<double>(stats.trackedBytes) / 1e6, stats.executables, stats.symlinks,
                    stats.untracked, static_cast<double>(stats.ignoredBytes) / 1e6,
                    static_cast<double>(genClock.elapsed()) / 1000.0);
    }
    const QStringList tracked = generator.lsFiles(&error);
    if (tracked.isEmpty()) {
        std::fprintf(stderr, "sync_bench: no tracked files in %s %s\n", qPrintable(tree), qPrintable(error));
        return 1;
    }
    if (treeArg >= 0) {
        std::printf("Sync benchmark: the git work tree %s, %lld tracked files\n", qPrintable(tree),
                    static_cast<long long>(tracked.size()));
    }
    std::printf("Loopback OpenSSH sshd on port %u; load average %s at start; %d rounds, sides alternating first\n",
                sshd.port(), qPrintable(loadAverage()), rounds);
    if (keep) {
        std::printf("Kept: the tree in %s, the remote copies in %s\n", qPrintable(tree), qPrintable(sshd.homeDir()));
    }
    std::printf("\n");

    // GPU Deck: a core in this process with one connection to the sshd, connected once (its session is reused by
    // every sync, as in the app).
    test::TestCore tc(false, std::make_unique<MemorySecretStore>());
    Connection c;
    c.name = QStringLiteral("bench");
    c.hostname = sshd.host();
    c.port = sshd.port();
    c.username = sshd.user();
    c.authMethod = QStringLiteral("key");
    c.sshKeyPath = sshd.keyPath(QStringLiteral("ed25519"));
    const auto created = tc.core().connections().create(c);
    if (!created.ok()) {
        std::fprintf(stderr, "sync_bench: connection: %s\n", qPrintable(created.error().message));
        return 1;
    }
    QFuture<Status> connecting = tc.core().ssh().connectTo(created.value(), sshd.hostKeyFingerprint());
    {
        QFutureWatcher<Status> w;
        QEventLoop loop;
        QObject::connect(&w, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        w.setFuture(connecting);
        if (!connecting.isFinished()) {
            loop.exec();
        }
    }
    if (!connecting.result().ok()) {
        std::fprintf(stderr, "sync_bench: connect: %s\n", qPrintable(connecting.result().error().message));
        return 1;
    }

    RsyncSide rsync(sshd, tree, scratch.path());
    GpuDeckSide gpudeck(tc.core(), created->id, tree);
    SyncOptions options;
    options.chunkBytes = intArg(args, QStringLiteral("--chunk-kb"), options.chunkBytes / 1024) * 1024;
    options.filesInFlight = intArg(args, QStringLiteral("--in-flight"), options.filesInFlight);
    gpudeck.setOptions(options);
    const QString home = sshd.homeDir();
    Series gdFirst;
    Series gdAgain;
    Series rsFirst;
    Series rsAgain;
    bool ok = true;
    for (int round = 1; round <= rounds && ok; ++round) {
        const QString gdDir = QStringLiteral("sync-bench-gpudeck-%1").arg(round);
        const QString rsDir = QStringLiteral("sync-bench-rsync-%1").arg(round);
        QDir(home + QLatin1Char('/') + gdDir).removeRecursively();
        QDir(home + QLatin1Char('/') + rsDir).removeRecursively();
        const auto project = gpudeck.newProject(QStringLiteral("bench-%1").arg(round), home + QLatin1Char('/') + gdDir);
        if (!project.ok()) {
            std::fprintf(stderr, "sync_bench: project: %s\n", qPrintable(project.error().message));
            return 1;
        }
        const bool rsyncFirst = round % 2 == 0;
        auto runGpuDeck = [&] {
            const Run first = gpudeck.sync(project.value());
            printRun("GPU Deck", "first", round, first);
            const QString diff =
                first.error.isEmpty() ? compareTree(tree, home + QLatin1Char('/') + gdDir, tracked) : QString();
            if (!first.error.isEmpty() || !diff.isEmpty()) {
                if (!diff.isEmpty()) {
                    std::printf("  GPU Deck's copy differs: %s\n", qPrintable(diff));
                }
                ok = false;
                return;
            }
            gdFirst.add(first);
            const Run again = gpudeck.sync(project.value());
            printRun("GPU Deck", "no-change", round, again);
            ok = ok && again.error.isEmpty();
            gdAgain.add(again);
        };
        auto runRsync = [&] {
            const Run first = rsync.sync(rsDir);
            printRun("rsync", "first", round, first);
            const QString diff =
                first.error.isEmpty() ? compareTree(tree, home + QLatin1Char('/') + rsDir, tracked) : QString();
            if (!first.error.isEmpty() || !diff.isEmpty()) {
                if (!diff.isEmpty()) {
                    std::printf("  rsync's copy differs: %s\n", qPrintable(diff));
                }
                ok = false;
                return;
            }
            rsFirst.add(first);
            const Run again = rsync.sync(rsDir);
            printRun("rsync", "no-change", round, again);
            ok = ok && again.error.isEmpty();
            rsAgain.add(again);
        };
        if (rsyncFirst) {
            runRsync();
            runGpuDeck();
        } else {
            runGpuDeck();
            runRsync();
        }
        if (!keep) {
            QDir(home + QLatin1Char('/') + gdDir).removeRecursively();
            QDir(home + QLatin1Char('/') + rsDir).removeRecursively();
        }
    }
    if (!ok || gdFirst.wall.isEmpty() || rsFirst.wall.isEmpty()) {
        std::printf("\nsync_bench: a run failed; no summary\n");
        return 1;
    }

    const double gf = Series::median(gdFirst.wall);
    const double rf = Series::median(rsFirst.wall);
    const double ga = Series::median(gdAgain.wall);
    const double ra = Series::median(rsAgain.wall);
    std::printf("\nMedians over %lld rounds (load average %s at the end)\n",
                static_cast<long long>(gdFirst.wall.size()), qPrintable(loadAverage()));
    std::printf("  %-22s %12s %12s %10s\n", "", "GPU Deck", "rsync", "ratio");
    std::printf("  %-22s %9.1f ms %9.1f ms %9.2fx\n", "first sync (wall)", gf, rf, gf / rf);
    std::printf("  %-22s %9.1f ms %9.1f ms %9.2fx\n", "first sync (client CPU)", Series::median(gdFirst.cpu),
                Series::median(rsFirst.cpu), Series::median(gdFirst.cpu) / Series::median(rsFirst.cpu));
    std::printf("  %-22s %9.1f ms %9.1f ms %9.2fx\n", "no-change re-sync", ga, ra, ga / ra);
    std::printf("  %-22s %9.1f ms %9.1f ms %9.2fx\n", "no-change (client CPU)", Series::median(gdAgain.cpu),
                Series::median(rsAgain.cpu), Series::median(gdAgain.cpu) / Series::median(rsAgain.cpu));
    std::printf("\nTargets\n");
    std::printf("  first sync <= 1.5x rsync's time:         %.2fx  %s\n", gf / rf, gf <= 1.5 * rf ? "met" : "MISSED");
    std::printf("  no-change re-sync < 300 ms:              %.1f ms  %s\n", ga, ga < 300 ? "met" : "MISSED");
    std::printf("  no-change re-sync faster than rsync's:   %.1f vs %.1f ms  %s\n", ga, ra, ga < ra ? "met" : "MISSED");
    return 0;
}
