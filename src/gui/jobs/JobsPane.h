#pragma once

#include <QWidget>

class QLabel;
class QMenu;
class QPushButton;
class QToolButton;

namespace gpudeck {

class Core;
class JobDialog;
class JobsModel;
class ProjectDialog;
class ProjectsModel;
class RecordTable;
struct Job;
struct Project;

// The Jobs pane: projects on top, the selected project's jobs below. Reloads whenever the store says
// connections, projects or jobs changed, whoever changed them (this window or the API).
class JobsPane : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPane(Core &core, QWidget *parent = nullptr);

    // Open the dialog without blocking (window-modal) and return it; it deletes itself when closed.
    // addProject returns nullptr when there is no connection to put a project on.
    ProjectDialog *addProject();
    ProjectDialog *editProject(qint64 id);
    JobDialog *addJob();
    JobDialog *editJob(qint64 id);
    // Ask first, then delete.
    void deleteProject(qint64 id);
    void deleteJob(qint64 id);
    // The quick status change; the repository stamps started_at / completed_at.
    bool setJobStatus(qint64 jobId, const QString &status);

    qint64 selectedProjectId() const;
    qint64 selectedJobId() const;
    void selectProject(qint64 id);
    void selectJob(qint64 id);
    RecordTable *projectsView() const { return m_projectsView; }
    RecordTable *jobsView() const { return m_jobsView; }

Q_SIGNALS:
    // A short note for the status bar.
    void message(const QString &text);

private:
    QWidget *buildProjectsBox();
    QWidget *buildJobsBox();
    void buildStatusMenu();
    void connectActions();
    void reloadProjects();
    void reloadJobs();
    void updateButtons();
    void showJobMenu(const QPoint &pos);
    ProjectDialog *openProjectDialog(const Project &project);
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
    QPushButton *m_newJobButton = nullptr;
    QPushButton *m_editJobButton = nullptr;
    QPushButton *m_deleteJobButton = nullptr;
    QToolButton *m_statusButton = nullptr;
    QMenu *m_statusMenu = nullptr;
};

} // namespace gpudeck
