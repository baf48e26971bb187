#pragma once

#include "FormErrors.h"
#include "metrics/MonitoringSettings.h"
#include "ssh/SshSettings.h"

#include <QDialog>
#include <QJsonObject>
#include <memory>

namespace Ui {
class MonitoringSettingsDialog;
}

namespace gpudeck {

class MetricsService;
class SshPool;

// Edits how GPU Deck monitors: sample and poll intervals, alert thresholds, when a silent host is declared down,
// how long history is kept. Checked by the core's own rules (MonitoringSettings::fromJson and
// SshSettings::fromJson, as PUT /api/config/monitoring and /api/config/ssh are): a bad value is named inline and
// the dialog stays open with everything typed.
class MonitoringSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    MonitoringSettingsDialog(MetricsService &metrics, SshPool &ssh, QWidget *parent = nullptr);
    ~MonitoringSettingsDialog() override;

    void accept() override;

private:
    void load(const MonitoringSettings &settings, const SshSettings &ssh);
    QJsonObject fieldsJson() const;
    QJsonObject sshJson() const;
    QString fieldInError(const QString &message) const;

    std::unique_ptr<Ui::MonitoringSettingsDialog> m_ui;
    MetricsService &m_metrics;
    SshPool &m_ssh;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
