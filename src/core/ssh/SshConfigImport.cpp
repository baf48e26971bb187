#include "ssh/SshConfigImport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <optional>

namespace gpudeck {
namespace {

constexpr int kMaxIncludeDepth = 16; // OpenSSH's READCONF_MAX_DEPTH

struct Setting
{
    QString keyword; // lower case
    QString value;
    QString where; // "file:line", for warnings
};

// A run of settings that apply when every condition holds (each condition is one Host line's pattern list;
// an Include inside a Host block adds the outer Host line as a condition of everything it includes).
struct Block
{
    QList<QStringList> conditions;
    bool never = false; // inside a Match block we do not evaluate
    QList<Setting> settings;
};

struct State
{
    QString homeDir;
    QList<Block> blocks;
    QStringList aliases;
    QStringList warnings;
};

// Splits a config line into its keyword and arguments: "Key value", "Key=value", quotes, trailing comments.
QStringList splitLine(const QString &line)
{
    QStringList out;
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#'))) {
        return out;
    }
    qsizetype i = 0;
    QString keyword;
    while (i < trimmed.size() && !trimmed.at(i).isSpace() && trimmed.at(i) != QLatin1Char('=')) {
        keyword += trimmed.at(i++);
    }
    out << keyword;
    while (i < trimmed.size() && trimmed.at(i).isSpace()) {
        ++i;
    }
    if (i < trimmed.size() && trimmed.at(i) == QLatin1Char('=')) {
        ++i;
    }
    QString arg;
    bool inArg = false;
    while (i < trimmed.size()) {
        const QChar c = trimmed.at(i);
        if (c.isSpace()) {
            if (inArg) {
                out << arg;
                arg.clear();
                inArg = false;
            }
            ++i;
        } else if (c == QLatin1Char('#') && !inArg) {
            break; // a comment
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            inArg = true;
            ++i;
            while (i < trimmed.size() && trimmed.at(i) != c) {
                if (trimmed.at(i) == QLatin1Char('\\') && i + 1 < trimmed.size()) {
                    ++i;
                }
                arg += trimmed.at(i++);
            }
            ++i;
        } else if (c == QLatin1Char('\\') && i + 1 < trimmed.size()) {
            arg += trimmed.at(i + 1);
            inArg = true;
            i += 2;
        } else {
            arg += c;
            inArg = true;
            ++i;
        }
    }
    if (inArg) {
        out << arg;
    }
    return out;
}

bool isPattern(const QString &name)
{
    return name.startsWith(QLatin1Char('!')) || name.contains(QLatin1Char('*')) || name.contains(QLatin1Char('?'));
}

// OpenSSH's match_pattern: '*' any run, '?' one character; host names compare case-insensitively.
bool wildcardMatch(QStringView text, QStringView pattern)
{
    qsizetype t = 0;
    qsizetype p = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() &&
            (pattern.at(p) == QLatin1Char('?') || pattern.at(p).toLower() == text.at(t).toLower())) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern.at(p) == QLatin1Char('*')) {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == QLatin1Char('*')) {
        ++p;
    }
    return p == pattern.size();
}

// A Host line matches when no negated pattern matches and at least one plain pattern does.
bool hostLineMatches(const QStringList &patterns, const QString &alias)
{
    bool matched = false;
    for (const QString &pattern : patterns) {
        if (pattern.startsWith(QLatin1Char('!'))) {
            if (wildcardMatch(alias, QStringView(pattern).mid(1))) {
                return false;
            }
        } else if (wildcardMatch(alias, pattern)) {
            matched = true;
        }
    }
    return matched;
}

QString expandTilde(const QString &path, const QString &homeDir)
{
    if (path == QLatin1String("~")) {
        return homeDir;
    }
    if (path.startsWith(QLatin1String("~/"))) {
        return homeDir + path.mid(1);
    }
    return path;
}

