#include "ssh/SftpClient.h"

#include <QtEndian>
#include <cstring>

namespace gpudeck {
namespace {

// SFTP version 3 packet types (draft-ietf-secsh-filexfer-02) and attribute flags.
enum : quint8 {
    FxpInit = 1,
    FxpVersion = 2,
    FxpOpen = 3,
    FxpClose = 4,
    FxpRead = 5,
    FxpWrite = 6,
    FxpLstat = 7,
    FxpSetstat = 9,
    FxpFsetstat = 10,
    FxpOpendir = 11,
    FxpReaddir = 12,
    FxpRemove = 13,
    FxpMkdir = 14,
    FxpRmdir = 15,
    FxpRealpath = 16,
    FxpStat = 17,
    FxpRename = 18,
    FxpReadlink = 19,
    FxpSymlink = 20,
    FxpStatus = 101,
    FxpHandle = 102,
    FxpData = 103,
    FxpName = 104,
    FxpAttrs = 105,
    FxpExtended = 200,
};
constexpr quint32 AttrSize = 1, AttrUidGid = 2, AttrPermissions = 4, AttrAcModTime = 8, AttrExtended = 0x80000000;

// The most one answer may hold: OpenSSH's sftp-server answers at most 256 KiB of data per read.
constexpr quint32 kMaxPacket = 4 * 1024 * 1024;

void putU32(QByteArray &out, quint32 v)
{
    const quint32 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char *>(&be), 4);
}

void putU64(QByteArray &out, quint64 v)
{
    const quint64 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char *>(&be), 8);
}

void putString(QByteArray &out, const char *data, qsizetype length)
{
    putU32(out, static_cast<quint32>(length));
    out.append(data, length);
}

void putString(QByteArray &out, const QByteArray &s)
{
    putString(out, s.constData(), s.size());
}

void putAttrs(QByteArray &out, const SftpAttrs &a)
{
    quint32 flags = 0;
    flags |= a.size ? AttrSize : 0;
    flags |= a.permissions ? AttrPermissions : 0;
    flags |= a.mtime ? AttrAcModTime : 0;
    putU32(out, flags);
    if (a.size) {
        putU64(out, *a.size);
    }
    if (a.permissions) {
        putU32(out, *a.permissions);
    }
    if (a.mtime) {
        putU32(out, a.atime.value_or(*a.mtime));
        putU32(out, *a.mtime);
    }
}

// Reads a packet body; any read past the end sets `bad` and answers zeroes.
class Reader
{
public:
    Reader(const char *data, qsizetype length)
        : m_data(data)
        , m_length(length)
    {
    }
    bool bad() const { return m_bad; }
    bool atEnd() const { return m_pos >= m_length; }

    quint32 u32()
    {
        if (m_pos + 4 > m_length) {
            m_bad = true;
            return 0;
        }
        const quint32 v = qFromBigEndian<quint32>(m_data + m_pos);
        m_pos += 4;
        return v;
    }
    quint64 u64()
    {
        const quint64 hi = u32();
        return (hi << 32) | u32();
    }
    QByteArray string()
    {
        const quint32 n = u32();
        if (m_bad || m_pos + n > m_length) {
            m_bad = true;
            return {};
        }
        QByteArray s(m_data + m_pos, n);
        m_pos += n;
        return s;
    }
    SftpAttrs attrs()
    {
        SftpAttrs a;
        const quint32 flags = u32();
        if (flags & AttrSize) {
            a.size = u64();
        }
        if (flags & AttrUidGid) {
            u32();
            u32();
        }
        if (flags & AttrPermissions) {
            a.permissions = u32();
        }
        if (flags & AttrAcModTime) {
            a.atime = u32();
            a.mtime = u32();
        }
        if (flags & AttrExtended) {
            const quint32 n = u32();
            for (quint32 i = 0; i < n && !m_bad; ++i) {
                string();
                string();
            }
        }
        return a;
    }

private:
    const char *m_data;
    qsizetype m_length;
    qsizetype m_pos = 0;
    bool m_bad = false;
};

