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

} // namespace ChartPalette
} // namespace gpudeck
