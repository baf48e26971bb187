#include "connections/LinkDot.h"

#include <QPainter>
#include <QPixmap>

namespace gpudeck {

QColor LinkDot::color(LinkState state)
{
    switch (state) {
    case LinkState::Connected:
        return QColor(0x27, 0xae, 0x60);
    case LinkState::Connecting:
    case LinkState::Reconnecting:
        return QColor(0xe6, 0x9a, 0x16);
    case LinkState::Failed:
        return QColor(0xc0, 0x39, 0x2b);
    case LinkState::Down:
        return QColor(0x5d, 0x6d, 0x7e); // darker than disconnected: wanted, but not there
    case LinkState::Disconnected:
        break;
    }
    return QColor(0x95, 0xa0, 0xa8);
}

QPixmap LinkDot::pixmap(LinkState state, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor fill = color(state);
    p.setPen(QPen(fill.darker(130), size / 12.0));
    p.setBrush(fill);
    // A dot a little smaller than the icon box, like the text's x-height, not a button.
    const qreal margin = size * 0.2;
    p.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
    return pixmap;
}

QIcon LinkDot::icon(LinkState state)
{
    QIcon icon;
    for (int size : {12, 16, 24, 32, 48}) {
        const QPixmap dot = pixmap(state, size);
        icon.addPixmap(dot);
        icon.addPixmap(dot, QIcon::Selected); // the colour must not be tinted by the row's highlight
    }
    return icon;
}

} // namespace gpudeck