SftpStatus readStatus(quint8 type, const char *body, qsizetype length)
{
    if (type != FxpStatus) {
        return {SftpClient::kFailure, QStringLiteral("unexpected answer type %1").arg(type)};
    }
    Reader r(body, length);
    SftpStatus s;
    s.code = r.u32();
    s.message = QString::fromUtf8(r.string());
    if (r.bad()) {
        return {SftpClient::kFailure, QStringLiteral("malformed status")};
    }
    return s;
}

QString codeName(quint32 code)
{
    switch (code) {
    case SftpClient::kEof:
        return QStringLiteral("end of file");
    case SftpClient::kNoSuchFile:
        return QStringLiteral("no such file");
    case SftpClient::kPermissionDenied:
        return QStringLiteral("permission denied");
    case SftpClient::kFailure:
        return QStringLiteral("failure");
    case 8:
        return QStringLiteral("operation not supported");
    default:
        return QStringLiteral("status %1").arg(code);
    }
}

Error statusAsError(const SftpStatus &s)
{
    return Error::make(ErrorCode::Upstream, QStringLiteral("sftp_failed"),
                       s.message.isEmpty() ? codeName(s.code) : s.message,
                       QJsonObject{{QStringLiteral("sftp_status"), static_cast<qint64>(s.code)}});
}

} // namespace

Error SftpClient::statusError(const SftpStatus &status, const QString &what, const QString &path)
{
    const QString text = status.message.isEmpty() || status.message == QStringLiteral("Failure")
                             ? codeName(status.code)
                             : QStringLiteral("%1 (%2)").arg(status.message, codeName(status.code));
    return Error::make(ErrorCode::Upstream, QStringLiteral("sftp_failed"),
                       QStringLiteral("%1 %2: %3").arg(what, path, text),
                       QJsonObject{{QStringLiteral("sftp_status"), static_cast<qint64>(status.code)}});
}

SftpClient::SftpClient(ssh_session session, const QString &hostName)
    : m_session(session)
    , m_host(hostName)
{
    m_channel = ssh_channel_new(session);
    if (!m_channel) {
        fail(QStringLiteral("cannot create a channel"));
        return;
    }
    m_callbacks.userdata = this;
    m_callbacks.channel_data_function = &SftpClient::onData;
    m_callbacks.channel_close_function = &SftpClient::onClose;
    ssh_callbacks_init(&m_callbacks);
    ssh_set_channel_callbacks(m_channel, &m_callbacks);
}

SftpClient::~SftpClient()
{
    if (m_channel) {
        ssh_remove_channel_callbacks(m_channel, &m_callbacks);
        if (ssh_channel_is_open(m_channel)) {
            ssh_channel_close(m_channel);
        }
        ssh_channel_free(m_channel);
    }
}

void SftpClient::detach()
{
    if (m_channel) {
        ssh_remove_channel_callbacks(m_channel, &m_callbacks);
        m_channel = nullptr;
    }
    m_pending.clear();
}

void SftpClient::fail(const QString &message)
{
    if (m_phase == Phase::Failed) {
        return;
    }
    m_phase = Phase::Failed;
    m_failure = Error::make(ErrorCode::Upstream, QStringLiteral("sftp_failed"),
                            QStringLiteral("SFTP to '%1': %2").arg(m_host, message));
    // No callback runs after a failure: the worker aborts the task instead (SftpTask::abort).
    m_pending.clear();
}

int SftpClient::onData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *userdata)
{
    auto *self = static_cast<SftpClient *>(userdata);
    if (!isStderr) {
        self->m_in.append(static_cast<const char *>(data), static_cast<qsizetype>(len));
    }
    return static_cast<int>(len);
}

void SftpClient::onClose(ssh_session, ssh_channel, void *userdata)
{
    static_cast<SftpClient *>(userdata)->m_peerClosed = true;
}

