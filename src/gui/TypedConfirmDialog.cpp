#include "TypedConfirmDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace gpudeck {

TypedConfirmDialog::TypedConfirmDialog(const QString &title, const QString &text, const QString &acceptLabel,
                                       const QString &phrase, QWidget *parent)
    : QDialog(parent)
    , m_phrase(phrase)
{
    setObjectName(QStringLiteral("typedConfirmDialog"));
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(size));
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *textLabel = new QLabel(text, this);
    textLabel->setObjectName(QStringLiteral("typedConfirmText"));
    textLabel->setTextFormat(Qt::PlainText);
    textLabel->setWordWrap(true);
    header->addWidget(textLabel, 1);
    layout->addLayout(header);

    auto *ask = new QLabel(tr("Type %1 to confirm:").arg(phrase), this);
    ask->setTextFormat(Qt::PlainText);
    layout->addWidget(ask);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("typedConfirmEdit"));
    m_edit->setPlaceholderText(phrase);
    layout->addWidget(m_edit);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    m_accept = buttons->addButton(acceptLabel, QDialogButtonBox::DestructiveRole);
    m_accept->setObjectName(QStringLiteral("confirmButton"));
    m_accept->setEnabled(false);
    m_accept->setAutoDefault(false);
    cancel->setDefault(true); // a stray Enter deletes nothing
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_accept, &QPushButton::clicked, this, &TypedConfirmDialog::accept);
    connect(m_edit, &QLineEdit::textChanged, this,
            [this](const QString &typed) { m_accept->setEnabled(typed == m_phrase); });
    layout->addWidget(buttons);
    m_edit->setFocus();
    setMinimumWidth(560); // wide enough that the warning wraps in few lines; its height follows when shown
}

void TypedConfirmDialog::accept()
{
    if (m_edit->text() != m_phrase) {
        return;
    }
    QDialog::accept();
}

} // namespace gpudeck
