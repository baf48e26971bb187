#include "sync/SyncPlan.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <sys/stat.h>
#include <unistd.h>

namespace gpudeck {

QString SyncEntry::kindName() const
{
    switch (kind) {
    case Kind::File:
        return QStringLiteral("file");
    case Kind::Link:
        return QStringLiteral("link");
    case Kind::Extra:
        return QStringLiteral("extra");
    }
    return {};
}

namespace syncplan {
namespace {

Error notGit(const QString &path, const QString &why)
{
    return Error::make(ErrorCode::Validation, QStringLiteral("not_a_git_work_tree"),
                       QStringLiteral("'%1' is not a git work tree: %2. Sync sends only the files git tracks; pick "
                                      "the repository's folder as the project's local_path")
                           .arg(path, why));
}

qint64 mtimeNs(const struct stat &st)
{
    return static_cast<qint64>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

} // namespace

Result<QStringList> trackedFiles(const QString &localPath)
{
    const QFileInfo info(localPath);
    if (!info.isDir()) {
        return notGit(localPath,
                      info.exists() ? QStringLiteral("it is not a folder") : QStringLiteral("it does not exist"));
    }
    QProcess git;
    git.setWorkingDirectory(localPath);
    // -c core.quotepath=off is moot with -z; GIT_OPTIONAL_LOCKS=0: a read must not take the index lock.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    git.setProcessEnvironment(env);
    git.start(QStringLiteral("git"), {QStringLiteral("ls-files"), QStringLiteral("-z"), QStringLiteral("--cached"),
                                      QStringLiteral("--recurse-submodules")});
    if (!git.waitForStarted(10000)) {
        return Error::make(
            ErrorCode::Unavailable, QStringLiteral("git_missing"),
            QStringLiteral("cannot run git (%1): sync reads the file list from git").arg(git.errorString()));
    }
    if (!git.waitForFinished(120000)) {
        git.kill();
        git.waitForFinished(1000);
        return Error::make(ErrorCode::Timeout, QStringLiteral("timeout"),
                           QStringLiteral("git ls-files in '%1' did not finish within 120 s").arg(localPath));
    }
    if (git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0) {
        const QString err = QString::fromUtf8(git.readAllStandardError()).trimmed();
        return notGit(localPath, err.isEmpty() ? QStringLiteral("git ls-files failed") : err);
    }
    const QByteArray out = git.readAllStandardOutput();
    QStringList files;
    QSet<QString> seen; // a path in conflict is listed once per stage
    for (const QByteArray &raw : out.split('\0')) {
        if (raw.isEmpty()) {
            continue;
        }
        const QString path = QFile::decodeName(raw);
        if (!seen.contains(path)) {
            seen.insert(path);
            files.append(path);
        }
    }
    return files;
}

QString hashBytes(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
}

Result<QString> hashFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("local_read_failed"),
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    }
    QCryptographicHash h(QCryptographicHash::Sha1);
    if (!h.addData(&f)) {
        return Error::make(ErrorCode::Unavailable, QStringLiteral("local_read_failed"),
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    }
    return QString::fromLatin1(h.result().toHex());
}

QString sftpRoot(const QString &remotePath)
{
    QString p = remotePath.trimmed();
    if (p == QStringLiteral("~") || p == QStringLiteral("$HOME") || p.isEmpty()) {
        return {};
    }
    if (p.startsWith(QStringLiteral("~/"))) {
        p = p.mid(2);
    } else if (p.startsWith(QStringLiteral("$HOME/"))) {
        p = p.mid(6);
    }
    while (p.size() > 1 && p.endsWith(QLatin1Char('/'))) {
        p.chop(1);
    }
    return p;
}

Result<SyncPlan> make(const Project &project, const QHash<QString, ManifestEntry> &manifest, const QString &marker,
                      const QString &instanceId)
{
    if (project.localPath.isEmpty()) {
        return Error::make(ErrorCode::Validation, QStringLiteral("no_local_path"),
                           QStringLiteral("project '%1' has no local_path: set the local git work tree to sync from")
                               .arg(project.name));
    }
    const auto files = trackedFiles(project.localPath);
    if (!files.ok()) {
        return files.error();
    }
    SyncPlan plan;
    plan.remoteRoot = sftpRoot(project.remotePath);
    plan.markerName = QStringLiteral(".gpudeck-sync-%1").arg(instanceId);
    plan.marker = marker;
    const QDir base(project.localPath);
    QSet<QString> current;

    auto decide = [&](SyncEntry &e) {
        const auto it = manifest.constFind(e.path);
        if (it == manifest.constEnd()) {
            e.send = true;
            return;
        }
        const ManifestEntry &m = *it;
        e.remoteMtime = m.remoteMtime;
        if (m.kind != e.kindName() || m.mode != e.mode || m.size != e.size || m.hash.isEmpty()) {
            e.send = true;
            return;
        }
        if (e.kind == SyncEntry::Kind::Link) {
            e.hash = hashBytes(e.linkTarget);
            e.send = e.hash != m.hash;
            return;
        }
        if (m.mtimeNs == e.mtimeNs) {
            e.hash = m.hash; // same size, same mtime: unchanged, without reading it
            return;
        }
        // Touched (a checkout, an editor's save of the same bytes): the content decides.
        const auto h = hashFile(e.localFile);
        if (!h.ok()) {
            e.send = true;
            return;
        }
        e.hash = h.value();
        e.send = e.hash != m.hash;
        e.touched = !e.send;
    };

    for (const QString &path : files.value()) {
        SyncEntry e;
        e.path = path;
        e.localFile = base.filePath(path);
        struct stat st
        {
        };
        if (::lstat(QFile::encodeName(e.localFile).constData(), &st) != 0) {
            continue; // deleted in the work tree but still in the index: not there to send
        }
        if (S_ISLNK(st.st_mode)) {
            e.kind = SyncEntry::Kind::Link;
            QByteArray target(4096, Qt::Uninitialized);
            const ssize_t n = ::readlink(QFile::encodeName(e.localFile).constData(), target.data(),
                                         static_cast<size_t>(target.size()));
            if (n < 0) {
                continue;
            }
            target.truncate(n);
            e.linkTarget = target;
            e.size = n;
            e.mode = 0777;
        } else if (S_ISREG(st.st_mode)) {
            e.size = st.st_size;
            e.mode = static_cast<int>(st.st_mode & 07777);
        } else {
            continue; // a submodule that is not checked out (a folder), or something that is not a file
        }
        e.mtimeNs = mtimeNs(st);
        decide(e);
        current.insert(e.path);
        plan.entries.append(e);
    }

    for (const QString &name : project.extraFiles) {
        const QString local = QDir::isAbsolutePath(name) ? QDir::cleanPath(name) : QDir::cleanPath(base.filePath(name));
        const QString rel = base.relativeFilePath(local);
        const bool inside = !rel.startsWith(QStringLiteral("..")) && !QDir::isAbsolutePath(rel);
        SyncEntry e;
        e.kind = SyncEntry::Kind::Extra;
        e.path = inside ? rel : QFileInfo(local).fileName();
        e.localFile = local;
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(local).constData(), &st) != 0 || !S_ISREG(st.st_mode)) {
            Error missing = Error::make(ErrorCode::Validation, QStringLiteral("extra_file_missing"),
                                        QStringLiteral("the extra file %1 is missing or not a regular file; fix the "
                                                       "project's extra_files")
                                            .arg(name));
            missing.field = QStringLiteral("extra_files");
            return missing;
        }
        if (current.contains(e.path)) {
            Error conflict = Error::make(
                ErrorCode::Validation, QStringLiteral("extra_file_conflict"),
                QStringLiteral("the extra file %1 would land on %2, which git already tracks").arg(name, e.path));
            conflict.field = QStringLiteral("extra_files");
            return conflict;
        }
        e.size = st.st_size;
        e.mtimeNs = mtimeNs(st);
        e.mode = 0600;
        decide(e);
        current.insert(e.path);
        plan.entries.append(e);
    }

    for (auto it = manifest.constBegin(); it != manifest.constEnd(); ++it) {
        if (current.contains(it.key())) {
            continue;
        }
        if (it->kind == QStringLiteral("extra")) {
            plan.forgotExtras.append(it.key());
        } else {
            plan.deletions.append(it.key());
        }
    }
    std::sort(plan.deletions.begin(), plan.deletions.end());
    for (const SyncEntry &e : plan.entries) {
        if (e.send) {
            ++plan.toSend;
            plan.bytesToSend += e.size;
        }
    }
    return plan;
}

} // namespace syncplan
} // namespace gpudeck
