#include "settings/MonitoringSettingsDialog.h"

#include "metrics/MetricsService.h"
#include "ssh/SshPool.h"
#include "ui_MonitoringSettingsDialog.h"

#include <QLabel>
#include <QPushButton>
#include <algorithm>
#include <cmath>

namespace gpudeck {
namespace {

constexpr double kHourMs = 3600.0 * 1000.0;
constexpr double kDayMs = 24.0 * kHourMs;

int rounded(double v)
{
    return static_cast<int>(std::lround(v));
}

} // namespace

MonitoringSettingsDialog::MonitoringSettingsDialog(MetricsService &metrics, SshPool &ssh, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::MonitoringSettingsDialog>())
    , m_metrics(metrics)
    , m_ssh(ssh)
{
    m_ui->setupUi(this);
    // Three groups, one column of fields: the labels of every group share the widest one's width.
    const QList<QLabel *> labels = {m_ui->intervalLabel,         m_ui->hostPollLabel,  m_ui->temperatureLabel,
                                    m_ui->temperatureClearLabel, m_ui->memoryLabel,    m_ui->memoryClearLabel,
                                    m_ui->unreachableLabel,      m_ui->rawHoursLabel,  m_ui->minuteDaysLabel,
                                    m_ui->hourDaysLabel,         m_ui->downAfterLabel, m_ui->podIdleLabel,
                                    m_ui->onEndGraceLabel};
    int width = 0;
    for (const QLabel *label : labels) {
        width = std::max(width, label->sizeHint().width());
    }
    for (QLabel *label : labels) {
        label->setMinimumWidth(width);
    }
    layout()->setSizeConstraint(QLayout::SetFixedSize);
    m_errors = std::make_unique<FormErrors>(m_ui->errorLabel);
    m_errors->addField(QStringLiteral("interval_ms"), m_ui->intervalSpin);
    m_errors->addField(QStringLiteral("host_poll_ms"), m_ui->hostPollSpin);
    m_errors->addField(QStringLiteral("temperature_c"), m_ui->temperatureSpin);
    m_errors->addField(QStringLiteral("temperature_clear_c"), m_ui->temperatureClearSpin);
    m_errors->addField(QStringLiteral("memory_percent"), m_ui->memorySpin);
    m_errors->addField(QStringLiteral("memory_clear_percent"), m_ui->memoryClearSpin);
    m_errors->addField(QStringLiteral("unreachable_seconds"), m_ui->unreachableSpin);
    m_errors->addField(QStringLiteral("raw_hours"), m_ui->rawHoursSpin);
    m_errors->addField(QStringLiteral("minute_days"), m_ui->minuteDaysSpin);
    m_errors->addField(QStringLiteral("hour_days"), m_ui->hourDaysSpin);
    m_errors->addField(QStringLiteral("down_after_s"), m_ui->downAfterSpin);
    m_errors->addField(QStringLiteral("pod_idle_seconds"), m_ui->podIdleSpin);
    m_errors->addField(QStringLiteral("on_end_grace_seconds"), m_ui->onEndGraceSpin);
    connect(m_ui->buttonBox->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        m_errors->clear();
        load(MonitoringSettings{}, SshSettings{});
    });
    load(m_metrics.settings(), m_ssh.settings());
}

MonitoringSettingsDialog::~MonitoringSettingsDialog() = default;

void MonitoringSettingsDialog::load(const MonitoringSettings &s, const SshSettings &ssh)
{
    m_ui->downAfterSpin->setValue(rounded(ssh.downAfterMs / 1000.0));
    m_ui->intervalSpin->setValue(rounded(s.intervalMs / 1000.0));
    m_ui->hostPollSpin->setValue(rounded(s.hostPollMs / 1000.0));
    m_ui->temperatureSpin->setValue(rounded(s.thresholds.temperatureC));
    m_ui->temperatureClearSpin->setValue(rounded(s.thresholds.temperatureClearC));
    m_ui->memorySpin->setValue(rounded(s.thresholds.memoryPercent));
    m_ui->memoryClearSpin->setValue(rounded(s.thresholds.memoryClearPercent));
    m_ui->unreachableSpin->setValue(s.thresholds.unreachableSeconds);
    m_ui->podIdleSpin->setValue(rounded(s.costGuard.podIdleSeconds / 60.0));
    m_ui->onEndGraceSpin->setValue(s.costGuard.onEndGraceSeconds);
    m_ui->rawHoursSpin->setValue(rounded(static_cast<double>(s.retention.rawMs) / kHourMs));
    m_ui->minuteDaysSpin->setValue(rounded(static_cast<double>(s.retention.minuteMs) / kDayMs));
    m_ui->hourDaysSpin->setValue(rounded(static_cast<double>(s.retention.hourMs) / kDayMs));
}