bool SftpClient::advanceSetup()
{
    if (m_phase == Phase::Opening) {
        const int rc = ssh_channel_open_session(m_channel);
        if (rc == SSH_AGAIN) {
            return false;
        }
        if (rc != SSH_OK) {
            fail(QStringLiteral("cannot open a channel: %1").arg(QString::fromUtf8(ssh_get_error(m_session))));
            return true;
        }
        m_phase = Phase::Subsystem;
    }
    if (m_phase == Phase::Subsystem) {
        const int rc = ssh_channel_request_subsystem(m_channel, "sftp");
        if (rc == SSH_AGAIN) {
            return false;
        }
        if (rc != SSH_OK) {
            fail(QStringLiteral("the host refused the sftp subsystem (%1)")
                     .arg(QString::fromUtf8(ssh_get_error(m_session))));
            return true;
        }
        m_phase = Phase::Version;
        QByteArray init;
        putU32(init, 5);
        init.append(static_cast<char>(FxpInit));
        putU32(init, 3);
        m_out.append(init);
        flush();
    }
    if (m_phase == Phase::Version) {
        if (m_in.size() < 5) {
            if (m_peerClosed) {
                fail(QStringLiteral("the sftp subsystem closed at once (is it enabled in sshd_config?)"));
                return true;
            }
            return false;
        }
        const quint32 length = qFromBigEndian<quint32>(m_in.constData());
        if (length > kMaxPacket) {
            fail(QStringLiteral("the sftp server sent a malformed greeting"));
            return true;
        }
        if (m_in.size() < 4 + static_cast<qsizetype>(length)) {
            return false;
        }
        if (static_cast<quint8>(m_in.at(4)) != FxpVersion) {
            fail(QStringLiteral("the sftp server did not answer with its version"));
            return true;
        }
        Reader r(m_in.constData() + 5, length - 1);
        r.u32(); // version (3 for OpenSSH)
        while (!r.atEnd() && !r.bad()) {
            const QByteArray name = r.string();
            r.string();
            if (name == "posix-rename@openssh.com") {
                m_posixRename = true;
            }
        }
        m_in.remove(0, 4 + length);
        m_phase = Phase::Ready;
        return true;
    }
    return m_phase == Phase::Ready || m_phase == Phase::Failed;
}

int SftpClient::process()
{
    int handled = 0;
    qsizetype pos = 0;
    while (m_phase == Phase::Ready && m_in.size() - pos >= 4) {
        const quint32 length = qFromBigEndian<quint32>(m_in.constData() + pos);
        if (length < 5 || length > kMaxPacket) {
            fail(QStringLiteral("malformed answer (length %1)").arg(length));
            break;
        }
        if (m_in.size() - pos < 4 + static_cast<qsizetype>(length)) {
            break;
        }
        handlePacket(m_in.constData() + pos + 4, length);
        pos += 4 + length;
        ++handled;
    }
    if (pos > 0) {
        m_in.remove(0, pos);
    }
    if (m_peerClosed && m_phase != Phase::Failed) {
        fail(QStringLiteral("the sftp channel was closed by the host"));
    }
    return handled;
}

void SftpClient::handlePacket(const char *data, qsizetype length)
{
    const quint8 type = static_cast<quint8>(data[0]);
    const quint32 id = qFromBigEndian<quint32>(data + 1);
    const auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        return; // not ours (a late answer to nothing): ignored
    }
    Answer answer = std::move(it.value());
    m_pending.erase(it);
    answer(type, data + 5, length - 5);
}

bool SftpClient::flush()
{
    if (m_phase == Phase::Failed || !m_channel) {
        return false;
    }
    while (m_outOffset < m_out.size()) {
        const quint32 window = ssh_channel_window_size(m_channel);
        if (window == 0) {
            break;
        }
        const qsizetype n = qMin<qsizetype>(qMin<qsizetype>(m_out.size() - m_outOffset, window), 1 << 20);
        const int rc = ssh_channel_write(m_channel, m_out.constData() + m_outOffset, static_cast<uint32_t>(n));
        if (rc == SSH_ERROR) {
            fail(QStringLiteral("write failed: %1").arg(QString::fromUtf8(ssh_get_error(m_session))));
            return false;
        }
        if (rc <= 0) {
            break;
        }
        m_outOffset += rc;
    }
    if (m_outOffset == m_out.size()) {
        m_out.clear();
        m_outOffset = 0;
    } else if (m_outOffset > (4 << 20)) {
        m_out.remove(0, m_outOffset);
        m_outOffset = 0;
    }
    return true;
}

