#include "sync/PushTask.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSet>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gpudeck {
namespace {

// Bytes queued in the SFTP client beyond which nothing more is issued until the channel takes them, and bytes of
// file data issued per slice (then the worker serves its other channels before the next slice).
constexpr qint64 kQueueCap = 1 << 20;
constexpr qint64 kSliceBytes = 4 << 20;
constexpr int kMaxLstatsInFlight = 256;
constexpr int kMaxErrors = 50;

QString parentOf(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

// "a/b/c" → "a", "a/b"
QStringList ancestors(const QString &path)
{
    QStringList out;
    int from = 0;
    for (;;) {
        const int slash = path.indexOf(QLatin1Char('/'), from);
        if (slash < 0) {
            break;
        }
        out.append(path.left(slash));
        from = slash + 1;
    }
    return out;
}

} // namespace

PushTask::PushTask(std::shared_ptr<SyncOperation> op, SyncPlan plan, SyncOptions options)
    : m_op(std::move(op))
    , m_plan(std::move(plan))
    , m_options(options)
{
    m_promise.start();
    m_tmpPrefix = QByteArrayLiteral(".gpudeck-part-") +
                  QByteArray::number(QRandomGenerator::global()->generate64(), 36) + QByteArrayLiteral("-");
    m_options.chunkBytes = qBound(4096, m_options.chunkBytes, 255 * 1024);
    m_options.filesInFlight = qBound(1, m_options.filesInFlight, 256);
}

PushTask::~PushTask()
{
    for (auto &x : m_active) {
        closeFd(*x);
    }
    if (!m_finished) {
        m_outcome.error = Error::internal(QStringLiteral("the sync ended without an answer"));
        complete();
    }
}

QByteArray PushTask::remote(const QString &relative) const
{
    if (m_plan.remoteRoot.isEmpty()) {
        return QFile::encodeName(relative);
    }
    if (relative.isEmpty()) {
        return QFile::encodeName(m_plan.remoteRoot);
    }
    return QFile::encodeName(m_plan.remoteRoot == QStringLiteral("/")
                                 ? QLatin1Char('/') + relative
                                 : m_plan.remoteRoot + QLatin1Char('/') + relative);
}

QString PushTask::shown(const SyncEntry &e) const
{
    return e.isExtra() ? QStringLiteral("(an extra file)") : e.path;
}

void PushTask::addError(const QString &path, const QString &message)
{
    ++m_outcome.summary.failed;
    if (m_outcome.summary.errors.size() < kMaxErrors) {
        m_outcome.summary.errors.append({path, message});
    }
}

void PushTask::closeFd(Xfer &x)
{
    if (x.fd >= 0) {
        ::close(x.fd);
        x.fd = -1;
    }
}

void PushTask::complete()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_phase = Phase::Done;
    m_promise.addResult(m_outcome);
    m_promise.finish();
}

void PushTask::abort(const Error &error)
{
    for (auto &x : m_active) {
        closeFd(*x);
    }
    m_active.clear();
    if (error.code == ErrorCode::Cancelled && isCancelled()) {
        m_outcome.cancelled = true;
    } else {
        m_outcome.error = error;
    }
    complete();
}

void PushTask::begin(SftpClient &c)
{
    // The remote folder, component by component (answers ignored: most exist; a real problem shows at the first
    // file), then the marker the last sync left there.
    const QString root = m_plan.remoteRoot;
    if (!root.isEmpty() && root != QStringLiteral("/")) {
        const bool absolute = root.startsWith(QLatin1Char('/'));
        QStringList parts = ancestors(root);
        parts.append(root);
        for (const QString &p : parts) {
            if (p.isEmpty() || (absolute && p == QStringLiteral("/"))) {
                continue;
            }
            ++m_outstanding;
            c.mkdir(QFile::encodeName(p), 0755, [this](const SftpStatus &) { --m_outstanding; });
        }
    }
    ++m_outstanding;
    c.open(remote(m_plan.markerName), SftpClient::Read, {}, [this, &c](const Result<QByteArray> &handle) {
        --m_outstanding;
        if (!handle.ok()) {
            m_markerRead = true;
            return;
        }
        const QByteArray h = handle.value();
        ++m_outstanding;
        c.read(h, 0, 4096, [this](const Result<QByteArray> &data, bool) {
            --m_outstanding;
            if (data.ok()) {
                m_remoteMarker = QString::fromUtf8(data.value()).section(QLatin1Char('\n'), 0, 0).trimmed();
            }
            m_markerRead = true;
        });
        ++m_outstanding;
        c.close(h, [this](const SftpStatus &) { --m_outstanding; });
    });
}

