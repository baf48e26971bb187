#include "connections/SshImportDialog.h"

#include "FormErrors.h"
#include "Labels.h"
#include "store/ConnectionRepository.h"
#include "ui_SshImportDialog.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeyEvent>
#include <QPushButton>
#include <QTreeWidget>

namespace gpudeck {
namespace {

enum Column { HostColumn, AddressColumn, UserColumn, SignInColumn, NoteColumn };

// The home directory as "~", so a long path reads like the user types it.
QString shortPath(const QString &path)
{
    const QString home = QDir::homePath();
    return path.startsWith(home + QLatin1Char('/')) ? QLatin1Char('~') + path.mid(home.size()) : path;
}

} // namespace

SshImportDialog::SshImportDialog(ConnectionRepository &connections, const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SshImportDialog>())
    , m_connections(connections)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("sshImportDialog"));
    m_importButton = m_ui->buttonBox->addButton(tr("&Import"), QDialogButtonBox::ApplyRole);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setDefault(true);
    // Enter in the path field reads the file again; it must never import (see eventFilter).
    m_ui->pathEdit->installEventFilter(this);
    m_ui->errorLabel->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_ui->warningsLabel->setStyleSheet(QStringLiteral("QLabel { color: #8a5a00; }"));
    m_ui->summaryLabel->setStyleSheet(QStringLiteral("QLabel { color: #1e8449; }"));
    QHeaderView *header = m_ui->hostTree->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(NoteColumn, QHeaderView::Stretch);

    connect(m_importButton, &QPushButton::clicked, this, &SshImportDialog::importChecked);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &SshImportDialog::browse);
    connect(m_ui->hostTree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item) {
        const QString alias = item->data(HostColumn, Qt::UserRole).toString();
        if (!alias.isEmpty()) {
            m_choices.insert(alias, item->checkState(HostColumn) == Qt::Checked);
        }
        updateImportButton();
    });
    connect(m_ui->selectAllButton, &QPushButton::clicked, this, [this] {
        for (const QString &alias : offeredAliases()) {
            setChecked(alias, true);
        }
    });
    connect(m_ui->selectNoneButton, &QPushButton::clicked, this, [this] {
        for (const QString &alias : offeredAliases()) {
            setChecked(alias, false);
        }
    });
    setPath(path.isEmpty() ? defaultPath() : path);
}

SshImportDialog::~SshImportDialog() = default;

bool SshImportDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui->pathEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            reload();
            return true; // not passed on to the dialog, whose default button would act on it
        }
    }
    return QDialog::eventFilter(watched, event);
}

QString SshImportDialog::defaultPath()
{
    return QDir::homePath() + QStringLiteral("/.ssh/config");
}

QString SshImportDialog::path() const
{
    QString path = m_ui->pathEdit->text().trimmed();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/"))) {
        path = QDir::homePath() + path.mid(1);
    }
    return path;
}

void SshImportDialog::setPath(const QString &path)
{
    m_imported.clear();
    m_choices.clear();
    m_ui->pathEdit->setText(shortPath(path));
    reload();
}

void SshImportDialog::browse()
{
    const QString chosen = QFileDialog::getOpenFileName(this, tr("Choose an SSH config file"), path());
    if (!chosen.isEmpty()) {
        setPath(chosen);
    }
}

QString SshImportDialog::skipNote(const ImportSkip &skip)
{
    switch (skip.code) {
    case ImportSkip::Code::NameTaken:
        return tr("A connection has this name");
    case ImportSkip::Code::SameMachine:
        return tr("Another name for %1: imported once").arg(skip.sameAs);
    case ImportSkip::Code::SameAddress:
        return tr("Same address as %1: check it to import it anyway").arg(skip.sameAs);
    case ImportSkip::Code::Proxy:
        return tr("Not importable: reached through a jump host (ProxyJump/ProxyCommand), and GPU Deck connects "
                  "directly");
    case ImportSkip::Code::Invalid:
    case ImportSkip::Code::NotInFile:
    case ImportSkip::Code::Failed:
        break;
    }
    return skip.reason;
}

