// The list and get routes write rows straight to bytes (store/RowJson.h). This test holds them to the old answers:
// for a database seeded with what breaks JSON writers (nulls, unicode, control characters, quotes, lone surrogates,
// malformed UTF-8, 64-bit ids, times stored in other spellings, numbers in text columns, unsorted JSON, empty lists,
// many rows), every list and get route answers the very bytes the entities' toJson() gave in a QJsonDocument::Compact
// (the old path, kept: the write routes still answer with it). And the field tables agree with docs/openapi.yaml.
#include "HttpClient.h"
#include "TestCore.h"
#include "alerts/AlertRepository.h"
#include "api/ApiResponse.h"
#include "metrics/MetricsService.h"
#include "store/AuditRepository.h"
#include "store/JsonValues.h"
#include "store/RowJson.h"
#include "store/RowTables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <functional>

using namespace gpudeck;
using test::HttpClient;

namespace {

QByteArray compact(const QJsonArray &a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

template<typename T>
QByteArray oldList(const Result<QList<T>> &items)
{
    return items.ok() ? compact(toJsonArray(items.value())) : ApiResponse::fromError(items.error()).body;
}

template<typename T>
QByteArray oldObject(const Result<T> &item)
{
    return item.ok() ? compact(item->toJson()) : ApiResponse::fromError(item.error()).body;
}

// Texts that JSON writers get wrong, as QStrings (bound the way the repositories bind them).
QStringList oddTexts()
{
    return {QString(),
            QStringLiteral(""),
            QStringLiteral("plain"),
            QStringLiteral("quote \" backslash \\ slash / done"),
            QString::fromUtf8("tab\there\nnewline\rcr\bbs\fff"),
            QString::fromUtf8("ctl \x01\x02\x1f del \x7f"),
            QString(QChar(0)) + QStringLiteral("nul at start"),
            QString::fromUtf8("umlaut äöü ß, CJK 日本語, emoji 😀🚀, combining é"),
            QString::fromUtf8("bidi \u202e and zero-width \u200b and line sep \u2028 \u2029"),
            QString::fromUtf8("bmp edge \uffef \ufffd \ufdd0"),
            QString(QChar(0xFFFE)) + QChar(0xFFFF),
            QStringLiteral("lone high ") + QChar(0xD800) + QStringLiteral(" end"),
            QStringLiteral("lone low ") + QChar(0xDC00),
            QString(QChar(0xDBFF)),
            QStringLiteral("</script><!-- -->"),
            QString(300, QLatin1Char('x'))};
}

} // namespace

class TestApiRowsJson : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;

    Core &core() { return m_tc->core(); }

    void sql(const QString &statement, const QVariantList &binds = {})
    {
        QSqlQuery q(core().database().connection());
        QVERIFY2(q.prepare(statement), qPrintable(q.lastError().text() + QStringLiteral(": ") + statement));
        for (const QVariant &v : binds) {
            q.addBindValue(v);
        }
        QVERIFY2(q.exec(), qPrintable(q.lastError().text() + QStringLiteral(": ") + statement));
    }

    // GET `path` and compare its body with `expected`, byte for byte.
    void same(const QString &path, const std::function<QByteArray()> &expected, int status = 200)
    {
        const auto r = m_http->get(path);
        const QByteArray old = expected();
        if (r.body != old) {
            qsizetype at = 0;
            while (at < r.body.size() && at < old.size() && r.body.at(at) == old.at(at)) {
                ++at;
            }
            qWarning().noquote() << path << "differs at byte" << at << "\n new:" << r.body.mid(qMax(0, at - 80), 200)
                                 << "\n old:" << old.mid(qMax(0, at - 80), 200);
        }
        QCOMPARE(r.status, status);
        QCOMPARE(r.body, old);
        ++m_compared;
    }

    QList<qint64> ids(const QString &table)
    {
        QList<qint64> out;
        QSqlQuery q(core().database().connection());
        if (q.exec(QStringLiteral("SELECT id FROM %1 ORDER BY id").arg(table))) {
            while (q.next()) {
                out.append(q.value(0).toLongLong());
            }
        }
        return out;
    }

    int m_compared = 0;

