#include "proxmox/ProxmoxTypes.h"

#include "proxmox/ProxmoxSource.h"
#include "store/Entities.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace gpudeck {

void ProxmoxSource::votes(std::function<void(Result<ProxmoxVotes>)> done)
{
    done(Error::make(ErrorCode::NotFound, QStringLiteral("unsupported"),
                     QStringLiteral("this source cannot read corosync's votes")));
}

namespace {

QJsonValue nullableTime(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue();
}

QJsonValue nullableText(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

// Proxmox writes booleans as 0/1 (and pvesh sometimes as true/false).
bool flag(const QJsonValue &v)
{
    if (v.isBool()) {
        return v.toBool();
    }
    if (v.isString()) {
        return v.toString() == QStringLiteral("1");
    }
    return v.toInt() != 0;
}

qint64 integer(const QJsonValue &v)
{
    if (v.isString()) {
        return v.toString().toLongLong();
    }
    return qint64(v.toDouble());
}

double number(const QJsonValue &v)
{
    return v.isString() ? v.toString().toDouble() : v.toDouble();
}

Result<QJsonArray> arrayOf(const QJsonValue &data, const QString &what)
{
    if (!data.isArray()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_bad_answer"),
                           QStringLiteral("Proxmox answered %1 with something that is not a list").arg(what));
    }
    return data.toArray();
}

} // namespace

QJsonObject ProxmoxCluster::toJson() const
{
    return {{QStringLiteral("name"), nullableText(name)},
            {QStringLiteral("clustered"), clustered},
            {QStringLiteral("quorate"), quorate},
            {QStringLiteral("nodes"), nodes},
            {QStringLiteral("nodes_online"), nodesOnline},
            {QStringLiteral("nodes_offline"), nodes - nodesOnline},
            {QStringLiteral("expected_votes"), expectedVotes},
            {QStringLiteral("total_votes"), totalVotes >= 0 ? QJsonValue(totalVotes) : QJsonValue()},
            {QStringLiteral("config_version"), version >= 0 ? QJsonValue(version) : QJsonValue()}};
}

QJsonObject ProxmoxNode::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("status"), status},
            {QStringLiteral("node_id"), nodeId >= 0 ? QJsonValue(nodeId) : QJsonValue()},
            {QStringLiteral("ip"), nullableText(ip)},
            {QStringLiteral("local"), local},
            {QStringLiteral("cpu"), cpu},
            {QStringLiteral("max_cpu"), maxCpu},
            {QStringLiteral("mem"), mem},
            {QStringLiteral("max_mem"), maxMem},
            {QStringLiteral("uptime_s"), uptime},
            {QStringLiteral("ssl_fingerprint"), nullableText(sslFingerprint)}};
}

