#include "models/CatalogParser.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <optional>
#include <yaml-cpp/yaml.h>

namespace gpudeck {
namespace {

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

int levenshtein(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1);
    QList<int> cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j) {
        prev[j] = static_cast<int>(j);
    }
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

QString closest(const QString &word, const QStringList &choices)
{
    QString best;
    int bestDistance = 3; // further than two edits away is not a typo
    for (const QString &c : choices) {
        const int d = levenshtein(word, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

// Free-form YAML (settings) as JSON: quoted scalars stay strings; plain ones become numbers, booleans or null
// when they read as such.
QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (auto it = node.begin(); it != node.end(); ++it) {
            o.insert(text(it->first), toJson(it->second));
        }
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const YAML::Node &item : node) {
            a.append(toJson(item));
        }
        return a;
    }
    case YAML::NodeType::Scalar: {
        const QString s = text(node);
        if (node.Tag() == "!") {
            return s;
        }
        bool ok = false;
        const qlonglong i = s.toLongLong(&ok);
        if (ok) {
            return i;
        }
        const double d = s.toDouble(&ok);
        if (ok) {
            return d;
        }
        const QString lower = s.toLower();
        if (lower == QStringLiteral("true") || lower == QStringLiteral("yes")) {
            return true;
        }
        if (lower == QStringLiteral("false") || lower == QStringLiteral("no")) {
            return false;
        }
        if (lower == QStringLiteral("null") || s == QStringLiteral("~")) {
            return QJsonValue();
        }
        return s;
    }
    default:
        return QJsonValue();
    }
}

// The fields a model may take, and so also `defaults` (minus id, name and aliases).
struct Fields
{
    std::optional<int> port;
    std::optional<QString> start;
    std::optional<QString> stop;
    std::optional<QString> logs;
    std::optional<QString> health;
    std::optional<int> readinessTimeoutS;
    std::optional<double> memoryGb;
    std::optional<double> gpuMemoryUtilization;
    std::optional<bool> onDemand;
    std::optional<int> ttlS;
    std::optional<bool> preload;
    std::optional<int> maxConcurrency;
    QJsonObject settings;
    std::optional<QString> logsFollow;
};

class Parser
{
public:
    Parser(QString file, QStringList knownHosts)
        : m_file(std::move(file))
        , m_knownHosts(std::move(knownHosts))
    {
    }

    CatalogParse run(const QByteArray &bytes)
    {
        CatalogParse out;
        out.catalog.path = m_file;
        out.catalog.fileExists = true;
        YAML::Node root;
        try {
            root = YAML::Load(bytes.toStdString());
        } catch (const YAML::ParserException &e) {
            error(e.mark, QStringLiteral("YAML syntax error: %1").arg(QString::fromStdString(e.msg)),
                  QStringLiteral("check the indentation and quoting on this line or the one before"));
            out.errors = m_errors;
            return out;
        }
        try {
            parseRoot(root, out.catalog);
        } catch (const YAML::Exception &e) {
            error(e.mark, QStringLiteral("cannot read models.yaml: %1").arg(QString::fromStdString(e.msg)), {});
        }
        out.errors = m_errors;
        return out;
    }

private:
    void error(const YAML::Mark &mark, const QString &message, const QString &hint)
    {
        CatalogError e;
        e.file = m_file;
        if (!mark.is_null()) {
            e.line = mark.line + 1;
            e.column = mark.column + 1;
        }
        e.message = message;
        e.hint = hint;
        if (m_errors.size() < 50) {
            m_errors.append(e);
        }
    }