    // Every list and get route over what the database holds, compared with the old path.
    void compareAllRoutes()
    {
        auto &c = core();
        same(QStringLiteral("/api/dgx/connections"), [&] { return oldList(c.connections().list()); });
        const auto connections = c.connections().list();
        QVERIFY(connections.ok());
        for (const Connection &conn : connections.value()) {
            same(QStringLiteral("/api/dgx/connections/%1").arg(conn.id),
                 [&] { return oldObject(c.connections().find(QString::number(conn.id))); });
        }
        same(
            QStringLiteral("/api/dgx/connections/spark-%C3%A4"),
            [&] { return oldObject(c.connections().find(QString::fromUtf8("spark-ä"))); },
            connections->isEmpty() ? 404 : 200);
        same(
            QStringLiteral("/api/dgx/connections/999999999"),
            [&] { return oldObject(c.connections().find(QStringLiteral("999999999"))); }, 404);
        same(
            QStringLiteral("/api/dgx/connections/nobody"),
            [&] { return oldObject(c.connections().find(QStringLiteral("nobody"))); }, 404);

        same(QStringLiteral("/api/dgx/projects"), [&] { return oldList(c.projects().list()); });
        for (const qint64 connectionId : ids(QStringLiteral("connections")).mid(0, 3)) {
            same(QStringLiteral("/api/dgx/projects?connection_id=%1").arg(connectionId),
                 [&] { return oldList(c.projects().list(connectionId)); });
        }
        QList<qint64> projectIds = ids(QStringLiteral("projects"));
        projectIds << 999999999;
        for (const qint64 projectId : projectIds) {
            same(
                QStringLiteral("/api/dgx/projects/%1").arg(projectId),
                [&] {
                    // The old answer: the project's toJson() with its jobs' in "jobs".
                    const auto p = c.projects().get(projectId);
                    if (!p.ok()) {
                        return ApiResponse::fromError(p.error()).body;
                    }
                    QJsonObject json = p->toJson();
                    json.insert(QStringLiteral("jobs"), toJsonArray(c.jobs().list(projectId).value()));
                    return compact(json);
                },
                projectId == 999999999 ? 404 : 200);
        }

        same(QStringLiteral("/api/dgx/jobs"), [&] { return oldList(c.jobs().list()); });
        for (const QString &statuses : {QStringLiteral("running"), QStringLiteral("pending,failed"),
                                        QStringLiteral("completed,cancelled,running")}) {
            same(QStringLiteral("/api/dgx/jobs?status=%1").arg(statuses),
                 [&] { return oldList(c.jobs().list(0, statuses.split(QLatin1Char(',')))); });
        }
        for (const qint64 projectId : projectIds.mid(0, 2)) {
            same(
                QStringLiteral("/api/dgx/jobs?project_id=%1&status=pending,running").arg(projectId),
                [&] {
                    if (const auto p = c.projects().get(projectId); !p.ok()) {
                        return ApiResponse::fromError(p.error()).body; // the route names the unknown project
                    }
                    return oldList(c.jobs().list(projectId, {QStringLiteral("pending"), QStringLiteral("running")}));
                },
                projectId == 999999999 ? 404 : 200);
        }
        QList<qint64> jobIds = ids(QStringLiteral("training_jobs"));
        jobIds << 999999999;
        for (const qint64 jobId : jobIds) {
            const int status = jobId == 999999999 ? 404 : 200;
            same(
                QStringLiteral("/api/dgx/jobs/%1").arg(jobId), [&] { return oldObject(c.jobs().get(jobId)); }, status);
            same(
                QStringLiteral("/api/dgx/jobs/%1/attempts").arg(jobId),
                [&] {
                    const auto job = c.jobs().get(jobId);
                    return job.ok() ? oldList(c.jobs().attempts(jobId)) : ApiResponse::fromError(job.error()).body;
                },
                status);
        }

        same(QStringLiteral("/api/dgx/alerts"), [&] { return oldList(c.metrics().alerts(false, 0, 200)); });
        same(QStringLiteral("/api/dgx/alerts?active=true&limit=10000"),
             [&] { return oldList(c.metrics().alerts(true, 0, 10000)); });
        same(QStringLiteral("/api/dgx/alerts?limit=3"), [&] { return oldList(c.metrics().alerts(false, 0, 3)); });

        same(QStringLiteral("/api/dgx/exec/log"), [&] { return oldList(c.execLog().list(0, 100)); });
        same(QStringLiteral("/api/dgx/exec/log?limit=10000"), [&] { return oldList(c.execLog().list(0, 10000)); });
        for (const qint64 connectionId : ids(QStringLiteral("connections")).mid(0, 2)) {
            same(QStringLiteral("/api/dgx/exec/log?connection_id=%1").arg(connectionId),
                 [&] { return oldList(c.execLog().list(connectionId, 100)); });
            same(QStringLiteral("/api/dgx/alerts?connection_id=%1").arg(connectionId),
                 [&] { return oldList(c.metrics().alerts(false, connectionId, 200)); });
        }

        same(QStringLiteral("/api/dgx/audit?limit=10000"), [&] { return oldList(c.audit().list({}, 10000)); });
        same(QStringLiteral("/api/dgx/audit?origin=gui"),
             [&] { return oldList(c.audit().list(QStringLiteral("gui"), 100)); });
        same(QStringLiteral("/api/dgx/audit?origin=mcp&limit=2"),
             [&] { return oldList(c.audit().list(QStringLiteral("mcp"), 2)); });
    }

