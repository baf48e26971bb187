#include "logging/Logging.h"

#include <QHash>
#include <QMutex>

Q_LOGGING_CATEGORY(lcApp, "gpudeck.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "gpudeck.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "gpudeck.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSsh, "gpudeck.ssh", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMetrics, "gpudeck.metrics", QtInfoMsg)

namespace gpudeck {
namespace {

struct LevelState
{
    QMutex mutex;
    QString global = QStringLiteral("info");
    QHash<QString, QString> perCategory;
};

LevelState &state()
{
    static LevelState s;
    return s;
}

// Builds QT_LOGGING_RULES-style rules that enable `level` and everything more severe.
QString rulesFor(const QString &pattern, const QString &level)
{
    const QStringList order = LogLevel::levels();
    const qsizetype min = order.indexOf(level);
    QStringList rules;
    for (qsizetype i = 0; i < order.size(); ++i) {
        rules << QStringLiteral("%1.%2=%3")
                     .arg(pattern, order.at(i), i >= min ? QStringLiteral("true") : QStringLiteral("false"));
    }
    return rules.join(QLatin1Char('\n'));
}

} // namespace

QStringList LogLevel::levels()
{
    return {QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("critical")};
}

QStringList LogLevel::categories()
{
    return {QString::fromLatin1(lcApp().categoryName()),
            QString::fromLatin1(lcStore().categoryName()),
            QString::fromLatin1(lcApi().categoryName()),
            QString::fromLatin1(lcSsh().categoryName()),
            QString::fromLatin1(lcMetrics().categoryName()),
            QStringLiteral("gpudeck.secrets"),
            QStringLiteral("gpudeck.models"),
            QStringLiteral("gpudeck.proxmox"),
            QStringLiteral("gpudeck.runpod"),
            QStringLiteral("gpudeck.wol")};
}

bool LogLevel::isValidLevel(const QString &level)
{
    return levels().contains(level);
}

bool LogLevel::set(const QString &level, const QString &category)
{
    if (!isValidLevel(level) || (!category.isEmpty() && !categories().contains(category))) {
        return false;
    }
    auto &s = state();
    QMutexLocker lock(&s.mutex);
    if (category.isEmpty()) {
        s.global = level;
        s.perCategory.clear();
    } else {
        s.perCategory.insert(category, level);
    }
    QString rules = rulesFor(QStringLiteral("gpudeck.*"), s.global);
    for (auto it = s.perCategory.cbegin(); it != s.perCategory.cend(); ++it) {
        rules += QLatin1Char('\n') + rulesFor(it.key(), it.value());
    }
    QLoggingCategory::setFilterRules(rules);
    return true;
}

QString LogLevel::level()
{
    auto &s = state();
    QMutexLocker lock(&s.mutex);
    return s.global;
}

QString LogLevel::levelOf(const QString &category)
{
    auto &s = state();
    QMutexLocker lock(&s.mutex);
    return s.perCategory.value(category, s.global);
}

} // namespace gpudeck
