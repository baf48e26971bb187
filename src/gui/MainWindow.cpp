#include "MainWindow.h"

#include "app/Core.h"

namespace gpudeck {

MainWindow::MainWindow(Core &core, QWidget *parent)
    : QMainWindow(parent)
    , m_core(core)
{
    setWindowTitle(tr("GPU Deck"));
}

void MainWindow::showOnStart()
{
    show();
}

} // namespace gpudeck
