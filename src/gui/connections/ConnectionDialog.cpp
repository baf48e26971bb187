#include "connections/ConnectionDialog.h"

#include "Labels.h"
#include "secrets/ConnectionSecrets.h"
#include "store/ConnectionRepository.h"
#include "ui_ConnectionDialog.h"
#include "wol/MacAddress.h"

#include <QDir>
#include <QFileDialog>
#include <QPointer>
#include <QPushButton>

namespace gpudeck {

ConnectionDialog::ConnectionDialog(ConnectionRepository &repository, ConnectionSecrets &secrets,
                                   const Connection &connection, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectionDialog>())
    , m_repository(repository)
    , m_secrets(secrets)
    , m_connection(connection)
{
    m_ui->setupUi(this);
    setupFields();
    load(connection);
    setWindowTitle(connection.id == 0 ? tr("Add connection") : tr("Edit connection %1").arg(connection.name));
}

ConnectionDialog::~ConnectionDialog() = default;

void ConnectionDialog::setupFields()
{
    Labels::fill(m_ui->kindCombo, Connection::kinds(), &Labels::connectionKind);
    Labels::fill(m_ui->authCombo, Connection::authMethods(), &Labels::authMethod);
    m_errors = std::make_unique<FormErrors>(m_ui->errorLabel);
    m_errors->addField(QStringLiteral("name"), m_ui->nameEdit);
    m_errors->addField(QStringLiteral("hostname"), m_ui->hostnameEdit);
    m_errors->addField(QStringLiteral("port"), m_ui->portSpin);
    m_errors->addField(QStringLiteral("username"), m_ui->usernameEdit);
    m_errors->addField(QStringLiteral("kind"), m_ui->kindCombo);
    m_errors->addField(QStringLiteral("auth_method"), m_ui->authCombo);
    m_errors->addField(QStringLiteral("ssh_key_path"), m_ui->keyPathEdit);
    m_errors->addField(QStringLiteral("mac_address"), m_ui->macEdit);
    m_errors->addField(QStringLiteral("secret"), m_ui->secretEdit);
    m_errors->addField(QStringLiteral("wol_broadcast"), m_ui->wolBroadcastEdit);
    m_errors->addField(QStringLiteral("wol_port"), m_ui->wolPortSpin);
    m_errors->addField(QStringLiteral("wol_password"), m_ui->wolPasswordEdit);
    m_errors->addField(QStringLiteral("proxmox_token_id"), m_ui->proxmoxTokenEdit);
    m_errors->addField(QStringLiteral("proxmox_api_port"), m_ui->proxmoxPortSpin);
    m_errors->addField(QStringLiteral("proxmox_token_secret"), m_ui->proxmoxSecretEdit);
    m_errors->addField(QStringLiteral("watch"), m_ui->watchCheck);
    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_ui->authCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_ui->browseKeyButton, &QPushButton::clicked, this, &ConnectionDialog::browseKey);
    connect(m_ui->macEdit, &QLineEdit::textChanged, this, &ConnectionDialog::updateEnabledFields);
}

void ConnectionDialog::load(const Connection &c)
{
    m_ui->nameEdit->setText(c.name);
    Labels::select(m_ui->kindCombo, c.kind);
    m_ui->hostnameEdit->setText(c.hostname);
    m_ui->portSpin->setValue(c.port);
    m_ui->usernameEdit->setText(c.username);
    Labels::select(m_ui->authCombo, c.authMethod);
    m_ui->keyPathEdit->setText(c.sshKeyPath);
    m_ui->macEdit->setText(c.macAddress);
    m_ui->wolBroadcastEdit->setText(c.wolBroadcast);
    m_ui->wolPortSpin->setValue(c.wolPort);
    m_ui->proxmoxTokenEdit->setText(c.proxmoxTokenId);
    m_ui->proxmoxPortSpin->setValue(c.proxmoxApiPort);
    m_ui->watchCheck->setChecked(c.watch);
    updateEnabledFields();
}

