#include "AppIcon.h"

#include <QPainter>
#include <QPixmap>

namespace gpudeck {
namespace {

// Draws the 64x64 design of gpudeck.svg scaled to `size`.
QPixmap paint(int size, const QColor &chip)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x2b, 0x34, 0x40));
    p.drawRoundedRect(QRectF(4, 12, 56, 40), 6, 6);
    p.setBrush(chip);
    p.drawRoundedRect(QRectF(10, 18, 30, 28), 3, 3);
    p.setBrush(QColor(0x9a, 0xa5, 0xb1));
    for (int y = 18; y <= 42; y += 8) {
        p.drawRect(QRectF(44, y, 10, 4));
    }
    QColor inner(0x2b, 0x34, 0x40);
    inner.setAlphaF(0.35f);
    p.setBrush(inner);
    p.drawRoundedRect(QRectF(14, 22, 22, 20), 2, 2);
    return pixmap;
}

} // namespace

QIcon AppIcon::make(const QColor &chip)
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        icon.addPixmap(paint(size, chip));
    }
    return icon;
}

} // namespace gpudeck
