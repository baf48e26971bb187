#include "fleet/HostTile.h"

#include "Labels.h"
#include "base/NoValue.h"
#include "connections/LinkDot.h"
#include "gpus/MetricText.h"

#include <QEnterEvent>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>

namespace gpudeck {
namespace {

// The card's inner geometry (fixed: every tile is the same size, so the words are elided once, not per paint).
constexpr int kPad = 10;
constexpr int kStripe = 4;
constexpr int kNameTop = 8;
constexpr int kLinkTop = 30;
constexpr int kGpuTop = 50;
constexpr int kGpuHeight = 88; // eight GPUs at 11 px
constexpr int kLinesTop = kGpuTop + kGpuHeight + 4;
constexpr int kLineStep = 18;
constexpr int kInner = HostTile::kWidth - 2 * kPad - kStripe;

const QColor kUtilColor(0x3b, 0x82, 0xf6);   // blue
const QColor kMemoryColor(0x9b, 0x59, 0xb6); // purple
const QColor kAsleepColor(0x5c, 0x6b, 0xc0); // indigo
const QColor kWarningColor(0xe6, 0x9a, 0x16);
const QColor kCriticalColor(0xc0, 0x39, 0x2b);
const QColor kFreeColor(0x27, 0xae, 0x60);

QString duration(qint64 seconds)
{
    if (seconds < 60) {
        return HostTile::tr("under a minute");
    }
    const qint64 minutes = seconds / 60;
    if (minutes < 60) {
        return HostTile::tr("%1 min").arg(minutes);
    }
    const qint64 hours = minutes / 60;
    if (hours < 48) {
        return HostTile::tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    }
    return HostTile::tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

// "40/80G": the tile has a few characters of room.
QString compactMemory(double usedMiB, double totalMiB)
{
    const auto gib = [](double mib) {
        const double g = mib / 1024.0;
        return QLocale().toString(g, 'f', g < 10 ? 1 : 0);
    };
    if (!hasValue(usedMiB)) {
        return MetricText::none();
    }
    if (!hasValue(totalMiB)) {
        return HostTile::tr("%1G").arg(gib(usedMiB));
    }
    return HostTile::tr("%1/%2G").arg(gib(usedMiB), gib(totalMiB));
}

QString healthText(Health health)
{
    switch (health) {
    case Health::Up:
        return HostTile::tr("up");
    case Health::Down:
        return HostTile::tr("down");
    case Health::Unknown:
        break;
    }
    return HostTile::tr("not checked");
}

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(std::max(7.0, base.pointSizeF() * 0.85));
    return f;
}

} // namespace

TileView TileView::from(const FleetHost &host, const QDateTime &now)
{
    TileView v;
    v.name = host.name;
    v.kind = Labels::connectionKind(host.kind);
    v.link = host.link.state;
    v.asleep = host.asleep;
    v.linkText = Labels::linkState(host.link.state, host.link.attempt);
    if (host.link.since.isValid()) {
        v.linkText += QStringLiteral(" · ") + duration(std::max<qint64>(0, host.link.since.secsTo(now)));
    }
    if (!host.watch && host.link.state != LinkState::Connected) {
        v.linkText += HostTile::tr(" · not watched"); // nobody connects it by itself
    }
    QStringList tip{host.hostname};
    if (!host.link.reason.isEmpty()) {
        tip << HostTile::tr("Link: %1").arg(host.link.reason);
    }
    if (host.link.since.isValid()) {
        tip << HostTile::tr("Since %1").arg(QLocale().toString(host.link.since.toLocalTime(), QLocale::ShortFormat));
    }

    for (const FleetGpu &g : host.gpus) {
        const GpuSample &s = g.sample;
        Gpu gpu;
        gpu.index = s.index;
        gpu.free = g.free;
        if (hasValue(s.utilizationGpu)) {
            gpu.utilization = std::clamp(s.utilizationGpu, 0.0, 100.0);
            gpu.utilizationText = QStringLiteral("%1 %").arg(qRound(s.utilizationGpu));
        } else {
            gpu.utilizationText = MetricText::none();
        }
        if (hasValue(s.memoryUsedMiB) && hasValue(s.memoryTotalMiB) && s.memoryTotalMiB > 0) {
            gpu.memoryFraction = std::clamp(s.memoryUsedMiB / s.memoryTotalMiB, 0.0, 1.0);
        }
        gpu.memoryText = compactMemory(s.memoryUsedMiB, s.memoryTotalMiB);
        if (hasValue(s.temperatureC)) {
            gpu.temperatureText = QStringLiteral("%1°").arg(qRound(s.temperatureC));
            if (s.temperatureC >= 85) {
                gpu.temperatureColor = kCriticalColor;
            } else if (s.temperatureC >= 80) {
                gpu.temperatureColor = kWarningColor;
            }
        } else {
            gpu.temperatureText = MetricText::none();
        }
        v.gpus.append(gpu);
        tip << HostTile::tr("GPU %1 %2: %3").arg(s.index).arg(s.name, g.verdict);
    }
    if (!v.gpus.isEmpty()) {
        v.gpuSummary = HostTile::tr("%1 of %2 free").arg(host.gpusFree()).arg(v.gpus.size());
    } else if (host.asleep) {
        v.emptyText = HostTile::tr("asleep —");
    } else if (host.link.state == LinkState::Failed) {
        v.emptyText = host.link.reason.isEmpty() ? HostTile::tr("The link failed")
                                                 : HostTile::tr("Failed: %1").arg(host.link.reason);
    } else if (host.link.state != LinkState::Connected) {
        v.emptyText = HostTile::tr("Not connected");
    } else if (!MetricText::isQuietState(host.metricsState)) {
        v.emptyText = MetricText::hostState(host.metricsState);
        if (!host.metricsDetail.isEmpty()) {
            tip << host.metricsDetail;
        }
    } else {
        v.emptyText = HostTile::tr("No GPUs");
    }

    int servicesUp = 0;
    for (const ServiceHealth &s : host.services) {
        servicesUp += s.health == Health::Up ? 1 : 0;
    }
    QStringList serving;
    if (host.serving) {
        serving << (host.serving->model.isEmpty()
                        ? HostTile::tr("No model answering")
                        : HostTile::tr("Serving %1 (%2)").arg(host.serving->model, healthText(host.serving->health)));
        if (!host.serving->swapId.isEmpty()) {
            serving << HostTile::tr("swapping");
        }
    }
    if (!host.services.isEmpty()) {
        serving << HostTile::tr("%1/%2 services up").arg(servicesUp).arg(host.services.size());
    }
    v.servingNone = serving.isEmpty();
    v.servingText = serving.isEmpty() ? HostTile::tr("No model served") : serving.join(QStringLiteral(" · "));

    QStringList jobs;
    for (const FleetJob &j : host.jobs) {
        jobs << j.name;
    }
    v.jobs = int(jobs.size());
    v.jobsText = jobs.isEmpty()     ? HostTile::tr("No jobs running")
                 : jobs.size() == 1 ? HostTile::tr("Job: %1").arg(jobs.first())
                                    : HostTile::tr("%1 jobs: %2").arg(jobs.size()).arg(jobs.join(u", "));

    if (host.alerts.isEmpty()) {
        v.alertsText = HostTile::tr("No alerts");
    } else {
        v.alertLevel = 1;
        for (const Alert &a : host.alerts) {
            if (a.severity == QStringLiteral("critical")) {
                v.alertLevel = 2;
            }
            tip << a.message;
        }
        v.alertsText = host.alerts.size() == 1
                           ? host.alerts.first().message
                           : HostTile::tr("%1 alerts: %2").arg(host.alerts.size()).arg(host.alerts.first().message);
    }
    v.toolTip = tip.join(u'\n');
    return v;
}

HostTile::HostTile(qint64 connectionId, QWidget *parent)
    : QWidget(parent)
    , m_connectionId(connectionId)
    , m_wakeButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("hostTile%1").arg(connectionId));
    setFixedSize(kWidth, kHeight);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    m_nameFont = font();
    m_nameFont.setBold(true);
    m_smallFont = smallFont(font());
    m_wakeButton->setObjectName(QStringLiteral("wakeButton"));
    m_wakeButton->setText(tr("Wake"));
    m_wakeButton->setCursor(Qt::ArrowCursor);
    m_wakeButton->hide();
    connect(m_wakeButton, &QToolButton::clicked, this, [this] {
        if (m_waking) {
            Q_EMIT wakeCancelRequested(m_connectionId);
        } else {
            Q_EMIT wakeRequested(m_connectionId);
        }
    });
}