bool PushTask::feed(SftpClient &c)
{
    if (m_finished) {
        return false;
    }
    if (isCancelled() && !m_cancelling) {
        cancelAll(c);
    }
    if (m_cancelling) {
        m_active.remove_if([](const auto &x) { return x->pending == 0; });
        if (m_outstanding == 0) {
            m_outcome.cancelled = true;
            complete();
        }
        return false;
    }
    if (m_phase == Phase::Marker) {
        if (!m_markerRead) {
            return false;
        }
        // Trust the manifest only when the host still has the marker of the sync it describes.
        m_verify = m_options.verify || m_plan.marker.isEmpty() || m_remoteMarker != m_plan.marker;
        m_outcome.summary.verified = m_verify;
        if (!m_verify) {
            m_outcome.marker = m_plan.marker;
        }
        if (m_verify) {
            startVerify(c);
        } else {
            startTransfer(c);
        }
    }
    if (m_phase == Phase::Verify) {
        while (m_verifyNext < m_verifyList.size() && m_outstanding < kMaxLstatsInFlight) {
            const int index = m_verifyList.at(m_verifyNext++);
            ++m_outstanding;
            c.lstat(remote(m_plan.entries.at(index).path), [this, index](const Result<SftpAttrs> &attrs) {
                --m_outstanding;
                SyncEntry &e = m_plan.entries[index];
                bool same = false;
                if (attrs.ok()) {
                    const SftpAttrs &a = attrs.value();
                    if (e.kind == SyncEntry::Kind::Link) {
                        same = a.isLink() && a.size.value_or(0) == static_cast<quint64>(e.linkTarget.size());
                    } else {
                        same = a.isRegular() && a.size.value_or(0) == static_cast<quint64>(e.size) &&
                               static_cast<qint64>(a.mtime.value_or(0)) == e.remoteMtime &&
                               static_cast<int>(a.permissions.value_or(0) & 07777) == e.mode;
                    }
                }
                if (!same) {
                    e.send = true;
                    // Not (or not as recorded) on the host: out of the manifest unless it is sent again now.
                    m_outcome.removed.append(e.path);
                }
            });
        }
        if (m_verifyNext < m_verifyList.size() || m_outstanding > 0) {
            return false;
        }
        startTransfer(c);
    }
    if (m_phase == Phase::Transfer) {
        qint64 budget = kSliceBytes;
        bool sliceUsed = false;
        while (m_sendNext < m_sendList.size() && static_cast<int>(m_active.size()) < m_options.filesInFlight &&
               c.queuedBytes() < kQueueCap) {
            startFile(c, m_sendList.at(m_sendNext++));
        }
        for (auto &x : m_active) {
            if (!feedData(c, *x, budget)) {
                sliceUsed = budget <= 0;
                break;
            }
        }
        m_active.remove_if([](const auto &x) { return x->done && x->pending == 0; });
        if (m_sendNext >= m_sendList.size() && m_active.empty()) {
            wrapUp(c);
        } else {
            return sliceUsed;
        }
    }
    if (m_phase == Phase::Wrapup && m_outstanding == 0) {
        complete();
    }
    return false;
}

void PushTask::startVerify(SftpClient &)
{
    m_phase = Phase::Verify;
    for (int i = 0; i < m_plan.entries.size(); ++i) {
        if (!m_plan.entries.at(i).send) {
            m_verifyList.append(i);
        }
    }
}