    void seedConnections(const QStringList &texts, const QStringList &blobs, const QStringList &times)
    {
        auto &c = core();
        // Many ordinary rows, as the app writes them.
        for (int i = 0; i < 150; ++i) {
            Connection conn;
            conn.name = QStringLiteral("node-%1").arg(i, 3, 10, QLatin1Char('0'));
            conn.hostname = QStringLiteral("203.0.113.%1").arg(i % 250 + 1);
            conn.username = QStringLiteral("ops");
            conn.kind = i % 2 ? QStringLiteral("generic") : QStringLiteral("dgx-spark");
            conn.watch = false; // nothing connects while the test compares
            conn.sshKeyPath = i % 3 ? QString() : QStringLiteral("/home/ops/.ssh/id_ed25519");
            conn.authMethod = i % 3 ? QStringLiteral("agent") : QStringLiteral("key");
            conn.macAddress =
                i % 5 ? QString() : QStringLiteral("aa:bb:cc:dd:ee:%1").arg(i % 100, 2, 10, QLatin1Char('0'));
            conn.wolBroadcast = i % 7 ? QString() : QStringLiteral("203.0.113.255");
            const auto created = c.connections().create(conn);
            QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        }
        {
            Connection conn;
            conn.name = QString::fromUtf8("spark-ä");
            conn.hostname = QStringLiteral("203.0.113.200");
            conn.watch = false;
            QVERIFY(c.connections().create(conn).ok());
        }
        // Odd texts in every text column, bound as Qt binds them.
        int n = 0;
        for (const QString &t : texts) {
            ++n;
            const QString nonNull = t.isNull() ? QStringLiteral("") : t;
            sql(QStringLiteral("INSERT INTO connections (name, hostname, username, ssh_key_path, port, kind, "
                               "auth_method, mac_address, is_active, created_at, updated_at, watch, wol_broadcast, "
                               "wol_port, proxmox_token_id, proxmox_api_port, proxmox_fingerprint, runpod_pod_id) "
                               "VALUES (?, ?, ?, ?, 22, ?, 'agent', NULL, 0, '2026-01-02T03:04:05.006Z', "
                               "'2026-01-02T03:04:05.006Z', 0, ?, 9, ?, 8006, ?, ?)"),
                {QStringLiteral("odd-%1 ").arg(n) + t, nonNull, nonNull, t, t.isNull() ? QStringLiteral("generic") : t,
                 t, t, t, t.isEmpty() ? QVariant() : QVariant(t + QStringLiteral("-pod"))});
        }
        // Bytes that are not what Qt would have written: malformed UTF-8, surrogates encoded directly, U+FFFE.
        for (const QString &hex : blobs) {
            ++n;
            sql(QStringLiteral("INSERT INTO connections (name, hostname, username, port, kind, auth_method, is_active, "
                               "created_at, updated_at, watch) VALUES ('bytes-%1', CAST(X'%2' AS TEXT), "
                               "CAST(X'%2' AS TEXT), 22, 'generic', 'agent', 0, '2026-01-02T03:04:05.006Z', "
                               "'2026-01-02T03:04:05.006Z', 0)")
                    .arg(n)
                    .arg(hex));
        }
        // Times in other spellings, numbers and booleans stored other ways, 64-bit ids.
        qint64 id = 9007199254740993LL; // 2^53 + 1: not a double
        for (qsizetype k = 0; k < times.size(); ++k) {
            const QString &t = times.at(k);
            sql(QStringLiteral("INSERT INTO connections (id, name, hostname, username, port, kind, auth_method, "
                               "mac_address, is_active, last_connected_at, created_at, updated_at, watch, wol_port, "
                               "proxmox_api_port) VALUES (?, ?, '203.0.113.9', 'ops', ?, 'generic', 'key', ?, ?, ?, ?, "
                               "?, ?, ?, ?)"),
                {id, QStringLiteral("time-%1").arg(id),
                 k % 2 ? QVariant(QStringLiteral("22x")) : QVariant(qint64(3000000000LL)),
                 QStringLiteral("AA-BB-CC-DD-EE-0%1").arg(k % 10), QVariant(QStringLiteral("true")), t, t, t,
                 QVariant(QStringLiteral("false")), QVariant(2.5), QVariant(QStringLiteral("8006"))});
            id += 1000;
        }
        sql(QStringLiteral("INSERT INTO connections (id, name, hostname, username, port, kind, auth_method, is_active, "
                           "last_connected_at, created_at, updated_at, watch) VALUES (9223372036854775807, 'max-id', "
                           "12345, 6.5, -1, 'generic', 'agent', 2, 20260102, '2026-01-02T03:04:05.006Z', "
                           "'2026-01-02T03:04:05.006Z', 'yes')"));
        sql(QStringLiteral("UPDATE connections SET mac_address = 'garbage' WHERE name = 'node-010'"));
        sql(QStringLiteral("UPDATE connections SET is_active = 1, last_connected_at = '2026-03-04T05:06:07.089Z' "
                           "WHERE name = 'node-011'"));
    }

