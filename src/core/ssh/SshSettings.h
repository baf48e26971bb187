#pragma once

#include <QString>

namespace gpudeck {

class SecretStore;

// What every SSH link shares: where host keys are trusted, where secrets come from, and the timing rules.
struct SshSettings
{
    QString knownHostsPath;     // GPU Deck's own known_hosts (OpenSSH format, in the data dir); new keys go here
    QString userKnownHostsPath; // the user's ~/.ssh/known_hosts, trusted too but never written
    SecretStore *secrets = nullptr;
    int connectTimeoutMs = 10000;
    int keepaliveIntervalMs = 15000; // an SSH_MSG_IGNORE plus TCP keepalives detect a dead peer
    int deadPeerTimeoutMs = 45000;   // TCP_USER_TIMEOUT: unacknowledged data for this long means the link is dead
    int maxChannels = 8;             // concurrent commands per connection (OpenSSH's MaxSessions defaults to 10)
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;
};

} // namespace gpudeck
