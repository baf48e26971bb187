// models.yaml: parsing, defaults and substitution, errors with line numbers and what to fix, and the running
// service's reload on change (a broken file never replaces the catalog in use). No sshd needed.
#include "HttpClient.h"
#include "TestCore.h"
#include "models/CatalogParser.h"
#include "models/ModelService.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace gpudeck;
using test::HttpClient;

namespace {

const QStringList kHosts{QStringLiteral("spark-1"), QStringLiteral("spark-2")};

CatalogParse parse(const char *yaml)
{
    return CatalogParser::parse(QByteArray(yaml), QStringLiteral("/data/models.yaml"), kHosts);
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

const char *kGood = R"(
hosts:
  spark-1:
    models:
      - id: example/model-8b
        port: 8888
        start: docker run -d --name vllm example/vllm serve ${MODEL} --port ${PORT}
        stop: docker rm -f vllm
)";

} // namespace

class TestModelsCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullExampleWithDefaults()
    {
        const auto r = parse(R"(# a comment
poll_interval: 30s
defaults:
  stop: docker rm -f vllm
  readiness_timeout: 15m
  settings: {gpu_memory_utilization: 0.85}
hosts:
  spark-1:
    defaults:
      port: 8888
      start: 'docker run -d --name vllm example/vllm serve ${MODEL} --port ${PORT}'
    models:
      - id: example/model-8b
        name: Model 8B
        aliases: [model-8b, small]
        settings:
          max_model_len: 32768
          quantized: "yes"
      - id: example/model-70b
        readiness_timeout: 1200
        health: /ready
        logs: docker logs vllm
    services:
      - {name: whisper, port: 9000, kind: speech-to-text}
      - name: qdrant
        port: 6333
        health: /healthz
  spark-2:
)");
        QVERIFY2(r.ok(), qPrintable(r.errors.value(0).toString()));
        const ModelCatalog &c = r.catalog;
        QCOMPARE(c.pollIntervalS, 30);
        QCOMPARE(c.hosts.size(), 2);
        const ModelSpec *small = c.model(QStringLiteral("small"));
        QVERIFY(small);
        QCOMPARE(small->id, QStringLiteral("example/model-8b"));
        QCOMPARE(small->displayName, QStringLiteral("Model 8B"));
        QCOMPARE(small->port, 8888);
        QCOMPARE(small->health, QStringLiteral("/health"));
        QCOMPARE(small->readinessTimeoutS, 900);
        QCOMPARE(small->line, 13);
        QCOMPARE(small->startCommand(),
                 QStringLiteral("docker run -d --name vllm example/vllm serve example/model-8b --port 8888"));
        QCOMPARE(small->stopCommand(), QStringLiteral("docker rm -f vllm"));
        QCOMPARE(small->settings.value(QStringLiteral("gpu_memory_utilization")).toDouble(), 0.85);
        QCOMPARE(small->settings.value(QStringLiteral("max_model_len")).toInt(), 32768);
        QCOMPARE(small->settings.value(QStringLiteral("quantized")).toString(),
                 QStringLiteral("yes")); // quoted stays text
        const ModelSpec *big = c.model(QStringLiteral("example/model-70b"));
        QVERIFY(big);
        QCOMPARE(big->displayName, big->id);
        QCOMPARE(big->readinessTimeoutS, 1200);
        QCOMPARE(big->health, QStringLiteral("/ready"));
        QCOMPARE(big->logsCommand(), QStringLiteral("docker logs vllm"));
        const HostCatalog *h = c.host(QStringLiteral("spark-1"));
        QCOMPARE(h->services.size(), 2);
        QCOMPARE(h->services.at(0).health, QStringLiteral("/health"));
        QCOMPARE(h->services.at(0).kind, QStringLiteral("speech-to-text"));
        QCOMPARE(h->services.at(1).health, QStringLiteral("/healthz"));
        QCOMPARE(h->modelPorts(), QList<int>{8888});
    }

    void emptyOrMissingFileIsAnEmptyCatalog()
    {
        QVERIFY(parse("").ok());
        QVERIFY(parse("# nothing yet\n").ok());
        const auto missing = CatalogParser::load(QStringLiteral("/nonexistent/models.yaml"), kHosts);
        QVERIFY(missing.ok());
        QVERIFY(!missing.catalog.fileExists);
    }

    void errorsNameTheLineAndTheFix_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("hint");

        QTest::newRow("syntax") << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: a\n       port: [8888\n")
                                << 5 << "YAML syntax error"
                                << "indentation";
        QTest::newRow("unknown host") << QByteArray("hosts:\n  spark-1:\n    models: []\n  sprak-2:\n    models: []\n")
                                      << 4 << "unknown host 'sprak-2'"
                                      << "did you mean 'spark-2'?";
        QTest::newRow("duplicate id")
            << QByteArray("defaults: {port: 1, start: s, stop: t}\nhosts:\n  spark-1:\n    models:\n      - id: m\n"
                          "  spark-2:\n    models:\n      - id: x\n      - id: m\n")
            << 9 << "duplicate model id 'm' (already used at line 5)"
            << "unique";
        QTest::newRow("alias clash")
            << QByteArray("defaults: {port: 1, start: s, stop: t}\nhosts:\n  spark-1:\n    models:\n      - id: m\n"
                          "      - id: n\n        aliases: [m]\n")
            << 7 << "duplicate model alias 'm'"
            << "unique";
        QTest::newRow("missing start") << QByteArray(
                                              "hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 8888\n"
                                              "        stop: docker rm -f vllm\n")
                                       << 4 << "model 'm' has no 'start' command"
                                       << "add `start:";
        QTest::newRow("missing port")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        start: a\n        stop: b\n") << 4
            << "model 'm' has no 'port'"
            << "port";
        QTest::newRow("typo key")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                          "        stop: b\n        readines_timeout: 5\n")
            << 8 << "unknown key 'readines_timeout'"
            << "did you mean 'readiness_timeout'?";
        QTest::newRow("bad port")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - {id: m, port: 99999, start: a, stop: b}\n") << 4
            << "'port' must be a number"
            << "8888";
        QTest::newRow("bad duration")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                          "        stop: b\n        readiness_timeout: soon\n")
            << 8 << "'readiness_timeout' must be a duration"
            << "10m";
        QTest::newRow("bad memory_gb")
            << QByteArray(
                   "hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, memory_gb: lots}\n")
            << 4 << "'memory_gb' must be a positive number"
            << "memory_gb: 96";
        QTest::newRow("utilization above 1")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                          "        stop: b\n        gpu_memory_utilization: 85\n")
            << 8 << "'gpu_memory_utilization' must be a fraction"
            << "0.85";
        QTest::newRow("bad ttl")
            << QByteArray(
                   "hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, ttl_s: never}\n")
            << 4 << "'ttl_s' must be a duration"
            << "15m";
        QTest::newRow("bad on_demand")
            << QByteArray(
                   "hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, on_demand: yes}\n")
            << 4 << "'on_demand' must be true or false"
            << "on_demand: true";
        QTest::newRow("zero concurrency")
            << QByteArray(
                   "hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, max_concurrency: 0}\n")
            << 4 << "'max_concurrency' must be a whole number"
            << "429";
        QTest::newRow("two preloads") << QByteArray(
                                             "defaults: {port: 1, start: s, stop: t}\nhosts:\n  spark-1:\n    models:\n"
                                             "      - {id: m, preload: true}\n      - {id: n, preload: true}\n")
                                      << 6 << "m and n both have 'preload' on host 'spark-1'"
                                      << "preload one of them";
        QTest::newRow("bad via") << QByteArray("hosts:\n  spark-1:\n    via: tunnel\n    models: []\n") << 3
                                 << "unknown 'via' value 'tunnel'"
                                 << "`ssh`";
        // A model across hosts: its workers.
        const QByteArray unit("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                              "        stop: b\n        workers:\n");
        QTest::newRow("unknown worker host") << unit + "          - {host: sprak-2, start: a, stop: b}\n"
                                             << 9 << "unknown worker host 'sprak-2'"
                                             << "did you mean 'spark-2'?";
        QTest::newRow("worker on the head's host") << unit + "          - {host: spark-1, start: a, stop: b}\n"
                                                   << 9 << "model 'm' has host 'spark-1' twice"
                                                   << "its head is the host it is listed under";
        QTest::newRow("worker twice") << unit + "          - {host: spark-2, start: a, stop: b}\n"
                                                "          - {host: spark-2, start: c, stop: d}\n"
                                      << 10 << "model 'm' has host 'spark-2' twice"
                                      << "one part";
        QTest::newRow("worker without stop") << unit + "          - {host: spark-2, start: a}\n"
                                             << 9 << "the worker of model 'm' on 'spark-2' has no 'stop' command"
                                             << "workers take no defaults";
        QTest::newRow("worker health without port")
            << unit + "          - {host: spark-2, start: a, stop: b, health: /ready}\n"
            << 9 << "has a 'health' path but no 'port'"
            << "add `port:";
        QTest::newRow("worker typo") << unit + "          - {host: spark-2, start: a, stop: b, prot: 2}\n"
                                     << 9 << "unknown key 'prot' in a worker"
                                     << "did you mean 'port'?";
        QTest::newRow("workers not a list") << unit.left(unit.size() - 1) + " spark-2\n"
                                            << 8 << "'workers' must be a non-empty list"
                                            << "host: spark-2";
        QTest::newRow("bad start_order")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                          "        stop: b\n        workers: [{host: spark-2, start: a, stop: b}]\n"
                          "        start_order: together\n")
            << 9 << "unknown 'start_order' value 'together'"
            << "head_first";
        QTest::newRow("start_order without workers")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, "
                          "start_order: head_first}\n")
            << 4 << "has a 'start_order' but no 'workers'"
            << "add `workers:`";
        QTest::newRow("empty logs_follow")
            << QByteArray("hosts:\n  spark-1:\n    models:\n      - id: m\n        port: 1\n        start: a\n"
                          "        stop: b\n        logs_follow: ''\n")
            << 8 << "'logs_follow' must be a non-empty text"
            << "logs_follow: <text>";
        QTest::newRow("logs_follow as a list")
            << QByteArray("defaults:\n  logs_follow: [docker, logs]\nhosts:\n  spark-1:\n    models: []\n") << 2
            << "'logs_follow' must be a non-empty text"
            << "quote it";
        QTest::newRow("typo logs_folow")
            << QByteArray(
                   "hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b, logs_folow: x}\n")
            << 4 << "unknown key 'logs_folow'"
            << "did you mean 'logs_follow'?";
        QTest::newRow("service without port")
            << QByteArray("hosts:\n  spark-1:\n    services:\n      - name: whisper\n") << 4
            << "service 'whisper' has no 'port'"
            << "port";
    }

    void errorsNameTheLineAndTheFix()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, message);
        QFETCH(QString, hint);
        const auto r = CatalogParser::parse(yaml, QStringLiteral("/data/models.yaml"), kHosts);
        QVERIFY(!r.ok());
        const CatalogError &e = r.errors.first();
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QVERIFY2((e.message + e.hint).contains(hint), qPrintable(e.toString()));
        QCOMPARE(e.line, line);
        QCOMPARE(e.file, QStringLiteral("/data/models.yaml"));
        QVERIFY(e.toString().startsWith(QStringLiteral("models.yaml:%1:").arg(line)));
    }

    void servingFields()
    {
        const auto r =
            parse("defaults: {port: 1, start: s, stop: t, max_concurrency: 4}\nhosts:\n  spark-1:\n    models:\n"
                  "      - {id: m, memory_gb: 96, on_demand: true, ttl_s: 15m, preload: true}\n"
                  "      - {id: n, gpu_memory_utilization: 0.85, max_concurrency: 1}\n");
        QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.first().toString()));
        const ModelSpec *m = r.catalog.model(QStringLiteral("m"));
        QCOMPARE(m->memoryGb, 96.0);
        QVERIFY(m->onDemand && m->preload && m->declaresMemory());
        QCOMPARE(m->ttlS, 900);
        QCOMPARE(m->maxConcurrency, 4);
        const ModelSpec *n = r.catalog.model(QStringLiteral("n"));
        QCOMPARE(n->gpuMemoryUtilization, 0.85);
        QCOMPARE(n->maxConcurrency, 1);
        QVERIFY(!n->onDemand && !n->preload && n->ttlS == 0);
        QCOMPARE(n->toJson().value(QStringLiteral("memory_gb")), QJsonValue());
    }

    // A model across hosts: declared under its head's host, with its workers; one serving unit of those hosts.
    void modelAcrossHosts()
    {
        const auto r = parse(R"(
defaults:
  port: 8000
  stop: docker rm -f vllm
  start: docker run -d --name vllm serve ${MODEL} --port ${PORT}
hosts:
  spark-1:
    models:
      - id: example/model-8b
      - id: example/model-405b
        readiness_timeout: 30m
        workers:
          - host: spark-2
            start: docker run -d --name vllm-worker ray start --address 203.0.113.10:6379 --block --label ${MODEL}
            stop: docker rm -f vllm-worker
            logs: docker logs vllm-worker
            logs_follow: docker logs -f --tail 200 vllm-worker-${MODEL}
            port: 8265
        start_order: workers_first
      - id: example/head-first
        start_order: head_first
        workers:
          - {host: spark-2, start: 'w-start ${PORT}', stop: w-stop}
  spark-2:
    models:
      - id: example/model-8b-b
)");
        QVERIFY2(r.ok(), qPrintable(r.errors.value(0).toString()));
        const ModelSpec *unit = r.catalog.model(QStringLiteral("example/model-405b"));
        QVERIFY(unit && unit->spansHosts());
        QCOMPARE(unit->host, QStringLiteral("spark-1"));
        QCOMPARE(unit->hosts(), (QStringList{QStringLiteral("spark-1"), QStringLiteral("spark-2")}));
        QCOMPARE(unit->workers.size(), 1);
        QCOMPARE(unit->workers.at(0).port, 8265);
        QCOMPARE(unit->workers.at(0).health, QStringLiteral("/health"));
        QCOMPARE(unit->readinessTimeoutS, 1800);
        // Workers first (the default): the worker's part, then the head's; commands substituted.
        const QList<ServingStep> steps = unit->startSteps();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(0).host, QStringLiteral("spark-2"));
        QCOMPARE(steps.at(0).role, QStringLiteral("worker"));
        QVERIFY2(steps.at(0).start.endsWith(QStringLiteral("--label example/model-405b")),
                 qPrintable(steps.at(0).start));
        QCOMPARE(steps.at(0).stop, QStringLiteral("docker rm -f vllm-worker"));
        QCOMPARE(steps.at(0).logs, QStringLiteral("docker logs vllm-worker"));
        QCOMPARE(steps.at(0).logsFollow, QStringLiteral("docker logs -f --tail 200 vllm-worker-example/model-405b"));
        QVERIFY(steps.at(1).logsFollow.isEmpty()); // the head's own: none declared
        // Each host's part, as a model's log is read there (ModelLogs with `host`).
        QCOMPARE(unit->partOn(QStringLiteral("spark-2"))->role, QStringLiteral("worker"));
        QCOMPARE(unit->partOn(QStringLiteral("spark-2"))->logsFollow, steps.at(0).logsFollow);
        QCOMPARE(unit->partOn(QStringLiteral("spark-1"))->role, QStringLiteral("head"));
        QVERIFY(!unit->partOn(QStringLiteral("spark-3")));
        QCOMPARE(steps.at(1).host, QStringLiteral("spark-1"));
        QCOMPARE(steps.at(1).role, QStringLiteral("head"));
        QCOMPARE(steps.at(1).port, 8000);
        QCOMPARE(steps.at(1).start, QStringLiteral("docker run -d --name vllm serve example/model-405b --port 8000"));

        const ModelSpec *headFirst = r.catalog.model(QStringLiteral("example/head-first"));
        QVERIFY(headFirst->headFirst);
        QCOMPARE(headFirst->startSteps().at(0).role, QStringLiteral("head"));
        QCOMPARE(headFirst->startSteps().at(1).start, QStringLiteral("w-start 8000")); // ${PORT}: the model's port
        QCOMPARE(headFirst->startSteps().at(1).port, 0);                               // no port: nothing to wait for

        // A model of one host is one head step; spark-2 is part of two models across hosts.
        const ModelSpec *single = r.catalog.model(QStringLiteral("example/model-8b"));
        QVERIFY(!single->spansHosts());
        QCOMPARE(single->startSteps().size(), 1);
        QCOMPARE(single->startSteps().at(0).role, QStringLiteral("head"));
        QCOMPARE(r.catalog.unitsOn(QStringLiteral("spark-2")).size(), 2);
        QCOMPARE(r.catalog.unitsOn(QStringLiteral("spark-1")).size(), 2);

        const QJsonObject json = unit->toJson();
        QCOMPARE(json.value(QStringLiteral("hosts")).toArray().size(), 2);
        QCOMPARE(json.value(QStringLiteral("start_order")).toString(), QStringLiteral("workers_first"));
        const QJsonObject worker = json.value(QStringLiteral("workers")).toArray().at(0).toObject();
        QCOMPARE(worker.value(QStringLiteral("host")).toString(), QStringLiteral("spark-2"));
        QCOMPARE(worker.value(QStringLiteral("port")).toInt(), 8265);
        QCOMPARE(worker.value(QStringLiteral("logs_follow")).toString(), steps.at(0).logsFollow);
        QCOMPARE(headFirst->toJson()
                     .value(QStringLiteral("workers"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("logs_follow")),
                 QJsonValue());
        QCOMPARE(single->toJson().value(QStringLiteral("workers")).toArray().size(), 0);
    }

    // logs_follow: per model or from defaults, ${PORT} and ${MODEL} substituted, in the model's JSON (null when
    // absent).
    void logsFollow()
    {
        const auto r =
            parse("defaults: {port: 8000, start: s, stop: t, logs_follow: 'docker logs -f --tail 200 vllm'}\n"
                  "hosts:\n  spark-1:\n    models:\n"
                  "      - {id: m}\n"
                  "      - {id: n, port: 8001, logs_follow: 'tail -F /srv/${MODEL}-${PORT}.log'}\n"
                  "  spark-2:\n    defaults: {port: 9000, start: s, stop: t}\n    models:\n"
                  "      - {id: o}\n");
        QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.first().toString()));
        QCOMPARE(r.catalog.model(QStringLiteral("m"))->logsFollowCommand(),
                 QStringLiteral("docker logs -f --tail 200 vllm"));
        QCOMPARE(r.catalog.model(QStringLiteral("n"))->logsFollowCommand(), QStringLiteral("tail -F /srv/n-8001.log"));
        QCOMPARE(r.catalog.model(QStringLiteral("n"))->toJson().value(QStringLiteral("logs_follow")).toString(),
                 QStringLiteral("tail -F /srv/n-8001.log"));
        // The top-level defaults reach spark-2 too; a host's defaults without it keep it.
        QCOMPARE(r.catalog.model(QStringLiteral("o"))->logsFollow, QStringLiteral("docker logs -f --tail 200 vllm"));
        const auto none = parse("hosts:\n  spark-1:\n    models:\n      - {id: m, port: 1, start: a, stop: b}\n");
        QVERIFY(none.ok());
        QVERIFY(none.catalog.model(QStringLiteral("m"))->logsFollow.isEmpty());
        QCOMPARE(none.catalog.model(QStringLiteral("m"))->toJson().value(QStringLiteral("logs_follow")), QJsonValue());
    }

    void viaSays()
    {
        const auto r = parse("hosts:\n  spark-1:\n    via: ssh\n    models: []\n  spark-2:\n    models: []\n");
        QVERIFY(r.ok());
        QCOMPARE(r.catalog.host(QStringLiteral("spark-1"))->via, QStringLiteral("ssh"));
        QCOMPARE(r.catalog.host(QStringLiteral("spark-2"))->via, QStringLiteral("auto"));
    }

    void everyErrorIsReported()
    {
        const auto r = parse("hosts:\n  nowhere:\n    models:\n      - id: a\n      - id: b\n        port: 1\n");
        QVERIFY(r.errors.size() >= 4); // unknown host; a: port, start, stop; b: start, stop
    }

    void durations()
    {
        QCOMPARE(CatalogParser::parseDurationS(QStringLiteral("600")), 600);
        QCOMPARE(CatalogParser::parseDurationS(QStringLiteral("90s")), 90);
        QCOMPARE(CatalogParser::parseDurationS(QStringLiteral("10m")), 600);
        QCOMPARE(CatalogParser::parseDurationS(QStringLiteral("1h")), 3600);
        QCOMPARE(CatalogParser::parseDurationS(QStringLiteral("ten")), -1);
    }

    void exampleFileParses()
    {
        const auto r = CatalogParser::load(QStringLiteral(GPUDECK_EXAMPLE_MODELS_YAML),
                                           {QStringLiteral("spark-1"), QStringLiteral("spark-2")});
        QVERIFY2(r.ok(), qPrintable(r.errors.value(0).toString()));
        QVERIFY(r.catalog.modelIds().size() >= 2);
    }

    // The running service: reload when the file changes; a broken file keeps the catalog in use.
    void reloadsOnChangeAndKeepsTheLastGoodCatalog()
    {
        test::TestCore tc;
        HttpClient http(tc.port(), tc.token());
        ModelService &models = tc.core().models();
        const QString path = tc.dataDir() + QStringLiteral("/models.yaml");
        QCOMPARE(models.catalogPath(), path);
        QVERIFY(models.catalog().hosts.isEmpty());

        // A host that is not a connection yet: an error, until the connection exists.
        writeFile(path, kGood);
        QTRY_VERIFY(!models.catalogErrors().isEmpty());
        QVERIFY(models.catalogErrors().first().message.contains(QStringLiteral("unknown host 'spark-1'")));
        QCOMPARE(http.post(QStringLiteral("/api/dgx/connections"),
                           {{QStringLiteral("name"), QStringLiteral("spark-1")},
                            {QStringLiteral("hostname"), QStringLiteral("203.0.113.7")},
                            {QStringLiteral("username"), QStringLiteral("user")}})
                     .status,
                 201);
        QTRY_VERIFY(models.catalogErrors().isEmpty());
        QCOMPARE(models.catalog().modelIds(), QStringList{QStringLiteral("example/model-8b")});

        auto r = http.get(QStringLiteral("/api/dgx/models"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.object().value(QStringLiteral("error")).isNull());
        const QJsonObject host = r.object().value(QStringLiteral("hosts")).toArray().at(0).toObject();
        QCOMPARE(host.value(QStringLiteral("host")).toString(), QStringLiteral("spark-1"));
        QVERIFY(host.value(QStringLiteral("connection_id")).toInt() > 0);
        const QJsonObject model = host.value(QStringLiteral("models")).toArray().at(0).toObject();
        QCOMPARE(model.value(QStringLiteral("id")).toString(), QStringLiteral("example/model-8b"));
        QCOMPARE(model.value(QStringLiteral("start")).toString(),
                 QStringLiteral("docker run -d --name vllm example/vllm serve example/model-8b --port 8888"));

        // Edit in place: a second model appears.
        QSignalSpy changed(&models, &ModelService::catalogChanged);
        writeFile(path, QByteArray(kGood) +
                            "      - id: example/model-70b\n        port: 8888\n        start: a\n        stop: b\n");
        QTRY_COMPARE(models.catalog().modelIds().size(), 2);
        // The state is shared at once; the signal crosses threads, queued: wait for it, do not assume it is there.
        QTRY_VERIFY(changed.count() >= 1);

        // Break it: the old catalog stays, the error is exposed (API and signal).
        QSignalSpy errors(&models, &ModelService::catalogErrorsChanged);
        writeFile(path, QByteArray(kGood) +
                            "      - id: example/model-8b\n        port: 8888\n        start: a\n        stop: b\n");
        QTRY_VERIFY(!models.catalogErrors().isEmpty());
        QTRY_VERIFY(errors.count() >= 1);
        QCOMPARE(models.catalog().modelIds().size(), 2);
        r = http.get(QStringLiteral("/api/dgx/models"));
        const QJsonObject err = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(err.value(QStringLiteral("line")).toInt(), 9);
        QVERIFY(err.value(QStringLiteral("message")).toString().contains(QStringLiteral("duplicate model id")));
        QVERIFY(err.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("models.yaml:9:")));
        QCOMPARE(r.object()
                     .value(QStringLiteral("hosts"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("models"))
                     .toArray()
                     .size(),
                 2);
        // The proxy still routes by the catalog in use.
        QCOMPARE(http.get(QStringLiteral("/v1/models")).object().value(QStringLiteral("data")).toArray().size(), 2);

        // An editor that saves by writing a new file and renaming it over the old one.
        const QString temp = path + QStringLiteral(".tmp");
        writeFile(temp, kGood);
        QVERIFY(::rename(temp.toLocal8Bit().constData(), path.toLocal8Bit().constData()) == 0);
        QTRY_VERIFY(models.catalogErrors().isEmpty());
        QCOMPARE(models.catalog().modelIds().size(), 1);
        QTRY_COMPARE(errors.last().at(0).value<QList<CatalogError>>().size(), 0); // "fine again"

        // And it is still watched after the rename.
        writeFile(path, "hosts:\n  spark-1:\n");
        QTRY_COMPARE(models.catalog().modelIds().size(), 0);
    }

    void swapValidation()
    {
        test::TestCore tc;
        HttpClient http(tc.port(), tc.token());
        QCOMPARE(http.post(QStringLiteral("/api/dgx/connections"),
                           {{QStringLiteral("name"), QStringLiteral("spark-1")},
                            {QStringLiteral("hostname"), QStringLiteral("203.0.113.7")},
                            {QStringLiteral("username"), QStringLiteral("user")}})
                     .status,
                 201);
        writeFile(tc.dataDir() + QStringLiteral("/models.yaml"), kGood);
        QTRY_COMPARE(tc.core().models().catalog().modelIds().size(), 1);
        const QString swap = QStringLiteral("/api/dgx/models/swap");
        auto r = http.post(swap, {{QStringLiteral("host"), QStringLiteral("spark-9")},
                                  {QStringLiteral("model"), QStringLiteral("x")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
                 QStringLiteral("host"));
        r = http.post(swap, {{QStringLiteral("host"), QStringLiteral("spark-1")},
                             {QStringLiteral("model"), QStringLiteral("nope")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toString(),
                 QStringLiteral("example/model-8b"));
        r = http.post(swap, {{QStringLiteral("host"), QStringLiteral("spark-1")},
                             {QStringLiteral("model"), QStringLiteral("example/model-8b")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("confirmation_required"));
        QVERIFY(r.object().value(QStringLiteral("error")).toObject().contains(QStringLiteral("would_stop")));
        r = http.post(swap, {{QStringLiteral("host"), QStringLiteral("spark-1")},
                             {QStringLiteral("model"), QStringLiteral("example/model-8b")},
                             {QStringLiteral("confirm"), true}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("not_connected"));
        r = http.post(swap, {{QStringLiteral("host"), QStringLiteral("spark-1")},
                             {QStringLiteral("modle"), QStringLiteral("x")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(http.get(QStringLiteral("/api/dgx/models/swap/swap-99")).status, 404);
        QCOMPARE(http.post(QStringLiteral("/api/dgx/models/swap/swap-99/cancel"), {}).status, 404);
        QCOMPARE(http.get(QStringLiteral("/api/dgx/services")).array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestModelsCatalog)
#include "tst_models_catalog.moc"