QJsonObject ProxmoxGuest::toJson() const
{
    return {{QStringLiteral("vmid"), vmid},
            {QStringLiteral("name"), nullableText(name)},
            {QStringLiteral("node"), node},
            {QStringLiteral("type"), type},
            {QStringLiteral("status"), status},
            {QStringLiteral("cpu"), cpu},
            {QStringLiteral("max_cpu"), maxCpu},
            {QStringLiteral("mem"), mem},
            {QStringLiteral("max_mem"), maxMem},
            {QStringLiteral("uptime_s"), uptime},
            {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
            {QStringLiteral("template"), templ},
            {QStringLiteral("lock"), nullableText(lock)}};
}

QJsonObject ProxmoxStorage::toJson() const
{
    return {{QStringLiteral("storage"), storage},
            {QStringLiteral("node"), node},
            {QStringLiteral("type"), nullableText(type)},
            {QStringLiteral("status"), nullableText(status)},
            {QStringLiteral("content"), nullableText(content)},
            {QStringLiteral("shared"), shared},
            {QStringLiteral("used"), used},
            {QStringLiteral("total"), total},
            {QStringLiteral("used_percent"), qRound(usedFraction() * 1000) / 10.0}};
}

QJsonObject ProxmoxTask::toJson() const
{
    return {{QStringLiteral("upid"), upid},
            {QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("node"), node},
            {QStringLiteral("type"), type},
            {QStringLiteral("id"), nullableText(id)},
            {QStringLiteral("user"), nullableText(user)},
            {QStringLiteral("status"), status},
            {QStringLiteral("exit_status"), nullableText(exitStatus)},
            {QStringLiteral("ok"), finished() ? QJsonValue(succeeded()) : QJsonValue()},
            {QStringLiteral("action"), nullableText(action)},
            {QStringLiteral("vmid"), vmid > 0 ? QJsonValue(vmid) : QJsonValue()},
            {QStringLiteral("started_at"), nullableTime(startedAt)},
            {QStringLiteral("ended_at"), nullableTime(endedAt)}};
}

ProxmoxTask ProxmoxTask::fromUpid(const QString &upid)
{
    ProxmoxTask t;
    const QStringList parts = upid.split(QLatin1Char(':'));
    // UPID:node:pid:pstart:starttime:type:id:user: (the user part may hold '@' and '!', never ':')
    if (parts.size() < 8 || parts.at(0) != QStringLiteral("UPID") || parts.at(1).isEmpty()) {
        return t;
    }
    static const QRegularExpression nodeName(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$"));
    if (!nodeName.match(parts.at(1)).hasMatch()) {
        return t;
    }
    t.upid = upid;
    t.node = parts.at(1);
    bool ok = false;
    const qint64 start = parts.at(4).toLongLong(&ok, 16);
    if (ok) {
        t.startedAt = QDateTime::fromSecsSinceEpoch(start, Qt::UTC);
    }
    t.type = parts.at(5);
    t.id = parts.at(6);
    t.user = parts.at(7);
    t.status = QStringLiteral("running");
    return t;
}

const ProxmoxGuest *ProxmoxStatus::guest(int vmid) const
{
    for (const ProxmoxGuest &g : guests) {
        if (g.vmid == vmid) {
            return &g;
        }
    }
    return nullptr;
}

QJsonObject ProxmoxStatus::toJson() const
{
    QJsonArray nodeList;
    for (const ProxmoxNode &n : nodes) {
        nodeList.append(n.toJson());
    }
    QJsonValue err;
    if (error) {
        QJsonObject e{{QStringLiteral("code"), error->reason.isEmpty() ? QStringLiteral("error") : error->reason},
                      {QStringLiteral("message"), error->message}};
        for (auto it = error->details.begin(); it != error->details.end(); ++it) {
            e.insert(it.key(), it.value());
        }
        err = e;
    }
    int running = 0;
    for (const ProxmoxGuest &g : guests) {
        running += g.status == QStringLiteral("running") ? 1 : 0;
    }
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("connection"), connectionName},
            {QStringLiteral("source"), nullableText(source)},
            {QStringLiteral("fetched_at"), nullableTime(fetchedAt)},
            {QStringLiteral("attempted_at"), nullableTime(attemptedAt)},
            {QStringLiteral("stale"), error.has_value()},
            {QStringLiteral("error"), err},
            {QStringLiteral("cluster"), hasData() ? QJsonValue(cluster.toJson()) : QJsonValue()},
            {QStringLiteral("nodes"), nodeList},
            {QStringLiteral("guests"),
             QJsonObject{{QStringLiteral("total"), int(guests.size())}, {QStringLiteral("running"), running}}}};
}

