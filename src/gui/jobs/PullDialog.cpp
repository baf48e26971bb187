#include "jobs/PullDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {

PullDialog::PullDialog(SyncService &service, const Project &project, const QString &hostName, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_project(project)
    , m_paths(new QPlainTextEdit(this))
    , m_localDir(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("pullDialog"));
    setWindowTitle(tr("Pull from %1").arg(project.name));
    setMinimumWidth(480);
    auto *intro = new QLabel(
        tr("Copy files or folders from %1 to this computer. Name them one a line, relative to the project's remote "
           "path (%2) or absolute; each lands under its own name in the local folder.")
            .arg(hostName, project.remotePath.isEmpty() ? tr("the login folder") : project.remotePath),
        this);
    intro->setWordWrap(true);
    m_paths->setObjectName(QStringLiteral("pullPathsEdit"));
    m_paths->setPlaceholderText(tr("runs/7/logs\ncheckpoints/last.pt"));
    m_paths->setTabChangesFocus(true);
    m_localDir->setObjectName(QStringLiteral("pullLocalDirEdit"));
    m_localDir->setClearButtonEnabled(true);
    m_localDir->setPlaceholderText(tr("A folder on this computer (created if missing)"));
    if (!project.localPath.isEmpty()) {
        m_localDir->setText(QDir(project.localPath).filePath(QStringLiteral("pulled")));
    }
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("browsePullDirButton"));
    connect(browse, &QPushButton::clicked, this, &PullDialog::browseLocalDir);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_localDir, 1);
    dirRow->addWidget(browse);
    m_paths->setMinimumHeight(80);
    m_paths->setMaximumHeight(140);
    auto *form = new QFormLayout;
    form->addRow(tr("&Remote paths:"), m_paths);
    // A row holding a layout gets no buddy by itself: without one the label would show its '&'.
    auto *dirLabel = new QLabel(tr("&Into folder:"), this);
    dirLabel->setBuddy(m_localDir);
    form->addRow(dirLabel, dirRow);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_errors = std::make_unique<FormErrors>(m_error);
    m_errors->addField(QStringLiteral("remote_paths"), m_paths);
    m_errors->addField(QStringLiteral("local_dir"), m_localDir);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *pull = buttons->addButton(tr("&Pull"), QDialogButtonBox::AcceptRole);
    pull->setObjectName(QStringLiteral("pullButton"));
    pull->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &PullDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PullDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

QStringList PullDialog::parsePaths(const QString &text)
{
    QStringList paths;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString path = line.trimmed();
        if (!path.isEmpty()) {
            paths.append(path);
        }
    }
    return paths;
}

QFileDialog *PullDialog::browseLocalDir()
{
    auto *picker = new QFileDialog(this, tr("Pull into"));
    picker->setObjectName(QStringLiteral("pullDirPicker"));
    picker->setFileMode(QFileDialog::Directory);
    picker->setOption(QFileDialog::ShowDirsOnly);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    const QString current = m_localDir->text().trimmed();
    picker->setDirectory(current.isEmpty() ? QDir::homePath() : current);
    connect(picker, &QFileDialog::fileSelected, this,
            [this](const QString &dir) { m_localDir->setText(QDir::toNativeSeparators(dir)); });
    picker->open();
    return picker;
}

void PullDialog::accept()
{
    m_errors->clear();
    PullRequest request;
    request.remotePaths = parsePaths(m_paths->toPlainText());
    request.localDir = m_localDir->text().trimmed();
    if (request.remotePaths.isEmpty()) {
        m_errors->show(Error::validation(QStringLiteral("remote_paths"), tr("Name at least one remote path.")));
        return;
    }
    if (request.localDir.isEmpty() || !QDir::isAbsolutePath(request.localDir)) {
        m_errors->show(Error::validation(QStringLiteral("local_dir"), tr("Give the local folder's absolute path.")));
        return;
    }
    request.localDir = QDir::cleanPath(request.localDir);
    const auto begun = m_service.pull(m_project.id, request);
    if (!begun.ok()) {
        m_errors->show(begun.error());
        return;
    }
    Q_EMIT started(begun->progress, begun->done);
    QDialog::accept();
}

} // namespace gpudeck
