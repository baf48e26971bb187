#include "jobs/JobsPane.h"

#include "Coalesced.h"
#include "Confirm.h"
#include "FormErrors.h"
#include "Heading.h"
#include "Labels.h"
#include "RecordTable.h"
#include "app/Core.h"
#include "jobs/JobDialog.h"
#include "jobs/JobLogView.h"
#include "jobs/JobMetricsChart.h"
#include "jobs/JobSupervisor.h"
#include "jobs/JobsModel.h"
#include "jobs/ProjectDialog.h"
#include "jobs/ProjectsModel.h"
#include "jobs/PullDialog.h"
#include "jobs/SyncProgressDialog.h"
#include "ssh/SshPool.h"
#include "sync/SyncService.h"

#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

QPushButton *makeButton(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    return button;
}

} // namespace

void JobsPane::refresh()
{
    reloadProjects();
    reloadJobs();
}

JobsPane::JobsPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_projects(new ProjectsModel(this))
    , m_jobs(new JobsModel(this))
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("jobsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(buildProjectsBox());
    splitter->addWidget(buildJobsBox());
    splitter->addWidget(buildRunBox());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    buildStatusMenu();
    connectActions();
    reloadProjects();
}

QWidget *JobsPane::buildProjectsBox()
{
    auto *box = new QWidget(this);
    m_newProjectButton = makeButton(tr("&New project…"), QStringLiteral("newProjectButton"), box);
    m_editProjectButton = makeButton(tr("&Edit…"), QStringLiteral("editProjectButton"), box);
    m_deleteProjectButton = makeButton(tr("&Delete"), QStringLiteral("deleteProjectButton"), box);
    m_syncButton = makeButton(tr("S&ync"), QStringLiteral("syncProjectButton"), box);
    m_pullButton = makeButton(tr("&Pull…"), QStringLiteral("pullProjectButton"), box);
    m_pullButton->setToolTip(tr("Copy results, logs or a checkpoint from the project's host to this computer"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(makeHeading(tr("Projects"), box));
    buttons->addStretch();
    for (QPushButton *b :
         {m_newProjectButton, m_syncButton, m_pullButton, m_editProjectButton, m_deleteProjectButton}) {
        buttons->addWidget(b);
    }
    m_projectsHint = new QLabel(box);
    m_projectsHint->setObjectName(QStringLiteral("projectsHint"));
    m_projectsHint->setWordWrap(true);
    m_projectsView = new RecordTable(m_projects, QStringLiteral("projectsView"), ProjectsModel::NameColumn, box);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_projectsHint);
    layout->addWidget(m_projectsView, 1);
    return box;
}

QWidget *JobsPane::buildJobsBox()
{
    auto *box = new QWidget(this);
    m_jobsTitle = makeHeading(QString(), box);
    m_jobsTitle->setObjectName(QStringLiteral("jobsTitle"));
    m_newJobButton = makeButton(tr("New &job…"), QStringLiteral("newJobButton"), box);
    m_editJobButton = makeButton(tr("Ed&it…"), QStringLiteral("editJobButton"), box);
    m_deleteJobButton = makeButton(tr("De&lete"), QStringLiteral("deleteJobButton"), box);
    m_duplicateJobButton = makeButton(tr("D&uplicate…"), QStringLiteral("duplicateJobButton"), box);
    m_duplicateJobButton->setToolTip(tr("A new job with this one's command and settings, none of its runs"));
    m_startJobButton = makeButton(tr("S&tart"), QStringLiteral("startJobButton"), box);
    m_startJobButton->setToolTip(tr("Run the job's command on its project's host"));
    m_cancelJobButton = makeButton(tr("&Cancel job…"), QStringLiteral("cancelJobButton"), box);
    m_cancelJobButton->setToolTip(tr("Interrupt the running job"));
    m_statusButton = new QToolButton(box);
    m_statusButton->setObjectName(QStringLiteral("jobStatusButton"));
    m_statusButton->setText(tr("Set &status"));
    m_statusButton->setPopupMode(QToolButton::InstantPopup);
    m_statusButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_jobsTitle);
    buttons->addStretch();
    buttons->addWidget(m_newJobButton);
    buttons->addWidget(m_startJobButton);
    buttons->addWidget(m_cancelJobButton);
    buttons->addWidget(m_editJobButton);
    buttons->addWidget(m_duplicateJobButton);
    buttons->addWidget(m_statusButton);
    buttons->addWidget(m_deleteJobButton);
    m_jobsView = new RecordTable(m_jobs, QStringLiteral("jobsView"), JobsModel::CommandColumn, box);
    m_jobsView->setContextMenuPolicy(Qt::CustomContextMenu);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_jobsView, 1);
    return box;
}

