// Runs every curl example of docs/api.md, in page order, against a freshly started `gpudeck --headless` (its own
// data dir, token and port) and the loopback test sshd, and checks each call's HTTP status against the answer the
// page shows. What the page promises ("run them top to bottom and you get the same answers") is tested here.
//
// Which blocks run: every fenced block tagged `sh` that contains `curl` (```bash blocks are setup shown to the
// reader: starting GPU Deck, fetching the token). A block right after a line `<!-- example: skip REASON -->` is
// not run; the reason says why (e.g. it needs a model server). Each block runs in its own `bash`, with
// `set -e -o pipefail`, in page order.
//
// What is checked: the answers the page shows after a block (```http blocks, up to the next ```sh block) give the
// expected statuses of the block's curl calls in order (`HTTP/1.1 409 Conflict` → 409); a call with no answer shown
// must succeed (2xx or 3xx). curl is wrapped to record each call's status and to give up after 30 s (an endless
// stream must be skipped, or bounded with --max-time in the example itself).
//
// The substitutions (the only differences between the page and what runs), as documented in docs/api.md:
//   http://127.0.0.1:3939       → http://127.0.0.1:<the test instance's port>
//   $TOKEN                      → the test instance's token (API_SERVER_KEY), as an environment variable
//   <spark-1-ip>                → 127.0.0.1 (the test sshd)
//   <ssh-port>                  → the test sshd's port
//   <user>                      → the test sshd's user
//   SHA256:<the fingerprint>    → the test sshd's host key fingerprint
//   ~ (HOME)                    → a temporary home holding the sshd's client key as ~/.ssh/id_ed25519 and an
//                                 ~/.ssh/config with two hosts; the host's PATH starts with the fake nvidia-smi
#include "FakeNvidiaSmi.h"
#include "SshServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Example
{
    int line = 0;        // of the ```sh fence, 1-based
    QString heading;     // the section it is in
    QString script;      // the block's text
    QList<int> expected; // statuses the page shows, in order
    QString skipReason;  // set: not run
};

QList<Example> extractExamples(const QString &markdown)
{
    static const QRegularExpression skipMarker(QStringLiteral("^<!--\\s*example:\\s*skip\\b\\s*(.*?)\\s*-->\\s*$"));
    static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.[01] (\\d{3})\\b"));
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QList<Example> out;
    QString heading;
    QString pendingSkip;
    bool inFence = false;
    QString fenceKind;
    Example current;
    QStringList body;
    int fenceLine = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (!inFence) {
            if (line.startsWith(QLatin1Char('#'))) {
                heading = line;
            } else if (const auto m = skipMarker.match(line); m.hasMatch()) {
                pendingSkip = m.captured(1).isEmpty() ? QStringLiteral("(no reason given)") : m.captured(1);
            } else if (line.startsWith(QStringLiteral("```"))) {
                inFence = true;
                fenceKind = line.mid(3).trimmed();
                fenceLine = i + 1;
                body.clear();
            }
            continue;
        }
        if (!line.startsWith(QStringLiteral("```"))) {
            body << line;
            continue;
        }
        inFence = false;
        const QString text = body.join(QLatin1Char('\n'));
        if (fenceKind == QStringLiteral("sh") && text.contains(QStringLiteral("curl "))) {
            Example e;
            e.line = fenceLine;
            e.heading = heading;
            e.script = text;
            e.skipReason = pendingSkip;
            out << e;
        } else if (fenceKind == QStringLiteral("http") && !out.isEmpty() && !body.isEmpty()) {
            if (const auto m = statusLine.match(body.first()); m.hasMatch()) {
                out.last().expected << m.captured(1).toInt();
            }
        }
        pendingSkip.clear();
    }
    return out;
}

} // namespace

class TestApiExamples : public QObject
{
    Q_OBJECT

