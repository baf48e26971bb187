#include "report/ReportScheduleDialog.h"

#include "report/ReportService.h"
#include "store/AuditRepository.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace gpudeck {

ReportScheduleDialog::ReportScheduleDialog(ReportService &reports, AuditRepository &audit, QWidget *parent)
    : QDialog(parent)
    , m_reports(reports)
    , m_audit(audit)
{
    setObjectName(QStringLiteral("reportScheduleDialog"));
    setWindowTitle(tr("Report schedule"));

    auto *intro = new QLabel(tr("Once a day GPU Deck can write its status report (what needs attention, the fleet, "
                                "the last 24 hours) to a folder, e.g. one your mail or sync tool picks up."),
                             this);
    intro->setWordWrap(true);

    m_enabled = new QCheckBox(tr("Write the report every day"), this);
    m_enabled->setObjectName(QStringLiteral("reportEnabledCheck"));
    m_time = new QTimeEdit(this);
    m_time->setObjectName(QStringLiteral("reportTimeEdit"));
    m_time->setDisplayFormat(QStringLiteral("HH:mm"));
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("reportFolderEdit"));
    m_folder->setPlaceholderText(tr("an absolute path, created when missing"));
    m_browse = new QPushButton(tr("Choose…"), this);
    connect(m_browse, &QPushButton::clicked, this, &ReportScheduleDialog::chooseFolder);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("reportFormatCombo"));
    m_format->addItem(tr("Markdown (.md)"), QStringLiteral("markdown"));
    m_format->addItem(tr("HTML page (.html)"), QStringLiteral("html"));
    m_format->addItem(tr("JSON (.json)"), QStringLiteral("json"));
    m_last = new QLabel(this);
    m_last->setObjectName(QStringLiteral("reportLastLabel"));
    m_last->setWordWrap(true);
    m_last->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("reportErrorLabel"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(m_enabled);
    form->addRow(tr("At (local time):"), m_time);
    form->addRow(tr("Into the folder:"), folderRow);
    form->addRow(tr("As:"), m_format);
    form->addRow(tr("Last:"), m_last);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReportScheduleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ReportScheduleDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(520);

    m_errors = std::make_unique<FormErrors>(m_error);
    m_errors->addField(QStringLiteral("time"), m_time);
    m_errors->addField(QStringLiteral("folder"), m_folder);
    m_errors->addField(QStringLiteral("format"), m_format);

    const ReportSchedule s = m_reports.schedule();
    m_enabled->setChecked(s.enabled);
    m_time->setTime(s.time);
    m_folder->setText(s.folder);
    m_format->setCurrentIndex(qMax(0, m_format->findData(reportFormatName(s.format))));
    const ReportScheduleState state = m_reports.scheduleState();
    if (!state.lastError.isEmpty()) {
        m_last->setText(tr("failed: %1").arg(state.lastError));
    } else if (state.lastWrittenAt.isValid()) {
        m_last->setText(tr("%1, %2").arg(QLocale().toString(state.lastWrittenAt.toLocalTime(), QLocale::ShortFormat),
                                         state.lastFile));
    } else {
        m_last->setText(tr("not written yet"));
    }
    connect(m_enabled, &QCheckBox::toggled, this, &ReportScheduleDialog::updateEnabled);
    updateEnabled();
}

ReportScheduleDialog::~ReportScheduleDialog() = default;

void ReportScheduleDialog::updateEnabled()
{
    const bool on = m_enabled->isChecked();
    m_time->setEnabled(on);
    m_folder->setEnabled(on);
    m_browse->setEnabled(on);
    m_format->setEnabled(on);
}

void ReportScheduleDialog::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the daily report"), m_folder->text());
    if (!folder.isEmpty()) {
        m_folder->setText(folder);
    }
}

QJsonObject ReportScheduleDialog::fieldsJson() const
{
    // The same JSON the API takes, so the dialog and PUT /api/config/report obey one set of rules.
    return {{QStringLiteral("enabled"), m_enabled->isChecked()},
            {QStringLiteral("time"), m_time->time().toString(QStringLiteral("HH:mm"))},
            {QStringLiteral("folder"), m_folder->text()},
            {QStringLiteral("format"), m_format->currentData().toString()}};
}

void ReportScheduleDialog::accept()
{
    m_errors->clear();
    ReportSchedule s = m_reports.schedule();
    QString message;
    if (!ReportSchedule::fromJson(fieldsJson(), s, &message)) {
        const qsizetype open = message.indexOf(QLatin1Char('\''));
        const qsizetype close = open >= 0 ? message.indexOf(QLatin1Char('\''), open + 1) : -1;
        m_errors->show(Error::validation(close > open ? message.mid(open + 1, close - open - 1) : QString(), message));
        m_error->show();
        return;
    }
    const Status st = m_reports.setSchedule(s);
    m_audit.recordGui(QStringLiteral("PUT"), QStringLiteral("/api/config/report"), {}, st);
    if (!st.ok()) {
        m_errors->show(st.error());
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace gpudeck