QWidget *JobsPane::buildRunBox()
{
    auto *box = new QSplitter(Qt::Horizontal, this);
    box->setObjectName(QStringLiteral("jobRunSplitter"));
    box->setChildrenCollapsible(false);
    auto *logBox = new QWidget(box);
    m_logView = new JobLogView(m_core, logBox);
    m_attemptBox = new QComboBox(logBox);
    m_attemptBox->setObjectName(QStringLiteral("logAttemptBox"));
    m_attemptBox->setToolTip(tr("Each run of the job is an attempt with its own log"));
    auto *logHeader = new QHBoxLayout;
    logHeader->addWidget(makeHeading(tr("Log"), logBox));
    logHeader->addStretch();
    logHeader->addWidget(m_attemptBox);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addLayout(logHeader);
    logLayout->addWidget(m_logView, 1);
    auto *chartBox = new QWidget(box);
    m_chart = new JobMetricsChart(m_core.jobs(), chartBox);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(makeHeading(tr("Metrics"), chartBox));
    chartLayout->addWidget(m_chart, 1);
    box->addWidget(logBox);
    box->addWidget(chartBox);
    box->setStretchFactor(0, 3);
    box->setStretchFactor(1, 2);
    box->setSizes({600, 400});
    return box;
}

void JobsPane::buildStatusMenu()
{
    m_statusMenu = new QMenu(tr("Set status"), this);
    m_statusMenu->setObjectName(QStringLiteral("jobStatusMenu"));
    auto *group = new QActionGroup(m_statusMenu);
    for (const QString &status : Job::statuses()) {
        QAction *action = m_statusMenu->addAction(Labels::jobStatus(status));
        action->setData(status);
        action->setCheckable(true);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, status] { setJobStatus(selectedJobId(), status); });
    }
    // The current status is ticked, so the menu doubles as a display of it.
    connect(m_statusMenu, &QMenu::aboutToShow, this, [this] {
        const Job *job = m_jobs->job(selectedJobId());
        for (QAction *action : m_statusMenu->actions()) {
            action->setChecked(job && action->data().toString() == job->status);
        }
    });
    m_statusButton->setMenu(m_statusMenu);
}