void SshImportDialog::reload()
{
    m_ui->hostTree->clear();
    m_ui->summaryLabel->clear();
    m_ui->summaryLabel->hide();
    showError({});
    showWarnings({});
    const auto preview = importSshConfig(m_connections, path(), {}, true);
    if (!preview.ok()) {
        showError(FormErrors::text(preview.error()));
        updateImportButton();
        return;
    }
    const QSignalBlocker block(m_ui->hostTree); // itemChanged for every checkbox set up here is noise
    // The user's own choices outlive a reload and an import; a new entry starts checked, a flagged one unchecked.
    const auto offer = [this](QTreeWidgetItem *item, const QString &alias, bool byDefault) {
        item->setData(HostColumn, Qt::UserRole, alias);
        item->setCheckState(HostColumn, m_choices.value(alias, byDefault) ? Qt::Checked : Qt::Unchecked);
    };
    const auto describe = [](QTreeWidgetItem *item, const Connection &c) {
        item->setText(AddressColumn, c.port == 22 ? c.hostname : QStringLiteral("%1:%2").arg(c.hostname).arg(c.port));
        item->setText(UserColumn, c.username.isEmpty() ? tr("(your user name)") : c.username);
        item->setText(SignInColumn, c.authMethod == QStringLiteral("key") ? shortPath(c.sshKeyPath)
                                                                          : Labels::authMethod(c.authMethod));
        item->setToolTip(SignInColumn, c.authMethod == QStringLiteral("key") ? c.sshKeyPath : QString());
    };
    for (const Connection &c : preview->created) {
        auto *item = new QTreeWidgetItem(m_ui->hostTree);
        item->setText(HostColumn, c.name);
        offer(item, c.name, true);
        describe(item, c);
    }
    for (const ImportSkip &skip : preview->skipped) {
        auto *item = new QTreeWidgetItem(m_ui->hostTree);
        item->setText(HostColumn, skip.alias);
        const bool imported = m_imported.contains(skip.alias);
        const QString note = imported ? tr("Imported") : skipNote(skip);
        item->setText(NoteColumn, note);
        item->setToolTip(NoteColumn, imported ? note : QStringLiteral("%1\n%2").arg(note, skip.reason));
        if (skip.code == ImportSkip::Code::SameAddress && !imported) {
            offer(item, skip.alias, false); // flagged: importable, but only when the user checks it
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled); // shown for completeness, not offered
        }
    }
    if (m_ui->hostTree->topLevelItemCount() == 0) {
        showError(tr("No Host entries in %1.").arg(shortPath(path())));
    }
    showWarnings(preview->warnings);
    updateImportButton();
}

QTreeWidgetItem *SshImportDialog::itemFor(const QString &alias) const
{
    for (int i = 0; i < m_ui->hostTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_ui->hostTree->topLevelItem(i);
        if (item->data(HostColumn, Qt::UserRole).toString() == alias) {
            return item;
        }
    }
    return nullptr;
}

QStringList SshImportDialog::offeredAliases() const
{
    QStringList aliases;
    for (int i = 0; i < m_ui->hostTree->topLevelItemCount(); ++i) {
        const QString alias = m_ui->hostTree->topLevelItem(i)->data(HostColumn, Qt::UserRole).toString();
        if (!alias.isEmpty()) {
            aliases << alias;
        }
    }
    return aliases;
}

QStringList SshImportDialog::checkedAliases() const
{
    QStringList aliases;
    for (const QString &alias : offeredAliases()) {
        if (itemFor(alias)->checkState(HostColumn) == Qt::Checked) {
            aliases << alias;
        }
    }
    return aliases;
}

void SshImportDialog::setChecked(const QString &alias, bool checked)
{
    if (QTreeWidgetItem *item = itemFor(alias)) {
        item->setCheckState(HostColumn, checked ? Qt::Checked : Qt::Unchecked);
    }
}

void SshImportDialog::updateImportButton()
{
    m_importButton->setEnabled(!checkedAliases().isEmpty());
}

void SshImportDialog::showWarnings(const QStringList &warnings)
{
    if (warnings.isEmpty()) {
        m_ui->warningsLabel->clear();
        m_ui->warningsLabel->hide();
        return;
    }
    QString html = tr("Notes from reading the file:");
    html += QStringLiteral("<ul style=\"margin: 0\">");
    for (const QString &w : warnings) {
        html += QStringLiteral("<li>%1</li>").arg(w.toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
    m_ui->warningsLabel->setText(html);
    m_ui->warningsLabel->show();
}

void SshImportDialog::showError(const QString &text)
{
    m_ui->errorLabel->setText(text);
    m_ui->errorLabel->setVisible(!text.isEmpty());
}

Result<ConnectionImportResult> SshImportDialog::importChecked()
{
    const QStringList aliases = checkedAliases();
    if (aliases.isEmpty()) {
        return Error::validation(QStringLiteral("hosts"), tr("Check at least one host to import."));
    }
    const auto result = importSshConfig(m_connections, path(), aliases, false);
    if (!result.ok()) {
        showError(FormErrors::text(result.error()));
        return result;
    }
    QStringList created;
    for (const Connection &c : result->created) {
        created << c.name;
        m_imported.insert(c.name);
    }
    QStringList skipped;
    for (const ImportSkip &skip : result->skipped) {
        skipped << tr("%1 (%2)").arg(skip.alias, skipNote(skip));
    }
    QString summary = created.isEmpty() ? tr("No connection was created.")
                                        : tr("New connections: %1.").arg(created.join(QStringLiteral(", ")));
    if (!skipped.isEmpty()) {
        summary += QLatin1Char(' ') + tr("Skipped: %1.").arg(skipped.join(QStringLiteral("; ")));
    }
    reload(); // the new connections now show as taken
    m_ui->summaryLabel->setText(summary);
    m_ui->summaryLabel->show();
    Q_EMIT imported(result->created);
    return result;
}

} // namespace gpudeck
