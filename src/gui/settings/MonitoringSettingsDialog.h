#pragma once

#include "FormErrors.h"
#include "metrics/MonitoringSettings.h"

#include <QDialog>
#include <QJsonObject>

#include <memory>

namespace Ui {
class MonitoringSettingsDialog;
}

namespace gpudeck {

class MetricsService;

// Edits how GPU Deck monitors: sample and poll intervals, alert thresholds, how long history is kept.
// Checked by the core's own rules (MonitoringSettings::fromJson, as PUT /api/config/monitoring is): a bad
// value is named inline and the dialog stays open with everything typed.
class MonitoringSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MonitoringSettingsDialog(MetricsService &metrics, QWidget *parent = nullptr);
    ~MonitoringSettingsDialog() override;

    void accept() override;

private:
    void load(const MonitoringSettings &settings);
    QJsonObject fieldsJson() const;
    QString fieldInError(const QString &message) const;

    std::unique_ptr<Ui::MonitoringSettingsDialog> m_ui;
    MetricsService &m_metrics;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
