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

    // RunPod pods: a pod's host key is new on every start (and its address moves), so each pod has a known_hosts of
    // its own, <dir of knownHostsPath>/runpod-known-hosts/<pod id>: its key is trusted on first use (SshSession) and
    // forgotten when the pod starts again. Within one run a changed key is refused like any other.
    static QString podKnownHostsPath(const QString &knownHostsPath, const QString &podId);
    // Records `run` (what tells this run of the pod from the last: its start time and address) and forgets the
    // pod's host key when it differs from the one recorded. True when a key was forgotten or nothing was recorded.
    static bool startPodRun(const QString &knownHostsPath, const QString &podId, const QString &run);
    // Forgets the pod's host key and run (the pod's connection asked to forget its host key, or the pod is gone).
    static void forgetPod(const QString &knownHostsPath, const QString &podId);
};

} // namespace gpudeck