// Expands glob characters component by component, sorted like glob(3); only existing files are returned.
QStringList expandGlob(const QString &absolutePath)
{
    const QStringList parts = absolutePath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QStringList current = {QStringLiteral("/")};
    for (qsizetype k = 0; k < parts.size(); ++k) {
        const QString &part = parts.at(k);
        const bool last = k == parts.size() - 1;
        QStringList next;
        for (const QString &dir : std::as_const(current)) {
            const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
            if (!part.contains(QLatin1Char('*')) && !part.contains(QLatin1Char('?')) &&
                !part.contains(QLatin1Char('['))) {
                next << prefix + part;
                continue;
            }
            const QDir::Filters filters = (last ? QDir::Files : QDir::Dirs) | QDir::Hidden | QDir::NoDotAndDotDot;
            const QStringList names = QDir(dir).entryList({part}, filters, QDir::Name);
            for (const QString &name : names) {
                next << prefix + name;
            }
        }
        current = next;
    }
    QStringList files;
    for (const QString &path : std::as_const(current)) {
        if (QFileInfo(path).isFile()) {
            files << path;
        }
    }
    return files;
}

void parseInto(const QString &text, const QString &source, const QList<QStringList> &outer, bool outerNever, int depth,
               State &st);

void include(const QStringList &args, const Block &context, const QString &where, int depth, State &st)
{
    if (depth >= kMaxIncludeDepth) {
        st.warnings << QStringLiteral("%1: Include nested more than %2 levels deep; not followed")
                           .arg(where)
                           .arg(kMaxIncludeDepth);
        return;
    }
    for (const QString &arg : args) {
        QString path = expandTilde(arg, st.homeDir);
        if (QDir::isRelativePath(path)) {
            path = st.homeDir + QStringLiteral("/.ssh/") + path;
        }
        const QStringList files = expandGlob(QDir::cleanPath(path));
        for (const QString &file : files) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly)) {
                st.warnings << QStringLiteral("%1: cannot read included file %2: %3").arg(where, file, f.errorString());
                continue;
            }
            parseInto(QString::fromUtf8(f.readAll()), file, context.conditions, context.never, depth + 1, st);
        }
    }
}

void parseInto(const QString &text, const QString &source, const QList<QStringList> &outer, bool outerNever, int depth,
               State &st)
{
    st.blocks.append(Block{outer, outerNever, {}});
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QStringList tokens = splitLine(lines.at(n));
        if (tokens.isEmpty()) {
            continue;
        }
        const QString where = QStringLiteral("%1:%2").arg(source).arg(n + 1);
        const QString keyword = tokens.first().toLower();
        const QStringList args = tokens.mid(1);
        if (keyword == QLatin1String("host")) {
            if (args.isEmpty()) {
                st.warnings << QStringLiteral("%1: Host line without a name").arg(where);
            }
            if (!outerNever) {
                for (const QString &name : args) {
                    if (!isPattern(name) && !st.aliases.contains(name)) {
                        st.aliases << name;
                    }
                }
            }
            st.blocks.append(Block{outer + QList<QStringList>{args}, outerNever, {}});
        } else if (keyword == QLatin1String("match")) {
            const bool all = args.size() == 1 && args.first().compare(QLatin1String("all"), Qt::CaseInsensitive) == 0;
            st.blocks.append(Block{outer, outerNever || !all, {}});
        } else if (keyword == QLatin1String("include")) {
            const Block context = st.blocks.last();
            if (!context.never) {
                include(args, context, where, depth, st);
            }
            // What follows the Include continues the block it appeared in.
            st.blocks.append(Block{context.conditions, context.never, {}});
        } else if (!args.isEmpty()) {
            // ProxyCommand's value is the rest of the line; every other keyword read here takes one argument.
            const QString value = keyword == QLatin1String("proxycommand") ? args.join(QLatin1Char(' ')) : args.first();
            st.blocks.last().settings.append(Setting{keyword, value, where});
        }
    }
}