    bool checkKeys(const YAML::Node &map, const QStringList &allowed, const QString &what)
    {
        bool ok = true;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = text(it->first);
            if (!allowed.contains(key)) {
                const QString guess = closest(key, allowed);
                error(it->first.Mark(), QStringLiteral("unknown key '%1' in %2").arg(key, what),
                      guess.isEmpty()
                          ? QStringLiteral("the keys allowed here are: %1").arg(allowed.join(QStringLiteral(", ")))
                          : QStringLiteral("did you mean '%1'?").arg(guess));
                ok = false;
            }
        }
        return ok;
    }

    std::optional<QString> string(const YAML::Node &node, const QString &key)
    {
        if (!node.IsScalar() || text(node).trimmed().isEmpty()) {
            error(node.Mark(), QStringLiteral("'%1' must be a non-empty text").arg(key),
                  QStringLiteral(
                      "write it as `%1: <text>` (quote it if it contains ': ' or starts with a special character)")
                      .arg(key));
            return std::nullopt;
        }
        return text(node).trimmed();
    }

    std::optional<int> port(const YAML::Node &node)
    {
        bool ok = false;
        const int p = node.IsScalar() ? text(node).toInt(&ok) : 0;
        if (!ok || p < 1 || p > 65535) {
            error(node.Mark(), QStringLiteral("'port' must be a number between 1 and 65535"),
                  QStringLiteral("e.g. `port: 8888`"));
            return std::nullopt;
        }
        return p;
    }

    std::optional<QString> healthPath(const YAML::Node &node)
    {
        auto s = string(node, QStringLiteral("health"));
        if (s && !s->startsWith(QLatin1Char('/'))) {
            error(node.Mark(), QStringLiteral("'health' must be a path starting with '/'"),
                  QStringLiteral("e.g. `health: /health`"));
            return std::nullopt;
        }
        return s;
    }

    void readFields(const YAML::Node &map, Fields &f)
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = text(it->first);
            const YAML::Node v = it->second; // a copy: it-> yields a temporary, a reference into it dangles
            if (key == QStringLiteral("port")) {
                f.port = port(v);
            } else if (key == QStringLiteral("start")) {
                f.start = string(v, key);
            } else if (key == QStringLiteral("stop")) {
                f.stop = string(v, key);
            } else if (key == QStringLiteral("logs")) {
                f.logs = string(v, key);
            } else if (key == QStringLiteral("health")) {
                f.health = healthPath(v);
            } else if (key == QStringLiteral("readiness_timeout")) {
                const int s = v.IsScalar() ? CatalogParser::parseDurationS(text(v)) : -1;
                if (s <= 0) {
                    error(v.Mark(), QStringLiteral("'readiness_timeout' must be a duration"),
                          QStringLiteral("seconds (`600`) or with a unit (`90s`, `10m`, `1h`)"));
                } else {
                    f.readinessTimeoutS = s;
                }
            } else if (key == QStringLiteral("memory_gb")) {
                bool ok = false;
                const double gb = v.IsScalar() ? text(v).toDouble(&ok) : 0;
                if (!ok || !(gb > 0) || gb > 1e6) {
                    error(v.Mark(), QStringLiteral("'memory_gb' must be a positive number (GiB)"),
                          QStringLiteral("the memory the model needs on its host, e.g. `memory_gb: 96`"));
                } else {
                    f.memoryGb = gb;
                }
            } else if (key == QStringLiteral("gpu_memory_utilization")) {
                bool ok = false;
                const double u = v.IsScalar() ? text(v).toDouble(&ok) : 0;
                if (!ok || !(u > 0) || u > 1) {
                    error(v.Mark(), QStringLiteral("'gpu_memory_utilization' must be a fraction above 0, at most 1"),
                          QStringLiteral("the value given to vLLM's --gpu-memory-utilization, e.g. `0.85`"));
                } else {
                    f.gpuMemoryUtilization = u;
                }
            } else if (key == QStringLiteral("on_demand") || key == QStringLiteral("preload")) {
                const QString t = v.IsScalar() ? text(v).trimmed().toLower() : QString();
                if (t != QStringLiteral("true") && t != QStringLiteral("false")) {
                    error(v.Mark(), QStringLiteral("'%1' must be true or false").arg(key),
                          QStringLiteral("e.g. `%1: true`").arg(key));
                } else {
                    (key == QStringLiteral("preload") ? f.preload : f.onDemand) = t == QStringLiteral("true");
                }
            } else if (key == QStringLiteral("ttl_s")) {
                const int s = v.IsScalar() ? CatalogParser::parseDurationS(text(v)) : -1;
                if (s <= 0) {
                    error(v.Mark(), QStringLiteral("'ttl_s' must be a duration"),
                          QStringLiteral("how long the model may stay idle before it is stopped: seconds (`900`) or "
                                         "with a unit (`15m`, `2h`)"));
                } else {
                    f.ttlS = s;
                }
            } else if (key == QStringLiteral("max_concurrency")) {
                bool ok = false;
                const int n = v.IsScalar() ? text(v).toInt(&ok) : 0;
                if (!ok || n < 1 || n > 100000) {
                    error(v.Mark(), QStringLiteral("'max_concurrency' must be a whole number of at least 1"),
                          QStringLiteral("the proxied requests the model takes at once; more are answered 429, e.g. "
                                         "`max_concurrency: 8`"));
                } else {
                    f.maxConcurrency = n;
                }
            } else if (key == QStringLiteral("logs_follow")) {
                f.logsFollow = string(v, key);
            } else if (key == QStringLiteral("settings")) {
                if (!v.IsMap()) {
                    error(v.Mark(), QStringLiteral("'settings' must be a map"),
                          QStringLiteral("e.g. `settings: {max_model_len: 32768}`"));
                } else {
                    const QJsonObject s = toJson(v).toObject();
                    for (auto s2 = s.begin(); s2 != s.end(); ++s2) {
                        f.settings.insert(s2.key(), s2.value());
                    }
                }
            }
        }
    }

    static QStringList fieldKeys()
    {
        return {QStringLiteral("port"),
                QStringLiteral("start"),
                QStringLiteral("stop"),
                QStringLiteral("logs"),
                QStringLiteral("health"),
                QStringLiteral("readiness_timeout"),
                QStringLiteral("memory_gb"),
                QStringLiteral("gpu_memory_utilization"),
                QStringLiteral("on_demand"),
                QStringLiteral("ttl_s"),
                QStringLiteral("max_concurrency"),
                QStringLiteral("settings"),
                QStringLiteral("logs_follow")};
    }

    Fields defaults(const YAML::Node &node, const Fields &base, const QString &what)
    {
        Fields f = base;
        if (!node.IsMap()) {
            error(node.Mark(), QStringLiteral("'defaults' in %1 must be a map").arg(what),
                  QStringLiteral("e.g. `defaults: {health: /health, readiness_timeout: 10m}`"));
            return f;
        }
        checkKeys(node, fieldKeys(), QStringLiteral("defaults"));
        readFields(node, f);
        return f;
    }

    void parseRoot(const YAML::Node &root, ModelCatalog &catalog)
    {
        if (!root.IsDefined() || root.IsNull()) {
            return; // an empty file is an empty catalog
        }
        if (!root.IsMap()) {
            error(root.Mark(), QStringLiteral("models.yaml must be a map with a 'hosts' key"),
                  QStringLiteral("start from resources/models.example.yaml"));
            return;
        }
        checkKeys(root, {QStringLiteral("hosts"), QStringLiteral("defaults"), QStringLiteral("poll_interval")},
                  QStringLiteral("the top level"));
        Fields global;
        if (root["defaults"]) {
            global = defaults(root["defaults"], global, QStringLiteral("the top level"));
        }
        if (const YAML::Node poll = root["poll_interval"]) {
            const int s = poll.IsScalar() ? CatalogParser::parseDurationS(text(poll)) : -1;
            if (s <= 0) {
                error(poll.Mark(), QStringLiteral("'poll_interval' must be a duration"),
                      QStringLiteral("e.g. `poll_interval: 15s`"));
            } else {
                catalog.pollIntervalS = s;
            }
        }
        const YAML::Node hosts = root["hosts"];
        if (!hosts) {
            if (!root["defaults"] && !root["poll_interval"]) {
                return;
            }
            error(root.Mark(), QStringLiteral("no 'hosts' key"),
                  QStringLiteral("add `hosts:` with one entry per connection name"));
            return;
        }
        if (hosts.IsNull()) {
            return;
        }
        if (!hosts.IsMap()) {
            error(hosts.Mark(), QStringLiteral("'hosts' must be a map from connection name to its models and services"),
                  QStringLiteral("e.g. `hosts:\\n  spark-1:\\n    models: [...]`"));
            return;
        }
        for (auto it = hosts.begin(); it != hosts.end(); ++it) {
            parseHost(it->first, it->second, global, catalog);
        }
    }

    void parseHost(const YAML::Node &keyNode, const YAML::Node &node, const Fields &global, ModelCatalog &catalog)
    {
        HostCatalog host;
        host.host = text(keyNode);
        if (!m_knownHosts.contains(host.host)) {
            const QString guess = closest(host.host, m_knownHosts);
            error(keyNode.Mark(),
                  QStringLiteral("unknown host '%1': there is no connection with that name").arg(host.host),
                  guess.isEmpty()
                      ? (m_knownHosts.isEmpty()
                             ? QStringLiteral("add the connection first (there are none yet)")
                             : QStringLiteral("use a connection name: %1").arg(m_knownHosts.join(QStringLiteral(", "))))
                      : QStringLiteral("did you mean '%1'?").arg(guess));
        }
        if (node.IsNull()) {
            catalog.hosts.append(host);
            return;
        }
        if (!node.IsMap()) {
            error(node.Mark(), QStringLiteral("host '%1' must be a map with 'models' and/or 'services'").arg(host.host),
                  {});
            return;
        }
        checkKeys(node,
                  {QStringLiteral("models"), QStringLiteral("services"), QStringLiteral("defaults"),
                   QStringLiteral("address"), QStringLiteral("via")},
                  QStringLiteral("host '%1'").arg(host.host));
        Fields hostDefaults = global;
        if (node["defaults"]) {
            hostDefaults = defaults(node["defaults"], global, QStringLiteral("host '%1'").arg(host.host));
        }
        if (const YAML::Node address = node["address"]) {
            if (auto a = string(address, QStringLiteral("address"))) {
                host.address = *a;
            }
        }
        if (const YAML::Node via = node["via"]) {
            if (auto v = string(via, QStringLiteral("via"))) {
                if (*v == QStringLiteral("ssh") || *v == QStringLiteral("direct") || *v == QStringLiteral("auto")) {
                    host.via = *v;
                } else {
                    error(via.Mark(), QStringLiteral("host '%1': unknown 'via' value '%2'").arg(host.host, *v),
                          QStringLiteral("use `ssh` (always through the SSH link), `direct` (never) or `auto` (the "
                                         "default: through the link when the port cannot be reached directly)"));
                }
            }
        }
        if (const YAML::Node models = node["models"]; models && !models.IsNull()) {
            if (!models.IsSequence()) {
                error(models.Mark(), QStringLiteral("'models' must be a list"),
                      QStringLiteral("start each model with `- id: ...`"));
            } else {
                for (const YAML::Node &m : models) {
                    parseModel(m, host.host, hostDefaults, host);
                }
            }
        }
        if (const YAML::Node services = node["services"]; services && !services.IsNull()) {
            if (!services.IsSequence()) {
                error(services.Mark(), QStringLiteral("'services' must be a list"),
                      QStringLiteral("start each service with `- name: ...`"));
            } else {
                for (const YAML::Node &s : services) {
                    parseService(s, host);
                }
            }
        }
        catalog.hosts.append(host);
    }

    void claimName(const QString &name, const YAML::Node &where, const QString &what)
    {
        const auto it = m_names.constFind(name);
        if (it != m_names.constEnd()) {
            error(where.Mark(),
                  QStringLiteral("duplicate model %1 '%2' (already used at line %3)").arg(what, name).arg(*it),
                  QStringLiteral("model ids and aliases must be unique across all hosts: the proxy routes by them"));
            return;
        }
        m_names.insert(name, where.Mark().line + 1);
    }

    void parseModel(const YAML::Node &node, const QString &hostName, const Fields &hostDefaults, HostCatalog &host)
    {
        if (!node.IsMap()) {
            error(node.Mark(), QStringLiteral("a model must be a map"),
                  QStringLiteral("e.g. `- id: example/model-8b`"));
            return;
        }
        QStringList allowed = fieldKeys();
        allowed << QStringLiteral("id") << QStringLiteral("name") << QStringLiteral("aliases")
                << QStringLiteral("preload") // per model only: one model a host starts with
                << QStringLiteral("workers") << QStringLiteral("start_order"); // a model across hosts
        checkKeys(node, allowed, QStringLiteral("a model"));
        ModelSpec m;
        m.host = hostName;
        m.line = node.Mark().line + 1;
        const YAML::Node id = node["id"];
        if (!id) {
            error(node.Mark(), QStringLiteral("a model on host '%1' has no 'id'").arg(hostName),
                  QStringLiteral("add `id: <the name clients ask for>`"));
            return;
        }
        const auto idText = string(id, QStringLiteral("id"));
        if (!idText) {
            return;
        }
        if (idText->contains(QRegularExpression(QStringLiteral("\\s")))) {
            error(id.Mark(), QStringLiteral("model id '%1' contains spaces").arg(*idText),
                  QStringLiteral("use the name the server is started with, e.g. example/model-8b"));
        }
        m.id = *idText;
        claimName(m.id, id, QStringLiteral("id"));
        if (const YAML::Node name = node["name"]) {
            m.displayName = string(name, QStringLiteral("name")).value_or(m.id);
        } else {
            m.displayName = m.id;
        }
        if (const YAML::Node aliases = node["aliases"]) {
            QList<YAML::Node> items;
            if (aliases.IsScalar()) {
                items << aliases; // a single alias needs no list
            } else if (aliases.IsSequence()) {
                for (const YAML::Node &a : aliases) {
                    items << a;
                }
            } else {
                error(aliases.Mark(), QStringLiteral("'aliases' must be a list"),
                      QStringLiteral("e.g. `aliases: [model-8b]`"));
            }
            for (const YAML::Node &a : std::as_const(items)) {
                if (auto alias = string(a, QStringLiteral("aliases"))) {
                    claimName(*alias, a, QStringLiteral("alias"));
                    m.aliases << *alias;
                }
            }
        }
        Fields f = hostDefaults;
        readFields(node, f);
        const QString where = QStringLiteral("model '%1'").arg(m.id);
        if (!f.port) {
            if (!node["port"]) {
                error(node.Mark(), QStringLiteral("%1 has no 'port'").arg(where),
                      QStringLiteral("add `port: <number>` to it or to the host's defaults"));
            }
        } else {
            m.port = *f.port;
        }
        if (!f.start) {
            if (!node["start"]) {
                error(node.Mark(), QStringLiteral("%1 has no 'start' command").arg(where),
                      QStringLiteral(
                          "add `start: <shell command that launches it in the background>` (e.g. `docker run -d ...`) "
                          "to the model or to the host's defaults"));
            }
        } else {
            m.start = *f.start;
        }
        if (!f.stop) {
            if (!node["stop"]) {
                error(node.Mark(), QStringLiteral("%1 has no 'stop' command").arg(where),
                      QStringLiteral("add `stop: <shell command>` (e.g. `docker rm -f vllm`) to the model or to the "
                                     "host's defaults"));
            }
        } else {
            m.stop = *f.stop;
        }
        m.logs = f.logs.value_or(QString());
        m.memoryGb = f.memoryGb.value_or(0);
        m.gpuMemoryUtilization = f.gpuMemoryUtilization.value_or(0);
        m.onDemand = f.onDemand.value_or(false);
        m.ttlS = f.ttlS.value_or(0);
        m.preload = f.preload.value_or(false);
        m.maxConcurrency = f.maxConcurrency.value_or(0);
        if (m.preload) {
            for (const ModelSpec &other : std::as_const(host.models)) {
                if (other.preload) {
                    error(node["preload"].Mark(),
                          QStringLiteral("%1 and %2 both have 'preload' on host '%3'").arg(other.id, m.id, hostName),
                          QStringLiteral("a host serves one model at a time: preload one of them"));
                }
            }
        }
        m.health = f.health.value_or(QStringLiteral("/health"));
        m.readinessTimeoutS = f.readinessTimeoutS.value_or(600);
        m.settings = f.settings;
        if (const YAML::Node workers = node["workers"]) {
            parseWorkers(workers, m);
        }
        if (const YAML::Node order = node["start_order"]) {
            const auto o = string(order, QStringLiteral("start_order"));
            if (o && *o == QStringLiteral("head_first")) {
                m.headFirst = true;
            } else if (o && *o != QStringLiteral("workers_first")) {
                error(order.Mark(), QStringLiteral("%1: unknown 'start_order' value '%2'").arg(where, *o),
                      QStringLiteral("use `workers_first` (the default: the workers start, then the head) or "
                                     "`head_first`"));
            }
            if (m.workers.isEmpty() && o) {
                error(order.Mark(), QStringLiteral("%1 has a 'start_order' but no 'workers'").arg(where),
                      QStringLiteral("'start_order' orders a model's hosts: add `workers:` or remove it"));
            }
        }
        m.logsFollow = f.logsFollow.value_or(QString());
        host.models.append(m);
    }

    // `workers:` of a model across hosts: each another host's part, with its own start and stop commands.
    void parseWorkers(const YAML::Node &node, ModelSpec &m)
    {
        if (!node.IsSequence() || node.size() == 0) {
            error(node.Mark(), QStringLiteral("model '%1': 'workers' must be a non-empty list").arg(m.id),
                  QStringLiteral("e.g. `workers: [{host: spark-2, start: ..., stop: ...}]`"));
            return;
        }
        for (const YAML::Node &w : node) {
            if (!w.IsMap()) {
                error(w.Mark(), QStringLiteral("model '%1': a worker must be a map").arg(m.id),
                      QStringLiteral("e.g. `- {host: spark-2, start: ..., stop: ...}`"));
                continue;
            }
            checkKeys(w,
                      {QStringLiteral("host"), QStringLiteral("start"), QStringLiteral("stop"), QStringLiteral("logs"),
                       QStringLiteral("logs_follow"), QStringLiteral("port"), QStringLiteral("health")},
                      QStringLiteral("a worker"));
            WorkerSpec worker;
            worker.line = w.Mark().line + 1;
            const YAML::Node hostNode = w["host"];
            if (!hostNode) {
                error(w.Mark(), QStringLiteral("a worker of model '%1' has no 'host'").arg(m.id),
                      QStringLiteral("add `host: <connection name>`"));
                continue;
            }
            worker.host = string(hostNode, QStringLiteral("host")).value_or(QString());
            if (worker.host.isEmpty()) {
                continue;
            }
            if (!m_knownHosts.contains(worker.host)) {
                const QString guess = closest(worker.host, m_knownHosts);
                error(
                    hostNode.Mark(),
                    QStringLiteral("unknown worker host '%1': there is no connection with that name").arg(worker.host),
                    guess.isEmpty() ? QStringLiteral("add the connection first, or use a connection name")
                                    : QStringLiteral("did you mean '%1'?").arg(guess));
            }
            if (m.hosts().contains(worker.host)) {
                error(hostNode.Mark(),
                      QStringLiteral("model '%1' has host '%2' twice (head or worker)").arg(m.id, worker.host),
                      QStringLiteral("each host takes one part of a model: its head is the host it is listed under"));
                continue;
            }
            for (const QString &key : {QStringLiteral("start"), QStringLiteral("stop")}) {
                if (!w[key.toStdString()]) {
                    error(w.Mark(),
                          QStringLiteral("the worker of model '%1' on '%2' has no '%3' command")
                              .arg(m.id, worker.host, key),
                          QStringLiteral("a worker has its own `start` and `stop` (workers take no defaults)"));
                }
            }
            if (const YAML::Node v = w["start"]) {
                worker.start = string(v, QStringLiteral("start")).value_or(QString());
            }
            if (const YAML::Node v = w["stop"]) {
                worker.stop = string(v, QStringLiteral("stop")).value_or(QString());
            }
            if (const YAML::Node v = w["logs"]) {
                worker.logs = string(v, QStringLiteral("logs")).value_or(QString());
            }
            if (const YAML::Node v = w["logs_follow"]) {
                worker.logsFollow = string(v, QStringLiteral("logs_follow")).value_or(QString());
            }
            if (const YAML::Node v = w["port"]) {
                worker.port = port(v).value_or(0);
            }
            if (const YAML::Node v = w["health"]) {
                worker.health = healthPath(v).value_or(worker.health);
                if (!w["port"]) {
                    error(v.Mark(),
                          QStringLiteral("the worker of model '%1' on '%2' has a 'health' path but no "
                                         "'port'")
                              .arg(m.id, worker.host),
                          QStringLiteral("add `port: <number>` where the path answers, or remove 'health'"));
                }
            }
            m.workers.append(worker);
        }
    }

    void parseService(const YAML::Node &node, HostCatalog &host)
    {
        if (!node.IsMap()) {
            error(node.Mark(), QStringLiteral("a service must be a map"),
                  QStringLiteral("e.g. `- {name: whisper, port: 9000}`"));
            return;
        }
        checkKeys(node,
                  {QStringLiteral("name"), QStringLiteral("port"), QStringLiteral("health"), QStringLiteral("kind"),
                   QStringLiteral("models"), QStringLiteral("openai_base")},
                  QStringLiteral("a service"));
        ServiceSpec s;
        s.host = host.host;
        s.line = node.Mark().line + 1;
        const YAML::Node name = node["name"];
        if (!name) {
            error(node.Mark(), QStringLiteral("a service on host '%1' has no 'name'").arg(host.host),
                  QStringLiteral("add `name: <label>`"));
            return;
        }
        s.name = string(name, QStringLiteral("name")).value_or(QString());
        for (const ServiceSpec &other : std::as_const(host.services)) {
            if (other.name == s.name) {
                error(name.Mark(),
                      QStringLiteral("duplicate service '%1' on host '%2' (already at line %3)")
                          .arg(s.name, host.host)
                          .arg(other.line),
                      QStringLiteral("give each service of a host its own name"));
            }
        }
        const YAML::Node p = node["port"];
        if (!p) {
            error(node.Mark(), QStringLiteral("service '%1' has no 'port'").arg(s.name),
                  QStringLiteral("add `port: <number>`"));
        } else {
            s.port = port(p).value_or(0);
        }
        if (const YAML::Node h = node["health"]) {
            s.health = healthPath(h).value_or(s.health);
        }
        if (const YAML::Node k = node["kind"]) {
            s.kind = string(k, QStringLiteral("kind")).value_or(QString());
        }
        if (const YAML::Node ms = node["models"]) {
            if (!ms.IsSequence()) {
                error(ms.Mark(), QStringLiteral("service '%1': 'models' must be a list of names").arg(s.name),
                      QStringLiteral("e.g. `models: [whisper-large-v3]`"));
            } else {
                for (const YAML::Node &m : ms) {
                    if (auto id = string(m, QStringLiteral("models"))) {
                        s.models << *id;
                    }
                }
            }
        }
        if (const YAML::Node b = node["openai_base"]) {
            s.openaiBase = healthPath(b).value_or(s.openaiBase);
            if (s.openaiBase.size() > 1 && s.openaiBase.endsWith(QLatin1Char('/'))) {
                s.openaiBase.chop(1);
            }
        }
        host.services.append(s);
    }

    QString m_file;
    QStringList m_knownHosts;
    QList<CatalogError> m_errors;
    QHash<QString, int> m_names; // model ids and aliases → line
};

} // namespace

int CatalogParser::parseDurationS(const QString &value)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+)\\s*(s|m|h|min)?\\s*$"));
    const auto match = re.match(value);
    if (!match.hasMatch()) {
        return -1;
    }
    bool ok = false;
    const qlonglong n = match.captured(1).toLongLong(&ok);
    const QString unit = match.captured(2);
    const qlonglong factor = unit == QStringLiteral("h") ? 3600 : (unit.startsWith(QLatin1Char('m')) ? 60 : 1);
    if (!ok || n * factor > 7 * 24 * 3600) {
        return -1;
    }
    return static_cast<int>(n * factor);
}

CatalogParse CatalogParser::parse(const QByteArray &bytes, const QString &file, const QStringList &knownHosts)
{
    return Parser(file, knownHosts).run(bytes);
}

CatalogParse CatalogParser::load(const QString &path, const QStringList &knownHosts)
{
    QFile f(path);
    if (!f.exists()) {
        CatalogParse out;
        out.catalog.path = path;
        return out;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        CatalogParse out;
        out.catalog.path = path;
        out.errors.append({path, 0, 0, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()),
                           QStringLiteral("check the file's permissions")});
        return out;
    }
    return parse(f.readAll(), path, knownHosts);
}

} // namespace gpudeck
