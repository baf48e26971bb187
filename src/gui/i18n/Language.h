#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace gpudeck::i18n {

// The language the window speaks. System follows QLocale::system(); the choice is kept in QSettings and read
// once at start, so a change applies after a restart.
enum class Language { System, English, German };

// "system", "en" or "de": what QSettings keeps under settingsKey().
QString settingValue(Language language);
Language fromSettingValue(const QString &value);
QString settingsKey();

Language storedLanguage();
void storeLanguage(Language language);

// The locale whose translations `language` loads (System: QLocale::system()).
QLocale localeFor(Language language);

// Installs GPU Deck's own translation (embedded as :/i18n/gpudeck_<lang>.qm) and Qt's base translation
// (qtbase_<lang>.qm from QLibraryInfo::TranslationsPath, Debian package qt6-translations-l10n) for `language` on
// `app`, replacing what an earlier call installed. A language GPU Deck has no translation for gets English, whose
// file holds only the plural forms of the (English) sources. Returns the language installed: "de" or "en".
QString install(QCoreApplication &app, Language language);

} // namespace gpudeck::i18n