quint32 SftpClient::begin(quint8 type)
{
    m_packetStart = m_out.size();
    putU32(m_out, 0); // length, set by end()
    m_out.append(static_cast<char>(type));
    m_packetId = m_nextId++;
    putU32(m_out, m_packetId);
    return m_packetId;
}

void SftpClient::end(Answer answer)
{
    const quint32 length = static_cast<quint32>(m_out.size() - m_packetStart - 4);
    qToBigEndian(length, m_out.data() + m_packetStart);
    if (m_phase == Phase::Failed) {
        m_out.truncate(m_packetStart); // dropped: the task is aborted
        return;
    }
    m_pending.insert(m_packetId, std::move(answer));
}

namespace {

SftpClient::StatusFn orNothing(SftpClient::StatusFn fn)
{
    return fn ? fn : [](const SftpStatus &) {};
}

} // namespace

void SftpClient::open(const QByteArray &path, quint32 flags, const SftpAttrs &attrs, HandleFn done)
{
    begin(FxpOpen);
    putString(m_out, path);
    putU32(m_out, flags);
    putAttrs(m_out, attrs);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype length) {
        if (type == FxpHandle) {
            Reader r(body, length);
            const QByteArray handle = r.string();
            done(r.bad() ? Result<QByteArray>(Error::internal(QStringLiteral("malformed handle"))) : handle);
            return;
        }
        done(statusAsError(readStatus(type, body, length)));
    });
}

void SftpClient::close(const QByteArray &handle, StatusFn done)
{
    begin(FxpClose);
    putString(m_out, handle);
    end([done = orNothing(std::move(done))](quint8 type, const char *body, qsizetype length) {
        done(readStatus(type, body, length));
    });
}

void SftpClient::read(const QByteArray &handle, quint64 offset, quint32 length, DataFn done)
{
    begin(FxpRead);
    putString(m_out, handle);
    putU64(m_out, offset);
    putU32(m_out, length);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        if (type == FxpData) {
            Reader r(body, size);
            const QByteArray data = r.string();
            if (r.bad()) {
                done(Error::internal(QStringLiteral("malformed data")), false);
            } else {
                done(data, false);
            }
            return;
        }
        const SftpStatus s = readStatus(type, body, size);
        if (s.code == kEof) {
            done(QByteArray(), true);
        } else {
            done(statusAsError(s), false);
        }
    });
}