void JobsPane::connectActions()
{
    connectCoalesced(m_core.events(), &StoreEvents::connectionsChanged, this, [this] { reloadProjects(); });
    connectCoalesced(m_core.events(), &StoreEvents::projectsChanged, this, [this] { reloadProjects(); });
    connectCoalesced(m_core.events(), &StoreEvents::jobsChanged, this, [this] { reloadJobs(); });
    // Sync and Pull need the project's host connected.
    connect(&m_core.ssh(), &SshPool::statusChanged, this, &JobsPane::updateButtons);
    connect(m_syncButton, &QPushButton::clicked, this, [this] { syncProject(selectedProjectId()); });
    connect(m_pullButton, &QPushButton::clicked, this, [this] { pullFromProject(selectedProjectId()); });
    connect(m_projectsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_reloading) {
            reloadJobs();
        }
    });
    connect(m_jobsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        if (!m_reloading) {
            showSelectedRun();
        }
    });
    connect(m_startJobButton, &QPushButton::clicked, this, [this] { startJob(selectedJobId()); });
    connect(m_attemptBox, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_fillingAttempts) {
            showAttempt(m_attemptBox->currentData().toInt());
        }
    });
    connect(m_cancelJobButton, &QPushButton::clicked, this, [this] { cancelJob(selectedJobId()); });
    connect(m_newProjectButton, &QPushButton::clicked, this, &JobsPane::addProject);
    connect(m_editProjectButton, &QPushButton::clicked, this, [this] { editProject(selectedProjectId()); });
    connect(m_deleteProjectButton, &QPushButton::clicked, this, [this] { deleteProject(selectedProjectId()); });
    connect(m_projectsView, &QTableView::doubleClicked, this, [this] { editProject(selectedProjectId()); });
    connect(m_newJobButton, &QPushButton::clicked, this, &JobsPane::addJob);
    connect(m_editJobButton, &QPushButton::clicked, this, [this] { editJob(selectedJobId()); });
    connect(m_duplicateJobButton, &QPushButton::clicked, this, [this] { duplicateJob(selectedJobId()); });
    m_durationTimer = new QTimer(this);
    m_durationTimer->setInterval(1000);
    connect(m_durationTimer, &QTimer::timeout, m_jobs, &JobsModel::tick);
    connect(m_deleteJobButton, &QPushButton::clicked, this, [this] { deleteJob(selectedJobId()); });
    connect(m_jobsView, &QTableView::doubleClicked, this, [this] { editJob(selectedJobId()); });
    connect(m_jobsView, &QTableView::customContextMenuRequested, this, &JobsPane::showJobMenu);
}

void JobsPane::reloadProjects()
{
    const auto connections = m_core.connections().list();
    const auto projects = m_core.projects().list();
    if (!connections.ok() || !projects.ok()) {
        Q_EMIT message(FormErrors::text(connections.ok() ? projects.error() : connections.error()));
        return;
    }
    QHash<qint64, QString> names;
    for (const Connection &c : connections.value()) {
        names.insert(c.id, c.name);
    }
    const qint64 keep = selectedProjectId();
    m_reloading = true;
    m_projects->setProjects(projects.value(), names);
    // Keep the selection; fall back to the first project so its jobs show without a click.
    selectProject(m_projects->rowOf(keep) >= 0 ? keep : projects->value(0).id);
    m_reloading = false;
    m_newProjectButton->setEnabled(!names.isEmpty());
    m_projectsHint->setText(names.isEmpty() ? tr("Add a connection first: every project lives on a connection.")
                                            : tr("No projects yet. Create one here or through the API."));
    m_projectsHint->setVisible(projects->isEmpty());
    reloadJobs();
}

void JobsPane::reloadJobs()
{
    const qint64 projectId = selectedProjectId();
    const qint64 keep = selectedJobId();
    QList<Job> jobs;
    if (projectId > 0) {
        const auto listed = m_core.jobs().list(projectId);
        if (!listed.ok()) {
            Q_EMIT message(FormErrors::text(listed.error()));
            return;
        }
        jobs = listed.value();
    }
    const bool wasReloading = m_reloading;
    m_reloading = true;
    m_jobs->setJobs(jobs);
    if (m_jobs->anyRunning()) {
        m_durationTimer->start();
    } else {
        m_durationTimer->stop();
    }
    selectJob(keep);
    m_reloading = wasReloading;
    showSelectedRun();
    const Project *project = m_projects->project(projectId);
    m_jobsTitle->setText(project ? tr("Jobs of %1").arg(project->name) : tr("Jobs"));
    updateButtons();
}

