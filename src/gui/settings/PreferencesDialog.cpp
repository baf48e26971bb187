#include "settings/PreferencesDialog.h"

#include "FormErrors.h"
#include "i18n/Language.h"
#include "settings/Autostart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

const QString kStartMinimizedKey = QStringLiteral("startup/minimized");

} // namespace

PreferencesDialog::~PreferencesDialog() = default;

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    auto *layout = new QVBoxLayout(this);
    // One group box per topic, in this column, above the error line and the buttons.
    m_groups = new QVBoxLayout;
    m_groups->addWidget(buildStartupGroup());
    m_groups->addWidget(buildLanguageGroup());
    layout->addLayout(m_groups);

    auto *errorLabel = new QLabel(this);
    errorLabel->setObjectName(QStringLiteral("errorLabel"));
    layout->addWidget(errorLabel);
    m_errors = std::make_unique<FormErrors>(errorLabel);
    m_errors->addField(QStringLiteral("autostart"), m_autostartCheck);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("buttonBox"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    layout->addStretch();
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

QWidget *PreferencesDialog::buildStartupGroup()
{
    auto *group = new QGroupBox(tr("Start-up"), this);
    group->setObjectName(QStringLiteral("startupGroup"));
    group->setMinimumWidth(380); // the dialog is fixed to its size hint: room to breathe, and for longer languages
    auto *box = new QVBoxLayout(group);
    m_autostartCheck = new QCheckBox(tr("Start GPU Deck at &login (in the tray)"), group);
    m_autostartCheck->setObjectName(QStringLiteral("autostartCheck"));
    m_autostartCheck->setToolTip(
        tr("Adds GPU Deck to your desktop's start-up applications (%1).").arg(Autostart::entryPath().toHtmlEscaped()));
    m_autostartCheck->setChecked(Autostart::isEnabled());
    box->addWidget(m_autostartCheck);
    m_minimizedCheck = new QCheckBox(tr("Start &minimised to the tray"), group);
    m_minimizedCheck->setObjectName(QStringLiteral("minimizedCheck"));
    m_minimizedCheck->setToolTip(
        QSystemTrayIcon::isSystemTrayAvailable()
            ? tr("Every start keeps the window hidden; the tray icon shows it.")
            : tr("Every start keeps the window minimised (this desktop shows no tray icons)."));
    m_minimizedCheck->setChecked(startMinimized());
    box->addWidget(m_minimizedCheck);
    return group;
}

QWidget *PreferencesDialog::buildLanguageGroup()
{
    auto *group = new QGroupBox(tr("Language"), this);
    group->setObjectName(QStringLiteral("languageGroup"));
    auto *box = new QVBoxLayout(group);
    auto *row = new QHBoxLayout;
    auto *label = new QLabel(tr("Lan&guage:"), group);
    m_languageCombo = new QComboBox(group);
    m_languageCombo->setObjectName(QStringLiteral("languageCombo"));
    label->setBuddy(m_languageCombo);
    m_languageCombo->addItem(tr("System (%1)").arg(QLocale::system().nativeLanguageName()),
                             i18n::settingValue(i18n::Language::System));
    // Each language by its own name, never translated.
    m_languageCombo->addItem(QStringLiteral("English"), i18n::settingValue(i18n::Language::English));
    m_languageCombo->addItem(QStringLiteral("Deutsch"), i18n::settingValue(i18n::Language::German));
    m_languageCombo->setCurrentIndex(qMax(0, m_languageCombo->findData(i18n::settingValue(i18n::storedLanguage()))));
    row->addWidget(label);
    row->addWidget(m_languageCombo, 1);
    box->addLayout(row);
    auto *note = new QLabel(tr("Applies the next time GPU Deck starts."), group);
    note->setEnabled(false);
    box->addWidget(note);
    return group;
}

void PreferencesDialog::accept()
{
    if (m_autostartCheck->isChecked() != Autostart::isEnabled()) {
        const Status written = m_autostartCheck->isChecked() ? Autostart::enable() : Autostart::disable();
        if (!written.ok()) {
            // Nothing else is applied either: the dialog stays open with the choices as they were made.
            Error error = written.error();
            error.field = QStringLiteral("autostart");
            m_errors->show(error);
            return;
        }
    }
    setStartMinimized(m_minimizedCheck->isChecked());
    i18n::storeLanguage(i18n::fromSettingValue(m_languageCombo->currentData().toString()));
    QDialog::accept();
}

bool PreferencesDialog::startMinimized()
{
    return QSettings().value(kStartMinimizedKey, false).toBool();
}

void PreferencesDialog::setStartMinimized(bool minimized)
{
    QSettings().setValue(kStartMinimizedKey, minimized);
}

} // namespace gpudeck
