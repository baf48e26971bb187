#include "TestCore.h"
#include "alerts/AlertRepository.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace gpudeck;

namespace {
Connection makeConnection(const QString &name)
{
    Connection c;
    c.name = name;
    c.hostname = QStringLiteral("203.0.113.10");
    c.username = QStringLiteral("ops");
    return c;
}

// A project "rl" on a connection "box": the id, for jobs.
qint64 makeProject(Core &core)
{
    const auto c = core.connections().create(makeConnection(QStringLiteral("box")));
    Project p;
    p.connectionId = c->id;
    p.name = QStringLiteral("rl");
    return core.projects().create(p)->id;
}
} // namespace

class TestRepositories : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectionValidation_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("empty name") << "name"
                                    << "";
        QTest::newRow("numeric name") << "name"
                                      << "42";
        QTest::newRow("slash in name") << "name"
                                       << "a/b";
        QTest::newRow("empty host") << "hostname"
                                    << "";
        QTest::newRow("host with space") << "hostname"
                                         << "bad host";
        QTest::newRow("port zero") << "port"
                                   << "0";
        QTest::newRow("port too big") << "port"
                                      << "70000";
        QTest::newRow("unknown kind") << "kind"
                                      << "mainframe";
        QTest::newRow("unknown auth") << "auth_method"
                                      << "telepathy";
        QTest::newRow("key without path") << "ssh_key_path"
                                          << "";
        QTest::newRow("bad mac") << "mac_address"
                                 << "00:11:22";
        QTest::newRow("bad user") << "username"
                                  << "a b";
    }

    void connectionValidation()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        test::TestCore tc(false);
        Connection c = makeConnection(QStringLiteral("box"));
        if (field == QStringLiteral("name"))
            c.name = value;
        if (field == QStringLiteral("hostname"))
            c.hostname = value;
        if (field == QStringLiteral("port"))
            c.port = value.toInt();
        if (field == QStringLiteral("kind"))
            c.kind = value;
        if (field == QStringLiteral("auth_method"))
            c.authMethod = value;
        if (field == QStringLiteral("ssh_key_path")) {
            c.authMethod = QStringLiteral("key");
            c.sshKeyPath = value;
        }
        if (field == QStringLiteral("mac_address"))
            c.macAddress = value;
        if (field == QStringLiteral("username"))
            c.username = value;
        const auto r = tc.core().connections().create(c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Validation);
        QCOMPARE(r.error().field, field);
        QCOMPARE(tc.core().connections().list()->size(), 0);
    }

    void connectionFleetFields()
    {
        test::TestCore tc(false);
        auto &repo = tc.core().connections();
        const auto created = repo.create(makeConnection(QStringLiteral("pve-1")));
        QVERIFY(created.ok());
        QCOMPARE(created->watch, true);
        QCOMPARE(created->wolPort, 9);
        QCOMPARE(created->proxmoxApiPort, 8006);

        Connection c = created.value();
        c.watch = false;
        c.wolBroadcast = QStringLiteral("192.0.2.255");
        c.wolPort = 7;
        c.proxmoxTokenId = QStringLiteral("root@pam!gpudeck");
        c.proxmoxApiPort = 18006;
        c.proxmoxFingerprint = QStringLiteral("AA:BB"); // not written by update(): only the trust flow pins
        QVERIFY(repo.update(c).ok());
        Connection back = repo.get(c.id).value();
        QCOMPARE(back.watch, false);
        QCOMPARE(back.wolBroadcast, QStringLiteral("192.0.2.255"));
        QCOMPARE(back.wolPort, 7);
        QCOMPARE(back.proxmoxTokenId, QStringLiteral("root@pam!gpudeck"));
        QCOMPARE(back.proxmoxApiPort, 18006);
        QVERIFY(back.proxmoxFingerprint.isEmpty());

        QVERIFY(repo.setProxmoxFingerprint(c.id, QStringLiteral("AA:BB")).ok());
        QCOMPARE(repo.get(c.id)->proxmoxFingerprint, QStringLiteral("AA:BB"));
        QVERIFY(repo.update(back).ok()); // an edit keeps the pin
        QCOMPARE(repo.get(c.id)->proxmoxFingerprint, QStringLiteral("AA:BB"));
        QCOMPARE(repo.setProxmoxFingerprint(9999, QStringLiteral("x")).error().code, ErrorCode::NotFound);

        // The API's JSON: read-only pin ignored on write, the rest applied.
        Connection fromJson = back;
        QVERIFY(fromJson
                    .applyJson(QJsonObject{{QStringLiteral("watch"), true},
                                           {QStringLiteral("proxmox_fingerprint"), QStringLiteral("CC:DD")}},
                               false)
                    .ok());
        QCOMPARE(fromJson.watch, true);
        QCOMPARE(fromJson.proxmoxFingerprint, QString());
        const QJsonObject json = repo.get(c.id)->toJson();
        QCOMPARE(json.value(QStringLiteral("proxmox_fingerprint")).toString(), QStringLiteral("AA:BB"));
        QCOMPARE(json.value(QStringLiteral("wol_port")).toInt(), 7);
    }

    void connectionCrudAndNames()
    {
        test::TestCore tc(false);
        auto &repo = tc.core().connections();
        QSignalSpy changed(tc.core().events(), &StoreEvents::connectionsChanged);
        const auto a = repo.create(makeConnection(QStringLiteral("spark-1")));
        QVERIFY(a.ok());
        QVERIFY(a->id > 0);
        QVERIFY(a->createdAt.isValid());
        QCOMPARE(changed.count(), 1);

        const auto dup = repo.create(makeConnection(QStringLiteral("spark-1")));
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error().code, ErrorCode::Conflict);

        QCOMPARE(repo.find(QStringLiteral("spark-1"))->id, a->id);
        QCOMPARE(repo.find(QString::number(a->id))->name, QStringLiteral("spark-1"));
        QCOMPARE(repo.find(QStringLiteral("nope")).error().code, ErrorCode::NotFound);

        auto b = repo.create(makeConnection(QStringLiteral("spark-2")));
        QVERIFY(b.ok());
        Connection renamed = b.value();
        renamed.name = QStringLiteral("spark-1");
        QCOMPARE(repo.update(renamed).error().code, ErrorCode::Conflict);
        renamed.name = QStringLiteral("spark-2b");
        renamed.port = 2222;
        const auto updated = repo.update(renamed);
        QVERIFY(updated.ok());
        QCOMPARE(repo.get(b->id)->port, 2222);
        QCOMPARE(repo.get(b->id)->name, QStringLiteral("spark-2b"));

        QVERIFY(repo.setActive(a->id, true).ok());
        QVERIFY(repo.get(a->id)->isActive);
        QVERIFY(repo.get(a->id)->lastConnectedAt.isValid());
    }

    void deletingAConnectionWithProjectsNeedsForce()
    {
        test::TestCore tc(false);
        auto &core = tc.core();
        const auto c = core.connections().create(makeConnection(QStringLiteral("box")));
        Project p;
        p.connectionId = c->id;
        p.name = QStringLiteral("vision");
        const auto project = core.projects().create(p);
        QVERIFY(project.ok());
        Job j;
        j.projectId = project->id;
        j.name = QStringLiteral("run-1");
        QVERIFY(core.jobs().create(j).ok());

        const Status refused = core.connections().remove(c->id, false);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Conflict);
        QVERIFY(core.connections().get(c->id).ok());

        QVERIFY(core.connections().remove(c->id, true).ok());
        QCOMPARE(core.projects().list()->size(), 0);
        QCOMPARE(core.jobs().list()->size(), 0);
    }

    void deletingAProjectDeletesItsJobs()
    {
        test::TestCore tc(false);
        auto &core = tc.core();
        const auto c = core.connections().create(makeConnection(QStringLiteral("box")));
        Project p;
        p.connectionId = c->id;
        p.name = QStringLiteral("nlp");
        p.projectType = QStringLiteral("nlp");
        const auto a = core.projects().create(p);
        const auto b = core.projects().create(p);
        Job j;
        j.name = QStringLiteral("x");
        j.projectId = a->id;
        QVERIFY(core.jobs().create(j).ok());
        j.projectId = b->id;
        QVERIFY(core.jobs().create(j).ok());
        QVERIFY(core.projects().remove(a->id).ok());
        QCOMPARE(core.jobs().list()->size(), 1);
        QCOMPARE(core.jobs().list(b->id)->size(), 1);
        QCOMPARE(core.projects().remove(a->id).error().code, ErrorCode::NotFound);
    }

    void projectValidation()
    {
        test::TestCore tc(false);
        auto &core = tc.core();
        Project p;
        p.name = QStringLiteral("x");
        p.connectionId = 999;
        QCOMPARE(core.projects().create(p).error().field, QStringLiteral("connection_id"));
        const auto c = core.connections().create(makeConnection(QStringLiteral("box")));
        p.connectionId = c->id;
        p.projectType = QStringLiteral("astrology");
        QCOMPARE(core.projects().create(p).error().field, QStringLiteral("project_type"));
        p.projectType = QStringLiteral("generative");
        p.status = QStringLiteral("sleeping");
        QCOMPARE(core.projects().create(p).error().field, QStringLiteral("status"));
    }

    void jobStatusStampsTimes()
    {
        test::TestCore tc(false);
        auto &core = tc.core();
        const qint64 projectId = makeProject(core);
        Job j;
        j.projectId = projectId;
        j.name = QStringLiteral("ppo");
        auto job = core.jobs().create(j);
        QVERIFY(job.ok());
        QCOMPARE(job->status, QStringLiteral("pending"));
        QVERIFY(!job->startedAt.isValid());

        Job running = job.value();
        running.status = QStringLiteral("running");
        const auto r = core.jobs().update(running);
        QVERIFY(r.ok());
        QVERIFY(r->startedAt.isValid());
        QVERIFY(!r->completedAt.isValid());
        QCOMPARE(core.jobs().get(job->id)->startedAt, r->startedAt);

        Job failed = r.value();
        failed.status = QStringLiteral("failed");
        const auto f = core.jobs().update(failed);
        QVERIFY(f->completedAt.isValid());
        QCOMPARE(f->startedAt, r->startedAt); // kept
        QVERIFY(f->completedAt >= f->startedAt);

        // A status change that is not a change leaves the times alone.
        Job same = f.value();
        same.modelName = QStringLiteral("llama");
        QCOMPARE(core.jobs().update(same)->completedAt, f->completedAt);

        Job again = f.value();
        again.status = QStringLiteral("pending");
        const auto back = core.jobs().update(again);
        QVERIFY(!back->startedAt.isValid());
        QVERIFY(!back->completedAt.isValid());

        Job bad = back.value();
        bad.status = QStringLiteral("exploded");
        QCOMPARE(core.jobs().update(bad).error().field, QStringLiteral("status"));

        // Created directly in a final state: completed_at is set at once.
        Job done;
        done.projectId = projectId;
        done.name = QStringLiteral("imported");
        done.status = QStringLiteral("completed");
        QVERIFY(core.jobs().create(done)->completedAt.isValid());
    }

    void anUpdateWritesOnlyWhatItChanged()
    {
        // A writer that read the job earlier (the cost guard records its on-end result from a copy it read before
        // the job moved on) writes back what it changed, never its stale copy of the rest.
        test::TestCore tc(false);
        auto &core = tc.core();
        Job j;
        j.projectId = makeProject(core);
        j.name = QStringLiteral("ppo");
        const auto job = core.jobs().create(j);
        QVERIFY(job.ok());
        const Job stale = job.value();

        Job running = stale;
        running.status = QStringLiteral("running");
        running.metrics = QJsonObject{{QStringLiteral("step"), 10}};
        QVERIFY(core.jobs().update(running).ok());

        Job later = stale;
        later.onEndResult = QJsonObject{{QStringLiteral("state"), QStringLiteral("done")}};
        const auto saved = core.jobs().update(later, stale);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));
        const auto now = core.jobs().get(job->id);
        QCOMPARE(now->status, QStringLiteral("running"));
        QCOMPARE(now->metrics.value(QStringLiteral("step")).toInt(), 10);
        QVERIFY(now->startedAt.isValid());
        QCOMPARE(now->onEndResult.value(QStringLiteral("state")).toString(), QStringLiteral("done"));

        // Nothing changed: nothing written, the job as it is.
        const auto same = core.jobs().update(now.value(), now.value());
        QVERIFY(same.ok());
        QCOMPARE(core.jobs().get(job->id)->status, QStringLiteral("running"));
        // A job that is gone is still not found.
        Job ghost = now.value();
        ghost.id = job->id + 1000;
        Job ghostRenamed = ghost;
        ghostRenamed.name = QStringLiteral("renamed");
        QCOMPARE(core.jobs().update(ghostRenamed, ghost).error().code, ErrorCode::NotFound);
    }

    void timesWithoutAZoneAreUtc()
    {
        QCOMPARE(parseIsoUtc(QStringLiteral("2026-01-31T12:00:00")),
                 QDateTime(QDate(2026, 1, 31), QTime(12, 0), Qt::UTC));
        QCOMPARE(parseIsoUtc(QStringLiteral("2026-01-31T12:00:00Z")),
                 QDateTime(QDate(2026, 1, 31), QTime(12, 0), Qt::UTC));
        QCOMPARE(parseIsoUtc(QStringLiteral("2026-01-31T14:00:00+02:00")),
                 QDateTime(QDate(2026, 1, 31), QTime(12, 0), Qt::UTC));
        QVERIFY(!parseIsoUtc(QStringLiteral("yesterday")).isValid());
    }

    void jsonConfigRoundTrips()
    {
        test::TestCore tc(false);
        auto &core = tc.core();
        const auto c = core.connections().create(makeConnection(QStringLiteral("box")));
        Project p;
        p.connectionId = c->id;
        p.name = QStringLiteral("cfg");
        p.config = QJsonObject{{QStringLiteral("lr"), 0.001}, {QStringLiteral("tags"), QJsonArray({1, 2})}};
        const auto created = core.projects().create(p);
        QCOMPARE(core.projects().get(created->id)->config, p.config);
    }

    // An alert seen again is the same alert: while open, after GPU Deck stopped seeing it (a closed link: "unseen"),
    // and after a restart (closeAllOpen); one whose condition cleared starts a new row; an event is recorded once.
    void alertSeenAgainIsTheSameRow()
    {
        test::TestCore tc(false);
        AlertRepository alerts(tc.core().database());
        const auto rowsOf = [&alerts](const QString &key) {
            QList<Alert> out;
            const auto all = alerts.list(false, 0, 1000); // kept: value() refers into it
            for (const Alert &a : all.value()) {
                if (a.key == key) {
                    out.append(a);
                }
            }
            return out;
        };
        Alert hot;
        hot.connectionName = QStringLiteral("spark-1");
        hot.gpuIndex = 0;
        hot.kind = QStringLiteral("gpu_temperature");
        hot.severity = QStringLiteral("critical");
        hot.message = QStringLiteral("spark-1 GPU 0 is at 88 °C (alert at 85 °C)");
        hot.value = 88;
        hot.key = QStringLiteral("0/0/gpu_temperature");
        const auto first = alerts.raise(hot);
        QVERIFY(first.ok());
        QVERIFY(first->id > 0);
        QVERIFY(!first->repeated);

        const auto again = alerts.raise(hot); // still open: the same alert
        QVERIFY(again.ok());
        QCOMPARE(again->id, first->id);
        QVERIFY(again->repeated);

        // The link was closed: ended unseen. Reconnected and still hot: reopened, not a new row.
        QVERIFY(alerts.close(first->id, QDateTime::currentDateTimeUtc(), 88, QStringLiteral("unseen")).ok());
        QCOMPARE(rowsOf(hot.key).first().endReason, QStringLiteral("unseen"));
        hot.value = 90;
        hot.message = QStringLiteral("spark-1 GPU 0 is at 90 °C (alert at 85 °C)");
        const auto reopened = alerts.raise(hot);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened->id, first->id);
        QVERIFY(reopened->repeated);
        QVERIFY(reopened->active());
        QCOMPARE(rowsOf(hot.key).size(), 1);
        QVERIFY(rowsOf(hot.key).first().active());
        QCOMPARE(rowsOf(hot.key).first().value, 90.0);
        QCOMPARE(rowsOf(hot.key).first().startedAt, first->startedAt);

        // A restart closes what was open as unseen; seen again, it is that row again.
        QVERIFY(alerts.closeAllOpen().ok());
        QCOMPARE(rowsOf(hot.key).first().endReason, QStringLiteral("unseen"));
        QVERIFY(!rowsOf(hot.key).first().toJson().value(QStringLiteral("active")).toBool());
        QCOMPARE(alerts.raise(hot)->id, first->id);
        QCOMPARE(rowsOf(hot.key).size(), 1);

        // Cooled down (cleared), then hot again: a new episode, a new row.
        QVERIFY(alerts.close(first->id, QDateTime::currentDateTimeUtc(), 79).ok());
        QCOMPARE(rowsOf(hot.key).first().toJson().value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("cleared"));
        const auto episode = alerts.raise(hot);
        QVERIFY(episode.ok());
        QVERIFY(episode->id != first->id);
        QVERIFY(!episode->repeated);
        QCOMPARE(rowsOf(hot.key).size(), 2);

        // An event (ended when raised) with a key is recorded once, however often it is reported.
        Alert ended;
        ended.kind = QStringLiteral("job_ended");
        ended.severity = QStringLiteral("info");
        ended.message = QStringLiteral("job 'train' completed (exit code 0)");
        ended.startedAt = QDateTime::currentDateTimeUtc();
        ended.endedAt = ended.startedAt;
        ended.key = QStringLiteral("job_ended/7/1");
        const auto once = alerts.raise(ended);
        QVERIFY(once.ok() && !once->repeated);
        const auto twice = alerts.raise(ended);
        QVERIFY(twice.ok() && twice->repeated);
        QCOMPARE(twice->id, once->id);
        QCOMPARE(rowsOf(ended.key).size(), 1);
        ended.key = QStringLiteral("job_ended/7/2"); // the next attempt's end is news
        QVERIFY(!alerts.raise(ended)->repeated);

        // Without a key every raise is a row (a failed swap is its own event each time).
        Alert swap;
        swap.kind = QStringLiteral("swap_failed");
        swap.severity = QStringLiteral("warning");
        swap.message = QStringLiteral("swap failed");
        QVERIFY(alerts.raise(swap)->id != alerts.raise(swap)->id);
    }
};

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
