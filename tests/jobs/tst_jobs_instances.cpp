// Jobs of several installs on one host account, jobs started before instance ids, and many log followers: a real
// OpenSSH sshd on loopback, a real tmux, the real API over a real socket.
#include "HttpClient.h"
#include "JobsApi.h"
#include "SshServer.h"
#include "TestCore.h"
#include "jobs/JobSupervisor.h"
#include "store/Migrations.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <thread>

using namespace gpudeck;
using test::HttpClient;
using test::HttpReply;
namespace jobs = test::jobs;

class TestJobsInstances : public QObject
{
    Q_OBJECT

    test::SshServer m_sshd;

    static QString instanceOf(test::TestCore &tc) { return tc.core().database().instanceId(); }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void twoInstallsOnOneAccountStartTheSameIdsAtOnce()
    {
        test::TestCore a;
        test::TestCore b;
        QVERIFY(instanceOf(a) != instanceOf(b));
        HttpClient httpA(a.port(), a.token());
        HttpClient httpB(b.port(), b.token());
        for (test::TestCore *tc : {&a, &b}) {
            tc->core().jobRunner().setPollIntervalMs(200);
            tc->core().startJobSupervision();
        }
        const int projectA = jobs::setUpHost(httpA, m_sshd, QStringLiteral("box"), QStringLiteral("tmux"));
        const int projectB = jobs::setUpHost(httpB, m_sshd, QStringLiteral("box"), QStringLiteral("tmux"));
        QVERIFY(projectA > 0 && projectA == projectB);
        const int idA = jobs::createJob(httpA, projectA, QStringLiteral("echo from A; sleep 1.5; exit 3"));
        const int idB = jobs::createJob(httpB, projectB, QStringLiteral("echo from B; sleep 1.5"));
        QVERIFY(idA > 0 && idA == idB); // the same local ids, as every fresh install has

        // Both at the same moment.
        HttpReply startedA;
        HttpReply startedB;
        std::thread ta([&] { startedA = jobs::start(httpA, idA); });
        std::thread tb([&] { startedB = jobs::start(httpB, idB); });
        ta.join();
        tb.join();
        QVERIFY2(startedA.status == 200, startedA.body.constData());
        QVERIFY2(startedB.status == 200, startedB.body.constData());
        const QString sessionA = startedA.object().value(QStringLiteral("container_id")).toString();
        const QString sessionB = startedB.object().value(QStringLiteral("container_id")).toString();
        QCOMPARE(sessionA, QStringLiteral("gpudeck-%1-%2-1").arg(instanceOf(a)).arg(idA));
        QCOMPARE(sessionB, QStringLiteral("gpudeck-%1-%2-1").arg(instanceOf(b)).arg(idB));
        // Both run side by side on the host.
        const auto both = httpA.post(
            QStringLiteral("/api/dgx/exec/box"),
            {{QStringLiteral("command"),
              QStringLiteral("tmux has-session -t =%1 && tmux has-session -t =%2").arg(sessionA, sessionB)}});
        QCOMPARE(both.object().value(QStringLiteral("exit_code")).toInt(-1), 0);

        // Each sees its own outcome, log and exit code.
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(httpA, idA), QStringLiteral("failed"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(httpB, idB), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::job(httpA, idA).value(QStringLiteral("exit_code")).toInt(-1), 3);
        QCOMPARE(jobs::job(httpB, idB).value(QStringLiteral("exit_code")).toInt(-1), 0);
        QCOMPARE(jobs::logLines(httpA, idA), QStringList{QStringLiteral("from A")});
        QCOMPARE(jobs::logLines(httpB, idB), QStringList{QStringLiteral("from B")});
        // Each install's files are under its own instance id.
        for (test::TestCore *tc : {&a, &b}) {
            QVERIFY(QFile::exists(m_sshd.homeDir() +
                                  QStringLiteral("/.gpudeck/%1/jobs/%2/1/log").arg(instanceOf(*tc)).arg(idA)));
        }
    }

