#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "proxmox/ProxmoxService.h"

#include <QUrl>

namespace gpudeck {
namespace {

// The connection of a /api/proxmox/:connection/... path, which must be of kind proxmox.
Result<Connection> proxmoxConnection(ApiContext &ctx, const ApiRequest &req)
{
    const auto c = ctx.connections.find(req.param(QStringLiteral("connection")));
    if (!c.ok()) {
        return c.error();
    }
    if (c->kind != QStringLiteral("proxmox")) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("not_proxmox"),
                           QStringLiteral("connection '%1' is of kind '%2', not 'proxmox'").arg(c->name, c->kind));
    }
    return c;
}

QJsonObject statusBody(const ProxmoxStatus &s, const Connection &c)
{
    QJsonObject body = s.toJson();
    body.insert(QStringLiteral("connection_id"), c.id);
    body.insert(QStringLiteral("connection"), c.name);
    body.insert(QStringLiteral("certificate_fingerprint"),
                c.proxmoxFingerprint.isEmpty() ? QJsonValue() : QJsonValue(c.proxmoxFingerprint));
    return body;
}

// A fresh-enough status, or the error of the read that failed (old data are not answered as current).
template<typename Body>
QFuture<ApiResponse> withStatus(ApiContext &ctx, const ApiRequest &req, Body body)
{
    const auto c = proxmoxConnection(ctx, req);
    if (!c.ok()) {
        return ready(ApiResponse::fromError(c.error()));
    }
    const Connection connection = c.value();
    return ctx.proxmox.status(connection.id).then([connection, body](ProxmoxStatus s) {
        if (s.error) {
            return ApiResponse::fromError(*s.error);
        }
        return body(s, connection);
    });
}

} // namespace

