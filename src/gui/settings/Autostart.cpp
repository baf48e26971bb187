#include "settings/Autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <algorithm>

namespace gpudeck {
namespace {

const QString kDesktopId = QStringLiteral(GPUDECK_DESKTOP_ID);

// A value of type string in a desktop file: backslash, newline, tab and carriage return are escaped.
QString escapedValue(const QString &value)
{
    QString out;
    for (const QChar c : value) {
        if (c == QLatin1Char('\\')) {
            out += QStringLiteral("\\\\");
        } else if (c == QLatin1Char('\n')) {
            out += QStringLiteral("\\n");
        } else if (c == QLatin1Char('\t')) {
            out += QStringLiteral("\\t");
        } else if (c == QLatin1Char('\r')) {
            out += QStringLiteral("\\r");
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

QString Autostart::entryPath()
{
    // GenericConfigLocation is $XDG_CONFIG_HOME, or ~/.config when it is unset.
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/%1.desktop").arg(kDesktopId);
}

bool Autostart::isEnabled()
{
    QFile file(entryPath());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return false;
    }
    bool inEntry = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(QLatin1Char('['))) {
            inEntry = line == QStringLiteral("[Desktop Entry]");
            continue;
        }
        if (!inEntry) {
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq < 0) {
            continue;
        }
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        if ((key == QStringLiteral("Hidden") && value == QStringLiteral("true")) ||
            (key == QStringLiteral("X-GNOME-Autostart-enabled") && value == QStringLiteral("false"))) {
            return false;
        }
    }
    return true;
}

QString Autostart::execArgument(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    QString arg = argument;
    // %-codes are field codes in Exec; a literal percent sign is written twice.
    arg.replace(QLatin1Char('%'), QStringLiteral("%%"));
    const bool needsQuotes = std::any_of(arg.cbegin(), arg.cend(), [](QChar c) { return reserved.contains(c); });
    if (!needsQuotes) {
        return arg;
    }
    QString quoted = QStringLiteral("\"");
    for (const QChar c : arg) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') || c == QLatin1Char('\\')) {
            quoted += QLatin1Char('\\');
        }
        quoted += c;
    }
    quoted += QLatin1Char('"');
    return quoted;
}

QString Autostart::defaultProgram()
{
    const QByteArray appImage = qgetenv("APPIMAGE");
    if (!appImage.isEmpty()) {
        return QFile::decodeName(appImage);
    }
    const QString running = QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath();
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("gpudeck"));
    if (!onPath.isEmpty() && QFileInfo(onPath).canonicalFilePath() == running) {
        return QStringLiteral("gpudeck");
    }
    return running;
}

QString Autostart::entryText(const QString &program)
{
    const QString exec = execArgument(program) + QLatin1Char(' ') + minimizedFlag();
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=GPU Deck\n"
                          "Comment=Starts GPU Deck in the system tray at login\n"
                          "Exec=%1\n"
                          "TryExec=%2\n"
                          "Icon=%3\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(escapedValue(exec), escapedValue(program), kDesktopId);
}

Status Autostart::enable(const QString &program)
{
    const QString path = entryPath();
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return Error::internal(QStringLiteral("cannot create the folder %1").arg(QFileInfo(path).absolutePath()));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return Error::internal(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    file.write(entryText(program.isEmpty() ? defaultProgram() : program).toUtf8());
    if (!file.commit()) {
        return Error::internal(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

Status Autostart::disable()
{
    const QString path = entryPath();
    if (QFile::exists(path) && !QFile::remove(path)) {
        return Error::internal(QStringLiteral("cannot remove %1").arg(path));
    }
    return {};
}

} // namespace gpudeck
