#include "gpus/GpusPane.h"

namespace gpudeck {

GpusPane::GpusPane(QWidget *parent)
    : PlaceholderPane(tr("GPUs"), tr("Live and historical GPU charts for every connected host will appear here."),
                      parent)
{
}

} // namespace gpudeck