void HostTile::setHost(const FleetHost &host, const QDateTime &now)
{
    apply(TileView::from(host, now));
}

void HostTile::apply(TileView view)
{
    // Elided once here, at the tile's fixed width, so painting never measures.
    const QFontMetrics name(m_nameFont);
    const QFontMetrics small(m_smallFont);
    const QFontMetrics normal(font());
    view.kind = small.elidedText(view.kind, Qt::ElideRight, kInner / 2);
    view.name = name.elidedText(view.name, Qt::ElideRight, kInner - small.horizontalAdvance(view.kind) - 8);
    view.gpuSummary = small.elidedText(view.gpuSummary, Qt::ElideRight, kInner / 3);
    view.linkText =
        small.elidedText(view.linkText, Qt::ElideRight, kInner - 14 - small.horizontalAdvance(view.gpuSummary) - 6);
    view.servingText = normal.elidedText(view.servingText, Qt::ElideRight, kInner);
    view.jobsText = normal.elidedText(view.jobsText, Qt::ElideRight, kInner);
    view.alertsText = normal.elidedText(view.alertsText, Qt::ElideRight, kInner);
    if (view == m_view) {
        return;
    }
    const bool asleepChanged = view.asleep != m_view.asleep;
    if (view.toolTip != m_view.toolTip) {
        setToolTip(view.toolTip);
    }
    if (view.name != m_view.name || view.linkText != m_view.linkText) {
        setAccessibleName(tr("%1, %2").arg(view.name, view.linkText));
    }
    m_view = std::move(view);
    if (asleepChanged) {
        placeWakeButton();
    }
    update();
}

