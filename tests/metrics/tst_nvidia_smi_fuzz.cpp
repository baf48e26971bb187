#include "NvidiaSmiReportParser.h"
#include "metrics/NvidiaSmiParser.h"
#include "metrics/ProcParser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <cmath>

using namespace gpudeck;
using gpudeck::test::DmonSample;
using gpudeck::test::GpuListEntry;
using gpudeck::test::NvidiaSmiReportParser;

// Random and mangled input through every nvidia-smi parser: nothing may crash, and whatever parseQueryLine
// accepts must be a usable sample (an index, numbers that are finite or NaN, never inf). A fixed seed makes a
// failure reproducible; the seed and the counts are printed.
class TestNvidiaSmiFuzz : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fuzz();

private:
    QStringList m_lines;   // data lines from the recordings (query-gpu, loop, compute-apps, dmon, table...)
    QList<QString> m_docs; // whole recordings (xml, -q, table, meminfo, help)
    QString m_header;      // a --format=csv header with units
};

namespace {

constexpr quint32 kSeed = 0x5eed580;
constexpr int kIterations = 20000;

QString fixtureDir()
{
    return QStringLiteral(GPUDECK_FIXTURES "/h100-driver580");
}

QString readText(const QString &relative, bool *ok)
{
    QFile f(fixtureDir() + u'/' + relative);
    *ok = f.open(QIODevice::ReadOnly);
    return *ok ? QString::fromUtf8(f.readAll()) : QString();
}

bool finiteOrNaN(double v)
{
    return !std::isinf(v);
}

bool sampleIsSane(const GpuSample &s)
{
    const double values[] = {s.utilizationGpu, s.utilizationMemory,  s.memoryTotalMiB, s.memoryUsedMiB, s.memoryFreeMiB,
                             s.temperatureC,   s.memoryTemperatureC, s.powerDrawW,     s.powerLimitW,   s.fanPercent,
                             s.smClockMHz,     s.memoryClockMHz,     s.maxSmClockMHz,  s.eccUncorrected};
    for (double v : values) {
        if (!finiteOrNaN(v)) {
            return false;
        }
    }
    return true;
}

class Mangler
{
public:
    explicit Mangler(quint32 seed)
        : m_rng(seed)
    {
    }

    int bounded(int n) { return int(m_rng.bounded(quint32(n))); }
    bool chance(int percent) { return bounded(100) < percent; }

    QString randomBytes()
    {
        QByteArray b(bounded(300), Qt::Uninitialized);
        for (char &c : b) {
            c = char(m_rng.bounded(256));
        }
        return QString::fromUtf8(b); // invalid sequences become U+FFFD
    }

    QString randomUtf16()
    {
        QString s(bounded(200), Qt::Uninitialized);
        for (QChar &c : s) {
            c = QChar(char16_t(m_rng.bounded(0x10000))); // lone surrogates included
        }
        return s;
    }

    QString randomPrintable()
    {
        static const QString alphabet = QStringLiteral(" ,,,..[]/-+0123456789abcdefxPCWMiBHz%NA\t:|");
        QString s;
        const int n = bounded(250);
        for (int i = 0; i < n; ++i) {
            s += chance(50) ? alphabet[bounded(int(alphabet.size()))] : QChar(char16_t(32 + bounded(95)));
        }
        return s;
    }

    QString weirdValue()
    {
        static const QStringList values = {
            QStringLiteral("[N/A]"),
            QStringLiteral("[Not Supported]"),
            QStringLiteral("[Unknown Error]"),
            QStringLiteral("N/A"),
            QStringLiteral("nan"),
            QStringLiteral("NaN"),
            QStringLiteral("inf"),
            QStringLiteral("-inf"),
            QStringLiteral("Infinity"),
            QStringLiteral("1e308"),
            QStringLiteral("1e309"),
            QStringLiteral("-1e999"),
            QStringLiteral("99999999999999999999999999"),
            QStringLiteral("0x"),
            QStringLiteral("0xFFFFFFFFFFFFFFFFFF"),
            QStringLiteral("-0"),
            QStringLiteral(""),
            QStringLiteral(" "),
            QStringLiteral("1e308 GiB"),
            QStringLiteral("9e307 GiB"),
            QStringLiteral("2147483648"),
            QStringLiteral("-2147483649"),
            QStringLiteral("P"),
            QStringLiteral("P99"),
            QStringLiteral("\"quoted\""),
            QStringLiteral("\r"),
            QStringLiteral("[]"),
        };
        return values[bounded(int(values.size()))];
    }