void JobsPane::updateButtons()
{
    const bool project = selectedProjectId() != 0;
    const bool job = selectedJobId() != 0;
    m_editProjectButton->setEnabled(project);
    m_deleteProjectButton->setEnabled(project);
    m_newJobButton->setEnabled(project);
    const Project *p = m_projects->project(selectedProjectId());
    const bool connected = p && m_core.ssh().status(p->connectionId).state == LinkState::Connected;
    const bool syncing = p && m_syncDialogs.value(p->id);
    m_syncButton->setEnabled(p && !p->localPath.isEmpty() && (connected || syncing));
    m_syncButton->setToolTip(
        !p                       ? tr("Select a project")
        : p->localPath.isEmpty() ? tr("Give the project a local folder (Edit…) to sync it")
        : syncing                ? tr("Show the sync in progress")
        : !connected             ? tr("Connect %1 first: sync goes over its SSH session").arg(hostName(p->connectionId))
                     : tr("Send the files git tracks in %1 (and the extra files) to %2:%3; only what changed")
                           .arg(p->localPath, hostName(p->connectionId), p->remotePath));
    m_pullButton->setEnabled(p && connected);
    m_deleteJobButton->setEnabled(job);
    m_duplicateJobButton->setEnabled(job);
    m_statusButton->setEnabled(job);
    const Job *selected = m_jobs->job(selectedJobId());
    const bool running = selected && selected->status == QLatin1String("running");
    const bool ended = selected && selected->attempt > 0 && Job::isFinal(selected->status);
    // Enabled exactly when the core would start it (the same check as the API's start); otherwise the tooltip says
    // why, in the core's words.
    const Status startable =
        selected ? m_core.jobRunner().canStart(selected->id) : Status(Error::validation({}, tr("Select a job")));
    m_startJobButton->setEnabled(startable.ok() && !m_starting.contains(selected->id));
    m_startJobButton->setText(ended ? tr("Run a&gain") : tr("S&tart"));
    m_startJobButton->setToolTip(
        !startable.ok() && startable.error().field == QLatin1String("command")
            ? tr("Give the job a command (Edit…) to run it from here")
        : !startable.ok() ? FormErrors::text(startable.error())
        : ended ? tr("Run the job's command again, as attempt %1 (the earlier logs stay)").arg(selected->attempt + 1)
                : tr("Run the job's command on its project's host"));
    m_cancelJobButton->setEnabled(running);
}

void JobsPane::showSelectedRun()
{
    // Both re-read on every jobs change: the log follows or stops, the chart picks up new metrics lines.
    const qint64 id = selectedJobId();
    fillAttempts(id);
    showAttempt(m_attemptBox->currentData().toInt());
    m_chart->showJob(id);
}

void JobsPane::fillAttempts(qint64 jobId)
{
    // Items: "Attempt N — status", newest last; the newest is "0" (follow whichever attempt is the latest).
    const int keep = m_attemptBox->currentData().toInt();
    const bool sameJob = m_attemptBox->property("jobId").toLongLong() == jobId;
    m_fillingAttempts = true;
    m_attemptBox->clear();
    m_attemptBox->setProperty("jobId", jobId);
    const auto attempts = jobId > 0 ? m_core.jobs().attempts(jobId) : Result<QList<JobAttempt>>(QList<JobAttempt>{});
    if (attempts.ok()) {
        for (qsizetype i = 0; i < attempts->size(); ++i) {
            const JobAttempt &a = attempts->at(i);
            const bool latest = i == attempts->size() - 1;
            const QString state = a.isLive() ? tr("running") : Labels::jobStatus(a.status);
            m_attemptBox->addItem(tr("Attempt %1 — %2").arg(a.attempt).arg(state), latest ? 0 : a.attempt);
        }
    }
    const int index = sameJob ? m_attemptBox->findData(keep) : -1;
    m_attemptBox->setCurrentIndex(index >= 0 ? index : m_attemptBox->count() - 1);
    m_attemptBox->setVisible(m_attemptBox->count() > 1);
    m_fillingAttempts = false;
}

