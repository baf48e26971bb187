#include "ssh/CommandGuard.h"

#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <algorithm>
#include <optional>

namespace gpudeck {
namespace {

constexpr int kMaxDepth = 8;
constexpr qsizetype kMaxShown = 120;

// ---------------------------------------------------------------------------------------------------------
// Splitting a command line the way a POSIX shell does, keeping only what the rules need.

struct Redirect
{
    QString op;
    QString target;
};

struct SimpleCommand
{
    QStringList words;
    QList<Redirect> redirects;
};

using Pipeline = QList<SimpleCommand>;

struct Parsed
{
    QList<Pipeline> pipelines;
    QStringList nested; // bodies of $(...), `...`, <(...), >(...)
};

class Lexer
{
public:
    explicit Lexer(const QString &text)
        : m_s(text)
    {
    }

    Parsed run()
    {
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (c == QLatin1Char('\n')) {
                endWord();
                endPipeline();
                ++m_i;
            } else if (c.isSpace()) {
                endWord();
                ++m_i;
            } else if (c == QLatin1Char('#') && !m_inWord) {
                while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('\n')) {
                    ++m_i;
                }
            } else if (c == QLatin1Char('\\')) {
                if (m_i + 1 < m_s.size() && m_s.at(m_i + 1) == QLatin1Char('\n')) {
                    m_i += 2; // line continuation
                } else {
                    if (m_i + 1 < m_s.size()) {
                        append(m_s.at(m_i + 1));
                    }
                    m_i += 2;
                }
            } else if (c == QLatin1Char('\'')) {
                const qsizetype end = m_s.indexOf(QLatin1Char('\''), m_i + 1);
                const qsizetype stop = end < 0 ? m_s.size() : end;
                append(m_s.mid(m_i + 1, stop - m_i - 1));
                m_quoted = true;
                m_i = stop + 1;
            } else if (c == QLatin1Char('"')) {
                readDoubleQuoted();
            } else if (c == QLatin1Char('`')) {
                append(readBackticks());
            } else if (c == QLatin1Char('$')) {
                readDollar();
            } else if ((c == QLatin1Char('<') || c == QLatin1Char('>')) && peek(1) == QLatin1Char('(')) {
                endWord(); // process substitution
                m_i += 2;
                const QString body = readBalanced();
                m_out.nested << body;
                append(QStringLiteral("%1(%2)").arg(c, body));
            } else if (c == QLatin1Char('<') || c == QLatin1Char('>')) {
                readRedirect();
            } else if (c == QLatin1Char('&')) {
                if (peek(1) == QLatin1Char('>')) {
                    readRedirect();
                } else {
                    endWord();
                    endPipeline();
                    m_i += peek(1) == QLatin1Char('&') ? 2 : 1;
                }
            } else if (c == QLatin1Char('|')) {
                endWord();
                if (peek(1) == QLatin1Char('|')) {
                    endPipeline();
                    m_i += 2;
                } else {
                    endCommand();
                    m_i += peek(1) == QLatin1Char('&') ? 2 : 1;
                }
            } else if (c == QLatin1Char(';') || c == QLatin1Char('(') || c == QLatin1Char(')')) {
                endWord();
                endPipeline();
                ++m_i;
            } else {
                append(c);
                ++m_i;
            }
        }
        endWord();
        endPipeline();
        return std::move(m_out);
    }

private:
    QChar peek(qsizetype ahead) const { return m_i + ahead < m_s.size() ? m_s.at(m_i + ahead) : QChar(); }

    void append(const QString &text)
    {
        m_word += text;
        m_inWord = true;
    }
    void append(QChar c)
    {
        m_word += c;
        m_inWord = true;
    }

    void endWord()
    {
        if (!m_inWord) {
            return;
        }
        if (!m_pendingRedirect.isEmpty()) {
            m_cmd.redirects.append({m_pendingRedirect, m_word});
            m_pendingRedirect.clear();
        } else {
            m_cmd.words << m_word;
        }
        m_word.clear();
        m_inWord = false;
        m_quoted = false;
    }

    void endCommand()
    {
        if (!m_pendingRedirect.isEmpty()) {
            m_cmd.redirects.append({m_pendingRedirect, QString()});
            m_pendingRedirect.clear();
        }
        if (!m_cmd.words.isEmpty() || !m_cmd.redirects.isEmpty()) {
            m_pipe.append(std::move(m_cmd));
        }
        m_cmd = {};
    }

    void endPipeline()
    {
        endCommand();
        if (!m_pipe.isEmpty()) {
            m_out.pipelines.append(std::move(m_pipe));
        }
        m_pipe = {};
    }