// What OpenSSH would use for `alias`: the first value obtained for each keyword, in file order.
std::optional<SshConfigHost> resolve(const QString &alias, State &st)
{
    std::optional<Setting> hostname, user, port, identity, proxy;
    for (const Block &block : std::as_const(st.blocks)) {
        if (block.never || block.settings.isEmpty()) {
            continue;
        }
        const bool applies = std::all_of(block.conditions.cbegin(), block.conditions.cend(),
                                         [&](const QStringList &patterns) { return hostLineMatches(patterns, alias); });
        if (!applies) {
            continue;
        }
        for (const Setting &s : block.settings) {
            if (s.keyword == QLatin1String("hostname") && !hostname) {
                hostname = s;
            } else if (s.keyword == QLatin1String("user") && !user) {
                user = s;
            } else if (s.keyword == QLatin1String("port") && !port) {
                port = s;
            } else if (s.keyword == QLatin1String("identityfile") && !identity) {
                identity = s;
            } else if ((s.keyword == QLatin1String("proxyjump") || s.keyword == QLatin1String("proxycommand")) &&
                       !proxy) {
                proxy = s; // ssh uses whichever of the two it obtains first
            }
        }
    }

    SshConfigHost host;
    host.alias = alias;
    if (port) {
        bool ok = false;
        const int value = port->value.toInt(&ok);
        if (!ok || value < 1 || value > 65535) {
            st.warnings << QStringLiteral("Host '%1' left out: Port '%2' (%3) is not a number from 1 to 65535")
                               .arg(alias, port->value, port->where);
            return std::nullopt;
        }
        host.port = value;
    }
    host.hostname = alias;
    if (hostname) {
        QString expanded;
        const QString &value = hostname->value;
        for (qsizetype k = 0; k < value.size(); ++k) {
            if (value.at(k) == QLatin1Char('%') && k + 1 < value.size()) {
                const QChar token = value.at(++k);
                if (token == QLatin1Char('h')) {
                    expanded += alias;
                } else if (token == QLatin1Char('%')) {
                    expanded += QLatin1Char('%');
                } else {
                    st.warnings << QStringLiteral("Host '%1': HostName '%2' (%3) uses %%%4, which is not expanded")
                                       .arg(alias, value, hostname->where, QString(token));
                    expanded += QLatin1Char('%') + token;
                }
            } else {
                expanded += value.at(k);
            }
        }
        host.hostname = expanded;
    }
    if (user) {
        host.user = user->value;
    }
    if (identity && identity->value.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
        host.identityFile = expandTilde(identity->value, st.homeDir);
        if (host.identityFile.contains(QLatin1Char('%'))) {
            st.warnings << QStringLiteral("Host '%1': IdentityFile '%2' (%3) uses %-tokens, which are not expanded")
                               .arg(alias, identity->value, identity->where);
        }
    }
    if (proxy && proxy->value.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
        host.proxyKeyword =
            proxy->keyword == QLatin1String("proxyjump") ? QStringLiteral("ProxyJump") : QStringLiteral("ProxyCommand");
        host.proxy = proxy->value;
    }
    return host;
}

SshConfigImportResult parse(const QString &text, const QString &source, const QString &homeDir)
{
    State st;
    st.homeDir = homeDir.isEmpty() ? QDir::homePath() : QDir::cleanPath(homeDir);
    parseInto(text, source, {}, false, 0, st);
    SshConfigImportResult result;
    for (const QString &alias : std::as_const(st.aliases)) {
        if (auto host = resolve(alias, st)) {
            result.hosts << *host;
        }
    }
    result.warnings = st.warnings;
    return result;
}

} // namespace

Result<SshConfigImportResult> parseSshConfig(const QString &path, const QString &homeDir)
{
    QFile file(path);
    if (!file.exists()) {
        return Error::notFound(QStringLiteral("there is no SSH config file at %1").arg(path));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        Error error;
        error.code = ErrorCode::Unavailable;
        error.message = QStringLiteral("cannot read the SSH config file %1: %2").arg(path, file.errorString());
        return error;
    }
    return parse(QString::fromUtf8(file.readAll()), path, homeDir);
}

SshConfigImportResult parseSshConfigText(const QString &text, const QString &homeDir)
{
    return parse(text, QStringLiteral("config"), homeDir);
}

Connection toConnection(const SshConfigHost &host)
{
    Connection c;
    c.name = host.alias;
    c.hostname = host.hostname;
    c.username = host.user;
    c.port = host.port;
    c.sshKeyPath = host.identityFile;
    c.authMethod = host.identityFile.isEmpty() ? QStringLiteral("agent") : QStringLiteral("key");
    return c;
}

} // namespace gpudeck
