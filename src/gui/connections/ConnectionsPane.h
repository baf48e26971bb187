#pragma once

#include "Confirm.h"
#include "connections/ConnectionsModel.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTimer;

namespace gpudeck {

class ConnectionDialog;
class ConsoleDialog;
class WelcomePanel;
class Core;
class HostKeyDialog;
class RecordTable;
class SshImportDialog;
class WakeDialog;
struct Connection;
struct Error;

// The Connections pane: every connection in a table with its live link state, Add / Edit / Delete, Connect /
// Disconnect, Connect all / Disconnect all, Run command…, and Import from SSH config…; below the table, the selected
// connection's link in detail (since when, host key, last error) with a busy bar and Cancel while it connects. Reloads
// whenever the store says connections changed, whoever changed them (this window or the API). Connecting never blocks:
// SshPool answers with a future, continued on this pane. A connect that stops at the host key asks the user.
class ConnectionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPane(Core &core, QWidget *parent = nullptr);
    ~ConnectionsPane() override;

    // Reads the connections and their links again (View ▸ Refresh, F5).
    void refresh() { reload(); }

    // Open the dialog without blocking (window-modal) and return it; it deletes itself when closed.
    ConnectionDialog *addConnection();
    ConnectionDialog *editConnection(qint64 id);
    // The edit dialog with the cursor in its password / passphrase field.
    ConnectionDialog *setCredentials(qint64 id);
    // Asks for confirmation, then deletes; offers to delete the connection's projects too when it has any.
    // Like the API, a deleted connection keeps no link and no stored secrets.
    void deleteConnection(qint64 id);

    // Starts connecting and returns at once; the state column follows. `acceptFingerprint` trusts that host key.
    void connectTo(qint64 id, const QString &acceptFingerprint = {});
    // Disconnects, or cancels a connect under way.
    void disconnectFrom(qint64 id);
    // Connects every connection not connected yet, in parallel; the status bar says how it went.
    void connectAll();
    // Asks first (monitoring of every host stops), then closes every link.
    void disconnectAll();
    LinkView link(qint64 id) const;
    // The host-key question open for that connection, if any.
    HostKeyDialog *hostKeyDialog(qint64 id) const;
    // Shows (creating it the first time) the console of a connection; it is kept, with its history, until the
    // connection is deleted.
    ConsoleDialog *openConsole(qint64 id);
    // Opens the import dialog (window-modal, deletes itself when closed). `path` empty: ~/.ssh/config.
    SshImportDialog *importFromSshConfig(const QString &path = {});
    // Wakes the host (Wake-on-LAN) in a progress dialog with Cancel (non-modal, deletes itself when closed; a second
    // call while it runs shows the same one). nullptr when the connection cannot be woken (no MAC, local).
    // `timeoutMs` 0: the default deadline.
    WakeDialog *wake(qint64 id, int timeoutMs = 0);

    // How this pane and its dialogs ask yes/no questions (Confirm::ask unless a test answers instead).
    void setQuestion(Confirm::Question question);

    // Fills the window's Connections menu.
    void addMenuActions(QMenu *menu) const;

    qint64 selectedId() const;
    void select(qint64 id);
    RecordTable *view() const { return m_view; }

Q_SIGNALS:
    // A short note for the status bar.
    void message(const QString &text);

private:
    void buildActions();
    void buildUi();
    QWidget *buildDetails();
    void reload();
    void updateButtons();
    void updateDetails();
    void showContextMenu(const QPoint &pos);
    void refreshLink(qint64 id);
    void connectFailed(const Connection &connection, const Error &error);
    void askHostKey(const Connection &connection, const Error &error);
    void forgetHostKeyAndRetry(const Connection &connection);
    void showWarning(const QString &title, const QString &text);
    void edited(const Connection &before, const Connection &after);
    ConnectionDialog *openDialog(const Connection &connection);

    Core &m_core;
    ConnectionsModel *m_model;
    RecordTable *m_view = nullptr;
    WelcomePanel *m_welcome = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_editButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_disconnectButton = nullptr;
    QPushButton *m_consoleButton = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_connectAllButton = nullptr;
    QPushButton *m_disconnectAllButton = nullptr;

    QAction *m_addAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_consoleAction = nullptr;
    QAction *m_credentialsAction = nullptr;
    QAction *m_wakeAction = nullptr;
    QPushButton *m_wakeButton = nullptr;
    QHash<qint64, QPointer<WakeDialog>> m_wakeDialogs;
    QAction *m_connectAllAction = nullptr;
    QAction *m_disconnectAllAction = nullptr;
    QTimer *m_probeClock = nullptr; // refreshes the selected link's probe times while it is down

    QWidget *m_details = nullptr;
    QLabel *m_detailsDot = nullptr;
    QLabel *m_detailsText = nullptr;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QLabel *m_detailsError = nullptr;

    quint64 m_lastAttempt = 0;
    QHash<qint64, quint64> m_attempts; // connects this pane waits for, by connection: a newer one or a
                                       // Disconnect makes an older answer stale
    QHash<qint64, QPointer<ConsoleDialog>> m_consoles;
    QHash<qint64, QPointer<HostKeyDialog>> m_hostKeyDialogs;
    Confirm::Question m_question = Confirm::standard();
};

} // namespace gpudeck