namespace proxmoxparse {

Status clusterStatus(const QJsonValue &data, ProxmoxCluster &cluster, QList<ProxmoxNode> &nodes)
{
    const auto items = arrayOf(data, QStringLiteral("/cluster/status"));
    if (!items.ok()) {
        return items.error();
    }
    cluster = ProxmoxCluster{};
    nodes.clear();
    for (const QJsonValue &v : items.value()) {
        const QJsonObject o = v.toObject();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("cluster")) {
            cluster.clustered = true;
            cluster.name = o.value(QStringLiteral("name")).toString();
            cluster.quorate = flag(o.value(QStringLiteral("quorate")));
            cluster.nodes = int(integer(o.value(QStringLiteral("nodes"))));
            cluster.version =
                o.contains(QStringLiteral("version")) ? int(integer(o.value(QStringLiteral("version")))) : -1;
        } else if (type == QStringLiteral("node")) {
            ProxmoxNode n;
            n.name = o.value(QStringLiteral("name")).toString();
            n.status = flag(o.value(QStringLiteral("online"))) ? QStringLiteral("online") : QStringLiteral("offline");
            n.nodeId = o.contains(QStringLiteral("nodeid")) ? int(integer(o.value(QStringLiteral("nodeid")))) : -1;
            n.ip = o.value(QStringLiteral("ip")).toString();
            n.local = flag(o.value(QStringLiteral("local")));
            nodes.append(n);
        }
    }
    if (!cluster.clustered) {
        cluster.quorate = true; // a lone node decides alone
        cluster.nodes = int(nodes.size());
    }
    cluster.nodesOnline = 0;
    for (const ProxmoxNode &n : std::as_const(nodes)) {
        cluster.nodesOnline += n.status == QStringLiteral("online") ? 1 : 0;
    }
    if (cluster.nodes < nodes.size()) {
        cluster.nodes = int(nodes.size());
    }
    cluster.expectedVotes = cluster.nodes; // one vote per node unless the source says otherwise
    return {};
}

Status nodes(const QJsonValue &data, QList<ProxmoxNode> &nodes)
{
    const auto items = arrayOf(data, QStringLiteral("/nodes"));
    if (!items.ok()) {
        return items.error();
    }
    for (const QJsonValue &v : items.value()) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QStringLiteral("node")).toString();
        if (name.isEmpty()) {
            continue;
        }
        ProxmoxNode *n = nullptr;
        for (ProxmoxNode &known : nodes) {
            if (known.name == name) {
                n = &known;
            }
        }
        if (!n) {
            nodes.append(ProxmoxNode{});
            n = &nodes.last();
            n->name = name;
        }
        const QString status = o.value(QStringLiteral("status")).toString();
        if (!status.isEmpty()) {
            n->status = status;
        }
        n->cpu = number(o.value(QStringLiteral("cpu")));
        n->maxCpu = int(integer(o.value(QStringLiteral("maxcpu"))));
        n->mem = integer(o.value(QStringLiteral("mem")));
        n->maxMem = integer(o.value(QStringLiteral("maxmem")));
        n->uptime = integer(o.value(QStringLiteral("uptime")));
        n->sslFingerprint = o.value(QStringLiteral("ssl_fingerprint")).toString();
    }
    std::sort(nodes.begin(), nodes.end(), [](const ProxmoxNode &a, const ProxmoxNode &b) { return a.name < b.name; });
    return {};
}

Result<QList<ProxmoxGuest>> guests(const QJsonValue &data)
{
    const auto items = arrayOf(data, QStringLiteral("/cluster/resources?type=vm"));
    if (!items.ok()) {
        return items.error();
    }
    QList<ProxmoxGuest> out;
    for (const QJsonValue &v : items.value()) {
        const QJsonObject o = v.toObject();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (type != QStringLiteral("qemu") && type != QStringLiteral("lxc")) {
            continue;
        }
        ProxmoxGuest g;
        g.vmid = int(integer(o.value(QStringLiteral("vmid"))));
        if (g.vmid <= 0) { // older answers only have the id: "qemu/100"
            g.vmid = o.value(QStringLiteral("id")).toString().section(QLatin1Char('/'), 1).toInt();
        }
        g.name = o.value(QStringLiteral("name")).toString();
        g.node = o.value(QStringLiteral("node")).toString();
        g.type = type;
        g.status = o.value(QStringLiteral("status")).toString();
        g.cpu = number(o.value(QStringLiteral("cpu")));
        g.maxCpu = number(o.value(QStringLiteral("maxcpu")));
        g.mem = integer(o.value(QStringLiteral("mem")));
        g.maxMem = integer(o.value(QStringLiteral("maxmem")));
        g.uptime = integer(o.value(QStringLiteral("uptime")));
        static const QRegularExpression separators(QStringLiteral("[;, ]+"));
        g.tags = o.value(QStringLiteral("tags")).toString().split(separators, Qt::SkipEmptyParts);
        g.templ = flag(o.value(QStringLiteral("template")));
        g.lock = o.value(QStringLiteral("lock")).toString();
        if (g.vmid > 0) {
            out.append(g);
        }
    }
    std::sort(out.begin(), out.end(), [](const ProxmoxGuest &a, const ProxmoxGuest &b) { return a.vmid < b.vmid; });
    return out;
}

