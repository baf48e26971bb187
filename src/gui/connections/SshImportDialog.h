#pragma once

#include "Result.h"
#include "ssh/ConnectionImport.h"

#include <QDialog>
#include <QHash>
#include <QSet>
#include <memory>

class QPushButton;
class QTreeWidgetItem;

namespace Ui {
class SshImportDialog;
}

namespace gpudeck {

class ConnectionRepository;

// "Import from SSH config…": lists the Host entries of an OpenSSH client config (a dry run of the same
// importSshConfig() as POST /api/dgx/connections/import), each with a checkbox; Import creates the checked
// ones and says what was created and what was skipped. Hosts whose name is taken, further aliases of one machine
// and hosts behind a jump host are shown with the reason, not offered; a host whose address a connection already
// has is offered unchecked. What the user checked or unchecked is kept across a reload and an import.
// Reading a local config file is quick, so this runs on the GUI thread.
class SshImportDialog : public QDialog
{
    Q_OBJECT
public:
    // `path` empty: ~/.ssh/config.
    SshImportDialog(ConnectionRepository &connections, const QString &path = {}, QWidget *parent = nullptr);
    ~SshImportDialog() override;

    static QString defaultPath();
    // Why an entry is not (or not by default) imported, in the user's language.
    static QString skipNote(const ImportSkip &skip);

    QString path() const;
    void setPath(const QString &path); // and reads it
    QStringList offeredAliases() const;
    QStringList checkedAliases() const;
    void setChecked(const QString &alias, bool checked);

public Q_SLOTS:
    // Reads the file again (a dry run).
    void reload();
    // Creates the checked hosts; shows and returns what happened.
    Result<ConnectionImportResult> importChecked();

Q_SIGNALS:
    void imported(const QList<gpudeck::Connection> &created);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void browse();
    void showWarnings(const QStringList &warnings);
    void showError(const QString &text);
    void updateImportButton();
    QTreeWidgetItem *itemFor(const QString &alias) const;

    std::unique_ptr<Ui::SshImportDialog> m_ui;
    ConnectionRepository &m_connections;
    QPushButton *m_importButton = nullptr;
    QSet<QString> m_imported;       // from this file, by this dialog: listed as imported rather than as taken
    QHash<QString, bool> m_choices; // alias → checked, as the user left it (until another file is read)
};

} // namespace gpudeck
