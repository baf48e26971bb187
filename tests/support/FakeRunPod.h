#pragma once

// FakeRunPod: RunPod's REST API v2 served over plain HTTP on loopback for tests (point RUNPOD_API_BASE at baseUrl()),
// answering the paths GPU Deck uses, built from RunPod's OpenAPI description (tests/runpod/data/runpod-v2-subset.json,
// a copy of the spec): every request body is checked against its operation's request schema (a violation
// answers 422 problem+json with the errors, and is kept in violations()), and every answer the fake sends is checked
// against its response schema (kept in answerViolations(), which a test expects empty).
//
// - Auth: `Authorization: Bearer <apiKey()>`, else 401 problem+json.
// - Pods walk PROVISIONING → STARTING → RUNNING, one step every stepReads() reads of the pod (list or single), so a
//   test controls the pace by reading. A RUNNING pod created with startSsh and 22/tcp has ssh.direct pointing at the
//   test's sshd (setSshServer), whose authorized_keys then holds the account's registered keys (what startSsh does).
// - restart: the pod goes STARTING; the sshd is restarted on a NEW port with a NEW host key (on the test's thread:
//   the test's event loop must run, e.g. in QTRY_*), and the pod is RUNNING again with the new port and startedAt.
// - stop → EXITED (cost 0, no ssh.direct); start → PROVISIONING again; terminate (action or DELETE) → gone.
// - An action the pod's status does not allow: 409 problem+json whose detail names the allowed actions.
// - answer429Next(n, retryAfterS): the next n requests get 429 with Retry-After. Every answer carries RateLimit and
//   RateLimit-Policy headers.
//
// Runs on a thread of its own; every method here is thread-safe.

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <memory>

class QThread;
class QObject;

namespace gpudeck::test {

class SshServer;

class FakeRunPod
{
public:
    FakeRunPod();
    ~FakeRunPod();
    FakeRunPod(const FakeRunPod &) = delete;
    FakeRunPod &operator=(const FakeRunPod &) = delete;

    bool start(QString *error = nullptr);
    void stop();

    QString baseUrl() const;
    static QString specPath(); // the OpenAPI subset the fake is built from
    quint16 port() const { return m_port; }
    QString apiKey() const { return m_key; }

    // The sshd a RUNNING pod's ssh.direct points at. `context` lives on the sshd's (the test's) thread: restarts run
    // there, queued.
    void setSshServer(SshServer *server, QObject *context);
    void setStepReads(int reads);
    void answer429Next(int count, int retryAfterS);

    // A pod made directly (as if from RunPod's console), already in `status`, with a GPU of the catalog.
    QString addPod(const QString &name, const QString &status, bool startSsh = true);

    struct PodView
    {
        QString id;
        QString name;
        QString status;
        int sshPort = 0;
        QJsonObject createBody; // the CreatePodRequest it was made from (empty for addPod)
    };
    PodView pod(const QString &id) const; // empty id when unknown (terminated)
    QStringList podIds() const;
    QStringList accountKeys() const; // GET /v2/account/ssh-keys
    void setAccountKeys(const QStringList &keys);

    QStringList requests() const;         // "METHOD /path"
    QStringList violations() const;       // request bodies that broke the schema
    QStringList answerViolations() const; // answers of the fake that broke the schema (a fake bug)
    int unauthorized() const;
    int rateLimited() const; // 429s sent

    struct State;

private:
    std::shared_ptr<State> m_state;
    std::unique_ptr<QThread> m_thread;
    quint16 m_port = 0;
    QString m_key;
};

} // namespace gpudeck::test