    // At the character after an opening '(': returns the text up to the matching ')' and moves past it.
    QString readBalanced()
    {
        const qsizetype start = m_i;
        int depth = 1;
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (c == QLatin1Char('\\')) {
                m_i += 2;
                continue;
            }
            if (c == QLatin1Char('\'')) {
                const qsizetype end = m_s.indexOf(QLatin1Char('\''), m_i + 1);
                m_i = end < 0 ? m_s.size() : end + 1;
                continue;
            }
            if (c == QLatin1Char('"')) {
                ++m_i;
                while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('"')) {
                    m_i += m_s.at(m_i) == QLatin1Char('\\') ? 2 : 1;
                }
                ++m_i;
                continue;
            }
            if (c == QLatin1Char('(')) {
                ++depth;
            } else if (c == QLatin1Char(')') && --depth == 0) {
                const QString body = m_s.mid(start, m_i - start);
                ++m_i;
                return body;
            }
            ++m_i;
        }
        return m_s.mid(start);
    }

    // At a backtick: returns the raw `...` text, records its body, and moves past the closing backtick.
    QString readBackticks()
    {
        const qsizetype start = m_i;
        ++m_i;
        QString body;
        while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('`')) {
            if (m_s.at(m_i) == QLatin1Char('\\') && m_i + 1 < m_s.size()) {
                body += m_s.at(m_i + 1);
                m_i += 2;
                continue;
            }
            body += m_s.at(m_i);
            ++m_i;
        }
        ++m_i;
        m_out.nested << body;
        return m_s.mid(start, qMin(m_i, m_s.size()) - start);
    }

    void readDollar()
    {
        if (peek(1) == QLatin1Char('\'')) {
            ++m_i; // $'...': the quoted text follows (its escapes are not decoded)
            return;
        }
        if (peek(1) == QLatin1Char('(')) {
            const bool arithmetic = peek(2) == QLatin1Char('(');
            m_i += 2;
            const QString body = readBalanced();
            if (!arithmetic) {
                m_out.nested << body;
            }
            append(QStringLiteral("$(%1)").arg(body));
        } else if (peek(1) == QLatin1Char('{')) {
            const qsizetype end = m_s.indexOf(QLatin1Char('}'), m_i + 2);
            const qsizetype stop = end < 0 ? m_s.size() : end + 1;
            append(m_s.mid(m_i, stop - m_i));
            m_i = stop;
        } else {
            append(QLatin1Char('$'));
            ++m_i;
        }
    }

    void readDoubleQuoted()
    {
        ++m_i;
        m_quoted = true;
        m_inWord = true;
        while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('"')) {
            const QChar c = m_s.at(m_i);
            if (c == QLatin1Char('\\') && m_i + 1 < m_s.size()) {
                const QChar next = m_s.at(m_i + 1);
                if (next == QLatin1Char('\n')) {
                    m_i += 2;
                    continue;
                }
                if (QStringLiteral("$`\"\\").contains(next)) {
                    append(next);
                    m_i += 2;
                    continue;
                }
                append(c);
                ++m_i;
            } else if (c == QLatin1Char('`')) {
                append(readBackticks());
            } else if (c == QLatin1Char('$')) {
                readDollar();
            } else {
                append(c);
                ++m_i;
            }
        }
        ++m_i;
    }

    void readRedirect()
    {
        // A word of digits right before the operator is a file descriptor number, not an argument.
        static const QRegularExpression fd(QStringLiteral("^[0-9]+$"));
        if (m_inWord && !m_quoted && fd.match(m_word).hasMatch()) {
            m_word.clear();
            m_inWord = false;
        } else {
            endWord();
        }
        static const QStringList ops = {
            QStringLiteral("&>>"), QStringLiteral("&>"),  QStringLiteral(">>"),  QStringLiteral(">|"),
            QStringLiteral(">&"),  QStringLiteral("<<<"), QStringLiteral("<<-"), QStringLiteral("<<"),
            QStringLiteral("<>"),  QStringLiteral("<&"),  QStringLiteral(">"),   QStringLiteral("<"),
        };
        for (const QString &op : ops) {
            if (QStringView(m_s).mid(m_i).startsWith(op)) {
                m_pendingRedirect = op;
                m_i += op.size();
                return;
            }
        }
        ++m_i;
    }

    const QString &m_s;
    qsizetype m_i = 0;
    Parsed m_out;
    Pipeline m_pipe;
    SimpleCommand m_cmd;
    QString m_word;
    bool m_inWord = false;
    bool m_quoted = false;
    QString m_pendingRedirect;
};

// ---------------------------------------------------------------------------------------------------------
// Paths.

QString baseName(const QString &word)
{
    return word.section(QLatin1Char('/'), -1);
}

bool hasGlob(const QString &component)
{
    return component.contains(QLatin1Char('*')) || component.contains(QLatin1Char('?')) ||
           component.contains(QLatin1Char('['));
}

// "*", ".*", "?*", ".[!.]*": matches everything (or every hidden thing) in a directory.
bool isPureWildcard(const QString &component)
{
    static const QRegularExpression re(QStringLiteral("^[.*?\\[\\]!^-]*[*?][.*?\\[\\]!^-]*$"));
    return re.match(component).hasMatch();
}

// Lexically resolves "." and ".." ("/.." stays "/"); an absolute path gives its components.
QStringList absoluteComponents(const QString &path)
{
    QStringList out;
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part == QLatin1String(".")) {
            continue;
        }
        if (part == QLatin1String("..")) {
            if (!out.isEmpty()) {
                out.removeLast();
            }
            continue;
        }
        out << part;
    }
    return out;
}

// One level of brace expansion per group: "/{bin,etc}" -> "/bin", "/etc".
QStringList braceExpand(const QString &word, int budget = 64)
{
    const qsizetype open = word.indexOf(QLatin1Char('{'));
    const qsizetype close = open < 0 ? -1 : word.indexOf(QLatin1Char('}'), open);
    if (open < 0 || close < 0 || budget <= 0) {
        return {word};
    }
    const QString inner = word.mid(open + 1, close - open - 1);
    if (!inner.contains(QLatin1Char(','))) {
        return {word};
    }
    QStringList out;
    const QStringList alternatives = inner.split(QLatin1Char(','));
    for (const QString &alternative : alternatives) {
        const QString expanded = word.left(open) + alternative + word.mid(close + 1);
        out << braceExpand(expanded, budget / static_cast<int>(alternatives.size()));
    }
    return out;
}

const QSet<QString> &topLevelSystemDirs()
{
    static const QSet<QString> dirs = {
        QStringLiteral("bin"),  QStringLiteral("boot"),  QStringLiteral("dev"),   QStringLiteral("etc"),
        QStringLiteral("lib"),  QStringLiteral("lib32"), QStringLiteral("lib64"), QStringLiteral("libx32"),
        QStringLiteral("opt"),  QStringLiteral("proc"),  QStringLiteral("root"),  QStringLiteral("run"),
        QStringLiteral("sbin"), QStringLiteral("srv"),   QStringLiteral("sys"),   QStringLiteral("usr"),
        QStringLiteral("var"),  QStringLiteral("snap"),  QStringLiteral("home"),
    };
    return dirs;
}

// Protected themselves, but clearing what is inside them is ordinary housekeeping.
const QSet<QString> &topLevelDirsOnly()
{
    static const QSet<QString> dirs = {QStringLiteral("tmp"), QStringLiteral("mnt"), QStringLiteral("media")};
    return dirs;
}

const QSet<QString> &secondLevelSystemDirs()
{
    static const QSet<QString> dirs = {
        QStringLiteral("usr/bin"),     QStringLiteral("usr/sbin"),  QStringLiteral("usr/lib"),
        QStringLiteral("usr/lib32"),   QStringLiteral("usr/lib64"), QStringLiteral("usr/libexec"),
        QStringLiteral("usr/include"), QStringLiteral("usr/share"), QStringLiteral("usr/local"),
        QStringLiteral("var/lib"),     QStringLiteral("boot/efi"),
    };
    return dirs;
}

QString homeName(const QString &user)
{
    return user == QLatin1String("~") ? QStringLiteral("the home directory") : QStringLiteral("/home/%1").arg(user);
}

