#include "proxmox/PvecmStatus.h"

#include <QRegularExpression>

namespace gpudeck {
namespace {

constexpr qsizetype kMaxShown = 80;

Error unreadable(const QString &message)
{
    return Error::validation(QStringLiteral("pvecm status"), message);
}

QString shown(const QString &line)
{
    const QString t = line.trimmed();
    return t.size() > kMaxShown ? t.left(kMaxShown - 3) + QStringLiteral("...") : t;
}

// "0x00000001" (corosync writes node ids in hex) or a plain decimal number.
bool readNodeId(const QString &text, int *out)
{
    bool ok = false;
    const int v =
        text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? text.mid(2).toInt(&ok, 16) : text.toInt(&ok, 10);
    if (ok && v >= 0) {
        *out = v;
    }
    return ok && v >= 0;
}

bool readCount(const QString &text, int *out)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (ok && v >= 0) {
        *out = v;
    }
    return ok && v >= 0;
}

enum class Section { None, Cluster, Quorum, Votequorum, Membership };

} // namespace

Result<PvecmStatus> parsePvecmStatus(const QString &text)
{
    if (text.contains(QLatin1String("is this node part of a cluster"))) {
        Error e = unreadable(QStringLiteral("this node is not part of a Proxmox VE cluster"));
        e.reason = QStringLiteral("proxmox_not_clustered");
        return e;
    }
    static const QRegularExpression keyValue(QStringLiteral("^\\s*([A-Za-z][A-Za-z ]*[A-Za-z]):\\s*(.*)$"));
    static const QRegularExpression underline(QStringLiteral("^\\s*[-~=]+\\s*$"));
    static const QRegularExpression member(QStringLiteral("^\\s*(0x[0-9A-Fa-f]+|[0-9]+)\\s+(\\S+)\\s*(.*)$"));

    PvecmStatus status;
    Section section = Section::None;
    bool sawQuorate = false;
    bool sawSection = false;
    bool qdeviceColumn = false;

    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = lines.at(n).trimmed().remove(QLatin1Char('\r'));
        if (line.isEmpty() || underline.match(line).hasMatch()) {
            continue;
        }
        const QString heading = line.toLower();
        if (heading == QLatin1String("cluster information")) {
            section = Section::Cluster;
        } else if (heading == QLatin1String("quorum information")) {
            section = Section::Quorum;
        } else if (heading == QLatin1String("votequorum information")) {
            section = Section::Votequorum;
        } else if (heading == QLatin1String("membership information")) {
            section = Section::Membership;
        }
        if (heading.endsWith(QLatin1String(" information"))) {
            sawSection = true;
            continue;
        }
        const auto bad = [&](const QString &what) {
            return unreadable(QStringLiteral("line %1 (%2): %3").arg(n + 1).arg(shown(line), what));
        };

        if (section == Section::Membership) {
            if (line.startsWith(QLatin1String("Nodeid"), Qt::CaseInsensitive)) {
                qdeviceColumn = line.contains(QLatin1String("Qdevice"), Qt::CaseInsensitive);
                continue;
            }
            const auto m = member.match(line);
            PvecmMember entry;
            if (!m.hasMatch() || !readNodeId(m.captured(1), &entry.nodeId)) {
                return bad(QStringLiteral("not a member line (node id, votes, name)"));
            }
            if (!readCount(m.captured(2), &entry.votes)) {
                return bad(QStringLiteral("the votes are not a number"));
            }
            QStringList rest = m.captured(3).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (!rest.isEmpty() && rest.last() == QLatin1String("(local)")) {
                entry.local = true;
                rest.removeLast();
            }
            if (qdeviceColumn && rest.size() >= 2) {
                entry.qdeviceFlags = rest.takeFirst();
            }
            if (rest.isEmpty()) {
                return bad(QStringLiteral("the member has no name"));
            }
            entry.name = rest.join(QLatin1Char(' '));
            status.members.append(entry);
            continue;
        }

        const auto kv = keyValue.match(line);
        if (!kv.hasMatch()) {
            continue; // a line this version does not print: nothing GPU Deck reads
        }
        const QString key = kv.captured(1).toLower();
        const QString value = kv.captured(2).trimmed();
        const QString first = value.section(QLatin1Char(' '), 0, 0);
        const auto count = [&](int *out) { return readCount(first, out); };

        if (key == QLatin1String("name")) {
            status.clusterName = value;
        } else if (key == QLatin1String("config version")) {
            if (!count(&status.configVersion)) {
                return bad(QStringLiteral("the config version is not a number"));
            }
        } else if (key == QLatin1String("transport")) {
            status.transport = value;
        } else if (key == QLatin1String("nodes")) {
            if (!count(&status.nodes)) {
                return bad(QStringLiteral("the node count is not a number"));
            }
        } else if (key == QLatin1String("node id")) {
            if (!readNodeId(first, &status.localNodeId)) {
                return bad(QStringLiteral("the node id is not a number"));
            }
        } else if (key == QLatin1String("quorate")) {
            if (value.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0) {
                status.quorate = true;
            } else if (value.compare(QLatin1String("no"), Qt::CaseInsensitive) == 0) {
                status.quorate = false;
            } else {
                return bad(QStringLiteral("quorate is neither Yes nor No"));
            }
            sawQuorate = true;
        } else if (key == QLatin1String("expected votes")) {
            if (!count(&status.expectedVotes)) {
                return bad(QStringLiteral("the expected votes are not a number"));
            }
        } else if (key == QLatin1String("highest expected")) {
            if (!count(&status.highestExpected)) {
                return bad(QStringLiteral("the highest expected votes are not a number"));
            }
        } else if (key == QLatin1String("total votes")) {
            if (!count(&status.totalVotes)) {
                return bad(QStringLiteral("the total votes are not a number"));
            }
        } else if (key == QLatin1String("quorum")) {
            if (!count(&status.quorum)) {
                return bad(QStringLiteral("the quorum is not a number"));
            }
            status.activityBlocked = value.contains(QLatin1String("Activity blocked"), Qt::CaseInsensitive);
        } else if (key == QLatin1String("flags")) {
            status.flags = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
    }
    if (!sawSection && !sawQuorate) {
        const QString head = shown(text.section(QLatin1Char('\n'), 0, 0));
        return unreadable(head.isEmpty() ? QStringLiteral("pvecm status printed nothing")
                                         : QStringLiteral("not pvecm status output: '%1'").arg(head));
    }
    if (!sawQuorate) {
        return unreadable(QStringLiteral("no 'Quorate:' line: whether the cluster has quorum is not known"));
    }
    return status;
}

} // namespace gpudeck
