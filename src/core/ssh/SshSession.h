#pragma once

#include "Result.h"
#include "ssh/SshSettings.h"
#include "store/Entities.h"

#include <libssh/libssh.h>

namespace gpudeck {

// Whether libssh holds output for the session's socket that the kernel has not taken yet (the socket was full).
inline bool writePending(ssh_session session)
{
    return (ssh_get_poll_flags(session) & SSH_WRITE_PENDING) != 0;
}

// One libssh session: connect, verify the host key, authenticate. Blocking, so it is only ever used on the
// connection's own worker thread (libssh sessions must never be shared between threads).
class SshSession
{
public:
    SshSession() = default;
    ~SshSession();
    SshSession(const SshSession &) = delete;
    SshSession &operator=(const SshSession &) = delete;

    // `acceptFingerprint`: a SHA256:... fingerprint the caller explicitly trusts for a host not yet known.
    Status open(const Connection &connection, const SshSettings &settings, const QString &acceptFingerprint);
    void close();

    ssh_session handle() const { return m_session; }
    QString fingerprint() const { return m_fingerprint; }
    QString authMethod() const { return m_authMethod; }

    static QString fingerprintOf(ssh_key key);

private:
    Status verifyHostKey(const Connection &connection, const SshSettings &settings, const QString &acceptFingerprint);
    Status authenticate(const Connection &connection, const SshSettings &settings);
    QString lastError() const;

    ssh_session m_session = nullptr;
    QString m_fingerprint;
    QString m_authMethod;
};

} // namespace gpudeck