// What deleting `path` (absolute) would destroy, when it is something precious.
std::optional<QString> preciousAbsolute(const QString &path)
{
    const QStringList c = absoluteComponents(path);
    if (c.isEmpty()) {
        return QStringLiteral("the whole filesystem");
    }
    if (c.size() == 1) {
        if (hasGlob(c[0])) {
            return QStringLiteral("the whole filesystem");
        }
        if (c[0] == QLatin1String("home")) {
            return QStringLiteral("/home, every home directory");
        }
        if (topLevelSystemDirs().contains(c[0]) || topLevelDirsOnly().contains(c[0])) {
            return QStringLiteral("/%1, a system directory").arg(c[0]);
        }
        return std::nullopt;
    }
    const QString two = c[0] + QLatin1Char('/') + c[1];
    if (c.size() == 2) {
        if (c[0] == QLatin1String("home")) {
            return hasGlob(c[1]) ? QStringLiteral("every home directory") : homeName(c[1]);
        }
        if (isPureWildcard(c[1]) && topLevelSystemDirs().contains(c[0])) {
            return QStringLiteral("everything in /%1").arg(c[0]);
        }
        if (secondLevelSystemDirs().contains(two)) {
            return QStringLiteral("/%1, a system directory").arg(two);
        }
        return std::nullopt;
    }
    if (c.size() == 3 && isPureWildcard(c[2])) {
        if (c[0] == QLatin1String("home")) {
            return QStringLiteral("everything in %1").arg(homeName(c[1]));
        }
        if (secondLevelSystemDirs().contains(two)) {
            return QStringLiteral("everything in /%1").arg(two);
        }
    }
    return std::nullopt;
}

struct Precious
{
    QString what;      // e.g. "the whole filesystem"
    QString condition; // e.g. " if $DIR is empty or unset"
};

// What an operation on `word` (one shell word, unexpanded) would hit, when it is something precious.
// `relative` also counts the current directory ("*", ".", "./*") — a remote command starts in the home.
std::optional<Precious> precious(const QString &word, bool relative)
{
    static const QRegularExpression expansion(
        QStringLiteral("^(\\$[A-Za-z_][A-Za-z0-9_]*|\\$\\{[^}]*\\}|\\$\\([^)]*\\)|`[^`]*`)(.*)$"));
    const QStringList candidates = braceExpand(word);
    for (const QString &target : candidates) {
        if (target.isEmpty()) {
            continue;
        }
        const auto m = expansion.match(target);
        static const QStringList currentDir = {QStringLiteral("$PWD"), QStringLiteral("${PWD}"),
                                               QStringLiteral("$(pwd)"), QStringLiteral("`pwd`")};
        if (m.hasMatch() && currentDir.contains(m.captured(1))) {
            if (relative) {
                if (auto hit = precious(QLatin1Char('.') + m.captured(2), true)) {
                    return hit;
                }
            }
            continue;
        }
        if (m.hasMatch()) {
            const QString var = m.captured(1);
            const QString rest = m.captured(2);
            if (var == QLatin1String("$HOME") || var == QLatin1String("${HOME}")) {
                if (auto what = preciousAbsolute(QStringLiteral("/home/~") + rest)) {
                    return Precious{*what, {}};
                }
            } else if (rest.startsWith(QLatin1Char('/'))) {
                if (auto what = preciousAbsolute(rest)) {
                    return Precious{*what, QStringLiteral(" if %1 is empty or unset").arg(var)};
                }
            }
            continue;
        }
        if (target.startsWith(QLatin1Char('~'))) {
            const qsizetype slash = target.indexOf(QLatin1Char('/'));
            const QString user = target.mid(1, slash < 0 ? -1 : slash - 1);
            const QString rest = slash < 0 ? QString() : target.mid(slash);
            const QString base = user == QLatin1String("root")
                                     ? QStringLiteral("/root")
                                     : QStringLiteral("/home/%1").arg(user.isEmpty() ? QStringLiteral("~") : user);
            if (auto what = preciousAbsolute(base + rest)) {
                return Precious{*what, {}};
            }
            continue;
        }
        if (target.startsWith(QLatin1Char('/'))) {
            if (auto what = preciousAbsolute(target)) {
                return Precious{*what, {}};
            }
            continue;
        }
        if (!relative) {
            continue;
        }
        // Relative: only dots and parents, optionally ending in a pure wildcard.
        const QStringList parts = target.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        bool onlyUp = true;
        int ups = 0;
        for (qsizetype k = 0; k < parts.size(); ++k) {
            const QString &part = parts.at(k);
            if (part == QLatin1String(".")) {
                continue;
            }
            if (part == QLatin1String("..")) {
                ++ups;
                continue;
            }
            if (k == parts.size() - 1 && isPureWildcard(part)) {
                continue;
            }
            onlyUp = false;
            break;
        }
        if (onlyUp) {
            return Precious{ups == 0 ? QStringLiteral("everything in the current directory (a remote command starts "
                                                      "in the login user's home)")
                                     : QStringLiteral("the parent directory and everything in it"),
                            {}};
        }
    }
    return std::nullopt;
}

bool isBlockDevice(const QString &word)
{
    static const QRegularExpression re(QStringLiteral(
        "^/dev/(sd[a-z]+[0-9]*|hd[a-z]+[0-9]*|vd[a-z]+[0-9]*|xvd[a-z]+[0-9]*|nvme[0-9]+(n[0-9]+(p[0-9]+)?)?"
        "|mmcblk[0-9]+(p[0-9]+|boot[0-9]+)?|r?disk[0-9].*|disk/.+|md[0-9]+.*|md/.+|dm-[0-9]+|mapper/.+"
        "|loop[0-9]+|nbd[0-9]+.*|zd[0-9]+.*|sr[0-9]+|pmem[0-9]+.*|rbd[0-9]+.*|mem|kmem|port)$"));
    if (!word.startsWith(QLatin1String("/dev/"))) {
        return false;
    }
    const QString normalized = QLatin1Char('/') + absoluteComponents(word).join(QLatin1Char('/'));
    return re.match(normalized).hasMatch();
}

bool isSysrq(const QString &word)
{
    return QLatin1Char('/') + absoluteComponents(word).join(QLatin1Char('/')) == QLatin1String("/proc/sysrq-trigger");
}

// ---------------------------------------------------------------------------------------------------------
// Options.

bool isOption(const QString &word)
{
    return word.size() > 1 && word.startsWith(QLatin1Char('-'));
}

// Short flags in one or more "-xyz" clusters, and long ones, are any of `flags`.
bool hasFlag(const QStringList &args, const QString &shortFlags, const QStringList &longFlags)
{
    for (const QString &w : args) {
        if (w == QLatin1String("--")) {
            return false;
        }
        if (w.startsWith(QLatin1String("--"))) {
            if (longFlags.contains(w.section(QLatin1Char('='), 0, 0))) {
                return true;
            }
        } else if (isOption(w)) {
            for (qsizetype k = 1; k < w.size(); ++k) {
                if (shortFlags.contains(w.at(k))) {
                    return true;
                }
            }
        }
    }
    return false;
}

// Words that are not options (everything after "--" counts).
QStringList operands(const QStringList &args)
{
    QStringList out;
    bool afterDashDash = false;
    for (const QString &w : args) {
        if (!afterDashDash && w == QLatin1String("--")) {
            afterDashDash = true;
            continue;
        }
        if (afterDashDash || !isOption(w)) {
            out << w;
        }
    }
    return out;
}

