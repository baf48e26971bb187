#pragma once

#include "Result.h"

#include <QString>

namespace gpudeck {

// The XDG autostart entry that starts GPU Deck at login, in the tray: $XDG_CONFIG_HOME/autostart/<desktop id>.desktop
// (freedesktop.org Desktop Application Autostart Specification). The file on disk is the only record of the choice,
// so a user who deletes it, or disables it in their desktop's start-up settings, sees the box unticked.
class Autostart
{
public:
    // The flag the entry passes: start with the window hidden in the tray (minimised when there is no tray).
    static QString minimizedFlag() { return QStringLiteral("--minimized"); }

    static QString entryPath();
    // True when the entry exists and is not switched off (Hidden=true, X-GNOME-Autostart-enabled=false).
    static bool isEnabled();
    // Writes the entry for `program`, or, when empty, for the running binary (`gpudeck` when that is the one on
    // PATH, so an upgraded package keeps working; the AppImage when run from one).
    static Status enable(const QString &program = {});
    static Status disable();

    static QString entryText(const QString &program);
    static QString defaultProgram();
    // One argument of an Exec line, quoted and escaped as the Desktop Entry Specification asks.
    static QString execArgument(const QString &argument);
};

} // namespace gpudeck