    void seedProjectsAndJobs(const QStringList &texts, const QStringList &blobs, const QStringList &times)
    {
        auto &c = core();
        const QList<qint64> connectionIds = ids(QStringLiteral("connections"));
        // JSON objects as the app stores them, and as it may find them (unsorted, spaced, not objects, not JSON).
        const QStringList configs = {
            QStringLiteral("{}"),
            QStringLiteral("{\"lr\":0.0001,\"epochs\":3,\"batch_size\":16}"),
            QStringLiteral(
                "{\"b\":1,\"a\":{\"z\":[1,2.5,-0.0,1e21,1e-7,123456789012345678,null,true,false,\"x\"],\"y\":{}}}"),
            QStringLiteral(" { \"spaced\" : 1.0 , \"quote\\\"key\" : \"tab\\tvalue\\u0001\" } "),
            QString::fromUtf8("{\"unicode\":\"日本😀\",\"esc\":\"\\u00e9\\ud83d\\ude00\",\"big\":9007199254740993}"),
            QStringLiteral("[1,2]"),
            QStringLiteral("not json"),
            QStringLiteral(""),
            QStringLiteral("{\"a\":1,\"a\":2}"),
        };
        const QStringList extraFiles = {QStringLiteral("[]"), QStringLiteral("[\"/etc/a.env\",\"b/c.txt\"]"),
                                        QStringLiteral("[1,null,\"x\"]"), QStringLiteral("nope"),
                                        QStringLiteral("{\"a\":1}")};
        for (int i = 0; i < 12; ++i) {
            const QString t = texts.at((i + 3) % texts.size());
            sql(QStringLiteral("INSERT INTO projects (connection_id, name, description, project_type, remote_path, "
                               "status, config, created_at, updated_at, backend, local_path, extra_files) VALUES "
                               "(?, ?, ?, 'nlp', ?, 'active', ?, ?, ?, 'tmux', ?, ?)"),
                {connectionIds.at(i % connectionIds.size()),
                 QStringLiteral("project-%1 ").arg(i) + texts.at(i % texts.size()), t.isNull() ? QStringLiteral("") : t,
                 QStringLiteral("/srv/p%1").arg(i), configs.at(i % configs.size()), times.at(i % times.size()),
                 QStringLiteral("2026-01-02T03:04:05.006Z"), i % 2 ? QVariant() : QVariant(texts.at(i % texts.size())),
                 extraFiles.at(i % extraFiles.size())});
        }
        sql(QStringLiteral("INSERT INTO projects (connection_id, name, created_at, updated_at, description, "
                           "remote_path) VALUES (?, 'project-bytes', 'x', 'x', CAST(X'%1' AS TEXT), 42)")
                .arg(blobs.at(0)),
            {connectionIds.first()});
        const QList<qint64> projectIds = ids(QStringLiteral("projects"));
        // Many jobs as the repository writes them, then odd values in every column.
        for (int i = 0; i < 300; ++i) {
            Job j;
            j.projectId = projectIds.at(i % projectIds.size());
            j.name = QStringLiteral("job-%1").arg(i);
            j.modelName = QStringLiteral("example-model-7b");
            j.status = Job::statuses().at(i % Job::statuses().size());
            j.config = QJsonDocument::fromJson(configs.at(i % 5).toUtf8()).object();
            j.metrics = i % 4 ? QJsonObject() : QJsonObject{{QStringLiteral("loss"), 0.4213 + i}};
            j.env =
                i % 3 ? QJsonObject() : QJsonObject{{QStringLiteral("CUDA_VISIBLE_DEVICES"), QStringLiteral("0,1")}};
            j.command = i % 2 ? QString() : QStringLiteral("python train.py --epochs 3");
            const auto created = c.jobs().create(j);
            QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        }
        const QList<qint64> jobIds = ids(QStringLiteral("training_jobs"));
        for (int i = 0; i < 40; ++i) {
            const QString t = texts.at(i % texts.size());
            const QString nonNull = t.isNull() ? QStringLiteral("") : t;
            const QString time = times.at(i % times.size());
            sql(QStringLiteral(
                    "UPDATE training_jobs SET name = ?, model_name = ?, status = ?, config = ?, metrics = ?, "
                    "container_id = ?, started_at = ?, completed_at = ?, created_at = ?, command = ?, "
                    "working_dir = ?, env = ?, exit_code = ?, status_reason = ?, backend = ?, attempt = ?, "
                    "on_end = ?, sync_before_start = ?, on_end_result = ? WHERE id = ?"),
                {QStringLiteral("odd-job-%1 ").arg(i) + t,
                 nonNull,
                 nonNull,
                 configs.at(i % configs.size()),
                 configs.at((i + 1) % configs.size()),
                 i % 3 ? QVariant(t) : QVariant(),
                 time,
                 times.at((i + 1) % times.size()),
                 time,
                 nonNull,
                 QStringLiteral(""),
                 configs.at((i + 2) % configs.size()),
                 i % 4 == 0   ? QVariant()
                 : i % 4 == 1 ? QVariant(-1)
                 : i % 4 == 2 ? QVariant(QStringLiteral("abc"))
                              : QVariant(qint64(5000000000LL)),
                 QStringLiteral(""),
                 i % 2 ? QStringLiteral("tmux") : QStringLiteral(""),
                 QVariant(i % 5),
                 QStringLiteral("none"),
                 i % 3 == 0 ? QVariant(QStringLiteral("true")) : QVariant(i % 2),
                 configs.at((i + 3) % configs.size()),
                 jobIds.at(i)});
            // Attempts: live and ended ones, with odd times.
            for (int a = 1; a <= i % 3; ++a) {
                sql(QStringLiteral("INSERT INTO job_attempts (job_id, attempt, backend, host_dir, session, "
                                   "container_id, started_at, ended_at, status, exit_code, status_reason) VALUES "
                                   "(?, ?, 'tmux', '$HOME/.gpudeck/jobs/1', ?, ?, ?, ?, ?, ?, ?)"),
                    {jobIds.at(i), a, QStringLiteral("gpudeck-job-") + t, a == 1 ? QVariant() : QVariant(t), time,
                     a == 2 ? QVariant() : QVariant(times.at((i + a) % times.size())),
                     a == 1 ? QStringLiteral("completed") : QStringLiteral(""), a == 1 ? QVariant(0) : QVariant(),
                     nonNull});
            }
        }
    }

