#include "jobs/JobDialog.h"

#include "Labels.h"
#include "store/JobRepository.h"
#include "ui_JobDialog.h"

#include <QFormLayout>

namespace gpudeck {

JobDialog::JobDialog(JobRepository &repository, const Job &job, bool onRunPod, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::JobDialog>())
    , m_repository(repository)
    , m_job(job)
    , m_onRunPod(onRunPod)
{
    m_ui->setupUi(this);
    Labels::fill(m_ui->statusCombo, Job::statuses(), &Labels::jobStatus);
    Labels::fill(m_ui->onEndCombo, Job::onEndActions(), &Labels::jobOnEnd);
    connect(m_ui->onEndCombo, &QComboBox::currentIndexChanged, this, &JobDialog::updateOnEndNote);
    m_errors = std::make_unique<FormErrors>(m_ui->errorLabel);
    m_errors->addField(QStringLiteral("name"), m_ui->nameEdit);
    m_errors->addField(QStringLiteral("model_name"), m_ui->modelEdit);
    m_errors->addField(QStringLiteral("status"), m_ui->statusCombo);
    m_errors->addField(QStringLiteral("command"), m_ui->commandEdit);
    m_errors->addField(QStringLiteral("working_dir"), m_ui->workingDirEdit);
    m_errors->addField(QStringLiteral("env"), m_ui->envEdit);
    m_errors->addField(QStringLiteral("on_end"), m_ui->onEndCombo);
    load(job);
    // A new job is pending until it runs or something reports on it: there is no status to choose yet.
    m_ui->formLayout->setRowVisible(m_ui->statusCombo, job.id != 0);
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
    Labels::select(m_ui->onEndCombo, j.onEnd);
    // Only a RunPod pod can be stopped: elsewhere the choice is there only to clear an on_end set before.
    m_ui->onEndCombo->setEnabled(m_onRunPod || j.onEnd != QStringLiteral("none"));
    if (!m_ui->onEndCombo->isEnabled()) {
        m_ui->onEndCombo->setToolTip(tr("Only for a project on a RunPod pod (a connection of kind runpod)"));
    }
    m_ui->syncCheck->setChecked(j.syncBeforeStart);
    updateOnEndNote();
}

void JobDialog::updateOnEndNote()
{
    const QString onEnd = Labels::selected(m_ui->onEndCombo);
    if (onEnd == QStringLiteral("none")) {
        m_ui->onEndNote->clear();
        m_ui->onEndNote->hide();
        return;
    }
    // On, it must be impossible to miss: the pod goes away when the job ends, whatever way it ends.
    m_ui->onEndNote->setText(
        onEnd == QStringLiteral("terminate_pod")
            ? tr("<b>Cost guard on:</b> when this job ends (completed, failed or cancelled) its pod is "
                 "<b>terminated</b> after a short grace; its disk is deleted.")
            : tr("<b>Cost guard on:</b> when this job ends (completed, failed or cancelled) its pod is "
                 "<b>stopped</b> after a short grace."));
    m_ui->onEndNote->setStyleSheet(QStringLiteral("color: #b35c00;"));
    m_ui->onEndNote->show();
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
    j.onEnd = Labels::selected(m_ui->onEndCombo);
    j.syncBeforeStart = m_ui->syncCheck->isChecked();
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