// Drops the leading options of a wrapper; `withArg` are the short options that take a value, `longWithArg`
// the long ones ("--user"); returns what follows (the wrapped command).
QStringList skipOptions(const QStringList &args, const QString &withArg, const QStringList &longWithArg = {})
{
    qsizetype k = 0;
    while (k < args.size()) {
        const QString &w = args.at(k);
        if (w == QLatin1String("--")) {
            return args.mid(k + 1);
        }
        if (w.startsWith(QLatin1String("--"))) {
            k += (!w.contains(QLatin1Char('=')) && longWithArg.contains(w)) ? 2 : 1;
            continue;
        }
        if (!isOption(w)) {
            break;
        }
        qsizetype skip = 1;
        for (qsizetype j = 1; j < w.size(); ++j) {
            if (withArg.contains(w.at(j))) {
                if (j == w.size() - 1) {
                    skip = 2; // the value is the next word
                }
                break; // the rest of the cluster is the value
            }
        }
        k += skip;
    }
    return args.mid(k);
}

bool isAssignment(const QString &word)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*(\\[[^]]*\\])?\\+?="));
    return re.match(word).hasMatch();
}

const QSet<QString> &shells()
{
    static const QSet<QString> names = {QStringLiteral("sh"),  QStringLiteral("bash"), QStringLiteral("dash"),
                                        QStringLiteral("zsh"), QStringLiteral("ksh"),  QStringLiteral("mksh"),
                                        QStringLiteral("ash"), QStringLiteral("yash"), QStringLiteral("fish")};
    return names;
}

// ---------------------------------------------------------------------------------------------------------
// The rules.

struct Refusal
{
    QString rule;
    QString shown;       // what was matched, as the user would recognise it
    QString consequence; // "would delete the whole filesystem"
};
using Outcome = std::optional<Refusal>;

Refusal refuse(const QString &rule, const QString &shown, const QString &consequence)
{
    return {rule, shown, consequence};
}

QString shownOf(const QStringList &argv)
{
    QString text = argv.join(QLatin1Char(' '));
    if (text.size() > kMaxShown) {
        text = text.left(kMaxShown - 3) + QStringLiteral("...");
    }
    return text;
}

Outcome checkRm(const QStringList &argv)
{
    const QStringList args = argv.mid(1);
    const QString shown = shownOf(argv);
    if (args.contains(QStringLiteral("--no-preserve-root"))) {
        return refuse(QStringLiteral("rm"), shown, QStringLiteral("turns off rm's protection of '/'"));
    }
    const bool recursive = hasFlag(args, QStringLiteral("rR"), {QStringLiteral("--recursive")});
    const QStringList targets = operands(args);
    for (const QString &target : targets) {
        const auto hit = precious(target, recursive);
        if (!hit) {
            continue;
        }
        // Without -r, rm only removes files: dangerous only when a wildcard sweeps a precious directory.
        if (!recursive && !hasGlob(target.section(QLatin1Char('/'), -1))) {
            continue;
        }
        return refuse(QStringLiteral("rm"), shown, QStringLiteral("would delete %1%2").arg(hit->what, hit->condition));
    }
    return std::nullopt;
}

Outcome checkFind(const QStringList &argv)
{
    QStringList starts;
    qsizetype k = 1;
    while (k < argv.size() && (argv.at(k) == QLatin1String("-H") || argv.at(k) == QLatin1String("-L") ||
                               argv.at(k) == QLatin1String("-P"))) {
        ++k;
    }
    for (; k < argv.size(); ++k) {
        const QString &w = argv.at(k);
        if (w.startsWith(QLatin1Char('-')) || w == QLatin1String("(") || w == QLatin1String("!")) {
            break;
        }
        starts << w;
    }
    bool deletes = argv.contains(QStringLiteral("-delete"));
    for (qsizetype j = k; j + 1 < argv.size() && !deletes; ++j) {
        if (argv.at(j) == QLatin1String("-exec") || argv.at(j) == QLatin1String("-execdir") ||
            argv.at(j) == QLatin1String("-ok") || argv.at(j) == QLatin1String("-okdir")) {
            const QString tool = baseName(argv.at(j + 1));
            deletes = tool == QLatin1String("rm") || tool == QLatin1String("shred") || tool == QLatin1String("rmdir");
        }
    }
    if (!deletes) {
        return std::nullopt;
    }
    // find deletes what is under its starting points: "find /tmp ... -delete" is housekeeping, "find / ..." is not.
    for (const QString &start : std::as_const(starts)) {
        if (const auto hit = precious(start + QStringLiteral("/*"), false)) {
            return refuse(QStringLiteral("find-delete"), shownOf(argv),
                          QStringLiteral("would delete %1%2").arg(hit->what, hit->condition));
        }
    }
    return std::nullopt;
}

Outcome checkChangeOwnerOrMode(const QString &name, const QStringList &argv)
{
    const QStringList args = argv.mid(1);
    if (!hasFlag(args, QStringLiteral("R"), {QStringLiteral("--recursive")})) {
        return std::nullopt;
    }
    QStringList targets = operands(args);
    const bool reference = std::any_of(args.cbegin(), args.cend(),
                                       [](const QString &w) { return w.startsWith(QLatin1String("--reference")); });
    if (!reference && !targets.isEmpty()) {
        targets.removeFirst(); // the mode or the owner
    }
    const QString what = name == QLatin1String("chmod") ? QStringLiteral("permissions") : QStringLiteral("ownership");
    for (const QString &target : std::as_const(targets)) {
        if (const auto hit = precious(target, false)) {
            return refuse(
                QStringLiteral("chmod"), shownOf(argv),
                QStringLiteral("would change the %1 of every file in %2%3").arg(what, hit->what, hit->condition));
        }
    }
    return std::nullopt;
}

Outcome checkMv(const QStringList &argv)
{
    QStringList sources = operands(argv.mid(1));
    const bool targetDirOption = hasFlag(argv.mid(1), QStringLiteral("t"), {QStringLiteral("--target-directory")});
    if (!targetDirOption && !sources.isEmpty()) {
        sources.removeLast();
    }
    for (const QString &source : std::as_const(sources)) {
        if (const auto hit = precious(source, false)) {
            return refuse(QStringLiteral("mv"), shownOf(argv),
                          QStringLiteral("would move away %1%2").arg(hit->what, hit->condition));
        }
    }
    return std::nullopt;
}

