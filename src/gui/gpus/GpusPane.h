#pragma once

#include "PlaceholderPane.h"

namespace gpudeck {

// The GPUs pane. Live and historical GPU charts arrive with the metrics issue; until then it says so.
class GpusPane : public PlaceholderPane
{
    Q_OBJECT
public:
    explicit GpusPane(QWidget *parent = nullptr);
};

} // namespace gpudeck
