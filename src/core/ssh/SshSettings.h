#pragma once

#include <QJsonObject>
#include <QString>

namespace gpudeck {

class ConnectionSecrets;

// What every SSH link shares: where host keys are trusted, where secrets come from, and the timing rules.
// The timing rules a user may change (GET/PUT /api/config/ssh, the Monitoring settings dialog) are the ones
// toJson() shows; they are stored in the settings table under "ssh".
struct SshSettings
{
    QString knownHostsPath;     // GPU Deck's own known_hosts (OpenSSH format, in the data dir); new keys go here
    QString userKnownHostsPath; // the user's ~/.ssh/known_hosts, trusted too but never written
    ConnectionSecrets *secrets = nullptr;
    int connectTimeoutMs = 10000;
    // A connected link sends a keepalive the host must answer (the global request keepalive@openssh.com with
    // want-reply) every downAfterMs / keepaliveProbes, and is declared down (in-flight commands fail with
    // `connection_lost`, the link goes `reconnecting`) when nothing at all came from the host for downAfterMs.
    int downAfterMs = 6000;
    int keepaliveProbes = 3;
    int deadPeerTimeoutMs = 45000; // TCP_USER_TIMEOUT: unacknowledged data for this long means the link is dead
    int maxChannels = 8;           // concurrent commands per connection (OpenSSH's MaxSessions defaults to 10)
    int forwardIdleMs = 60000;     // a forwarded port (PortForwarder) with no stream for this long is closed
    // While a link is down (reconnecting, or a watched host not reached yet), a cheap probe (TCP connect and the
    // SSH banner, no authentication) goes out every probeIntervalMs for the first kFastProbes probes of the outage,
    // then at intervals that double up to probeMaxMs; a full attempt starts as soon as the banner answers. Full
    // attempts that fail after the banner answered back off exponentially, with jitter, from backoffInitialMs up to
    // backoffMaxMs.
    static constexpr int kFastProbes = 30;
    int probeIntervalMs = 1000;
    int probeMaxMs = 15000;
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;

    int keepaliveIntervalMs() const { return qMax(100, downAfterMs / qMax(1, keepaliveProbes)); }

    // The delay before the probe after `probes` probes of an outage.
    int probeDelayMs(int probes) const;

    // The user-tunable part: {"down_after_s", "reconnect_probe_s", "probe_max_s", "backoff_max_s"}.
    QJsonObject toJson() const;
    // Applies the fields present onto `out`; false with a message naming the field (changing nothing) when one
    // is bad or unknown.
    static bool fromJson(const QJsonObject &json, SshSettings &out, QString *error);
};

} // namespace gpudeck