Outcome checkDeviceWriters(const QString &name, const QStringList &argv)
{
    const QStringList args = argv.mid(1);
    auto onDisk = [&](const QString &device) {
        return refuse(QStringLiteral("device-write"), shownOf(argv),
                      QStringLiteral("would overwrite the disk %1").arg(device));
    };
    if (name == QLatin1String("dd")) {
        for (const QString &w : args) {
            if (w.startsWith(QLatin1String("of=")) && isBlockDevice(w.mid(3))) {
                return onDisk(w.mid(3));
            }
        }
    } else if (name == QLatin1String("tee")) {
        for (const QString &w : operands(args)) {
            if (isBlockDevice(w)) {
                return onDisk(w);
            }
            if (isSysrq(w)) {
                return refuse(QStringLiteral("sysrq"), shownOf(argv),
                              QStringLiteral("triggers a kernel SysRq action (e.g. an immediate reboot)"));
            }
        }
    } else if (name == QLatin1String("cp") || name == QLatin1String("install")) {
        const QStringList ops = operands(args);
        if (!ops.isEmpty() && isBlockDevice(ops.last())) {
            return onDisk(ops.last());
        }
    } else if (name == QLatin1String("shred")) {
        for (const QString &w : operands(args)) {
            if (w.startsWith(QLatin1String("/dev/"))) {
                return refuse(QStringLiteral("device-write"), shownOf(argv),
                              QStringLiteral("would destroy everything on %1").arg(w));
            }
        }
    }
    return std::nullopt;
}

bool onlyHelp(const QStringList &args)
{
    return !args.isEmpty() && std::all_of(args.cbegin(), args.cend(), [](const QString &w) {
        return w == QLatin1String("--help") || w == QLatin1String("-h") || w == QLatin1String("--version") ||
               w == QLatin1String("-V");
    });
}

Outcome checkPower(const QString &name, const QStringList &argv)
{
    const QStringList args = argv.mid(1);
    const QString shown = shownOf(argv);
    static const QSet<QString> powerCommands = {QStringLiteral("shutdown"), QStringLiteral("reboot"),
                                                QStringLiteral("poweroff"), QStringLiteral("halt")};
    if (powerCommands.contains(name)) {
        if (onlyHelp(args) || (name == QLatin1String("shutdown") && args.contains(QStringLiteral("-c")))) {
            return std::nullopt;
        }
        return refuse(QStringLiteral("power"), shown, QStringLiteral("would take the machine down"));
    }
    if (name == QLatin1String("init") || name == QLatin1String("telinit")) {
        static const QSet<QString> levels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("6"),
                                             QStringLiteral("s"), QStringLiteral("S")};
        const QStringList ops = operands(args);
        if (!ops.isEmpty() && levels.contains(ops.first())) {
            return refuse(QStringLiteral("power"), shown,
                          QStringLiteral("would switch to runlevel %1 and take the machine down").arg(ops.first()));
        }
        return std::nullopt;
    }
    if (name == QLatin1String("systemctl") || name == QLatin1String("loginctl")) {
        static const QSet<QString> verbs = {QStringLiteral("poweroff"),    QStringLiteral("reboot"),
                                            QStringLiteral("halt"),        QStringLiteral("kexec"),
                                            QStringLiteral("soft-reboot"), QStringLiteral("rescue"),
                                            QStringLiteral("emergency")};
        static const QSet<QString> targetVerbs = {QStringLiteral("start"), QStringLiteral("isolate"),
                                                  QStringLiteral("restart"), QStringLiteral("reload-or-restart")};
        // Options that take a value, so their value is not mistaken for the verb.
        const QStringList ops =
            operands(skipOptions(args, QStringLiteral("HMnopst"),
                                 {QStringLiteral("--host"), QStringLiteral("--machine"), QStringLiteral("--lines"),
                                  QStringLiteral("--output"), QStringLiteral("--property"), QStringLiteral("--signal"),
                                  QStringLiteral("--type"), QStringLiteral("--state"), QStringLiteral("--root")}));
        if (ops.isEmpty()) {
            return std::nullopt;
        }
        if (verbs.contains(ops.first())) {
            return refuse(QStringLiteral("power"), shown, QStringLiteral("would take the machine down"));
        }
        if (targetVerbs.contains(ops.first())) {
            for (const QString &unit : ops.mid(1)) {
                const QString bare = unit.endsWith(QLatin1String(".target")) ? unit.chopped(7) : unit;
                if (verbs.contains(bare) || bare == QLatin1String("shutdown")) {
                    return refuse(QStringLiteral("power"), shown, QStringLiteral("would take the machine down"));
                }
            }
        }
    }
    return std::nullopt;
}

Outcome checkKill(const QStringList &argv)
{
    qsizetype k = 1;
    if (k < argv.size() && (argv.at(k) == QLatin1String("-s") || argv.at(k) == QLatin1String("-n"))) {
        k += 2;
    } else if (k < argv.size() && isOption(argv.at(k)) && argv.at(k) != QLatin1String("--")) {
        if (argv.at(k) == QLatin1String("-l") || argv.at(k) == QLatin1String("-L")) {
            return std::nullopt;
        }
        ++k; // -9, -KILL, -SIGTERM
    }
    if (k < argv.size() && argv.at(k) == QLatin1String("--")) {
        ++k;
    }
    for (; k < argv.size(); ++k) {
        if (argv.at(k) == QLatin1String("-1")) {
            return refuse(QStringLiteral("kill-all"), shownOf(argv), QStringLiteral("would kill every process"));
        }
        if (argv.at(k) == QLatin1String("1")) {
            return refuse(QStringLiteral("kill-all"), shownOf(argv),
                          QStringLiteral("would kill init and take the machine down"));
        }
    }
    return std::nullopt;
}

// wipefs erases only with -a/--all or -o/--offset, and never with -n/--no-act; alone it lists the signatures.
bool wipefsErases(const QStringList &args)
{
    return hasFlag(args, QStringLiteral("ao"), {QStringLiteral("--all"), QStringLiteral("--offset")}) &&
           !hasFlag(args, QStringLiteral("n"), {QStringLiteral("--no-act")});
}

// The subcommand of a "tool <subcommand> ..." CLI (qm, pct, pvecm, pvesh, zpool, lvm): its first operand.
QString subcommandOf(const QStringList &argv)
{
    return operands(argv.mid(1)).value(0);
}

