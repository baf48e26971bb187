#include "report/ReportRender.h"

#include "base/NoValue.h"

#include <QJsonDocument>
#include <QLocale>

namespace gpudeck {
namespace {

// The report for people as a small document: headings, paragraphs, bullet lists, tables of plain text. Markdown and
// HTML are written from this one document, so they always say the same thing and every piece of data is escaped in
// exactly one place per format.
struct Bullet
{
    QString strong; // shown bold before the text (e.g. the severity); may be empty
    QString text;
};

struct Block
{
    enum Kind { Title, Heading, Subheading, Paragraph, Bullets, Table } kind = Paragraph;
    QString text;
    QList<Bullet> bullets;
    QStringList headers;
    QList<QStringList> rows;
};

using Doc = QList<Block>;

void heading(Doc &doc, Block::Kind kind, const QString &text)
{
    Block b;
    b.kind = kind;
    b.text = text;
    doc.append(b);
}

void paragraph(Doc &doc, const QString &text)
{
    heading(doc, Block::Paragraph, text);
}

void table(Doc &doc, const QStringList &headers, const QList<QStringList> &rows, const QString &whenEmpty)
{
    if (rows.isEmpty()) {
        paragraph(doc, whenEmpty);
        return;
    }
    Block b;
    b.kind = Block::Table;
    b.headers = headers;
    b.rows = rows;
    doc.append(b);
}

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("—");
}

QString duration(qint64 seconds)
{
    if (seconds < 60) {
        return QStringLiteral("%1 s").arg(qMax<qint64>(0, seconds));
    }
    const qint64 minutes = seconds / 60;
    if (minutes < 60) {
        return QStringLiteral("%1 min").arg(minutes);
    }
    const qint64 hours = minutes / 60;
    if (hours < 48) {
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes % 60);
    }
    return QStringLiteral("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}

QString gib(double mib)
{
    return QLocale::c().toString(mib / 1024.0, 'f', 1) + QStringLiteral(" GiB");
}

QString plural(int n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString hostLink(const FleetHost &h)
{
    QString s = linkStateName(h.link.state);
    if (h.asleep) {
        s = QStringLiteral("asleep (") + s + QLatin1Char(')');
    }
    if (!h.link.reason.isEmpty() && h.link.state != LinkState::Connected) {
        s += QStringLiteral(": ") + h.link.reason;
    }
    return s;
}

QString hostGpus(const FleetHost &h)
{
    if (h.gpus.isEmpty()) {
        return QStringLiteral("—");
    }
    const int free = h.gpusFree();
    return QStringLiteral("%1 (%2 busy, %3 free)").arg(h.gpus.size()).arg(h.gpus.size() - free).arg(free);
}

QString hostMemory(const FleetHost &h)
{
    double used = 0;
    double total = 0;
    for (const FleetGpu &g : h.gpus) {
        if (hasValue(g.sample.memoryUsedMiB) && hasValue(g.sample.memoryTotalMiB)) {
            used += g.sample.memoryUsedMiB;
            total += g.sample.memoryTotalMiB;
        }
    }
    if (total <= 0) {
        return QStringLiteral("—");
    }
    return QStringLiteral("%1 / %2").arg(gib(used), gib(total));
}

QString hostModel(const FleetHost &h)
{
    if (!h.serving) {
        return QStringLiteral("—");
    }
    const QString model = h.serving->model.isEmpty() ? QStringLiteral("none") : h.serving->model;
    return QStringLiteral("%1 (%2)").arg(model, healthName(h.serving->health));
}

void fleetSection(Doc &doc, const StatusReport &r)
{
    heading(doc, Block::Heading, QStringLiteral("Fleet now"));
    const FleetTotals &t = r.fleet.totals;
    int down = 0;
    int asleep = 0;
    for (const FleetHost &h : r.fleet.hosts) {
        if (h.link.state == LinkState::Connected) {
            continue;
        }
        if (h.asleep) {
            ++asleep;
        } else if (h.link.state == LinkState::Reconnecting || h.link.state == LinkState::Failed) {
            ++down;
        }
    }
    QStringList summary{
        QStringLiteral("%1: %2 connected, %3 down, %4 asleep, %5 not connected")
            .arg(plural(t.hosts, QStringLiteral("host"), QStringLiteral("hosts")))
            .arg(t.hostsConnected)
            .arg(down)
            .arg(asleep)
            .arg(t.hosts - t.hostsConnected - down - asleep),
        QStringLiteral("%1: %2 busy, %3 free")
            .arg(plural(t.gpus, QStringLiteral("GPU"), QStringLiteral("GPUs")))
            .arg(t.gpusBusy)
            .arg(t.gpusFree),
        plural(t.runningJobs, QStringLiteral("running job"), QStringLiteral("running jobs")),
        plural(t.activeAlerts, QStringLiteral("active alert"), QStringLiteral("active alerts")),
    };
    if (t.memoryTotalMiB > 0) {
        summary.append(QStringLiteral("GPU memory %1 / %2").arg(gib(t.memoryUsedMiB), gib(t.memoryTotalMiB)));
    }
    if (t.powerDrawW > 0) {
        summary.append(QStringLiteral("%1 W drawn").arg(qRound(t.powerDrawW)));
    }
    paragraph(doc, summary.join(QStringLiteral(" · ")));

    QList<QStringList> rows;
    for (const FleetHost &h : r.fleet.hosts) {
        rows.append({h.name, h.kind, hostLink(h), when(h.link.since), hostGpus(h), hostMemory(h), hostModel(h),
                     QString::number(h.jobs.size()), QString::number(h.alerts.size())});
    }
    table(doc,
          {QStringLiteral("Host"), QStringLiteral("Kind"), QStringLiteral("Link"), QStringLiteral("Since"),
           QStringLiteral("GPUs"), QStringLiteral("GPU memory"), QStringLiteral("Model"), QStringLiteral("Jobs"),
           QStringLiteral("Alerts")},
          rows, QStringLiteral("No connections."));

    if (r.clusters && !r.clusters->isEmpty()) {
        heading(doc, Block::Subheading, QStringLiteral("Proxmox clusters"));
        QList<QStringList> clusterRows;
        for (const ReportCluster &c : *r.clusters) {
            clusterRows.append({orDash(c.cluster), c.connectionName,
                                c.detail.isEmpty() ? (c.quorate ? QStringLiteral("quorate") : QStringLiteral("LOST"))
                                                   : QStringLiteral("unknown: ") + c.detail,
                                QString::number(c.nodesOnline), QString::number(c.nodesOffline),
                                QString::number(c.expectedVotes)});
        }
        table(doc,
              {QStringLiteral("Cluster"), QStringLiteral("Via"), QStringLiteral("Quorum"),
               QStringLiteral("Nodes online"), QStringLiteral("Nodes offline"), QStringLiteral("Expected votes")},
              clusterRows, {});
    }

    QList<QStringList> serviceRows;
    for (const FleetHost &h : r.fleet.hosts) {
        for (const ServiceHealth &s : h.services) {
            serviceRows.append({h.name, s.name, orDash(s.kind), healthName(s.health), when(s.since), orDash(s.detail)});
        }
    }
    if (!serviceRows.isEmpty()) {
        heading(doc, Block::Subheading, QStringLiteral("Services"));
        table(doc,
              {QStringLiteral("Host"), QStringLiteral("Service"), QStringLiteral("Kind"), QStringLiteral("Health"),
               QStringLiteral("Since"), QStringLiteral("Detail")},
              serviceRows, {});
    }

    heading(doc, Block::Subheading, QStringLiteral("Running jobs"));
    QList<QStringList> jobRows;
    for (const FleetHost &h : r.fleet.hosts) {
        for (const FleetJob &j : h.jobs) {
            jobRows.append(
                {QStringLiteral("#%1 %2").arg(j.id).arg(j.name), orDash(j.projectName), h.name, when(j.startedAt)});
        }
    }
    table(doc, {QStringLiteral("Job"), QStringLiteral("Project"), QStringLiteral("Host"), QStringLiteral("Started")},
          jobRows, QStringLiteral("None."));
}

void historySection(Doc &doc, const StatusReport &r)
{
    heading(doc, Block::Heading, QStringLiteral("Last %1 hours").arg(r.hoursCovered()));

    int raised = 0;
    int cleared = 0;
    QList<QStringList> alertRows;
    for (const Alert &a : r.alerts) {
        raised += a.startedAt >= r.from ? 1 : 0;
        cleared += a.endedAt.isValid() ? 1 : 0;
        alertRows.append({a.startedAt >= r.from ? when(a.startedAt) : QStringLiteral("before"),
                          a.endedAt.isValid() ? when(a.endedAt) : QStringLiteral("active"), orDash(a.connectionName),
                          a.severity, a.kind, a.message});
    }
    heading(doc, Block::Subheading, QStringLiteral("Alerts: %1 raised, %2 cleared").arg(raised).arg(cleared));
    table(doc,
          {QStringLiteral("Raised"), QStringLiteral("Cleared"), QStringLiteral("Host"), QStringLiteral("Severity"),
           QStringLiteral("Kind"), QStringLiteral("Message")},
          alertRows, QStringLiteral("None."));

    QMap<QString, int> byStatus;
    QList<QStringList> jobRows;
    for (const ReportJob &j : r.jobsEnded) {
        byStatus[j.job.status] += 1;
        jobRows.append({when(j.job.completedAt), QStringLiteral("#%1 %2").arg(j.job.id).arg(j.job.name),
                        orDash(j.projectName), orDash(j.host), j.job.status,
                        j.job.exitCode ? QString::number(*j.job.exitCode) : QStringLiteral("—"),
                        orDash(j.job.statusReason)});
    }
    QStringList counts;
    for (const QString &status : {QStringLiteral("completed"), QStringLiteral("failed"), QStringLiteral("cancelled")}) {
        counts.append(QStringLiteral("%1 %2").arg(byStatus.value(status)).arg(status));
    }
    heading(doc, Block::Subheading, QStringLiteral("Jobs ended: ") + counts.join(QStringLiteral(", ")));
    table(doc,
          {QStringLiteral("Ended"), QStringLiteral("Job"), QStringLiteral("Project"), QStringLiteral("Host"),
           QStringLiteral("Outcome"), QStringLiteral("Exit code"), QStringLiteral("Reason")},
          jobRows, QStringLiteral("None."));

    heading(doc, Block::Subheading, QStringLiteral("Model swaps: %1").arg(r.swaps.size()));
    QList<QStringList> swapRows;
    for (const SwapReport &s : r.swaps) {
        QString outcome = swapStateName(s.state);
        if (s.restored) {
            outcome += *s.restored ? QStringLiteral(", previous restored") : QStringLiteral(", previous NOT restored");
        }
        swapRows.append({when(s.finishedAt), s.host, s.model, orDash(s.previous), outcome, orDash(s.error)});
    }
    table(doc,
          {QStringLiteral("Finished"), QStringLiteral("Host"), QStringLiteral("Model"), QStringLiteral("Previous"),
           QStringLiteral("Outcome"), QStringLiteral("Error")},
          swapRows, QStringLiteral("None."));

    heading(doc, Block::Subheading,
            QStringLiteral("Hosts down: %1 (%2)")
                .arg(r.outages.size())
                .arg(plural(int(r.linkEvents.size()), QStringLiteral("link change"), QStringLiteral("link changes"))));
    QList<QStringList> outageRows;
    for (const ReportOutage &o : r.outages) {
        QString back;
        if (!o.upAt.isValid()) {
            back = QStringLiteral("still down");
        } else {
            back = when(o.upAt) +
                   (o.endedBy == QStringLiteral("disconnected") ? QStringLiteral(" (disconnected)") : QString());
        }
        const QDateTime end = o.upAt.isValid() ? o.upAt : r.to;
        outageRows.append({o.host, o.downBefore ? QStringLiteral("before ") + when(o.downAt) : when(o.downAt), back,
                           duration(o.downAt.secsTo(end)) + (o.downBefore ? QStringLiteral("+") : QString()),
                           orDash(o.reason)});
    }
    table(doc,
          {QStringLiteral("Host"), QStringLiteral("Down at"), QStringLiteral("Back at"), QStringLiteral("For"),
           QStringLiteral("Reason")},
          outageRows, QStringLiteral("None."));
}

Doc document(const StatusReport &r)
{
    Doc doc;
    heading(doc, Block::Title, QStringLiteral("GPU Deck status report"));
    paragraph(
        doc,
        QStringLiteral("Generated %1 UTC, covering %2 → %3 UTC.").arg(when(r.generatedAt), when(r.from), when(r.to)));

    heading(doc, Block::Heading, QStringLiteral("Needs attention"));
    if (r.attention.isEmpty()) {
        paragraph(doc, QStringLiteral("Nothing needs attention."));
    } else {
        Block b;
        b.kind = Block::Bullets;
        for (const ReportAttention &a : r.attention) {
            QString text = a.message;
            if (a.since.isValid()) {
                text += QStringLiteral(" (since %1)").arg(when(a.since));
            }
            b.bullets.append({a.severity, text});
        }
        doc.append(b);
    }
    fleetSection(doc, r);
    historySection(doc, r);
    return doc;
}

QString markdown(const Doc &doc)
{
    QString out;
    for (const Block &b : doc) {
        switch (b.kind) {
        case Block::Title:
            out += QStringLiteral("# ") + markdownEscape(b.text) + QStringLiteral("\n\n");
            break;
        case Block::Heading:
            out += QStringLiteral("## ") + markdownEscape(b.text) + QStringLiteral("\n\n");
            break;
        case Block::Subheading:
            out += QStringLiteral("### ") + markdownEscape(b.text) + QStringLiteral("\n\n");
            break;
        case Block::Paragraph:
            out += markdownEscape(b.text) + QStringLiteral("\n\n");
            break;
        case Block::Bullets:
            for (const Bullet &i : b.bullets) {
                out += QStringLiteral("- ");
                if (!i.strong.isEmpty()) {
                    out += QStringLiteral("**") + markdownEscape(i.strong) + QStringLiteral("** ");
                }
                out += markdownEscape(i.text) + QLatin1Char('\n');
            }
            out += QLatin1Char('\n');
            break;
        case Block::Table: {
            QStringList cells;
            for (const QString &h : b.headers) {
                cells.append(markdownEscape(h));
            }
            out += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n|");
            for (qsizetype i = 0; i < b.headers.size(); ++i) {
                out += QStringLiteral(" --- |");
            }
            out += QLatin1Char('\n');
            for (const QStringList &row : b.rows) {
                cells.clear();
                for (const QString &c : row) {
                    cells.append(markdownEscape(c));
                }
                out += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
            }
            out += QLatin1Char('\n');
            break;
        }
        }
    }
    return out;
}

QString html(const Doc &doc)
{
    QString out = QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>GPU Deck status report</title>\n"
        "<style>\n"
        "body { font-family: system-ui, sans-serif; font-size: 14px; color: #1d1d1f; max-width: 1100px; "
        "margin: 24px auto; padding: 0 16px; }\n"
        "h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; } "
        "h3 { font-size: 15px; }\n"
        "table { border-collapse: collapse; margin: 8px 0 16px; }\n"
        "th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }\n"
        "th { background: #f2f2f2; }\n"
        ".critical { color: #b00020; } .warning { color: #9a6700; }\n"
        "</style>\n</head>\n<body>\n");
    for (const Block &b : doc) {
        switch (b.kind) {
        case Block::Title:
            out += QStringLiteral("<h1>") + htmlEscape(b.text) + QStringLiteral("</h1>\n");
            break;
        case Block::Heading:
            out += QStringLiteral("<h2>") + htmlEscape(b.text) + QStringLiteral("</h2>\n");
            break;
        case Block::Subheading:
            out += QStringLiteral("<h3>") + htmlEscape(b.text) + QStringLiteral("</h3>\n");
            break;
        case Block::Paragraph:
            out += QStringLiteral("<p>") + htmlEscape(b.text) + QStringLiteral("</p>\n");
            break;
        case Block::Bullets:
            out += QStringLiteral("<ul>\n");
            for (const Bullet &i : b.bullets) {
                out += QStringLiteral("<li>");
                if (!i.strong.isEmpty()) {
                    // The class is one of two fixed words, never data.
                    const QString cls =
                        i.strong == QStringLiteral("critical") ? QStringLiteral("critical") : QStringLiteral("warning");
                    out += QStringLiteral("<strong class=\"%1\">").arg(cls) + htmlEscape(i.strong) +
                           QStringLiteral("</strong> ");
                }
                out += htmlEscape(i.text) + QStringLiteral("</li>\n");
            }
            out += QStringLiteral("</ul>\n");
            break;
        case Block::Table:
            out += QStringLiteral("<table>\n<tr>");
            for (const QString &h : b.headers) {
                out += QStringLiteral("<th>") + htmlEscape(h) + QStringLiteral("</th>");
            }
            out += QStringLiteral("</tr>\n");
            for (const QStringList &row : b.rows) {
                out += QStringLiteral("<tr>");
                for (const QString &c : row) {
                    out += QStringLiteral("<td>") + htmlEscape(c) + QStringLiteral("</td>");
                }
                out += QStringLiteral("</tr>\n");
            }
            out += QStringLiteral("</table>\n");
            break;
        }
    }
    out += QStringLiteral("</body>\n</html>\n");
    return out;
}

// Line breaks (and other control characters) in data would break a table row or start a new block: one space.
QString flatten(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        out += (c.unicode() < 0x20 || c.unicode() == 0x7f) ? QLatin1Char(' ') : c;
    }
    return out;
}

} // namespace

