// The proxy's audio and rerank routes end to end: services declared in models.yaml with `models:`, served by the
// fake OpenAI server (tests/fake/fake_openai_server.py) that the test runs itself, the real API over real sockets,
// uploads and downloads made by curl (a separate process, so this process's memory is GPU Deck's alone).
#include "HttpClient.h"
#include "Ports.h"
#include "ProcMemory.h"
#include "TestCore.h"
#include "models/ModelService.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gpudeck;
using test::freePort;
using test::HttpClient;
using test::portOpen;

namespace {

} // namespace

class TestProxyAudio : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestCore> m_tc;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_tmp;
    QProcess m_speech;   // the fake as a speech service (speech-to-text and text-to-speech)
    QProcess m_reranker; // the fake as a reranker
    quint16 m_speechPort = 0;
    quint16 m_rerankPort = 0;

    static void startFake(QProcess &p, quint16 port, const QString &model)
    {
        p.start(QStringLiteral("/usr/bin/python3"),
                {QStringLiteral(GPUDECK_FAKE_OPENAI_SERVER), QStringLiteral("--port"), QString::number(port),
                 QStringLiteral("--model"), model, QStringLiteral("--max-lifetime"), QStringLiteral("300")});
    }

    // curl with the token; false when it fails (its stderr is printed).
    bool curl(const QStringList &args, QByteArray *out = nullptr)
    {
        QProcess p;
        p.start(QStringLiteral("curl"),
                QStringList{QStringLiteral("-sS"), QStringLiteral("--fail-with-body"), QStringLiteral("-H"),
                            QStringLiteral("Authorization: Bearer ") + QString::fromUtf8(m_tc->token())} +
                    args);
        if (!p.waitForFinished(60000)) {
            qWarning() << "curl did not finish";
            return false;
        }
        if (out) {
            *out = p.readAllStandardOutput();
        }
        if (p.exitCode() != 0) {
            qWarning() << "curl:" << p.exitCode() << p.readAllStandardError() << (out ? *out : QByteArray());
            return false;
        }
        return true;
    }

    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_tc->port()).arg(path);
    }

    // A multipart/form-data body in a file: `model` first (unless modelFirst is false), then a WAV of `bytes`.
    QString writeForm(const QString &name, const QByteArray &boundary, qint64 bytes, bool modelFirst = true)
    {
        QFile f(m_tmp.filePath(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return {};
        }
        const QByteArray modelPart =
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-test\r\n";
        if (modelFirst) {
            f.write(modelPart);
        }
        f.write(
            "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n");
        // A WAV header (16-bit mono 16 kHz), then a tone-like ramp, written a MiB at a time.
        QByteArray header("RIFF");
        auto le32 = [](quint32 v) { return QByteArray(reinterpret_cast<const char *>(&v), 4); };
        header += le32(quint32(36 + bytes)) + "WAVEfmt " + le32(16) + QByteArray("\x01\x00\x01\x00", 4) + le32(16000) +
                  le32(32000) + QByteArray("\x02\x00\x10\x00", 4) + "data" + le32(quint32(bytes));
        f.write(header);
        QByteArray block(1 << 20, Qt::Uninitialized);
        for (qint64 written = 0; written < bytes;) {
            for (int i = 0; i < block.size(); ++i) {
                block[i] = char((written + i) * 31 % 251);
            }
            const qint64 n = std::min<qint64>(block.size(), bytes - written);
            f.write(block.constData(), n);
            written += n;
        }
        f.write("\r\n");
        if (!modelFirst) {
            f.write(modelPart);
        }
        f.write("--" + boundary + "--\r\n");
        return f.fileName();
    }

    static QByteArray sha256Of(const QString &path)
    {
        QFile f(path);
        QCryptographicHash h(QCryptographicHash::Sha256);
        return f.open(QIODevice::ReadOnly) && h.addData(&f) ? h.result().toHex() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_speechPort = freePort();
        m_rerankPort = freePort();
        startFake(m_speech, m_speechPort, QStringLiteral("tts-test"));
        startFake(m_reranker, m_rerankPort, QStringLiteral("rerank-test"));
        QVERIFY(m_speech.waitForStarted() && m_reranker.waitForStarted());
        QTRY_VERIFY(portOpen(m_speechPort) && portOpen(m_rerankPort));

        m_tc = std::make_unique<test::TestCore>();
        m_http = std::make_unique<HttpClient>(m_tc->port(), m_tc->token());
        const auto created = m_http->post(QStringLiteral("/api/dgx/connections"),
                                          {{QStringLiteral("name"), QStringLiteral("lab")},
                                           {QStringLiteral("hostname"), QStringLiteral("127.0.0.1")},
                                           {QStringLiteral("username"), QStringLiteral("nobody")},
                                           {QStringLiteral("auth_method"), QStringLiteral("agent")}});
        QCOMPARE(created.status, 201);
        QFile f(m_tc->dataDir() + QStringLiteral("/models.yaml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("poll_interval: 1\n"
                               "hosts:\n"
                               "  lab:\n"
                               "    services:\n"
                               "      - {name: speech, port: %1, models: [whisper-test, tts-test]}\n"
                               "      - {name: reranker, port: %2, models: [rerank-test], openai_base: /v1/}\n")
                    .arg(m_speechPort)
                    .arg(m_rerankPort)
                    .toUtf8());
        f.close();
        QTRY_COMPARE(m_tc->core().models().catalog().hosts.value(0).services.size(), 2);
        QVERIFY(m_tc->core().models().catalogErrors().isEmpty());
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_tc.reset();
        m_speech.terminate();
        m_reranker.terminate();
        m_speech.waitForFinished(3000);
        m_reranker.waitForFinished(3000);
    }

    void modelsListsServiceModels()
    {
        const QJsonArray data =
            m_http->get(QStringLiteral("/v1/models")).object().value(QStringLiteral("data")).toArray();
        QStringList ids;
        for (const QJsonValue &v : data) {
            ids << v.toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(v.toObject().value(QStringLiteral("host")).toString(), QStringLiteral("lab"));
        }
        QCOMPARE(ids, (QStringList{QStringLiteral("whisper-test"), QStringLiteral("tts-test"),
                                   QStringLiteral("rerank-test")}));
        QCOMPARE(data.at(2).toObject().value(QStringLiteral("service")).toString(), QStringLiteral("reranker"));
        QTRY_VERIFY(m_http->get(QStringLiteral("/v1/models"))
                        .object()
                        .value(QStringLiteral("data"))
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(QStringLiteral("serving"))
                        .toBool());
    }

    // Tens of MB arrive intact, and GPU Deck's memory does not grow by their size on the way.
    void transcriptionUploadStreamsIntact()
    {
        const QByteArray boundary = "gpudeck-test-boundary-7f3a";
        const QString form = writeForm(QStringLiteral("form.bin"), boundary, 48LL * 1024 * 1024);
        QVERIFY(!form.isEmpty());
        const qint64 formSize = QFileInfo(form).size();
        const QByteArray expected = sha256Of(form);
        // A first small upload warms up what is allocated once (the proxy, its network access manager).
        const QString small = writeForm(QStringLiteral("small.bin"), boundary, 1024);
        QVERIFY(curl({QStringLiteral("-H"),
                      QStringLiteral("Content-Type: multipart/form-data; boundary=") + QString::fromLatin1(boundary),
                      QStringLiteral("--data-binary"), QLatin1Char('@') + small,
                      url(QStringLiteral("/v1/audio/transcriptions"))}));

        const bool canReset = test::resetPeakMemory(); // peak RSS := RSS now
        const qint64 before = test::procStatusKb("VmRSS");
        QByteArray out;
        QVERIFY(curl({QStringLiteral("-H"),
                      QStringLiteral("Content-Type: multipart/form-data; boundary=") + QString::fromLatin1(boundary),
                      QStringLiteral("--data-binary"), QLatin1Char('@') + form,
                      url(QStringLiteral("/v1/audio/transcriptions"))},
                     &out));
        const qint64 peak = test::procStatusKb(canReset ? "VmHWM" : "VmRSS");
        const QJsonObject answer = QJsonDocument::fromJson(out).object();
        QCOMPARE(answer.value(QStringLiteral("bytes")).toInteger(), formSize);
        QCOMPARE(answer.value(QStringLiteral("sha256")).toString().toLatin1(), expected);
        QVERIFY(answer.value(QStringLiteral("content_type")).toString().contains(QString::fromLatin1(boundary)));
        const qint64 growthKiB = peak - before;
        qInfo("upload of %lld MiB: peak RSS growth %lld KiB", formSize >> 20, growthKiB);
        QVERIFY2(growthKiB < 16 * 1024, qPrintable(QStringLiteral("grew by %1 KiB").arg(growthKiB)));

        // Translations take the same way.
        QVERIFY(curl({QStringLiteral("-H"),
                      QStringLiteral("Content-Type: multipart/form-data; boundary=") + QString::fromLatin1(boundary),
                      QStringLiteral("--data-binary"), QLatin1Char('@') + small,
                      url(QStringLiteral("/v1/audio/translations"))},
                     &out));
        QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("sha256")).toString().toLatin1(),
                 sha256Of(small));
    }

    void uploadRefusals()
    {
        const QByteArray boundary = "b0undary";
        // The file before the model, and two models declared by services: the model cannot be told.
        const QString fileFirst = writeForm(QStringLiteral("file-first.bin"), boundary, 4096, false);
        const QList<QPair<QByteArray, QByteArray>> multipart{
            {QByteArrayLiteral("Content-Type"), "multipart/form-data; boundary=" + boundary}};
        QFile ff(fileFirst);
        QVERIFY(ff.open(QIODevice::ReadOnly));
        auto r =
            m_http->request("POST", QStringLiteral("/v1/audio/transcriptions"), ff.readAll(), multipart, true, false);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("validation_failed"));
        // Not multipart: 415; no token: 401; a web page's Origin: 403.
        r = m_http->request("POST", QStringLiteral("/v1/audio/transcriptions"), QByteArrayLiteral("{}"));
        QCOMPARE(r.status, 415);
        r = m_http->request("POST", QStringLiteral("/v1/audio/transcriptions"), QByteArrayLiteral("x"), multipart,
                            false, false);
        QCOMPARE(r.status, 401);
        auto withOrigin = multipart;
        withOrigin.append({QByteArrayLiteral("Origin"), QByteArrayLiteral("http://203.0.113.7")});
        r = m_http->request("POST", QStringLiteral("/v1/audio/transcriptions"), QByteArrayLiteral("x"), withOrigin,
                            true, false);
        QCOMPARE(r.status, 403);
        // An unknown model in the form.
        const QByteArray unknown = "--" + boundary +
                                   "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nnope\r\n--" + boundary +
                                   "--\r\n";
        r = m_http->request("POST", QStringLiteral("/v1/audio/transcriptions"), unknown, multipart, true, false);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("model_not_found"));
        // The connection is still usable after a refused upload (the body was read and dropped).
        QCOMPARE(m_http->get(QStringLiteral("/v1/models")).status, 200);
    }

    // The audio answer is streamed back byte for byte.
    void speechStreamsBack()
    {
        const qint64 bytes = 3 * 1024 * 1024 + 17;
        const QString out = m_tmp.filePath(QStringLiteral("speech.wav"));
        const QString head = m_tmp.filePath(QStringLiteral("speech.head"));
        QVERIFY(curl({QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"), QStringLiteral("-o"), out,
                      QStringLiteral("-D"), head, QStringLiteral("--data"),
                      QStringLiteral(R"({"model":"tts-test","input":"hello","bytes":%1})").arg(bytes),
                      url(QStringLiteral("/v1/audio/speech"))}));
        QFile h(head);
        QVERIFY(h.open(QIODevice::ReadOnly));
        const QByteArray headers = h.readAll().toLower();
        QVERIFY2(headers.contains("content-type: audio/wav"), headers.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray got = f.readAll();
        QCOMPARE(got.size(), bytes);
        for (qsizetype i = 0; i < got.size(); ++i) {
            if (quint8(got[i]) != quint8((i * 7 + 3) % 256)) {
                QFAIL(qPrintable(QStringLiteral("byte %1 differs").arg(i)));
            }
        }
    }

    void rerankBothPaths()
    {
        const QJsonObject body{{QStringLiteral("model"), QStringLiteral("rerank-test")},
                               {QStringLiteral("query"), QStringLiteral("gpu")},
                               {QStringLiteral("documents"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}};
        for (const QString &path : {QStringLiteral("/v1/rerank"), QStringLiteral("/rerank")}) {
            const auto r = m_http->post(path, body);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.object().value(QStringLiteral("results")).toArray().size(), 2);
            QCOMPARE(r.object().value(QStringLiteral("model")).toString(), QStringLiteral("rerank-test"));
        }
        // Other routes still take JSON only.
        const auto form = m_http->request(
            "POST", QStringLiteral("/v1/rerank"), QByteArrayLiteral("a=b"),
            {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("multipart/form-data")}}, true, false);
        QCOMPARE(form.status, 415);
    }
};

QTEST_GUILESS_MAIN(TestProxyAudio)
#include "tst_proxy_audio.moc"
