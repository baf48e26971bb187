#pragma once

#include <QString>

class QWidget;

namespace gpudeck {

// Asks before a destructive action. Cancel is the default, so a stray Enter deletes nothing.
class Confirm
{
public:
    static bool ask(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel);
};

} // namespace gpudeck
