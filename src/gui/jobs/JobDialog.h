#pragma once

#include "FormErrors.h"
#include "store/Entities.h"

#include <QDialog>
#include <memory>

namespace Ui {
class JobDialog;
}

namespace gpudeck {

class JobRepository;

// Adds or edits a tracked job through the repository; a refusal is shown inline and the dialog stays open.
class JobDialog : public QDialog
{
    Q_OBJECT
public:
    // Adds a new job to `job.projectId` when `job.id` is 0, otherwise edits it. `onRunPod`: the project is on a
    // `runpod` connection, so the cost guard's "when it ends" choice applies (otherwise it is offered only to be
    // cleared).
    JobDialog(JobRepository &repository, const Job &job, bool onRunPod = false, QWidget *parent = nullptr);
    ~JobDialog() override;

    const Job &saved() const { return m_job; }
    // KEY=VALUE lines (blank lines and # comments skipped) to the job's env object; the core checks the names.
    static Result<QJsonObject> parseEnv(const QString &text);

public Q_SLOTS:
    void accept() override;

private:
    void load(const Job &job);
    void updateOnEndNote();
    Result<Job> fromFields() const;

    std::unique_ptr<Ui::JobDialog> m_ui;
    JobRepository &m_repository;
    Job m_job;
    bool m_onRunPod = false;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