void JobsPane::showAttempt(int attempt)
{
    m_logView->showJob(selectedJobId(), attempt);
}

void JobsPane::startJob(qint64 jobId)
{
    const Job *job = m_jobs->job(jobId);
    if (!job) {
        return;
    }
    const QString name = job->name;
    m_starting.insert(jobId);
    m_startJobButton->setEnabled(false);
    Q_EMIT message(tr("Starting job %1…").arg(name));
    m_core.jobRunner().startJob(jobId).then(this, [this, name, jobId](const Result<Job> &started) {
        m_starting.remove(jobId);
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/jobs/:id/start"),
                                 QString::number(jobId), started.ok() ? Status() : Status(started.error()));
        fillAttempts(selectedJobId());
        updateButtons();
        if (!started.ok()) {
            // Not blocking: the pane goes on following other jobs while the box is up.
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Start job"), tr("Could not start %1.").arg(name),
                                        QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("startJobError"));
            box->setInformativeText(FormErrors::text(started.error()));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            Q_EMIT message(tr("Could not start job %1").arg(name));
            return;
        }
        Q_EMIT message(tr("Started job %1").arg(name));
    });
}

void JobsPane::cancelJob(qint64 jobId)
{
    const Job *job = m_jobs->job(jobId);
    if (!job) {
        return;
    }
    const QString name = job->name;
    if (!m_confirm(this, tr("Cancel job"),
                   tr("Cancel the running job %1? It is interrupted, and killed if it has not stopped after 10 "
                      "seconds.")
                       .arg(name),
                   tr("Cancel job"))) {
        return;
    }
    m_cancelJobButton->setEnabled(false);
    m_core.jobRunner().cancelJob(jobId).then(this, [this, name, jobId](const Result<Job> &cancelled) {
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/jobs/:id/cancel"),
                                 QString::number(jobId), cancelled.ok() ? Status() : Status(cancelled.error()));
        updateButtons();
        if (!cancelled.ok()) {
            QMessageBox::warning(this, tr("Cancel job"), FormErrors::text(cancelled.error()));
            return;
        }
        Q_EMIT message(tr("Cancelled job %1").arg(name));
    });
}

void JobsPane::showJobMenu(const QPoint &pos)
{
    if (selectedJobId() == 0) {
        return;
    }
    QMenu menu(this);
    QAction *start =
        menu.addAction(m_startJobButton->text().remove(QLatin1Char('&')), this, [this] { startJob(selectedJobId()); });
    start->setEnabled(m_startJobButton->isEnabled());
    menu.addAction(tr("Edit…"), this, [this] { editJob(selectedJobId()); });
    menu.addAction(tr("Duplicate…"), this, [this] { duplicateJob(selectedJobId()); });
    menu.addMenu(m_statusMenu);
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this] { deleteJob(selectedJobId()); });
    menu.exec(m_jobsView->viewport()->mapToGlobal(pos));
}

qint64 JobsPane::selectedProjectId() const
{
    return m_projectsView->selectedId();
}

qint64 JobsPane::selectedJobId() const
{
    return m_jobsView->selectedId();
}

void JobsPane::selectProject(qint64 id)
{
    m_projectsView->selectId(id);
}

void JobsPane::selectJob(qint64 id)
{
    m_jobsView->selectId(id);
}

ProjectDialog *JobsPane::addProject()
{
    Project project;
    if (const Project *current = m_projects->project(selectedProjectId())) {
        project.connectionId = current->connectionId; // new work usually goes on the same box
    }
    return openProjectDialog(project);
}

ProjectDialog *JobsPane::editProject(qint64 id)
{
    const auto project = m_core.projects().get(id);
    if (!project.ok()) {
        Q_EMIT message(FormErrors::text(project.error()));
        return nullptr;
    }
    return openProjectDialog(project.value());
}

