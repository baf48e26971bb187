#include "jobs/ProjectDialog.h"

#include "Labels.h"
#include "jobs/JobSupervisor.h"
#include "store/ProjectRepository.h"
#include "ui_ProjectDialog.h"

#include <QCheckBox>
#include <QColor>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
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
    m_errors->addField(QStringLiteral("local_path"), m_ui->localPathEdit);
    m_errors->addField(QStringLiteral("extra_files"), m_ui->extraFilesList);
    m_ui->localPathHint->setObjectName(QStringLiteral("localPathHint"));
    // Wrapped labels count as one line in the form's minimum size: reserve their lines, or styles with larger
    // widgets (Adwaita-Dark) squeeze them.
    const int line = fontMetrics().lineSpacing();
    m_ui->localPathHint->setMinimumHeight(2 * line);
    m_ui->extraFilesNote->setMinimumHeight(3 * line);
    connect(m_ui->localPathEdit, &QLineEdit::textChanged, this, &ProjectDialog::checkLocalPath);
    connect(m_ui->browseLocalPathButton, &QPushButton::clicked, this, &ProjectDialog::browseLocalPath);
    connect(m_ui->addExtraFileButton, &QPushButton::clicked, this, &ProjectDialog::browseExtraFiles);
    connect(m_ui->removeExtraFileButton, &QPushButton::clicked, this, &ProjectDialog::removeSelectedExtraFiles);
    connect(m_ui->extraFilesList, &QListWidget::itemSelectionChanged, this,
            [this] { m_ui->removeExtraFileButton->setEnabled(!m_ui->extraFilesList->selectedItems().isEmpty()); });
    m_ui->removeExtraFileButton->setEnabled(false);
}

void ProjectDialog::checkLocalPath()
{
    // A hint as the path is typed or picked; the repository checks it again on save and has the last word.
    const QString path = m_ui->localPathEdit->text().trimmed();
    QString text;
    bool good = false;
    if (path.isEmpty()) {
        text = tr("No local folder: Sync is off for this project.");
        good = true;
    } else if (!QDir::isAbsolutePath(path)) {
        text = tr("Give the folder's absolute path.");
    } else if (const Status s = Project::checkLocalPath(path); !s.ok()) {
        text = s.error().message;
    } else {
        text = tr("A git work tree: Sync sends the files git tracks there (git ls-files), never untracked or "
                  "ignored ones.");
        good = true;
    }
    m_ui->localPathHint->setText(text);
    m_ui->localPathHint->setProperty("good", good);
    // A quiet note when fine (the palette's placeholder colour, right in light and dark styles), the error colour
    // FormErrors uses when not.
    QPalette colours = palette();
    colours.setColor(QPalette::WindowText, good ? colours.color(QPalette::PlaceholderText) : QColor(0xc0, 0x39, 0x2b));
    m_ui->localPathHint->setPalette(colours);
}

QFileDialog *ProjectDialog::browseLocalPath()
{
    auto *picker = new QFileDialog(this, tr("Local folder of %1").arg(m_ui->nameEdit->text().trimmed()));
    picker->setObjectName(QStringLiteral("localPathPicker"));
    picker->setFileMode(QFileDialog::Directory);
    picker->setOption(QFileDialog::ShowDirsOnly);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    const QString current = m_ui->localPathEdit->text().trimmed();
    picker->setDirectory(current.isEmpty() ? QDir::homePath() : current);
    connect(picker, &QFileDialog::fileSelected, this,
            [this](const QString &dir) { m_ui->localPathEdit->setText(QDir::toNativeSeparators(dir)); });
    picker->open();
    return picker;
}

QFileDialog *ProjectDialog::browseExtraFiles()
{
    auto *picker = new QFileDialog(this, tr("Extra files to send (mode 0600)"));
    picker->setObjectName(QStringLiteral("extraFilesPicker"));
    picker->setFileMode(QFileDialog::ExistingFiles);
    // Dot files (.env) are the usual extra files: show them.
    picker->setFilter(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    const QString base = m_ui->localPathEdit->text().trimmed();
    picker->setDirectory(base.isEmpty() ? QDir::homePath() : base);
    connect(picker, &QFileDialog::filesSelected, this, &ProjectDialog::addExtraFiles);
    picker->open();
    return picker;
}

void ProjectDialog::addExtraFiles(const QStringList &paths)
{
    const QString base = QDir::cleanPath(m_ui->localPathEdit->text().trimmed());
    QStringList have = extraFiles();
    for (const QString &picked : paths) {
        QString path = QDir::cleanPath(picked);
        // Inside the local folder: relative, so the project still works when the folder moves.
        if (!base.isEmpty() && path.startsWith(base + QLatin1Char('/'))) {
            path = path.mid(base.size() + 1);
        }
        if (path.isEmpty() || have.contains(path)) {
            continue;
        }
        have.append(path);
        auto *item = new QListWidgetItem(path, m_ui->extraFilesList);
        item->setToolTip(QDir::isAbsolutePath(path) ? path : tr("%1 (in the local folder)").arg(path));
    }
}

void ProjectDialog::removeSelectedExtraFiles()
{
    qDeleteAll(m_ui->extraFilesList->selectedItems());
}

QStringList ProjectDialog::extraFiles() const
{
    QStringList files;
    for (int i = 0; i < m_ui->extraFilesList->count(); ++i) {
        files.append(m_ui->extraFilesList->item(i)->text());
    }
    return files;
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
    m_ui->localPathEdit->setText(p.localPath);
    m_ui->extraFilesList->clear();
    m_ui->extraFilesList->addItems(p.extraFiles);
    checkLocalPath();
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
    const QString local = m_ui->localPathEdit->text().trimmed();
    p.localPath = local.isEmpty() ? QString() : QDir::cleanPath(local);
    p.extraFiles = extraFiles();
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
