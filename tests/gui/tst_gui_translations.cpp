// The translators GPU Deck installs: with German chosen the window speaks German (GPU Deck's own strings from the
// embedded .qm, Qt's standard buttons from qtbase_de), with English it speaks the source language, and the choice
// is kept in QSettings. Accelerators stay unique in every menu and in the dialogs whose labels carry them.
#include "MainWindow.h"
#include "TestCore.h"
#include "connections/ConnectionDialog.h"
#include "connections/ConnectionsPane.h"
#include "gpus/GpusPane.h"
#include "i18n/Language.h"
#include "settings/MonitoringSettingsDialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace gpudeck;
using gpudeck::test::TestCore;

namespace {

// The accelerator letter of `text` ("&Datei" -> "d"), or an empty string.
QString mnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('&')) {
            if (text.at(i + 1) == QLatin1Char('&')) {
                ++i;
                continue;
            }
            return text.at(i + 1).toLower();
        }
    }
    return {};
}

// Texts sharing one accelerator, as "d: &Datei, &Drucken"; empty when every accelerator is unique.
QStringList duplicateMnemonics(const QStringList &texts)
{
    QMap<QString, QStringList> byLetter;
    for (const QString &text : texts) {
        if (const QString letter = mnemonic(text); !letter.isEmpty()) {
            byLetter[letter] << text;
        }
    }
    QStringList clashes;
    for (auto it = byLetter.cbegin(); it != byLetter.cend(); ++it) {
        if (it.value().size() > 1) {
            clashes << QStringLiteral("%1: %2").arg(it.key(), it.value().join(QStringLiteral(", ")));
        }
    }
    return clashes;
}

QStringList menuClashes(const QMenuBar *bar)
{
    QStringList clashes;
    QStringList titles;
    for (QAction *action : bar->actions()) {
        titles << action->text();
        if (QMenu *menu = action->menu()) {
            QStringList items;
            for (QAction *item : menu->actions()) {
                if (!item->isSeparator()) {
                    items << item->text();
                }
            }
            for (const QString &clash : duplicateMnemonics(items)) {
                clashes << QStringLiteral("menu %1 — %2").arg(action->text(), clash);
            }
        }
    }
    for (const QString &clash : duplicateMnemonics(titles)) {
        clashes << QStringLiteral("menu bar — %1").arg(clash);
    }
    return clashes;
}

// Labels and buttons of `dialog` that a person can see, with the buttons of its button box.
QStringList dialogTexts(const QWidget *dialog)
{
    QStringList texts;
    for (const QLabel *label : dialog->findChildren<QLabel *>()) {
        if (label->buddy() && label->isVisibleTo(dialog)) {
            texts << label->text();
        }
    }
    for (const QAbstractButton *button : dialog->findChildren<QAbstractButton *>()) {
        if (button->isVisibleTo(dialog)) {
            texts << button->text();
        }
    }
    return texts;
}

} // namespace

class TestGuiTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void settingRoundTrip();
    void germanWindow();
    void englishWindow();
    void germanDialogsKeepAcceleratorsUnique();

private:
    QTemporaryDir m_settingsDir;
};

void TestGuiTranslations::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QApplication::setQuitOnLastWindowClosed(false);
}

void TestGuiTranslations::cleanup()
{
    i18n::install(*qApp, i18n::Language::English);
}

void TestGuiTranslations::settingRoundTrip()
{
    QCOMPARE(i18n::storedLanguage(), i18n::Language::System);
    i18n::storeLanguage(i18n::Language::German);
    QCOMPARE(QSettings().value(i18n::settingsKey()).toString(), QStringLiteral("de"));
    QCOMPARE(i18n::storedLanguage(), i18n::Language::German);
    i18n::storeLanguage(i18n::Language::English);
    QCOMPARE(i18n::storedLanguage(), i18n::Language::English);
    i18n::storeLanguage(i18n::Language::System);
    QVERIFY(!QSettings().contains(i18n::settingsKey()));
    QCOMPARE(i18n::fromSettingValue(QStringLiteral("klingon")), i18n::Language::System);
    QCOMPARE(i18n::localeFor(i18n::Language::German).language(), QLocale::German);
}

