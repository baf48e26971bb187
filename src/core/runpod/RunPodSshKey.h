#pragma once

#include "Result.h"

#include <QString>

namespace gpudeck {

// GPU Deck's own SSH key pair for RunPod pods: ed25519, made on first use in <data dir>/runpod/id_ed25519 (0600,
// no passphrase: it opens only pods of the account it is registered on, and the file is as private as the API token
// beside it) with id_ed25519.pub, commented "gpudeck-<instance id>" so the account's key list says which install it
// belongs to. Registered on the account through PUT /v2/account/ssh-keys (RunPodService::registerSshKey); `runpod`
// connections authenticate with it. See docs/decisions.md.
class RunPodSshKey
{
public:
    static QString privateKeyPath(const QString &dataDir);
    // The public key line ("ssh-ed25519 AAAA... gpudeck-<instance>"), making the pair first when it is missing.
    static Result<QString> ensure(const QString &dataDir, const QString &instanceId);
    // The public key line if the pair exists (no making); empty otherwise.
    static QString publicLine(const QString &dataDir);
    // "type base64" of an authorized_keys-style line (the comment dropped), to compare keys.
    static QString keyPart(const QString &line);
};

} // namespace gpudeck