    void seedLogs(const QStringList &texts, const QStringList &blobs, const QStringList &times)
    {
        const QList<qint64> connectionIds = ids(QStringLiteral("connections"));
        for (int i = 0; i < 120; ++i) {
            const QString t = texts.at(i % texts.size());
            const QString nonNull = t.isNull() ? QStringLiteral("") : t;
            const QString time = i % 5 ? QStringLiteral("2026-01-02T03:04:05.%1Z").arg(i, 3, 10, QLatin1Char('0'))
                                       : times.at(i % times.size());
            sql(QStringLiteral(
                    "INSERT INTO alerts (connection_id, connection_name, gpu_index, kind, severity, message, "
                    "value, threshold, started_at, ended_at, alert_key, end_reason) VALUES "
                    "(?, ?, ?, 'gpu_temperature', 'warning', ?, ?, ?, ?, ?, NULL, ?)"),
                {i % 4 == 0 ? QVariant() : QVariant(connectionIds.at(i % connectionIds.size())), nonNull,
                 i % 3 == 0   ? QVariant()
                 : i % 3 == 1 ? QVariant(i % 8)
                              : QVariant(-1),
                 nonNull,
                 i % 5 == 0   ? QVariant()
                 : i % 5 == 1 ? QVariant(85.5 + i)
                 : i % 5 == 2 ? QVariant(qint64(90))
                 : i % 5 == 3 ? QVariant(1.0 / 3.0)
                              : QVariant(QStringLiteral("hot")),
                 QVariant(1e-7 * i), time, i % 2 ? QVariant() : QVariant(times.at((i + 1) % times.size())),
                 i % 2 ? QVariant() : QVariant(i % 4 ? QStringLiteral("cleared") : QStringLiteral(""))});
            sql(QStringLiteral("INSERT INTO exec_log (connection_id, connection_name, caller, command, outcome, "
                               "exit_code, duration_ms, forced, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {i % 4 == 0 ? QVariant() : QVariant(connectionIds.at(i % connectionIds.size())), nonNull,
                 i % 2 ? QStringLiteral("api") : QStringLiteral("mcp"), nonNull, QStringLiteral("ok"),
                 i % 3 == 0 ? QVariant() : QVariant(i - 60), i % 7 == 0 ? QVariant() : QVariant(qint64(i) * 1000003),
                 i % 2, time});
            sql(QStringLiteral("INSERT INTO audit_log (created_at, origin, method, route, target, status, outcome, "
                               "fields) VALUES (?, ?, 'PUT', '/api/dgx/jobs/:id', ?, ?, 'ok', ?)"),
                {time, AuditRepository::origins().at(i % 4), i % 3 ? QVariant(t) : QVariant(),
                 i % 4 == 0   ? QVariant()
                 : i % 4 == 1 ? QVariant(200)
                 : i % 4 == 2 ? QVariant(-3)
                              : QVariant(QStringLiteral("x")),
                 i % 3 == 0   ? QStringLiteral("")
                 : i % 3 == 1 ? QStringLiteral("name,,status,")
                              : (QStringLiteral("a,") + nonNull)});
        }
        sql(QStringLiteral("INSERT INTO audit_log (created_at, origin, method, route, outcome, fields) VALUES "
                           "('x', 'api', 'GET', CAST(X'%1' AS TEXT), 'ok', CAST(X'%1' AS TEXT))")
                .arg(blobs.at(3)));
    }

private Q_SLOTS:
    void init()
    {
        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
    }
    void cleanup()
    {
        m_http.reset();
        m_tc.reset();
    }

