#include "jobs/JobDialog.h"

#include "Labels.h"
#include "store/JobRepository.h"
#include "ui_JobDialog.h"

namespace gpudeck {

JobDialog::JobDialog(JobRepository &repository, const Job &job, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::JobDialog>())
    , m_repository(repository)
    , m_job(job)
{
    m_ui->setupUi(this);
    Labels::fill(m_ui->statusCombo, Job::statuses(), &Labels::jobStatus);
    m_errors = std::make_unique<FormErrors>(m_ui->errorLabel);
    m_errors->addField(QStringLiteral("name"), m_ui->nameEdit);
    m_errors->addField(QStringLiteral("model_name"), m_ui->modelEdit);
    m_errors->addField(QStringLiteral("status"), m_ui->statusCombo);
    load(job);
    setWindowTitle(job.id == 0 ? tr("New job") : tr("Edit job %1").arg(job.name));
}

JobDialog::~JobDialog() = default;

void JobDialog::load(const Job &j)
{
    m_ui->nameEdit->setText(j.name);
    m_ui->modelEdit->setText(j.modelName);
    Labels::select(m_ui->statusCombo, j.status);
}

Job JobDialog::fromFields() const
{
    // Starts from the loaded job so config, metrics, container and times survive; the repository stamps
    // started_at / completed_at when the status changes.
    Job j = m_job;
    j.name = m_ui->nameEdit->text().trimmed();
    j.modelName = m_ui->modelEdit->text().trimmed();
    j.status = Labels::selected(m_ui->statusCombo);
    return j;
}

void JobDialog::accept()
{
    m_errors->clear();
    const Job j = fromFields();
    Result<Job> saved = j.id == 0 ? m_repository.create(j) : m_repository.update(j);
    if (!saved.ok()) {
        m_errors->show(saved.error());
        return;
    }
    m_job = saved.value();
    QDialog::accept();
}

} // namespace gpudeck