    void jobOfTheOldNamingIsSupervisedAfterTheUpgrade()
    {
        // A data dir as the previous release left it: schema 6, a job running under ~/.gpudeck/jobs/<id> in the tmux
        // session gpudeck-job-<id>. A high id, so no other test process's job of the old naming can be the same.
        QTemporaryDir dir;
        const qint64 id = 900000 + QRandomGenerator::global()->bounded(90000);
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            old.setDatabaseName(dir.filePath(QStringLiteral("gpudeck.sqlite3")));
            QVERIFY(old.open());
            QSqlQuery q(old);
            for (int step = 0; step < 6; ++step) {
                for (const QString &statement : migrations().at(step)) {
                    QVERIFY2(q.exec(statement), qPrintable(statement));
                }
            }
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 6")));
            QVERIFY(
                q.prepare(QStringLiteral("INSERT INTO connections (name, hostname, username, ssh_key_path, port, kind, "
                                         "auth_method, created_at, updated_at) VALUES ('box', ?, ?, ?, ?, 'generic', "
                                         "'key', 't', 't')")));
            q.addBindValue(m_sshd.host());
            q.addBindValue(m_sshd.user());
            q.addBindValue(m_sshd.keyPath(QStringLiteral("ed25519")));
            q.addBindValue(m_sshd.port());
            QVERIFY(q.exec());
            QVERIFY(
                q.exec(QStringLiteral("INSERT INTO projects (connection_id, name, remote_path, backend, created_at, "
                                      "updated_at) VALUES (1, 'train', '~', 'tmux', 't', 't')")));
            QVERIFY(q.exec(
                QStringLiteral("INSERT INTO training_jobs (id, project_id, name, status, container_id, started_at, "
                               "created_at, command, backend) VALUES (%1, 1, 'old', 'running', 'gpudeck-job-%1', "
                               "'2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00.000Z', 'echo old', 'tmux')")
                    .arg(id)));
            q.finish();
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));
        QFile known(dir.filePath(QStringLiteral("known_hosts")));
        QVERIFY(known.open(QIODevice::WriteOnly));
        known.write(m_sshd.knownHostsLine().toUtf8() + '\n');
        known.close();

        qputenv("GPUDECK_USER_KNOWN_HOSTS", dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
        Core core{AppPaths(dir.path())};
        QVERIFY(core.open().ok());
        auto port = core.startApi(0);
        QVERIFY(port.ok());
        HttpClient http(port.value(), core.token().value());
        const QJsonArray attempts = http.get(QStringLiteral("/api/dgx/jobs/%1/attempts").arg(id)).array();
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("host_dir")).toString(),
                 QStringLiteral("$HOME/.gpudeck/jobs/%1").arg(id));
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("session")).toString(),
                 QStringLiteral("gpudeck-job-%1").arg(id));
        QCOMPARE(jobs::job(http, int(id)).value(QStringLiteral("attempt")).toInt(), 1);

        // The job as the old release started it, still running on the host.
        QCOMPARE(http.post(QStringLiteral("/api/dgx/connect/box"), {}).status, 200);
        const QString oldStart =
            QStringLiteral(
                "D=\"$HOME/.gpudeck/jobs/%1\"; mkdir -p \"$D\" && echo 'old line' > \"$D/log\" && : > "
                "\"$D/metrics.jsonl\" && "
                "tmux new-session -d -s gpudeck-job-%1 \"sh -c 'sleep 1; echo finished after the upgrade >> $D/log; "
                "echo 0 > $D/exit_code.tmp; mv $D/exit_code.tmp $D/exit_code'\"")
                .arg(id);
        const auto setUp = http.post(QStringLiteral("/api/dgx/exec/box"), {{QStringLiteral("command"), oldStart}});
        QVERIFY2(setUp.object().value(QStringLiteral("exit_code")).toInt(-1) == 0, setUp.body.constData());

        core.jobRunner().setPollIntervalMs(200);
        core.startJobSupervision();
        QCOMPARE(jobs::status(http, int(id)), QStringLiteral("running"));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(http, int(id)), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::job(http, int(id)).value(QStringLiteral("exit_code")).toInt(-1), 0);
        QCOMPARE(jobs::logLines(http, int(id)),
                 (QStringList{QStringLiteral("old line"), QStringLiteral("finished after the upgrade")}));

        // Run again, it gets this install's naming; the old attempt's log stays readable.
        const auto again = jobs::start(http, int(id));
        QVERIFY2(again.status == 200, again.body.constData());
        QCOMPARE(again.object().value(QStringLiteral("container_id")).toString(),
                 QStringLiteral("gpudeck-%1-%2-2").arg(core.database().instanceId()).arg(id));
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(http, int(id)), QStringLiteral("completed"), 15000);
        QCOMPARE(jobs::logLines(http, int(id)), QStringList{QStringLiteral("old")});
        QCOMPARE(http.get(QStringLiteral("/api/dgx/jobs/%1/logs?attempt=1").arg(id))
                     .object()
                     .value(QStringLiteral("lines"))
                     .toArray()
                     .size(),
                 2);
        http.post(QStringLiteral("/api/dgx/exec/box"),
                  {{QStringLiteral("command"), QStringLiteral("rm -rf \"$HOME/.gpudeck/jobs/%1\"").arg(id)}});
    }

    void eightFollowersKeepExecAndSupervisionOnTime()
    {
        test::TestCore tc;
        tc.core().startJobSupervision(); // the shipped 1 s poll
        HttpClient http(tc.port(), tc.token());
        const int project = jobs::setUpHost(http, m_sshd, QStringLiteral("box"), QStringLiteral("tmux"));
        QVERIFY(project > 0);
        const int chatty =
            jobs::createJob(http, project, QStringLiteral("for i in $(seq 1 16); do echo line $i; sleep 0.25; done"));
        QCOMPARE(jobs::start(http, chatty).status, 200);

        struct Follower
        {
            std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
            QByteArray received;
        };
        std::vector<Follower> followers(8);
        for (Follower &f : followers) {
            QTcpSocket *s = f.socket.get();
            QByteArray *into = &f.received;
            connect(s, &QTcpSocket::readyRead, this, [s, into] { *into += s->readAll(); });
            s->connectToHost(QStringLiteral("127.0.0.1"), tc.port());
            QVERIFY(s->waitForConnected(5000));
            s->write("GET /api/dgx/jobs/" + QByteArray::number(chatty) +
                     "/logs?follow=true&tail=100 HTTP/1.1\r\n"
                     "Host: 127.0.0.1\r\nAuthorization: Bearer " +
                     tc.token() + "\r\n\r\n");
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(followers.begin(), followers.end(),
                                             [](const Follower &f) { return f.received.contains("data: line 1\n"); }),
                                 5000);

        // While eight clients follow: an exec answers within its timeout...
        QElapsedTimer t;
        t.start();
        const auto exec =
            http.post(QStringLiteral("/api/dgx/exec/box"),
                      {{QStringLiteral("command"), QStringLiteral("echo ok")}, {QStringLiteral("timeout_s"), 3}});
        QVERIFY2(exec.status == 200 && t.elapsed() < 3000, exec.body.constData());
        // ...and a job that exits is seen as completed within about two seconds.
        const QString marker = m_sshd.homeDir() + QStringLiteral("/followers-exit-time");
        QFile::remove(marker);
        const int quick =
            jobs::createJob(http, project, QStringLiteral("sleep 0.3; date +%s%3N > \"$HOME/followers-exit-time\""));
        QCOMPARE(jobs::start(http, quick).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(jobs::status(http, quick), QStringLiteral("completed"), 5000);
        const qint64 seenAt = QDateTime::currentMSecsSinceEpoch();
        QFile exitFile(marker);
        QVERIFY(exitFile.open(QIODevice::ReadOnly));
        const qint64 exitedAt = exitFile.readAll().trimmed().toLongLong();
        QVERIFY2(seenAt - exitedAt < 2000,
                 qPrintable(QStringLiteral("completed seen %1 ms after the exit").arg(seenAt - exitedAt)));
        exitFile.remove();

        // Every follower gets every line once, in order, and the end.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(followers.begin(), followers.end(),
                                             [](const Follower &f) { return f.received.contains("event: end"); }),
                                 15000);
        for (const Follower &follower : followers) {
            qsizetype at = 0;
            for (int i = 1; i <= 16; ++i) {
                const QByteArray line = "data: line " + QByteArray::number(i) + "\n";
                const qsizetype found = follower.received.indexOf(line, at);
                QVERIFY2(found > at || (i == 1 && found >= 0), follower.received.constData());
                QCOMPARE(follower.received.count(line), 1);
                at = found;
            }
        }
        QCOMPARE(jobs::status(http, chatty), QStringLiteral("completed"));
    }
};

QTEST_GUILESS_MAIN(TestJobsInstances)
#include "tst_jobs_instances.moc"
