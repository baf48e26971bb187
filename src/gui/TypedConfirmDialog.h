#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace gpudeck {

// The stronger confirmation, for what cannot be undone (terminating a RunPod pod deletes its disk): the accept
// button stays disabled until the user has typed `phrase` (the pod's name) exactly. Cancel is the default.
class TypedConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    TypedConfirmDialog(const QString &title, const QString &text, const QString &acceptLabel, const QString &phrase,
                       QWidget *parent = nullptr);

    QLineEdit *phraseEdit() const { return m_edit; }
    QPushButton *acceptButton() const { return m_accept; }
    QString phrase() const { return m_phrase; }

public Q_SLOTS:
    void accept() override; // only once the phrase matches

private:
    QString m_phrase;
    QLineEdit *m_edit = nullptr;
    QPushButton *m_accept = nullptr;
};

} // namespace gpudeck
