#include "FormErrors.h"

#include <QLabel>
#include <QWidget>

namespace gpudeck {

FormErrors::FormErrors(QLabel *label)
    : m_label(label)
{
    m_label->setWordWrap(true);
    m_label->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_label->hide();
}

void FormErrors::addField(const QString &field, QWidget *widget)
{
    m_fields.insert(field, widget);
}

void FormErrors::show(const Error &error)
{
    clear();
    m_label->setText(text(error));
    m_label->show();
    if (QWidget *widget = m_fields.value(error.field)) {
        // Only line edits get a red frame: a style sheet border on a spin box or combo box breaks its look.
        // Every field gets the focus, which is the clearer hint anyway.
        widget->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c0392b; padding: 2px; }"));
        widget->setFocus(Qt::OtherFocusReason);
        m_marked = widget;
    }
}

void FormErrors::clear()
{
    m_label->clear();
    m_label->hide();
    if (m_marked) {
        m_marked->setStyleSheet({});
        m_marked.clear();
    }
}

QString FormErrors::text(const Error &error)
{
    // The core's messages are precise and name the field; they are shown as they are, capitalised.
    QString message = error.message;
    if (!message.isEmpty()) {
        message[0] = message.at(0).toUpper();
    }
    switch (error.code) {
    case ErrorCode::Validation:
    case ErrorCode::Conflict:
    case ErrorCode::NotFound:
        return message;
    case ErrorCode::Unavailable:
        return tr("Not available right now: %1").arg(message);
    case ErrorCode::Internal:
        return tr("Something went wrong: %1").arg(message);
    default:
        // The codes of remote work (a host refusing, a timeout, a guard) come with messages that already
        // say what happened; a default keeps this compiling as the core adds codes.
        return message;
    }
}

} // namespace gpudeck