void PushTask::startTransfer(SftpClient &c)
{
    m_phase = Phase::Transfer;
    QSet<QString> present; // folders that hold files left as they are: they exist
    qint64 bytes = 0;
    for (int i = 0; i < m_plan.entries.size(); ++i) {
        const SyncEntry &e = m_plan.entries.at(i);
        if (e.send) {
            m_sendList.append(i);
            bytes += e.size;
        } else {
            m_outcome.summary.unchanged += 1;
            for (const QString &a : ancestors(e.path)) {
                present.insert(a);
            }
        }
    }
    {
        QMutexLocker lock(&m_op->mutex);
        m_op->progress.filesTotal = static_cast<int>(m_sendList.size());
        m_op->progress.bytesTotal = bytes;
    }
    // Deletions first: a file that became a folder's name must be gone before that folder is made.
    for (const QString &path : m_plan.deletions) {
        ++m_outstanding;
        c.remove(remote(path), [this, path](const SftpStatus &s) {
            --m_outstanding;
            if (s.ok() || s.code == SftpClient::kNoSuchFile) {
                ++m_outcome.summary.deleted;
                m_outcome.removed.append(path);
            } else {
                addError(path, SftpClient::statusError(s, QStringLiteral("cannot delete"), path).message);
            }
        });
    }
    QSet<QString> needed;
    for (int i : std::as_const(m_sendList)) {
        for (const QString &a : ancestors(m_plan.entries.at(i).path)) {
            if (!present.contains(a)) {
                needed.insert(a);
            }
        }
    }
    QStringList dirs(needed.begin(), needed.end());
    std::sort(dirs.begin(), dirs.end()); // a parent sorts before its children; the server answers in order
    for (const QString &d : std::as_const(dirs)) {
        ++m_outstanding;
        c.mkdir(remote(d), 0755, [this](const SftpStatus &) { --m_outstanding; });
    }
}

void PushTask::startFile(SftpClient &c, int index)
{
    const SyncEntry &e = m_plan.entries.at(index);
    auto owned = std::make_unique<Xfer>();
    Xfer &x = *owned;
    x.index = index;
    x.target = remote(e.path);
    const QString dir = parentOf(e.path);
    x.tmp = remote((dir.isEmpty() ? QString() : dir + QLatin1Char('/')) + QString::fromLatin1(m_tmpPrefix) +
                   QString::number(index));
    m_active.push_back(std::move(owned));
    m_op->setCurrent(shown(e));
    if (e.kind == SyncEntry::Kind::Link) {
        x.dataDone = true;
        x.done = true;
        x.pending += 2;
        m_outstanding += 2;
        c.symlink(e.linkTarget, x.tmp, [this, &x](const SftpStatus &s) {
            --m_outstanding;
            --x.pending;
            if (!s.ok()) {
                x.failed = true;
                addError(shown(m_plan.entries.at(x.index)),
                         SftpClient::statusError(s, QStringLiteral("cannot make the symlink"),
                                                 m_plan.entries.at(x.index).path)
                             .message);
            }
        });
        c.rename(x.tmp, x.target, [this, &x](const SftpStatus &s) {
            --m_outstanding;
            --x.pending;
            if (s.ok() && !x.failed) {
                succeed(x);
            } else if (!x.failed) {
                x.failed = true;
                addError(
                    m_plan.entries.at(x.index).path,
                    SftpClient::statusError(s, QStringLiteral("cannot put in place"), m_plan.entries.at(x.index).path)
                        .message);
            }
        });
        return;
    }
    x.fd = ::open(QFile::encodeName(e.localFile).constData(), O_RDONLY | O_CLOEXEC);
    if (x.fd < 0) {
        x.done = true;
        addError(shown(e), QStringLiteral("cannot read %1: %2").arg(shown(e), QString::fromLocal8Bit(strerror(errno))));
        return;
    }
    SftpAttrs attrs;
    attrs.permissions = static_cast<quint32>(e.mode);
    ++x.pending;
    ++m_outstanding;
    c.open(x.tmp, SftpClient::Write | SftpClient::Create | SftpClient::Truncate, attrs,
           [this, &x, &c](const Result<QByteArray> &handle) {
               --m_outstanding;
               --x.pending;
               const SyncEntry &entry = m_plan.entries.at(x.index);
               if (!handle.ok()) {
                   x.done = true;
                   closeFd(x);
                   addError(shown(entry), QStringLiteral("cannot create %1 on the host: %2")
                                              .arg(entry.isExtra() ? shown(entry) : QString::fromUtf8(x.tmp),
                                                   handle.error().message));
                   return;
               }
               x.handle = handle.value();
               if (m_cancelling) {
                   // A cancel came while it opened: nothing of it may stay.
                   x.done = true;
                   closeFd(x);
                   x.pending += 2;
                   m_outstanding += 2;
                   c.close(x.handle, [this, &x](const SftpStatus &) {
                       --m_outstanding;
                       --x.pending;
                   });
                   c.remove(x.tmp, [this, &x](const SftpStatus &) {
                       --m_outstanding;
                       --x.pending;
                   });
               }
           });
}

