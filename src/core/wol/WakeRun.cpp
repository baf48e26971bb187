#include "wol/WakeRun.h"

#include "secrets/ConnectionSecrets.h"
#include "ssh/SshPool.h"
#include "wol/MacAddress.h"
#include "wol/MagicPacket.h"
#include "wol/WakeService.h"
#include "wol/WolLogging.h"

#include <QTcpSocket>
#include <QUdpSocket>

namespace gpudeck {
namespace {

constexpr int kSecretTimeoutMs = 10000; // a keychain that does not answer does not hold the wake up for longer
constexpr int kProbeTimeoutMs = 5000;   // connect and banner, per probe

} // namespace

WakeRun::WakeRun(Setup setup, QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
{
    const Connection &c = m_setup.connection;
    m_progress.connectionId = m_outcome.connectionId = c.id;
    m_progress.name = m_outcome.name = c.name;
    m_progress.startedAt = m_outcome.startedAt = nowUtc();
    m_progress.timeoutMs = m_setup.options.wait ? m_setup.options.timeoutMs : 0;
    for (QTimer *t : {&m_secretGuard, &m_deadline}) {
        t->setSingleShot(true);
    }
    m_deadline.setTimerType(Qt::PreciseTimer); // a coarse timer may end the wait up to 5 % early
    m_probeTimer.setSingleShot(true);
    connect(&m_secretGuard, &QTimer::timeout, this, [this] {
        qCWarning(lcWol).noquote() << QStringLiteral("%1: the keychain did not answer for the SecureOn password "
                                                     "within %2 s; waking without one")
                                          .arg(m_setup.connection.name)
                                          .arg(kSecretTimeoutMs / 1000);
        m_secretDone = true;
        maybeProceed();
    });
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(QStringLiteral("timeout")); });
    connect(&m_resend, &QTimer::timeout, this, &WakeRun::sendRound);
    connect(&m_probeTimer, &QTimer::timeout, this, [this] {
        if (m_probe) {
            probeFailed(); // this probe took too long
        } else {
            probe();
        }
    });
}

WakeRun::~WakeRun()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
    }
    if (!m_done) {
        // The wake thread is stopping (GPU Deck quits): whoever waits hears "cancelled".
        m_done = true;
        m_outcome.outcome = QStringLiteral("cancelled");
        m_outcome.finishedAt = nowUtc();
        m_outcome.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
        m_setup.service->reportFinished(connectionId());
        m_setup.promise->addResult(Result<WakeOutcome>(m_outcome));
        m_setup.promise->finish();
    }
}

void WakeRun::start()
{
    m_clock.start();
    if (m_setup.options.wait) {
        m_deadline.start(m_setup.options.timeoutMs);
    }
    report();

    QPointer<WakeRun> self(this);
    m_secretGuard.start(kSecretTimeoutMs);
    m_setup.secrets->read(connectionId(), SecretKind::WolPassword, [self](const Result<QString> &secret) {
        if (self) {
            self->secretRead(secret);
        }
    });

    const QHostAddress literal(m_setup.connection.hostname);
    if (!m_setup.wolBroadcast.isEmpty()) {
        m_hostDone = true; // the destination is configured: the host's address does not matter
    } else if (!literal.isNull()) {
        m_hostAddresses = {literal};
        m_hostDone = true;
    } else {
        m_lookupId = QHostInfo::lookupHost(m_setup.connection.hostname, this, &WakeRun::hostResolved);
    }
    maybeProceed();
}

void WakeRun::secretRead(const Result<QString> &secret)
{
    if (m_secretDone) {
        return; // too late: already going without
    }
    m_secretGuard.stop();
    m_secretDone = true;
    if (secret.ok()) {
        const auto bytes = MacAddress::parse(secret.value());
        if (bytes) {
            m_secureOn = *bytes;
        } else {
            qCWarning(lcWol).noquote() << QStringLiteral("%1: the stored SecureOn password is not 6 bytes of hex; "
                                                         "waking without it")
                                              .arg(m_setup.connection.name);
        }
    } else if (secret.error().code != ErrorCode::NotFound) {
        qCWarning(lcWol).noquote() << QStringLiteral("%1: cannot read the SecureOn password (%2); waking without it")
                                          .arg(m_setup.connection.name, secret.error().message);
    }
    maybeProceed();
}