ProjectDialog *JobsPane::openProjectDialog(const Project &project)
{
    const auto connections = m_core.connections().list();
    if (!connections.ok() || connections->isEmpty()) {
        Q_EMIT message(tr("Add a connection first: every project lives on a connection."));
        return nullptr;
    }
    auto *dialog = new ProjectDialog(m_core.projects(), connections.value(), project, this);
    dialog->setPathChecker(&m_core.jobRunner());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool isNew = project.id == 0;
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew] {
        m_core.audit().recordGui(isNew ? QStringLiteral("POST") : QStringLiteral("PUT"),
                                 isNew ? QStringLiteral("/api/dgx/projects") : QStringLiteral("/api/dgx/projects/:id"),
                                 QString::number(dialog->saved().id));
        selectProject(dialog->saved().id);
        Q_EMIT message(tr("Saved project %1").arg(dialog->saved().name));
    });
    dialog->open();
    return dialog;
}

JobDialog *JobsPane::addJob()
{
    const qint64 projectId = selectedProjectId();
    if (projectId == 0) {
        return nullptr;
    }
    Job job;
    job.projectId = projectId;
    return openJobDialog(job);
}

JobDialog *JobsPane::editJob(qint64 id)
{
    const auto job = m_core.jobs().get(id);
    if (!job.ok()) {
        Q_EMIT message(FormErrors::text(job.error()));
        return nullptr;
    }
    return openJobDialog(job.value());
}

JobDialog *JobsPane::duplicateJob(qint64 id)
{
    const auto job = m_core.jobs().get(id);
    if (!job.ok()) {
        Q_EMIT message(FormErrors::text(job.error()));
        return nullptr;
    }
    return openJobDialog(job->duplicate(tr("%1 (copy)").arg(job->name)));
}

JobDialog *JobsPane::openJobDialog(const Job &job)
{
    bool onRunPod = false;
    if (const auto project = m_core.projects().get(job.projectId); project.ok()) {
        const auto connection = m_core.connections().get(project->connectionId);
        onRunPod = connection.ok() && connection->kind == QStringLiteral("runpod");
    }
    auto *dialog = new JobDialog(m_core.jobs(), job, onRunPod, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool isNew = job.id == 0;
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew] {
        m_core.audit().recordGui(isNew ? QStringLiteral("POST") : QStringLiteral("PUT"),
                                 isNew ? QStringLiteral("/api/dgx/jobs") : QStringLiteral("/api/dgx/jobs/:id"),
                                 QString::number(dialog->saved().id));
        selectProject(dialog->saved().projectId);
        selectJob(dialog->saved().id);
        Q_EMIT message(tr("Saved job %1").arg(dialog->saved().name));
    });
    dialog->open();
    return dialog;
}

bool JobsPane::setJobStatus(qint64 jobId, const QString &status)
{
    auto job = m_core.jobs().get(jobId);
    if (!job.ok()) {
        Q_EMIT message(FormErrors::text(job.error()));
        return false;
    }
    job.value().status = status;
    const auto updated = m_core.jobs().update(job.value());
    m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/dgx/jobs/:id"), QString::number(jobId),
                             updated.ok() ? Status() : Status(updated.error()));
    if (!updated.ok()) {
        QMessageBox::warning(this, tr("Set job status"), FormErrors::text(updated.error()));
        return false;
    }
    Q_EMIT message(tr("Job %1: %2").arg(updated->name, Labels::jobStatus(status)));
    return true;
}

QString JobsPane::hostName(qint64 connectionId) const
{
    const auto connection = m_core.connections().get(connectionId);
    return connection.ok() ? connection->name : tr("its host");
}

