#include "sync/PullTask.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gpudeck {
namespace {

constexpr int kFilesInFlight = 16;
constexpr qint64 kBytesInFlight = 8 << 20; // reads asked and not yet answered, over all files
constexpr qint64 kSliceBytes = 8 << 20;
constexpr int kMaxErrors = 50;

QString errnoText()
{
    return QString::fromLocal8Bit(strerror(errno));
}

} // namespace

PullTask::PullTask(std::shared_ptr<SyncOperation> op, QString remoteRoot, PullRequest request, int chunkBytes)
    : m_op(std::move(op))
    , m_root(std::move(remoteRoot))
    , m_request(std::move(request))
    , m_chunk(qBound(4096, chunkBytes, 255 * 1024))
{
    m_promise.start();
}

PullTask::~PullTask()
{
    for (auto &f : m_active) {
        if (f->fd >= 0) {
            ::close(f->fd);
            QFile::remove(f->tmp);
        }
    }
    if (!m_finished) {
        m_outcome.error = Error::internal(QStringLiteral("the pull ended without an answer"));
        complete();
    }
}

void PullTask::complete()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_promise.addResult(m_outcome);
    m_promise.finish();
}

void PullTask::abort(const Error &error)
{
    for (auto &f : m_active) {
        if (f->fd >= 0) {
            ::close(f->fd);
            f->fd = -1;
            QFile::remove(f->tmp);
        }
    }
    m_active.clear();
    if (error.code == ErrorCode::Cancelled && isCancelled()) {
        m_outcome.cancelled = true;
    } else {
        m_outcome.error = error;
    }
    complete();
}

void PullTask::addError(const QString &path, const QString &message)
{
    ++m_outcome.summary.failed;
    if (m_outcome.summary.errors.size() < kMaxErrors) {
        m_outcome.summary.errors.append({path, message});
    }
}

QByteArray PullTask::resolve(const QString &path) const
{
    if (path.startsWith(QLatin1Char('/')) || m_root.isEmpty()) {
        return QFile::encodeName(path);
    }
    return QFile::encodeName(m_root + QLatin1Char('/') + path);
}

void PullTask::begin(SftpClient &c)
{
    QDir().mkpath(m_request.localDir);
    for (const QString &path : std::as_const(m_request.remotePaths)) {
        const QByteArray remote = resolve(path);
        QString name = QFileInfo(QDir::cleanPath(path)).fileName();
        if (name.isEmpty() || name == QStringLiteral(".") || name == QStringLiteral("..")) {
            name = QFileInfo(QDir::cleanPath(m_root.isEmpty() ? QStringLiteral("home") : m_root)).fileName();
        }
        const QString local = QDir(m_request.localDir).filePath(name);
        ++m_outstanding;
        c.lstat(remote, [this, &c, remote, local, path](const Result<SftpAttrs> &attrs) {
            --m_outstanding;
            if (!attrs.ok()) {
                addError(path, QStringLiteral("cannot read %1 on the host: %2").arg(path, attrs.error().message));
                return;
            }
            enqueue(c, remote, local, attrs.value());
        });
    }
}

void PullTask::enqueue(SftpClient &c, const QByteArray &remote, const QString &local, const SftpAttrs &attrs)
{
    if (m_cancelling) {
        return;
    }
    if (attrs.isDir()) {
        listDir(c, remote, local);
        return;
    }
    if (attrs.isLink()) {
        ++m_outstanding;
        c.readlink(remote, [this, local, remote](const Result<QString> &target) {
            --m_outstanding;
            if (!target.ok()) {
                addError(QString::fromUtf8(remote), target.error().message);
                return;
            }
            QFile::remove(local);
            if (::symlink(QFile::encodeName(target.value()).constData(), QFile::encodeName(local).constData()) != 0) {
                addError(QString::fromUtf8(remote),
                         QStringLiteral("cannot make the symlink %1: %2").arg(local, errnoText()));
                return;
            }
            ++m_outcome.summary.sent;
        });
        return;
    }
    if (!attrs.isRegular()) {
        return; // a device, a socket, a fifo: not something to copy
    }
    auto f = std::make_unique<File>();
    f->remote = remote;
    f->local = local;
    const QFileInfo info(local);
    f->tmp = info.dir().filePath(QStringLiteral(".%1.gpudeck-part").arg(info.fileName()));
    f->attrs = attrs;
    {
        QMutexLocker lock(&m_op->mutex);
        m_op->progress.filesTotal += 1;
        m_op->progress.bytesTotal += static_cast<qint64>(attrs.size.value_or(0));
    }
    m_waiting.push_back(std::move(f));
}

