#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace gpudeck {

class ConnectionDialog;
class ConnectionsModel;
class Core;
class RecordTable;
struct Connection;

// The Connections pane: every connection in a table with Add, Edit and Delete. Reloads whenever the store
// says connections changed, whoever changed them (this window or the API).
class ConnectionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPane(Core &core, QWidget *parent = nullptr);

    // Open the dialog without blocking (window-modal) and return it; it deletes itself when closed.
    ConnectionDialog *addConnection();
    ConnectionDialog *editConnection(qint64 id);
    // Asks for confirmation, then deletes; offers to delete the connection's projects too when it has any.
    void deleteConnection(qint64 id);

    qint64 selectedId() const;
    void select(qint64 id);
    RecordTable *view() const { return m_view; }

Q_SIGNALS:
    // A short note for the status bar.
    void message(const QString &text);

private:
    void buildUi();
    void reload();
    void updateButtons();
    ConnectionDialog *openDialog(const Connection &connection);

    Core &m_core;
    ConnectionsModel *m_model;
    RecordTable *m_view = nullptr;
    QLabel *m_emptyHint = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_editButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
};

} // namespace gpudeck