QString markdownEscape(const QString &text)
{
    // CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can make markup anywhere in
    // a line (emphasis, code, links and images, raw HTML, table cells, strikethrough, entities). Data never starts a
    // line here (list markers and headings come from the report itself), so "#", "-", "+", "." and "(" stay
    // readable.
    static const QString special = QStringLiteral("\\`*_{}[]<>|~&");
    const QString flat = flatten(text);
    QString out;
    out.reserve(flat.size() + 8);
    for (const QChar c : flat) {
        if (special.contains(c)) {
            out += QLatin1Char('\\');
        }
        out += c;
    }
    return out;
}

QString htmlEscape(const QString &text)
{
    QString out;
    const QString flat = flatten(text);
    out.reserve(flat.size() + 16);
    for (const QChar c : flat) {
        switch (c.unicode()) {
        case '&':
            out += QStringLiteral("&amp;");
            break;
        case '<':
            out += QStringLiteral("&lt;");
            break;
        case '>':
            out += QStringLiteral("&gt;");
            break;
        case '"':
            out += QStringLiteral("&quot;");
            break;
        case '\'':
            out += QStringLiteral("&#39;");
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString reportFormatName(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Json:
        return QStringLiteral("json");
    case ReportFormat::Markdown:
        return QStringLiteral("markdown");
    case ReportFormat::Html:
        return QStringLiteral("html");
    }
    return {};
}

QStringList reportFormatNames()
{
    return {QStringLiteral("json"), QStringLiteral("markdown"), QStringLiteral("html")};
}

std::optional<ReportFormat> parseReportFormat(const QString &name)
{
    for (ReportFormat f : {ReportFormat::Json, ReportFormat::Markdown, ReportFormat::Html}) {
        if (reportFormatName(f) == name) {
            return f;
        }
    }
    return std::nullopt;
}

QByteArray reportContentType(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Json:
        return QByteArrayLiteral("application/json");
    case ReportFormat::Markdown:
        return QByteArrayLiteral("text/markdown; charset=utf-8");
    case ReportFormat::Html:
        return QByteArrayLiteral("text/html; charset=utf-8");
    }
    return {};
}

QString reportFileExtension(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Json:
        return QStringLiteral("json");
    case ReportFormat::Markdown:
        return QStringLiteral("md");
    case ReportFormat::Html:
        return QStringLiteral("html");
    }
    return {};
}

std::optional<ReportFormat> reportFormatForPath(const QString &path)
{
    const QString lower = path.toLower();
    if (lower.endsWith(QStringLiteral(".md")) || lower.endsWith(QStringLiteral(".markdown"))) {
        return ReportFormat::Markdown;
    }
    if (lower.endsWith(QStringLiteral(".html")) || lower.endsWith(QStringLiteral(".htm"))) {
        return ReportFormat::Html;
    }
    if (lower.endsWith(QStringLiteral(".json"))) {
        return ReportFormat::Json;
    }
    return std::nullopt;
}

QByteArray renderReport(const StatusReport &report, ReportFormat format)
{
    switch (format) {
    case ReportFormat::Json:
        return QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    case ReportFormat::Markdown:
        return markdown(document(report)).toUtf8();
    case ReportFormat::Html:
        return html(document(report)).toUtf8();
    }
    return {};
}

} // namespace gpudeck
