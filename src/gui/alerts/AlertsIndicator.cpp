#include "alerts/AlertsIndicator.h"

#include "alerts/AlertsModel.h"
#include "app/Core.h"
#include "metrics/MetricsService.h"

#include <QPainter>
#include <QTimer>

namespace gpudeck {
namespace {

QIcon dot(const QColor &color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(130), 1));
    p.setBrush(color);
    p.drawEllipse(QRectF(3.5, 3.5, 9, 9));
    return QIcon(pixmap);
}

} // namespace

AlertsIndicator::AlertsIndicator(Core &core, QWidget *parent)
    : QToolButton(parent)
    , m_core(core)
    , m_reloadTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("alertsIndicator"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setToolTip(tr("Show the alerts"));
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(200);
    connect(m_reloadTimer, &QTimer::timeout, this, &AlertsIndicator::reload);
    connect(&m_core.metrics(), &MetricsService::alertChanged, m_reloadTimer, qOverload<>(&QTimer::start));
    reload();
}

void AlertsIndicator::reload()
{
    const auto active = m_core.metrics().alerts(true, 0, 200);
    m_active = active.ok() ? static_cast<int>(active->size()) : 0;
    bool critical = false;
    if (active.ok()) {
        for (const Alert &a : active.value()) {
            critical = critical || a.severity == QStringLiteral("critical");
        }
    }
    setText(m_active == 1 ? tr("1 active alert") : tr("%n active alerts", nullptr, m_active));
    setIcon(dot(AlertsModel::severityColor(critical ? QStringLiteral("critical") : QStringLiteral("warning"))));
    setVisible(m_active > 0);
}

} // namespace gpudeck
