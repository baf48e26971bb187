#pragma once

#include "FormErrors.h"
#include "store/Entities.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ConnectionDialog;
}

namespace gpudeck {

class ConnectionRepository;

// Adds or edits a connection. Saving goes through the repository, the same code the API uses; when the
// repository refuses (invalid field, duplicate name), its message is shown inline and the dialog stays open.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    // Adds a new connection when `connection.id` is 0, otherwise edits that connection.
    ConnectionDialog(ConnectionRepository &repository, const Connection &connection, QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // The connection as saved, once the dialog was accepted.
    const Connection &saved() const { return m_connection; }
    qint64 savedId() const { return m_connection.id; }

public Q_SLOTS:
    void accept() override;

private:
    void setupFields();
    void load(const Connection &connection);
    Connection fromFields() const;
    void updateEnabledFields();
    void browseKey();

    std::unique_ptr<Ui::ConnectionDialog> m_ui;
    ConnectionRepository &m_repository;
    Connection m_connection;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
