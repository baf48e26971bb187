// The status report: built from real data in a TestCore (connections, jobs ended ok and failed, alerts raised and
// cleared, link events, a failed swap) and read through the API in each format; the escaping of hostile names; the
// 24 h window; the history recorded from the core's own signals; the daily schedule driven by a clock of the test's;
// the report MCP tool's text answers.
#include "HttpClient.h"
#include "McpClient.h"
#include "TestCore.h"
#include "alerts/AlertRepository.h"
#include "models/ModelService.h"
#include "report/ReportBuilder.h"
#include "report/ReportService.h"
#include "ssh/SshPool.h"
#include "store/LinkEventRepository.h"
#include "store/SwapHistoryRepository.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;

namespace {

const QString kHostile = QStringLiteral("<script>alert(1)</script> | **bold** [x](http://198.51.100.7)");

QStringList names(const QJsonArray &items, const QString &key)
{
    QStringList out;
    for (const QJsonValue &v : items) {
        out.append(v.toObject().value(key).toString());
    }
    return out;
}

// A clock the test moves by hand.
class ManualClock
{
public:
    void set(const QDateTime &t)
    {
        QMutexLocker lock(&m_mutex);
        m_now = t;
    }
    QDateTime now() const
    {
        QMutexLocker lock(&m_mutex);
        return m_now;
    }

private:
    mutable QMutex m_mutex;
    QDateTime m_now;
};

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

    struct Seeded
    {
        qint64 nodeA = 0;
        qint64 nodeB = 0;
    };

    // Two hosts, a project with jobs that ended well and badly (one of them long ago), alerts raised and cleared (one
    // long ago), link events of node-b going down and coming back (and one long ago), and a swap that failed.
    void seed(Core &core, Seeded &s)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        Connection a;
        a.name = QStringLiteral("node-a");
        a.hostname = QStringLiteral("203.0.113.10");
        a.username = QStringLiteral("ops");
        Connection b = a;
        b.name = QStringLiteral("node-b");
        b.hostname = QStringLiteral("203.0.113.11");
        s.nodeA = core.connections().create(a).value().id;
        s.nodeB = core.connections().create(b).value().id;

        Project p;
        p.connectionId = s.nodeA;
        p.name = QStringLiteral("vision");
        p.remotePath = QStringLiteral("/srv/vision");
        const qint64 projectId = core.projects().create(p).value().id;

        auto job = [&](const QString &name, const QString &status, int exitCode, const QString &reason,
                       const QDateTime &ended) {
            Job j;
            j.projectId = projectId;
            j.name = name;
            j.status = status;
            j.exitCode = exitCode;
            j.statusReason = reason;
            j.startedAt = ended.addSecs(-3600);
            j.completedAt = ended;
            const auto created = core.jobs().create(j);
            QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        };
        job(QStringLiteral("train-ok"), QStringLiteral("completed"), 0, {}, now.addSecs(-2 * 3600));
        job(QStringLiteral("train-bad"), QStringLiteral("failed"), 3, QStringLiteral("CUDA out of memory"),
            now.addSecs(-3 * 3600));
        job(kHostile, QStringLiteral("failed"), 1, QStringLiteral("<b>boom</b>"), now.addSecs(-4 * 3600));
        job(QStringLiteral("train-ancient"), QStringLiteral("failed"), 2, {}, now.addSecs(-30 * 3600));

        AlertRepository alerts(core.database());
        auto alert = [&](qint64 connection, const QString &name, const QString &kind, const QString &severity,
                         const QString &message, const QDateTime &start, const QDateTime &end) {
            Alert x;
            x.connectionId = connection;
            x.connectionName = name;
            x.kind = kind;
            x.severity = severity;
            x.message = message;
            x.startedAt = start;
            x.endedAt = end;
            QVERIFY(alerts.insert(x).ok());
        };
        alert(s.nodeA, QStringLiteral("node-a"), QStringLiteral("gpu_temperature"), QStringLiteral("critical"),
              QStringLiteral("GPU 0 at 91 °C"), now.addSecs(-2 * 3600), {});
        alert(s.nodeB, QStringLiteral("node-b"), QStringLiteral("gpu_memory"), QStringLiteral("warning"),
              QStringLiteral("GPU 1 memory at 97 %"), now.addSecs(-5 * 3600), now.addSecs(-4 * 3600));
        alert(s.nodeB, QStringLiteral("node-b"), QStringLiteral("gpu_memory"), QStringLiteral("warning"),
              QStringLiteral("ancient alert"), now.addSecs(-40 * 3600), now.addSecs(-30 * 3600));

