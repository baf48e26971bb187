#include "store/Entities.h"

#include "base/Ids.h"
#include "wol/MacAddress.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

namespace gpudeck {

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseIsoUtc(const QString &text)
{
    if (text.isEmpty()) {
        return {};
    }
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        t = QDateTime::fromString(text, Qt::ISODate);
    }
    if (!t.isValid()) {
        return {};
    }
    // A time without "Z" or an offset is UTC here, like every time GPU Deck writes; never the server's zone.
    if (t.timeSpec() == Qt::LocalTime) {
        t.setTimeSpec(Qt::UTC);
    }
    return t.toUTC();
}

QDateTime nowUtc()
{
    return QDateTime::currentDateTimeUtc();
}

namespace {

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// Reads JSON fields into a struct, collecting the first problem. Unknown fields are an error (a typo
// such as "stauts" must not be silently ignored); fields the server owns are accepted and ignored so a
// client can PUT back what it GOT.
class FieldReader
{
public:
    FieldReader(const QJsonObject &json, QStringList writable, QStringList readOnly)
        : m_json(json)
    {
        for (auto it = json.begin(); it != json.end(); ++it) {
            if (!writable.contains(it.key()) && !readOnly.contains(it.key())) {
                fail(it.key(), QStringLiteral("unknown field '%1'").arg(it.key()));
                break;
            }
        }
    }

    void requireIf(bool required, const QString &key)
    {
        if (required && !m_json.contains(key)) {
            fail(key, QStringLiteral("'%1' is required").arg(key));
        }
    }

    void string(const QString &key, QString &out, int maxLength = 4096, bool nullable = true)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const QJsonValue v = m_json.value(key);
        if (v.isNull() && nullable) {
            out.clear();
        } else if (!v.isString()) {
            fail(key, QStringLiteral("'%1' must be a string").arg(key));
        } else if (v.toString().size() > maxLength) {
            fail(key, QStringLiteral("'%1' is longer than %2 characters").arg(key).arg(maxLength));
        } else {
            out = v.toString();
        }
    }

    void integer(const QString &key, qint64 &out)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const QJsonValue v = m_json.value(key);
        const double d = v.toDouble();
        if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d))) {
            fail(key, QStringLiteral("'%1' must be an integer").arg(key));
        } else {
            out = static_cast<qint64>(d);
        }
    }

    void boolean(const QString &key, bool &out)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const QJsonValue v = m_json.value(key);
        if (!v.isBool()) {
            fail(key, QStringLiteral("'%1' must be true or false").arg(key));
        } else {
            out = v.toBool();
        }
    }

    // An id field: a positive integer, as a number or a numeric string (base/Ids.h).
    void id(const QString &key, qint64 &out)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const Result<qint64> parsed = parseId(m_json.value(key), key);
        if (!parsed.ok()) {
            m_error = parsed.error();
        } else {
            out = parsed.value();
        }
    }

    // An array of strings (null: empty), at most `maxItems` of at most `maxLength` characters each.
    void stringList(const QString &key, QStringList &out, int maxItems, int maxLength)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const QJsonValue v = m_json.value(key);
        if (v.isNull()) {
            out.clear();
            return;
        }
        if (!v.isArray()) {
            fail(key, QStringLiteral("'%1' must be an array of strings").arg(key));
            return;
        }
        const QJsonArray a = v.toArray();
        if (a.size() > maxItems) {
            fail(key, QStringLiteral("'%1' holds more than %2 items").arg(key).arg(maxItems));
            return;
        }
        QStringList list;
        for (const QJsonValue &item : a) {
            if (!item.isString() || item.toString().size() > maxLength) {
                fail(key, QStringLiteral("'%1' must be an array of strings of at most %2 characters")
                              .arg(key)
                              .arg(maxLength));
                return;
            }
            list.append(item.toString());
        }
        out = list;
    }

    void object(const QString &key, QJsonObject &out)
    {
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        const QJsonValue v = m_json.value(key);
        if (v.isNull()) {
            out = {};
        } else if (!v.isObject()) {
            fail(key, QStringLiteral("'%1' must be a JSON object").arg(key));
        } else {
            out = v.toObject();
        }
    }

    void time(const QString &key, QDateTime &out)
    {
        QString text;
        string(key, text, 64);
        if (!m_error.ok() || !m_json.contains(key)) {
            return;
        }
        if (text.isEmpty()) {
            out = {};
            return;
        }
        const QDateTime t = parseIsoUtc(text);
        if (!t.isValid()) {
            fail(key, QStringLiteral("'%1' must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z").arg(key));
        } else {
            out = t;
        }
    }

    Status status() const { return m_error; }

