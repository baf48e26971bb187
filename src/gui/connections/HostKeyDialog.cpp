#include "connections/HostKeyDialog.h"

#include "ui_HostKeyDialog.h"

#include <QBoxLayout>
#include <QFontDatabase>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QStyle>

namespace gpudeck {

HostKeyDialog::HostKeyDialog(Mode mode, const QString &host, int port, const QString &fingerprint,
                             const QString &message, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::HostKeyDialog>())
    , m_mode(mode)
    , m_fingerprint(fingerprint)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("hostKeyDialog"));
    // IPv6 literals need brackets before the port, as in known_hosts.
    m_hostPort = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                                                 : QStringLiteral("%1:%2").arg(host).arg(port);
    m_ui->hostLabel->setText(m_hostPort);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->fingerprintEdit->setFont(fixed);
    m_ui->fingerprintEdit->setText(fingerprint);
    m_ui->verifyCommandEdit->setFont(fixed);
    m_ui->verifyCommandEdit->setText(verifyCommand());
    m_ui->verifyCommandEdit->setCursorPosition(0);

    QFont heading = m_ui->headingLabel->font();
    heading.setBold(true);
    heading.setPointSizeF(heading.pointSizeF() * 1.15);
    m_ui->headingLabel->setFont(heading);

    if (mode == Mode::Unknown) {
        setupUnknown(m_hostPort);
    } else {
        setupChanged(m_hostPort, message);
    }
    // A stray Enter must never trust a key.
    QPushButton *cancel = m_ui->buttonBox->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setDefault(true);
    cancel->setFocus();
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Wide enough for a fingerprint and the command; as tall as the wrapped texts need at that width.
    const int width = qMax(600, sizeHint().width());
    resize(width, layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : sizeHint().height());
}

HostKeyDialog::~HostKeyDialog() = default;

QString HostKeyDialog::verifyCommand()
{
    return QStringLiteral("for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf \"$f\"; done");
}

void HostKeyDialog::setupUnknown(const QString &hostPort)
{
    setWindowTitle(tr("Unknown host key"));
    const int icon = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    m_ui->iconLabel->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxQuestion, nullptr, this).pixmap(icon));
    m_ui->headingLabel->setText(tr("GPU Deck has not seen %1 before").arg(hostPort));
    m_ui->messageLabel->setText(
        tr("Before trusting it, make sure this is really your host: anyone between you and it could present "
           "their own key. Once trusted, the key is remembered and checked on every connect."));
    m_ui->verifyLabel->setText(tr("To check, run this on the host itself (at its console, or over a connection you "
                                  "already trust):"));
    m_ui->verifyHintLabel->setText(tr("One of the lines it prints must show exactly the fingerprint above. "
                                      "If none does, do not connect."));
    m_trustButton = m_ui->buttonBox->addButton(tr("&Trust and connect"), QDialogButtonBox::AcceptRole);
    m_trustButton->setObjectName(QStringLiteral("trustButton"));
    m_trustButton->setAutoDefault(false);
    connect(m_trustButton, &QPushButton::clicked, this, &HostKeyDialog::accept);
}

void HostKeyDialog::setupChanged(const QString &hostPort, const QString &message)
{
    setWindowTitle(tr("Host key changed"));
    const int icon = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    m_ui->iconLabel->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this).pixmap(icon));
    m_ui->headingLabel->setText(tr("WARNING: the host key of %1 has changed").arg(hostPort));
    m_ui->headingLabel->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_ui->messageLabel->setText(message);
    m_ui->fingerprintCaption->setText(tr("New &fingerprint:"));
    m_ui->verifyLabel->setText(
        tr("GPU Deck refused to connect. If you know why the key changed (the host was reinstalled, its keys "
           "were regenerated), check the new key by running this on the host itself:"));
    m_ui->verifyHintLabel->setText(tr("Only when one of its lines shows exactly the new fingerprint above, forget "
                                      "the old key and trust the new one. Otherwise do not connect."));
    m_forgetButton = m_ui->buttonBox->addButton(tr("&Forget the old key…"), QDialogButtonBox::DestructiveRole);
    m_forgetButton->setObjectName(QStringLiteral("forgetButton"));
    m_forgetButton->setAutoDefault(false);
    connect(m_forgetButton, &QPushButton::clicked, this, &HostKeyDialog::forgetOldKey);
}

void HostKeyDialog::setRunPodPod(const QString &podName)
{
    if (!m_podNote) {
        m_podNote = new QLabel(this);
        m_podNote->setObjectName(QStringLiteral("podNoteLabel"));
        m_podNote->setWordWrap(true);
        m_podNote->setTextFormat(Qt::PlainText);
        m_podNote->setFrameShape(QFrame::StyledPanel);
        m_podNote->setMargin(6);
        auto *box = qobject_cast<QBoxLayout *>(layout());
        // Under the verification hint, above the spacer and the buttons.
        const int at = box ? box->indexOf(m_ui->verifyHintLabel) + 1 : -1;
        if (box && at > 0) {
            box->insertWidget(at, m_podNote);
        }
    }
    m_podNote->setText(
        m_mode == Mode::Unknown
            ? tr("%1 is a RunPod pod. A pod gets a new host key (and SSH port) every time it starts, so GPU Deck "
                 "trusts the key it first sees for each run of the pod (trust on first use) and expects another one "
                 "after the pod is stopped and started or restarted. Check the fingerprint in the pod's web terminal "
                 "if you can.")
                  .arg(podName)
            : tr("%1 is a RunPod pod. A pod gets a new host key every time it starts, and GPU Deck trusts the new one "
                 "on first use for each run, so a restart alone never brings you here: this key changed while the "
                 "pod kept running. If you did not restart it, do not connect; restarting the pod starts a new run "
                 "with a new key.")
                  .arg(podName));
    const int width = qMax(600, this->width());
    resize(width, layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : sizeHint().height());
}

QString HostKeyDialog::acceptedFingerprint() const
{
    return m_mode == Mode::Unknown && result() == Trusted ? m_fingerprint : QString();
}

void HostKeyDialog::accept()
{
    if (m_mode != Mode::Unknown) {
        return; // a changed key is never trusted from here: the old one has to be forgotten first
    }
    QDialog::accept();
}

void HostKeyDialog::forgetOldKey()
{
    if (m_mode != Mode::Changed) {
        return;
    }
    const QString text = tr("Forget the old host key of %1?\n\nGPU Deck then connects again and shows you the new "
                            "key to check and trust. Do this only if you know why the key changed.")
                             .arg(m_hostPort);
    if (!m_question(this, tr("Forget the old host key"), text, tr("Forget the old key"))) {
        return;
    }
    done(ForgetOldKey);
}

} // namespace gpudeck
