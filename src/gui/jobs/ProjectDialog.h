#pragma once

#include "FormErrors.h"
#include "store/Entities.h"

#include <QDialog>
#include <QList>

#include <memory>

namespace Ui {
class ProjectDialog;
}

namespace gpudeck {

class ProjectRepository;

// Adds or edits a project through the repository; a refusal is shown inline and the dialog stays open.
class ProjectDialog : public QDialog
{
    Q_OBJECT
public:
    // Adds a new project when `project.id` is 0, otherwise edits it. `connections` fill the connection combo.
    ProjectDialog(ProjectRepository &repository, const QList<Connection> &connections, const Project &project,
                  QWidget *parent = nullptr);
    ~ProjectDialog() override;

    const Project &saved() const { return m_project; }
    // "tmux session on the host", "Slurm batch job".
    static QString backendLabel(const QString &backend);

public Q_SLOTS:
    void accept() override;

private:
    void setupFields(const QList<Connection> &connections);
    void load(const Project &project);
    Project fromFields() const;

    std::unique_ptr<Ui::ProjectDialog> m_ui;
    ProjectRepository &m_repository;
    Project m_project;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
