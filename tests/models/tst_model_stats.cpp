// A model's usage figures read from the proxy's answers (ModelStats::findUsage): the last `"usage": {...}` of an
// answer or a stream's tail, read without building a JSON document; checked against what Qt's JSON reader makes
// of the same object, over the shapes vLLM and other servers send.
#include "models/ModelStats.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gpudeck;

class TestModelStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usageIsRead_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("found");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<qint64>("total");
        QTest::newRow("answer") << QByteArray("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                                              "\"completion_tokens\":12,\"total_tokens\":21}}")
                                << true << 9LL << 12LL << 21LL;
        QTest::newRow("spaces and order")
            << QByteArray("{\"usage\" : { \"total_tokens\" : 7 , \"prompt_tokens\": 3, \"completion_tokens\" :4 }}")
            << true << 3LL << 4LL << 7LL;
        QTest::newRow("nested details skipped")
            << QByteArray("{\"usage\":{\"prompt_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":99,"
                          "\"total_tokens\":1000},\"completion_tokens\":2,\"total_tokens\":7}}")
            << true << 5LL << 2LL << 7LL;
        QTest::newRow("stream tail: null usages before the last")
            << QByteArray("data: {\"choices\":[{\"delta\":{}}],\"usage\":null}\n\n"
                          "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,"
                          "\"total_tokens\":3}}\n\ndata: [DONE]\n\n")
            << true << 1LL << 2LL << 3LL;
        QTest::newRow("the last of two") << QByteArray(
                                                "{\"usage\":{\"total_tokens\":1}} {\"usage\":{\"total_tokens\":2}}")
                                         << true << 0LL << 0LL << 2LL;
        QTest::newRow("strings with braces and escaped quotes")
            << QByteArray("{\"usage\":{\"note\":\"a } \\\" { b\",\"prompt_tokens\":4,\"total_tokens\":4}}") << true
            << 4LL << 0LL << 4LL;
        QTest::newRow("not integers count as 0")
            << QByteArray("{\"usage\":{\"prompt_tokens\":1.5,\"completion_tokens\":\"3\",\"total_tokens\":null}}")
            << true << 0LL << 0LL << 0LL;
        QTest::newRow("large and negative")
            << QByteArray("{\"usage\":{\"prompt_tokens\":12345678901,\"completion_tokens\":-1,\"total_tokens\":0}}")
            << true << 12345678901LL << -1LL << 0LL;
        QTest::newRow("other keys only") << QByteArray("{\"usage\":{\"input\":3}}") << true << 0LL << 0LL << 0LL;
        QTest::newRow("empty object") << QByteArray("{\"usage\":{}}") << false << 0LL << 0LL << 0LL;
        QTest::newRow("no usage") << QByteArray("{\"id\":\"x\"}") << false << 0LL << 0LL << 0LL;
        QTest::newRow("cut off") << QByteArray("{\"usage\":{\"prompt_tokens\":3,\"comp") << false << 0LL << 0LL << 0LL;
    }

    void usageIsRead()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, found);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(qint64, total);
        const std::optional<TokenUsage> usage = ModelStats::findUsage(text);
        QCOMPARE(usage.has_value(), found);
        if (found) {
            QCOMPARE(usage->prompt, prompt);
            QCOMPARE(usage->completion, completion);
            QCOMPARE(usage->total, total);
        }
    }

    // Random usage objects as Qt writes them (keys in any order, nested details, values of every kind), indented or
    // compact: the same figures as Qt's own reading of the object.
    void usageMatchesQtsReading()
    {
        std::srand(42);
        const QStringList keys{QStringLiteral("prompt_tokens"), QStringLiteral("completion_tokens"),
                               QStringLiteral("total_tokens"), QStringLiteral("cached"), QStringLiteral("x")};
        auto anyValue = [](int depth) -> QJsonValue {
            switch (std::rand() % (depth > 1 ? 5 : 6)) {
            case 0:
                return qint64(std::rand()) * 1000 + std::rand() % 1000;
            case 1:
                return std::rand() % 100;
            case 2:
                return 0.5 + std::rand() % 10;
            case 3:
                return QStringLiteral("t{\"x}\\");
            case 4:
                return QJsonValue::Null;
            default:
                return QJsonObject{{QStringLiteral("total_tokens"), 77}, {QStringLiteral("prompt_tokens"), 66}};
            }
        };
        for (int round = 0; round < 500; ++round) {
            QJsonObject usage;
            for (const QString &key : keys) {
                if (std::rand() % 4 != 0) {
                    usage.insert(key, anyValue(1));
                }
            }
            const QJsonObject answer{{QStringLiteral("id"), QStringLiteral("cmpl-1")},
                                     {QStringLiteral("usage"), usage}};
            const QByteArray text =
                QJsonDocument(answer).toJson(round % 2 ? QJsonDocument::Compact : QJsonDocument::Indented);
            const std::optional<TokenUsage> read = ModelStats::findUsage(text);
            QCOMPARE(read.has_value(), !usage.isEmpty());
            if (!read) {
                continue;
            }
            QCOMPARE(read->prompt, usage.value(QStringLiteral("prompt_tokens")).toInteger());
            QCOMPARE(read->completion, usage.value(QStringLiteral("completion_tokens")).toInteger());
            QCOMPARE(read->total, usage.value(QStringLiteral("total_tokens")).toInteger());
        }
    }
};

QTEST_GUILESS_MAIN(TestModelStats)
#include "tst_model_stats.moc"