SyncProgressDialog *JobsPane::syncProject(qint64 projectId)
{
    if (SyncProgressDialog *running = m_syncDialogs.value(projectId)) {
        running->show();
        running->raise();
        running->activateWindow();
        return running;
    }
    const Project *project = m_projects->project(projectId);
    if (!project) {
        return nullptr;
    }
    const QString name = project->name;
    const QString title = tr("Sync %1 to %2:%3").arg(name, hostName(project->connectionId), project->remotePath);
    const auto started = m_core.sync().sync(projectId);
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/projects/:id/sync"),
                             QString::number(projectId), started.ok() ? Status() : Status(started.error()));
    if (!started.ok()) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Sync"), tr("Could not sync %1.").arg(name),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("syncError"));
        box->setInformativeText(FormErrors::text(started.error()));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return nullptr;
    }
    SyncProgressDialog *dialog = openSyncProgress(started->progress, started->done, title);
    m_syncDialogs.insert(projectId, dialog);
    updateButtons();
    return dialog;
}

PullDialog *JobsPane::pullFromProject(qint64 projectId)
{
    const Project *project = m_projects->project(projectId);
    if (!project) {
        return nullptr;
    }
    const QString host = hostName(project->connectionId);
    auto *dialog = new PullDialog(m_core.sync(), *project, host, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString title = tr("Pull from %1:%2").arg(host, project->remotePath);
    connect(dialog, &PullDialog::started, this,
            [this, projectId, title](const SyncProgress &start, const QFuture<SyncProgress> &done) {
                m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/projects/:id/pull"),
                                         QString::number(projectId));
                openSyncProgress(start, done, title);
            });
    dialog->open();
    return dialog;
}

SyncProgressDialog *JobsPane::openSyncProgress(const SyncProgress &start, const QFuture<SyncProgress> &done,
                                               const QString &title)
{
    auto *dialog = new SyncProgressDialog(m_core.sync(), start, done, title, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SyncProgressDialog::ended, this, [this, dialog](const SyncProgress &end) {
        if (end.kind != QLatin1String("pull")) {
            m_syncDialogs.remove(end.projectId);
        }
        updateButtons();
        Q_EMIT message(SyncProgressDialog::summaryText(end));
        // Sent out of the way (Esc) while it ran: nobody will close it, so it goes now; the status bar has the result.
        if (!dialog->isVisible()) {
            dialog->deleteLater();
        }
    });
    dialog->show();
    return dialog;
}

void JobsPane::deleteProject(qint64 id)
{
    const Project *project = m_projects->project(id);
    if (!project) {
        return;
    }
    const QString name = project->name;
    const auto jobs = m_core.jobs().list(id);
    const qsizetype count = jobs.ok() ? jobs->size() : 0;
    const QString text = count == 0 ? tr("Delete the project %1?").arg(name)
                                    : tr("Delete the project %1 and its %n job(s)?", nullptr, int(count)).arg(name);
    if (!Confirm::ask(this, tr("Delete project"), text, tr("Delete"))) {
        return;
    }
    const Status removed = m_core.projects().remove(id);
    m_core.audit().recordGui(QStringLiteral("DELETE"), QStringLiteral("/api/dgx/projects/:id"), QString::number(id),
                             removed);
    if (!removed.ok()) {
        QMessageBox::warning(this, tr("Delete project"), FormErrors::text(removed.error()));
        return;
    }
    Q_EMIT message(tr("Deleted project %1").arg(name));
}

void JobsPane::deleteJob(qint64 id)
{
    const Job *job = m_jobs->job(id);
    if (!job) {
        return;
    }
    const QString name = job->name;
    if (!Confirm::ask(this, tr("Delete job"), tr("Delete the job %1?").arg(name), tr("Delete"))) {
        return;
    }
    const Status removed = m_core.jobs().remove(id);
    m_core.audit().recordGui(QStringLiteral("DELETE"), QStringLiteral("/api/dgx/jobs/:id"), QString::number(id),
                             removed);
    if (!removed.ok()) {
        QMessageBox::warning(this, tr("Delete job"), FormErrors::text(removed.error()));
        return;
    }
    Q_EMIT message(tr("Deleted job %1").arg(name));
}

} // namespace gpudeck