bool PushTask::feedData(SftpClient &c, Xfer &x, qint64 &budget)
{
    if (x.done || x.handle.isEmpty()) {
        // Still opening: later files may go ahead (their opens are in flight too), in order of their answers.
        return true;
    }
    const SyncEntry &e = m_plan.entries.at(x.index);
    const quint64 size = static_cast<quint64>(e.size);
    QByteArray buffer;
    while (!x.dataDone && !x.failed) {
        if (c.queuedBytes() >= kQueueCap || budget <= 0) {
            return false;
        }
        const qint64 want =
            static_cast<qint64>(qMin<quint64>(static_cast<quint64>(m_options.chunkBytes), size - x.offset));
        if (want <= 0) {
            break;
        }
        buffer.resize(want);
        const ssize_t n = ::pread(x.fd, buffer.data(), static_cast<size_t>(want), static_cast<off_t>(x.offset));
        if (n < 0) {
            failXfer(c, x, QStringLiteral("cannot read %1: %2").arg(shown(e), QString::fromLocal8Bit(strerror(errno))));
            return true;
        }
        if (n == 0) {
            x.changed = true; // it shrank while being sent: what was read goes, and the next sync sends it again
            break;
        }
        x.hash.addData(QByteArrayView(buffer.constData(), n));
        ++x.pending;
        ++m_outstanding;
        c.write(x.handle, x.offset, buffer.constData(), n, [this, &x, n](const SftpStatus &s) {
            --m_outstanding;
            --x.pending;
            if (!s.ok() && !x.failed) {
                x.failed = true;
                const SyncEntry &entry = m_plan.entries.at(x.index);
                addError(shown(entry),
                         SftpClient::statusError(s, QStringLiteral("cannot write"), shown(entry)).message);
            }
            m_op->bytesDone.fetch_add(n);
        });
        x.offset += static_cast<quint64>(n);
        budget -= n;
        if (x.offset >= size) {
            break;
        }
    }
    if (!x.failed) {
        finishData(c, x);
    }
    return true;
}

void PushTask::finishData(SftpClient &c, Xfer &x)
{
    const SyncEntry &e = m_plan.entries.at(x.index);
    x.dataDone = true;
    x.done = true;
    struct stat st
    {
    };
    if (::fstat(x.fd, &st) == 0) {
        const qint64 mtime = static_cast<qint64>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
        x.changed = x.changed || st.st_size != e.size || mtime != e.mtimeNs;
    }
    closeFd(x);
    SftpAttrs attrs;
    attrs.permissions = static_cast<quint32>(e.mode);
    attrs.mtime = static_cast<quint32>(e.mtimeNs / 1000000000LL);
    x.pending += 2;
    m_outstanding += 2;
    c.fsetstat(x.handle, attrs, [this, &x](const SftpStatus &s) {
        --m_outstanding;
        --x.pending;
        if (!s.ok() && !x.failed) {
            x.failed = true;
            const SyncEntry &entry = m_plan.entries.at(x.index);
            addError(shown(entry),
                     SftpClient::statusError(s, QStringLiteral("cannot set the mode of"), shown(entry)).message);
        }
    });
    // The server answers in order: when the close is answered, every write before it has been too, so the rename
    // happens only for a file whose every byte was acknowledged.
    c.close(x.handle, [this, &x, &c](const SftpStatus &s) {
        --m_outstanding;
        --x.pending;
        const SyncEntry &entry = m_plan.entries.at(x.index);
        if (!s.ok() && !x.failed) {
            x.failed = true;
            addError(shown(entry), SftpClient::statusError(s, QStringLiteral("cannot close"), shown(entry)).message);
        }
        if (x.failed || m_cancelling) {
            ++x.pending;
            ++m_outstanding;
            c.remove(x.tmp, [this, &x](const SftpStatus &) {
                --m_outstanding;
                --x.pending;
            });
            return;
        }
        ++x.pending;
        ++m_outstanding;
        c.rename(x.tmp, x.target, [this, &x, &c](const SftpStatus &r) {
            --m_outstanding;
            --x.pending;
            if (r.ok()) {
                succeed(x);
                return;
            }
            const SyncEntry &en = m_plan.entries.at(x.index);
            addError(shown(en), SftpClient::statusError(r, QStringLiteral("cannot put in place"), shown(en)).message);
            ++x.pending;
            ++m_outstanding;
            c.remove(x.tmp, [this, &x](const SftpStatus &) {
                --m_outstanding;
                --x.pending;
            });
        });
    });
}

void PushTask::failXfer(SftpClient &c, Xfer &x, const QString &message)
{
    x.failed = true;
    x.done = true;
    closeFd(x);
    addError(shown(m_plan.entries.at(x.index)), message);
    if (!x.handle.isEmpty()) {
        x.pending += 2;
        m_outstanding += 2;
        c.close(x.handle, [this, &x](const SftpStatus &) {
            --m_outstanding;
            --x.pending;
        });
        c.remove(x.tmp, [this, &x](const SftpStatus &) {
            --m_outstanding;
            --x.pending;
        });
    }
}