void TestGuiTranslations::germanWindow()
{
    QCOMPARE(i18n::install(*qApp, i18n::Language::German), QStringLiteral("de"));
    QCOMPARE(QLocale().language(), QLocale::German);
    QCOMPARE(QCoreApplication::translate("gpudeck::JobsPane", "Delete the project %1 and its %n job(s)?", nullptr, 1),
             QStringLiteral("Das Projekt %1 und seinen 1 Job löschen?"));
    TestCore core;
    MainWindow window(core.core());

    const auto *panes = window.findChild<QListWidget *>(QStringLiteral("paneList"));
    QVERIFY(panes);
    QStringList titles;
    for (int i = 0; i < panes->count(); ++i) {
        titles << panes->item(i)->text();
    }
    QCOMPARE(titles.mid(0, 5),
             (QStringList{QStringLiteral("Flotte"), QStringLiteral("Verbindungen"), QStringLiteral("GPUs"),
                          QStringLiteral("Modelle"), QStringLiteral("Jobs")}));
    QStringList menus;
    for (QAction *action : window.menuBar()->actions()) {
        menus << action->text();
    }
    QVERIFY2(menus.contains(QStringLiteral("&Datei")), qPrintable(menus.join(u' ')));
    QVERIFY2(menus.contains(QStringLiteral("&Verbindungen")), qPrintable(menus.join(u' ')));
    const QStringList clashes = menuClashes(window.menuBar());
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));

    // Qt's own strings come from qtbase_de (Debian: qt6-translations-l10n, in installer/debian-deps.sh).
    QVERIFY2(QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_de.qm")),
             "qtbase_de.qm is missing: install qt6-translations-l10n");
    QDialogButtonBox box(QDialogButtonBox::Cancel);
    QCOMPARE(box.button(QDialogButtonBox::Cancel)->text().remove(u'&'), QStringLiteral("Abbrechen"));
}

void TestGuiTranslations::englishWindow()
{
    QCOMPARE(i18n::install(*qApp, i18n::Language::English), QStringLiteral("en"));
    // English carries only the plural forms of its own sources.
    QCOMPARE(QCoreApplication::translate("gpudeck::JobsPane", "Delete the project %1 and its %n job(s)?", nullptr, 1),
             QStringLiteral("Delete the project %1 and its 1 job?"));
    QCOMPARE(QCoreApplication::translate("gpudeck::JobsPane", "Delete the project %1 and its %n job(s)?", nullptr, 3),
             QStringLiteral("Delete the project %1 and its 3 jobs?"));
    TestCore core;
    MainWindow window(core.core());
    QStringList menus;
    for (QAction *action : window.menuBar()->actions()) {
        menus << action->text();
    }
    QVERIFY2(menus.contains(QStringLiteral("&File")), qPrintable(menus.join(u' ')));
    QDialogButtonBox box(QDialogButtonBox::Cancel);
    QCOMPARE(box.button(QDialogButtonBox::Cancel)->text().remove(u'&'), QStringLiteral("Cancel"));
}

void TestGuiTranslations::germanDialogsKeepAcceleratorsUnique()
{
    QCOMPARE(i18n::install(*qApp, i18n::Language::German), QStringLiteral("de"));
    TestCore core;
    MainWindow window(core.core());

    std::unique_ptr<QDialog> connection(window.connectionsPane()->addConnection());
    QVERIFY(connection);
    QCOMPARE(connection->windowTitle(), QStringLiteral("Verbindung hinzufügen"));
    QStringList clashes = duplicateMnemonics(dialogTexts(connection.get()));
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));

    std::unique_ptr<QDialog> settings(window.gpusPane()->openSettings());
    QVERIFY(settings);
    clashes = duplicateMnemonics(dialogTexts(settings.get()));
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
}

QTEST_MAIN(TestGuiTranslations)
#include "tst_gui_translations.moc"
