#pragma once

#include "Confirm.h"

#include <QDialog>
#include <memory>

class QLabel;
class QPushButton;

namespace Ui {
class HostKeyDialog;
}

namespace gpudeck {

// Shown when a connect stops at the host key. An unknown key: its SHA256 fingerprint, how to check it on the
// host, and "Trust and connect". A changed key: a loud warning, and "Forget the old key…", which asks once
// more. Cancel is the default either way. Non-blocking: open() it and read result() / choice() when finished.
class HostKeyDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Unknown, Changed };
    // The codes finished() reports; QDialog::Rejected (0) is Cancel.
    enum Choice { Cancelled = QDialog::Rejected, Trusted = QDialog::Accepted, ForgetOldKey = 2 };

    HostKeyDialog(Mode mode, const QString &host, int port, const QString &fingerprint, const QString &message,
                  QWidget *parent = nullptr);
    ~HostKeyDialog() override;

    Mode mode() const { return m_mode; }
    QString fingerprint() const { return m_fingerprint; }
    // The fingerprint the user trusted, once accepted in Unknown mode; empty otherwise.
    QString acceptedFingerprint() const;
    Choice choice() const { return static_cast<Choice>(result()); }

    QPushButton *trustButton() const { return m_trustButton; }
    QPushButton *forgetButton() const { return m_forgetButton; }
    // How "Forget the old key…" asks for its second confirmation.
    void setQuestion(Confirm::Question question) { m_question = std::move(question); }

    // The command that prints a host's key fingerprints, to run on that host.
    static QString verifyCommand();

    // The connection is a RunPod pod (kind `runpod`): says that a pod's host key is new on every start, so the key is
    // trusted on first use for that pod and a new one after the pod restarts is expected, not an attack.
    void setRunPodPod(const QString &podName);
    QLabel *podNoteLabel() const { return m_podNote; }

public Q_SLOTS:
    void accept() override; // Trust (Unknown mode only)
    // Changed mode: asks for confirmation, then finishes with ForgetOldKey.
    void forgetOldKey();

private:
    void setupUnknown(const QString &hostPort);
    void setupChanged(const QString &hostPort, const QString &message);

    std::unique_ptr<Ui::HostKeyDialog> m_ui;
    Mode m_mode;
    QString m_fingerprint;
    QString m_hostPort;
    QPushButton *m_trustButton = nullptr;
    QPushButton *m_forgetButton = nullptr;
    QLabel *m_podNote = nullptr;
    Confirm::Question m_question = Confirm::standard();
};

} // namespace gpudeck
