#include "jobs/ProjectDialog.h"

#include "Labels.h"
#include "jobs/JobSupervisor.h"
#include "store/ProjectRepository.h"
#include "ui_ProjectDialog.h"

#include <QCheckBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {

QString ProjectDialog::backendLabel(const QString &backend)
{
    if (backend == QLatin1String("tmux")) {
        return tr("tmux session on the host");
    }
    if (backend == QLatin1String("slurm")) {
        return tr("Slurm batch job");
    }
    return backend;
}

ProjectDialog::ProjectDialog(ProjectRepository &repository, const QList<Connection> &connections,
                             const Project &project, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ProjectDialog>())
    , m_repository(repository)
    , m_project(project)
{
    m_ui->setupUi(this);
    setupFields(connections);
    load(project);
    setWindowTitle(project.id == 0 ? tr("New project") : tr("Edit project %1").arg(project.name));
}

ProjectDialog::~ProjectDialog() = default;

void ProjectDialog::setupFields(const QList<Connection> &connections)
{
    for (const Connection &c : connections) {
        m_ui->connectionCombo->addItem(c.name, c.id);
    }
    Labels::fill(m_ui->typeCombo, Project::projectTypes(), &Labels::projectType);
    Labels::fill(m_ui->statusCombo, Project::statuses(), &Labels::projectStatus);
    Labels::fill(m_ui->backendCombo, Project::backends(), &ProjectDialog::backendLabel);
    // The remote path's row gets a second line: the offer to create the folder.
    auto *pathBox = new QWidget(this);
    m_createPath = new QCheckBox(tr("Create the folder on the host if it is missing"), pathBox);
    m_createPath->setObjectName(QStringLiteral("createRemotePathCheck"));
    if (QLayout *form = m_ui->remotePathEdit->parentWidget()->layout()) {
        delete form->replaceWidget(m_ui->remotePathEdit, pathBox);
    }
    auto *pathLayout = new QVBoxLayout(pathBox);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_ui->remotePathEdit);
    pathLayout->addWidget(m_createPath);
    m_errors = std::make_unique<FormErrors>(m_ui->errorLabel);
    m_errors->addField(QStringLiteral("connection_id"), m_ui->connectionCombo);
    m_errors->addField(QStringLiteral("name"), m_ui->nameEdit);
    m_errors->addField(QStringLiteral("description"), m_ui->descriptionEdit);
    m_errors->addField(QStringLiteral("project_type"), m_ui->typeCombo);
    m_errors->addField(QStringLiteral("remote_path"), m_ui->remotePathEdit);
    m_errors->addField(QStringLiteral("status"), m_ui->statusCombo);
    m_errors->addField(QStringLiteral("backend"), m_ui->backendCombo);
}

void ProjectDialog::load(const Project &p)
{
    m_ui->connectionCombo->setCurrentIndex(qMax(0, m_ui->connectionCombo->findData(p.connectionId)));
    m_ui->nameEdit->setText(p.name);
    m_ui->descriptionEdit->setPlainText(p.description);
    Labels::select(m_ui->typeCombo, p.projectType);
    m_ui->remotePathEdit->setText(p.remotePath);
    Labels::select(m_ui->statusCombo, p.status);
    Labels::select(m_ui->backendCombo, p.backend);
}

Project ProjectDialog::fromFields() const
{
    // Starts from the loaded project so what this dialog does not show (config, times) survives.
    Project p = m_project;
    p.connectionId = m_ui->connectionCombo->currentData().toLongLong();
    p.name = m_ui->nameEdit->text().trimmed();
    p.description = m_ui->descriptionEdit->toPlainText().trimmed();
    p.projectType = Labels::selected(m_ui->typeCombo);
    p.remotePath = m_ui->remotePathEdit->text().trimmed();
    p.status = Labels::selected(m_ui->statusCombo);
    p.backend = Labels::selected(m_ui->backendCombo);
    return p;
}

void ProjectDialog::accept()
{
    if (m_checking) {
        return;
    }
    m_errors->clear();
    const Project p = fromFields();
    if (Status s = p.validate(); !s.ok()) {
        m_errors->show(s.error());
        return;
    }
    const bool create = m_createPath->isChecked();
    const bool changed = p.id == 0 || p.remotePath != m_project.remotePath || p.connectionId != m_project.connectionId;
    if (!m_checker || (!changed && !create)) {
        save(p);
        return;
    }
    m_checking = true;
    m_ui->buttonBox->button(QDialogButtonBox::Save)->setEnabled(false);
    m_checker->checkRemotePath(p.connectionId, p.remotePath, create).then(this, [this, p](const Status &checked) {
        m_checking = false;
        m_ui->buttonBox->button(QDialogButtonBox::Save)->setEnabled(true);
        if (!checked.ok()) {
            m_errors->show(checked.error());
            return;
        }
        save(p);
    });
}

void ProjectDialog::save(const Project &p)
{
    Result<Project> saved = p.id == 0 ? m_repository.create(p) : m_repository.update(p);
    if (!saved.ok()) {
        m_errors->show(saved.error());
        return;
    }
    m_project = saved.value();
    QDialog::accept();
}

} // namespace gpudeck
