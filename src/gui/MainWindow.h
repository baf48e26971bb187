#pragma once

#include <QMainWindow>

namespace gpudeck {

class Core;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Core &core, QWidget *parent = nullptr);
    void showOnStart();

private:
    Core &m_core;
};

} // namespace gpudeck