    // A recorded line with its ", "-separated fields shuffled, duplicated, dropped or replaced.
    QString mangleFields(const QString &line)
    {
        QStringList f = line.split(QStringLiteral(", "));
        const int ops = 1 + bounded(4);
        for (int op = 0; op < ops && !f.isEmpty(); ++op) {
            const int i = bounded(int(f.size()));
            switch (bounded(6)) {
            case 0:
                f.swapItemsAt(i, bounded(int(f.size())));
                break;
            case 1:
                f.insert(i, f[i]);
                break;
            case 2:
                f.removeAt(i);
                break;
            case 3:
            case 4:
                f[i] = weirdValue();
                break;
            default:
                f[i] = randomPrintable().left(12);
                break;
            }
        }
        return f.join(chance(80) ? QStringLiteral(", ") : QStringLiteral(","));
    }

    QString truncate(const QString &s) { return s.left(bounded(int(s.size()) + 1)); }

    // A document with a random cut, a random slice removed, or a few characters overwritten.
    QString mangleDocument(const QString &doc)
    {
        QString d = doc;
        switch (bounded(3)) {
        case 0:
            return truncate(d);
        case 1: {
            const int at = bounded(int(d.size()) + 1);
            d.remove(at, bounded(200));
            return d;
        }
        default:
            for (int i = 0; i < 1 + bounded(10); ++i) {
                if (!d.isEmpty()) {
                    d[bounded(int(d.size()))] = QChar(char16_t(1 + bounded(127)));
                }
            }
            return d;
        }
    }

    QRandomGenerator &rng() { return m_rng; }

private:
    QRandomGenerator m_rng;
};

} // namespace

void TestNvidiaSmiFuzz::initTestCase()
{
    QVERIFY2(QDir(fixtureDir()).exists(),
             qPrintable(QStringLiteral("nvidia-smi fixtures not found at %1 (tests/fixtures/nvidia-smi in the "
                                       "repository)")
                            .arg(fixtureDir())));
    const QStringList lineFiles = {
        QStringLiteral("idle/query-gpu-nounits.csv"),
        QStringLiteral("load/query-gpu-nounits.csv"),
        QStringLiteral("load/loop.csv"),
        QStringLiteral("load/query-gpu.csv"),
        QStringLiteral("load/compute-apps.csv"),
        QStringLiteral("load/dmon.txt"),
        QStringLiteral("load/nvidia-smi.txt"),
        QStringLiteral("load/nvidia-smi-L.txt"),
    };
    for (const QString &file : lineFiles) {
        bool ok = false;
        const QString text = readText(file, &ok);
        QVERIFY2(ok, qPrintable(file));
        m_lines += text.split(u'\n', Qt::SkipEmptyParts);
    }
    const QStringList docFiles = {
        QStringLiteral("load/nvidia-smi-q.xml"), QStringLiteral("load/nvidia-smi-q.txt"),
        QStringLiteral("load/nvidia-smi.txt"),   QStringLiteral("idle/proc-meminfo.txt"),
        QStringLiteral("load/dmon.txt"),         QStringLiteral("help-query-gpu.txt"),
    };
    for (const QString &file : docFiles) {
        bool ok = false;
        m_docs.append(readText(file, &ok));
        QVERIFY2(ok, qPrintable(file));
    }
    bool ok = false;
    m_header = readText(QStringLiteral("load/query-gpu.csv"), &ok).section(u'\n', 0, 0);
    QVERIFY(ok);
}

