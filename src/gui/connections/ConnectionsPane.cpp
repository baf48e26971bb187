#include "connections/ConnectionsPane.h"

#include "Confirm.h"
#include "FormErrors.h"
#include "RecordTable.h"
#include "app/Core.h"
#include "connections/ConnectionDialog.h"
#include "connections/ConnectionsModel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace gpudeck {

ConnectionsPane::ConnectionsPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_model(new ConnectionsModel(this))
{
    buildUi();
    connect(m_core.events(), &StoreEvents::connectionsChanged, this, &ConnectionsPane::reload);
    reload();
}

void ConnectionsPane::buildUi()
{
    m_addButton = new QPushButton(tr("&Add…"), this);
    m_addButton->setObjectName(QStringLiteral("addConnectionButton"));
    m_editButton = new QPushButton(tr("&Edit…"), this);
    m_editButton->setObjectName(QStringLiteral("editConnectionButton"));
    m_deleteButton = new QPushButton(tr("&Delete"), this);
    m_deleteButton->setObjectName(QStringLiteral("deleteConnectionButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_deleteButton);
    buttons->addStretch();

    m_view = new RecordTable(m_model, QStringLiteral("connectionsView"), ConnectionsModel::HostnameColumn, this);

    m_emptyHint = new QLabel(tr("No connections yet. Add one here, or create one through the API."), this);
    m_emptyHint->setObjectName(QStringLiteral("connectionsEmptyHint"));
    m_emptyHint->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_emptyHint);
    layout->addWidget(m_view, 1);

    connect(m_addButton, &QPushButton::clicked, this, &ConnectionsPane::addConnection);
    connect(m_editButton, &QPushButton::clicked, this, [this] { editConnection(selectedId()); });
    connect(m_deleteButton, &QPushButton::clicked, this, [this] { deleteConnection(selectedId()); });
    connect(m_view, &QTableView::doubleClicked, this, [this] { editConnection(selectedId()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConnectionsPane::updateButtons);
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, [this] { deleteConnection(selectedId()); });
}

void ConnectionsPane::reload()
{
    const qint64 keep = selectedId();
    const auto all = m_core.connections().list();
    if (!all.ok()) {
        Q_EMIT message(FormErrors::text(all.error()));
        return;
    }
    m_model->setConnections(all.value());
    m_emptyHint->setVisible(all->isEmpty());
    select(keep);
    updateButtons();
}

void ConnectionsPane::updateButtons()
{
    const bool selected = selectedId() != 0;
    m_editButton->setEnabled(selected);
    m_deleteButton->setEnabled(selected);
}

qint64 ConnectionsPane::selectedId() const
{
    return m_view->selectedId();
}

void ConnectionsPane::select(qint64 id)
{
    m_view->selectId(id);
}

ConnectionDialog *ConnectionsPane::addConnection()
{
    return openDialog(Connection{});
}

ConnectionDialog *ConnectionsPane::editConnection(qint64 id)
{
    const auto c = m_core.connections().get(id);
    if (!c.ok()) {
        Q_EMIT message(FormErrors::text(c.error()));
        return nullptr;
    }
    return openDialog(c.value());
}

ConnectionDialog *ConnectionsPane::openDialog(const Connection &connection)
{
    auto *dialog = new ConnectionDialog(m_core.connections(), connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        select(dialog->savedId());
        Q_EMIT message(tr("Saved connection %1").arg(dialog->saved().name));
    });
    dialog->open();
    return dialog;
}

void ConnectionsPane::deleteConnection(qint64 id)
{
    const auto c = m_core.connections().get(id);
    if (!c.ok()) {
        return;
    }
    if (!Confirm::ask(this, tr("Delete connection"), tr("Delete the connection %1?").arg(c->name), tr("Delete"))) {
        return;
    }
    Status removed = m_core.connections().remove(id, false);
    if (!removed.ok() && removed.error().code == ErrorCode::Conflict) {
        const QString text = tr("%1 still has projects. Delete the connection together with its projects and "
                                "their jobs?")
                                 .arg(c->name);
        if (!Confirm::ask(this, tr("Delete connection"), text, tr("Delete with its projects"))) {
            return;
        }
        removed = m_core.connections().remove(id, true);
    }
    if (!removed.ok()) {
        QMessageBox::warning(this, tr("Delete connection"), FormErrors::text(removed.error()));
        return;
    }
    Q_EMIT message(tr("Deleted connection %1").arg(c->name));
}

} // namespace gpudeck
