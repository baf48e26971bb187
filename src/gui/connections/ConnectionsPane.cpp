#include "connections/ConnectionsPane.h"

#include "Coalesced.h"
#include "FormErrors.h"
#include "RecordTable.h"
#include "TimeText.h"
#include "WelcomePanel.h"
#include "app/Core.h"
#include "connections/ConnectionDialog.h"
#include "connections/ConnectionService.h"
#include "connections/ConsoleDialog.h"
#include "connections/HostKeyDialog.h"
#include "connections/LinkDot.h"
#include "connections/SshImportDialog.h"
#include "connections/WakeDialog.h"
#include "ssh/SshPool.h"
#include "wol/WakeService.h"

#include <QAction>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

QPushButton *makeButton(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    return button;
}

QAction *makeAction(const QString &text, const QString &objectName, QObject *parent)
{
    auto *action = new QAction(text, parent);
    action->setObjectName(objectName);
    return action;
}

bool takesSecret(const Connection &c)
{
    return c.kind != QStringLiteral("local") &&
           (c.authMethod == QStringLiteral("password") || c.authMethod == QStringLiteral("key"));
}

} // namespace

ConnectionsPane::ConnectionsPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_model(new ConnectionsModel(this))
{
    buildActions();
    buildUi();
    connectCoalesced(m_core.events(), &StoreEvents::connectionsChanged, this, [this] { reload(); });
    // Emitted on the pool's thread, which is this one. The signal only says which link changed: the pool's
    // current status is read then, so a late signal from a worker already let go of cannot show a stale state.
    connect(&m_core.ssh(), &SshPool::statusChanged, this, &ConnectionsPane::refreshLink);
    const QHash<qint64, LinkStatus> links = m_core.ssh().statuses();
    for (auto it = links.cbegin(); it != links.cend(); ++it) {
        m_model->setLink(it.key(), LinkView{it.value(), false, {}});
    }
    reload();
}

ConnectionsPane::~ConnectionsPane() = default;

void ConnectionsPane::buildActions()
{
    m_addAction = makeAction(tr("&Add connection…"), QStringLiteral("addConnectionAction"), this);
    m_importAction = makeAction(tr("&Import from SSH config…"), QStringLiteral("importSshConfigAction"), this);
    m_importAction->setStatusTip(tr("Create connections from the Host entries of ~/.ssh/config"));
    m_connectAction = makeAction(tr("&Connect"), QStringLiteral("connectAction"), this);
    m_disconnectAction = makeAction(tr("&Disconnect"), QStringLiteral("disconnectAction"), this);
    m_consoleAction = makeAction(tr("&Run command…"), QStringLiteral("runCommandAction"), this);
    m_credentialsAction = makeAction(tr("Set &password / passphrase…"), QStringLiteral("setCredentialsAction"), this);
    m_credentialsAction->setStatusTip(tr("Store the password or key passphrase in the system keychain"));
    m_wakeAction = makeAction(tr("&Wake (Wake-on-LAN)…"), QStringLiteral("wakeAction"), this);
    m_wakeAction->setStatusTip(tr("Send the host's magic packet and wait until it answers on SSH"));
    m_connectAllAction = makeAction(tr("Connect &all"), QStringLiteral("connectAllAction"), this);
    m_connectAllAction->setStatusTip(tr("Connect every connection that is not connected yet"));
    m_disconnectAllAction = makeAction(tr("Disconnect a&ll…"), QStringLiteral("disconnectAllAction"), this);
    m_disconnectAllAction->setStatusTip(tr("Close every link; monitoring of every host stops"));

    connect(m_addAction, &QAction::triggered, this, &ConnectionsPane::addConnection);
    connect(m_importAction, &QAction::triggered, this, [this] { importFromSshConfig(); });
    connect(m_connectAction, &QAction::triggered, this, [this] { connectTo(selectedId()); });
    connect(m_disconnectAction, &QAction::triggered, this, [this] { disconnectFrom(selectedId()); });
    connect(m_consoleAction, &QAction::triggered, this, [this] { openConsole(selectedId()); });
    connect(m_credentialsAction, &QAction::triggered, this, [this] { setCredentials(selectedId()); });
    connect(m_wakeAction, &QAction::triggered, this, [this] { wake(selectedId()); });
    connect(m_connectAllAction, &QAction::triggered, this, &ConnectionsPane::connectAll);
    connect(m_disconnectAllAction, &QAction::triggered, this, &ConnectionsPane::disconnectAll);
}

