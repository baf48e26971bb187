#pragma once

// What the model serving tests and the proxy benchmark set up the same way: hosts that are connections to the test
// sshd, made and connected through the API as a user would, and the models.yaml the core serves from.

#include <QByteArray>
#include <QString>

namespace gpudeck::test {

class HttpClient;
class SshServer;
class TestCore;

// A connection `name` to `sshd` (its test user with the unencrypted ed25519 key), created by POST /api/dgx/connections
// and connected by POST /api/dgx/connect/<name>, the host key accepted by its fingerprint. Several names may point
// at the one sshd (hosts told apart by their ports). Empty when that worked, else what went wrong.
QString connectSshdHost(const HttpClient &http, const SshServer &sshd, const QString &name);

// Writes `yaml` as the core's models.yaml (in its data dir) and has the catalog read again now. Empty when written,
// else why not; whether the catalog took it is for the caller to check.
QString writeModelsYaml(TestCore &tc, const QByteArray &yaml);

} // namespace gpudeck::test
