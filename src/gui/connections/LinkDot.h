#pragma once

#include "ssh/SshTypes.h"

#include <QColor>
#include <QIcon>

namespace gpudeck {

// The coloured dot that shows a link's state at a glance: green connected, amber on the way, red failed,
// grey disconnected. The state is always written next to it too; colour alone says nothing to everyone.
class LinkDot
{
public:
    static QColor color(LinkState state);
    static QIcon icon(LinkState state); // not cached: keep it where it is drawn often
    static QPixmap pixmap(LinkState state, int size);
};

} // namespace gpudeck
