#pragma once

#include "FormErrors.h"
#include "secrets/ConnectionSecrets.h"
#include "store/Entities.h"

#include <QDialog>
#include <memory>

namespace Ui {
class ConnectionDialog;
}

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;

// Adds or edits a connection. Saving goes through the repository, the same code the API uses; when the
// repository refuses (invalid field, duplicate name), its message is shown inline and the dialog stays open.
// A password (auth "password"), key passphrase (auth "key") or Proxmox API token secret typed here goes to the
// system keychain once the connection is saved, like PUT /api/dgx/connections/:id/credentials; the fields are
// cleared right after, and the secrets are never put anywhere else.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    // Adds a new connection when `connection.id` is 0, otherwise edits that connection.
    ConnectionDialog(ConnectionRepository &repository, ConnectionSecrets &secrets, const Connection &connection,
                     QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // The connection as saved, once the dialog was accepted.
    const Connection &saved() const { return m_connection; }
    qint64 savedId() const { return m_connection.id; }
    // For "Set password / passphrase…": puts the cursor in the secret field.
    void focusSecret();
    // True while the secret is being written to the keychain.
    bool isSaving() const { return m_saving; }

public Q_SLOTS:
    void accept() override;
    void reject() override;

Q_SIGNALS:
    // The keychain took the secret.
    void secretStored(const QString &what);

private:
    void setupFields();
    void load(const Connection &connection);
    Connection fromFields() const;
    void updateEnabledFields();
    void browseKey();
    QString secretKind() const; // "password", "key" or empty when the auth method takes no secret
    struct PendingSecret
    {
        SecretKind kind = SecretKind::Password;
        QString secret;
        QString what;  // in words, for messages
        QString field; // the form field an error is shown at
    };
    void storeSecrets(QList<PendingSecret> secrets); // one after the other; accepts once all are stored
    void setSaving(bool saving);

    std::unique_ptr<Ui::ConnectionDialog> m_ui;
    ConnectionRepository &m_repository;
    ConnectionSecrets &m_secrets;
    Connection m_connection;
    std::unique_ptr<FormErrors> m_errors;
    bool m_saving = false;
};

} // namespace gpudeck
