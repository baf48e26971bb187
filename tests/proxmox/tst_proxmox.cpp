// Proxmox VE clusters (issue 11) end to end: a real Core and its API against FakeProxmox, a Proxmox API served over
// HTTPS on loopback with a self-signed certificate made at test time. The certificate's trust flow (unknown shown,
// a wrong one refused, accepted, then a changed one refused loudly and replaced explicitly), the API token (in the
// keychain, never in the database; a wrong one refused), the reads, actions and the tasks they start followed to
// their end (OK or the reason), the 10 s poll while shown, quorum-lost and storage-full alerts raised and cleared,
// and waking a node through its cluster. Nothing sleeps: every wait is on a condition.
#include "FakeProxmox.h"
#include "HttpClient.h"
#include "TestCore.h"
#include "metrics/MetricsService.h"
#include "proxmox/ProxmoxService.h"
#include "secrets/MemorySecretStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QUrl>

using namespace gpudeck;

namespace {

QString activeAlert(Core &core, const QString &kind)
{
    const auto alerts = core.metrics().alerts(true, 0, 100);
    for (const Alert &a : alerts.value()) {
        if (a.kind == kind) {
            return a.message;
        }
    }
    return {};
}

} // namespace

class TestProxmox : public QObject
{
    Q_OBJECT

    test::FakeProxmox m_fake;
    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<test::HttpClient> m_http;
    qint64 m_id = 0;

