#pragma once

#include "runpod/RunPodTypes.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace gpudeck {

// Create a RunPod pod: name, GPU type from RunPod's catalog (with its price per GPU and hour in the chosen cloud),
// count, cloud, image (the core's PyTorch default filled in), container disk and volume sizes, environment. The hourly
// cost is shown, and on the Create button, before anything is asked of RunPod.
//
// Non-blocking: open() it; Create emits createRequested() with the request and the dialog waits (setBusy) for the
// answer: setFailed() shows RunPod's error and keeps what was typed, the caller accept()s it on success.
class PodCreateDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PodCreateDialog(QWidget *parent = nullptr);
    ~PodCreateDialog() override;

    void setGpuTypes(const QList<RunPodGpuType> &types);
    void setGpuTypesFailed(const QString &message);
    // The request as filled in now, or the first problem with it (its text in `error`).
    RunPodCreate request(QString *error = nullptr) const;
    // GPUs × price per GPU in the chosen cloud; 0 when no type is chosen.
    double hourlyCost() const;

    void setBusy(bool busy);
    void setFailed(const QString &message);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *gpuCombo() const { return m_gpu; }
    QComboBox *cloudCombo() const { return m_cloud; }
    QSpinBox *countSpin() const { return m_count; }
    QLineEdit *imageEdit() const { return m_image; }
    QSpinBox *diskSpin() const { return m_disk; }
    QSpinBox *volumeSpin() const { return m_volume; }
    QPlainTextEdit *envEdit() const { return m_env; }
    QLabel *costLabel() const { return m_cost; }
    QLabel *errorLabel() const { return m_error; }
    QPushButton *createButton() const { return m_create; }

    // "KEY=value" lines into a map; the first bad line in `error`.
    static QMap<QString, QString> parseEnv(const QString &text, QString *error);

Q_SIGNALS:
    void createRequested(const gpudeck::RunPodCreate &request);

private:
    void fillGpus();
    void update();
    void submit();
    const RunPodGpuType *offer() const;

    QList<RunPodGpuType> m_offers;
    QLineEdit *m_name = nullptr;
    QComboBox *m_cloud = nullptr;
    QComboBox *m_gpu = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_image = nullptr;
    QSpinBox *m_disk = nullptr;
    QSpinBox *m_volume = nullptr;
    QPlainTextEdit *m_env = nullptr;
    QLabel *m_cost = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_create = nullptr;
    bool m_busy = false;
    bool m_loaded = false;
};

} // namespace gpudeck
