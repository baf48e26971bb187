#include "ssh/ConnectionImport.h"

#include "ssh/SshConfigImport.h"
#include "store/ConnectionRepository.h"

#include <QJsonArray>

namespace gpudeck {
namespace {

bool sameAddress(const Connection &a, const Connection &b)
{
    return a.hostname.compare(b.hostname, Qt::CaseInsensitive) == 0 && a.port == b.port;
}

QString address(const Connection &c)
{
    return c.port == 22 ? c.hostname : QStringLiteral("%1:%2").arg(c.hostname).arg(c.port);
}

} // namespace

QString ImportSkip::codeName(Code code)
{
    switch (code) {
    case Code::NameTaken:
        return QStringLiteral("name_taken");
    case Code::SameMachine:
        return QStringLiteral("same_machine");
    case Code::SameAddress:
        return QStringLiteral("same_address");
    case Code::Proxy:
        return QStringLiteral("proxy");
    case Code::Invalid:
        return QStringLiteral("invalid");
    case Code::NotInFile:
        return QStringLiteral("not_in_file");
    case Code::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("invalid");
}

QJsonObject ImportSkip::toJson() const
{
    QJsonObject json{
        {QStringLiteral("alias"), alias}, {QStringLiteral("reason"), reason}, {QStringLiteral("code"), codeName(code)}};
    if (!sameAs.isEmpty()) {
        json.insert(QStringLiteral("same_as"), sameAs);
    }
    return json;
}

QJsonObject ConnectionImportResult::toJson() const
{
    QJsonArray createdJson;
    for (const Connection &c : created) {
        createdJson.append(c.toJson());
    }
    QJsonArray skippedJson;
    for (const ImportSkip &s : skipped) {
        skippedJson.append(s.toJson());
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
    const auto existing = connections.list();
    if (!existing.ok()) {
        return existing.error();
    }
    ConnectionImportResult result;
    result.warnings = parsed->warnings;
    for (const QString &alias : aliases) {
        const bool present = std::any_of(parsed->hosts.begin(), parsed->hosts.end(),
                                         [&](const SshConfigHost &h) { return h.alias == alias; });
        if (!present) {
            result.skipped.append({alias, QStringLiteral("not in %1").arg(path), ImportSkip::Code::NotInFile, {}});
        }
    }
    QList<Connection> accepted; // the entries of this import that are (or would be) created, in file order
    for (const SshConfigHost &host : parsed->hosts) {
        if (!aliases.isEmpty() && !aliases.contains(host.alias)) {
            continue;
        }
        const auto skip = [&](const QString &reason, ImportSkip::Code code, const QString &sameAs = {}) {
            result.skipped.append({host.alias, reason, code, sameAs});
        };
        if (!host.proxyKeyword.isEmpty()) {
            skip(QStringLiteral("reached through %1 %2; GPU Deck connects to hosts directly and cannot follow it")
                     .arg(host.proxyKeyword, host.proxy),
                 ImportSkip::Code::Proxy);
            continue;
        }
        Connection c = toConnection(host);
        if (connections.find(c.name).ok()) {
            skip(QStringLiteral("a connection with this name already exists"), ImportSkip::Code::NameTaken);
            continue;
        }
        if (Status s = c.validate(); !s.ok()) {
            skip(s.error().message, ImportSkip::Code::Invalid);
            continue;
        }
        const auto machine = std::find_if(accepted.cbegin(), accepted.cend(), [&](const Connection &a) {
            return sameAddress(a, c) && a.username == c.username;
        });
        if (machine != accepted.cend()) {
            skip(QStringLiteral("another name for %1 (the same address and user), imported once").arg(machine->name),
                 ImportSkip::Code::SameMachine, machine->name);
            continue;
        }
        // The same address under another name: often the same machine, but possibly a second account or a
        // deliberate duplicate, so it is flagged and imported only when asked for by name.
        if (!aliases.contains(host.alias)) {
            const auto known = std::find_if(existing->cbegin(), existing->cend(),
                                            [&](const Connection &e) { return sameAddress(e, c); });
            const auto earlier = std::find_if(accepted.cbegin(), accepted.cend(),
                                              [&](const Connection &a) { return sameAddress(a, c); });
            if (known != existing->cend()) {
                skip(QStringLiteral("the connection %1 already reaches %2; name this host to import it anyway")
                         .arg(known->name, address(c)),
                     ImportSkip::Code::SameAddress, known->name);
                continue;
            }
            if (earlier != accepted.cend()) {
                skip(QStringLiteral("%1 reaches %2 too (as another user); name this host to import it anyway")
                         .arg(earlier->name, address(c)),
                     ImportSkip::Code::SameAddress, earlier->name);
                continue;
            }
        }
        if (dryRun) {
            accepted.append(c);
            result.created.append(c);
            continue;
        }
        const auto created = connections.create(c);
        if (created.ok()) {
            accepted.append(created.value());
            result.created.append(created.value());
        } else {
            skip(created.error().message, ImportSkip::Code::Failed);
        }
    }
    return result;
}

} // namespace gpudeck