void registerProxmoxRoutes(Router &router, ApiContext &ctx)
{
    router.addAsync("GET", QStringLiteral("/api/proxmox/:connection/status"), [&ctx](const ApiRequest &req) {
        return withStatus(
            ctx, req, [](const ProxmoxStatus &s, const Connection &c) { return ApiResponse::json(statusBody(s, c)); });
    });

    router.addAsync("GET", QStringLiteral("/api/proxmox/:connection/resources"), [&ctx](const ApiRequest &req) {
        static const QStringList types{QStringLiteral("qemu"), QStringLiteral("lxc")};
        const auto type = listQuery(req, QStringLiteral("type"), types);
        if (!type.ok()) {
            return ready(ApiResponse::fromError(type.error()));
        }
        const QString node = req.queryValue(QStringLiteral("node"));
        return withStatus(ctx, req, [type = type.value(), node](const ProxmoxStatus &s, const Connection &) {
            QJsonArray out;
            for (const ProxmoxGuest &g : s.guests) {
                if ((type.isEmpty() || type.contains(g.type)) && (node.isEmpty() || g.node == node)) {
                    out.append(g.toJson());
                }
            }
            return ApiResponse::json(out);
        });
    });

    router.addAsync("GET", QStringLiteral("/api/proxmox/:connection/storage"), [&ctx](const ApiRequest &req) {
        return withStatus(ctx, req, [](const ProxmoxStatus &s, const Connection &) {
            QJsonArray out;
            for (const ProxmoxStorage &st : s.storage) {
                QJsonObject o = st.toJson();
                o.insert(QStringLiteral("nearly_full"),
                         st.usedFraction() * 100 >= ProxmoxService::kStorageAlertPercent);
                out.append(o);
            }
            return ApiResponse::json(out);
        });
    });

    router.addAsync(
        "POST", QStringLiteral("/api/proxmox/:connection/resources/:vmid/action"), [&ctx](const ApiRequest &req) {
            const auto c = proxmoxConnection(ctx, req);
            if (!c.ok()) {
                return ready(ApiResponse::fromError(c.error()));
            }
            const auto vmid = parseId(req.param(QStringLiteral("vmid")), QStringLiteral("vmid"));
            if (!vmid.ok()) {
                return ready(ApiResponse::fromError(vmid.error()));
            }
            if (auto bad = rejectUnknown(req.json, {QStringLiteral("action"), QStringLiteral("confirm"),
                                                    QStringLiteral("dry_run"), QStringLiteral("timeout_s"),
                                                    QStringLiteral("force_stop")})) {
                return ready(*bad);
            }
            ProxmoxAction action;
            action.vmid = int(qMin<qint64>(vmid.value(), 999999999));
            const QJsonValue name = req.json.value(QStringLiteral("action"));
            if (!name.isString() || !ProxmoxAction::actions().contains(name.toString())) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'action' must be one of %1")
                                                    .arg(ProxmoxAction::actions().join(QStringLiteral(", "))),
                                                QStringLiteral("action")));
            }
            action.action = name.toString();
            const QJsonValue timeout = req.json.value(QStringLiteral("timeout_s"));
            const QJsonValue force = req.json.value(QStringLiteral("force_stop"));
            const QJsonValue confirm = req.json.value(QStringLiteral("confirm"));
            if ((!timeout.isUndefined() || !force.isUndefined()) && action.action != QStringLiteral("shutdown")) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'timeout_s' and 'force_stop' are for a shutdown"),
                                                timeout.isUndefined() ? QStringLiteral("force_stop")
                                                                      : QStringLiteral("timeout_s")));
            }
            if (!timeout.isUndefined() && (!timeout.isDouble() || timeout.toDouble() < 0 ||
                                           timeout.toDouble() > 86400 || timeout.toDouble() != timeout.toInt())) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'timeout_s' must be whole seconds from 0 to 86400"),
                                                QStringLiteral("timeout_s")));
            }
            if (!force.isUndefined() && !force.isBool()) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'force_stop' must be true or false"),
                                                QStringLiteral("force_stop")));
            }
            if (!confirm.isUndefined() && !confirm.isBool()) {
                return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                                QStringLiteral("'confirm' must be true or false"),
                                                QStringLiteral("confirm")));
            }
            action.timeoutS = timeout.isUndefined() ? -1 : timeout.toInt();
            action.forceStop = force.toBool(false);
            const auto dryRun = dryRunField(req.json);
            if (!dryRun.ok()) {
                return ready(ApiResponse::fromError(dryRun.error()));
            }
            // Without "confirm": true nothing is done: the answer is the dry run (what would be done).
            if (dryRun.value() || !confirm.toBool(false)) {
                return ready(planResponse(ctx.proxmox.plan(c.value(), action)));
            }
            const QString name_ = c->name;
            return ctx.proxmox.act(c->id, action).then([name_](Result<ProxmoxTask> task) {
                if (!task.ok()) {
                    return ApiResponse::fromError(task.error());
                }
                ApiResponse r = ApiResponse::json(task->toJson(), 202);
                r.headers.append({QByteArrayLiteral("Location"),
                                  QStringLiteral("/api/proxmox/%1/tasks/%2").arg(name_, task->upid).toUtf8()});
                return r;
            });
        });

    router.addAsync("GET", QStringLiteral("/api/proxmox/:connection/tasks/:upid"), [&ctx](const ApiRequest &req) {
        const auto c = proxmoxConnection(ctx, req);
        if (!c.ok()) {
            return ready(ApiResponse::fromError(c.error()));
        }
        const QString upid = QUrl::fromPercentEncoding(req.param(QStringLiteral("upid")).toUtf8());
        if (ProxmoxTask::fromUpid(upid).upid.isEmpty()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'%1' is not a Proxmox task id (UPID:node:...)").arg(upid),
                                            QStringLiteral("upid")));
        }
        const auto wait = waitQuery(req);
        if (!wait.ok()) {
            return ready(ApiResponse::fromError(wait.error()));
        }
        return ctx.proxmox.task(c->id, upid, wait.value()).then([](Result<ProxmoxTask> task) {
            return task.ok() ? ApiResponse::json(task->toJson()) : ApiResponse::fromError(task.error());
        });
    });

    // The trust flow for the node's self-signed certificate, as accept_fingerprint is for an SSH host key.
    router.addAsync("POST", QStringLiteral("/api/proxmox/:connection/trust"), [&ctx](const ApiRequest &req) {
        const auto c = proxmoxConnection(ctx, req);
        if (!c.ok()) {
            return ready(ApiResponse::fromError(c.error()));
        }
        if (auto bad = rejectUnknown(req.json, {QStringLiteral("accept_fingerprint"), QStringLiteral("replace")})) {
            return ready(*bad);
        }
        const QJsonValue fingerprint = req.json.value(QStringLiteral("accept_fingerprint"));
        const QJsonValue replace = req.json.value(QStringLiteral("replace"));
        if (!fingerprint.isString()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'accept_fingerprint' (the SHA-256 fingerprint you checked) "
                                                           "is required"),
                                            QStringLiteral("accept_fingerprint")));
        }
        if (!replace.isUndefined() && !replace.isBool()) {
            return ready(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                            QStringLiteral("'replace' must be true or false"),
                                            QStringLiteral("replace")));
        }
        if (c->proxmoxTokenId.isEmpty()) {
            return ready(ApiResponse::fromError(
                Error::make(ErrorCode::Conflict, QStringLiteral("proxmox_no_token"),
                            QStringLiteral("connection '%1' has no Proxmox API token, so no certificate to trust: set "
                                           "proxmox_token_id first")
                                .arg(c->name))));
        }
        return ctx.proxmox.trust(c->id, fingerprint.toString(), replace.toBool(false))
            .then([&ctx, id = c->id](Result<ProxmoxStatus> s) {
                if (!s.ok()) {
                    return ApiResponse::fromError(s.error());
                }
                const auto now = ctx.connections.get(id);
                if (!now.ok()) {
                    return ApiResponse::fromError(now.error());
                }
                if (s->error) {
                    return ApiResponse::fromError(*s->error);
                }
                return ApiResponse::json(statusBody(s.value(), now.value()));
            });
    });

    router.setQueryParams("GET", QStringLiteral("/api/proxmox/:connection/resources"),
                          {QStringLiteral("type"), QStringLiteral("node")});
    router.setQueryParams("GET", QStringLiteral("/api/proxmox/:connection/tasks/:upid"), {QStringLiteral("wait")});
}

} // namespace gpudeck