    Core &core() { return m_tc->core(); }
    test::HttpReply get(const QString &path) { return m_http->get(path); }
    test::HttpReply post(const QString &path, const QJsonObject &body) { return m_http->post(path, body); }
    QJsonObject status() { return get(QStringLiteral("/api/proxmox/pve/status")).object(); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fake.start(&error), qPrintable(error));
        m_tc = std::make_unique<test::TestCore>(true, std::make_unique<MemorySecretStore>());
        m_http = std::make_unique<test::HttpClient>(m_tc->port(), m_tc->token());
        core().proxmox().setTaskPollIntervalMs(20);
        const auto created =
            post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("pve")},
                                                          {QStringLiteral("hostname"), m_fake.host()},
                                                          {QStringLiteral("username"), QStringLiteral("root")},
                                                          {QStringLiteral("kind"), QStringLiteral("proxmox")},
                                                          {QStringLiteral("proxmox_token_id"), m_fake.tokenId()},
                                                          {QStringLiteral("proxmox_api_port"), m_fake.port()}});
        QVERIFY2(created.status == 201, created.body.constData());
        m_id = created.object().value(QStringLiteral("id")).toInteger();
        QVERIFY(created.object().value(QStringLiteral("proxmox_fingerprint")).isNull());
        const auto generic =
            post(QStringLiteral("/api/dgx/connections"), {{QStringLiteral("name"), QStringLiteral("plain")},
                                                          {QStringLiteral("hostname"), QStringLiteral("198.51.100.7")},
                                                          {QStringLiteral("username"), QStringLiteral("someone")}});
        QCOMPARE(generic.status, 201);
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_tc.reset();
        m_fake.stop();
    }

    void withoutSecretTheTokenIsNotUsable()
    {
        const auto r = get(QStringLiteral("/api/proxmox/pve/status"));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("proxmox_token_secret_missing"));
        QVERIFY(m_fake.requests().isEmpty());
    }

    void theSecretGoesToTheKeychainOnly()
    {
        const auto stored = m_http->put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                                        {{QStringLiteral("proxmox_token_secret"), m_fake.tokenSecret()}});
        QCOMPARE(stored.status, 204);
        const auto c = get(QStringLiteral("/api/dgx/connections/pve"));
        QVERIFY(!c.body.contains(m_fake.tokenSecret().toUtf8()));
        QVERIFY(!c.object().contains(QStringLiteral("proxmox_token_secret")));
        QFile db(core().database().path());
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY2(!db.readAll().contains(m_fake.tokenSecret().toUtf8()), "the token secret is in the database file");
        const auto readBack = core().connectionSecrets().readBlocking(m_id, SecretKind::ProxmoxTokenSecret, 5000);
        QCOMPARE(readBack.value(), m_fake.tokenSecret());
    }

    void anUnknownCertificateIsShownNotTrusted()
    {
        const auto r = get(QStringLiteral("/api/proxmox/pve/status"));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("certificate_unknown"));
        const QJsonObject error = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("fingerprint")).toString(), m_fake.fingerprint());
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(m_fake.fingerprint()));
        // The handshake was refused: no request, so the token never reached the unverified server.
        QVERIFY2(m_fake.requests().isEmpty(), qPrintable(m_fake.requests().join(QLatin1Char(','))));
    }

    void aWrongFingerprintIsRefusedTheRightOneAccepted()
    {
        const QString wrong = m_fake.otherFingerprint();
        const auto refused =
            post(QStringLiteral("/api/proxmox/pve/trust"), {{QStringLiteral("accept_fingerprint"), wrong}});
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), QStringLiteral("certificate_mismatch"));
        QVERIFY(core().connections().get(m_id)->proxmoxFingerprint.isEmpty());
        const auto bad = post(QStringLiteral("/api/proxmox/pve/trust"),
                              {{QStringLiteral("accept_fingerprint"), QStringLiteral("SHA256:abc")}});
        QCOMPARE(bad.status, 400);

        // Lower case without colons is the same fingerprint.
        const QString loose = m_fake.fingerprint().toLower().remove(QLatin1Char(':'));
        const auto accepted =
            post(QStringLiteral("/api/proxmox/pve/trust"), {{QStringLiteral("accept_fingerprint"), loose}});
        QVERIFY2(accepted.status == 200, accepted.body.constData());
        QCOMPARE(core().connections().get(m_id)->proxmoxFingerprint, m_fake.fingerprint());
        QCOMPARE(accepted.object().value(QStringLiteral("certificate_fingerprint")).toString(), m_fake.fingerprint());
        QCOMPARE(get(QStringLiteral("/api/dgx/connections/pve")).object().value(QStringLiteral("proxmox_fingerprint")),
                 QJsonValue(m_fake.fingerprint()));
    }

    void statusResourcesStorage()
    {
        const int refused = m_fake.unauthorized(); // the trust probe asked without the token
        const QJsonObject s = status();
        QCOMPARE(s.value(QStringLiteral("source")).toString(), QStringLiteral("api"));
        const QJsonObject cluster = s.value(QStringLiteral("cluster")).toObject();
        QCOMPARE(cluster.value(QStringLiteral("name")).toString(), QStringLiteral("lab"));
        QCOMPARE(cluster.value(QStringLiteral("quorate")).toBool(), true);
        QCOMPARE(cluster.value(QStringLiteral("nodes")).toInt(), 3);
        QCOMPARE(cluster.value(QStringLiteral("nodes_online")).toInt(), 3);
        QCOMPARE(cluster.value(QStringLiteral("expected_votes")).toInt(), 3);
        const QJsonArray nodes = s.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 3);
        const QJsonObject pve1 = nodes.at(0).toObject();
        QCOMPARE(pve1.value(QStringLiteral("name")).toString(), QStringLiteral("pve1"));
        QCOMPARE(pve1.value(QStringLiteral("status")).toString(), QStringLiteral("online"));
        QCOMPARE(pve1.value(QStringLiteral("max_cpu")).toInt(), 16);
        QCOMPARE(pve1.value(QStringLiteral("uptime_s")).toInt(), 86400);
        QVERIFY(pve1.value(QStringLiteral("max_mem")).toDouble() > 0);

        const QJsonArray guests = get(QStringLiteral("/api/proxmox/pve/resources")).array();
        QCOMPARE(guests.size(), 3);
        const QJsonObject web = guests.at(0).toObject();
        QCOMPARE(web.value(QStringLiteral("vmid")).toInt(), 100);
        QCOMPARE(web.value(QStringLiteral("name")).toString(), QStringLiteral("web"));
        QCOMPARE(web.value(QStringLiteral("node")).toString(), QStringLiteral("pve1"));
        QCOMPARE(web.value(QStringLiteral("type")).toString(), QStringLiteral("qemu"));
        QCOMPARE(web.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QCOMPARE(web.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("prod"), QStringLiteral("web")}));
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/resources?type=lxc")).array().size(), 1);
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/resources?node=pve2")).array().size(), 1);
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/resources?type=vm")).status, 400);

        const QJsonArray storage = get(QStringLiteral("/api/proxmox/pve/storage")).array();
        QCOMPARE(storage.size(), 4);
        QCOMPARE(storage.at(0).toObject().value(QStringLiteral("used_percent")).toDouble(), 20.0);

        // Every request carried the token; none was refused.
        QCOMPARE(m_fake.unauthorized(), refused);
        QCOMPARE(get(QStringLiteral("/api/proxmox/plain/status")).errorCode(), QStringLiteral("not_proxmox"));
        QCOMPARE(get(QStringLiteral("/api/proxmox/nope/status")).status, 404);
    }

    void aWrongTokenIsRefusedAndNeverShown()
    {
        const QString wrong = QStringLiteral("not-the-secret-0123");
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                           {{QStringLiteral("proxmox_token_secret"), wrong}})
                     .status,
                 204);
        const auto r = get(QStringLiteral("/api/proxmox/pve/status"));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QStringLiteral("proxmox_auth_failed"));
        QVERIFY(!r.body.contains(wrong.toUtf8()));
        QVERIFY(m_fake.unauthorized() > 0);
        QCOMPARE(m_http
                     ->put(QStringLiteral("/api/dgx/connections/pve/credentials"),
                           {{QStringLiteral("proxmox_token_secret"), m_fake.tokenSecret()}})
                     .status,
                 204);
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/status")).status, 200);
    }

    void actionsNeedConfirmAndAreFollowed()
    {
        // Without confirm: the dry run, and nothing reaches Proxmox.
        const int before = int(m_fake.requests().size());
        const auto dry = post(QStringLiteral("/api/proxmox/pve/resources/101/action"),
                              {{QStringLiteral("action"), QStringLiteral("start")}});
        QCOMPARE(dry.status, 200);
        QCOMPARE(dry.object().value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(dry.object().value(QStringLiteral("action")).toString(), QStringLiteral("proxmox.start"));
        QCOMPARE(dry.object().value(QStringLiteral("target")).toObject().value(QStringLiteral("node")).toString(),
                 QStringLiteral("pve2"));
        QCOMPARE(m_fake.requests().size(), before);

        m_fake.setTaskPolls(3);
        QSignalSpy updates(&core().proxmox(), &ProxmoxService::taskUpdated);
        const auto started =
            post(QStringLiteral("/api/proxmox/pve/resources/101/action"),
                 {{QStringLiteral("action"), QStringLiteral("start")}, {QStringLiteral("confirm"), true}});
        QVERIFY2(started.status == 202, started.body.constData());
        const QString upid = started.object().value(QStringLiteral("upid")).toString();
        QVERIFY(upid.startsWith(QStringLiteral("UPID:pve2:")));
        QCOMPARE(started.object().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QCOMPARE(started.header("Location"), QStringLiteral("/api/proxmox/pve/tasks/%1").arg(upid).toUtf8());
        const QString taskPath = QStringLiteral("/api/proxmox/pve/tasks/") + upid;
        // ?wait answers when the task has ended: no polling.
        QCOMPARE(get(taskPath + QStringLiteral("?wait=20")).object().value(QStringLiteral("status")).toString(),
                 QStringLiteral("stopped"));
        QCOMPARE(get(taskPath + QStringLiteral("?wait=x")).status, 400);
        const QJsonObject ended = get(taskPath).object();
        QCOMPARE(ended.value(QStringLiteral("exit_status")).toString(), QStringLiteral("OK"));
        QCOMPARE(ended.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(ended.value(QStringLiteral("vmid")).toInt(), 101);
        QCOMPARE(m_fake.guestStatus(101), QStringLiteral("running"));
        QVERIFY(updates.size() >= 2); // started, ended
        // The guest's new state is read after the task ended.
        QTRY_COMPARE_WITH_TIMEOUT(core().proxmox().snapshot(m_id).guest(101)->status, QStringLiteral("running"), 10000);

        // A clean shutdown with its timeout and force-stop, as Proxmox's parameters.
        const auto shutdown = post(QStringLiteral("/api/proxmox/pve/resources/200/action"),
                                   {{QStringLiteral("action"), QStringLiteral("shutdown")},
                                    {QStringLiteral("timeout_s"), 30},
                                    {QStringLiteral("force_stop"), true},
                                    {QStringLiteral("confirm"), true}});
        QVERIFY2(shutdown.status == 202, shutdown.body.constData());
        QVERIFY(m_fake.lastActionParams().contains(QStringLiteral("timeout=30")));
        QVERIFY(m_fake.lastActionParams().contains(QStringLiteral("forceStop=1")));
        QVERIFY(m_fake.requests().contains(QStringLiteral("POST /nodes/pve1/lxc/200/status/shutdown")));

        // A task that fails: its reason is the exit status.
        m_fake.failNextTask(QStringLiteral("VM quit/powerdown failed - got timeout"));
        const auto failing =
            post(QStringLiteral("/api/proxmox/pve/resources/100/action"),
                 {{QStringLiteral("action"), QStringLiteral("reboot")}, {QStringLiteral("confirm"), true}});
        QCOMPARE(failing.status, 202);
        const QString failPath =
            QStringLiteral("/api/proxmox/pve/tasks/") + failing.object().value(QStringLiteral("upid")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(get(failPath).object().value(QStringLiteral("status")).toString(),
                                  QStringLiteral("stopped"), 10000);
        QCOMPARE(get(failPath).object().value(QStringLiteral("exit_status")).toString(),
                 QStringLiteral("VM quit/powerdown failed - got timeout"));
        QCOMPARE(get(failPath).object().value(QStringLiteral("ok")).toBool(true), false);

        // Refusals.
        QCOMPARE(post(QStringLiteral("/api/proxmox/pve/resources/999/action"),
                      {{QStringLiteral("action"), QStringLiteral("stop")}, {QStringLiteral("confirm"), true}})
                     .status,
                 404);
        QCOMPARE(post(QStringLiteral("/api/proxmox/pve/resources/100/action"),
                      {{QStringLiteral("action"), QStringLiteral("destroy")}, {QStringLiteral("confirm"), true}})
                     .status,
                 400);
        QCOMPARE(post(QStringLiteral("/api/proxmox/pve/resources/100/action"),
                      {{QStringLiteral("action"), QStringLiteral("stop")}, {QStringLiteral("timeout_s"), 5}})
                     .status,
                 400);
        // A task GPU Deck did not start is read from Proxmox; an unknown one is 404; not a UPID is 400.
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/tasks/UPID:pve1:0000AAAA:00000001:00000001:qmstart:100:x@pam:"))
                     .status,
                 404);
        QCOMPARE(get(QStringLiteral("/api/proxmox/pve/tasks/nope")).status, 400);
    }

    void quorumLostRaisesACriticalAlertClearedWhenBack()
    {
        core().proxmox().setPollIntervalMs(100);
        core().proxmox().watch(m_id); // shown: polled
        m_fake.setQuorate(false);
        QTRY_VERIFY_WITH_TIMEOUT(!activeAlert(core(), QStringLiteral("proxmox_quorum_lost")).isEmpty(), 10000);
        const auto alerts = core().metrics().alerts(true, m_id, 10).value();
        QCOMPARE(alerts.first().severity, QStringLiteral("critical"));
        QVERIFY(alerts.first().message.contains(QStringLiteral("1 of 3")));
        QCOMPARE(status().value(QStringLiteral("cluster")).toObject().value(QStringLiteral("quorate")).toBool(true),
                 false);
        m_fake.setQuorate(true);
        QTRY_VERIFY_WITH_TIMEOUT(activeAlert(core(), QStringLiteral("proxmox_quorum_lost")).isEmpty(), 10000);
        bool ended = false;
        const auto all = core().metrics().alerts(false, m_id, 50);
        for (const Alert &a : all.value()) {
            ended = ended || (a.kind == QStringLiteral("proxmox_quorum_lost") && a.endedAt.isValid());
        }
        QVERIFY(ended);
    }

    void aNearlyFullStorageRaisesAWarning()
    {
        const qint64 gib = qint64(1) << 30;
        m_fake.setStorageUse(QStringLiteral("pve1"), QStringLiteral("tank"), 950 * gib, 1000 * gib);
        QTRY_VERIFY_WITH_TIMEOUT(!activeAlert(core(), QStringLiteral("proxmox_storage_full")).isEmpty(), 10000);
        QVERIFY(activeAlert(core(), QStringLiteral("proxmox_storage_full")).contains(QStringLiteral("tank")));
        m_fake.setStorageUse(QStringLiteral("pve1"), QStringLiteral("tank"), 880 * gib, 1000 * gib); // hysteresis
        const quint64 reads = m_fake.requests().size();
        QTRY_VERIFY_WITH_TIMEOUT(quint64(m_fake.requests().size()) > reads + 8, 10000); // two more polls
        QVERIFY(!activeAlert(core(), QStringLiteral("proxmox_storage_full")).isEmpty());
        m_fake.setStorageUse(QStringLiteral("pve1"), QStringLiteral("tank"), 500 * gib, 1000 * gib);
        QTRY_VERIFY_WITH_TIMEOUT(activeAlert(core(), QStringLiteral("proxmox_storage_full")).isEmpty(), 10000);
        core().proxmox().unwatch(m_id);
    }

    void aChangedCertificateIsRefusedLoudly()
    {
        const QString pinned = m_fake.fingerprint();
        QString error;
        QVERIFY2(m_fake.renewCertificate(&error), qPrintable(error));
        QVERIFY(m_fake.fingerprint() != pinned);
        core().proxmox().forget(m_id); // a poll may have read the old certificate a moment ago: read again
        const auto r = get(QStringLiteral("/api/proxmox/pve/status"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("certificate_changed"));
        const QJsonObject e = r.object().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("fingerprint")).toString(), m_fake.fingerprint());
        QCOMPARE(e.value(QStringLiteral("pinned")).toString(), pinned);
        QCOMPARE(m_fake.requestsWith(m_fake.fingerprint()), 0); // refused at the handshake: the token was not sent
        QTRY_VERIFY_WITH_TIMEOUT(!activeAlert(core(), QStringLiteral("proxmox_certificate_changed")).isEmpty(), 10000);
        QCOMPARE(core().connections().get(m_id)->proxmoxFingerprint, pinned); // never silently replaced

        const auto kept = post(QStringLiteral("/api/proxmox/pve/trust"),
                               {{QStringLiteral("accept_fingerprint"), m_fake.fingerprint()}});
        QCOMPARE(kept.status, 409);
        QCOMPARE(kept.errorCode(), QStringLiteral("certificate_pinned"));
        const auto replaced =
            post(QStringLiteral("/api/proxmox/pve/trust"),
                 {{QStringLiteral("accept_fingerprint"), m_fake.fingerprint()}, {QStringLiteral("replace"), true}});
        QVERIFY2(replaced.status == 200, replaced.body.constData());
        QCOMPARE(core().connections().get(m_id)->proxmoxFingerprint, m_fake.fingerprint());
        QTRY_VERIFY_WITH_TIMEOUT(activeAlert(core(), QStringLiteral("proxmox_certificate_changed")).isEmpty(), 10000);
    }

    void aNodeIsWokenThroughItsCluster()
    {
        auto woken = core().proxmox().wakeNode(m_id, QStringLiteral("pve3"));
        QTRY_VERIFY_WITH_TIMEOUT(woken.isFinished(), 10000);
        const Result<QString> mac = woken.result();
        QVERIFY2(mac.ok(), qPrintable(mac.ok() ? QString() : mac.error().message));
        QCOMPARE(mac.value(), QStringLiteral("02:00:00:00:00:03"));
        QCOMPARE(m_fake.lastWakeNode(), QStringLiteral("pve3"));
    }

    // The fake answers with the fields the Proxmox schema declares for each path, and no others.
    void theFakeSpeaksTheSchema()
    {
        QFile f(QStringLiteral(GPUDECK_PROXMOX_SPEC));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject spec = QJsonDocument::fromJson(f.readAll()).object();
        auto declared = [&](const QString &path) {
            const QJsonObject returns = spec.value(path)
                                            .toObject()
                                            .value(QStringLiteral("GET"))
                                            .toObject()
                                            .value(QStringLiteral("returns"))
                                            .toObject();
            return returns.value(QStringLiteral("items")).toObject().value(QStringLiteral("properties")).toObject();
        };
        // Asked directly (GPU Deck's reading would hide an extra field), with the token, trusting any certificate.
        auto fakeGet = [&](const QString &pathAndQuery) {
            QSslSocket socket;
            socket.setPeerVerifyMode(QSslSocket::VerifyNone);
            socket.connectToHostEncrypted(m_fake.host(), m_fake.port());
            if (!socket.waitForEncrypted(10000)) {
                return QJsonValue();
            }
            socket.write("GET /api2/json" + pathAndQuery.toUtf8() + " HTTP/1.1\r\nHost: pve\r\nAuthorization: " +
                         QStringLiteral("PVEAPIToken=%1=%2").arg(m_fake.tokenId(), m_fake.tokenSecret()).toUtf8() +
                         "\r\n\r\n");
            QByteArray in;
            while (socket.waitForReadyRead(10000)) { // until the fake closes (Connection: close)
                in += socket.readAll();
            }
            in += socket.readAll();
            return QJsonDocument::fromJson(in.mid(in.indexOf("\r\n\r\n") + 4)).object().value(QStringLiteral("data"));
        };
        const QStringList paths{QStringLiteral("/cluster/status"), QStringLiteral("/nodes"),
                                QStringLiteral("/cluster/resources")};
        for (const QString &path : paths) {
            const QJsonObject props = declared(path);
            QVERIFY2(!props.isEmpty(), qPrintable(path));
            const QJsonArray items = fakeGet(path).toArray();
            QVERIFY2(!items.isEmpty(), qPrintable(path));
            for (const QJsonValue &item : items) {
                const QJsonObject o = item.toObject();
                for (auto it = o.begin(); it != o.end(); ++it) {
                    QVERIFY2(props.contains(it.key()), qPrintable(path + QStringLiteral(": ") + it.key()));
                    const QString type = props.value(it.key()).toObject().value(QStringLiteral("type")).toString();
                    const bool fits = type == QStringLiteral("string")    ? it->isString()
                                      : type == QStringLiteral("boolean") ? it->isDouble() || it->isBool()
                                                                          : it->isDouble();
                    QVERIFY2(fits,
                             qPrintable(path + QStringLiteral(": ") + it.key() + QStringLiteral(" is not ") + type));
                }
                for (auto it = props.begin(); it != props.end(); ++it) {
                    if (!it->toObject().value(QStringLiteral("optional")).toInt()) {
                        QVERIFY2(o.contains(it.key()), qPrintable(path + QStringLiteral(" lacks ") + it.key()));
                    }
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestProxmox)
#include "tst_proxmox.moc"