void ConnectionsPane::addMenuActions(QMenu *menu) const
{
    menu->addAction(m_addAction);
    menu->addAction(m_importAction);
    menu->addSeparator();
    menu->addAction(m_connectAction);
    menu->addAction(m_disconnectAction);
    menu->addAction(m_wakeAction);
    menu->addAction(m_connectAllAction);
    menu->addAction(m_disconnectAllAction);
    menu->addAction(m_consoleAction);
    menu->addAction(m_credentialsAction);
}

void ConnectionsPane::buildUi()
{
    m_addButton = makeButton(tr("&Add…"), QStringLiteral("addConnectionButton"), this);
    m_editButton = makeButton(tr("&Edit…"), QStringLiteral("editConnectionButton"), this);
    m_deleteButton = makeButton(tr("&Delete"), QStringLiteral("deleteConnectionButton"), this);
    m_connectButton = makeButton(tr("C&onnect"), QStringLiteral("connectButton"), this);
    m_disconnectButton = makeButton(tr("D&isconnect"), QStringLiteral("disconnectButton"), this);
    m_consoleButton = makeButton(tr("&Run command…"), QStringLiteral("runCommandButton"), this);
    m_importButton = makeButton(tr("Import from &SSH config…"), QStringLiteral("importSshConfigButton"), this);
    m_importButton->setToolTip(m_importAction->statusTip());
    m_wakeButton = makeButton(tr("&Wake…"), QStringLiteral("wakeButton"), this);
    m_connectAllButton = makeButton(tr("Connect all"), QStringLiteral("connectAllButton"), this);
    m_connectAllButton->setToolTip(m_connectAllAction->statusTip());
    m_disconnectAllButton = makeButton(tr("Disconnect all…"), QStringLiteral("disconnectAllButton"), this);
    m_disconnectAllButton->setToolTip(m_disconnectAllAction->statusTip());
    // Right-aligned like the Jobs, Models and GPUs panes' buttons.
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_deleteButton);
    buttons->addSpacing(16);
    buttons->addWidget(m_connectButton);
    buttons->addWidget(m_disconnectButton);
    buttons->addWidget(m_wakeButton);
    buttons->addWidget(m_consoleButton);
    buttons->addSpacing(16);
    buttons->addWidget(m_connectAllButton);
    buttons->addWidget(m_disconnectAllButton);
    buttons->addSpacing(16);
    buttons->addWidget(m_importButton);

    m_view = new RecordTable(m_model, QStringLiteral("connectionsView"), ConnectionsModel::HostnameColumn, this);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    // No connection yet: the ways to get one, in place of an empty table.
    m_welcome = new WelcomePanel(QStringLiteral("connections"), this);
    connect(m_welcome, &WelcomePanel::addRequested, this, &ConnectionsPane::addConnection);
    connect(m_welcome, &WelcomePanel::importRequested, m_importAction, &QAction::trigger);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_welcome, 1);
    layout->addWidget(m_view, 1);
    layout->addWidget(buildDetails());

    connect(m_addButton, &QPushButton::clicked, this, &ConnectionsPane::addConnection);
    connect(m_editButton, &QPushButton::clicked, this, [this] { editConnection(selectedId()); });
    connect(m_deleteButton, &QPushButton::clicked, this, [this] { deleteConnection(selectedId()); });
    connect(m_connectButton, &QPushButton::clicked, m_connectAction, &QAction::trigger);
    connect(m_disconnectButton, &QPushButton::clicked, m_disconnectAction, &QAction::trigger);
    connect(m_consoleButton, &QPushButton::clicked, m_consoleAction, &QAction::trigger);
    connect(m_wakeButton, &QPushButton::clicked, m_wakeAction, &QAction::trigger);
    connect(m_importButton, &QPushButton::clicked, m_importAction, &QAction::trigger);
    connect(m_connectAllButton, &QPushButton::clicked, m_connectAllAction, &QAction::trigger);
    connect(m_disconnectAllButton, &QPushButton::clicked, m_disconnectAllAction, &QAction::trigger);
    // Probes do not announce themselves (they would flood the events stream): their times are read once a second
    // while the selected link is down.
    m_probeClock = new QTimer(this);
    m_probeClock->setInterval(1000);
    connect(m_probeClock, &QTimer::timeout, this, [this] { refreshLink(selectedId()); });
    connect(m_view, &QTableView::doubleClicked, this, [this] { editConnection(selectedId()); });
    connect(m_view, &QTableView::customContextMenuRequested, this, &ConnectionsPane::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConnectionsPane::updateButtons);
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, [this] { deleteConnection(selectedId()); });
}

