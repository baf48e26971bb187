#include "Confirm.h"

#include "TypedConfirmDialog.h"

#include <QMessageBox>
#include <QPushButton>

namespace gpudeck {

bool Confirm::ask(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("confirmBox"));
    QPushButton *yes = box.addButton(acceptLabel, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

bool Confirm::askTyped(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel,
                       const QString &phrase)
{
    TypedConfirmDialog dialog(title, text, acceptLabel, phrase, parent);
    return dialog.exec() == QDialog::Accepted;
}

} // namespace gpudeck
