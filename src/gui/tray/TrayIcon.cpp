#include "tray/TrayIcon.h"

#include "AppIcon.h"

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>

namespace gpudeck {

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_icon(new QSystemTrayIcon(AppIcon::make(), this))
    // QMenu is a widget and cannot have a QObject parent; it is deleted in the destructor.
    , m_menu(new QMenu)
{
    m_toggleAction = m_menu->addAction(tr("Show window"), this, &TrayIcon::toggleWindowRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit GPU Deck"), this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(m_menu);
    m_icon->setToolTip(tr("GPU Deck"));
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
            Q_EMIT toggleWindowRequested();
        }
    });
    m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

void TrayIcon::setWindowShown(bool shown)
{
    m_toggleAction->setText(shown ? tr("Hide window") : tr("Show window"));
}

void TrayIcon::notify(const QString &title, const QString &text)
{
    m_icon->showMessage(title, text, QSystemTrayIcon::Information, 5000);
}

} // namespace gpudeck