Result<QList<ProxmoxStorage>> storage(const QJsonValue &data)
{
    const auto items = arrayOf(data, QStringLiteral("/cluster/resources?type=storage"));
    if (!items.ok()) {
        return items.error();
    }
    QList<ProxmoxStorage> out;
    for (const QJsonValue &v : items.value()) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("type")).toString() != QStringLiteral("storage")) {
            continue;
        }
        ProxmoxStorage s;
        s.storage = o.value(QStringLiteral("storage")).toString();
        if (s.storage.isEmpty()) { // "storage/<node>/<storage>"
            s.storage = o.value(QStringLiteral("id")).toString().section(QLatin1Char('/'), 2);
        }
        s.node = o.value(QStringLiteral("node")).toString();
        s.type = o.value(QStringLiteral("plugintype")).toString();
        s.status = o.value(QStringLiteral("status")).toString();
        s.content = o.value(QStringLiteral("content")).toString();
        s.shared = flag(o.value(QStringLiteral("shared")));
        s.used = integer(o.value(QStringLiteral("disk")));
        s.total = integer(o.value(QStringLiteral("maxdisk")));
        out.append(s);
    }
    std::sort(out.begin(), out.end(), [](const ProxmoxStorage &a, const ProxmoxStorage &b) {
        return a.node != b.node ? a.node < b.node : a.storage < b.storage;
    });
    return out;
}

Result<ProxmoxTask> taskStatus(const QJsonValue &data)
{
    if (!data.isObject()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_bad_answer"),
                           QStringLiteral("Proxmox answered a task's status with something that is not an object"));
    }
    const QJsonObject o = data.toObject();
    ProxmoxTask t = ProxmoxTask::fromUpid(o.value(QStringLiteral("upid")).toString());
    if (t.upid.isEmpty()) {
        return Error::make(ErrorCode::Upstream, QStringLiteral("proxmox_bad_answer"),
                           QStringLiteral("Proxmox answered a task's status without a valid upid"));
    }
    t.status = o.value(QStringLiteral("status")).toString();
    t.exitStatus = o.value(QStringLiteral("exitstatus")).toString();
    if (o.contains(QStringLiteral("starttime"))) {
        t.startedAt = QDateTime::fromSecsSinceEpoch(integer(o.value(QStringLiteral("starttime"))), Qt::UTC);
    }
    if (o.contains(QStringLiteral("type"))) {
        t.type = o.value(QStringLiteral("type")).toString();
    }
    return t;
}

} // namespace proxmoxparse

QString normalizeCertFingerprint(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(QStringLiteral("SHA256:"), Qt::CaseInsensitive)) {
        t = t.mid(7);
    }
    t.remove(QLatin1Char(':'));
    t.remove(QLatin1Char(' '));
    t = t.toUpper();
    static const QRegularExpression hex(QStringLiteral("^[0-9A-F]{64}$"));
    if (!hex.match(t).hasMatch()) {
        return {};
    }
    QStringList pairs;
    for (int i = 0; i < 64; i += 2) {
        pairs << t.mid(i, 2);
    }
    return pairs.join(QLatin1Char(':'));
}

} // namespace gpudeck