private:
    void fail(const QString &key, const QString &message)
    {
        if (m_error.ok()) {
            m_error = Error::validation(key, message);
        }
    }

    const QJsonObject &m_json;
    Status m_error;
};

Status oneOf(const QString &field, const QString &value, const QStringList &allowed)
{
    if (allowed.contains(value)) {
        return {};
    }
    return Error::validation(
        field,
        QStringLiteral("'%1' must be one of: %2 (got '%3')").arg(field, allowed.join(QStringLiteral(", ")), value));
}

Status nonEmpty(const QString &field, const QString &value)
{
    if (value.trimmed().isEmpty()) {
        return Error::validation(field, QStringLiteral("'%1' must not be empty").arg(field));
    }
    return {};
}

template<typename... Checks>
Status firstFailure(Checks &&...checks)
{
    Status result;
    ((result.ok() ? void(result = checks()) : void()), ...);
    return result;
}

} // namespace

// ---- Connection

QStringList Connection::kinds()
{
    return {QStringLiteral("generic"), QStringLiteral("dgx-spark"), QStringLiteral("proxmox"), QStringLiteral("runpod"),
            QStringLiteral("local")};
}

QStringList Connection::authMethods()
{
    return {QStringLiteral("key"), QStringLiteral("password"), QStringLiteral("agent")};
}

Status Connection::validate() const
{
    static const QRegularExpression hostPattern(QStringLiteral("^[A-Za-z0-9._:%\\-\\[\\]]+$"));
    static const QRegularExpression userPattern(QStringLiteral("^[A-Za-z0-9._@\\-]*$"));
    // USER@REALM!TOKENID, as Proxmox VE names an API token
    static const QRegularExpression tokenIdPattern(
        QStringLiteral("^[A-Za-z0-9._\\-]+@[A-Za-z0-9._\\-]+![A-Za-z0-9._\\-]+$"));
    return firstFailure(
        [&] { return nonEmpty(QStringLiteral("name"), name); },
        [&]() -> Status {
            if (name.size() > 128 || name.contains(QLatin1Char('/'))) {
                return Error::validation(QStringLiteral("name"),
                                         QStringLiteral("'name' must be at most 128 characters and contain no '/'"));
            }
            return {};
        },
        [&]() -> Status {
            bool numeric = false;
            name.toLongLong(&numeric);
            if (numeric) {
                return Error::validation(QStringLiteral("name"),
                                         QStringLiteral("'name' must not be a number (numbers are ids in API paths)"));
            }
            return {};
        },
        [&] { return oneOf(QStringLiteral("kind"), kind, kinds()); },
        [&]() -> Status {
            if (kind == QStringLiteral("local")) {
                return {};
            }
            if (hostname.trimmed().isEmpty() || !hostPattern.match(hostname).hasMatch()) {
                return Error::validation(QStringLiteral("hostname"),
                                         QStringLiteral("'hostname' must be a host name or IP address"));
            }
            return {};
        },
        [&]() -> Status {
            if (!userPattern.match(username).hasMatch()) {
                return Error::validation(QStringLiteral("username"),
                                         QStringLiteral("'username' may contain only letters, digits and . _ @ -"));
            }
            return {};
        },
        [&]() -> Status {
            if (port < 1 || port > 65535) {
                return Error::validation(QStringLiteral("port"), QStringLiteral("'port' must be between 1 and 65535"));
            }
            return {};
        },
        [&] { return oneOf(QStringLiteral("auth_method"), authMethod, authMethods()); },
        [&]() -> Status {
            if (authMethod == QStringLiteral("key") && sshKeyPath.trimmed().isEmpty()) {
                return Error::validation(QStringLiteral("ssh_key_path"),
                                         QStringLiteral("'ssh_key_path' is required when auth_method is 'key'"));
            }
            return {};
        },
        [&]() -> Status {
            if (!macAddress.isEmpty() && !MacAddress::parse(macAddress)) {
                return Error::validation(QStringLiteral("mac_address"),
                                         QStringLiteral("'mac_address' must be %1").arg(MacAddress::notationsHint()));
            }
            return {};
        },
        [&]() -> Status {
            if (!wolBroadcast.isEmpty() && QHostAddress(wolBroadcast).protocol() != QAbstractSocket::IPv4Protocol) {
                return Error::validation(QStringLiteral("wol_broadcast"),
                                         QStringLiteral("'wol_broadcast' must be an IPv4 address, e.g. 192.0.2.255"));
            }
            return {};
        },
        [&]() -> Status {
            if (wolPort < 1 || wolPort > 65535) {
                return Error::validation(QStringLiteral("wol_port"),
                                         QStringLiteral("'wol_port' must be between 1 and 65535"));
            }
            return {};
        },
        [&]() -> Status {
            if (!proxmoxTokenId.isEmpty() && !tokenIdPattern.match(proxmoxTokenId).hasMatch()) {
                return Error::validation(
                    QStringLiteral("proxmox_token_id"),
                    QStringLiteral("'proxmox_token_id' must look like USER@REALM!TOKENID, e.g. root@pam!gpudeck"));
            }
            return {};
        },
        [&]() -> Status {
            if (proxmoxApiPort < 1 || proxmoxApiPort > 65535) {
                return Error::validation(QStringLiteral("proxmox_api_port"),
                                         QStringLiteral("'proxmox_api_port' must be between 1 and 65535"));
            }
            return {};
        });
}