void HostTile::setWaking(bool waking, double progress, const QString &text)
{
    if (waking == m_waking && progress == m_wakeProgress && text == m_wakeText) {
        return;
    }
    const bool changed = waking != m_waking;
    m_waking = waking;
    m_wakeProgress = progress;
    m_wakeText = text;
    if (changed) {
        placeWakeButton();
    }
    update();
}

void HostTile::placeWakeButton()
{
    const bool shown = m_waking || m_view.asleep;
    m_wakeButton->setText(m_waking ? tr("Cancel") : tr("Wake"));
    m_wakeButton->setToolTip(m_waking ? tr("Stop waiting for %1").arg(m_view.name)
                                      : tr("Send %1 a Wake-on-LAN packet and wait until it answers").arg(m_view.name));
    m_wakeButton->adjustSize();
    const QFontMetrics normal(font());
    const int textWidth = m_waking ? 0 : normal.horizontalAdvance(m_view.emptyText) + 8;
    const int left = kStripe + kPad + (kInner - textWidth - m_wakeButton->width()) / 2 + textWidth;
    const int top = m_waking ? kGpuTop + kGpuHeight - m_wakeButton->height() - 4
                             : kGpuTop + (kGpuHeight - m_wakeButton->height()) / 2;
    m_wakeButton->move(left, top);
    m_wakeButton->setVisible(shown);
}

QColor HostTile::stripeColor() const
{
    if (m_waking) {
        return kWarningColor;
    }
    if (m_view.asleep) {
        return kAsleepColor;
    }
    return LinkDot::color(m_view.link);
}

void HostTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const QRectF card = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);

    // The card, its border (highlighted under the mouse or with focus) and the state stripe on the left.
    p.setRenderHint(QPainter::Antialiasing, true);
    QPainterPath shape;
    shape.addRoundedRect(card, 6, 6);
    p.fillPath(shape, pal.color(QPalette::Base));
    p.save();
    p.setClipPath(shape);
    p.fillRect(QRectF(0, 0, kStripe, height()), stripeColor());
    p.restore();
    const bool lit = m_hover || hasFocus();
    p.setPen(QPen(lit ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), lit ? 1.5 : 1));
    p.setBrush(Qt::NoBrush);
    p.drawPath(shape);
    p.setRenderHint(QPainter::Antialiasing, false);

    const int left = kStripe + kPad;
    const int right = width() - kPad;
    const QColor text = pal.color(QPalette::Text);
    const QColor dim = pal.color(QPalette::PlaceholderText);

    // Name, and the kind on the right.
    p.setFont(m_nameFont);
    p.setPen(text);
    const QFontMetrics nameMetrics(m_nameFont);
    p.drawText(left, kNameTop + nameMetrics.ascent(), m_view.name);
    p.setFont(m_smallFont);
    const QFontMetrics small(m_smallFont);
    p.setPen(dim);
    p.drawText(QRect(left, kNameTop, right - left, nameMetrics.height()), Qt::AlignRight | Qt::AlignVCenter,
               m_view.kind);

    // Link: a dot, the state and since when; the GPUs free on the right.
    const int linkBase = kLinkTop + small.ascent();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(stripeColor());
    p.drawEllipse(QRectF(left, kLinkTop + (small.height() - 8) / 2.0, 8, 8));
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(text);
    p.drawText(left + 14, linkBase, m_view.linkText);
    if (!m_view.gpuSummary.isEmpty()) {
        p.setPen(dim);
        p.drawText(QRect(left, kLinkTop, right - left, small.height()), Qt::AlignRight | Qt::AlignVCenter,
                   m_view.gpuSummary);
    }

    const QRect gpuArea(left, kGpuTop, right - left, kGpuHeight);
    if (m_view.gpus.isEmpty() || m_waking) {
        paintEmpty(p, gpuArea);
    } else {
        paintGpus(p, gpuArea);
    }

    // Serving, jobs, alerts: one line each.
    p.setFont(font());
    const QFontMetrics normal(font());
    int y = kLinesTop + normal.ascent();
    p.setPen(m_view.servingNone ? dim : text);
    p.drawText(left, y, m_view.servingText);
    y += kLineStep;
    p.setPen(m_view.jobs == 0 ? dim : text);
    p.drawText(left, y, m_view.jobsText);
    y += kLineStep;
    p.setPen(m_view.alertLevel == 2 ? kCriticalColor : m_view.alertLevel == 1 ? kWarningColor : dim);
    p.drawText(left, y, m_view.alertsText);
}