QWidget *ConnectionsPane::buildDetails()
{
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("linkDetails"));
    frame->setFrameShape(QFrame::StyledPanel);
    m_details = frame;

    m_detailsDot = new QLabel(frame);
    m_detailsText = new QLabel(frame);
    m_detailsText->setObjectName(QStringLiteral("linkDetailsText"));
    m_detailsText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsText->setWordWrap(true);
    m_busy = new QProgressBar(frame);
    m_busy->setObjectName(QStringLiteral("linkBusyBar"));
    m_busy->setRange(0, 0); // busy: how long a connect takes is unknown
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(140);
    m_busy->setFixedHeight(m_detailsText->fontMetrics().height() * 2 / 3);
    m_cancelButton = makeButton(tr("Cancel"), QStringLiteral("cancelConnectButton"), frame);
    m_cancelButton->setToolTip(tr("Stop connecting"));
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { disconnectFrom(selectedId()); });
    m_detailsError = new QLabel(frame);
    m_detailsError->setObjectName(QStringLiteral("linkErrorLabel"));
    m_detailsError->setWordWrap(true);
    m_detailsError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsError->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_detailsDot);
    top->addWidget(m_detailsText, 1);
    top->addWidget(m_busy);
    top->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addLayout(top);
    layout->addWidget(m_detailsError);
    return frame;
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
    m_welcome->setVisible(all->isEmpty());
    m_view->setVisible(!all->isEmpty());
    m_details->setVisible(!all->isEmpty());
    select(keep);
    // A console or host-key question outlives its connection only until the connection is gone.
    for (auto it = m_consoles.begin(); it != m_consoles.end();) {
        if (!m_model->connection(it.key())) {
            delete it.value();
            it = m_consoles.erase(it);
        } else {
            if (it.value()) {
                it.value()->setConnection(*m_model->connection(it.key()));
            }
            ++it;
        }
    }
    updateButtons();
}

void ConnectionsPane::updateButtons()
{
    const qint64 id = selectedId();
    const Connection *c = m_model->connection(id);
    const LinkState state = m_model->link(id).shownState();
    const bool selected = c != nullptr;
    m_editButton->setEnabled(selected);
    m_deleteButton->setEnabled(selected);
    // Connect during a reconnect's backoff tries again at once.
    const bool canConnect = selected && (state == LinkState::Disconnected || state == LinkState::Failed ||
                                         state == LinkState::Reconnecting || state == LinkState::Down);
    const bool canDisconnect = selected && state != LinkState::Disconnected;
    const bool connected = selected && state == LinkState::Connected;
    m_connectAction->setEnabled(canConnect);
    m_connectButton->setEnabled(canConnect);
    m_disconnectAction->setEnabled(canDisconnect);
    m_disconnectButton->setEnabled(canDisconnect);
    m_disconnectButton->setToolTip(state == LinkState::Connecting ? tr("Cancel the connection attempt")
                                                                  : tr("Close the link"));
    m_consoleAction->setEnabled(connected);
    m_consoleButton->setEnabled(connected);
    m_consoleButton->setToolTip(connected ? tr("Run a command on this host") : tr("Connect first to run commands"));
    m_credentialsAction->setEnabled(selected && takesSecret(*c));
    // Wake: a host with a MAC address whose link is not up.
    const bool canWake = selected && WakeService::canWake(*c) && state != LinkState::Connected;
    m_wakeAction->setEnabled(canWake);
    m_wakeButton->setEnabled(canWake);
    m_wakeButton->setToolTip(!selected || WakeService::canWake(*c)
                                 ? tr("Send the magic packet and wait until the host answers on SSH")
                                 : tr("Set the connection's MAC address to wake it"));
    updateDetails();
}