// Proxmox VE's own commands that destroy a guest or change who the cluster counts: qm/pct destroy (the guest
// and its disks), pvesh delete of a guest (the same through the API), pvecm expected (overrides the votes
// quorum needs: both halves of a split cluster may then write) and pvecm delnode (removes a node for good).
// Everything else they do (list, status, config, start, stop, pvesh get) is allowed.
Outcome checkProxmox(const QString &name, const QStringList &argv)
{
    const QString sub = subcommandOf(argv);
    if (onlyHelp(argv.mid(2))) {
        return std::nullopt; // "qm destroy --help"
    }
    if ((name == QLatin1String("qm") || name == QLatin1String("pct")) && sub == QLatin1String("destroy")) {
        return refuse(QStringLiteral("guest-destroy"), shownOf(argv),
                      name == QLatin1String("qm")
                          ? QStringLiteral("would destroy a virtual machine and delete its disks")
                          : QStringLiteral("would destroy a container and delete its volumes"));
    }
    if (name == QLatin1String("pvesh") && sub == QLatin1String("delete")) {
        static const QRegularExpression guest(QStringLiteral("^/*nodes/+[^/]+/+(qemu|lxc)/+[^/]+/*$"));
        if (guest.match(operands(argv.mid(1)).value(1)).hasMatch()) {
            return refuse(QStringLiteral("guest-destroy"), shownOf(argv),
                          QStringLiteral("would destroy a guest and delete its disks"));
        }
        return std::nullopt;
    }
    if (name == QLatin1String("pvecm")) {
        if (sub == QLatin1String("expected")) {
            return refuse(QStringLiteral("cluster"), shownOf(argv),
                          QStringLiteral("would override the votes the cluster needs for quorum (a split cluster "
                                         "could then run the same guests twice)"));
        }
        if (sub == QLatin1String("delnode")) {
            return refuse(QStringLiteral("cluster"), shownOf(argv),
                          QStringLiteral("would remove a node from the cluster for good"));
        }
    }
    return std::nullopt;
}

// Pools and volumes: zpool destroy, and LVM's lvremove/vgremove (also as "lvm lvremove"); their -t/--test runs
// change nothing. zpool status/list, lvs, vgs and friends are allowed.
Outcome checkVolumes(const QString &name, const QStringList &argv)
{
    if (name == QLatin1String("zpool")) {
        if (subcommandOf(argv) == QLatin1String("destroy") && !onlyHelp(argv.mid(2))) {
            return refuse(QStringLiteral("volume-destroy"), shownOf(argv),
                          QStringLiteral("would destroy a ZFS pool and everything on it"));
        }
        return std::nullopt;
    }
    if (name == QLatin1String("lvm")) {
        const QStringList inner = operands(argv.mid(1));
        return inner.isEmpty() ? std::nullopt : checkVolumes(inner.first(), argv.mid(1));
    }
    if (name != QLatin1String("lvremove") && name != QLatin1String("vgremove")) {
        return std::nullopt;
    }
    const QStringList args = argv.mid(1);
    if (onlyHelp(args) || hasFlag(args, QStringLiteral("t"), {QStringLiteral("--test")})) {
        return std::nullopt;
    }
    return refuse(QStringLiteral("volume-destroy"), shownOf(argv),
                  name == QLatin1String("lvremove")
                      ? QStringLiteral("would delete a logical volume and the data on it")
                      : QStringLiteral("would delete a volume group and every logical volume in it"));
}

Outcome checkRules(const QStringList &argv)
{
    const QString name = baseName(argv.first());
    if (name == QLatin1String("rm")) {
        return checkRm(argv);
    }
    if (name == QLatin1String("find")) {
        return checkFind(argv);
    }
    if (name == QLatin1String("chmod") || name == QLatin1String("chown") || name == QLatin1String("chgrp")) {
        return checkChangeOwnerOrMode(name, argv);
    }
    if (name == QLatin1String("mv")) {
        return checkMv(argv);
    }
    if (name.startsWith(QLatin1String("mkfs")) || name == QLatin1String("mke2fs") || name == QLatin1String("mkswap") ||
        name == QLatin1String("wipefs") || name == QLatin1String("blkdiscard")) {
        if (onlyHelp(argv.mid(1))) {
            return std::nullopt;
        }
        if (name == QLatin1String("wipefs") && !wipefsErases(argv.mid(1))) {
            return std::nullopt; // without -a or -o, or with -n, wipefs only lists the signatures
        }
        const bool swap = name == QLatin1String("mkswap");
        const bool wipe = name == QLatin1String("wipefs") || name == QLatin1String("blkdiscard");
        return refuse(QStringLiteral("mkfs"), shownOf(argv),
                      swap   ? QStringLiteral("would turn a partition or file into swap, destroying what is on it")
                      : wipe ? QStringLiteral("would wipe the signatures or data of a disk")
                             : QStringLiteral("would create a new filesystem, destroying what is on the device"));
    }
    if (auto refusal = checkDeviceWriters(name, argv)) {
        return refusal;
    }
    if (auto refusal = checkProxmox(name, argv)) {
        return refusal;
    }
    if (auto refusal = checkVolumes(name, argv)) {
        return refusal;
    }
    if (name == QLatin1String("kill")) {
        return checkKill(argv);
    }
    return checkPower(name, argv);
}

// ---------------------------------------------------------------------------------------------------------
// Wrappers: commands that run the command that follows their options. env (-S splits a string into a command),
// su/runuser (-c) and the shells (-c, here-strings, piped text) are read by code of their own in Analyzer.

// The options that make a wrapper run nothing but a query (sudo -l, command -v, ionice -p, taskset -p).
struct QueryOnly
{
    enum Where { Nowhere, FirstWord, AnyWord } where = Nowhere;
    QString shortFlags = {};
    QStringList longFlags = {};
};

struct Wrapper
{
    QString name = {};
    // false: the wrapped command follows at once (nohup, builtin, busybox, eval)
    bool takesOptions = true;
    // short options that take a value, in one string ("ugp" for -u, -g, -p)
    QString shortWithValue = {};
    // long options that take a value unless given as --name=value
    QStringList longWithValue = {};
    QueryOnly queryOnly = {};
    // words between the options and the command: timeout's duration, taskset's mask, chroot's new root, ssh's host
    int leadingOperands = 0;
    // what follows is shell text (eval, watch, ssh), not one command's words
    bool runsText = false;
};

