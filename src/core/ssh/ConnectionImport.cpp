#include "ssh/ConnectionImport.h"

#include "ssh/SshConfigImport.h"
#include "store/ConnectionRepository.h"

#include <QJsonArray>

namespace gpudeck {

QJsonObject ConnectionImportResult::toJson() const
{
    QJsonArray createdJson;
    for (const Connection &c : created) {
        createdJson.append(c.toJson());
    }
    QJsonArray skippedJson;
    for (const auto &s : skipped) {
        skippedJson.append(QJsonObject{{QStringLiteral("alias"), s.first}, {QStringLiteral("reason"), s.second}});
    }
    return {{QStringLiteral("created"), createdJson},
            {QStringLiteral("skipped"), skippedJson},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
}

Result<ConnectionImportResult> importSshConfig(ConnectionRepository &connections, const QString &path,
                                               const QStringList &aliases, bool dryRun)
{
    const auto parsed = parseSshConfig(path);
    if (!parsed.ok()) {
        return parsed.error();
    }
    ConnectionImportResult result;
    result.warnings = parsed->warnings;
    for (const QString &alias : aliases) {
        const bool present = std::any_of(parsed->hosts.begin(), parsed->hosts.end(),
                                         [&](const SshConfigHost &h) { return h.alias == alias; });
        if (!present) {
            result.skipped.append({alias, QStringLiteral("not in %1").arg(path)});
        }
    }
    for (const SshConfigHost &host : parsed->hosts) {
        if (!aliases.isEmpty() && !aliases.contains(host.alias)) {
            continue;
        }
        Connection c = toConnection(host);
        if (connections.find(c.name).ok()) {
            result.skipped.append({host.alias, QStringLiteral("a connection with this name already exists")});
            continue;
        }
        if (Status s = c.validate(); !s.ok()) {
            result.skipped.append({host.alias, s.error().message});
            continue;
        }
        if (dryRun) {
            result.created.append(c);
            continue;
        }
        const auto created = connections.create(c);
        if (created.ok()) {
            result.created.append(created.value());
        } else {
            result.skipped.append({host.alias, created.error().message});
        }
    }
    return result;
}

} // namespace gpudeck
