#include "models/ModelsPane.h"

namespace gpudeck {

ModelsPane::ModelsPane(QWidget *parent)
    : PlaceholderPane(tr("Models"),
                      tr("The models each host can serve, the one being served now, and a one-click swap will appear "
                         "here."),
                      parent)
{
}

} // namespace gpudeck