    void emptyDatabase()
    {
        compareAllRoutes();
        QVERIFY(m_compared >= 10);
    }

    void seededDatabase()
    {
        const QStringList texts = oddTexts();
        // Bytes that are not what Qt would have written: malformed UTF-8, surrogates encoded directly, U+FFFE,
        // overlong forms, beyond U+10FFFF; and a few well-formed ones.
        const QStringList blobs = {
            QStringLiteral("FF41"),     QStringLiteral("C328"),        QStringLiteral("E282"), QStringLiteral("EDA080"),
            QStringLiteral("EFBFBE41"), QStringLiteral("F4908080"),    QStringLiteral("C0AF"), QStringLiteral("E080AF"),
            QStringLiteral("F0908D88"), QStringLiteral("41C2A0E2808B")};
        const QStringList times = {QStringLiteral("2026-01-02 03:04:05"),
                                   QStringLiteral("2026-01-02T03:04:05Z"),
                                   QStringLiteral("2026-01-02T03:04:05.1Z"),
                                   QStringLiteral("2026-01-02T03:04:05.123+02:00"),
                                   QStringLiteral("2026-01-02T03:04:05.123"),
                                   QStringLiteral("2024-02-29T23:59:59.999Z"),
                                   QStringLiteral("2026-02-29T00:00:00.000Z"),
                                   QStringLiteral("2026-01-01T24:00:00.000Z"),
                                   QStringLiteral("2026-13-01T00:00:00.000Z"),
                                   QStringLiteral("0999-01-01T00:00:00.000Z"),
                                   QStringLiteral("not a time"),
                                   QStringLiteral("")};
        seedConnections(texts, blobs, times);
        seedProjectsAndJobs(texts, blobs, times);
        seedLogs(texts, blobs, times);
        compareAllRoutes();
        QVERIFY(m_compared > 500);
    }