QJsonObject Connection::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("hostname"), hostname},
        {QStringLiteral("username"), username},
        {QStringLiteral("ssh_key_path"), stringOrNull(sshKeyPath)},
        {QStringLiteral("port"), port},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("auth_method"), authMethod},
        {QStringLiteral("mac_address"), stringOrNull(macAddress)},
        {QStringLiteral("watch"), watch},
        {QStringLiteral("wol_broadcast"), stringOrNull(wolBroadcast)},
        {QStringLiteral("wol_port"), wolPort},
        {QStringLiteral("proxmox_token_id"), stringOrNull(proxmoxTokenId)},
        {QStringLiteral("proxmox_api_port"), proxmoxApiPort},
        {QStringLiteral("proxmox_fingerprint"), stringOrNull(proxmoxFingerprint)},
        {QStringLiteral("runpod_pod_id"), stringOrNull(runpodPodId)},
        {QStringLiteral("is_active"), isActive},
        {QStringLiteral("last_connected_at"), timeOrNull(lastConnectedAt)},
        // null only for a connection not stored (a dry-run import), never an empty string
        {QStringLiteral("created_at"), timeOrNull(createdAt)},
        {QStringLiteral("updated_at"), timeOrNull(updatedAt)},
    };
}

Status Connection::applyJson(const QJsonObject &json, bool requireAll)
{
    FieldReader r(json,
                  {QStringLiteral("name"), QStringLiteral("hostname"), QStringLiteral("username"),
                   QStringLiteral("ssh_key_path"), QStringLiteral("port"), QStringLiteral("kind"),
                   QStringLiteral("auth_method"), QStringLiteral("mac_address"), QStringLiteral("watch"),
                   QStringLiteral("wol_broadcast"), QStringLiteral("wol_port"), QStringLiteral("proxmox_token_id"),
                   QStringLiteral("proxmox_api_port")},
                  {QStringLiteral("id"), QStringLiteral("is_active"), QStringLiteral("last_connected_at"),
                   QStringLiteral("created_at"), QStringLiteral("updated_at"), QStringLiteral("proxmox_fingerprint"),
                   QStringLiteral("runpod_pod_id")});
    r.requireIf(requireAll, QStringLiteral("name"));
    r.requireIf(requireAll && json.value(QStringLiteral("kind")).toString() != QStringLiteral("local"),
                QStringLiteral("hostname"));
    r.string(QStringLiteral("name"), name, 128, false);
    r.string(QStringLiteral("hostname"), hostname, 255);
    r.string(QStringLiteral("username"), username, 64);
    r.string(QStringLiteral("ssh_key_path"), sshKeyPath, 1024);
    qint64 p = port;
    r.integer(QStringLiteral("port"), p);
    port = static_cast<int>(qBound(qint64(-1), p, qint64(1 << 20)));
    r.string(QStringLiteral("kind"), kind, 32, false);
    r.string(QStringLiteral("mac_address"), macAddress, 32);
    r.boolean(QStringLiteral("watch"), watch);
    r.string(QStringLiteral("wol_broadcast"), wolBroadcast, 64);
    qint64 wp = wolPort;
    r.integer(QStringLiteral("wol_port"), wp);
    wolPort = static_cast<int>(qBound(qint64(-1), wp, qint64(1 << 20)));
    r.string(QStringLiteral("proxmox_token_id"), proxmoxTokenId, 256);
    qint64 pp = proxmoxApiPort;
    r.integer(QStringLiteral("proxmox_api_port"), pp);
    proxmoxApiPort = static_cast<int>(qBound(qint64(-1), pp, qint64(1 << 20)));
    const bool authGiven = json.contains(QStringLiteral("auth_method"));
    r.string(QStringLiteral("auth_method"), authMethod, 32, false);
    // A new connection with a key path and no explicit method authenticates with that key.
    if (requireAll && !authGiven && !sshKeyPath.isEmpty()) {
        authMethod = QStringLiteral("key");
    }
    return r.status();
}

