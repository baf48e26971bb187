#pragma once

#include "Result.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <functional>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <memory>
#include <optional>

namespace gpudeck {

// File attributes as SFTP version 3 carries them (only what was present is set).
struct SftpAttrs
{
    std::optional<quint64> size;
    std::optional<quint32> permissions; // including the file type bits (S_IFREG, S_IFLNK, S_IFDIR)
    std::optional<quint32> mtime;       // seconds since the epoch
    std::optional<quint32> atime;

    bool isDir() const { return permissions && (*permissions & 0170000) == 0040000; }
    bool isLink() const { return permissions && (*permissions & 0170000) == 0120000; }
    bool isRegular() const { return permissions && (*permissions & 0170000) == 0100000; }
};

struct SftpName
{
    QString name;
    SftpAttrs attrs;
};

// The answer to a request that returns a status (SSH_FX_OK = 0, SSH_FX_EOF = 1, SSH_FX_NO_SUCH_FILE = 2, ...).
struct SftpStatus
{
    quint32 code = 0;
    QString message;
    bool ok() const { return code == 0; }
};

// An SFTP (version 3, the one OpenSSH speaks) client on one channel of an SSH worker's session. It lives on the
// worker's thread and never blocks: requests are encoded into an outgoing queue that is written to the channel as
// far as the peer's window allows (flush()), answers are parsed from what the channel delivered (process()) and
// handed to each request's callback, on the worker's thread. Any number of requests may be in flight: the server
// answers them in order, so a file's open, writes, attributes, close and rename can be sent without waiting.
class SftpClient
{
public:
    enum OpenFlag : quint32 { Read = 1, Write = 2, Append = 4, Create = 8, Truncate = 0x10, Exclusive = 0x20 };
    static constexpr quint32 kOk = 0, kEof = 1, kNoSuchFile = 2, kPermissionDenied = 3, kFailure = 4;

    using StatusFn = std::function<void(const SftpStatus &)>;
    using HandleFn = std::function<void(const Result<QByteArray> &)>;
    using AttrsFn = std::function<void(const Result<SftpAttrs> &)>;
    using DataFn = std::function<void(const Result<QByteArray> &, bool eof)>;
    using NamesFn = std::function<void(const Result<QList<SftpName>> &, bool eof)>;
    using TextFn = std::function<void(const Result<QString> &)>;

    SftpClient(ssh_session session, const QString &hostName);
    ~SftpClient(); // frees the channel (closing it when open)

    // Drives the channel open, the subsystem request and the version exchange; true once ready (or failed()).
    bool advanceSetup();
    bool ready() const { return m_phase == Phase::Ready; }
    std::optional<Error> failed() const { return m_failure; }
    bool closedByPeer() const { return m_peerClosed; }

    // Parses everything received and calls the callbacks. Returns the number of answers handled.
    int process();
    // Writes the queued requests as far as the window allows. False when the channel failed.
    bool flush();
    // Bytes queued but not yet accepted by the channel, and requests not yet answered.
    qint64 queuedBytes() const { return m_out.size() - m_outOffset; }
    int inFlight() const { return static_cast<int>(m_pending.size()); }
    bool hasPosixRename() const { return m_posixRename; }
    // The link is going away: forget the channel without touching it (the session frees it).
    void detach();

    void open(const QByteArray &path, quint32 flags, const SftpAttrs &attrs, HandleFn done);
    void close(const QByteArray &handle, StatusFn done);
    void read(const QByteArray &handle, quint64 offset, quint32 length, DataFn done);
    void write(const QByteArray &handle, quint64 offset, const char *data, qsizetype length, StatusFn done);
    void fsetstat(const QByteArray &handle, const SftpAttrs &attrs, StatusFn done);
    void setstat(const QByteArray &path, const SftpAttrs &attrs, StatusFn done);
    void lstat(const QByteArray &path, AttrsFn done);
    void stat(const QByteArray &path, AttrsFn done);
    void opendir(const QByteArray &path, HandleFn done);
    void readdir(const QByteArray &handle, NamesFn done);
    void remove(const QByteArray &path, StatusFn done);
    void mkdir(const QByteArray &path, quint32 permissions, StatusFn done);
    void rmdir(const QByteArray &path, StatusFn done);
    void readlink(const QByteArray &path, TextFn done);
    void realpath(const QByteArray &path, TextFn done);
    // OpenSSH's argument order (target first), which is what every OpenSSH sftp-server expects.
    void symlink(const QByteArray &target, const QByteArray &linkPath, StatusFn done);
    // Replaces `to` atomically (posix-rename@openssh.com); without that extension, a plain rename (which fails when
    // `to` exists).
    void rename(const QByteArray &from, const QByteArray &to, StatusFn done);

    // Error of a failed status, worded for a person: "<what> <path>: <message> (code)".
    static Error statusError(const SftpStatus &status, const QString &what, const QString &path);

private:
    enum class Phase { Opening, Subsystem, Version, Ready, Failed };
    using Answer = std::function<void(quint8 type, const char *body, qsizetype length)>;

    quint32 begin(quint8 type); // starts a packet, answers its request id
    void end(Answer answer);    // finishes the packet started by begin()
    void fail(const QString &message);
    void handlePacket(const char *data, qsizetype length);
    static int onData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *userdata);
    static void onClose(ssh_session, ssh_channel, void *userdata);

    ssh_session m_session;
    QString m_host;
    ssh_channel m_channel = nullptr;
    ssh_channel_callbacks_struct m_callbacks{};
    Phase m_phase = Phase::Opening;
    std::optional<Error> m_failure;
    bool m_peerClosed = false;
    bool m_posixRename = false;
    quint32 m_nextId = 1;
    qsizetype m_packetStart = 0;
    quint32 m_packetId = 0;
    QByteArray m_out;
    qsizetype m_outOffset = 0;
    QByteArray m_in;
    QHash<quint32, Answer> m_pending;
};

// Work for an SFTP channel on an SSH worker's thread (SshPool::runSftp): a sync or a pull. The worker opens the
// channel, calls begin() once it is ready, feed() whenever answers arrived or the window grew (the task issues more
// requests, a bounded slice each time, so the worker's other channels are served in between), and abort() when the
// channel could not be opened or the link was lost. The task is done when finished() says so; the worker then
// closes the channel. begin/feed/abort run on the worker's thread only.
class SftpTask
{
public:
    virtual ~SftpTask() = default;
    virtual void begin(SftpClient &client) = 0;
    // More may be asked: `client` has room. True when the task wants to be fed again soon without waiting for
    // an answer (it stopped only because its slice was used up).
    virtual bool feed(SftpClient &client) = 0;
    virtual bool finished() const = 0;
    virtual void abort(const Error &error) = 0;

    // Thread-safe: asks the task to stop; the worker is woken to let it.
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }
    // Set by the worker while it runs the task (cleared under the lock when it is done).
    void attachWake(std::function<void()> wake);

private:
    std::atomic_bool m_cancelled{false};
    QMutex m_mutex;
    std::function<void()> m_wake;
};

} // namespace gpudeck