void WakeRun::hostResolved(const QHostInfo &info)
{
    m_lookupId = -1;
    m_hostAddresses = info.addresses(); // none when the name does not resolve: the limited broadcast still goes
    m_hostDone = true;
    maybeProceed();
}

void WakeRun::maybeProceed()
{
    if (m_done || m_proceeded || !m_secretDone || !m_hostDone) {
        return;
    }
    m_proceeded = true;
    m_outcome.secureOn = !m_secureOn.isEmpty();
    if (m_setup.connection.kind == QStringLiteral("proxmox") && m_setup.clusterWaker) {
        askCluster();
    } else {
        startSending();
    }
}

void WakeRun::askCluster()
{
    std::optional<QFuture<Status>> asked = m_setup.clusterWaker(m_setup.connection);
    if (!asked) {
        startSending();
        return;
    }
    setPhase(QStringLiteral("cluster"));
    asked
        ->then(this,
               [this](Status accepted) {
                   if (m_done) {
                       return;
                   }
                   if (!accepted.ok()) {
                       m_outcome.clusterError = accepted.error().message;
                       qCInfo(lcWol).noquote() << QStringLiteral("%1: the cluster could not wake it (%2); sending the "
                                                                 "magic packet from here")
                                                      .arg(m_setup.connection.name, accepted.error().message);
                       startSending();
                       return;
                   }
                   m_outcome.via = m_progress.via = QStringLiteral("cluster");
                   qCInfo(lcWol).noquote()
                       << QStringLiteral("%1: its Proxmox cluster is waking it").arg(m_setup.connection.name);
                   if (m_setup.options.wait) {
                       startWaiting();
                   } else {
                       finish(QStringLiteral("sent"));
                   }
               })
        .onCanceled(this, [this] {
            if (!m_done) {
                m_outcome.clusterError = QStringLiteral("the cluster's wake was cancelled");
                startSending();
            }
        });
}

void WakeRun::startSending()
{
    m_targets = wakeTargets(m_setup.wolBroadcast, m_setup.wolPort, m_hostAddresses, localSubnets());
    m_progress.targets.clear();
    for (const WakeTarget &t : std::as_const(m_targets)) {
        m_progress.targets.append(t.text());
    }
    m_outcome.targets = m_progress.targets;
    m_udp = new QUdpSocket(this);
    qCInfo(lcWol).noquote() << QStringLiteral("%1: magic packet for %2 to %3%4")
                                   .arg(m_setup.connection.name, MacAddress::format(m_setup.mac),
                                        m_progress.targets.join(QStringLiteral(", ")),
                                        m_secureOn.isEmpty() ? QString() : QStringLiteral(" (with SecureOn)"));
    sendRound();
    if (m_done) {
        return;
    }
    if (m_progress.packetsSent == 0) {
        fail(Error::make(ErrorCode::Unavailable, QStringLiteral("wol_send_failed"),
                         QStringLiteral("could not send the magic packet for %1 anywhere: %2")
                             .arg(m_setup.connection.name, m_outcome.sendErrors.join(QStringLiteral("; ")))));
        return;
    }
    if (m_setup.options.wait) {
        startWaiting();
    } else {
        finish(QStringLiteral("sent"));
    }
}

void WakeRun::sendRound()
{
    const QByteArray packet = magicPacket(m_setup.mac, m_secureOn);
    for (const WakeTarget &t : std::as_const(m_targets)) {
        if (m_udp->writeDatagram(packet, t.address, t.port) == packet.size()) {
            ++m_progress.packetsSent;
            continue;
        }
        const QString prefix = t.text() + QStringLiteral(": ");
        const bool known = std::any_of(m_outcome.sendErrors.cbegin(), m_outcome.sendErrors.cend(),
                                       [&](const QString &e) { return e.startsWith(prefix); });
        if (!known) {
            m_outcome.sendErrors.append(prefix + m_udp->errorString());
            qCInfo(lcWol).noquote()
                << QStringLiteral("%1: cannot send to %2%3").arg(m_setup.connection.name, prefix, m_udp->errorString());
        }
    }
    report();
}

