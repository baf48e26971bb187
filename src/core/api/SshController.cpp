#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "connections/ConnectionService.h"
#include "proxmox/ProxmoxService.h"
#include "secrets/ConnectionSecrets.h"
#include "ssh/ConnectionImport.h"
#include "ssh/RemoteExec.h"
#include "ssh/SshPool.h"
#include "wol/MacAddress.h"

#include <QDir>
#include <QJsonDocument>
#include <QPromise>

namespace gpudeck {
namespace {

QJsonObject statusJson(const Connection &c, const LinkStatus &status)
{
    QJsonObject json = status.toJson();
    json.insert(QStringLiteral("connection_id"), c.id);
    json.insert(QStringLiteral("name"), c.name);
    json.insert(QStringLiteral("hostname"), c.hostname);
    return json;
}

// One host's part in Connect all / Disconnect all; its error as the single connect's would be.
QJsonObject outcomeJson(const LinkOutcome &o)
{
    QJsonValue error;
    if (o.error) {
        error = QJsonDocument::fromJson(ApiResponse::fromError(*o.error).body).object().value(QStringLiteral("error"));
    }
    return {{QStringLiteral("connection_id"), o.connectionId},
            {QStringLiteral("name"), o.name},
            {QStringLiteral("outcome"), o.outcome},
            {QStringLiteral("state"), linkStateName(o.status.state)},
            {QStringLiteral("reason"), o.status.reason.isEmpty() ? QJsonValue() : QJsonValue(o.status.reason)},
            {QStringLiteral("error"), error}};
}

QJsonObject outcomesJson(const QList<LinkOutcome> &outcomes, const QStringList &counted)
{
    QJsonArray hosts;
    QJsonObject json;
    for (const QString &name : counted) {
        json.insert(name, 0);
    }
    for (const LinkOutcome &o : outcomes) {
        hosts.append(outcomeJson(o));
        if (counted.contains(o.outcome)) {
            json.insert(o.outcome, json.value(o.outcome).toInt() + 1);
        }
    }
    json.insert(QStringLiteral("hosts"), hosts);
    return json;
}

} // namespace

void registerSshRoutes(Router &router, ApiContext &ctx)
{
    // Every connection not connected yet, in parallel; answers once each host has answered.
    router.addAsync("POST", QStringLiteral("/api/dgx/connections/connect-all"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {})) {
            return ready(*bad);
        }
        return ctx.connectionService.connectAll().then([](const QList<LinkOutcome> &outcomes) {
            return ApiResponse::json(
                outcomesJson(outcomes, {QStringLiteral("connected"), QStringLiteral("already_connected"),
                                        QStringLiteral("failed")}));
        });
    });

    // Closes every link, like POST /api/dgx/disconnect/:id for each (a dry run says what that would reach).
    router.add("POST", QStringLiteral("/api/dgx/connections/disconnect-all"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("dry_run")})) {
            return *bad;
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).disconnectAll());
        }
        return ApiResponse::json(outcomesJson(ctx.connectionService.disconnectAll(),
                                              {QStringLiteral("disconnected"), QStringLiteral("not_connected")}));
    });

    router.addAsync("POST", QStringLiteral("/api/dgx/connect/:id"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ready(ApiResponse::fromError(c.error()));
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("accept_fingerprint")})) {
            return ready(*bad);
        }
        const QString fingerprint = req.json.value(QStringLiteral("accept_fingerprint")).toString().trimmed();
        SshPool *pool = &ctx.ssh;
        const Connection connection = c.value();
        return ctx.ssh.connectTo(connection, fingerprint).then([pool, connection](Status s) {
            if (!s.ok()) {
                return ApiResponse::fromError(s.error());
            }
            return ApiResponse::json(statusJson(connection, pool->status(connection.id)));
        });
    });

    router.add("POST", QStringLiteral("/api/dgx/disconnect/:id"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("dry_run")})) {
            return *bad;
        }
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ApiResponse::fromError(dryRun.error());
        }
        if (dryRun.value()) {
            return planResponse(planner(ctx).disconnect(QString::number(c->id)));
        }
        ctx.ssh.disconnectFrom(c->id);
        LinkStatus st;
        st.since = nowUtc();
        return ApiResponse::json(statusJson(c.value(), st));
    });

    router.add("GET", QStringLiteral("/api/dgx/status/:id"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        return ApiResponse::json(statusJson(c.value(), ctx.ssh.status(c->id)));
    });

    router.add("GET", QStringLiteral("/api/dgx/status"), [&ctx](const ApiRequest &req) {
        // The states this route reports (a disconnected link is not listed at all).
        static const QStringList reported{linkStateName(LinkState::Connecting), linkStateName(LinkState::Connected),
                                          linkStateName(LinkState::Reconnecting), linkStateName(LinkState::Failed),
                                          linkStateName(LinkState::Down)};
        const auto states = listQuery(req, QStringLiteral("state"), reported);
        if (!states.ok()) {
            return ApiResponse::fromError(states.error());
        }
        const QHash<qint64, LinkStatus> all = ctx.ssh.statuses();
        QJsonArray out;
        const auto connections = ctx.connections.list();
        if (!connections.ok()) {
            return ApiResponse::fromError(connections.error());
        }
        for (const Connection &c : connections.value()) {
            const auto it = all.find(c.id);
            if (it != all.end() && it->state != LinkState::Disconnected &&
                (states->isEmpty() || states->contains(linkStateName(it->state)))) {
                out.append(statusJson(c, *it));
            }
        }
        return ApiResponse::json(out);
    });

    // The links' timing rules: when a silent host is declared down, how often a down host is probed.
    router.add("GET", QStringLiteral("/api/config/ssh"),
               [&ctx](const ApiRequest &) { return ApiResponse::json(ctx.ssh.settings().toJson()); });

    router.add("PUT", QStringLiteral("/api/config/ssh"), [&ctx](const ApiRequest &req) {
        SshSettings s = ctx.ssh.settings();
        QString error;
        if (!SshSettings::fromJson(req.json, s, &error)) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"), error);
        }
        if (Status st = ctx.ssh.setSettings(s); !st.ok()) {
            return ApiResponse::fromError(st.error());
        }
        return ApiResponse::json(ctx.ssh.settings().toJson());
    });

    router.addAsync("POST", QStringLiteral("/api/dgx/exec/:id"), [&ctx](const ApiRequest &req) {
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("command"), QStringLiteral("timeout_s"),
                                                QStringLiteral("force"), QStringLiteral("dry_run")})) {
            return ready(*bad);
        }
        const QJsonValue command = req.json.value(QStringLiteral("command"));
        if (!command.isString()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'command' is required and must be a string"),
                                            QStringLiteral("command")));
        }
        const QJsonValue timeout = req.json.value(QStringLiteral("timeout_s"));
        if (!timeout.isUndefined() && !timeout.isDouble()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'timeout_s' must be a number of seconds"),
                                            QStringLiteral("timeout_s")));
        }
        const QJsonValue force = req.json.value(QStringLiteral("force"));
        if (!force.isUndefined() && !force.isBool()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'force' must be true or false"), QStringLiteral("force")));
        }
        RemoteExec::Request r;
        r.connection = req.param(QStringLiteral("id"));
        r.command = command.toString();
        r.timeoutMs = timeout.isUndefined() ? 30000 : static_cast<int>(qBound(0.0, timeout.toDouble(), 1e7) * 1000);
        r.force = force.toBool(false);
        r.caller = req.caller;
        const auto dryRun = dryRunField(req.json);
        if (!dryRun.ok()) {
            return ready(ApiResponse::fromError(dryRun.error()));
        }
        if (dryRun.value()) {
            return ready(planResponse(planner(ctx).exec(r))); // nothing runs and nothing is logged
        }
        return ctx.exec.run(r, req.context).then([](Result<CommandResult> result) {
            return result.ok() ? ApiResponse::json(result->toJson()) : ApiResponse::fromError(result.error());
        });
    });

    router.add("GET", QStringLiteral("/api/dgx/exec/log"), [&ctx](const ApiRequest &req) {
        const auto connectionId = connectionFilter(ctx.connections, req);
        if (!connectionId.ok()) {
            return ApiResponse::fromError(connectionId.error());
        }
        const auto limit = intQuery(req, QStringLiteral("limit"), 100, 1, 10000);
        if (!limit.ok()) {
            return ApiResponse::fromError(limit.error());
        }
        return ApiResponse::json(ctx.execLog.listJson(connectionId.value(), limit.value()));
    });

    router.add("POST", QStringLiteral("/api/dgx/connections/import"), [&ctx](const ApiRequest &req) {
        if (auto bad =
                rejectUnknown(req.json, {QStringLiteral("path"), QStringLiteral("hosts"), QStringLiteral("dry_run")})) {
            return *bad;
        }
        const QJsonValue path = req.json.value(QStringLiteral("path"));
        const QJsonValue hosts = req.json.value(QStringLiteral("hosts"));
        if ((!path.isUndefined() && !path.isString()) || (!hosts.isUndefined() && !hosts.isArray())) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                      QStringLiteral("'path' must be a string and 'hosts' a list of Host aliases"));
        }
        QStringList aliases;
        for (const QJsonValue &h : hosts.toArray()) {
            aliases << h.toString();
        }
        const QString file = path.isString() ? path.toString() : QDir::homePath() + QStringLiteral("/.ssh/config");
        const auto result =
            importSshConfig(ctx.connections, file, aliases, req.json.value(QStringLiteral("dry_run")).toBool());
        return result.ok() ? ApiResponse::json(result->toJson()) : ApiResponse::fromError(result.error());
    });

    router.add("POST", QStringLiteral("/api/dgx/connections/:id/forget-host-key"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ApiResponse::fromError(c.error());
        }
        const auto removed = ctx.ssh.forgetHostKey(c.value());
        if (!removed.ok()) {
            return ApiResponse::fromError(removed.error());
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("removed"), removed.value()}});
    });

    // Passwords, key passphrases and SecureOn passwords go to the system keychain, never to the database or a log.
    router.addAsync("PUT", QStringLiteral("/api/dgx/connections/:id/credentials"), [&ctx](const ApiRequest &req) {
        const auto c = ctx.connections.find(req.param(QStringLiteral("id")));
        if (!c.ok()) {
            return ready(ApiResponse::fromError(c.error()));
        }
        if (auto bad =
                rejectUnknown(req.json, {QStringLiteral("password"), QStringLiteral("key_passphrase"),
                                         QStringLiteral("proxmox_token_secret"), QStringLiteral("wol_password")})) {
            return ready(*bad);
        }
        QList<QPair<SecretKind, QJsonValue>> writes;
        if (req.json.contains(QStringLiteral("password"))) {
            writes.append({SecretKind::Password, req.json.value(QStringLiteral("password"))});
        }
        if (req.json.contains(QStringLiteral("key_passphrase"))) {
            writes.append({SecretKind::KeyPassphrase, req.json.value(QStringLiteral("key_passphrase"))});
        }
        if (req.json.contains(QStringLiteral("proxmox_token_secret"))) {
            writes.append({SecretKind::ProxmoxTokenSecret, req.json.value(QStringLiteral("proxmox_token_secret"))});
        }
        if (req.json.contains(QStringLiteral("wol_password"))) {
            writes.append({SecretKind::WolPassword, req.json.value(QStringLiteral("wol_password"))});
        }
        if (writes.isEmpty()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("give 'password', 'key_passphrase', 'proxmox_token_secret' "
                                                           "and/or 'wol_password' (null removes)")));
        }
        for (auto &w : writes) {
            if (!w.second.isString() && !w.second.isNull()) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("secrets must be strings (or null to remove)")));
            }
            if (w.first == SecretKind::WolPassword && w.second.isString()) {
                // A SecureOn password is 6 bytes, written like a MAC address; stored in one form. The message never
                // repeats what was sent.
                const auto bytes = MacAddress::parse(w.second.toString());
                if (!bytes) {
                    return ready(ApiResponse::error(
                        400, QStringLiteral("validation_failed"),
                        QStringLiteral("'wol_password' (SecureOn) must be %1").arg(MacAddress::notationsHint()),
                        QStringLiteral("wol_password")));
                }
                w.second = MacAddress::format(*bytes);
            }
        }
        auto promise = std::make_shared<QPromise<ApiResponse>>();
        promise->start();
        auto remaining = std::make_shared<int>(static_cast<int>(writes.size()));
        auto failure = std::make_shared<std::optional<Error>>();
        ProxmoxService *proxmox = &ctx.proxmox;
        const qint64 id = c->id;
        auto done = [promise, remaining, failure, proxmox, id](Status s) {
            if (!s.ok() && !failure->has_value()) {
                *failure = s.error();
            }
            if (--*remaining == 0) {
                proxmox->forget(id); // a new token secret is used from the next read on
                promise->addResult(failure->has_value() ? ApiResponse::fromError(**failure) : ApiResponse::noContent());
                promise->finish();
            }
        };
        ConnectionSecrets &secrets = ctx.connectionService.secrets();
        for (const auto &w : writes) {
            if (w.second.isNull()) {
                secrets.remove(c->id, w.first, done);
            } else {
                secrets.write(c->id, w.first, w.second.toString(), done);
            }
        }
        return promise->future();
    });

    router.setQueryParams("GET", QStringLiteral("/api/dgx/status"), {QStringLiteral("state")});
    router.setQueryParams("GET", QStringLiteral("/api/dgx/exec/log"),
                          {QStringLiteral("connection_id"), QStringLiteral("limit")});
}

} // namespace gpudeck