void ConnectionsPane::updateDetails()
{
    const qint64 id = selectedId();
    const Connection *c = m_model->connection(id);
    if (!c) {
        m_detailsDot->clear();
        m_detailsText->setText(tr("Select a connection to see its link."));
        m_detailsText->setForegroundRole(QPalette::PlaceholderText);
        m_busy->hide();
        m_cancelButton->hide();
        m_detailsError->hide();
        return;
    }
    const LinkView link = m_model->link(id);
    const LinkState state = link.shownState();
    m_detailsDot->setPixmap(LinkDot::pixmap(state, m_detailsText->fontMetrics().height()));
    m_detailsText->setForegroundRole(QPalette::WindowText);
    QStringList facts;
    facts << tr("<b>%1</b> — %2").arg(c->name.toHtmlEscaped(), ConnectionsModel::headline(link).toHtmlEscaped());
    if (state == LinkState::Connected && !link.status.hostFingerprint.isEmpty()) {
        facts << tr("host key %1").arg(link.status.hostFingerprint.toHtmlEscaped());
    }
    if (state == LinkState::Connected && !link.status.authMethod.isEmpty()) {
        facts << tr("signed in with %1").arg(link.status.authMethod.toHtmlEscaped());
    }
    const bool probing = state == LinkState::Down || state == LinkState::Reconnecting;
    if (probing && link.status.lastProbeAt.isValid()) {
        facts << tr("last probe %1, next %2 (%n probe(s) so far)", nullptr, link.status.probes)
                     .arg(localTimeText(link.status.lastProbeAt), localTimeText(link.status.nextProbeAt));
    }
    if (probing != m_probeClock->isActive()) {
        probing ? m_probeClock->start() : m_probeClock->stop();
    }
    m_detailsText->setText(facts.join(QStringLiteral(" · ")));
    const bool busy = state == LinkState::Connecting || state == LinkState::Reconnecting || state == LinkState::Down;
    m_busy->setVisible(busy);
    m_cancelButton->setVisible(busy);
    const QString problem = link.problem();
    m_detailsError->setText(problem.isEmpty() ? QString() : tr("Last error: %1").arg(problem));
    m_detailsError->setVisible(!problem.isEmpty());
}

