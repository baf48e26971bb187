#pragma once

#include <QPalette>

class QChart;
class QAbstractAxis;

namespace gpudeck {

// The window's palette on a Qt Charts chart: Qt Charts paints with its own light theme unless told otherwise, which
// leaves a white box and near-invisible titles in a dark palette. Every chart of the window goes through here.
namespace ChartPalette {

// Background (the palette's Base), title, legend labels and every axis attached now.
void apply(QChart *chart, const QPalette &palette);
// One axis: labels and title in the palette's text colour, grid and axis line from its Mid colour.
void applyToAxis(QAbstractAxis *axis, const QPalette &palette);
// The grid's colour: faint on either background (Mid moved halfway to Base).
QColor grid(const QPalette &palette);
// A threshold line's colour: an alert's (a red that reads on the palette's Base) or a limit's (the text colour,
// muted).
QColor threshold(const QPalette &palette, bool alert);

} // namespace ChartPalette
} // namespace gpudeck
