#include "metrics/ProcParser.h"

#include <QFile>
#include <QTest>
#include <cmath>

using namespace gpudeck;

// The host's /proc/meminfo (recorded on the H100 host in tests/fixtures/nvidia-smi, beside its nvidia-smi
// output) and /proc/loadavg, as the collector's host poll reads them.
class TestProcParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void meminfo();
    void meminfoCrlf();
    void loadavg();
};

namespace {

QString readFixture(const char *relative, bool *ok)
{
    QFile f(QStringLiteral(GPUDECK_FIXTURES "/h100-driver580/") + QString::fromLatin1(relative));
    *ok = f.open(QIODevice::ReadOnly);
    return *ok ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

#define READ_FIXTURE(var, relative)                                                                                    \
    QString var;                                                                                                       \
    {                                                                                                                  \
        bool ok_ = false;                                                                                              \
        var = readFixture(relative, &ok_);                                                                             \
        QVERIFY2(ok_, "cannot read fixture " relative);                                                                \
    }

void TestProcParser::meminfo()
{
    READ_FIXTURE(text, "idle/proc-meminfo.txt");
    const auto m = ProcParser::parseMeminfo(text);
    QVERIFY(m);
    QCOMPARE(m->totalMiB, 131981020.0 / 1024.0);
    QCOMPARE(m->availableMiB, 131497260.0 / 1024.0);
    QCOMPARE(m->usedMiB(), (131981020.0 - 131497260.0) / 1024.0);

    QVERIFY(!ProcParser::parseMeminfo(QString()));
    QVERIFY(!ProcParser::parseMeminfo(QStringLiteral("MemTotal: lots kB\n")));
    const auto old = ProcParser::parseMeminfo(QStringLiteral("MemTotal: 2048 kB\nMemFree: 1024 kB\n"));
    QVERIFY(old); // kernels before 3.14 have no MemAvailable
    QCOMPARE(old->totalMiB, 2.0);
    QVERIFY(std::isnan(old->availableMiB));
}

void TestProcParser::meminfoCrlf()
{
    READ_FIXTURE(mem, "idle/proc-meminfo.txt");
    const auto m = ProcParser::parseMeminfo(mem.replace(u'\n', QStringLiteral("\r\n")));
    QVERIFY(m);
    QCOMPARE(m->totalMiB, 131981020.0 / 1024.0);
}

void TestProcParser::loadavg()
{
    const auto l = ProcParser::parseLoadavg(QStringLiteral("0.52 0.58 1.59 1/467 12345\n"));
    QVERIFY(l);
    QCOMPARE(l->one, 0.52);
    QCOMPARE(l->five, 0.58);
    QCOMPARE(l->fifteen, 1.59);
    QVERIFY(!ProcParser::parseLoadavg(QString()));
    QVERIFY(!ProcParser::parseLoadavg(QStringLiteral("0.52 0.58")));
    QVERIFY(!ProcParser::parseLoadavg(QStringLiteral("0.52 x 0.59 1/467 12345")));
    QVERIFY(!ProcParser::parseLoadavg(QStringLiteral("0.52 inf 0.59 1/467 12345")));
    QVERIFY(!ProcParser::parseLoadavg(QStringLiteral("-1 0 0 1/467 12345")));
}

QTEST_GUILESS_MAIN(TestProcParser)
#include "tst_proc_parser.moc"
