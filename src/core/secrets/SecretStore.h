#pragma once

// SecretStore: where passwords and key passphrases live — never in the database, never in a log.
//
// An asynchronous interface over a secret backend. KeychainSecretStore talks to the system keychain
// (Secret Service on Linux: gnome-keyring or KWallet) through QtKeychain; MemorySecretStore keeps secrets
// in process memory, for tests of other components and for headless setups whose user opted in.
//
// Callbacks run on the event loop of the thread that made the call (that thread must run one), never
// synchronously inside the call. The *Blocking helpers are for worker threads only (e.g. an SSH worker
// that needs a password while connecting): they spin a local event loop on the calling thread until the
// answer arrives or the timeout passes. Never call them on the GUI thread.
//
// Errors: a missing entry is ErrorCode::NotFound; a keychain that is not there, not reachable or locked is
// ErrorCode::Unavailable with a message that says so. No message and no log line ever contains a secret.
//
// Keys are opaque here. A connection's secrets are named, scoped to this install and read only through
// ConnectionSecrets (secrets/ConnectionSecrets.h), the one place that names them.

#include "Result.h"

#include <QString>
#include <functional>

namespace gpudeck {

class SecretStore
{
public:
    virtual ~SecretStore();

    virtual void read(const QString &key, std::function<void(Result<QString>)> done) = 0;
    virtual void write(const QString &key, const QString &secret, std::function<void(Status)> done) = 0;
    // Removing an entry that does not exist succeeds: the outcome (no secret stored) is the same.
    virtual void remove(const QString &key, std::function<void(Status)> done) = 0;

    // Worker threads only. A timeout gives ErrorCode::Unavailable.
    Result<QString> readBlocking(const QString &key, int timeoutMs = 10000);
    Status writeBlocking(const QString &key, const QString &secret, int timeoutMs = 10000);
    Status removeBlocking(const QString &key, int timeoutMs = 10000);

    // Runs `fn` later on the event loop of the thread calling this (the caller of read/write/remove).
    // Returns a function that any thread may call, once, to schedule it.
    static std::function<void(std::function<void()>)> replyToCallingThread();
};

} // namespace gpudeck