QJsonObject MonitoringSettingsDialog::fieldsJson() const
{
    // The same JSON the API takes, so the dialog and PUT /api/config/monitoring obey one set of rules.
    return {{QStringLiteral("interval_ms"), m_ui->intervalSpin->value() * 1000},
            {QStringLiteral("host_poll_ms"), m_ui->hostPollSpin->value() * 1000},
            {QStringLiteral("thresholds"),
             QJsonObject{{QStringLiteral("temperature_c"), m_ui->temperatureSpin->value()},
                         {QStringLiteral("temperature_clear_c"), m_ui->temperatureClearSpin->value()},
                         {QStringLiteral("memory_percent"), m_ui->memorySpin->value()},
                         {QStringLiteral("memory_clear_percent"), m_ui->memoryClearSpin->value()},
                         {QStringLiteral("unreachable_seconds"), m_ui->unreachableSpin->value()}}},
            {QStringLiteral("cost_guard"),
             QJsonObject{{QStringLiteral("pod_idle_seconds"), m_ui->podIdleSpin->value() * 60},
                         {QStringLiteral("on_end_grace_seconds"), m_ui->onEndGraceSpin->value()}}},
            {QStringLiteral("retention"), QJsonObject{{QStringLiteral("raw_hours"), m_ui->rawHoursSpin->value()},
                                                      {QStringLiteral("minute_days"), m_ui->minuteDaysSpin->value()},
                                                      {QStringLiteral("hour_days"), m_ui->hourDaysSpin->value()}}}};
}

QJsonObject MonitoringSettingsDialog::sshJson() const
{
    return {{QStringLiteral("down_after_s"), m_ui->downAfterSpin->value()}};
}

QString MonitoringSettingsDialog::fieldInError(const QString &message) const
{
    // The core names a bad field in quotes; the one rule across two fields (a clear level above its alert
    // level) names none, so the field that breaks it is found here.
    if (m_ui->temperatureClearSpin->value() > m_ui->temperatureSpin->value()) {
        return QStringLiteral("temperature_clear_c");
    }
    if (m_ui->memoryClearSpin->value() > m_ui->memorySpin->value()) {
        return QStringLiteral("memory_clear_percent");
    }
    const qsizetype open = message.indexOf(QLatin1Char('\''));
    const qsizetype close = open >= 0 ? message.indexOf(QLatin1Char('\''), open + 1) : -1;
    return close > open ? message.mid(open + 1, close - open - 1) : QString();
}

void MonitoringSettingsDialog::accept()
{
    m_errors->clear();
    // Start from what is in force now: "paused" is not edited here and may have changed meanwhile.
    MonitoringSettings settings = m_metrics.settings();
    QString message;
    if (!MonitoringSettings::fromJson(fieldsJson(), settings, &message)) {
        m_errors->show(Error::validation(fieldInError(message), message));
        return;
    }
    SshSettings ssh = m_ssh.settings();
    if (!SshSettings::fromJson(sshJson(), ssh, &message)) {
        m_errors->show(Error::validation(fieldInError(message), message));
        return;
    }
    if (Status s = m_metrics.setSettings(settings); !s.ok()) {
        m_errors->show(s.error());
        return;
    }
    if (Status s = m_ssh.setSettings(ssh); !s.ok()) {
        m_errors->show(s.error());
        return;
    }
    QDialog::accept();
}

} // namespace gpudeck
