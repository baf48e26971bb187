#include "ChartPalette.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>

namespace gpudeck::ChartPalette {

void applyToAxis(QAbstractAxis *axis, const QPalette &palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    const QColor mid = palette.color(QPalette::Mid);
    // A grid that stays faint on either background: the Mid colour moved halfway to the Base colour.
    const QColor base = palette.color(QPalette::Base);
    const QColor grid((mid.red() + base.red()) / 2, (mid.green() + base.green()) / 2, (mid.blue() + base.blue()) / 2);
    axis->setLabelsColor(text);
    axis->setTitleBrush(text);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(mid);
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