    gpudeck::test::SshServer m_sshd;
    gpudeck::test::FakeNvidiaSmi m_fake;
    QTemporaryDir m_home;
    QTemporaryDir m_data;
    QProcess m_gpudeck;
    QByteArray m_log;
    quint16 m_port = 0;
    const QString m_token = QStringLiteral("docs-example-token-0123456789abcdef");

    bool writeFile(const QString &path, const QByteArray &content, QFile::Permissions permissions)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size()) {
            return false;
        }
        f.close();
        return f.setPermissions(permissions);
    }

    QString substitute(QString script) const
    {
        script.replace(QStringLiteral("http://127.0.0.1:3939"), QStringLiteral("http://127.0.0.1:%1").arg(m_port));
        script.replace(QStringLiteral("<spark-1-ip>"), m_sshd.host());
        script.replace(QStringLiteral("<ssh-port>"), QString::number(m_sshd.port()));
        script.replace(QStringLiteral("<user>"), m_sshd.user());
        script.replace(QStringLiteral("SHA256:<the fingerprint>"), m_sshd.hostKeyFingerprint());
        return script;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_sshd.available()) {
            QSKIP(qPrintable(m_sshd.unavailableReason()));
        }
        QString error;
        QVERIFY2(m_fake.install(&error), qPrintable(error));
        m_sshd.setSessionEnv(QStringLiteral("PATH"), m_fake.pathValue());
        QVERIFY2(m_sshd.start(&error), qPrintable(error));

        // The reader's home: the key the page names (~/.ssh/id_ed25519) and an ~/.ssh/config to import from.
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        QFile key(m_sshd.keyPath(QStringLiteral("ed25519")));
        QVERIFY(key.open(QIODevice::ReadOnly));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".ssh/id_ed25519")), key.readAll(),
                          QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".ssh/config")),
                          "Host spark-1\n  HostName 203.0.113.10\n  User user\n\n"
                          "Host lab-node\n  HostName 203.0.113.21\n  User user\n",
                          QFile::ReadOwner | QFile::WriteOwner));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "SSH_AUTH_SOCK"}) {
            env.remove(QString::fromLatin1(name));
        }
        env.insert(QStringLiteral("API_SERVER_KEY"), m_token);
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral(".local/share")));
        m_gpudeck.setProcessEnvironment(env);
        m_gpudeck.setProcessChannelMode(QProcess::MergedChannels);
        m_gpudeck.start(QStringLiteral(GPUDECK_EXECUTABLE),
                        {QStringLiteral("--headless"), QStringLiteral("--data-dir"), m_data.path(),
                         QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY2(m_gpudeck.waitForStarted(10000), qPrintable(m_gpudeck.errorString()));
        const QRegularExpression listening(QStringLiteral("API listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                m_log += m_gpudeck.readAll();
                const auto m = listening.match(QString::fromUtf8(m_log));
                m_port = m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
                return m_port != 0 || m_gpudeck.state() == QProcess::NotRunning;
            }(),
            20000);
        QVERIFY2(m_port != 0, m_log.constData());
    }

    void cleanupTestCase()
    {
        if (m_gpudeck.state() != QProcess::NotRunning) {
            m_gpudeck.terminate();
            if (!m_gpudeck.waitForFinished(15000)) {
                m_gpudeck.kill();
                m_gpudeck.waitForFinished(5000);
            }
        }
    }

    void substitutionsAreExact()
    {
        // The page must not name a port, token or host the table does not cover.
        QFile doc(QStringLiteral(GPUDECK_API_DOC));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QList<Example> examples = extractExamples(QString::fromUtf8(doc.readAll()));
        QVERIFY2(examples.size() > 40, "docs/api.md has fewer curl examples than expected: is the parser broken?");
        for (const Example &e : examples) {
            QVERIFY2(!e.script.contains(QStringLiteral("localhost:3939")),
                     qPrintable(QStringLiteral("line %1: use http://127.0.0.1:3939").arg(e.line)));
        }
    }

    void examplesRunTopToBottom()
    {
        QFile doc(QStringLiteral(GPUDECK_API_DOC));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QList<Example> examples = extractExamples(QString::fromUtf8(doc.readAll()));
        QStringList failures;
        int ran = 0;
        int skipped = 0;
        static const QRegularExpression statusMark(QStringLiteral("@@status (\\d{3})"));
        for (const Example &e : examples) {
            if (!e.skipReason.isEmpty()) {
                ++skipped;
                qInfo().noquote() << QStringLiteral("docs/api.md:%1 skipped: %2").arg(e.line).arg(e.skipReason);
                continue;
            }
            ++ran;
            const QString script =
                QStringLiteral(
                    "set -e -o pipefail\n"
                    "curl() { command curl --max-time 30 \"$@\" -w '%{stderr}\\n@@status %{http_code}\\n'; }\n") +
                substitute(e.script) + QLatin1Char('\n');
            QProcess bash;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("TOKEN"), m_token);
            env.insert(QStringLiteral("HOME"), m_home.path());
            bash.setProcessEnvironment(env);
            bash.setWorkingDirectory(m_home.path());
            bash.start(QStringLiteral("bash"), {QStringLiteral("-c"), script});
            QVERIFY(bash.waitForStarted(5000));
            const bool finished = bash.waitForFinished(90000);
            const QString out = QString::fromUtf8(bash.readAllStandardOutput());
            const QString err = QString::fromUtf8(bash.readAllStandardError());
            QList<int> statuses;
            for (auto it = statusMark.globalMatch(err); it.hasNext();) {
                statuses << it.next().captured(1).toInt();
            }
            QStringList problems;
            if (!finished) {
                bash.kill();
                bash.waitForFinished(5000);
                problems << QStringLiteral("did not finish within 90 s");
            }
            for (int i = 0; i < statuses.size(); ++i) {
                const int got = statuses.at(i);
                if (i < e.expected.size() ? got != e.expected.at(i) : (got < 200 || got >= 400)) {
                    problems << QStringLiteral("call %1 answered %2, the page says %3")
                                    .arg(i + 1)
                                    .arg(got)
                                    .arg(i < e.expected.size() ? QString::number(e.expected.at(i))
                                                               : QStringLiteral("success (no answer shown)"));
                }
            }
            if (statuses.size() < e.expected.size()) {
                problems << QStringLiteral("%1 call(s) answered, the page shows %2 answer(s)")
                                .arg(statuses.size())
                                .arg(e.expected.size());
            }
            if (finished && (bash.exitStatus() != QProcess::NormalExit || bash.exitCode() != 0)) {
                problems << QStringLiteral("the block exited with %1").arg(bash.exitCode());
            }
            QStringList shown;
            for (const int s : statuses) {
                shown << QString::number(s);
            }
            qInfo().noquote() << QStringLiteral("docs/api.md:%1 %2 -> %3%4")
                                     .arg(e.line)
                                     .arg(e.heading, shown.join(QLatin1Char(' ')),
                                          problems.isEmpty() ? QString() : QStringLiteral("  FAILED"));
            if (qEnvironmentVariableIsSet("GPUDECK_EXAMPLES_SHOW")) {
                qInfo().noquote() << out.trimmed();
            }
            if (!problems.isEmpty()) {
                failures << QStringLiteral("docs/api.md:%1 (%2): %3\n  output: %4\n  stderr: %5")
                                .arg(e.line)
                                .arg(e.heading, problems.join(QStringLiteral("; ")), out.left(600).trimmed(),
                                     err.left(600).trimmed());
            }
        }
        qInfo().noquote()
            << QStringLiteral("%1 examples run, %2 skipped, %3 failed").arg(ran).arg(skipped).arg(failures.size());
        QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("\n") + failures.join(QStringLiteral("\n"))));
    }
};

QTEST_GUILESS_MAIN(TestApiExamples)
#include "tst_api_examples.moc"
