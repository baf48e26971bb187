#pragma once

#include "alerts/Alert.h"
#include "tray/TrayState.h"
#include "wol/WakeTypes.h"

#include <QHash>
#include <QObject>
#include <QSystemTrayIcon>
#include <optional>

class QAction;
class QMenu;
class QTimer;

namespace gpudeck {

class Core;

// The tray icon: coloured by the worst state across the hosts, a tooltip line per host, a notification for
// every alert raised, and a menu (show/hide the window, pause monitoring, quit). It only asks; MainWindow
// decides about the window. Create it only when QSystemTrayIcon::isSystemTrayAvailable().
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(Core &core, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Words the Show/Hide entry after the window's state.
    void setWindowShown(bool shown);
    void notify(const QString &title, const QString &text,
                QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information);
    struct Notification
    {
        QString title;
        QString text;
        QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information;
    };
    // What an alert raised shows: info (a job completed, a pod stopped as asked) is an information message, warning and
    // critical say so in the title; an alert seen again (after a reconnect, a restart) is not news and shows nothing.
    static std::optional<Notification> notificationFor(const Alert &alert);
    const TrayState &state() const { return m_state; }
    // The Wake submenu (asleep hosts, then Wake all), refilled each time it opens.
    QMenu *wakeMenu() const { return m_wakeMenu; }
    void fillWakeMenu();

Q_SIGNALS:
    void toggleWindowRequested();
    void quitRequested();

private:
    void scheduleUpdate();
    void updateState();
    void reloadNames();
    void reloadAlerts();
    void onAlert(const gpudeck::Alert &alert, bool raised);
    void syncPaused();
    void wake(qint64 connectionId);
    void wakeAll();
    void onWakeFinished(const gpudeck::WakeOutcome &outcome);

    Core &m_core;
    QSystemTrayIcon *m_icon;
    QMenu *m_menu;
    QAction *m_toggleAction;
    QAction *m_pauseAction;
    QMenu *m_wakeMenu = nullptr;
    QTimer *m_throttle;
    bool m_pending = false;
    QHash<qint64, QString> m_names; // connection id -> name
    QList<Alert> m_activeAlerts;
    TrayState m_state;
    bool m_paused = false;
    bool m_first = true;
};

} // namespace gpudeck
