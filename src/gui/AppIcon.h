#pragma once

#include <QColor>
#include <QIcon>

namespace gpudeck {

// The GPU Deck icon (resources/icons/gpudeck.svg), painted rather than loaded: Qt's SVG image plugin is
// not among GPU Deck's dependencies, and a painted icon can take the colour of the fleet's state later.
class AppIcon
{
public:
    static QColor okColor() { return QColor(0x76, 0xb9, 0x00); }
    static QIcon make(const QColor &chip = okColor());
};

} // namespace gpudeck
