#include "i18n/Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QTranslator>
#include <memory>

namespace gpudeck::i18n {

namespace {

Q_LOGGING_CATEGORY(lcI18n, "gpudeck.i18n")

// The translators install() put on the application, removed again by the next call.
QPointer<QTranslator> g_app;
QPointer<QTranslator> g_qt;

void removeInstalled()
{
    for (QPointer<QTranslator> *translator : {&g_app, &g_qt}) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete translator->data();
        }
    }
}

} // namespace

QString settingsKey()
{
    return QStringLiteral("ui/language");
}

QString settingValue(Language language)
{
    switch (language) {
    case Language::English:
        return QStringLiteral("en");
    case Language::German:
        return QStringLiteral("de");
    case Language::System:
        break;
    }
    return QStringLiteral("system");
}

Language fromSettingValue(const QString &value)
{
    if (value == QLatin1String("en")) {
        return Language::English;
    }
    if (value == QLatin1String("de")) {
        return Language::German;
    }
    return Language::System;
}

Language storedLanguage()
{
    return fromSettingValue(QSettings().value(settingsKey()).toString());
}

void storeLanguage(Language language)
{
    QSettings settings;
    if (language == Language::System) {
        settings.remove(settingsKey());
    } else {
        settings.setValue(settingsKey(), settingValue(language));
    }
}

QLocale localeFor(Language language)
{
    switch (language) {
    case Language::English:
        return QLocale(QLocale::English, QLocale::UnitedStates);
    case Language::German:
        return QLocale(QLocale::German, QLocale::Germany);
    case Language::System:
        break;
    }
    return QLocale::system();
}

QString install(QCoreApplication &app, Language language)
{
    removeInstalled();
    const QLocale locale = localeFor(language);
    // Dates and numbers the window formats with QLocale() follow the chosen language too.
    QLocale::setDefault(locale);
    // QTranslator::load(locale, ...) tries every UI language of the locale in order ("de-AT", "de", ...).
    auto own = std::make_unique<QTranslator>(&app);
    if (!own->load(locale, QStringLiteral("gpudeck"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        qCDebug(lcI18n) << "no GPU Deck translation for" << locale.uiLanguages() << "- English it is";
        if (!own->load(QStringLiteral(":/i18n/gpudeck_en.qm"))) {
            qCWarning(lcI18n) << "the embedded English plural forms are missing";
            return QStringLiteral("en");
        }
    }
    QCoreApplication::installTranslator(own.get());
    g_app = own.release();
    const QString installed = QLocale(g_app->language()).name().section(u'_', 0, 0);
    if (installed == QLatin1String("en")) {
        return installed;
    }

    // Qt's own strings (standard buttons, file dialogs, context menus of line edits) in the same language.
    auto qt = std::make_unique<QTranslator>(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qt = qt.release();
    } else {
        qCInfo(lcI18n) << "Qt's base translation for" << locale.name() << "is not installed under"
                       << QLibraryInfo::path(QLibraryInfo::TranslationsPath)
                       << "(Debian: qt6-translations-l10n); Qt's own buttons stay English";
    }
    return installed;
}

} // namespace gpudeck::i18n
