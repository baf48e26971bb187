// The fit check before a swap, from recorded-shape host output (tests/fixtures/models-fit): a DGX Spark (GB10,
// unified memory: nvidia-smi prints [N/A] for memory, /proc/meminfo is the figure) with a vLLM model up and a
// training run beside it, and a two-GPU H100 host with a model and a notebook. No host needed.
#include "models/FitCheck.h"

#include <QFile>
#include <QTest>

using namespace gpudeck;

namespace {

QString fixture(const char *name)
{
    QFile f(QStringLiteral(GPUDECK_FIT_FIXTURES "/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning() << "cannot read" << f.fileName();
        return {};
    }
    return QString::fromUtf8(f.readAll());
}

ModelSpec model(const QString &id, int port, double memoryGb, double utilization = 0)
{
    ModelSpec m;
    m.id = id;
    m.host = QStringLiteral("spark-1");
    m.port = port;
    m.memoryGb = memoryGb;
    m.gpuMemoryUtilization = utilization;
    return m;
}

} // namespace

class TestModelsFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesGb10Snapshot()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("gb10-train-running.txt"));
        QVERIFY(s.meminfo);
        QCOMPARE(s.gpus.size(), 1);
        QVERIFY(std::isnan(s.gpus.at(0).totalMiB));
        QVERIFY(s.unifiedMemory());
        QCOMPARE(s.processes.size(), 2);
        QCOMPARE(s.processes.at(1).pid, 4242);
        QCOMPARE(s.table.value(3187).ppid, 3001);
        QCOMPARE(s.table.value(4242).args, QStringLiteral("python train.py"));
    }

    // The example, figure for figure: the running model's 40 GiB come back, the training run's 25 stay.
    void gb10RefusesWithFigures()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("gb10-train-running.txt"));
        const ModelSpec current = model(QStringLiteral("example/model-a"), 8000, 0);
        const FitReport r = FitCheck::evaluate(model(QStringLiteral("example/huge"), 8000, 96), &current, s);
        QVERIFY(r.known);
        QVERIFY(r.unified);
        QVERIFY(!r.fits);
        QCOMPARE(r.releasedMiB, 40960.0);
        QCOMPARE(r.message(),
                 QStringLiteral("needs 96 GiB, 71 GiB would be free: 25 GiB held by pid 4242 python train.py"));
        QVERIFY(r.releasedFrom.contains(QStringLiteral("pid 3187")));
        const Error e = FitCheck::refusal(QStringLiteral("spark-1"), r);
        QCOMPARE(e.code, ErrorCode::Conflict);
        QCOMPARE(e.reason, QStringLiteral("does_not_fit"));
        QVERIFY(e.message.startsWith(QStringLiteral("example/huge does not fit on spark-1: needs 96 GiB")));
        QCOMPARE(
            e.details.value(QStringLiteral("fit")).toObject().value(QStringLiteral("would_be_free_mib")).toDouble(),
            71.0 * 1024);
    }

    void gb10FitsAndUtilization()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("gb10-train-running.txt"));
        const ModelSpec current = model(QStringLiteral("example/model-a"), 8000, 0);
        FitReport r = FitCheck::evaluate(model(QStringLiteral("example/mid"), 8000, 60), &current, s);
        QVERIFY(r.fits);
        QCOMPARE(r.message(),
                 QStringLiteral("needs 60 GiB, 71 GiB would be free: 25 GiB held by pid 4242 python train.py"));
        // gpu_memory_utilization is of the unified memory (119.7 GiB): 0.5 → 60 GiB, 0.7 → 84 GiB.
        r = FitCheck::evaluate(model(QStringLiteral("example/mid"), 8000, 0, 0.5), &current, s);
        QVERIFY(r.fits);
        QVERIFY(r.needsFrom.startsWith(QStringLiteral("gpu_memory_utilization 0.5 of 120 GiB")));
        r = FitCheck::evaluate(model(QStringLiteral("example/mid"), 8000, 0, 0.7), &current, s);
        QVERIFY(!r.fits);
        QVERIFY(r.message().startsWith(QStringLiteral("needs 84 GiB, 71 GiB would be free")));
    }

    // Nothing known to be up: the vLLM engine is someone else's, it stays and is named.
    void gb10NothingUpNamesEveryHolder()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("gb10-train-running.txt"));
        const FitReport r = FitCheck::evaluate(model(QStringLiteral("example/huge"), 8000, 96), nullptr, s);
        QCOMPARE(r.message(), QStringLiteral("needs 96 GiB, 31 GiB would be free: 40 GiB held by pid 3187 "
                                             "VLLM::EngineCore, 25 GiB by pid 4242 python train.py"));
    }

    // A current model none of whose processes can be told apart gives back what it declares.
    void currentModelByDeclaration()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("gb10-train-running.txt"));
        const ModelSpec current = model(QStringLiteral("example/other"), 9000, 40);
        const FitReport r = FitCheck::evaluate(model(QStringLiteral("example/huge"), 8000, 96), &current, s);
        QCOMPARE(r.releasedMiB, 40960.0);
        QCOMPARE(r.releasedFrom, QStringLiteral("example/other's memory_gb"));
        QCOMPARE(r.holders.size(), 2);
    }

    void discreteGpus()
    {
        const HostSnapshot s = FitCheck::parseSnapshot(fixture("h100x2-notebook.txt"));
        QVERIFY(!s.unifiedMemory());
        QCOMPARE(s.gpus.size(), 2);
        const ModelSpec current = model(QStringLiteral("example/model-b"), 8001, 0);
        FitReport r = FitCheck::evaluate(model(QStringLiteral("example/huge"), 8001, 96), &current, s);
        QVERIFY(r.fits);
        QCOMPARE(r.totalMiB, 2 * 81559.0);
        QCOMPARE(r.releasedMiB, 65290.0);
        r = FitCheck::evaluate(model(QStringLiteral("example/huge"), 8001, 96), nullptr, s);
        QVERIFY(!r.fits);
        QVERIFY(r.message().startsWith(QStringLiteral("needs 96 GiB, 94 GiB would be free: 64 GiB held by pid 51234 "
                                                      "/opt/conda/bin/python -m vllm")));
        QVERIFY(r.message().endsWith(QStringLiteral(", 1 GiB by pid 51900 /opt/conda/bin/python -m ipykernel_launcher "
                                                    "-f /home/user/.local/share/jupyte...")));
    }

    // No figures: not known, and never a refusal.
    void unreadableIsUnknown()
    {
        const ModelSpec target = model(QStringLiteral("example/huge"), 8000, 96);
        FitReport r = FitCheck::evaluate(target, nullptr, FitCheck::parseSnapshot(QString()));
        QVERIFY(!r.known);
        r = FitCheck::evaluate(target, nullptr,
                               FitCheck::parseSnapshot(QStringLiteral("MemTotal: 1000 kB\n::gpudeck-fit::\n"
                                                                      "::gpudeck-fit::\n::gpudeck-fit::\n")));
        QVERIFY(!r.known);
        QCOMPARE(r.unknownReason, QStringLiteral("nvidia-smi gave no GPU memory figures"));
        QVERIFY(r.toJson().value(QStringLiteral("fits")).isNull());
    }

    void gibFormatting()
    {
        QCOMPARE(FitCheck::gib(96 * 1024), QStringLiteral("96 GiB"));
        QCOMPARE(FitCheck::gib(7.5 * 1024), QStringLiteral("7.5 GiB"));
        QCOMPARE(FitCheck::gib(1000), QStringLiteral("1 GiB"));
    }
};

QTEST_GUILESS_MAIN(TestModelsFit)
#include "tst_models_fit.moc"