void WakeRun::startWaiting()
{
    setPhase(QStringLiteral("waiting"));
    if (m_udp) {
        m_resend.start(m_setup.options.resendIntervalMs);
    }
    probe();
}

void WakeRun::probe()
{
    if (m_done) {
        return;
    }
    m_banner.clear();
    m_probe = new QTcpSocket(this);
    QTcpSocket *socket = m_probe;
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
        if (socket != m_probe) {
            return;
        }
        m_banner.append(socket->readAll());
        if (m_banner.size() < 4) {
            return;
        }
        if (m_banner.startsWith("SSH-")) {
            awake();
        } else {
            probeFailed(); // something else listens there (yet): not the host's sshd
        }
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket == m_probe) {
            probeFailed();
        }
    });
    m_probeTimer.start(kProbeTimeoutMs);
    socket->connectToHost(m_setup.connection.hostname, quint16(m_setup.connection.port));
}

void WakeRun::probeFailed()
{
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->abort();
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    if (!m_done) {
        m_probeTimer.start(m_setup.options.probeIntervalMs);
    }
}

void WakeRun::awake()
{
    m_resend.stop();
    m_deadline.stop();
    m_probeTimer.stop();
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->abort();
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    qCInfo(lcWol).noquote()
        << QStringLiteral("%1 is awake after %2 ms").arg(m_setup.connection.name).arg(m_clock.elapsed());
    if (!m_setup.options.connect || !m_setup.watched) {
        finish(QStringLiteral("awake"));
        return;
    }
    setPhase(QStringLiteral("connecting"));
    m_setup.ssh->connectTo(m_setup.connection).then(this, [this](Status connected) {
        if (m_done) {
            return;
        }
        m_outcome.connected = connected.ok();
        if (!connected.ok()) {
            m_outcome.connectError = connected.error().message;
        }
        finish(QStringLiteral("awake"));
    });
}

void WakeRun::cancel()
{
    if (m_done) {
        return;
    }
    // Once awake the wake has done its job: a cancel while connecting only stops waiting for the connect.
    finish(m_progress.phase == QStringLiteral("connecting") ? QStringLiteral("awake") : QStringLiteral("cancelled"));
}

void WakeRun::finish(const QString &outcome)
{
    if (m_done) {
        return;
    }
    m_done = true;
    for (QTimer *t : {&m_secretGuard, &m_resend, &m_deadline, &m_probeTimer}) {
        t->stop();
    }
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->abort();
    }
    m_outcome.outcome = outcome;
    m_outcome.finishedAt = nowUtc();
    m_outcome.elapsedMs = m_clock.elapsed();
    m_outcome.packetsSent = m_progress.packetsSent;
    m_outcome.targets = m_progress.targets;
    m_progress.phase = QStringLiteral("done");
    qCInfo(lcWol).noquote() << QStringLiteral("wake of %1: %2 after %3 ms, %4 packet(s)")
                                   .arg(m_setup.connection.name, outcome)
                                   .arg(m_outcome.elapsedMs)
                                   .arg(m_outcome.packetsSent);
    m_setup.service->reportFinished(connectionId());
    m_setup.promise->addResult(Result<WakeOutcome>(m_outcome));
    m_setup.promise->finish();
    Q_EMIT m_setup.service->wakeFinished(m_outcome);
    deleteLater();
}

void WakeRun::fail(const Error &error)
{
    if (m_done) {
        return;
    }
    m_done = true;
    for (QTimer *t : {&m_secretGuard, &m_resend, &m_deadline, &m_probeTimer}) {
        t->stop();
    }
    qCWarning(lcWol).noquote() << error.message;
    m_setup.service->reportFinished(connectionId());
    m_setup.promise->addResult(Result<WakeOutcome>(error));
    m_setup.promise->finish();
    m_outcome.outcome = QStringLiteral("failed");
    m_outcome.finishedAt = nowUtc();
    m_outcome.elapsedMs = m_clock.elapsed();
    Q_EMIT m_setup.service->wakeFinished(m_outcome);
    deleteLater();
}

void WakeRun::setPhase(const QString &phase)
{
    m_progress.phase = phase;
    report();
}

void WakeRun::report()
{
    m_progress.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_setup.service->reportProgress(m_progress);
}

} // namespace gpudeck
