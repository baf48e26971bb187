#include "fleet/ProxmoxNodeTile.h"

#include "fleet/ProxmoxGuestsModel.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace gpudeck {
namespace {

const QColor kOnline(0x27, 0xae, 0x60);
const QColor kOffline(0x95, 0xa0, 0xa8);
const QColor kUnknown(0xe6, 0x9a, 0x16);
const QColor kCpuColor(0x3b, 0x82, 0xf6);
const QColor kMemoryColor(0x9b, 0x59, 0xb6);

bool sameNode(const ProxmoxNode &a, const ProxmoxNode &b)
{
    return a.name == b.name && a.status == b.status && a.cpu == b.cpu && a.maxCpu == b.maxCpu && a.mem == b.mem &&
           a.maxMem == b.maxMem && a.uptime / 60 == b.uptime / 60 && a.local == b.local;
}

} // namespace

ProxmoxNodeTile::ProxmoxNodeTile(const QString &name, QWidget *parent)
    : QWidget(parent)
{
    m_node.name = name;
    setObjectName(QStringLiteral("proxmoxNode_%1").arg(name));
    setFixedSize(kWidth, kHeight);
}

void ProxmoxNodeTile::setNode(const ProxmoxNode &node)
{
    if (m_hasNode && sameNode(node, m_node)) {
        return;
    }
    m_node = node;
    m_hasNode = true;
    setToolTip(tr("%1\n%2 CPUs, %3 GiB memory%4")
                   .arg(node.ip.isEmpty() ? node.name : tr("%1 (%2)").arg(node.name, node.ip))
                   .arg(node.maxCpu)
                   .arg(QLocale().toString(double(node.maxMem) / 1073741824.0, 'f', 0))
                   .arg(node.local ? tr("\nThe node GPU Deck reads the cluster through") : QString()));
    setAccessibleName(tr("Node %1, %2").arg(node.name, statusText()));
    update();
}

QString ProxmoxNodeTile::statusText() const
{
    if (m_node.status == QStringLiteral("online")) {
        return tr("online");
    }
    if (m_node.status == QStringLiteral("offline")) {
        return tr("offline");
    }
    return m_node.status.isEmpty() ? tr("unknown") : m_node.status;
}

void ProxmoxNodeTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const bool online = m_node.status == QStringLiteral("online");
    const QColor state = online ? kOnline : m_node.status == QStringLiteral("offline") ? kOffline : kUnknown;

    p.setRenderHint(QPainter::Antialiasing, true);
    QPainterPath shape;
    shape.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
    p.fillPath(shape, pal.color(QPalette::Base));
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawPath(shape);
    p.setPen(Qt::NoPen);
    p.setBrush(state);
    const QFontMetrics fm(font());
    p.drawEllipse(QRectF(8, 8 + (fm.height() - 8) / 2.0, 8, 8));
    p.setRenderHint(QPainter::Antialiasing, false);

    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QFontMetrics bm(bold);
    const QString status = statusText();
    const int statusWidth = fm.horizontalAdvance(status);
    p.drawText(22, 8 + bm.ascent(), bm.elidedText(m_node.name, Qt::ElideRight, width() - 40 - statusWidth));
    p.setFont(font());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(0, 8, width() - 8, fm.height()), Qt::AlignRight | Qt::AlignVCenter, status);

    // CPU and memory: two bars with their figures in them, the uptime under them.
    const int barTop = 12 + fm.height();
    const int barHeight = 14;
    const int barWidth = (width() - 16 - 6) / 2;
    QColor track = pal.color(QPalette::Text);
    track.setAlpha(28);
    const QRect cpu(8, barTop, barWidth, barHeight);
    const QRect mem(8 + barWidth + 6, barTop, barWidth, barHeight);
    p.fillRect(cpu, track);
    p.fillRect(mem, track);
    if (!online) {
        return;
    }
    QColor cpuFill = kCpuColor;
    cpuFill.setAlpha(150);
    QColor memFill = kMemoryColor;
    memFill.setAlpha(150);
    const double cpuFraction = std::clamp(m_node.cpu, 0.0, 1.0);
    const double memFraction = m_node.maxMem > 0 ? std::clamp(double(m_node.mem) / double(m_node.maxMem), 0.0, 1.0) : 0;
    p.fillRect(QRect(cpu.left(), barTop, qRound(barWidth * cpuFraction), barHeight), cpuFill);
    p.fillRect(QRect(mem.left(), barTop, qRound(barWidth * memFraction), barHeight), memFill);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.85));
    p.setFont(small);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(cpu.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
               tr("CPU %1 %").arg(qRound(cpuFraction * 100)));
    p.drawText(mem.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
               tr("RAM %1/%2G")
                   .arg(QLocale().toString(double(m_node.mem) / 1073741824.0, 'f', 0),
                        QLocale().toString(double(m_node.maxMem) / 1073741824.0, 'f', 0)));
    const QString up = ProxmoxGuestsModel::uptimeText(m_node.uptime);
    if (!up.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QFontMetrics sm(small);
        p.drawText(8, barTop + barHeight + 2 + sm.ascent(), tr("up %1").arg(up));
    }
}

} // namespace gpudeck