// Extra files are named one by one: no glob patterns, no "..", no duplicates; a relative one needs local_path.
static Status checkExtraFiles(const QStringList &files, const QString &localPath)
{
    const QString key = QStringLiteral("extra_files");
    QSet<QString> seen;
    for (const QString &f : files) {
        if (f.trimmed().isEmpty()) {
            return Error::validation(key, QStringLiteral("'extra_files' holds an empty path"));
        }
        if (f.contains(QLatin1Char('*')) || f.contains(QLatin1Char('?')) || f.contains(QLatin1Char('['))) {
            return Error::validation(key, QStringLiteral("'extra_files' names files one by one; '%1' looks like a "
                                                         "pattern (*, ? and [ are not accepted)")
                                              .arg(f));
        }
        const QStringList parts = QDir::fromNativeSeparators(f).split(QLatin1Char('/'));
        if (parts.contains(QStringLiteral(".."))) {
            return Error::validation(key, QStringLiteral("'extra_files': '%1' must not contain '..'").arg(f));
        }
        if (f.endsWith(QLatin1Char('/'))) {
            return Error::validation(key, QStringLiteral("'extra_files': '%1' names a folder; name files").arg(f));
        }
        if (!QDir::isAbsolutePath(f) && localPath.isEmpty()) {
            return Error::validation(
                key, QStringLiteral("'extra_files': '%1' is relative, which needs 'local_path'").arg(f));
        }
        const QString clean = QDir::cleanPath(f);
        if (seen.contains(clean)) {
            return Error::validation(key, QStringLiteral("'extra_files' names '%1' twice").arg(f));
        }
        seen.insert(clean);
    }
    return {};
}

// ---- Project

QStringList Project::projectTypes()
{
    return {QStringLiteral("computer_vision"), QStringLiteral("nlp"), QStringLiteral("reinforcement_learning"),
            QStringLiteral("generative"), QStringLiteral("other")};
}

QStringList Project::backends()
{
    return {QStringLiteral("tmux"), QStringLiteral("slurm")};
}

QStringList Project::statuses()
{
    return {QStringLiteral("active"), QStringLiteral("paused"), QStringLiteral("archived")};
}

Status Project::validate() const
{
    return firstFailure([&] { return nonEmpty(QStringLiteral("name"), name); },
                        [&] { return oneOf(QStringLiteral("project_type"), projectType, projectTypes()); },
                        [&] { return oneOf(QStringLiteral("status"), status, statuses()); },
                        [&] { return oneOf(QStringLiteral("backend"), backend, backends()); },
                        [&]() -> Status {
                            if (connectionId <= 0) {
                                return Error::validation(QStringLiteral("connection_id"),
                                                         QStringLiteral("'connection_id' is required"));
                            }
                            return {};
                        },
                        [&]() -> Status {
                            if (!localPath.isEmpty() && !QDir::isAbsolutePath(localPath)) {
                                return Error::validation(
                                    QStringLiteral("local_path"),
                                    QStringLiteral("'local_path' must be an absolute path (got '%1')").arg(localPath));
                            }
                            return {};
                        },
                        [&] { return checkExtraFiles(extraFiles, localPath); });
}