        LinkEventRepository links(core.database());
        auto link = [&](const QString &state, const QString &reason, const QDateTime &at) {
            QVERIFY(links.insert({0, s.nodeB, QStringLiteral("node-b"), state, reason, at}).ok());
        };
        link(QStringLiteral("failed"), QStringLiteral("ancient outage"), now.addSecs(-48 * 3600));
        link(QStringLiteral("connected"), {}, now.addSecs(-47 * 3600));
        link(QStringLiteral("reconnecting"), QStringLiteral("keepalive timeout"), now.addSecs(-3 * 3600));
        link(QStringLiteral("connected"), {}, now.addSecs(-2 * 3600));

        SwapReport swap;
        swap.id = QStringLiteral("swap-1");
        swap.host = QStringLiteral("node-a");
        swap.model = QStringLiteral("model-big");
        swap.previous = QStringLiteral("model-small");
        swap.state = SwapState::Failed;
        swap.error = QStringLiteral("not healthy after 300 s");
        swap.restored = true;
        swap.startedAt = now.addSecs(-3700);
        swap.finishedAt = now.addSecs(-3600);
        QVERIFY(SwapHistoryRepository(core.database()).insert(swap).ok());
    }

private Q_SLOTS:
    void jsonReport()
    {
        test::TestCore tc;
        Seeded seeded;
        seed(tc.core(), seeded);
        test::HttpClient http(tc.port(), tc.token());
        const auto r = http.get(QStringLiteral("/api/dgx/report"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const QJsonObject report = r.object();
        QCOMPARE(report.value(QStringLiteral("window")).toObject().value(QStringLiteral("hours")).toInt(), 24);

        const QJsonObject fleet = report.value(QStringLiteral("fleet")).toObject();
        QCOMPARE(fleet.value(QStringLiteral("hosts")).toArray().size(), 2);
        // No proxmox connection: no cluster (the section is left out of the text formats).
        QCOMPARE(report.value(QStringLiteral("clusters")).toArray().size(), 0);
        QVERIFY(report.value(QStringLiteral("clusters")).isArray());

        const QJsonObject history = report.value(QStringLiteral("history")).toObject();
        // Alerts: the active one and the one raised and cleared in the window; not the one of 40 h ago.
        const QStringList alertMessages =
            names(history.value(QStringLiteral("alerts")).toArray(), QStringLiteral("message"));
        QCOMPARE(alertMessages,
                 (QStringList{QStringLiteral("GPU 1 memory at 97 %"), QStringLiteral("GPU 0 at 91 °C")}));
        QCOMPARE(history.value(QStringLiteral("alerts_raised")).toInt(), 2);
        QCOMPARE(history.value(QStringLiteral("alerts_cleared")).toInt(), 1);

        // Jobs ended: newest first, with outcome, exit code, reason, project and host; not the one of 30 h ago.
        const QJsonArray jobs = history.value(QStringLiteral("jobs_ended")).toArray();
        QCOMPARE(names(jobs, QStringLiteral("name")),
                 (QStringList{QStringLiteral("train-ok"), QStringLiteral("train-bad"), kHostile}));
        const QJsonObject bad = jobs.at(1).toObject();
        QCOMPARE(bad.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(bad.value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(bad.value(QStringLiteral("status_reason")).toString(), QStringLiteral("CUDA out of memory"));
        QCOMPARE(bad.value(QStringLiteral("project_name")).toString(), QStringLiteral("vision"));
        QCOMPARE(bad.value(QStringLiteral("connection_name")).toString(), QStringLiteral("node-a"));
        const QJsonObject byStatus = history.value(QStringLiteral("jobs_ended_by_status")).toObject();
        QCOMPARE(byStatus.value(QStringLiteral("failed")).toInt(), 2);
        QCOMPARE(byStatus.value(QStringLiteral("completed")).toInt(), 1);

        // The swap, and node-b's outage of an hour (not the one of two days ago).
        const QJsonArray swaps = history.value(QStringLiteral("swaps")).toArray();
        QCOMPARE(swaps.size(), 1);
        QCOMPARE(swaps.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(swaps.at(0).toObject().value(QStringLiteral("restored")).toBool(), true);
        const QJsonArray outages = history.value(QStringLiteral("outages")).toArray();
        QCOMPARE(outages.size(), 1);
        const QJsonObject outage = outages.at(0).toObject();
        QCOMPARE(outage.value(QStringLiteral("connection_name")).toString(), QStringLiteral("node-b"));
        QCOMPARE(outage.value(QStringLiteral("reason")).toString(), QStringLiteral("keepalive timeout"));
        QCOMPARE(outage.value(QStringLiteral("ended_by")).toString(), QStringLiteral("connected"));
        const QDateTime down = QDateTime::fromString(outage.value(QStringLiteral("down_at")).toString(), Qt::ISODate);
        const QDateTime up = QDateTime::fromString(outage.value(QStringLiteral("up_at")).toString(), Qt::ISODate);
        QCOMPARE(down.secsTo(up), 3600);
        QCOMPARE(history.value(QStringLiteral("link_events")).toArray().size(), 2);

        // Needs attention: the critical alert first, then the failed jobs and the failed swap.
        const QJsonArray attention = report.value(QStringLiteral("attention")).toArray();
        QCOMPARE(attention.at(0).toObject().value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(attention.at(0).toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("GPU 0 at 91 °C"));
        const QStringList kinds = names(attention, QStringLiteral("kind"));
        QCOMPARE(kinds.count(QStringLiteral("job_failed")), 2);
        QCOMPARE(kinds.count(QStringLiteral("swap_failed")), 1);
        QVERIFY(!QString::fromUtf8(r.body).contains(QStringLiteral("ancient")));
    }

    void markdownReport()
    {
        test::TestCore tc;
        Seeded seeded;
        seed(tc.core(), seeded);
        test::HttpClient http(tc.port(), tc.token());
        const auto r = http.get(QStringLiteral("/api/dgx/report?format=markdown"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("text/markdown; charset=utf-8"));
        const QString md = QString::fromUtf8(r.body);
        for (const QString &section :
             {QStringLiteral("# GPU Deck status report"), QStringLiteral("## Needs attention"),
              QStringLiteral("## Fleet now"), QStringLiteral("## Last 24 hours"),
              QStringLiteral("### Alerts: 2 raised, 1 cleared"),
              QStringLiteral("### Jobs ended: 1 completed, 2 failed, 0 cancelled"),
              QStringLiteral("### Model swaps: 1"), QStringLiteral("### Hosts down: 1 (2 link changes)")}) {
            QVERIFY2(md.contains(section), qPrintable(section));
        }
        QVERIFY(md.contains(QStringLiteral("- **critical** GPU 0 at 91 °C")));
        QVERIFY(md.contains(QStringLiteral("| node-b | ")));
        QVERIFY(md.contains(QStringLiteral("CUDA out of memory")));
        QVERIFY(md.contains(QStringLiteral("keepalive timeout")));
        QVERIFY(md.contains(QStringLiteral("1 h 0 min")));
        // The hostile job name: no raw HTML, no extra table cell, no emphasis, no link.
        QVERIFY(!md.contains(QStringLiteral("<script>")));
        QVERIFY(md.contains(
            QStringLiteral("\\<script\\>alert(1)\\</script\\> \\| \\*\\*bold\\*\\* \\[x\\](http://198.51.100.7)")));
        QVERIFY(md.contains(QStringLiteral("\\<b\\>boom\\</b\\>")));
        // Every table row has as many cells as its header.
        for (const QString &line : md.split(QLatin1Char('\n'))) {
            if (line.startsWith(QStringLiteral("| ")) && line.contains(QStringLiteral("script"))) {
                const QString unescaped = QString(line).replace(QStringLiteral("\\|"), QStringLiteral("x"));
                QCOMPARE(unescaped.count(QLatin1Char('|')), 8); // the jobs-ended table: 7 columns
            }
        }
        QVERIFY(!md.contains(QStringLiteral("ancient")));
    }

    void htmlReport()
    {
        test::TestCore tc;
        Seeded seeded;
        seed(tc.core(), seeded);
        test::HttpClient http(tc.port(), tc.token());
        const auto r = http.get(QStringLiteral("/api/dgx/report?format=html"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
        const QString html = QString::fromUtf8(r.body);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        for (const QString &section :
             {QStringLiteral("<h2>Needs attention</h2>"), QStringLiteral("<h2>Fleet now</h2>"),
              QStringLiteral("<h2>Last 24 hours</h2>"), QStringLiteral("<h3>Alerts: 2 raised, 1 cleared</h3>")}) {
            QVERIFY2(html.contains(section), qPrintable(section));
        }
        QVERIFY(html.contains(QStringLiteral("<strong class=\"critical\">critical</strong> GPU 0 at 91 °C")));
        QVERIFY(html.contains(QStringLiteral("<td>node-b</td>")));
        // Nothing from the data is markup: no script, no tag, no link.
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<b>")));
        QVERIFY(!html.contains(QStringLiteral("<a ")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt; | **bold**")));
        QVERIFY(html.contains(QStringLiteral("&lt;b&gt;boom&lt;/b&gt;")));
        QVERIFY(!html.contains(QStringLiteral("ancient")));
    }

    void badFormatIs400()
    {
        test::TestCore tc;
        test::HttpClient http(tc.port(), tc.token());
        const auto r = http.get(QStringLiteral("/api/dgx/report?format=pdf"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("format"));
        QCOMPARE(http.get(QStringLiteral("/api/dgx/report?hours=48")).status, 400); // undeclared parameter
    }

    // The window on its own: only what happened in the last `hours` counts; a host already down when the window
    // opened has an outage from the window's start.
    void windowExcludesOlderEvents()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        ReportInputs in;
        in.now = now;
        in.hours = 24;
        Alert old;
        old.id = 1;
        old.kind = QStringLiteral("gpu_temperature");
        old.severity = QStringLiteral("warning");
        old.startedAt = now.addSecs(-26 * 3600);
        old.endedAt = now.addSecs(-25 * 3600);
        Alert straddling = old;
        straddling.id = 2;
        straddling.endedAt = now.addSecs(-23 * 3600); // raised before the window, cleared in it
        Alert jobEnded = old;
        jobEnded.id = 3;
        jobEnded.kind = QStringLiteral("job_ended");
        jobEnded.startedAt = now.addSecs(-3600);
        in.alerts = {old, straddling, jobEnded};
        Job j;
        j.id = 1;
        j.status = QStringLiteral("failed");
        j.completedAt = now.addSecs(-24 * 3600 - 1);
        Job k = j;
        k.id = 2;
        k.completedAt = now.addSecs(-24 * 3600 + 60);
        Job running = j;
        running.id = 3;
        running.status = QStringLiteral("running");
        running.completedAt = now.addSecs(-60);
        in.jobsEnded = {j, k, running};
        SwapReport swap;
        swap.state = SwapState::Succeeded;
        swap.finishedAt = now.addSecs(-25 * 3600);
        in.swaps = {swap};
        in.linkBefore = {{1, 7, QStringLiteral("node-c"), QStringLiteral("failed"), QStringLiteral("no route"),
                          now.addSecs(-30 * 3600)}};
        in.linkEvents = {{2, 8, QStringLiteral("node-d"), QStringLiteral("failed"), {}, now.addSecs(-25 * 3600)},
                         {3, 7, QStringLiteral("node-c"), QStringLiteral("connected"), {}, now.addSecs(-600)}};
        const StatusReport r = buildReport(in);
        QCOMPARE(r.alerts.size(), 1);
        QCOMPARE(r.alerts.at(0).id, 2);
        QCOMPARE(r.jobsEnded.size(), 1);
        QCOMPARE(r.jobsEnded.at(0).job.id, 2);
        QVERIFY(r.swaps.isEmpty());
        QCOMPARE(r.linkEvents.size(), 1);
        // node-c was down when the window opened and came back 10 min ago; node-d went down 25 h ago and was never
        // heard of again: it is down for the whole window.
        QCOMPARE(r.outages.size(), 2);
        QCOMPARE(r.outages.at(0).downAt, r.from);
        QVERIFY(r.outages.at(0).downBefore);
        const ReportOutage &c = r.outages.at(0).host == QStringLiteral("node-c") ? r.outages.at(0) : r.outages.at(1);
        QCOMPARE(c.upAt, now.addSecs(-600));
        QCOMPARE(c.reason, QStringLiteral("no route"));
        QCOMPARE(r.attention.size(), 1); // job 2 failed
    }

    // A host whose link is down is critical; one that can be woken (it may be asleep) is a warning.
    void hostsDownNeedAttention()
    {
        ReportInputs in;
        in.now = QDateTime::currentDateTimeUtc();
        FleetHost down;
        down.connectionId = 1;
        down.name = QStringLiteral("node-down");
        down.link = {LinkState::Failed, QStringLiteral("no route to host"), in.now.addSecs(-600), 0, {}, {}, 0, {}, {}};
        FleetHost asleep = down;
        asleep.connectionId = 2;
        asleep.name = QStringLiteral("node-asleep");
        asleep.macAddress = QStringLiteral("02:00:00:00:00:01");
        asleep.asleep = true;
        Alert unreachable;
        unreachable.connectionId = 1;
        unreachable.kind = QStringLiteral("host_unreachable");
        unreachable.severity = QStringLiteral("critical");
        down.alerts = {unreachable}; // said once, as the host being down
        in.fleet.hosts = {down, asleep};
        in.fleet.totals.hosts = 2;
        const StatusReport r = buildReport(in);
        QCOMPARE(r.attention.size(), 2);
        QCOMPARE(r.attention.at(0).severity, QStringLiteral("critical"));
        QCOMPARE(r.attention.at(0).message, QStringLiteral("node-down is down (failed): no route to host"));
        QCOMPARE(r.attention.at(1).severity, QStringLiteral("warning"));
        QVERIFY(r.attention.at(1).message.contains(QStringLiteral("asleep")));
        const QString md = QString::fromUtf8(renderReport(r, ReportFormat::Markdown));
        QVERIFY(md.contains(QStringLiteral("2 hosts: 0 connected, 1 down, 1 asleep, 0 not connected")));
        QVERIFY(md.contains(QStringLiteral("| asleep (failed): no route to host |")));
    }

    // The history is recorded from the core's own signals: one row per change of link state, one per finished swap.
    void historyIsRecordedFromSignals()
    {
        test::TestCore tc;
        Core &core = tc.core();
        Connection c;
        c.name = QStringLiteral("node-e");
        c.hostname = QStringLiteral("203.0.113.12");
        const qint64 id = core.connections().create(c).value().id;
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-60);
        LinkStatus up{LinkState::Connected, {}, t0, 0, {}, {}, 0, {}, {}};
        LinkStatus down{
            LinkState::Reconnecting, QStringLiteral("keepalive timeout"), t0.addSecs(10), 1, {}, {}, 0, {}, {}};
        LinkStatus downAgain = down;
        downAgain.attempt = 2;
        Q_EMIT core.ssh().statusChanged(id, up);
        Q_EMIT core.ssh().statusChanged(id, down);
        Q_EMIT core.ssh().statusChanged(id, downAgain); // the same state: no new row
        LinkEventRepository links(core.database());
        QTRY_COMPARE_WITH_TIMEOUT(links.listSince(t0.addSecs(-1)).value().size(), 2, 5000);
        const auto events = links.listSince(t0.addSecs(-1)).value();
        QCOMPARE(events.at(0).state, QStringLiteral("connected"));
        QCOMPARE(events.at(1).state, QStringLiteral("reconnecting"));
        QCOMPARE(events.at(1).reason, QStringLiteral("keepalive timeout"));
        QCOMPARE(events.at(1).connectionName, QStringLiteral("node-e"));
        QCOMPARE(events.at(1).at, t0.addSecs(10));

        SwapReport swap;
        swap.id = QStringLiteral("swap-7");
        swap.host = QStringLiteral("node-e");
        swap.model = QStringLiteral("m2");
        swap.state = SwapState::Succeeded;
        swap.finishedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT core.models().swapFinished(swap);
        SwapHistoryRepository swaps(core.database());
        QTRY_COMPARE_WITH_TIMEOUT(swaps.listSince(t0).value().size(), 1, 5000);
        QCOMPARE(swaps.listSince(t0).value().at(0).model, QStringLiteral("m2"));

        // Pruning keeps what is younger than the history's age.
        QVERIFY(links
                    .insert({0,
                             id,
                             QStringLiteral("node-e"),
                             QStringLiteral("failed"),
                             {},
                             QDateTime::currentDateTimeUtc().addDays(-ReportService::kHistoryDays - 1)})
                    .ok());
        QCOMPARE(links.prune(QDateTime::currentDateTimeUtc().addDays(-ReportService::kHistoryDays)).value(), 1);
        QCOMPARE(links.listSince(QDateTime::currentDateTimeUtc().addDays(-60)).value().size(), 2);
    }

    void scheduleValidation()
    {
        ReportSchedule s;
        QString error;
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("enabled"), true}}, s, &error));
        QVERIFY(error.contains(QStringLiteral("folder")));
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("folder"), QStringLiteral("reports")}}, s, &error));
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("time"), QStringLiteral("7am")}}, s, &error));
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("time"), QStringLiteral("24:00")}}, s, &error));
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("format"), QStringLiteral("pdf")}}, s, &error));
        QVERIFY(!ReportSchedule::fromJson({{QStringLiteral("hour"), 7}}, s, &error));
        QVERIFY(!s.enabled); // nothing applied
        QVERIFY(ReportSchedule::fromJson({{QStringLiteral("enabled"), true},
                                          {QStringLiteral("folder"), QStringLiteral("/tmp/reports/")},
                                          {QStringLiteral("time"), QStringLiteral("18:30")},
                                          {QStringLiteral("format"), QStringLiteral("html")}},
                                         s, &error));
        QCOMPARE(s.folder, QStringLiteral("/tmp/reports"));
        QCOMPARE(s.time, QTime(18, 30));
        QCOMPARE(s.format, ReportFormat::Html);
    }

    // The daily schedule, driven by a clock of the test's: nothing before the time of day, one file once it is
    // reached, no second file the same day (not even after a restart of the service), the next one the next day.
    void scheduleWritesOncePerDay()
    {
        test::TestCore tc;
        QTemporaryDir out;
        const QString folder = out.path() + QStringLiteral("/daily");
        auto clock = std::make_shared<ManualClock>();
        clock->set(QDateTime(QDate(2030, 1, 2), QTime(6, 59), Qt::LocalTime));
        ReportService &reports = tc.core().reports();
        reports.setClock([clock] { return clock->now(); });

        test::HttpClient http(tc.port(), tc.token());
        auto put =
            http.put(QStringLiteral("/api/config/report"), {{QStringLiteral("enabled"), true},
                                                            {QStringLiteral("time"), QStringLiteral("07:00")},
                                                            {QStringLiteral("folder"), folder},
                                                            {QStringLiteral("format"), QStringLiteral("markdown")}});
        QCOMPARE(put.status, 200);
        QCOMPARE(put.object().value(QStringLiteral("next_run_at")).toString(),
                 isoUtc(QDateTime(QDate(2030, 1, 2), QTime(7, 0), Qt::LocalTime)));

        auto check = [&reports] {
            auto f = reports.checkSchedule();
            f.waitForFinished();
            return f.result();
        };
        QCOMPARE(check().value(), QString()); // 06:59: not yet
        QVERIFY(!QDir(folder).exists() || QDir(folder).isEmpty());

        clock->set(QDateTime(QDate(2030, 1, 2), QTime(7, 0, 30), Qt::LocalTime));
        const QString first = folder + QStringLiteral("/gpudeck-report-2030-01-02.md");
        QCOMPARE(check().value(), first);
        QFile file(first);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().startsWith("# GPU Deck status report"));
        file.close();
        const QDateTime written = QFileInfo(first).lastModified();

        clock->set(QDateTime(QDate(2030, 1, 2), QTime(23, 59), Qt::LocalTime));
        QCOMPARE(check().value(), QString()); // the same day: not twice
        reports.stop();
        reports.start(); // a restart reads what was done from the store
        QCOMPARE(check().value(), QString());
        QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 1);
        QCOMPARE(QFileInfo(first).lastModified(), written);

        const auto state = http.get(QStringLiteral("/api/config/report")).object();
        QCOMPARE(state.value(QStringLiteral("last_file")).toString(), first);
        QVERIFY(state.value(QStringLiteral("last_error")).isNull());

        clock->set(QDateTime(QDate(2030, 1, 3), QTime(7, 5), Qt::LocalTime));
        QCOMPARE(check().value(), folder + QStringLiteral("/gpudeck-report-2030-01-03.md"));
        QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 2);
    }

    // Due when the schedule is set (past the time of day): the timer-driven path writes without being asked.
    void scheduleCatchesUpWhenEnabledLate()
    {
        test::TestCore tc;
        QTemporaryDir out;
        auto clock = std::make_shared<ManualClock>();
        clock->set(QDateTime(QDate(2030, 3, 4), QTime(9, 15), Qt::LocalTime));
        tc.core().reports().setClock([clock] { return clock->now(); });
        test::HttpClient http(tc.port(), tc.token());
        QCOMPARE(http.put(QStringLiteral("/api/config/report"), {{QStringLiteral("enabled"), true},
                                                                 {QStringLiteral("folder"), out.path()},
                                                                 {QStringLiteral("format"), QStringLiteral("html")}})
                     .status,
                 200);
        const QString path = out.path() + QStringLiteral("/gpudeck-report-2030-03-04.html");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path), 5000);

        // A folder that cannot be written: the failure is reported, not retried at every check.
        QTemporaryDir blocked;
        QFile plain(blocked.path() + QStringLiteral("/not-a-folder"));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        clock->set(QDateTime(QDate(2030, 3, 5), QTime(9, 15), Qt::LocalTime));
        auto put = http.put(QStringLiteral("/api/config/report"),
                            {{QStringLiteral("folder"), plain.fileName() + QStringLiteral("/sub")}});
        QCOMPARE(put.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            !http.get(QStringLiteral("/api/config/report")).object().value(QStringLiteral("last_error")).isNull(),
            5000);
        auto f = tc.core().reports().checkSchedule();
        f.waitForFinished();
        QCOMPARE(f.result().value(), QString()); // waits kRetryAfterS before trying again
    }

    void mcpToolAnswersText()
    {
        test::TestCore tc;
        Seeded seeded;
        seed(tc.core(), seeded);
        test::McpClient mcp(tc.port(), tc.token());
        const QJsonObject md =
            mcp.call(QStringLiteral("report"), {{QStringLiteral("format"), QStringLiteral("markdown")}})
                .value(QStringLiteral("result"))
                .toObject();
        QVERIFY(!md.value(QStringLiteral("isError")).toBool());
        const QString text =
            md.value(QStringLiteral("content")).toArray().at(0).toObject().value(QStringLiteral("text")).toString();
        QVERIFY(text.startsWith(QStringLiteral("# GPU Deck status report")));
        const QJsonObject structured = md.value(QStringLiteral("structuredContent")).toObject();
        QCOMPARE(structured.value(QStringLiteral("content_type")).toString(),
                 QStringLiteral("text/markdown; charset=utf-8"));
        QCOMPARE(structured.value(QStringLiteral("text")).toString(), text);

        const QJsonObject json = mcp.call(QStringLiteral("report")).value(QStringLiteral("result")).toObject();
        QVERIFY(json.value(QStringLiteral("structuredContent")).toObject().contains(QStringLiteral("fleet")));

        const QJsonObject bad = mcp.call(QStringLiteral("report"), {{QStringLiteral("format"), QStringLiteral("pdf")}})
                                    .value(QStringLiteral("result"))
                                    .toObject();
        QVERIFY(bad.value(QStringLiteral("isError")).toBool());

        const QJsonObject schedule =
            mcp.call(QStringLiteral("report_config_get")).value(QStringLiteral("result")).toObject();
        QCOMPARE(
            schedule.value(QStringLiteral("structuredContent")).toObject().value(QStringLiteral("enabled")).toBool(),
            false);
    }

    void escapingHelpers()
    {
        QCOMPARE(markdownEscape(QStringLiteral("a|b\nc")), QStringLiteral("a\\|b c"));
        QCOMPARE(markdownEscape(QStringLiteral("node-1_x")), QStringLiteral("node-1\\_x"));
        QCOMPARE(htmlEscape(QStringLiteral("<a href=\"x\">'&'</a>")),
                 QStringLiteral("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"));
        QCOMPARE(reportFormatForPath(QStringLiteral("/tmp/Report.MD")), std::optional(ReportFormat::Markdown));
        QCOMPARE(reportFormatForPath(QStringLiteral("/tmp/r.htm")), std::optional(ReportFormat::Html));
        QVERIFY(!reportFormatForPath(QStringLiteral("/tmp/r.pdf")));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
