#include "proxmox/ProxmoxShell.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace gpudeck::proxmoxshell {
namespace {

constexpr qsizetype kMaxShown = 300;

QString shown(QString text)
{
    text = text.trimmed();
    return text.size() > kMaxShown ? text.left(kMaxShown - 3) + QStringLiteral("...") : text;
}

QString sudoPrefix(bool asRoot)
{
    return asRoot ? QString() : QStringLiteral("sudo -n ");
}

// A JSON text of any kind, a bare string or number included (QJsonDocument reads only objects and arrays).
std::optional<QJsonValue> parseJson(const QByteArray &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        return std::nullopt;
    }
    return doc.array().at(0);
}

Error upstream(const QString &reason, const QString &message, QJsonObject details = {})
{
    return Error::make(ErrorCode::Upstream, reason, message, std::move(details));
}

} // namespace

QString quote(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

Result<QString> pveshCommand(const QString &verb, const QString &path, const ProxmoxParams &params, bool asRoot)
{
    // GPU Deck reads and starts tasks; it never sets or deletes anything through pvesh.
    if (verb != QLatin1String("get") && verb != QLatin1String("create")) {
        return Error::internal(QStringLiteral("pvesh %1 is not a call GPU Deck makes").arg(verb));
    }
    // API path characters: node names, vmids, storage ids, UPIDs (':' '@' '!' '=' among them).
    static const QRegularExpression pathChars(QStringLiteral("^/[A-Za-z0-9._~:@!=+,%/-]*$"));
    if (!pathChars.match(path).hasMatch() || path.split(QLatin1Char('/')).contains(QStringLiteral(".."))) {
        return Error::validation(QStringLiteral("path"),
                                 QStringLiteral("'%1' is not a Proxmox API path").arg(shown(path)));
    }
    static const QRegularExpression paramName(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]*$"));
    QStringList words{sudoPrefix(asRoot) + QStringLiteral("pvesh"), verb, quote(path)};
    for (const auto &[name, value] : params) {
        if (!paramName.match(name).hasMatch() || name == QLatin1String("output-format")) {
            return Error::validation(QStringLiteral("params"),
                                     QStringLiteral("'%1' is not a Proxmox API parameter").arg(shown(name)));
        }
        words << QStringLiteral("--") + name << quote(value);
    }
    words << QStringLiteral("--output-format") << QStringLiteral("json");
    return words.join(QLatin1Char(' '));
}

QString pvecmStatusCommand(bool asRoot)
{
    return sudoPrefix(asRoot) + QStringLiteral("pvecm status");
}

std::optional<Error> toolFailure(const CommandResult &result, const QString &tool, const QString &host)
{
    if (result.exitCode == 0) {
        return std::nullopt;
    }
    const QString err = QString::fromUtf8(result.stdErr);
    if (err.contains(QLatin1String("sudo: a password is required")) ||
        err.contains(QLatin1String("sudo: a terminal is required")) ||
        err.contains(QLatin1String("is not in the sudoers file")) ||
        err.contains(QLatin1String("is not allowed to execute"))) {
        return upstream(QStringLiteral("proxmox_not_root"),
                        QStringLiteral("%1 needs root on '%2': connect as root, or let this user run pvesh and pvecm "
                                       "with sudo without a password (sudo said: %3)")
                            .arg(tool, host, shown(err)));
    }
    const bool notFound = result.exitCode == 127 && (err.contains(QLatin1String("not found")) ||
                                                     err.contains(QLatin1String("No such file")) || err.isEmpty());
    if (notFound) {
        const bool sudoMissing = err.contains(QLatin1String("sudo:")) && !err.contains(tool);
        return upstream(QStringLiteral("proxmox_not_installed"),
                        sudoMissing
                            ? QStringLiteral("'%1' has no sudo to run %2 as root: connect as root").arg(host, tool)
                            : QStringLiteral("'%1' has no %2: is it a Proxmox VE node?").arg(host, tool));
    }
    return std::nullopt;
}

Result<QJsonValue> readPvesh(const CommandResult &result, const QString &host)
{
    if (auto failure = toolFailure(result, QStringLiteral("pvesh"), host)) {
        return *failure;
    }
    if (result.exitCode != 0 || !result.exitSignal.isEmpty()) {
        QString message = shown(QString::fromUtf8(result.stdErr));
        if (message.isEmpty()) {
            message = shown(QString::fromUtf8(result.stdOut));
        }
        if (message.isEmpty()) {
            message = result.exitSignal.isEmpty() ? QStringLiteral("exit code %1").arg(result.exitCode)
                                                  : QStringLiteral("killed by SIG%1").arg(result.exitSignal);
        }
        return upstream(QStringLiteral("proxmox_error"), QStringLiteral("pvesh on '%1': %2").arg(host, message),
                        {{QStringLiteral("exit_code"), result.exitCode}});
    }
    if (result.truncated) {
        return upstream(QStringLiteral("proxmox_bad_answer"),
                        QStringLiteral("pvesh on '%1' printed more than GPU Deck reads").arg(host));
    }
    const QByteArray out = result.stdOut.trimmed();
    if (out.isEmpty()) {
        return QJsonValue(); // a call whose answer is null prints nothing
    }
    if (auto value = parseJson(out)) {
        return *value;
    }
    // An action runs its task in the foreground: the task's output comes first, the UPID last.
    const QByteArray last = out.mid(out.lastIndexOf('\n') + 1).trimmed();
    if (auto value = parseJson(last); value && value->isString()) {
        return *value;
    }
    if (last.startsWith("UPID:") && !last.contains(' ')) {
        return QJsonValue(QString::fromUtf8(last));
    }
    return upstream(QStringLiteral("proxmox_bad_answer"),
                    QStringLiteral("pvesh on '%1' printed something that is not JSON: '%2'")
                        .arg(host, shown(QString::fromUtf8(out.left(kMaxShown)))));
}

Result<ProxmoxVotes> readPvecmStatus(const CommandResult &result, const QString &host)
{
    if (auto failure = toolFailure(result, QStringLiteral("pvecm"), host)) {
        return *failure;
    }
    const QString text = QString::fromUtf8(result.stdOut) + QString::fromUtf8(result.stdErr);
    const Result<PvecmStatus> parsed = parsePvecmStatus(text);
    if (!parsed.ok()) {
        if (parsed.error().reason == QLatin1String("proxmox_not_clustered")) {
            return Error::make(ErrorCode::NotFound, QStringLiteral("proxmox_not_clustered"),
                               QStringLiteral("'%1' is not part of a Proxmox VE cluster").arg(host));
        }
        if (result.exitCode != 0) {
            return upstream(QStringLiteral("proxmox_error"),
                            QStringLiteral("pvecm status on '%1': %2").arg(host, shown(text)),
                            {{QStringLiteral("exit_code"), result.exitCode}});
        }
        return upstream(QStringLiteral("proxmox_bad_answer"),
                        QStringLiteral("pvecm status on '%1': %2").arg(host, parsed.error().message));
    }
    if (result.exitCode != 0) {
        return upstream(QStringLiteral("proxmox_error"),
                        QStringLiteral("pvecm status on '%1' failed (exit code %2)").arg(host).arg(result.exitCode),
                        {{QStringLiteral("exit_code"), result.exitCode}});
    }
    ProxmoxVotes votes;
    votes.expectedVotes = parsed->expectedVotes;
    votes.totalVotes = parsed->totalVotes;
    votes.quorum = parsed->quorum;
    return votes;
}

} // namespace gpudeck::proxmoxshell