const QList<Wrapper> &wrappers()
{
    static const QList<Wrapper> table = {
        {.name = QStringLiteral("sudo"),
         .shortWithValue = QStringLiteral("ugpChDRTUrt"),
         .longWithValue = {QStringLiteral("--user"), QStringLiteral("--group"), QStringLiteral("--host"),
                           QStringLiteral("--prompt"), QStringLiteral("--close-from"), QStringLiteral("--chdir"),
                           QStringLiteral("--chroot"), QStringLiteral("--command-timeout"),
                           QStringLiteral("--other-user"), QStringLiteral("--role"), QStringLiteral("--type")},
         .queryOnly = {QueryOnly::FirstWord,
                       QStringLiteral("elv"),
                       {QStringLiteral("--edit"), QStringLiteral("--list")}}},
        {.name = QStringLiteral("doas"), .shortWithValue = QStringLiteral("uC")},
        {.name = QStringLiteral("nohup"), .takesOptions = false},
        {.name = QStringLiteral("builtin"), .takesOptions = false},
        {.name = QStringLiteral("busybox"), .takesOptions = false},
        {.name = QStringLiteral("command"), .queryOnly = {QueryOnly::FirstWord, QStringLiteral("vV"), {}}},
        {.name = QStringLiteral("time"),
         .shortWithValue = QStringLiteral("fo"),
         .longWithValue = {QStringLiteral("--format"), QStringLiteral("--output")}},
        {.name = QStringLiteral("exec"), .shortWithValue = QStringLiteral("a")},
        {.name = QStringLiteral("setsid")},
        {.name = QStringLiteral("stdbuf"),
         .shortWithValue = QStringLiteral("ioe"),
         .longWithValue = {QStringLiteral("--input"), QStringLiteral("--output"), QStringLiteral("--error")}},
        {.name = QStringLiteral("nice"),
         .shortWithValue = QStringLiteral("n"),
         .longWithValue = {QStringLiteral("--adjustment")}},
        {.name = QStringLiteral("ionice"),
         .shortWithValue = QStringLiteral("cn"),
         .longWithValue = {QStringLiteral("--class"), QStringLiteral("--classdata")},
         .queryOnly = {QueryOnly::AnyWord,
                       QStringLiteral("pPu"),
                       {QStringLiteral("--pid"), QStringLiteral("--pgid"), QStringLiteral("--uid")}}},
        {.name = QStringLiteral("timeout"),
         .shortWithValue = QStringLiteral("sk"),
         .longWithValue = {QStringLiteral("--signal"), QStringLiteral("--kill-after")},
         .leadingOperands = 1},
        {.name = QStringLiteral("taskset"),
         .queryOnly = {QueryOnly::AnyWord, QStringLiteral("p"), {QStringLiteral("--pid")}},
         .leadingOperands = 1},
        {.name = QStringLiteral("chroot"),
         .longWithValue = {QStringLiteral("--userspec"), QStringLiteral("--groups")},
         .leadingOperands = 1},
        {.name = QStringLiteral("xargs"),
         .shortWithValue = QStringLiteral("adEILnPs"),
         .longWithValue = {QStringLiteral("--arg-file"), QStringLiteral("--delimiter"), QStringLiteral("--eof"),
                           QStringLiteral("--replace"), QStringLiteral("--max-lines"), QStringLiteral("--max-args"),
                           QStringLiteral("--max-procs"), QStringLiteral("--max-chars"),
                           QStringLiteral("--process-slot-var")}},
        {.name = QStringLiteral("watch"),
         .shortWithValue = QStringLiteral("nq"),
         .longWithValue = {QStringLiteral("--interval")},
         .runsText = true},
        {.name = QStringLiteral("eval"), .takesOptions = false, .runsText = true},
        {.name = QStringLiteral("ssh"),
         .shortWithValue = QStringLiteral("BbcDEeFIiJLlmOopQRSWw"),
         .leadingOperands = 1,
         .runsText = true},
    };
    return table;
}

