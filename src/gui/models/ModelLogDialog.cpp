#include "models/ModelLogDialog.h"

#include "FormErrors.h"
#include "app/Core.h"
#include "jobs/JobLogFollow.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {

ModelLogDialog::ModelLogDialog(Core &core, const QString &host, const QString &model, QWidget *parent)
    : QDialog(parent)
    , m_core(core)
    , m_host(host)
    , m_model(model)
    , m_state(new QLabel(this))
    , m_log(new QPlainTextEdit(this))
    , m_followButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("modelLogDialog"));
    updateTitle();
    m_state->setObjectName(QStringLiteral("modelLogState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_log->setObjectName(QStringLiteral("modelLogView"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(MaxLines);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_followButton->setObjectName(QStringLiteral("modelLogFollowButton"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_followButton, QDialogButtonBox::ActionRole);
    auto *clear = buttons->addButton(tr("C&lear"), QDialogButtonBox::ActionRole);
    clear->setObjectName(QStringLiteral("modelLogClearButton"));
    connect(clear, &QPushButton::clicked, m_log, &QPlainTextEdit::clear);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_followButton, &QPushButton::clicked, this, [this] {
        if (isFollowing()) {
            stopFollowing();
        } else {
            follow();
        }
    });
    // Closing the window leaves the follow at once (the dialog may live on hidden until deleted).
    connect(this, &QDialog::finished, this, [this] { stopFollowing(); });

    auto *layout = new QVBoxLayout(this);
    if (const std::optional<ModelSpec> spec = core.models().spec(model); spec && spec->spansHosts()) {
        m_hostBox = new QComboBox(this);
        m_hostBox->setObjectName(QStringLiteral("modelLogHost"));
        for (const QString &h : spec->hosts()) {
            m_hostBox->addItem(h == spec->host ? tr("%1 (head)").arg(h) : tr("%1 (worker)").arg(h), h);
        }
        m_hostBox->setCurrentIndex(qMax(0, m_hostBox->findData(host)));
        connect(m_hostBox, &QComboBox::currentIndexChanged, this, [this] {
            m_host = m_hostBox->currentData().toString();
            updateTitle();
            follow();
        });
        auto *hostLabel = new QLabel(tr("&Host:"), this);
        hostLabel->setBuddy(m_hostBox);
        auto *row = new QHBoxLayout;
        row->addWidget(hostLabel);
        row->addWidget(m_hostBox);
        row->addStretch(1);
        layout->addLayout(row);
    }
    layout->addWidget(m_state);
    layout->addWidget(m_log, 1);
    layout->addWidget(buttons);
    resize(900, 500);
    updateButton();
}

ModelLogDialog::~ModelLogDialog()
{
    if (m_follow) {
        m_follow->stop();
    }
}

void ModelLogDialog::follow()
{
    stopFollowing();
    m_log->clear();
    const quint64 generation = ++m_generation;
    QPointer<ModelLogDialog> self(this);
    // Both run on the SSH worker's thread; stop() (in the destructor too) waits for one in progress and ends them,
    // so `self` is alive while they post to it.
    auto output = [self, generation](const QByteArray &bytes) {
        if (self) {
            QMetaObject::invokeMethod(
                self.data(), [self, generation, bytes] { self->appendLines(generation, bytes); }, Qt::QueuedConnection);
        }
    };
    auto finished = [self, generation](const Status &status) {
        if (self) {
            QMetaObject::invokeMethod(
                self.data(), [self, generation, status] { self->ended(generation, status); }, Qt::QueuedConnection);
        }
    };
    const auto follow = m_core.modelLogs().follow(m_model, m_host, TailLines, output, finished);
    if (!follow.ok()) {
        m_state->setText(FormErrors::text(follow.error()));
        updateButton();
        return;
    }
    m_follow = follow.value();
    m_state->setText(tr("Following the log of %1 on %2…").arg(m_model, m_host));
    updateButton();
}

void ModelLogDialog::stopFollowing()
{
    if (!m_follow) {
        return;
    }
    ++m_generation;
    m_follow->stop();
    m_follow.reset();
    m_state->setText(tr("Stopped. Follow shows the log again."));
    updateButton();
}

void ModelLogDialog::appendLines(quint64 generation, const QByteArray &bytes)
{
    if (generation != m_generation) {
        return;
    }
    QString text = QString::fromUtf8(bytes);
    if (text.endsWith(QLatin1Char('\n'))) {
        text.chop(1); // whole lines; appendPlainText adds the line break
    }
    m_log->appendPlainText(text);
}

void ModelLogDialog::ended(quint64 generation, const Status &status)
{
    if (generation != m_generation) {
        return;
    }
    m_follow.reset();
    m_state->setText(status.ok() ? tr("The log command ended.") : FormErrors::text(status.error()));
    updateButton();
}

void ModelLogDialog::updateTitle()
{
    setWindowTitle(tr("Log of %1 on %2").arg(m_model, m_host));
}

void ModelLogDialog::updateButton()
{
    m_followButton->setText(isFollowing() ? tr("&Stop") : tr("&Follow"));
    m_followButton->setToolTip(isFollowing() ? tr("Stop following (the command on the host ends when no one else "
                                                  "follows this log)")
                                             : tr("Follow the log again"));
}

} // namespace gpudeck
