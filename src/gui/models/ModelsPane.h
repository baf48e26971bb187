#pragma once

#include "PlaceholderPane.h"

namespace gpudeck {

// The Models pane. Model serving and swapping arrive with the models issue; until then it says so.
class ModelsPane : public PlaceholderPane
{
    Q_OBJECT
public:
    explicit ModelsPane(QWidget *parent = nullptr);
};

} // namespace gpudeck