void HostTile::paintGpus(QPainter &p, const QRect &area) const
{
    const int count = int(m_view.gpus.size());
    const int rowHeight = std::min(16, area.height() / std::max(count, 1));
    const bool withText = rowHeight >= 10;
    const QFontMetrics small(m_smallFont);
    const int indexWidth = small.horizontalAdvance(QStringLiteral("00")) + 4;
    const int tempWidth = small.horizontalAdvance(QStringLiteral("100°")) + 2;
    const int barsLeft = area.left() + indexWidth;
    const int barsWidth = area.width() - indexWidth - tempWidth - 4;
    const int barWidth = (barsWidth - 6) / 2;
    const QPalette &pal = palette();
    QColor track = pal.color(QPalette::Text); // a faint groove on a light or a dark card alike
    track.setAlpha(28);
    QColor util = kUtilColor;
    util.setAlpha(150);
    QColor memory = kMemoryColor;
    memory.setAlpha(150);
    const QColor text = pal.color(QPalette::Text);
    p.setFont(m_smallFont);

    int y = area.top();
    for (const TileView::Gpu &g : m_view.gpus) {
        const int barHeight = std::max(2, rowHeight - 3);
        const int barTop = y + (rowHeight - barHeight) / 2;
        // Index, green when the GPU is free.
        if (withText) {
            p.setPen(g.free ? kFreeColor : pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(area.left(), y, indexWidth - 4, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(g.index));
        }
        const QRect utilBar(barsLeft, barTop, barWidth, barHeight);
        const QRect memBar(barsLeft + barWidth + 6, barTop, barWidth, barHeight);
        p.fillRect(utilBar, track);
        p.fillRect(memBar, track);
        if (g.utilization > 0) {
            p.fillRect(QRect(utilBar.left(), barTop, std::max(1, qRound(barWidth * g.utilization / 100.0)), barHeight),
                       util);
        }
        if (g.memoryFraction > 0) {
            p.fillRect(QRect(memBar.left(), barTop, std::max(1, qRound(barWidth * g.memoryFraction)), barHeight),
                       memory);
        }
        if (withText) {
            p.setPen(text);
            p.drawText(utilBar.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, g.utilizationText);
            p.drawText(memBar.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, g.memoryText);
            p.setPen(g.temperatureColor.isValid() ? g.temperatureColor : text);
            p.drawText(QRect(area.right() - tempWidth, y, tempWidth, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                       g.temperatureText);
        }
        y += rowHeight;
    }
}

void HostTile::paintEmpty(QPainter &p, const QRect &area) const
{
    const QPalette &pal = palette();
    p.setFont(font());
    if (m_waking) {
        // "Waking…", a bar (or a pulse when the progress is unknown), and Cancel below.
        p.setPen(pal.color(QPalette::Text));
        const QFontMetrics normal(font());
        p.drawText(QRect(area.left(), area.top() + 4, area.width(), normal.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   normal.elidedText(m_wakeText.isEmpty() ? tr("Waking…") : m_wakeText, Qt::ElideRight, area.width()));
        const QRect bar(area.left(), area.top() + 8 + normal.height(), area.width(), 6);
        QColor track = pal.color(QPalette::Text);
        track.setAlpha(28);
        p.fillRect(bar, track);
        const double fraction = m_wakeProgress >= 0 ? std::min(1.0, m_wakeProgress) : 0.3;
        p.fillRect(QRect(bar.left(), bar.top(), qRound(bar.width() * fraction), bar.height()), kWarningColor);
        return;
    }
    if (m_view.asleep) {
        // "asleep —" and the Wake button after it, centred together.
        const QFontMetrics normal(font());
        p.setPen(kAsleepColor);
        const int textWidth = normal.horizontalAdvance(m_view.emptyText);
        p.drawText(QRect(m_wakeButton->x() - textWidth - 8, area.top(), textWidth + 4, area.height()),
                   Qt::AlignRight | Qt::AlignVCenter, m_view.emptyText);
        return;
    }
    // A reason may be long ("Failed: cannot resolve …"): wrapped over the GPUs' room, then cut.
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(area.adjusted(8, 4, -8, -4), Qt::AlignCenter | Qt::TextWordWrap, m_view.emptyText);
}

void HostTile::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint())) {
        Q_EMIT activated(m_connectionId);
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void HostTile::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter || event->key() == Qt::Key_Space) {
        Q_EMIT activated(m_connectionId);
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void HostTile::enterEvent(QEnterEvent *event)
{
    m_hover = true;
    update();
    QWidget::enterEvent(event);
}

void HostTile::leaveEvent(QEvent *event)
{
    m_hover = false;
    update();
    QWidget::leaveEvent(event);
}

void HostTile::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange) {
        m_nameFont = font();
        m_nameFont.setBold(true);
        m_smallFont = smallFont(font());
    }
    QWidget::changeEvent(event);
}

} // namespace gpudeck
