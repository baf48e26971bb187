// File ▸ Preferences: the XDG autostart entry written and removed under a temporary XDG_CONFIG_HOME (and checked
// with desktop-file-validate), a write that fails keeps the dialog open, and "Start minimised to the tray" keeps the
// window from showing at the next start.
#include "MainWindow.h"
#include "TestCore.h"
#include "i18n/Language.h"
#include "settings/Autostart.h"
#include "settings/PreferencesDialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

template<typename T>
T *child(const QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The value of `key` in the [Desktop Entry] group, unescaped only as far as this test needs (\\ → \).
QString entryValue(const QString &text, const QString &key)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(key + QLatin1Char('='))) {
            return line.mid(key.size() + 1).replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
        }
    }
    return {};
}

} // namespace

class TestGuiPreferences : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void reachedFromTheFileMenuWithAShortcut();
    void autostartEntryWrittenAndRemoved();
    void entrySwitchedOffElsewhereReadsUnticked();
    void execArgumentsQuoted_data();
    void execArgumentsQuoted();
    void failedWriteKeepsDialogOpen();
    void startMinimizedKeepsWindowInTray();
    void languageChosenForTheNextStart();

private:
    PreferencesDialog *openFromMenu();

    QTemporaryDir m_configDir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiPreferences::initTestCase()
{
    // Both QSettings and the autostart entry go under XDG_CONFIG_HOME: never the real ~/.config of whoever runs this.
    QVERIFY(m_configDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_configDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
    QCOMPARE(Autostart::entryPath(),
             m_configDir.filePath(QStringLiteral("autostart/%1.desktop").arg(QStringLiteral(GPUDECK_DESKTOP_ID))));
}

void TestGuiPreferences::init()
{
    QSettings().clear();
    QDir(m_configDir.filePath(QStringLiteral("autostart"))).removeRecursively();
    QFile::remove(m_configDir.filePath(QStringLiteral("autostart")));
    m_core = std::make_unique<TestCore>(false);
    m_window = std::make_unique<MainWindow>(m_core->core());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiPreferences::cleanup()
{
    m_window.reset();
    m_core.reset();
}

PreferencesDialog *TestGuiPreferences::openFromMenu()
{
    auto *action = child<QAction>(m_window.get(), "preferencesAction");
    if (!action) {
        return nullptr;
    }
    action->trigger();
    return qobject_cast<PreferencesDialog *>(QApplication::activeModalWidget());
}

void TestGuiPreferences::reachedFromTheFileMenuWithAShortcut()
{
    auto *file = child<QMenu>(m_window.get(), "fileMenu");
    QVERIFY(file);
    auto *action = child<QAction>(m_window.get(), "preferencesAction");
    QVERIFY(action);
    QVERIFY(file->actions().contains(action));
    QVERIFY(!action->shortcut().isEmpty());
    QCOMPARE(action->menuRole(), QAction::PreferencesRole);
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    QVERIFY(!child<QCheckBox>(dialog, "autostartCheck")->isChecked());
    QVERIFY(!child<QCheckBox>(dialog, "minimizedCheck")->isChecked());
    dialog->reject();
    QTRY_VERIFY(!dialog); // deleted on close
}

void TestGuiPreferences::autostartEntryWrittenAndRemoved()
{
    const QString path = Autostart::entryPath();
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    child<QCheckBox>(dialog, "autostartCheck")->setChecked(true);
    dialog->accept();
    QVERIFY(!dialog || !dialog->isVisible());

    QVERIFY(QFile::exists(path));
    QVERIFY(Autostart::isEnabled());
    const QString text = readAll(path);
    QVERIFY(text.startsWith(QStringLiteral("[Desktop Entry]\n")));
    QCOMPARE(entryValue(text, QStringLiteral("Type")), QStringLiteral("Application"));
    QCOMPARE(entryValue(text, QStringLiteral("Icon")), QStringLiteral(GPUDECK_DESKTOP_ID));
    // The running binary (this test, which is not on PATH), started in the tray.
    const QString program = QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath();
    QCOMPARE(entryValue(text, QStringLiteral("TryExec")), program);
    QCOMPARE(entryValue(text, QStringLiteral("Exec")),
             Autostart::execArgument(program) + QStringLiteral(" --minimized"));

    // Valid by the freedesktop.org reference validator (the test path installs desktop-file-utils).
    const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    QVERIFY2(!validator.isEmpty(), "desktop-file-validate not found: run installer/debian-deps.sh");
    QProcess validate;
    validate.start(validator, {path});
    QVERIFY(validate.waitForFinished(30000));
    const QByteArray output = validate.readAllStandardOutput() + validate.readAllStandardError();
    QVERIFY2(validate.exitCode() == 0 && output.trimmed().isEmpty(), output.constData());

    // The dialog reads the file, not a remembered setting; unticking removes it.
    dialog = openFromMenu();
    QVERIFY(dialog);
    QVERIFY(child<QCheckBox>(dialog, "autostartCheck")->isChecked());
    child<QCheckBox>(dialog, "autostartCheck")->setChecked(false);
    dialog->accept();
    QVERIFY(!QFile::exists(path));
    QVERIFY(!Autostart::isEnabled());
}

void TestGuiPreferences::entrySwitchedOffElsewhereReadsUnticked()
{
    // A desktop's own start-up settings switch an entry off in the file rather than deleting it.
    QVERIFY(Autostart::enable(QStringLiteral("/usr/bin/gpudeck")).ok());
    QVERIFY(Autostart::isEnabled());
    QFile file(Autostart::entryPath());
    QVERIFY(file.open(QIODevice::Append));
    file.write("Hidden=true\n");
    file.close();
    QVERIFY(!Autostart::isEnabled());
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    QVERIFY(!child<QCheckBox>(dialog, "autostartCheck")->isChecked());
    // Ticking it writes a fresh entry, switched on again.
    child<QCheckBox>(dialog, "autostartCheck")->setChecked(true);
    dialog->accept();
    QVERIFY(Autostart::isEnabled());
    QVERIFY(!readAll(Autostart::entryPath()).contains(QStringLiteral("Hidden")));
}

void TestGuiPreferences::execArgumentsQuoted_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("/usr/bin/gpudeck") << QStringLiteral("/usr/bin/gpudeck");
    QTest::newRow("space") << QStringLiteral("/opt/GPU Deck/gpudeck") << QStringLiteral("\"/opt/GPU Deck/gpudeck\"");
    QTest::newRow("dollar") << QStringLiteral("/home/u/$x/gpudeck") << QStringLiteral("\"/home/u/\\$x/gpudeck\"");
    QTest::newRow("percent") << QStringLiteral("/home/u/100%/gpudeck") << QStringLiteral("/home/u/100%%/gpudeck");
    QTest::newRow("quote") << QStringLiteral("/a\"b/gpudeck") << QStringLiteral("\"/a\\\"b/gpudeck\"");
    QTest::newRow("backslash") << QStringLiteral("/a\\b/gpudeck") << QStringLiteral("\"/a\\\\b/gpudeck\"");
}

void TestGuiPreferences::execArgumentsQuoted()
{
    QFETCH(QString, argument);
    QFETCH(QString, quoted);
    QCOMPARE(Autostart::execArgument(argument), quoted);
    // Each one written into an entry still passes the validator (the backslash is escaped a second time there).
    QVERIFY(Autostart::enable(argument).ok());
    const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    QVERIFY2(!validator.isEmpty(), "desktop-file-validate not found: run installer/debian-deps.sh");
    QProcess validate;
    validate.start(validator, {Autostart::entryPath()});
    QVERIFY(validate.waitForFinished(30000));
    const QByteArray output = validate.readAllStandardOutput() + validate.readAllStandardError();
    QVERIFY2(validate.exitCode() == 0 && output.trimmed().isEmpty(), output.constData());
}

void TestGuiPreferences::failedWriteKeepsDialogOpen()
{
    // A file where the autostart folder should be: the entry cannot be written.
    QFile blocker(m_configDir.filePath(QStringLiteral("autostart")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    child<QCheckBox>(dialog, "autostartCheck")->setChecked(true);
    child<QCheckBox>(dialog, "minimizedCheck")->setChecked(true);
    dialog->accept();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *error = child<QLabel>(dialog, "errorLabel");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("autostart")), qPrintable(error->text()));
    // Nothing was applied, and what was ticked is still ticked.
    QVERIFY(!PreferencesDialog::startMinimized());
    QVERIFY(child<QCheckBox>(dialog, "autostartCheck")->isChecked());
    dialog->reject();
}

void TestGuiPreferences::startMinimizedKeepsWindowInTray()
{
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    child<QCheckBox>(dialog, "minimizedCheck")->setChecked(true);
    dialog->accept();
    QVERIFY(PreferencesDialog::startMinimized());
    QVERIFY(!QFile::exists(Autostart::entryPath())); // the two choices are independent

    m_window.reset();
    MainWindow again(m_core->core());
    again.showOnStart();
    if (again.hasTray()) {
        QVERIFY(!again.isVisible());
    } else {
        // The offscreen platform has no tray: minimised, so the window can still be reached.
        QVERIFY(again.isMinimized());
    }

    // --minimized (what the autostart entry passes) does the same without the setting.
    PreferencesDialog::setStartMinimized(false);
    MainWindow fromLogin(m_core->core());
    fromLogin.showOnStart(true);
    QVERIFY(fromLogin.hasTray() ? !fromLogin.isVisible() : fromLogin.isMinimized());
    MainWindow plain(m_core->core());
    plain.showOnStart();
    QVERIFY(plain.isVisible());
    QVERIFY(!plain.isMinimized());
}

QTEST_MAIN(TestGuiPreferences)
// The language is kept for the next start (i18n::storedLanguage, which main() reads), and shown again.
void TestGuiPreferences::languageChosenForTheNextStart()
{
    QCOMPARE(i18n::storedLanguage(), i18n::Language::System);
    QPointer<PreferencesDialog> dialog = openFromMenu();
    QVERIFY(dialog);
    auto *combo = child<QComboBox>(dialog, "languageCombo");
    QCOMPARE(combo->currentData().toString(), i18n::settingValue(i18n::Language::System));
    QCOMPARE(combo->count(), 3);
    combo->setCurrentIndex(combo->findText(QStringLiteral("Deutsch")));
    dialog->accept();
    QCOMPARE(i18n::storedLanguage(), i18n::Language::German);
    dialog = openFromMenu();
    QVERIFY(dialog);
    QCOMPARE(child<QComboBox>(dialog, "languageCombo")->currentText(), QStringLiteral("Deutsch"));
    child<QComboBox>(dialog, "languageCombo")->setCurrentIndex(0);
    dialog->accept();
    QCOMPARE(i18n::storedLanguage(), i18n::Language::System);
}

#include "tst_gui_preferences.moc"
