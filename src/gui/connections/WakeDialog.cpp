#include "connections/WakeDialog.h"

#include "app/Core.h"
#include "store/Entities.h"
#include "wol/WakeService.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

QString phaseText(const QString &phase)
{
    if (phase == QStringLiteral("cluster")) {
        return WakeDialog::tr("Asking the Proxmox cluster to wake it…");
    }
    if (phase == QStringLiteral("waiting")) {
        return WakeDialog::tr("Magic packet sent; waiting for SSH to answer…");
    }
    if (phase == QStringLiteral("connecting")) {
        return WakeDialog::tr("Awake; connecting…");
    }
    return WakeDialog::tr("Starting…");
}

} // namespace

WakeDialog::WakeDialog(Core &core, const Connection &connection, QWidget *parent)
    : QDialog(parent)
    , m_core(core)
    , m_connectionId(connection.id)
    , m_name(connection.name)
    , m_phase(new QLabel(this))
    , m_details(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_button(new QPushButton(tr("Cancel"), this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("wakeDialog"));
    setWindowTitle(tr("Wake %1").arg(connection.name));
    setAttribute(Qt::WA_DeleteOnClose);
    m_phase->setObjectName(QStringLiteral("wakePhaseLabel"));
    m_phase->setWordWrap(true);
    m_details->setObjectName(QStringLiteral("wakeDetailsLabel"));
    m_details->setWordWrap(true);
    m_details->setForegroundRole(QPalette::PlaceholderText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bar->setObjectName(QStringLiteral("wakeProgressBar"));
    m_bar->setTextVisible(false);
    m_button->setObjectName(QStringLiteral("wakeCancelButton"));
    connect(m_button, &QPushButton::clicked, this, &WakeDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        new QLabel(tr("<b>%1</b> (MAC %2)").arg(connection.name.toHtmlEscaped(), connection.macAddress), this));
    layout->addWidget(m_phase);
    layout->addWidget(m_bar);
    layout->addWidget(m_details);
    layout->addWidget(m_button, 0, Qt::AlignRight);
    setMinimumWidth(420);
    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &WakeDialog::showProgress);
}

WakeDialog::~WakeDialog()
{
    if (m_running) {
        m_core.wake().cancel(m_connectionId);
    }
}

void WakeDialog::start(int timeoutMs)
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_running = true;
    WakeOptions options;
    if (timeoutMs > 0) {
        options.timeoutMs = timeoutMs;
    }
    m_bar->setRange(0, options.timeoutMs);
    m_phase->setText(phaseText(QStringLiteral("starting")));
    m_tick->start();
    // The future finishes on the wake thread; the answer is shown on this one (or dropped if the dialog is gone).
    m_core.wake().wake(QString::number(m_connectionId), options).then(this, [this](const Result<WakeOutcome> &outcome) {
        showOutcome(outcome);
    });
}

void WakeDialog::showProgress()
{
    const auto p = m_core.wake().progress(m_connectionId);
    if (!p) {
        return;
    }
    if (p->timeoutMs > 0) {
        m_bar->setRange(0, int(p->timeoutMs));
        m_bar->setValue(int(qMin(p->elapsedMs, p->timeoutMs)));
    }
    m_phase->setText(phaseText(p->phase));
    m_details->setText(tr("%1 s of %2 s · %n packet(s) sent to %3", nullptr, p->packetsSent)
                           .arg(p->elapsedMs / 1000)
                           .arg(p->timeoutMs / 1000)
                           .arg(p->targets.isEmpty() ? tr("—") : p->targets.join(QStringLiteral(", "))));
}

void WakeDialog::showOutcome(const Result<WakeOutcome> &outcome)
{
    m_running = false;
    m_tick->stop();
    m_button->setText(tr("Close"));
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/wake/:id"),
                             QString::number(m_connectionId), outcome.ok() ? Status() : Status(outcome.error()));
    if (!outcome.ok()) {
        m_bar->setRange(0, 1);
        m_bar->setValue(0);
        m_phase->setText(tr("Could not wake %1: %2").arg(m_name, outcome.error().message));
        m_details->clear();
        return;
    }
    const WakeOutcome &o = outcome.value();
    m_bar->setRange(0, 1);
    m_bar->setValue(o.outcome == QStringLiteral("awake") ? 1 : 0);
    QString text;
    if (o.outcome == QStringLiteral("awake")) {
        text = tr("%1 is awake (after %2 s).").arg(m_name).arg(double(o.elapsedMs) / 1000.0, 0, 'f', 1);
        if (o.connected) {
            text +=
                QLatin1Char(' ') + (*o.connected ? tr("Connected.") : tr("Connecting failed: %1").arg(o.connectError));
        }
    } else if (o.outcome == QStringLiteral("timeout")) {
        text = tr("%1 did not answer within %2 s.").arg(m_name).arg(o.elapsedMs / 1000);
    } else if (o.outcome == QStringLiteral("cancelled")) {
        text = tr("Stopped waiting for %1.").arg(m_name);
    } else {
        text = tr("Magic packet sent to %1.").arg(m_name);
    }
    m_phase->setText(text);
    QStringList facts{tr("%n packet(s) sent", nullptr, o.packetsSent)};
    if (!o.targets.isEmpty()) {
        facts << tr("to %1").arg(o.targets.join(QStringLiteral(", ")));
    }
    if (o.via == QStringLiteral("cluster")) {
        facts << tr("woken by its Proxmox cluster");
    }
    if (!o.clusterError.isEmpty()) {
        facts << tr("the cluster could not: %1").arg(o.clusterError);
    }
    if (!o.sendErrors.isEmpty()) {
        facts << tr("not sent: %1").arg(o.sendErrors.join(QStringLiteral("; ")));
    }
    m_details->setText(facts.join(QStringLiteral(" · ")));
    Q_EMIT finished(o);
}

QString WakeDialog::outcomeText() const
{
    return m_phase->text();
}

void WakeDialog::reject()
{
    if (m_running) {
        m_core.wake().cancel(m_connectionId); // the outcome ("cancelled") arrives and is shown
        return;
    }
    QDialog::reject();
}

} // namespace gpudeck
