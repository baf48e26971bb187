#pragma once

#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace gpudeck {

// The tray icon with its menu (show/hide the window, quit). It only asks; MainWindow decides.
// Create it only when QSystemTrayIcon::isSystemTrayAvailable().
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    // Words the Show/Hide entry after the window's state.
    void setWindowShown(bool shown);
    void notify(const QString &title, const QString &text);

Q_SIGNALS:
    void toggleWindowRequested();
    void quitRequested();

private:
    QSystemTrayIcon *m_icon;
    QMenu *m_menu;
    QAction *m_toggleAction;
};

} // namespace gpudeck
