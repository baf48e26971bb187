#pragma once

#include "Confirm.h"
#include "sync/SyncTypes.h"

#include <QFuture>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QComboBox;
class QLabel;
class QMenu;
class QPushButton;
class QTimer;
class QToolButton;

namespace gpudeck {

class Core;
class JobDialog;
class JobLogView;
class JobMetricsChart;
class JobsModel;
class ProjectDialog;
class ProjectsModel;
class PullDialog;
class RecordTable;
class SyncProgressDialog;
struct Job;
struct Project;

// The Jobs pane: projects on top, the selected project's jobs below. Reloads whenever the store says
// connections, projects or jobs changed, whoever changed them (this window or the API).
class JobsPane : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPane(Core &core, QWidget *parent = nullptr);

    // Reads the projects and the selected project's jobs again (View ▸ Refresh, F5).
    void refresh();

    // Open the dialog without blocking (window-modal) and return it; it deletes itself when closed.
    // addProject returns nullptr when there is no connection to put a project on.
    ProjectDialog *addProject();
    ProjectDialog *editProject(qint64 id);
    JobDialog *addJob();
    JobDialog *editJob(qint64 id);
    // Opens the New job dialog filled with the job's definition (none of its runs) under a new name.
    JobDialog *duplicateJob(qint64 id);
    // Ask first, then delete.
    void deleteProject(qint64 id);
    void deleteJob(qint64 id);
    // The quick status change; the repository stamps started_at / completed_at.
    bool setJobStatus(qint64 jobId, const QString &status);
    // Launches the job on its project's host — again, as a new attempt, when it has ended; a refusal (no tmux, not
    // connected, a missing folder...) is shown in a message box.
    void startJob(qint64 jobId);
    // Asks first, then interrupts the job (and kills it after a grace period).
    void cancelJob(qint64 jobId);
    // Sends the project's git-tracked files (and extra files) to its host, with a progress dialog (cancel, summary);
    // while a sync of that project runs, shows its dialog again. A refusal is shown in a message box (nullptr).
    SyncProgressDialog *syncProject(qint64 projectId);
    // Opens the Pull dialog (remote paths → a local folder); on Pull, its progress dialog follows.
    PullDialog *pullFromProject(qint64 projectId);
    QPushButton *syncButton() const { return m_syncButton; }
    QPushButton *pullButton() const { return m_pullButton; }
    // Tests answer the Cancel question without a nested event loop.
    void setConfirm(Confirm::Question question) { m_confirm = std::move(question); }

    qint64 selectedProjectId() const;
    qint64 selectedJobId() const;
    void selectProject(qint64 id);
    void selectJob(qint64 id);
    RecordTable *projectsView() const { return m_projectsView; }
    RecordTable *jobsView() const { return m_jobsView; }
    JobLogView *logView() const { return m_logView; }
    QComboBox *attemptBox() const { return m_attemptBox; }
    // Shows the log of attempt `attempt` of the selected job (0: the latest).
    void showAttempt(int attempt);
    JobMetricsChart *metricsChart() const { return m_chart; }

Q_SIGNALS:
    // A short note for the status bar.
    void message(const QString &text);

private:
    QWidget *buildProjectsBox();
    QWidget *buildJobsBox();
    QWidget *buildRunBox();
    void showSelectedRun();
    void fillAttempts(qint64 jobId);
    void buildStatusMenu();
    void connectActions();
    void reloadProjects();
    void reloadJobs();
    void updateButtons();
    void showJobMenu(const QPoint &pos);
    ProjectDialog *openProjectDialog(const Project &project);
    SyncProgressDialog *openSyncProgress(const SyncProgress &start, const QFuture<SyncProgress> &done,
                                         const QString &title);
    QString hostName(qint64 connectionId) const;
    JobDialog *openJobDialog(const Job &job);

    Core &m_core;
    ProjectsModel *m_projects;
    JobsModel *m_jobs;
    bool m_reloading = false;
    RecordTable *m_projectsView = nullptr;
    RecordTable *m_jobsView = nullptr;
    QLabel *m_projectsHint = nullptr;
    QLabel *m_jobsTitle = nullptr;
    QPushButton *m_newProjectButton = nullptr;
    QPushButton *m_editProjectButton = nullptr;
    QPushButton *m_deleteProjectButton = nullptr;
    QPushButton *m_syncButton = nullptr;
    QPushButton *m_pullButton = nullptr;
    QHash<qint64, QPointer<SyncProgressDialog>> m_syncDialogs; // the running sync's dialog, by project
    QPushButton *m_newJobButton = nullptr;
    QPushButton *m_editJobButton = nullptr;
    QPushButton *m_deleteJobButton = nullptr;
    QPushButton *m_duplicateJobButton = nullptr;
    QTimer *m_durationTimer = nullptr; // repaints a running job's duration every second
    QSet<qint64> m_starting;           // jobs whose start this pane asked for and has no answer yet
    QToolButton *m_statusButton = nullptr;
    QPushButton *m_startJobButton = nullptr;
    QPushButton *m_cancelJobButton = nullptr;
    JobLogView *m_logView = nullptr;
    QComboBox *m_attemptBox = nullptr;
    bool m_fillingAttempts = false;
    JobMetricsChart *m_chart = nullptr;
    Confirm::Question m_confirm = Confirm::standard();
    QMenu *m_statusMenu = nullptr;
};

} // namespace gpudeck