Status Project::checkLocalPath(const QString &path)
{
    const auto refuse = [&](const QString &why) {
        Error e = Error::make(ErrorCode::Validation, QStringLiteral("not_a_git_work_tree"),
                              QStringLiteral("'local_path' %1: %2").arg(path, why));
        e.field = QStringLiteral("local_path");
        return e;
    };
    const QFileInfo info(path);
    if (!info.exists()) {
        return refuse(QStringLiteral("does not exist"));
    }
    if (!info.isDir()) {
        return refuse(QStringLiteral("is not a folder"));
    }
    // A work tree has a .git (a folder, or a file naming the git dir for worktrees and submodules) in itself or
    // an ancestor; a folder inside .git is not part of one. git itself has the last word when a sync starts.
    QDir dir(info.absoluteFilePath());
    for (;;) {
        if (dir.dirName() == QStringLiteral(".git")) {
            return refuse(QStringLiteral("is inside a .git folder, not a work tree"));
        }
        if (QFileInfo::exists(dir.filePath(QStringLiteral(".git")))) {
            return {};
        }
        if (!dir.cdUp()) {
            break;
        }
    }
    return refuse(QStringLiteral("is not a git work tree (no .git in it or above it); sync sends what git tracks, so "
                                 "run `git init` there or pick the repository's folder"));
}

QJsonObject Project::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("connection_id"), connectionId},
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("project_type"), projectType},
        {QStringLiteral("remote_path"), remotePath},
        {QStringLiteral("status"), status},
        {QStringLiteral("backend"), backend},
        {QStringLiteral("config"), config},
        {QStringLiteral("local_path"), localPath},
        {QStringLiteral("extra_files"), QJsonArray::fromStringList(extraFiles)},
        {QStringLiteral("created_at"), isoUtc(createdAt)},
        {QStringLiteral("updated_at"), isoUtc(updatedAt)},
    };
}

Status Project::applyJson(const QJsonObject &json, bool requireAll)
{
    FieldReader r(
        json,
        {QStringLiteral("connection_id"), QStringLiteral("name"), QStringLiteral("description"),
         QStringLiteral("project_type"), QStringLiteral("remote_path"), QStringLiteral("status"),
         QStringLiteral("config"), QStringLiteral("backend"), QStringLiteral("local_path"),
         QStringLiteral("extra_files")},
        {QStringLiteral("id"), QStringLiteral("created_at"), QStringLiteral("updated_at"), QStringLiteral("jobs")});
    r.requireIf(requireAll, QStringLiteral("name"));
    r.requireIf(requireAll, QStringLiteral("connection_id"));
    r.string(QStringLiteral("name"), name, 256, false);
    r.string(QStringLiteral("description"), description, 65536);
    r.string(QStringLiteral("project_type"), projectType, 64, false);
    r.string(QStringLiteral("remote_path"), remotePath, 4096);
    r.string(QStringLiteral("status"), status, 64, false);
    r.string(QStringLiteral("backend"), backend, 16, false);
    r.object(QStringLiteral("config"), config);
    r.string(QStringLiteral("local_path"), localPath, 4096);
    r.stringList(QStringLiteral("extra_files"), extraFiles, 256, 4096);
    return r.status();
}

// ---- Job

QStringList Job::statuses()
{
    return {QStringLiteral("pending"), QStringLiteral("running"), QStringLiteral("completed"), QStringLiteral("failed"),
            QStringLiteral("cancelled")};
}

QStringList Job::onEndActions()
{
    return {QStringLiteral("none"), QStringLiteral("stop_pod"), QStringLiteral("terminate_pod")};
}

bool Job::isFinal(const QString &status)
{
    return status == QStringLiteral("completed") || status == QStringLiteral("failed") ||
           status == QStringLiteral("cancelled");
}

Job Job::duplicate(const QString &newName) const
{
    Job copy;
    copy.projectId = projectId;
    copy.name = newName;
    copy.modelName = modelName;
    copy.config = config;
    copy.command = command;
    copy.workingDir = workingDir;
    copy.env = env;
    copy.onEnd = onEnd;
    copy.syncBeforeStart = syncBeforeStart;
    return copy;
}

Status Job::validate() const
{
    return firstFailure([&] { return nonEmpty(QStringLiteral("name"), name); },
                        [&] { return oneOf(QStringLiteral("status"), status, statuses()); },
                        [&] { return oneOf(QStringLiteral("on_end"), onEnd, onEndActions()); },
                        [&]() -> Status {
                            static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
                            for (auto it = env.begin(); it != env.end(); ++it) {
                                if (!envName.match(it.key()).hasMatch() || !it.value().isString()) {
                                    return Error::validation(QStringLiteral("env"),
                                                             QStringLiteral("'env' must map variable names (letters, "
                                                                            "digits, _) to strings; '%1' does not")
                                                                 .arg(it.key()));
                                }
                            }
                            return {};
                        },
                        [&]() -> Status {
                            if (projectId <= 0) {
                                return Error::validation(QStringLiteral("project_id"),
                                                         QStringLiteral("'project_id' is required"));
                            }
                            return {};
                        });
}

