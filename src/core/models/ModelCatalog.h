#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

struct ModelSpec;

// Another host's part of a model that spans several hosts (`workers:` of a model in models.yaml): e.g. a Ray
// worker for a vLLM head that serves with tensor or pipeline parallelism across two DGX Sparks.
struct WorkerSpec
{
    QString host;  // connection name; never the head's host
    QString start; // shell command run on that host; returns once launched
    QString stop;
    QString logs;
    QString logsFollow; // prints that host's log and keeps following it (ModelLogs, `host` naming the worker)
    int port = 0; // optional: a port whose `health` path answers 200 once the worker is ready (0: none to wait for)
    QString health = QStringLiteral("/health");
    int line = 0;

    QJsonObject toJson(const ModelSpec &model) const;
};

// One host's part in bringing a model up or down, as a swap runs it (commands already substituted).
struct ServingStep
{
    QString host;
    QString role; // "head" (serves the model's port and health check) or "worker"
    QString start;
    QString stop;
    QString logs;
    QString logsFollow;
    int port = 0; // head: the model's port; worker: its optional readiness port (0: none)
    QString health;
};

// One model a host can serve, as declared in models.yaml (defaults already applied).
struct ModelSpec
{
    QString id;          // what clients ask for ("model" in an OpenAI request); unique in the catalog
    QString displayName; // for people; defaults to the id
    QString host;        // connection name
    int port = 0;
    QString start; // shell command run on the host; must return once the server is launched (detach)
    QString stop;  // shell command run on the host; stops the server whatever state it is in
    QString logs;  // optional shell command printing the server's log (its last lines explain a failure)
    // Optional shell command that prints the server's log and keeps following it (`docker logs -f --tail 200 vllm`):
    // what the Models pane's Logs window and GET /api/dgx/models/logs?follow=true show (ModelLogs).
    QString logsFollow;
    QString health = QStringLiteral("/health");
    int readinessTimeoutS = 600;
    // The memory it needs, for the fit check before a swap: `memory_gb` (GiB), else `gpu_memory_utilization` × the
    // host's GPU memory (its unified memory on a GB10). 0: not declared, no check.
    double memoryGb = 0;
    double gpuMemoryUtilization = 0;
    bool onDemand = false;  // a proxied request naming it while it is down starts a swap to it, and waits
    int ttlS = 0;           // stopped after this long without a proxied request (0: never)
    bool preload = false;   // started when GPU Deck starts, once the host is up, if nothing is served there
    int maxConcurrency = 0; // proxied requests at once; more are answered 429 (0: no limit)
    QStringList aliases;    // other names clients may use; forwarded upstream as the id
    QJsonObject settings;   // free-form, shown in the UI
    // A model across hosts: its head is `host` (port, health, the proxy), the workers run on other hosts. The
    // hosts form one serving unit: a swap stops and starts them together. Empty: a model of one host.
    QList<WorkerSpec> workers;
    bool headFirst = false; // start_order: head_first (else workers first); stopped in the reverse order
    int line = 0;           // where it is declared in models.yaml (1-based)

    // The commands with ${PORT} and ${MODEL} replaced.
    QString startCommand() const { return substitute(start); }
    QString stopCommand() const { return substitute(stop); }
    QString logsCommand() const { return substitute(logs); }
    QString logsFollowCommand() const { return substitute(logsFollow); }
    QString substitute(const QString &text) const;
    bool answersTo(const QString &name) const { return name == id || aliases.contains(name); }
    bool declaresMemory() const { return memoryGb > 0 || gpuMemoryUtilization > 0; }
    bool spansHosts() const { return !workers.isEmpty(); }
    QStringList hosts() const; // the head's host first, then the workers'
    // The hosts' parts in start order (a model of one host: its one head step); stop runs them in reverse.
    QList<ServingStep> startSteps() const;
    // The part `host` runs (head or worker); none when the model has no part there.
    std::optional<ServingStep> partOn(const QString &host) const;

    QJsonObject toJson() const;
};

// Another service on a host (speech-to-text, embeddings, a vector store), checked by its health URL.
struct ServiceSpec
{
    QString name;
    QString host;
    QString kind; // free-form label, e.g. "speech-to-text"
    int port = 0;
    QString health = QStringLiteral("/health");
    QStringList models;                         // model names the proxy routes here (audio, rerank, embeddings...)
    QString openaiBase = QStringLiteral("/v1"); // where it serves the OpenAI-style routes (/v1/x goes to <base>/x)
    int line = 0;

    QJsonObject toJson() const;
};

struct HostCatalog
{
    QString host;    // connection name
    QString address; // optional override of the address HTTP probes use (else the connection's hostname)
    // How its ports are reached: "auto" (directly, through the SSH link when that cannot connect), "ssh" (always
    // through the link), "direct" (never through the link).
    QString via = QStringLiteral("auto");
    QList<ModelSpec> models;
    QList<ServiceSpec> services;

    const ModelSpec *model(const QString &idOrAlias) const;
    QList<int> modelPorts() const; // distinct, in declaration order
};

// What models.yaml declares: the source of truth for what can be served where.
struct ModelCatalog
{
    QString path;
    bool fileExists = false;
    QDateTime loadedAt;
    int pollIntervalS = 15;
    QList<HostCatalog> hosts;

    const HostCatalog *host(const QString &name) const;
    const ModelSpec *model(const QString &idOrAlias) const; // any host
    // The models spanning several hosts that have a part on `host` (as head or worker).
    QList<const ModelSpec *> unitsOn(const QString &host) const;
    QStringList modelIds() const;
    QStringList hostNames() const;
};

// A problem in models.yaml, with where it is and what to do about it.
struct CatalogError
{
    QString file;
    int line = 0;   // 1-based; 0 when not about a place in the file
    int column = 0; // 1-based
    QString message;
    QString hint; // what to fix

    QString toString() const; // "models.yaml:12:5: message — hint"
    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::ModelCatalog)
Q_DECLARE_METATYPE(gpudeck::CatalogError)