void PullTask::listDir(SftpClient &c, const QByteArray &remote, const QString &local)
{
    if (!QDir().mkpath(local)) {
        addError(QString::fromUtf8(remote), QStringLiteral("cannot make the folder %1").arg(local));
        return;
    }
    ++m_outstanding;
    c.opendir(remote, [this, &c, remote, local](const Result<QByteArray> &handle) {
        --m_outstanding;
        if (!handle.ok()) {
            addError(QString::fromUtf8(remote), handle.error().message);
            return;
        }
        const QByteArray h = handle.value();
        // readdir until the end of the folder; each answer asks for the next batch (the pending answer holds the
        // step alive, nothing else does).
        auto next = std::make_shared<std::function<void()>>();
        *next = [this, &c, h, remote, local, weak = std::weak_ptr<std::function<void()>>(next)] {
            auto self = weak.lock();
            ++m_outstanding;
            c.readdir(h, [this, &c, h, remote, local, self](const Result<QList<SftpName>> &names, bool eof) {
                --m_outstanding;
                if (!names.ok() || eof || m_cancelling) {
                    if (!names.ok()) {
                        addError(QString::fromUtf8(remote), names.error().message);
                    }
                    ++m_outstanding;
                    c.close(h, [this](const SftpStatus &) { --m_outstanding; });
                    return;
                }
                for (const SftpName &n : names.value()) {
                    if (n.name == QStringLiteral(".") || n.name == QStringLiteral("..")) {
                        continue;
                    }
                    enqueue(c, remote + '/' + QFile::encodeName(n.name), QDir(local).filePath(n.name), n.attrs);
                }
                (*self)();
            });
        };
        (*next)();
    });
}