void SftpClient::write(const QByteArray &handle, quint64 offset, const char *data, qsizetype length, StatusFn done)
{
    begin(FxpWrite);
    putString(m_out, handle);
    putU64(m_out, offset);
    putString(m_out, data, length);
    end([done = orNothing(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpClient::fsetstat(const QByteArray &handle, const SftpAttrs &attrs, StatusFn done)
{
    begin(FxpFsetstat);
    putString(m_out, handle);
    putAttrs(m_out, attrs);
    end([done = orNothing(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpClient::setstat(const QByteArray &path, const SftpAttrs &attrs, StatusFn done)
{
    begin(FxpSetstat);
    putString(m_out, path);
    putAttrs(m_out, attrs);
    end([done = orNothing(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

namespace {

SftpClient::StatusFn statusOnly(SftpClient::StatusFn fn)
{
    return orNothing(std::move(fn));
}

} // namespace

void SftpClient::lstat(const QByteArray &path, AttrsFn done)
{
    begin(FxpLstat);
    putString(m_out, path);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        if (type == FxpAttrs) {
            Reader r(body, size);
            const SftpAttrs a = r.attrs();
            done(r.bad() ? Result<SftpAttrs>(Error::internal(QStringLiteral("malformed attributes"))) : a);
            return;
        }
        done(statusAsError(readStatus(type, body, size)));
    });
}

void SftpClient::stat(const QByteArray &path, AttrsFn done)
{
    begin(FxpStat);
    putString(m_out, path);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        if (type == FxpAttrs) {
            Reader r(body, size);
            const SftpAttrs a = r.attrs();
            done(r.bad() ? Result<SftpAttrs>(Error::internal(QStringLiteral("malformed attributes"))) : a);
            return;
        }
        done(statusAsError(readStatus(type, body, size)));
    });
}

void SftpClient::opendir(const QByteArray &path, HandleFn done)
{
    begin(FxpOpendir);
    putString(m_out, path);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype length) {
        if (type == FxpHandle) {
            Reader r(body, length);
            const QByteArray handle = r.string();
            done(r.bad() ? Result<QByteArray>(Error::internal(QStringLiteral("malformed handle"))) : handle);
            return;
        }
        done(statusAsError(readStatus(type, body, length)));
    });
}

void SftpClient::readdir(const QByteArray &handle, NamesFn done)
{
    begin(FxpReaddir);
    putString(m_out, handle);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        if (type == FxpName) {
            Reader r(body, size);
            QList<SftpName> names;
            const quint32 count = r.u32();
            for (quint32 i = 0; i < count && !r.bad(); ++i) {
                SftpName n;
                n.name = QString::fromUtf8(r.string());
                r.string(); // long name
                n.attrs = r.attrs();
                names.append(n);
            }
            if (r.bad()) {
                done(Error::internal(QStringLiteral("malformed directory listing")), false);
            } else {
                done(names, false);
            }
            return;
        }
        const SftpStatus s = readStatus(type, body, size);
        if (s.code == kEof) {
            done(QList<SftpName>(), true);
        } else {
            done(statusAsError(s), false);
        }
    });
}

void SftpClient::remove(const QByteArray &path, StatusFn done)
{
    begin(FxpRemove);
    putString(m_out, path);
    end([done = statusOnly(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpClient::mkdir(const QByteArray &path, quint32 permissions, StatusFn done)
{
    begin(FxpMkdir);
    putString(m_out, path);
    SftpAttrs a;
    a.permissions = permissions;
    putAttrs(m_out, a);
    end([done = statusOnly(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpClient::rmdir(const QByteArray &path, StatusFn done)
{
    begin(FxpRmdir);
    putString(m_out, path);
    end([done = statusOnly(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

namespace {

void answerName(const SftpClient::TextFn &done, quint8 type, const char *body, qsizetype size)
{
    if (type == FxpName) {
        Reader r(body, size);
        const quint32 count = r.u32();
        const QByteArray name = count > 0 ? r.string() : QByteArray();
        if (r.bad() || count == 0) {
            done(Error::internal(QStringLiteral("malformed name")));
        } else {
            done(QString::fromUtf8(name));
        }
        return;
    }
    done(statusAsError(readStatus(type, body, size)));
}

} // namespace

void SftpClient::readlink(const QByteArray &path, TextFn done)
{
    begin(FxpReadlink);
    putString(m_out, path);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        answerName(done, type, body, size);
    });
}

void SftpClient::realpath(const QByteArray &path, TextFn done)
{
    begin(FxpRealpath);
    putString(m_out, path);
    end([done = std::move(done)](quint8 type, const char *body, qsizetype size) {
        answerName(done, type, body, size);
    });
}

void SftpClient::symlink(const QByteArray &target, const QByteArray &linkPath, StatusFn done)
{
    begin(FxpSymlink);
    putString(m_out, target);
    putString(m_out, linkPath);
    end([done = statusOnly(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpClient::rename(const QByteArray &from, const QByteArray &to, StatusFn done)
{
    if (m_posixRename) {
        begin(FxpExtended);
        putString(m_out, QByteArrayLiteral("posix-rename@openssh.com"));
    } else {
        // Plain SFTP rename refuses an existing target: remove it first (not atomic; only servers without the
        // OpenSSH extension get here).
        remove(to, {});
        begin(FxpRename);
    }
    putString(m_out, from);
    putString(m_out, to);
    end([done = statusOnly(std::move(done))](quint8 type, const char *body, qsizetype size) {
        done(readStatus(type, body, size));
    });
}

void SftpTask::cancel()
{
    m_cancelled = true;
    QMutexLocker lock(&m_mutex);
    if (m_wake) {
        m_wake();
    }
}

void SftpTask::attachWake(std::function<void()> wake)
{
    QMutexLocker lock(&m_mutex);
    m_wake = std::move(wake);
}

} // namespace gpudeck
