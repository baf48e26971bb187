#pragma once

#include <QLoggingCategory>
#include <QString>
#include <QStringList>

Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcSsh)
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)

namespace gpudeck {

// Run-time control of the log level, shared by the command line and the log-level API.
// Levels follow QtMsgType order: debug < info < warning < critical. One level applies to every
// `gpudeck.*` category unless a category-specific level is set.
class LogLevel
{
public:
    static QStringList levels();     // "debug", "info", "warning", "critical"
    static QStringList categories(); // the gpudeck.* categories
    static bool isValidLevel(const QString &level);

    // Applies `level` to `category` (a gpudeck.* name) or to all gpudeck categories when empty.
    // Returns false, changing nothing, when the level or category is unknown.
    static bool set(const QString &level, const QString &category = {});
    static QString level();                          // the global level
    static QString levelOf(const QString &category); // effective level of one category
};

} // namespace gpudeck