void ConnectionsPane::showContextMenu(const QPoint &pos)
{
    if (selectedId() == 0) {
        return;
    }
    QMenu menu(this);
    menu.addAction(m_connectAction);
    menu.addAction(m_disconnectAction);
    menu.addAction(m_wakeAction);
    menu.addAction(m_consoleAction);
    menu.addSeparator();
    menu.addAction(tr("&Edit…"), this, [this] { editConnection(selectedId()); });
    menu.addAction(m_credentialsAction);
    menu.addSeparator();
    menu.addAction(tr("De&lete"), this, [this] { deleteConnection(selectedId()); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

qint64 ConnectionsPane::selectedId() const
{
    return m_view->selectedId();
}

void ConnectionsPane::select(qint64 id)
{
    m_view->selectId(id);
}

LinkView ConnectionsPane::link(qint64 id) const
{
    return m_model->link(id);
}

void ConnectionsPane::setQuestion(Confirm::Question question)
{
    m_question = std::move(question);
    for (const auto &console : std::as_const(m_consoles)) {
        if (console) {
            console->setQuestion(m_question);
        }
    }
}

void ConnectionsPane::refreshLink(qint64 id)
{
    LinkView link = m_model->link(id);
    link.status = m_core.ssh().status(id);
    if (link.status.state == LinkState::Connected) {
        link.lastError.clear();
    }
    m_model->setLink(id, link);
    if (id == selectedId()) {
        updateButtons();
    }
}

void ConnectionsPane::connectTo(qint64 id, const QString &acceptFingerprint)
{
    const auto c = m_core.connections().get(id);
    if (!c.ok()) {
        Q_EMIT message(FormErrors::text(c.error()));
        return;
    }
    const quint64 attempt = ++m_lastAttempt;
    m_attempts.insert(id, attempt);
    LinkView link = m_model->link(id);
    link.status = m_core.ssh().status(id);
    link.connecting = true;
    link.lastError.clear();
    m_model->setLink(id, link);
    updateButtons();
    Q_EMIT message(tr("Connecting to %1…").arg(c->name));

    const Connection connection = c.value();
    auto finished = [this, id, attempt] {
        if (m_attempts.value(id) != attempt) {
            return false; // cancelled by Disconnect, or a newer attempt took over
        }
        m_attempts.remove(id);
        return true;
    };
    m_core.ssh()
        .connectTo(connection, acceptFingerprint)
        .then(this,
              [this, connection, finished](Status connected) {
                  m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/connect/:id"),
                                           QString::number(connection.id), connected);
                  if (!finished()) {
                      return;
                  }
                  LinkView answered = m_model->link(connection.id);
                  answered.connecting = false;
                  answered.status = m_core.ssh().status(connection.id);
                  answered.lastError = connected.ok() ? QString() : FormErrors::text(connected.error());
                  m_model->setLink(connection.id, answered);
                  updateButtons();
                  if (connected.ok()) {
                      Q_EMIT message(tr("Connected to %1").arg(connection.name));
                  } else {
                      connectFailed(connection, connected.error());
                  }
              })
        .onCanceled(this, [this, id, finished] {
            if (finished()) {
                LinkView abandoned = m_model->link(id);
                abandoned.connecting = false;
                m_model->setLink(id, abandoned);
                refreshLink(id);
            }
        });
}

void ConnectionsPane::disconnectFrom(qint64 id)
{
    const Connection *c = m_model->connection(id);
    if (!c) {
        return;
    }
    const bool wasConnecting = m_attempts.remove(id) > 0;
    m_core.ssh().disconnectFrom(id);
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/disconnect/:id"), QString::number(id));
    LinkView link = m_model->link(id);
    link.connecting = false;
    link.lastError.clear();
    m_model->setLink(id, link);
    refreshLink(id);
    updateButtons();
    Q_EMIT message(wasConnecting ? tr("Stopped connecting to %1").arg(c->name) : tr("Disconnected %1").arg(c->name));
}

void ConnectionsPane::connectAll()
{
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/connections/connect-all"), QString());
    Q_EMIT message(tr("Connecting all…"));
    m_core.connectionService().connectAll().then(this, [this](const QList<LinkOutcome> &outcomes) {
        int connected = 0;
        QStringList failed;
        for (const LinkOutcome &o : outcomes) {
            refreshLink(o.connectionId);
            if (o.outcome == QStringLiteral("failed")) {
                failed << tr("%1 (%2)").arg(o.name, o.error ? FormErrors::text(*o.error) : QString());
            } else {
                ++connected;
            }
        }
        Q_EMIT message(failed.isEmpty() ? tr("Connect all: %n connected", nullptr, connected)
                                        : tr("Connect all: %n connected; not connected: %1", nullptr, connected)
                                              .arg(failed.join(QStringLiteral(", "))));
    });
}

void ConnectionsPane::disconnectAll()
{
    int links = 0;
    const QHash<qint64, LinkStatus> all = m_core.ssh().statuses();
    for (const LinkStatus &s : all) {
        links += s.state != LinkState::Disconnected ? 1 : 0;
    }
    if (links == 0) {
        Q_EMIT message(tr("No link to close"));
        return;
    }
    if (!m_question(this, tr("Disconnect all"),
                    tr("Close all %n link(s)? Monitoring of every host stops, and watched hosts stay disconnected "
                       "until you connect them or GPU Deck starts again.",
                       nullptr, links),
                    tr("Disconnect all"))) {
        return;
    }
    m_attempts.clear();
    const QList<LinkOutcome> outcomes = m_core.connectionService().disconnectAll();
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/connections/disconnect-all"), QString());
    int closed = 0;
    for (const LinkOutcome &o : outcomes) {
        LinkView link = m_model->link(o.connectionId);
        link.connecting = false;
        link.lastError.clear();
        m_model->setLink(o.connectionId, link);
        refreshLink(o.connectionId);
        closed += o.outcome == QStringLiteral("disconnected") ? 1 : 0;
    }
    updateButtons();
    Q_EMIT message(tr("Disconnected %n host(s)", nullptr, closed));
}

void ConnectionsPane::edited(const Connection &before, const Connection &after)
{
    const LinkState state = m_core.ssh().status(after.id).state;
    const bool inUse = state != LinkState::Disconnected && state != LinkState::Failed;
    if (!inUse || !SshPool::linkSettingsDiffer(before, after)) {
        m_core.ssh().reconfigure(after, false); // name and watch reach the link; nothing else changed for it
        return;
    }
    // The open session still uses the old address, user or key: what is shown would not be what is used.
    const bool again =
        m_question(this, tr("Reconnect %1").arg(after.name),
                   tr("%1 is connected with its previous settings. Reconnect now with the new ones?").arg(after.name),
                   tr("Reconnect"));
    m_core.ssh().reconfigure(after, again);
    Q_EMIT message(again ? tr("Reconnecting %1 with its new settings").arg(after.name)
                         : tr("%1 keeps its link with the previous settings until it reconnects").arg(after.name));
}

void ConnectionsPane::connectFailed(const Connection &connection, const Error &error)
{
    if (error.reason == QStringLiteral("host_key_unknown") || error.reason == QStringLiteral("host_key_changed")) {
        Q_EMIT message(tr("%1: check its host key to connect").arg(connection.name));
        askHostKey(connection, error);
        return;
    }
    if (error.code == ErrorCode::Cancelled) {
        return; // disconnected while connecting: nothing went wrong
    }
    Q_EMIT message(tr("Could not connect to %1: %2").arg(connection.name, FormErrors::text(error)));
}

HostKeyDialog *ConnectionsPane::hostKeyDialog(qint64 id) const
{
    return m_hostKeyDialogs.value(id);
}

void ConnectionsPane::askHostKey(const Connection &connection, const Error &error)
{
    const bool changed = error.reason == QStringLiteral("host_key_changed");
    const QString host = error.details.value(QStringLiteral("host")).toString(connection.hostname);
    const int port = error.details.value(QStringLiteral("port")).toInt(connection.port);
    const QString fingerprint = error.details.value(QStringLiteral("fingerprint")).toString();
    delete m_hostKeyDialogs.value(connection.id); // a newer answer from the host replaces an older question

    auto *dialog = new HostKeyDialog(changed ? HostKeyDialog::Mode::Changed : HostKeyDialog::Mode::Unknown, host, port,
                                     fingerprint, FormErrors::text(error), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setQuestion(m_question);
    if (connection.kind == QStringLiteral("runpod")) {
        dialog->setRunPodPod(connection.name); // its keys rotate on every start: say so
    }
    m_hostKeyDialogs.insert(connection.id, dialog);
    const qint64 id = connection.id;
    connect(dialog, &QDialog::finished, this, [this, dialog, connection, id](int result) {
        if (m_hostKeyDialogs.value(id) == dialog) {
            m_hostKeyDialogs.remove(id);
        }
        switch (result) {
        case HostKeyDialog::Trusted:
            connectTo(id, dialog->acceptedFingerprint());
            break;
        case HostKeyDialog::ForgetOldKey:
            forgetHostKeyAndRetry(connection);
            break;
        default:
            Q_EMIT message(tr("Not connected to %1: its host key was not trusted").arg(connection.name));
            break;
        }
    });
    dialog->open();
}

void ConnectionsPane::forgetHostKeyAndRetry(const Connection &connection)
{
    const auto removed = m_core.ssh().forgetHostKey(connection);
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/connections/:id/forget-host-key"),
                             QString::number(connection.id), removed.ok() ? Status() : Status(removed.error()));
    if (!removed.ok()) {
        showWarning(tr("Forget the old host key"), FormErrors::text(removed.error()));
        return;
    }
    if (removed.value() == 0) {
        // GPU Deck also trusts ~/.ssh/known_hosts, which it reads but never changes.
        const QString target = connection.port == 22
                                   ? connection.hostname
                                   : QStringLiteral("[%1]:%2").arg(connection.hostname).arg(connection.port);
        showWarning(tr("Forget the old host key"),
                    tr("GPU Deck's own list of host keys has no key for %1, so the old key must come from your "
                       "~/.ssh/known_hosts, which GPU Deck never changes. Remove it there with\n\n"
                       "    ssh-keygen -R \"%1\"\n\nand connect again.")
                        .arg(target));
        return;
    }
    Q_EMIT message(tr("Forgot the old host key of %1; connecting again").arg(connection.name));
    connectTo(connection.id); // the new key is now unknown: the user is asked to check and trust it
}

void ConnectionsPane::showWarning(const QString &title, const QString &text)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("connectionWarningBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

ConsoleDialog *ConnectionsPane::openConsole(qint64 id)
{
    const Connection *c = m_model->connection(id);
    if (!c) {
        return nullptr;
    }
    ConsoleDialog *console = m_consoles.value(id);
    if (!console) {
        console = new ConsoleDialog(m_core, *c, this);
        console->setQuestion(m_question);
        m_consoles.insert(id, console);
    } else {
        console->setConnection(*c);
    }
    console->show();
    console->raise();
    console->activateWindow();
    return console;
}

SshImportDialog *ConnectionsPane::importFromSshConfig(const QString &path)
{
    auto *dialog = new SshImportDialog(m_core.connections(), path, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SshImportDialog::imported, this, [this](const QList<Connection> &created) {
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/connections/import"), QString());
        if (!created.isEmpty()) {
            select(created.first().id);
            QStringList names;
            for (const Connection &c : created) {
                names << c.name;
            }
            Q_EMIT message(tr("Imported from SSH config: %1").arg(names.join(QStringLiteral(", "))));
        }
    });
    dialog->open();
    return dialog;
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

ConnectionDialog *ConnectionsPane::setCredentials(qint64 id)
{
    ConnectionDialog *dialog = editConnection(id);
    if (dialog) {
        dialog->focusSecret();
    }
    return dialog;
}

ConnectionDialog *ConnectionsPane::openDialog(const Connection &connection)
{
    auto *dialog = new ConnectionDialog(m_core.connections(), m_core.connectionSecrets(), connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool isNew = connection.id == 0;
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew, connection] {
        m_core.audit().recordGui(isNew ? QStringLiteral("POST") : QStringLiteral("PUT"),
                                 isNew ? QStringLiteral("/api/dgx/connections")
                                       : QStringLiteral("/api/dgx/connections/:id"),
                                 QString::number(dialog->savedId()));
        select(dialog->savedId());
        Q_EMIT message(tr("Saved connection %1").arg(dialog->saved().name));
        if (!isNew) {
            edited(connection, dialog->saved());
        }
    });
    connect(dialog, &ConnectionDialog::secretStored, this, [this, dialog](const QString &what) {
        m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/dgx/connections/:id/credentials"),
                                 QString::number(dialog->savedId()));
        Q_EMIT message(tr("Stored the %1 of %2 in the system keychain").arg(what, dialog->saved().name));
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
    if (!m_question(this, tr("Delete connection"), tr("Delete the connection %1?").arg(c->name), tr("Delete"))) {
        return;
    }
    Status removed = m_core.connectionService().remove(id, false);
    if (!removed.ok() && removed.error().code == ErrorCode::Conflict) {
        const QString text = tr("%1 still has projects. Delete the connection together with its projects and "
                                "their jobs?")
                                 .arg(c->name);
        if (!m_question(this, tr("Delete connection"), text, tr("Delete with its projects"))) {
            return;
        }
        removed = m_core.connectionService().remove(id, true);
    }
    m_core.audit().recordGui(QStringLiteral("DELETE"), QStringLiteral("/api/dgx/connections/:id"), QString::number(id),
                             removed);
    if (!removed.ok()) {
        QMessageBox::warning(this, tr("Delete connection"), FormErrors::text(removed.error()));
        return;
    }
    // ConnectionService dropped its link and its secrets too (as DELETE /api/dgx/connections/:id does).
    m_attempts.remove(id);
    delete m_hostKeyDialogs.take(id);
    Q_EMIT message(tr("Deleted connection %1").arg(c->name));
}

WakeDialog *ConnectionsPane::wake(qint64 id, int timeoutMs)
{
    const Connection *c = m_model->connection(id);
    if (!c || !WakeService::canWake(*c)) {
        return nullptr;
    }
    if (m_wakeDialogs.value(id)) {
        m_wakeDialogs.value(id)->raise(); // one wake per host: show the one under way
        m_wakeDialogs.value(id)->activateWindow();
        return m_wakeDialogs.value(id);
    }
    auto *dialog = new WakeDialog(m_core, *c, this);
    m_wakeDialogs.insert(id, dialog);
    connect(dialog, &WakeDialog::finished, this, [this, name = c->name](const WakeOutcome &outcome) {
        Q_EMIT message(tr("Wake of %1: %2").arg(name, outcome.outcome));
    });
    dialog->show();
    dialog->start(timeoutMs);
    return dialog;
}

} // namespace gpudeck