Connection ConnectionDialog::fromFields() const
{
    // Starts from the loaded connection so fields this dialog does not show (is_active, times) survive.
    Connection c = m_connection;
    c.name = m_ui->nameEdit->text().trimmed();
    c.kind = Labels::selected(m_ui->kindCombo);
    c.hostname = m_ui->hostnameEdit->text().trimmed();
    c.port = m_ui->portSpin->value();
    c.username = m_ui->usernameEdit->text().trimmed();
    c.authMethod = Labels::selected(m_ui->authCombo);
    c.sshKeyPath = m_ui->keyPathEdit->text().trimmed();
    c.macAddress = m_ui->macEdit->text().trimmed();
    c.wolBroadcast = m_ui->wolBroadcastEdit->text().trimmed();
    c.wolPort = m_ui->wolPortSpin->value();
    c.proxmoxTokenId = m_ui->proxmoxTokenEdit->text().trimmed();
    c.proxmoxApiPort = m_ui->proxmoxPortSpin->value();
    c.watch = m_ui->watchCheck->isChecked();
    return c;
}

void ConnectionDialog::updateEnabledFields()
{
    // "This computer" runs commands as local processes: no SSH settings apply.
    const bool remote = Labels::selected(m_ui->kindCombo) != QStringLiteral("local");
    for (QWidget *w : {static_cast<QWidget *>(m_ui->hostnameEdit), static_cast<QWidget *>(m_ui->portSpin),
                       static_cast<QWidget *>(m_ui->usernameEdit), static_cast<QWidget *>(m_ui->authCombo)}) {
        w->setEnabled(remote);
    }
    // Wake-on-LAN needs a MAC address to mean anything; the Proxmox API rows only concern a Proxmox node.
    const bool wol = remote && !m_ui->macEdit->text().trimmed().isEmpty();
    m_ui->wolBroadcastEdit->setEnabled(wol);
    m_ui->wolPortSpin->setEnabled(wol);
    m_ui->wolPasswordEdit->setEnabled(wol);
    m_ui->wolPasswordEdit->setPlaceholderText(m_connection.id != 0 ? tr("Leave empty to keep the stored one")
                                                                   : tr("Rarely needed; e.g. 01:02:03:04:05:06"));
    const bool proxmox = Labels::selected(m_ui->kindCombo) == QStringLiteral("proxmox");
    m_ui->formLayout->setRowVisible(m_ui->proxmoxTokenEdit, proxmox);
    m_ui->formLayout->setRowVisible(m_ui->proxmoxPortSpin, proxmox);
    m_ui->formLayout->setRowVisible(m_ui->proxmoxSecretEdit, proxmox);
    m_ui->proxmoxSecretEdit->setPlaceholderText(m_connection.id != 0 ? tr("Leave empty to keep the stored secret")
                                                                     : tr("Stored in the system keychain"));

    const bool key = remote && Labels::selected(m_ui->authCombo) == QStringLiteral("key");
    m_ui->keyPathEdit->setEnabled(key);
    m_ui->browseKeyButton->setEnabled(key);

    const QString secret = secretKind();
    m_ui->formLayout->setRowVisible(m_ui->secretEdit, !secret.isEmpty());
    const bool editing = m_connection.id != 0;
    if (secret == QStringLiteral("password")) {
        m_ui->secretLabel->setText(tr("Pass&word:"));
        m_ui->secretEdit->setPlaceholderText(editing ? tr("Leave empty to keep the stored password")
                                                     : tr("Stored in the system keychain"));
    } else if (secret == QStringLiteral("key")) {
        m_ui->secretLabel->setText(tr("Key pass&phrase:"));
        m_ui->secretEdit->setPlaceholderText(editing ? tr("Leave empty to keep the stored passphrase")
                                                     : tr("Only if the key file has one"));
    }
}

QString ConnectionDialog::secretKind() const
{
    if (Labels::selected(m_ui->kindCombo) == QStringLiteral("local")) {
        return {};
    }
    const QString auth = Labels::selected(m_ui->authCombo);
    return auth == QStringLiteral("password") || auth == QStringLiteral("key") ? auth : QString();
}

void ConnectionDialog::focusSecret()
{
    m_ui->secretEdit->setFocus(Qt::OtherFocusReason);
}

void ConnectionDialog::browseKey()
{
    const QString start =
        m_ui->keyPathEdit->text().isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh") : m_ui->keyPathEdit->text();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose an SSH private key"), start);
    if (!path.isEmpty()) {
        m_ui->keyPathEdit->setText(path);
    }
}

