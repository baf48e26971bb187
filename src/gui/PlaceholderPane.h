#pragma once

#include <QWidget>

namespace gpudeck {

// A pane whose feature is still to come: its title and one sentence saying what it will show.
class PlaceholderPane : public QWidget
{
    Q_OBJECT
public:
    PlaceholderPane(const QString &title, const QString &sentence, QWidget *parent = nullptr);
};

} // namespace gpudeck