const Wrapper *wrapperNamed(const QString &name)
{
    for (const Wrapper &w : wrappers()) {
        if (w.name == name) {
            return &w;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// Putting it together: strips wrappers, follows nested commands, applies the rules.

class Analyzer
{
public:
    Outcome analyzeText(const QString &text, int depth)
    {
        if (depth > kMaxDepth) {
            return refuse(QStringLiteral("too-deep"), text.left(kMaxShown),
                          QStringLiteral("nests commands too deeply to be checked"));
        }
        if (auto bomb = forkBomb(text)) {
            return bomb;
        }
        const Parsed parsed = Lexer(text).run();
        for (const QString &nested : parsed.nested) {
            if (auto refusal = analyzeText(nested, depth + 1)) {
                return refusal;
            }
        }
        for (const Pipeline &pipeline : parsed.pipelines) {
            for (qsizetype k = 0; k < pipeline.size(); ++k) {
                const SimpleCommand *previous = k > 0 ? &pipeline.at(k - 1) : nullptr;
                if (auto refusal = analyzeSimple(pipeline.at(k), previous, depth)) {
                    return refusal;
                }
            }
        }
        return std::nullopt;
    }

private:
    static Outcome forkBomb(const QString &text)
    {
        // name() { body }  and  function name { body }
        static const QRegularExpression definitions[] = {
            QRegularExpression(QStringLiteral("([^\\s(){}|&;<>'\"`$]+)\\s*\\(\\s*\\)\\s*\\{([^}]*)\\}")),
            QRegularExpression(
                QStringLiteral("function\\s+([^\\s(){}|&;<>'\"`$]+)\\s*(?:\\(\\s*\\)\\s*)?\\{([^}]*)\\}")),
        };
        static const QRegularExpression commandSeparators(QStringLiteral("[|&;\\n]"));
        for (const QRegularExpression &definition : definitions) {
            auto it = definition.globalMatch(text);
            while (it.hasNext()) {
                const auto m = it.next();
                const QString name = m.captured(1);
                const QString body = m.captured(2);
                if (!body.contains(QLatin1Char('&')) && !body.contains(QLatin1Char('|'))) {
                    continue;
                }
                // Does the body run the function itself (in command position)?
                const QStringList segments = body.split(commandSeparators);
                const bool recursive = std::any_of(segments.cbegin(), segments.cend(), [&](const QString &segment) {
                    return segment.simplified().section(QLatin1Char(' '), 0, 0) == name;
                });
                if (recursive) {
                    return refuse(QStringLiteral("fork-bomb"), m.captured(0).simplified().left(kMaxShown),
                                  QStringLiteral("is a fork bomb that would exhaust the machine's processes"));
                }
            }
        }
        return std::nullopt;
    }

    Outcome analyzeSimple(const SimpleCommand &cmd, const SimpleCommand *previous, int depth)
    {
        static const QSet<QString> outputOps = {QStringLiteral(">"),  QStringLiteral(">>"),  QStringLiteral(">|"),
                                                QStringLiteral("&>"), QStringLiteral("&>>"), QStringLiteral(">&"),
                                                QStringLiteral("<>")};
        for (const Redirect &r : cmd.redirects) {
            if (outputOps.contains(r.op)) {
                if (isBlockDevice(r.target)) {
                    return refuse(QStringLiteral("device-write"), QStringLiteral("%1 %2").arg(r.op, r.target),
                                  QStringLiteral("would overwrite the disk %1").arg(r.target));
                }
                if (isSysrq(r.target)) {
                    return refuse(QStringLiteral("sysrq"), QStringLiteral("%1 %2").arg(r.op, r.target),
                                  QStringLiteral("triggers a kernel SysRq action (e.g. an immediate reboot)"));
                }
            }
        }
        return analyzeArgv(cmd.words, cmd, previous, depth);
    }

    Outcome analyzeArgv(QStringList argv, const SimpleCommand &cmd, const SimpleCommand *previous, int depth)
    {
        static const QSet<QString> keywords = {
            QStringLiteral("{"),     QStringLiteral("}"),     QStringLiteral("!"),    QStringLiteral("then"),
            QStringLiteral("do"),    QStringLiteral("else"),  QStringLiteral("elif"), QStringLiteral("if"),
            QStringLiteral("while"), QStringLiteral("until"), QStringLiteral("done"), QStringLiteral("fi"),
        };
        for (int guard = 0; guard < 64; ++guard) {
            while (!argv.isEmpty() && (keywords.contains(argv.first()) || isAssignment(argv.first()))) {
                argv.removeFirst();
            }
            if (argv.isEmpty()) {
                return std::nullopt;
            }
            const QString name = baseName(argv.first());
            const QStringList rest = argv.mid(1);
            if (const Wrapper *wrapper = wrapperNamed(name)) {
                const QueryOnly &query = wrapper->queryOnly;
                if (query.where != QueryOnly::Nowhere &&
                    hasFlag(query.where == QueryOnly::FirstWord ? rest.mid(0, 1) : rest, query.shortFlags,
                            query.longFlags)) {
                    return std::nullopt; // it only lists or looks something up
                }
                argv =
                    wrapper->takesOptions ? skipOptions(rest, wrapper->shortWithValue, wrapper->longWithValue) : rest;
                argv = argv.mid(qMin<qsizetype>(wrapper->leadingOperands, argv.size()));
                if (wrapper->runsText) {
                    if (argv.isEmpty()) {
                        return std::nullopt; // nothing to run
                    }
                    return analyzeText(argv.join(QLatin1Char(' ')), depth + 1);
                }
            } else if (name == QLatin1String("env")) {
                auto unwrapped = unwrapEnv(rest, depth);
                if (unwrapped.refusal || !unwrapped.argv) {
                    return unwrapped.refusal;
                }
                argv = *unwrapped.argv;
            } else if (name == QLatin1String("su") || name == QLatin1String("runuser")) {
                return analyzeSu(rest, depth);
            } else if (shells().contains(name)) {
                return analyzeShell(rest, cmd, previous, depth);
            } else {
                return checkRules(argv);
            }
        }
        return std::nullopt;
    }

    struct EnvUnwrap
    {
        std::optional<QStringList> argv;
        Outcome refusal;
    };

    EnvUnwrap unwrapEnv(const QStringList &args, int depth)
    {
        qsizetype k = 0;
        while (k < args.size()) {
            const QString &w = args.at(k);
            if (w == QLatin1String("--")) {
                ++k;
                break;
            }
            if (w == QLatin1String("-S") || w == QLatin1String("--split-string")) {
                const QString inner = (QStringList(args.value(k + 1)) + args.mid(k + 2)).join(QLatin1Char(' '));
                return {std::nullopt, analyzeText(inner, depth + 1)};
            }
            if (w.startsWith(QLatin1String("-S")) || w.startsWith(QLatin1String("--split-string="))) {
                const QString first = w.startsWith(QLatin1String("-S")) ? w.mid(2) : w.section(QLatin1Char('='), 1);
                const QString inner = (QStringList(first) + args.mid(k + 1)).join(QLatin1Char(' '));
                return {std::nullopt, analyzeText(inner, depth + 1)};
            }
            if (w == QLatin1String("-u") || w == QLatin1String("-C") || w == QLatin1String("--unset") ||
                w == QLatin1String("--chdir")) {
                k += 2;
                continue;
            }
            if (isOption(w) || w == QLatin1String("-") || isAssignment(w)) {
                ++k;
                continue;
            }
            break;
        }
        return {args.mid(k), std::nullopt};
    }

    Outcome analyzeSu(const QStringList &args, int depth)
    {
        for (qsizetype k = 0; k < args.size(); ++k) {
            const QString &w = args.at(k);
            if ((w == QLatin1String("-c") || w == QLatin1String("--command")) && k + 1 < args.size()) {
                return analyzeText(args.at(k + 1), depth + 1);
            }
            if (w.startsWith(QLatin1String("--command="))) {
                return analyzeText(w.section(QLatin1Char('='), 1), depth + 1);
            }
        }
        return std::nullopt;
    }

    // sh -c '...', bash -lc "...", a shell reading a here-string, or a shell fed by echo/printf.
    Outcome analyzeShell(const QStringList &args, const SimpleCommand &cmd, const SimpleCommand *previous, int depth)
    {
        bool dashC = false;
        for (qsizetype k = 0; k < args.size(); ++k) {
            const QString &w = args.at(k);
            if (w == QLatin1String("--")) {
                if (dashC && k + 1 < args.size()) {
                    return analyzeText(args.at(k + 1), depth + 1);
                }
                return std::nullopt; // a script file follows
            }
            if (w.startsWith(QLatin1String("--"))) {
                if (w == QLatin1String("--rcfile") || w == QLatin1String("--init-file")) {
                    ++k;
                } else if (w == QLatin1String("--command")) {
                    dashC = true;
                }
                continue;
            }
            if (w.size() > 1 && (w.startsWith(QLatin1Char('-')) || w.startsWith(QLatin1Char('+')))) {
                if (w.mid(1).contains(QLatin1Char('c'))) {
                    dashC = true;
                }
                if (w.mid(1).contains(QLatin1Char('o')) || w.mid(1).contains(QLatin1Char('O'))) {
                    ++k; // -o option-name
                }
                continue;
            }
            if (dashC) {
                return analyzeText(w, depth + 1);
            }
            return std::nullopt; // a script file: not visible from here
        }
        for (const Redirect &r : cmd.redirects) {
            if (r.op == QLatin1String("<<<")) {
                return analyzeText(r.target, depth + 1);
            }
        }
        if (previous && !previous->words.isEmpty()) {
            const QString feeder = baseName(previous->words.first());
            if (feeder == QLatin1String("echo") || feeder == QLatin1String("printf")) {
                QStringList text = previous->words.mid(1);
                while (!text.isEmpty() && feeder == QLatin1String("echo") && isOption(text.first())) {
                    text.removeFirst();
                }
                return analyzeText(text.join(QLatin1Char(' ')), depth + 1);
            }
        }
        return std::nullopt;
    }
};

} // namespace

GuardVerdict checkCommand(const QString &command)
{
    Analyzer analyzer;
    const Outcome refusal = analyzer.analyzeText(command, 0);
    if (!refusal) {
        return {};
    }
    GuardVerdict verdict;
    verdict.allowed = false;
    verdict.rule = refusal->rule;
    verdict.reason =
        QStringLiteral("refused: '%1' %2; pass force to run it anyway").arg(refusal->shown, refusal->consequence);
    return verdict;
}

} // namespace gpudeck
