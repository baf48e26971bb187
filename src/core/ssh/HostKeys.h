#pragma once

#include "Result.h"

#include <QString>

namespace gpudeck {

// GPU Deck's own known_hosts file (OpenSSH format). libssh reads and appends to it; this adds what libssh
// lacks: forgetting a host, which is the only way past a changed host key.
class HostKeys
{
public:
    // The host as known_hosts names it: "host" on port 22, "[host]:port" otherwise.
    static QString hostPattern(const QString &host, int port);
    // Removes every entry for host:port (plain or hashed). Returns how many lines went.
    static Result<int> forget(const QString &knownHostsPath, const QString &host, int port);
    // Whether an entry line (first field) names host:port.
    static bool lineMatches(const QString &line, const QString &host, int port);
};

} // namespace gpudeck
