#pragma once

#include <QFont>
#include <QLabel>

namespace gpudeck {

// A section title inside a pane: the widget's own font, bold.
inline QLabel *makeHeading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace gpudeck