void TestNvidiaSmiFuzz::fuzz()
{
    Mangler m(kSeed);
    int accepted = 0;
    int malformed = 0;
    int csvSamples = 0;
    int csvMalformed = 0;
    int documentsParsed = 0;
    LineBuffer buffer;
    QElapsedTimer timer;
    timer.start();

    for (int iteration = 0; iteration < kIterations; ++iteration) {
        const QString &fixtureLine = m_lines[m.bounded(int(m_lines.size()))];
        QString input;
        switch (m.bounded(9)) {
        case 0:
            input = m.randomBytes();
            break;
        case 1:
            input = m.randomUtf16();
            break;
        case 2:
            input = m.randomPrintable();
            break;
        case 3:
            input = m.truncate(fixtureLine);
            break;
        case 4:
        case 5:
            input = m.mangleFields(fixtureLine);
            break;
        case 6: { // only [N/A]-like values swapped in: often still a valid line
            QStringList f = fixtureLine.split(QStringLiteral(", "));
            for (QString &v : f) {
                if (m.chance(20)) {
                    v = m.chance(70) ? QStringLiteral("[N/A]") : m.weirdValue();
                }
            }
            input = f.join(QStringLiteral(", "));
            break;
        }
        case 7:
            input = fixtureLine; // untouched
            break;
        default:
            input = QString(); // empty
            break;
        }
        if (m.chance(5)) {
            input += QStringLiteral("\r");
        }

        // the hot path, with its invariants
        if (const auto s = NvidiaSmiParser::parseQueryLine(input)) {
            ++accepted;
            QVERIFY2(s->index >= 0, qPrintable(input));
            QVERIFY2(sampleIsSane(*s), qPrintable(input));
        } else {
            ++malformed;
        }

        int bad = 0;
        const auto csv = NvidiaSmiReportParser::parseQueryCsv(m_header + u'\n' + input + u'\n', &bad);
        QVERIFY(csv.ok()); // the header is fine, so this never errors; bad lines are counted
        for (const GpuSample &s : *csv) {
            QVERIFY(s.index >= 0 && sampleIsSane(s));
        }
        csvSamples += int(csv->size());
        csvMalformed += bad;

        for (const GpuProcess &p : NvidiaSmiParser::parseComputeApps(input, &bad)) {
            QVERIFY(p.pid > 0 && finiteOrNaN(p.usedMemoryMiB));
        }
        for (const DmonSample &d :
             NvidiaSmiReportParser::parseDmon(QStringLiteral("# gpu pwr gtemp mtemp sm mem enc dec "
                                                             "jpg ofa mclk pclk\n") +
                                                  input,
                                              &bad)) {
            QVERIFY(d.index >= 0 && finiteOrNaN(d.powerW) && finiteOrNaN(d.smClockMHz));
        }
        if (const auto mem = ProcParser::parseMeminfo(input)) {
            QVERIFY(std::isfinite(mem->totalMiB) && finiteOrNaN(mem->availableMiB));
        }
        if (const auto load = ProcParser::parseLoadavg(input)) {
            QVERIFY(std::isfinite(load->one) && std::isfinite(load->five) && std::isfinite(load->fifteen));
        }
        bool ok = false;
        QVERIFY(finiteOrNaN(NvidiaSmiParser::parseNumber(input.left(40), &ok)));
        if (!ok) {
            QVERIFY(std::isnan(NvidiaSmiParser::parseNumber(input.left(40))));
        }
        for (const GpuListEntry &e : NvidiaSmiReportParser::parseList(input)) {
            QVERIFY(e.index >= 0);
        }
        (void)NvidiaSmiReportParser::parseHelpQueryGpu(input);

        // the document parsers: the small input every time, a mangled recording now and then
        QList<GpuProcess> processes;
        auto checkDocument = [&](const Result<QList<GpuSample>> &r) {
            if (r.ok()) {
                for (const GpuSample &s : *r) {
                    QVERIFY(sampleIsSane(s));
                }
            }
        };
        checkDocument(NvidiaSmiReportParser::parseXml(input, &processes));
        checkDocument(NvidiaSmiReportParser::parseQueryText(input, &processes));
        checkDocument(NvidiaSmiReportParser::parseTable(input, &processes));
        if (iteration % 40 == 0) {
            const QString doc = m.mangleDocument(m_docs[m.bounded(int(m_docs.size()))]);
            checkDocument(NvidiaSmiReportParser::parseXml(doc, &processes));
            checkDocument(NvidiaSmiReportParser::parseQueryText(doc, &processes));
            checkDocument(NvidiaSmiReportParser::parseTable(doc, &processes));
            (void)ProcParser::parseMeminfo(doc);
            (void)NvidiaSmiReportParser::parseDmon(doc, &bad);
            (void)NvidiaSmiReportParser::parseHelpQueryGpu(doc);
            for (const GpuProcess &p : std::as_const(processes)) {
                QVERIFY(finiteOrNaN(p.usedMemoryMiB));
            }
            ++documentsParsed;
        }

        // the byte stream: raw bytes in random chunks, sometimes with newlines, sometimes a long run without
        QByteArray bytes = input.toUtf8();
        if (m.chance(1)) { // sometimes longer than a line may be
            bytes += QByteArray(m.bounded(int(LineBuffer::kMaxLine) * 2), 'x');
        }
        if (m.chance(60)) {
            bytes += m.chance(50) ? "\n" : "\r\n";
        }
        for (qsizetype pos = 0; pos < bytes.size();) {
            const qsizetype n = qMin<qsizetype>(1 + m.bounded(bytes.size() > 1024 ? 8192 : 64), bytes.size() - pos);
            for (const QString &line : buffer.append(bytes.mid(pos, n))) {
                QVERIFY(line.size() <= LineBuffer::kMaxLine);
                QVERIFY(!line.contains(u'\n'));
                if (const auto s = NvidiaSmiParser::parseQueryLine(line)) {
                    QVERIFY(s->index >= 0 && sampleIsSane(*s));
                }
            }
            pos += n;
        }
    }

    qInfo("fuzz seed 0x%x: %d iterations in %lld ms; parseQueryLine accepted %d, malformed %d; parseQueryCsv "
          "%d samples, %d malformed; %d mangled documents; LineBuffer dropped %d over-long lines",
          kSeed, kIterations, qlonglong(timer.elapsed()), accepted, malformed, csvSamples, csvMalformed,
          documentsParsed, buffer.dropped());
    QCOMPARE(accepted + malformed, kIterations);
    QVERIFY(accepted > 0);  // the untouched and [N/A]-only lines get through...
    QVERIFY(malformed > 0); // ...and the rest does not
}

QTEST_GUILESS_MAIN(TestNvidiaSmiFuzz)
#include "tst_nvidia_smi_fuzz.moc"
