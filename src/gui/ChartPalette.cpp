#include "ChartPalette.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>

namespace gpudeck::ChartPalette {

QColor grid(const QPalette &palette)
{
    // A grid that stays faint on either background: the Mid colour moved halfway to the Base colour.
    const QColor mid = palette.color(QPalette::Mid);
    const QColor base = palette.color(QPalette::Base);
    return {(mid.red() + base.red()) / 2, (mid.green() + base.green()) / 2, (mid.blue() + base.blue()) / 2};
}

QColor threshold(const QPalette &palette, bool alert)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (alert) {
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    }
    QColor text = palette.color(QPalette::WindowText);
    text.setAlpha(150);
    return text;
}

void applyToAxis(QAbstractAxis *axis, const QPalette &palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    axis->setLabelsColor(text);
    axis->setTitleBrush(text);
    axis->setGridLineColor(grid(palette));
    axis->setLinePenColor(palette.color(QPalette::Mid));
}

void apply(QChart *chart, const QPalette &palette)
{
    chart->setBackgroundBrush(palette.brush(QPalette::Base));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(palette.brush(QPalette::WindowText));
    chart->legend()->setLabelColor(palette.color(QPalette::WindowText));
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        applyToAxis(axis, palette);
    }
}

} // namespace gpudeck::ChartPalette