void ConnectionDialog::accept()
{
    if (m_saving) {
        return;
    }
    m_errors->clear();
    QList<PendingSecret> secrets;
    const QString wolPassword = m_ui->wolPasswordEdit->text().trimmed();
    if (m_ui->wolPasswordEdit->isEnabled() && !wolPassword.isEmpty()) {
        // Checked before anything is saved, as the credentials route does; the message never repeats the text.
        const auto bytes = MacAddress::parse(wolPassword);
        if (!bytes) {
            m_errors->show(Error::validation(QStringLiteral("wol_password"),
                                             tr("The SecureOn password must be %1").arg(MacAddress::notationsHint())));
            return;
        }
        secrets.append({SecretKind::WolPassword, MacAddress::format(*bytes), tr("SecureOn password"),
                        QStringLiteral("wol_password")});
    }
    const Connection c = fromFields();
    Result<Connection> saved = c.id == 0 ? m_repository.create(c) : m_repository.update(c);
    if (!saved.ok()) {
        m_errors->show(saved.error());
        return;
    }
    m_connection = saved.value();
    if (!secretKind().isEmpty() && !m_ui->secretEdit->text().isEmpty()) {
        const bool password = secretKind() == QStringLiteral("password");
        secrets.append({password ? SecretKind::Password : SecretKind::KeyPassphrase, m_ui->secretEdit->text(),
                        password ? tr("password") : tr("key passphrase"), QStringLiteral("secret")});
    }
    if (m_connection.kind == QStringLiteral("proxmox") && !m_ui->proxmoxSecretEdit->text().isEmpty()) {
        secrets.append({SecretKind::ProxmoxTokenSecret, m_ui->proxmoxSecretEdit->text(), tr("API token secret"),
                        QStringLiteral("proxmox_token_secret")});
    }
    // Not kept on screen either, whatever the keychain says.
    m_ui->secretEdit->clear();
    m_ui->proxmoxSecretEdit->clear();
    m_ui->wolPasswordEdit->clear();
    if (!secrets.isEmpty()) {
        storeSecrets(secrets); // accepts once the keychain took them all
        return;
    }
    QDialog::accept();
}

void ConnectionDialog::reject()
{
    // The keychain is answering; closing now would leave the user not knowing whether it kept the secret.
    if (!m_saving) {
        QDialog::reject();
    }
}

void ConnectionDialog::setSaving(bool saving)
{
    m_saving = saving;
    m_ui->buttonBox->setEnabled(!saving);
    m_ui->secretEdit->setEnabled(!saving);
    m_ui->proxmoxSecretEdit->setEnabled(!saving);
    m_ui->wolPasswordEdit->setEnabled(!saving);
    if (saving) {
        // The keychain may be asking its own question (unlock) meanwhile: say what is being waited for.
        m_ui->secretEdit->setPlaceholderText(tr("Saving to the system keychain…"));
    } else {
        updateEnabledFields(); // restores the placeholder
    }
}

void ConnectionDialog::storeSecrets(QList<PendingSecret> secrets)
{
    setSaving(true);
    const PendingSecret next = secrets.takeFirst();
    QPointer<ConnectionDialog> self(this);
    m_secrets.write(m_connection.id, next.kind, next.secret, [self, next, rest = secrets](Status stored) {
        if (!self) {
            return;
        }
        if (!stored.ok()) {
            self->setSaving(false);
            // The connection itself is saved (the dialog now edits it); only this secret (and those after it) is
            // missing.
            Error error = stored.error();
            error.field = next.field;
            error.message =
                tr("The connection was saved, but the %1 was not: %2").arg(next.what, stored.error().message);
            error.code = ErrorCode::Validation; // shown as it is, already worded
            self->m_errors->show(error);
            self->setWindowTitle(tr("Edit connection %1").arg(self->m_connection.name));
            return;
        }
        Q_EMIT self->secretStored(next.what);
        if (!rest.isEmpty()) {
            self->storeSecrets(rest);
            return;
        }
        self->setSaving(false);
        self->QDialog::accept();
    });
}

} // namespace gpudeck
