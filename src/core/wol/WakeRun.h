#pragma once

#include "Result.h"
#include "store/Entities.h"
#include "wol/ClusterWaker.h"
#include "wol/WakeTargets.h"
#include "wol/WakeTypes.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QTimer>
#include <memory>

class QTcpSocket;
class QUdpSocket;

namespace gpudeck {

class ConnectionSecrets;
class SshPool;
class WakeService;

// The root object of the wake thread: the runs are its children.
class WakeWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
};

// One wake of one connection, on the wake thread: SecureOn password and address first, then the cluster or the
// magic packets, the SSH-port probes, the deadline, the connect. Deletes itself when it has answered.
class WakeRun : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        Connection connection;
        QByteArray mac;
        QString wolBroadcast; // empty: the default destinations (wakeTargets)
        quint16 wolPort = 9;
        bool watched = true;
        WakeOptions options;
        WakeService *service = nullptr;
        SshPool *ssh = nullptr;
        ConnectionSecrets *secrets = nullptr;
        ClusterWaker clusterWaker;
        std::shared_ptr<QPromise<Result<WakeOutcome>>> promise;
    };

    WakeRun(Setup setup, QObject *parent);
    ~WakeRun() override;

    qint64 connectionId() const { return m_setup.connection.id; }
    void start();
    void cancel();

private:
    void secretRead(const Result<QString> &secret);
    void hostResolved(const QHostInfo &info);
    void maybeProceed();
    void askCluster();
    void startSending();
    void sendRound();
    void startWaiting();
    void probe();
    void probeFailed();
    void awake();
    void finish(const QString &outcome);
    void fail(const Error &error);
    void setPhase(const QString &phase);
    void report();

    Setup m_setup;
    WakeProgress m_progress;
    WakeOutcome m_outcome;
    QElapsedTimer m_clock;
    QByteArray m_secureOn;
    bool m_secretDone = false;
    bool m_hostDone = false;
    bool m_proceeded = false;
    bool m_done = false;
    int m_lookupId = -1;
    QList<QHostAddress> m_hostAddresses;
    QList<WakeTarget> m_targets;
    QUdpSocket *m_udp = nullptr;
    QTcpSocket *m_probe = nullptr;
    QByteArray m_banner;
    QTimer m_secretGuard;
    QTimer m_resend;
    QTimer m_deadline;
    QTimer m_probeTimer; // the current probe's own timeout, then the pause before the next one
};

} // namespace gpudeck
