#include "FakeProxmoxShell.h"
#include "proxmox/PvecmStatus.h"

#include <QRandomGenerator>
#include <QTest>

using namespace gpudeck;
using test::FakeProxmoxShell;

// `pvecm status` read into values: Proxmox VE 8's layout (documentation-shaped fixtures, tests/fixtures/proxmox) with
// quorum, without it, with a QDevice; a node in no cluster; and malformed text, which is a clear error, never a crash.
class TestPvecmStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quorate()
    {
        const Result<PvecmStatus> r = parsePvecmStatus(FakeProxmoxShell::fixture(QStringLiteral("pvecm-status.txt")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const PvecmStatus &s = r.value();
        QCOMPARE(s.clusterName, QStringLiteral("homelab"));
        QCOMPARE(s.configVersion, 7);
        QCOMPARE(s.transport, QStringLiteral("knet"));
        QCOMPARE(s.nodes, 3);
        QCOMPARE(s.localNodeId, 1);
        QVERIFY(s.quorate);
        QCOMPARE(s.expectedVotes, 4);
        QCOMPARE(s.highestExpected, 4);
        QCOMPARE(s.totalVotes, 3);
        QCOMPARE(s.quorum, 3);
        QVERIFY(!s.activityBlocked);
        QCOMPARE(s.flags, QStringList{QStringLiteral("Quorate")});
        QCOMPARE(s.members.size(), 3);
        QCOMPARE(s.members.at(0).nodeId, 1);
        QCOMPARE(s.members.at(0).votes, 1);
        QCOMPARE(s.members.at(0).name, QStringLiteral("198.51.100.11"));
        QVERIFY(s.members.at(0).local);
        QCOMPARE(s.members.at(2).nodeId, 3);
        QCOMPARE(s.members.at(2).name, QStringLiteral("198.51.100.13"));
        QVERIFY(!s.members.at(2).local);
    }

    void quorumLost()
    {
        const Result<PvecmStatus> r =
            parsePvecmStatus(FakeProxmoxShell::fixture(QStringLiteral("pvecm-status-no-quorum.txt")));
        QVERIFY(r.ok());
        QVERIFY(!r->quorate);
        QCOMPARE(r->nodes, 2);
        QCOMPARE(r->expectedVotes, 4);
        QCOMPARE(r->totalVotes, 2);
        QCOMPARE(r->quorum, 3);
        QVERIFY(r->activityBlocked);
        QVERIFY(r->flags.isEmpty());
        QCOMPARE(r->members.size(), 2);
    }

    void qdevice()
    {
        const Result<PvecmStatus> r =
            parsePvecmStatus(FakeProxmoxShell::fixture(QStringLiteral("pvecm-status-qdevice.txt")));
        QVERIFY(r.ok());
        QCOMPARE(r->clusterName, QStringLiteral("pair"));
        QCOMPARE(r->localNodeId, 2);
        QCOMPARE(r->expectedVotes, 3);
        QCOMPARE(r->totalVotes, 3);
        QCOMPARE(r->quorum, 2);
        QCOMPARE(r->flags, (QStringList{QStringLiteral("Quorate"), QStringLiteral("Qdevice")}));
        QCOMPARE(r->members.size(), 3);
        QCOMPARE(r->members.at(0).qdeviceFlags, QStringLiteral("A,V,NMW"));
        QCOMPARE(r->members.at(0).name, QStringLiteral("198.51.100.21"));
        QVERIFY(r->members.at(1).local);
        QCOMPARE(r->members.at(2).nodeId, 0);
        QCOMPARE(r->members.at(2).name, QStringLiteral("Qdevice"));
        QVERIFY(r->members.at(2).qdeviceFlags.isEmpty());
    }

    void windowsLineEndsAndIndentedTables()
    {
        QString text = FakeProxmoxShell::fixture(QStringLiteral("pvecm-status.txt"));
        text.replace(QStringLiteral("\n0x"), QStringLiteral("\n    0x"))
            .replace(QLatin1Char('\n'), QStringLiteral("\r\n"));
        const Result<PvecmStatus> r = parsePvecmStatus(text);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->members.size(), 3);
        QVERIFY(r->quorate);
    }

    void notInACluster()
    {
        const Result<PvecmStatus> r =
            parsePvecmStatus(FakeProxmoxShell::fixture(QStringLiteral("pvecm-status-standalone.txt")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().reason, QStringLiteral("proxmox_not_clustered"));
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        const QString good = FakeProxmoxShell::fixture(QStringLiteral("pvecm-status.txt"));
        QTest::newRow("empty") << QString() << QStringLiteral("printed nothing");
        QTest::newRow("blank") << QStringLiteral("\n\n  \n") << QStringLiteral("printed nothing");
        QTest::newRow("another tool") << QStringLiteral("bash: line 1: something else\nmore\n")
                                      << QStringLiteral("not pvecm status output: 'bash: line 1: something else'");
        QTest::newRow("quorate maybe") << QString(good).replace(QStringLiteral("Quorate:          Yes"),
                                                                QStringLiteral("Quorate:          Maybe"))
                                       << QStringLiteral("quorate is neither Yes nor No");
        QTest::newRow("votes not a number")
            << QString(good).replace(QStringLiteral("Expected votes:   4"), QStringLiteral("Expected votes:   four"))
            << QStringLiteral("line 19 (Expected votes:   four): the expected votes are not a number");
        QTest::newRow("negative votes") << QString(good).replace(QStringLiteral("Total votes:      3"),
                                                                 QStringLiteral("Total votes:      -3"))
                                        << QStringLiteral("the total votes are not a number");
        QTest::newRow("cut before quorate")
            << good.left(good.indexOf(QStringLiteral("Quorate:"))) << QStringLiteral("no 'Quorate:' line");
        QTest::newRow("member without name")
            << QString(good).replace(QStringLiteral("0x00000003          1 198.51.100.13"),
                                     QStringLiteral("0x00000003          1"))
            << QStringLiteral("line 30 (0x00000003          1): the member has no name");
        QTest::newRow("member with bad votes")
            << QString(good).replace(QStringLiteral("0x00000003          1 198.51.100.13"),
                                     QStringLiteral("0x00000003          x 198.51.100.13"))
            << QStringLiteral("the votes are not a number");
        QTest::newRow("member line garbage")
            << QString(good).replace(QStringLiteral("0x00000003          1 198.51.100.13"), QStringLiteral("???"))
            << QStringLiteral("not a member line");
        QTest::newRow("huge line") << QStringLiteral("Quorate: ") + QString(100000, QLatin1Char('y'))
                                   << QStringLiteral("quorate is neither Yes nor No");
    }

    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        const Result<PvecmStatus> r = parsePvecmStatus(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Validation);
        QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
        QVERIFY2(r.error().message.size() < 400, "the message quotes a bounded part of the line");
    }

    // Random damage to the real layout: every answer is a value or an error, and nothing crashes.
    void randomDamage()
    {
        const QString good = FakeProxmoxShell::fixture(QStringLiteral("pvecm-status-qdevice.txt"));
        QRandomGenerator rng(11);
        for (int round = 0; round < 2000; ++round) {
            QString text = good;
            const int edits = 1 + int(rng.bounded(6));
            for (int e = 0; e < edits; ++e) {
                const int at = int(rng.bounded(text.size() + 1));
                switch (rng.bounded(3)) {
                case 0:
                    text.remove(at, int(rng.bounded(20)));
                    break;
                case 1:
                    text.insert(at, QChar(char16_t(rng.bounded(0x20, 0x7f))));
                    break;
                default:
                    text = text.left(at);
                    break;
                }
            }
            const Result<PvecmStatus> r = parsePvecmStatus(text);
            QVERIFY(r.ok() || !r.error().message.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestPvecmStatus)
#include "tst_pvecm_status.moc"