void PullTask::startFile(SftpClient &c, File &f)
{
    f.fd = ::open(QFile::encodeName(f.tmp).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (f.fd < 0) {
        addError(QString::fromUtf8(f.remote), QStringLiteral("cannot write %1: %2").arg(f.tmp, errnoText()));
        f.done = true;
        return;
    }
    m_op->setCurrent(QString::fromUtf8(f.remote));
    f.opening = true;
    ++f.pending;
    ++m_outstanding;
    c.open(f.remote, SftpClient::Read, {}, [this, &f](const Result<QByteArray> &handle) {
        --m_outstanding;
        --f.pending;
        f.opening = false;
        if (!handle.ok()) {
            failFile(f, handle.error().message);
            return;
        }
        f.handle = handle.value();
    });
}

void PullTask::requestRange(SftpClient &c, File &f, quint64 offset, quint32 length)
{
    ++f.pending;
    ++m_outstanding;
    m_inFlightBytes += length;
    c.read(f.handle, offset, length, [this, &c, &f, offset, length](const Result<QByteArray> &data, bool eof) {
        --m_outstanding;
        --f.pending;
        m_inFlightBytes -= length;
        if (f.failed || f.done) {
            return;
        }
        if (!data.ok()) {
            failFile(f, data.error().message);
            return;
        }
        if (eof) {
            f.eof = true; // it shrank since it was listed: what there is, is taken
            return;
        }
        const QByteArray &d = data.value();
        if (::pwrite(f.fd, d.constData(), static_cast<size_t>(d.size()), static_cast<off_t>(offset)) != d.size()) {
            failFile(f, QStringLiteral("cannot write %1: %2").arg(f.tmp, errnoText()));
            return;
        }
        m_op->bytesDone.fetch_add(d.size());
        if (static_cast<quint32>(d.size()) < length && !d.isEmpty()) {
            requestRange(c, f, offset + static_cast<quint64>(d.size()), length - static_cast<quint32>(d.size()));
        }
    });
}

bool PullTask::feedFile(SftpClient &c, File &f, qint64 &budget)
{
    if (f.done || f.failed || f.opening || f.handle.isEmpty()) {
        return true;
    }
    const quint64 size = f.attrs.size.value_or(0);
    while (!f.eof && f.nextOffset < size) {
        if (m_inFlightBytes >= kBytesInFlight || budget <= 0) {
            return false;
        }
        const quint32 n = static_cast<quint32>(qMin<quint64>(static_cast<quint64>(m_chunk), size - f.nextOffset));
        requestRange(c, f, f.nextOffset, n);
        f.nextOffset += n;
        budget -= n;
    }
    if (f.pending == 0 && !f.closing) {
        finishFile(c, f);
    }
    return true;
}

void PullTask::finishFile(SftpClient &c, File &f)
{
    f.closing = true;
    ++f.pending;
    ++m_outstanding;
    c.close(f.handle, [this, &f](const SftpStatus &) {
        --m_outstanding;
        --f.pending;
        f.done = true;
        if (f.failed) {
            return;
        }
        if (f.attrs.permissions) {
            ::fchmod(f.fd, static_cast<mode_t>(*f.attrs.permissions & 07777));
        }
        if (f.attrs.mtime) {
            const struct timespec times[2] = {{static_cast<time_t>(f.attrs.atime.value_or(*f.attrs.mtime)), 0},
                                              {static_cast<time_t>(*f.attrs.mtime), 0}};
            ::futimens(f.fd, times);
        }
        ::close(f.fd);
        f.fd = -1;
        if (::rename(QFile::encodeName(f.tmp).constData(), QFile::encodeName(f.local).constData()) != 0) {
            addError(QString::fromUtf8(f.remote),
                     QStringLiteral("cannot put %1 in place: %2").arg(f.local, errnoText()));
            QFile::remove(f.tmp);
            return;
        }
        ++m_outcome.summary.sent;
        m_outcome.summary.bytesSent += static_cast<qint64>(f.attrs.size.value_or(0));
        m_op->filesDone.fetch_add(1);
    });
}

void PullTask::failFile(File &f, const QString &message)
{
    if (f.failed) {
        return;
    }
    f.failed = true;
    addError(QString::fromUtf8(f.remote), message);
    if (f.fd >= 0) {
        ::close(f.fd);
        f.fd = -1;
        QFile::remove(f.tmp);
    }
}

bool PullTask::feed(SftpClient &c)
{
    if (m_finished) {
        return false;
    }
    if (isCancelled() && !m_cancelling) {
        m_cancelling = true;
        m_waiting.clear();
        for (auto &f : m_active) {
            if (f->fd >= 0) {
                ::close(f->fd);
                f->fd = -1;
                QFile::remove(f->tmp);
            }
            if (!f->handle.isEmpty() && !f->closing) {
                f->closing = true;
                ++m_outstanding;
                c.close(f->handle, [this](const SftpStatus &) { --m_outstanding; });
            }
            f->failed = true;
        }
    }
    if (m_cancelling) {
        if (m_outstanding == 0) {
            m_active.clear();
            m_outcome.cancelled = true;
            complete();
        }
        return false;
    }
    qint64 budget = kSliceBytes;
    bool sliceUsed = false;
    while (!m_waiting.empty() && static_cast<int>(m_active.size()) < kFilesInFlight) {
        m_active.push_back(std::move(m_waiting.front()));
        m_waiting.pop_front();
        startFile(c, *m_active.back());
    }
    for (auto &f : m_active) {
        if (!feedFile(c, *f, budget)) {
            sliceUsed = budget <= 0;
            break;
        }
    }
    m_active.remove_if([](const auto &f) { return (f->done || f->failed) && f->pending == 0; });
    if (m_waiting.empty() && m_active.empty() && m_outstanding == 0) {
        complete();
        return false;
    }
    return sliceUsed;
}

} // namespace gpudeck