void PushTask::succeed(Xfer &x)
{
    const SyncEntry &e = m_plan.entries.at(x.index);
    ManifestEntry m;
    m.path = e.path;
    m.kind = e.kindName();
    m.size = e.size;
    m.mtimeNs = e.mtimeNs;
    m.mode = e.mode;
    if (e.kind == SyncEntry::Kind::Link) {
        m.hash = syncplan::hashBytes(e.linkTarget);
        m_op->bytesDone.fetch_add(e.size); // counted in the total as the target's length
    } else if (!x.changed) {
        m.hash = QString::fromLatin1(x.hash.result().toHex());
        m.remoteMtime = e.mtimeNs / 1000000000LL;
    } // changed while read: no hash, so the next sync sends it again
    m_outcome.written.append(m);
    m_outcome.removed.removeAll(e.path);
    ++m_outcome.summary.sent;
    if (e.isExtra()) {
        ++m_outcome.summary.extra;
    }
    m_outcome.summary.bytesSent += e.size;
    m_op->filesDone.fetch_add(1);
}

void PushTask::cancelAll(SftpClient &c)
{
    m_cancelling = true;
    for (auto &x : m_active) {
        closeFd(*x);
        if (x->done) {
            continue; // its close is on the way (its temporary file is removed when it answers) or it is a symlink
        }
        x->done = true;
        if (!x->handle.isEmpty()) {
            x->pending += 2;
            m_outstanding += 2;
            Xfer *xp = x.get();
            c.close(xp->handle, [this, xp](const SftpStatus &) {
                --m_outstanding;
                --xp->pending;
            });
            c.remove(xp->tmp, [this, xp](const SftpStatus &) {
                --m_outstanding;
                --xp->pending;
            });
        }
        // Still opening: its open's answer closes and removes it (m_cancelling).
    }
}

void PushTask::wrapUp(SftpClient &c)
{
    m_phase = Phase::Wrapup;
    // Folders the deletions emptied, deepest first (a folder that still holds anything stays: rmdir refuses).
    QSet<QString> keep;
    for (const SyncEntry &e : std::as_const(m_plan.entries)) {
        for (const QString &a : ancestors(e.path)) {
            keep.insert(a);
        }
    }
    QSet<QString> emptied;
    for (const QString &path : std::as_const(m_plan.deletions)) {
        for (const QString &a : ancestors(path)) {
            if (!keep.contains(a)) {
                emptied.insert(a);
            }
        }
    }
    QStringList dirs(emptied.begin(), emptied.end());
    std::sort(dirs.begin(), dirs.end(), [](const QString &a, const QString &b) { return a > b; });
    for (const QString &d : std::as_const(dirs)) {
        ++m_outstanding;
        c.rmdir(remote(d), [this](const SftpStatus &) { --m_outstanding; });
    }
    if (m_verify || m_remoteMarker != m_plan.marker) {
        // A new marker: the manifest as saved after this sync describes the host that holds it.
        const QString token = QString::number(QRandomGenerator::global()->generate64(), 36) +
                              QString::number(QRandomGenerator::global()->generate64(), 36);
        const QByteArray body =
            token.toUtf8() + QByteArrayLiteral("\nWritten by GPU Deck's sync: the files here match its manifest. "
                                               "Removing this file makes the next sync check every file.\n");
        SftpAttrs attrs;
        attrs.permissions = 0644;
        ++m_outstanding;
        c.open(remote(m_plan.markerName), SftpClient::Write | SftpClient::Create | SftpClient::Truncate, attrs,
               [this, &c, body, token](const Result<QByteArray> &handle) {
                   --m_outstanding;
                   if (!handle.ok()) {
                       m_outcome.marker.clear();
                       return;
                   }
                   m_outstanding += 2;
                   c.write(handle.value(), 0, body.constData(), body.size(), [this, token](const SftpStatus &s) {
                       --m_outstanding;
                       if (s.ok()) {
                           m_outcome.marker = token;
                       }
                   });
                   c.close(handle.value(), [this](const SftpStatus &s) {
                       --m_outstanding;
                       if (!s.ok()) {
                           m_outcome.marker.clear();
                       }
                   });
               });
    }
}

} // namespace gpudeck
