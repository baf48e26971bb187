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
    m_errors->addField(QStringLiteral("command"), m_ui->commandEdit);
    m_errors->addField(QStringLiteral("working_dir"), m_ui->workingDirEdit);
    m_errors->addField(QStringLiteral("env"), m_ui->envEdit);
    load(job);
    setWindowTitle(job.id == 0 ? tr("New job") : tr("Edit job %1").arg(job.name));
}

JobDialog::~JobDialog() = default;

void JobDialog::load(const Job &j)
{
    m_ui->nameEdit->setText(j.name);
    m_ui->modelEdit->setText(j.modelName);
    Labels::select(m_ui->statusCombo, j.status);
    m_ui->commandEdit->setPlainText(j.command);
    m_ui->workingDirEdit->setText(j.workingDir);
    QStringList env;
    for (auto it = j.env.begin(); it != j.env.end(); ++it) {
        env.append(it.key() + QLatin1Char('=') + it.value().toString());
    }
    m_ui->envEdit->setPlainText(env.join(QLatin1Char('\n')));
}

Result<QJsonObject> JobDialog::parseEnv(const QString &text)
{
    QJsonObject env;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            return Error::validation(QStringLiteral("env"),
                                     tr("Environment line %1 is not KEY=VALUE: %2").arg(i + 1).arg(line));
        }
        env.insert(line.left(eq).trimmed(), line.mid(eq + 1));
    }
    return env;
}

Result<Job> JobDialog::fromFields() const
{
    // Starts from the loaded job so config, metrics, container and times survive; the repository stamps
    // started_at / completed_at when the status changes.
    Job j = m_job;
    j.name = m_ui->nameEdit->text().trimmed();
    j.modelName = m_ui->modelEdit->text().trimmed();
    j.status = Labels::selected(m_ui->statusCombo);
    j.command = m_ui->commandEdit->toPlainText().trimmed();
    j.workingDir = m_ui->workingDirEdit->text().trimmed();
    const auto env = parseEnv(m_ui->envEdit->toPlainText());
    if (!env.ok()) {
        return env.error();
    }
    j.env = env.value();
    return j;
}

void JobDialog::accept()
{
    m_errors->clear();
    const auto fields = fromFields();
    if (!fields.ok()) {
        m_errors->show(fields.error());
        return;
    }
    const Job &j = fields.value();
    Result<Job> saved = j.id == 0 ? m_repository.create(j) : m_repository.update(j);
    if (!saved.ok()) {
        m_errors->show(saved.error());
        return;
    }
    m_job = saved.value();
    QDialog::accept();
}

} // namespace gpudeck
