#include "fleet/PodsSection.h"

#include "RecordTable.h"
#include "fleet/PodsModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

constexpr int kTableRowsShown = 4;
const QString kWarning = QStringLiteral("QLabel { color: #e69a16; }");
const QString kFailure = QStringLiteral("QLabel { color: #c0392b; }");

QLabel *boldTitle(const QString &text, QWidget *parent)
{
    auto *title = new QLabel(text, parent);
    title->setObjectName(QStringLiteral("podsTitle"));
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    title->setFont(big);
    return title;
}

} // namespace

const QStringList &PodsSection::actions()
{
    static const QStringList list = {QStringLiteral("start"), QStringLiteral("stop"), QStringLiteral("restart"),
                                     QStringLiteral("terminate")};
    return list;
}

PodsSection::PodsSection(QWidget *parent)
    : QWidget(parent)
    , m_model(new PodsModel(this))
{
    setObjectName(QStringLiteral("podsSection"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    // One row: the title, what is going on, and the buttons. Not set up, that row is all there is (the Fleet pane
    // stays a glance for those who rent nothing).
    auto *header = new QHBoxLayout;
    header->addWidget(boldTitle(tr("RunPod pods"), this));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("podsSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    header->addWidget(m_summary);
    m_setupText = new QLabel(tr("not set up: with an API key GPU Deck lists your pods here, creates, stops and "
                                "terminates them, and turns each running pod into a connection."),
                             this);
    m_setupText->setObjectName(QStringLiteral("podsSetupText"));
    m_setupText->setWordWrap(true);
    m_setupText->setForegroundRole(QPalette::PlaceholderText);
    header->addWidget(m_setupText, 1);
    header->addStretch(0);
    m_setup = new QPushButton(tr("Set API key…"), this);
    m_setup->setObjectName(QStringLiteral("podsSetupButton"));
    connect(m_setup, &QPushButton::clicked, this, &PodsSection::keyRequested);
    header->addWidget(m_setup);
    m_create = new QPushButton(tr("Create pod…"), this);
    m_create->setObjectName(QStringLiteral("podsCreateButton"));
    connect(m_create, &QPushButton::clicked, this, &PodsSection::createRequested);
    header->addWidget(m_create);
    m_keyButton = new QPushButton(tr("API key…"), this);
    m_keyButton->setObjectName(QStringLiteral("podsKeyButton"));
    connect(m_keyButton, &QPushButton::clicked, this, &PodsSection::keyRequested);
    header->addWidget(m_keyButton);
    layout->addLayout(header);

    m_podsPage = new QWidget(this);
    auto *pods = new QVBoxLayout(m_podsPage);
    pods->setContentsMargins(0, 0, 0, 0);
    pods->setSpacing(6);
    m_error = new QLabel(m_podsPage);
    m_error->setObjectName(QStringLiteral("podsError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(kWarning);
    m_error->hide();
    pods->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (const QString &action : actions()) {
        auto *button =
            new QPushButton(action == QStringLiteral("terminate") ? tr("Terminate…") : actionLabel(action), m_podsPage);
        button->setObjectName(QStringLiteral("pod_%1Button").arg(action));
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, this, [this, action] { requestAction(selectedPodId(), action); });
        buttons->addWidget(button);
        m_buttons.insert(action, button);
    }
    buttons->addSpacing(12);
    m_busy = new QProgressBar(m_podsPage);
    m_busy->setObjectName(QStringLiteral("podsBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(90);
    m_busy->setMaximumHeight(12);
    m_busy->setTextVisible(false);
    m_busy->hide();
    buttons->addWidget(m_busy);
    m_status = new QLabel(m_podsPage);
    m_status->setObjectName(QStringLiteral("podsStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    buttons->addWidget(m_status, 1);
    pods->addLayout(buttons);

    m_empty = new QLabel(tr("No pods. Create one: it shows here, and once it runs it becomes a connection named after "
                            "it."),
                         m_podsPage);
    m_empty->setObjectName(QStringLiteral("podsEmpty"));
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setWordWrap(true);
    pods->addWidget(m_empty);

    m_table = new RecordTable(m_model, QStringLiteral("podsTable"), PodsModel::SshColumn, m_podsPage);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + kTableRowsShown * rowHeight + 4);
    pods->addWidget(m_table);
    layout->addWidget(m_podsPage);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PodsSection::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &PodsSection::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PodsSection::updateButtons);

    m_clock = new QTimer(this);
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, m_model, &PodsModel::tick);
    updatePages();
}

PodsSection::~PodsSection() = default;

QString PodsSection::actionLabel(const QString &action)
{
    if (action == QStringLiteral("start")) {
        return tr("Start");
    }
    if (action == QStringLiteral("stop")) {
        return tr("Stop");
    }
    if (action == QStringLiteral("restart")) {
        return tr("Restart");
    }
    if (action == QStringLiteral("terminate")) {
        return tr("Terminate");
    }
    return action;
}

void PodsSection::setKeyState(const RunPodKeyState &state)
{
    m_keyKnown = true;
    m_key = state;
    updatePages();
    updateSummary();
}

void PodsSection::setGpuTypes(const QList<RunPodGpuType> &types)
{
    QHash<QString, QString> names;
    m_gpuTypes.clear();
    for (const RunPodGpuType &t : types) {
        m_gpuTypes.insert(t.id, t);
        if (!t.name.isEmpty()) {
            names.insert(t.id, t.name);
        }
    }
    m_model->setGpuNames(names);
}

void PodsSection::setGuards(const QHash<qint64, QString> &guards)
{
    m_model->setGuards(guards);
}

void PodsSection::setIdleAlert(int seconds)
{
    if (seconds != m_idleAlertSeconds) {
        m_idleAlertSeconds = seconds;
        updateSummary();
    }
}

void PodsSection::setConnectionNames(const QHash<qint64, QString> &names)
{
    m_model->setConnectionNames(names);
}

void PodsSection::setPods(const QList<RunPodPod> &pods)
{
    const QString selected = selectedPodId();
    m_read = true;
    m_error->hide();
    m_model->setPods(pods);
    if (!selected.isEmpty() && selectedPodId() != selected) {
        selectPod(selected); // the rows were rebuilt (a pod came or went)
    }
    updatePages();
    updateSummary();
    updateButtons();
}

void PodsSection::setReadError(const QString &message)
{
    m_error->setText(m_model->pods().isEmpty() ? tr("Cannot read the pods: %1").arg(message)
                                               : tr("The last read of the pods failed: %1 (shown: what was read "
                                                    "before)")
                                                     .arg(message));
    m_error->show();
}

bool PodsSection::hasPods() const
{
    return !m_model->pods().isEmpty();
}

void PodsSection::updatePages()
{
    const bool setUp = configured();
    // Before the key's state is known, show nothing rather than a "not set up" that may be wrong.
    m_setupText->setVisible(m_keyKnown && !setUp);
    m_setup->setVisible(m_keyKnown && !setUp);
    m_podsPage->setVisible(setUp);
    m_create->setVisible(setUp);
    m_keyButton->setVisible(setUp);
    const bool empty = m_model->pods().isEmpty();
    m_empty->setVisible(m_read && empty);
    m_table->setVisible(!empty);
    for (QPushButton *button : std::as_const(m_buttons)) {
        button->setVisible(!empty);
    }
}

void PodsSection::updateSummary()
{
    if (!configured()) {
        m_summary->clear();
        return;
    }
    QStringList parts;
    if (m_read) {
        int running = 0;
        double rate = 0;
        for (const RunPodPod &p : m_model->pods()) {
            running += p.status == QStringLiteral("RUNNING") ? 1 : 0;
            rate += p.costPerHr;
        }
        parts << tr("%1 of %2 running").arg(running).arg(m_model->pods().size());
        parts << tr("%1 in all").arg(PodsModel::rateText(rate));
    } else {
        parts << tr("reading…");
    }
    parts << (m_idleAlertSeconds > 0 ? tr("idle pod alert after %1").arg(PodsModel::durationText(m_idleAlertSeconds))
                                     : tr("idle pod alert off"));
    parts << (m_key.fromEnvironment ? tr("key from RUNPOD_API_KEY") : tr("key in the keychain"));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

QString PodsSection::selectedPodId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(PodsModel::PodIdRole).toString();
}

void PodsSection::selectPod(const QString &podId)
{
    const int row = m_model->rowOf(podId);
    if (row < 0) {
        m_table->clearSelection();
        return;
    }
    m_table->selectRow(row);
}

void PodsSection::updateButtons()
{
    const RunPodPod *pod = m_model->pod(selectedPodId());
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        it.value()->setEnabled(pod && pod->actions.contains(it.key()));
    }
}

bool PodsSection::requestAction(const QString &podId, const QString &action)
{
    const RunPodPod *pod = m_model->pod(podId);
    if (!pod || !actions().contains(action) || !pod->actions.contains(action)) {
        return false;
    }
    const QString gpu = m_model->gpuText(*pod);
    bool yes = false;
    if (action == QStringLiteral("terminate")) {
        const QString text =
            tr("Terminate pod %1 (%2)?\n\nTerminating deletes the pod for good: its container disk AND its volume "
               "(/workspace) are erased, with every checkpoint and result on them, and its connection stops "
               "working. Copy what you need off it first. This cannot be undone.")
                .arg(pod->name, gpu);
        yes = m_typedQuestion(this, tr("Terminate %1").arg(pod->name), text, tr("Terminate"), pod->name);
    } else {
        QString text;
        if (action == QStringLiteral("start")) {
            // A stopped pod's `cost` is 0: the catalog says what its GPUs will cost.
            const auto type = m_gpuTypes.constFind(pod->gpuTypeId);
            const double hourly = pod->costPerHr > 0          ? pod->costPerHr
                                  : type != m_gpuTypes.cend() ? type->hourly(pod->cloud, pod->gpuCount)
                                                              : 0;
            const QString rate = hourly > 0 ? PodsModel::rateText(hourly) : tr("at its GPUs' rate");
            text = tr("Start pod %1 (%2)?\n\nIt is billed (%3) from now until it is stopped. It gets a new SSH port "
                      "and host key; its connection follows.")
                       .arg(pod->name, gpu, rate);
        } else if (action == QStringLiteral("stop")) {
            text = tr("Stop pod %1 (%2)?\n\nWhatever runs in it stops and its container disk is wiped; its volume "
                      "(/workspace) is kept and billed while stopped. The GPUs are billed no more.")
                       .arg(pod->name, gpu);
        } else {
            text = tr("Restart pod %1 (%2)?\n\nWhatever runs in it stops and starts again; its container disk is "
                      "wiped, its volume (/workspace) kept. Its SSH port and host key change; its connection follows.")
                       .arg(pod->name, gpu);
        }
        yes = m_question(this, tr("%1 %2").arg(actionLabel(action), pod->name), text, actionLabel(action));
    }
    if (!yes) {
        return false;
    }
    m_askedNames.insert(podId, pod->name);
    m_busy->show();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("%1 %2: asking RunPod…").arg(actionLabel(action), pod->name));
    Q_EMIT actionRequested(podId, action);
    return true;
}

QString PodsSection::podName(const QString &podId) const
{
    if (const RunPodPod *pod = m_model->pod(podId)) {
        return pod->name;
    }
    return m_askedNames.value(podId, podId);
}

void PodsSection::setActionDone(const QString &podId, const QString &action)
{
    m_busy->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("%1 %2: done").arg(actionLabel(action), podName(podId)));
}

void PodsSection::setActionFailed(const QString &podId, const QString &action, const QString &message)
{
    m_busy->hide();
    m_status->setStyleSheet(kFailure);
    m_status->setText(tr("%1 %2 failed: %3").arg(actionLabel(action), podName(podId), message));
}

void PodsSection::setMessage(const QString &text)
{
    m_busy->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(text);
}

void PodsSection::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->tick();
    m_clock->start();
}

void PodsSection::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_clock->stop();
}

} // namespace gpudeck