    // The field tables name the properties docs/openapi.yaml gives each schema, no more and no fewer.
    void fieldTablesMatchOpenApi()
    {
        const auto r = m_http->get(QStringLiteral("/api/openapi.json"));
        QCOMPARE(r.status, 200);
        const QJsonObject schemas =
            r.object().value(QStringLiteral("components")).toObject().value(QStringLiteral("schemas")).toObject();
        std::function<QStringList(const QJsonObject &)> properties = [&](const QJsonObject &schema) {
            QStringList out = schema.value(QStringLiteral("properties")).toObject().keys();
            const QString ref = schema.value(QStringLiteral("$ref")).toString();
            if (!ref.isEmpty()) {
                out += properties(schemas.value(ref.section(QLatin1Char('/'), -1)).toObject());
            }
            for (const QJsonValue &part : schema.value(QStringLiteral("allOf")).toArray()) {
                out += properties(part.toObject());
            }
            return out;
        };
        for (const auto &[table, name] : RowTables::schemaNames()) {
            QVERIFY2(schemas.contains(name), qPrintable(name));
            QStringList documented = properties(schemas.value(name).toObject());
            documented.sort();
            documented.removeDuplicates();
            QStringList written = table->keys();
            written.sort();
            QCOMPARE(written, documented);
        }
    }

    // The writer's own escapes and numbers, against QJsonDocument over the characters of the BMP and more.
    void stringsAndNumbersAsQJsonDocument()
    {
        for (uint u = 0; u < 0x10000; u += (u < 0x800 ? 1 : 7)) {
            if (QChar::isSurrogate(u)) {
                continue; // not UTF-8; rows read such text the driver's way (seededDatabase)
            }
            const QString s = QStringLiteral("a") + QChar(char16_t(u)) + QStringLiteral("b");
            QByteArray mine;
            RowJson::appendString(mine, s.toUtf8());
            const QByteArray qt = compact(QJsonArray{s});
            QCOMPARE(mine, qt.mid(1, qt.size() - 2));
        }
        for (double d : {0.0, -0.0, 1.0, -1.0, 0.1, 1e-7, 1e21, 1e300, 123456789012345678.0, 9007199254740993.0, 2.5,
                         -273.15, 1.0 / 3.0, 5e-324, qInf(), -qInf(), qQNaN()}) {
            QByteArray mine;
            RowJson::appendDouble(mine, d);
            const QByteArray qt = compact(QJsonArray{d});
            QCOMPARE(mine, qt.mid(1, qt.size() - 2));
        }
    }
};

QTEST_GUILESS_MAIN(TestApiRowsJson)
#include "tst_api_rows_json.moc"
