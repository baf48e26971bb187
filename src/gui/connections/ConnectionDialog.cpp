#include "connections/ConnectionDialog.h"

#include "Labels.h"
#include "store/ConnectionRepository.h"
#include "ui_ConnectionDialog.h"

#include <QDir>
#include <QFileDialog>
#include <QPushButton>

namespace gpudeck {

ConnectionDialog::ConnectionDialog(ConnectionRepository &repository, const Connection &connection, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectionDialog>())
    , m_repository(repository)
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
    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_ui->authCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_ui->browseKeyButton, &QPushButton::clicked, this, &ConnectionDialog::browseKey);
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
    const bool key = remote && Labels::selected(m_ui->authCombo) == QStringLiteral("key");
    m_ui->keyPathEdit->setEnabled(key);
    m_ui->browseKeyButton->setEnabled(key);
}

void ConnectionDialog::browseKey()
{
    const QString start = m_ui->keyPathEdit->text().isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh")
                                                              : m_ui->keyPathEdit->text();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose an SSH private key"), start);
    if (!path.isEmpty()) {
        m_ui->keyPathEdit->setText(path);
    }
}

void ConnectionDialog::accept()
{
    m_errors->clear();
    const Connection c = fromFields();
    Result<Connection> saved = c.id == 0 ? m_repository.create(c) : m_repository.update(c);
    if (!saved.ok()) {
        m_errors->show(saved.error());
        return;
    }
    m_connection = saved.value();
    QDialog::accept();
}

} // namespace gpudeck