QJsonObject Job::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("project_id"), projectId},
        {QStringLiteral("name"), name},
        {QStringLiteral("model_name"), modelName},
        {QStringLiteral("status"), status},
        {QStringLiteral("config"), config},
        {QStringLiteral("metrics"), metrics},
        {QStringLiteral("container_id"), stringOrNull(containerId)},
        {QStringLiteral("started_at"), timeOrNull(startedAt)},
        {QStringLiteral("completed_at"), timeOrNull(completedAt)},
        {QStringLiteral("created_at"), isoUtc(createdAt)},
        {QStringLiteral("command"), command},
        {QStringLiteral("working_dir"), workingDir},
        {QStringLiteral("env"), env},
        {QStringLiteral("exit_code"), exitCode ? QJsonValue(*exitCode) : QJsonValue()},
        {QStringLiteral("status_reason"), stringOrNull(statusReason)},
        {QStringLiteral("backend"), stringOrNull(backend)},
        {QStringLiteral("attempt"), attempt},
        {QStringLiteral("on_end"), onEnd},
        {QStringLiteral("sync_before_start"), syncBeforeStart},
        {QStringLiteral("on_end_result"), onEndResult.isEmpty() ? QJsonValue() : QJsonValue(onEndResult)},
    };
}

QJsonObject JobAttempt::toJson() const
{
    return {
        {QStringLiteral("attempt"), attempt},
        {QStringLiteral("backend"), backend},
        {QStringLiteral("host_dir"), hostDir},
        {QStringLiteral("session"), session},
        {QStringLiteral("container_id"), stringOrNull(containerId)},
        {QStringLiteral("started_at"), timeOrNull(startedAt)},
        {QStringLiteral("ended_at"), timeOrNull(endedAt)},
        {QStringLiteral("status"), isLive() ? QJsonValue(QStringLiteral("live")) : QJsonValue(status)},
        {QStringLiteral("exit_code"), exitCode ? QJsonValue(*exitCode) : QJsonValue()},
        {QStringLiteral("status_reason"), stringOrNull(statusReason)},
    };
}

Status Job::applyJson(const QJsonObject &json, bool requireAll)
{
    FieldReader r(json,
                  {QStringLiteral("project_id"), QStringLiteral("name"), QStringLiteral("model_name"),
                   QStringLiteral("status"), QStringLiteral("config"), QStringLiteral("metrics"),
                   QStringLiteral("container_id"), QStringLiteral("started_at"), QStringLiteral("completed_at"),
                   QStringLiteral("command"), QStringLiteral("working_dir"), QStringLiteral("env"),
                   QStringLiteral("on_end"), QStringLiteral("sync_before_start")},
                  {QStringLiteral("id"), QStringLiteral("created_at"), QStringLiteral("exit_code"),
                   QStringLiteral("status_reason"), QStringLiteral("backend"), QStringLiteral("attempt"),
                   QStringLiteral("on_end_result")});
    r.requireIf(requireAll, QStringLiteral("name"));
    r.requireIf(requireAll, QStringLiteral("project_id"));
    r.id(QStringLiteral("project_id"), projectId);
    r.string(QStringLiteral("name"), name, 256, false);
    r.string(QStringLiteral("model_name"), modelName, 512);
    r.string(QStringLiteral("status"), status, 32, false);
    r.object(QStringLiteral("config"), config);
    r.object(QStringLiteral("metrics"), metrics);
    r.string(QStringLiteral("container_id"), containerId, 256);
    r.time(QStringLiteral("started_at"), startedAt);
    r.time(QStringLiteral("completed_at"), completedAt);
    r.string(QStringLiteral("command"), command, 64 * 1024);
    r.string(QStringLiteral("working_dir"), workingDir, 4096);
    r.object(QStringLiteral("env"), env);
    r.string(QStringLiteral("on_end"), onEnd, 32, false);
    r.boolean(QStringLiteral("sync_before_start"), syncBeforeStart);
    return r.status();
}

} // namespace gpudeck
