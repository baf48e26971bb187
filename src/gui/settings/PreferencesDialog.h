#pragma once

#include <QDialog>
#include <memory>

class QCheckBox;
class QComboBox;
class QVBoxLayout;

namespace gpudeck {

class FormErrors;

// GPU Deck's own preferences (File ▸ Preferences…, the platform's Preferences shortcut): how it starts. Each topic is
// one group box in a single column; OK applies, Cancel changes nothing. What monitoring does lives in Monitoring
// settings, next to the data it governs.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    void accept() override;

    // "Start minimised to the tray": every start, not only the one at login.
    static bool startMinimized();
    static void setStartMinimized(bool minimized);

private:
    QWidget *buildStartupGroup();
    QWidget *buildLanguageGroup();

    QVBoxLayout *m_groups = nullptr;
    QCheckBox *m_autostartCheck = nullptr;
    QCheckBox *m_minimizedCheck = nullptr;
    QComboBox *m_languageCombo = nullptr;
    std::unique_ptr<FormErrors> m_errors;
};

} // namespace gpudeck
