#pragma once

#include "FormErrors.h"

#include <QDialog>
#include <QJsonObject>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimeEdit;

namespace gpudeck {

class AuditRepository;
class ReportService;

// File → Report schedule…: whether GPU Deck writes the status report to a folder every day, at what local time, in
// which format. Checked by the core's own rules (ReportSchedule::fromJson, as PUT /api/config/report is): a bad value
// is named inline and the dialog stays open with everything typed. Shows what the schedule last did.
class ReportScheduleDialog : public QDialog
{
    Q_OBJECT
public:
    ReportScheduleDialog(ReportService &reports, AuditRepository &audit, QWidget *parent = nullptr);
    ~ReportScheduleDialog() override;

    void accept() override;

    // The dialog's fields as the API's JSON (for tests).
    QJsonObject fieldsJson() const;

private:
    void chooseFolder();
    void updateEnabled();

    ReportService &m_reports;
    AuditRepository &m_audit;
    QCheckBox *m_enabled = nullptr;
    QTimeEdit *m_time = nullptr;
    QLineEdit *m_folder = nullptr;
    QPushButton *m_browse = nullptr;
    QComboBox *m_format = nullptr;
    QLabel *m_last = nullptr;
    QLabel *m_error = nullptr;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
