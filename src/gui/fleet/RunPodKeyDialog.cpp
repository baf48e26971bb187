#include "fleet/RunPodKeyDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {

RunPodKeyDialog::RunPodKeyDialog(const RunPodKeyState &state, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("runPodKeyDialog"));
    setWindowTitle(tr("RunPod API key"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("keyStateLabel"));
    m_state->setTextFormat(Qt::PlainText);
    m_state->setWordWrap(true);
    form->addRow(tr("In the keychain:"), m_state);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("keyEdit"));
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("Paste a new key"));
    m_edit->setClearButtonEnabled(true);
    form->addRow(tr("&New key:"), m_edit);
    layout->addLayout(form);

    auto *hint = new QLabel(tr("Make one at runpod.io → Settings → API Keys (read/write, to create and stop pods). "
                               "GPU Deck checks it with RunPod, keeps it in the system keychain and never shows it "
                               "again: not in its database, its logs or its API."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(hint);

    m_environment = new QLabel(this);
    m_environment->setObjectName(QStringLiteral("keyEnvironmentLabel"));
    m_environment->setWordWrap(true);
    m_environment->setTextFormat(Qt::PlainText);
    m_environment->setFrameShape(QFrame::StyledPanel);
    m_environment->setMargin(6);
    m_environment->setText(tr("RUNPOD_API_KEY is set in GPU Deck's environment: that key is the one used. A key "
                              "saved here is used once GPU Deck runs without it."));
    layout->addWidget(m_environment);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("keyErrorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(this);
    m_remove = buttons->addButton(tr("&Remove key…"), QDialogButtonBox::DestructiveRole);
    m_remove->setObjectName(QStringLiteral("removeButton"));
    m_remove->setAutoDefault(false);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    m_save = buttons->addButton(tr("&Save"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &RunPodKeyDialog::save);
    connect(m_remove, &QPushButton::clicked, this, &RunPodKeyDialog::remove);
    connect(m_edit, &QLineEdit::textChanged, this, &RunPodKeyDialog::update);
    connect(m_edit, &QLineEdit::returnPressed, this, &RunPodKeyDialog::save);
    layout->addWidget(buttons);

    setState(state);
    setMinimumWidth(520); // its height: what the style's fields need, worked out when shown
}

RunPodKeyDialog::~RunPodKeyDialog() = default;

void RunPodKeyDialog::setState(const RunPodKeyState &state)
{
    m_keyState = state;
    // Whether there is one, never what it is.
    if (!state.keychainReadable) {
        m_state->setText(tr("unknown: the keychain could not be read (%1)").arg(state.keychainError));
    } else {
        m_state->setText(state.inKeychain ? tr("a key is set") : tr("not set"));
    }
    m_environment->setVisible(state.fromEnvironment);
    update();
}

void RunPodKeyDialog::update()
{
    m_save->setEnabled(!m_busy && !m_edit->text().trimmed().isEmpty());
    m_remove->setVisible(m_keyState.inKeychain);
    m_remove->setEnabled(!m_busy);
    m_edit->setEnabled(!m_busy);
}

void RunPodKeyDialog::setBusy(bool busy, const QString &text)
{
    m_busy = busy;
    if (busy) {
        m_error->setStyleSheet(QString());
        m_error->setText(text);
        m_error->setVisible(!text.isEmpty());
    }
    update();
}

void RunPodKeyDialog::setFailed(const QString &message)
{
    setBusy(false);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_error->setText(message);
    m_error->show();
    m_edit->setFocus();
}

void RunPodKeyDialog::save()
{
    const QString key = m_edit->text().trimmed();
    if (m_busy || key.isEmpty()) {
        return;
    }
    setBusy(true, tr("Checking the key with RunPod…"));
    Q_EMIT saveRequested(key);
}

void RunPodKeyDialog::remove()
{
    if (m_busy || !m_keyState.inKeychain) {
        return;
    }
    const QString text = m_keyState.fromEnvironment
                             ? tr("Remove the RunPod API key from the keychain?\n\nRUNPOD_API_KEY stays in use while "
                                  "it is set.")
                             : tr("Remove the RunPod API key from the keychain?\n\nGPU Deck then no longer lists, "
                                  "creates or stops pods (your pods keep running and billing) until a key is set "
                                  "again.");
    if (!m_question(this, tr("Remove the RunPod API key"), text, tr("Remove"))) {
        return;
    }
    setBusy(true, tr("Removing…"));
    Q_EMIT removeRequested();
}

} // namespace gpudeck
