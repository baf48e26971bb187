#pragma once

#include "Confirm.h"
#include "runpod/RunPodTypes.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace gpudeck {

// The RunPod API key, write-only: whether one is set (in the keychain, or RUNPOD_API_KEY in GPU Deck's environment,
// which wins), a password field for a new one, Save and Remove. The key is never read back or shown.
//
// Non-blocking: open() it; Save emits saveRequested() and Remove (asked first) removeRequested(), and the dialog waits
// (setBusy) for the core: setFailed() shows why (e.g. RunPod refused the key), the caller accept()s it on success.
class RunPodKeyDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RunPodKeyDialog(const RunPodKeyState &state, QWidget *parent = nullptr);
    ~RunPodKeyDialog() override;

    void setState(const RunPodKeyState &state);
    void setBusy(bool busy, const QString &text = {});
    void setFailed(const QString &message);
    void setQuestion(Confirm::Question question) { m_question = std::move(question); }

    QLabel *stateLabel() const { return m_state; }
    QLabel *environmentLabel() const { return m_environment; }
    QLineEdit *keyEdit() const { return m_edit; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *errorLabel() const { return m_error; }

Q_SIGNALS:
    void saveRequested(const QString &key);
    void removeRequested();

private:
    void update();
    void save();
    void remove();

    RunPodKeyState m_keyState;
    Confirm::Question m_question = Confirm::standard();
    bool m_busy = false;
    QLabel *m_state = nullptr;
    QLabel *m_environment = nullptr;
    QLineEdit *m_edit = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace gpudeck
