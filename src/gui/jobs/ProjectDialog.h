#pragma once

#include "FormErrors.h"
#include "store/Entities.h"

#include <QDialog>
#include <QList>
#include <memory>

class QCheckBox;
class QFileDialog;

namespace Ui {
class ProjectDialog;
}

namespace gpudeck {

class JobSupervisor;
class ProjectRepository;

// Adds or edits a project through the repository; a refusal is shown inline and the dialog stays open. With a
// checker (setPathChecker), a new or changed remote path is first checked on the host when it is connected — and
// created there when "Create the folder" is ticked — the same check as the API's. The local folder (what Sync sends)
// is checked as it is typed or picked (a git work tree, Project::checkLocalPath) and again by the repository on save;
// extra files are picked one by one (stored relative to the local folder when inside it).
class ProjectDialog : public QDialog
{
    Q_OBJECT
public:
    // Adds a new project when `project.id` is 0, otherwise edits it. `connections` fill the connection combo.
    ProjectDialog(ProjectRepository &repository, const QList<Connection> &connections, const Project &project,
                  QWidget *parent = nullptr);
    ~ProjectDialog() override;

    const Project &saved() const { return m_project; }
    void setPathChecker(JobSupervisor *checker) { m_checker = checker; }
    // "tmux session on the host", "Slurm batch job".
    static QString backendLabel(const QString &backend);

    // The folder picker and the extra-file picker open without blocking (window-modal) and return the dialog.
    QFileDialog *browseLocalPath();
    QFileDialog *browseExtraFiles();
    // What the extra-file picker does with the chosen files: adds each once (relative to the local folder when in it).
    void addExtraFiles(const QStringList &paths);
    void removeSelectedExtraFiles();
    QStringList extraFiles() const;

public Q_SLOTS:
    void accept() override;

private:
    void checkLocalPath();
    void setupFields(const QList<Connection> &connections);
    void load(const Project &project);
    Project fromFields() const;
    void save(const Project &p);

    std::unique_ptr<Ui::ProjectDialog> m_ui;
    ProjectRepository &m_repository;
    Project m_project;
    std::unique_ptr<FormErrors> m_errors;
    JobSupervisor *m_checker = nullptr;
    QCheckBox *m_createPath = nullptr;
    bool m_checking = false;
};

} // namespace gpudeck
