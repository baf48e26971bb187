#include "gpus/GpusPane.h"

#include "alerts/AlertsPanel.h"
#include "app/Core.h"
#include "gpus/ChartSegments.h"
#include "gpus/HostColumn.h"
#include "gpus/MetricChart.h"
#include "gpus/MetricText.h"
#include "metrics/MetricsService.h"
#include "settings/MonitoringSettingsDialog.h"

#include <QAction>
#include <QButtonGroup>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <utility>

namespace gpudeck {
namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr int kTickMs = 1000;             // live redraws: at most once a second
constexpr qint64 kIdleAxisMs = 10 * 1000; // a live chart without new samples moves its time axis this often
constexpr int kHistoryPoints = 300;       // per GPU: more than a column's charts have pixels to spare
constexpr int kGapFactor = 3;             // live samples further apart than 3 intervals: the line breaks

const QString kRangeKey = QStringLiteral("gpus/range");
const QString kHiddenKey = QStringLiteral("gpus/hiddenHosts");
const QString kSplitterKey = QStringLiteral("gpus/splitter");

struct RangeInfo
{
    GpusPane::Range range;
    const char *key;
    const char *label;
};

const std::array<RangeInfo, 5> kRanges = {{
    {GpusPane::Range::Live, "5m", QT_TRANSLATE_NOOP("gpudeck::GpusPane", "5 min")},
    {GpusPane::Range::Hour, "1h", QT_TRANSLATE_NOOP("gpudeck::GpusPane", "1 h")},
    {GpusPane::Range::Day, "24h", QT_TRANSLATE_NOOP("gpudeck::GpusPane", "24 h")},
    {GpusPane::Range::Week, "7d", QT_TRANSLATE_NOOP("gpudeck::GpusPane", "7 d")},
    {GpusPane::Range::Month, "30d", QT_TRANSLATE_NOOP("gpudeck::GpusPane", "30 d")},
}};

const RangeInfo &info(GpusPane::Range range)
{
    return kRanges.at(static_cast<size_t>(range));
}

// The y-axis ends: utilisation is a percentage; the others grow with what is drawn, to a tidy number.
struct Extents
{
    double memoryGiB = 0;
    double temperatureC = 0;
    double powerW = 0;

    void add(double &into, double v)
    {
        if (hasValue(v)) {
            into = std::max(into, v);
        }
    }
};

// Fills the column's four charts in one pass each.
void fillCharts(HostColumn *column, GpusPane::Range range,
                const QList<MetricChart::Trace> (&traces)[HostColumn::MetricCount], const Extents &e, qint64 fromMs,
                qint64 toMs)
{
    // The temperature axis reaches the alert threshold, so its line is in view.
    double temperatureTop = 100;
    for (const MetricChart::Threshold &t : column->chart(HostColumn::Temperature)->thresholds()) {
        temperatureTop = std::max(temperatureTop, t.value);
    }
    const double max[HostColumn::MetricCount] = {100, niceCeiling(std::max(e.memoryGiB, 4.0)),
                                                 std::max(temperatureTop, niceCeiling(e.temperatureC)),
                                                 niceCeiling(std::max(e.powerW, 40.0))};
    bool any = false;
    for (const auto &trace : traces[HostColumn::Utilization]) {
        any = any || !trace.segments.isEmpty();
    }
    for (const auto &trace : traces[HostColumn::Temperature]) {
        any = any || !trace.segments.isEmpty();
    }
    column->setHasReadings(any, GpusPane::tr("No GPU readings in the last %1.").arg(GpusPane::tr(info(range).label)));
    for (int m = 0; m < HostColumn::MetricCount; ++m) {
        column->chart(static_cast<HostColumn::Metric>(m))->setContent(traces[m], fromMs, toMs, max[m]);
    }
}

// The lines across the charts: the temperature alert, the memory alert (when the GPUs have one size) and the power
// limits (one line per distinct limit).
void setThresholds(HostColumn *column, const HostMetrics &metrics, const AlertThresholds &alerts)
{
    QList<MetricChart::Threshold> temperature = {
        {alerts.temperatureC, GpusPane::tr("alert %1").arg(MetricText::temperature(alerts.temperatureC)), true}};
    QList<MetricChart::Threshold> memory;
    QList<MetricChart::Threshold> power;
    QList<double> limits;
    QList<double> totals;
    for (const GpuSample &g : metrics.gpus) {
        if (hasValue(g.powerLimitW) && !limits.contains(g.powerLimitW)) {
            limits.append(g.powerLimitW);
        }
        if (hasValue(g.memoryTotalMiB) && !g.unifiedMemory && !totals.contains(g.memoryTotalMiB)) {
            totals.append(g.memoryTotalMiB);
        }
    }
    for (double limit : std::as_const(limits)) {
        power.append({limit, GpusPane::tr("limit %1").arg(MetricText::power(limit)), false});
    }
    if (totals.size() == 1) {
        memory.append({totals.first() / 1024.0 * alerts.memoryPercent / 100,
                       GpusPane::tr("alert %1").arg(MetricText::percent(alerts.memoryPercent)), true});
    }
    column->chart(HostColumn::Temperature)->setThresholds(temperature);
    column->chart(HostColumn::Memory)->setThresholds(memory);
    column->chart(HostColumn::Power)->setThresholds(power);
}

// One GPU's four metrics as points, for splitting into lines.
struct GpuPoints
{
    QList<QPointF> metric[HostColumn::MetricCount];

    void reserve(qsizetype n)
    {
        for (auto &m : metric) {
            m.reserve(n);
        }
    }
    void add(qint64 timeMs, double util, double memMiB, double temperature, double power)
    {
        const double x = static_cast<double>(timeMs);
        metric[HostColumn::Utilization].append({x, util});
        metric[HostColumn::Memory].append({x, memMiB / 1024.0});
        metric[HostColumn::Temperature].append({x, temperature});
        metric[HostColumn::Power].append({x, power});
    }
};

} // namespace

GpusPane::GpusPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_tick(new QTimer(this))
    , m_historyTimer(new QTimer(this))
{
    const QSettings settings;
    const QString rangeKey = settings.value(kRangeKey).toString();
    for (const RangeInfo &r : kRanges) {
        if (rangeKey == QString::fromLatin1(r.key)) {
            m_range = r.range;
        }
    }
    for (const QString &id : settings.value(kHiddenKey).toStringList()) {
        m_hidden.insert(id.toLongLong());
    }

    m_pauseAction = new QAction(tr("&Pause monitoring"), this);
    m_pauseAction->setObjectName(QStringLiteral("pauseMonitoringAction"));
    m_pauseAction->setCheckable(true);
    m_pauseAction->setStatusTip(tr("Stop reading GPU metrics on every host until resumed"));
    connect(m_pauseAction, &QAction::triggered, this, &GpusPane::setPaused);
    m_settingsAction = new QAction(tr("Monitoring &settings…"), this);
    m_settingsAction->setObjectName(QStringLiteral("monitoringSettingsAction"));
    connect(m_settingsAction, &QAction::triggered, this, &GpusPane::openSettings);

    m_emptyHint = new QLabel(this);
    m_emptyHint->setObjectName(QStringLiteral("gpusEmptyHint"));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("hostColumnsArea"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *columns = new QWidget(m_scroll);
    m_columnsLayout = new QHBoxLayout(columns);
    m_columnsLayout->setContentsMargins(0, 0, 0, 0);
    m_columnsLayout->setSpacing(8);
    m_scroll->setWidget(columns);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyHint);
    m_stack->addWidget(m_scroll);

    m_alerts = new AlertsPanel(m_core, this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("gpusSplitter"));
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_alerts);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setCollapsible(0, false);
    if (!m_splitter->restoreState(settings.value(kSplitterKey).toByteArray())) {
        m_splitter->setSizes({560, 140});
    }
    connect(m_splitter, &QSplitter::splitterMoved, this, &GpusPane::saveSettings);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildToolbar());
    layout->addWidget(m_splitter, 1);

    m_tick->setSingleShot(true);
    connect(m_tick, &QTimer::timeout, this, &GpusPane::tick);
    connect(m_historyTimer, &QTimer::timeout, this, [this] {
        if (isVisible()) {
            reloadHistory();
        } else {
            m_historyStale = true;
        }
    });

    MetricsService &metrics = m_core.metrics();
    connect(&metrics, &MetricsService::hostUpdated, this, &GpusPane::applySnapshot);
    connect(&metrics, &MetricsService::settingsApplied, this, &GpusPane::syncSettings);
    connect(m_core.events(), &StoreEvents::connectionsChanged, this, [this] {
        reloadConnections();
        updateColumns();
    });

    reloadConnections();
    syncSettings();
    for (const HostMetrics &m : metrics.snapshots()) {
        applySnapshot(m);
    }
    setRange(m_range);
}

GpusPane::~GpusPane() = default;

QWidget *GpusPane::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_rangeButtons = new QButtonGroup(this);
    m_rangeButtons->setExclusive(true);
    for (const RangeInfo &r : kRanges) {
        auto *button = new QToolButton(bar);
        button->setObjectName(QStringLiteral("range%1Button").arg(QString::fromLatin1(r.key)));
        button->setText(tr(r.label));
        button->setCheckable(true);
        button->setMinimumWidth(52);
        button->setToolTip(r.range == Range::Live ? tr("Live: the last five minutes, as they come in")
                                                  : tr("The stored history of the last %1").arg(tr(r.label)));
        m_rangeButtons->addButton(button, static_cast<int>(r.range));
        row->addWidget(button);
    }
    connect(m_rangeButtons, &QButtonGroup::idClicked, this, [this](int id) { setRange(static_cast<Range>(id)); });
    row->addStretch();

    m_hostsMenu = new QMenu(bar);
    m_hostsMenu->setObjectName(QStringLiteral("gpusHostsMenu"));
    connect(m_hostsMenu, &QMenu::aboutToShow, this, &GpusPane::rebuildHostsMenu);
    m_hostsButton = new QToolButton(bar);
    m_hostsButton->setObjectName(QStringLiteral("gpusHostsButton"));
    m_hostsButton->setText(tr("Hosts"));
    m_hostsButton->setToolTip(tr("Choose the hosts shown side by side"));
    m_hostsButton->setMenu(m_hostsMenu);
    m_hostsButton->setPopupMode(QToolButton::InstantPopup);
    row->addWidget(m_hostsButton);
    row->addSpacing(8);
    for (QAction *action : {m_pauseAction, m_settingsAction}) {
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        row->addWidget(button);
    }
    return bar;
}

qint64 GpusPane::spanMs(Range range)
{
    switch (range) {
    case Range::Live:
        return 5 * kMinuteMs;
    case Range::Hour:
        return kHourMs;
    case Range::Day:
        return kDayMs;
    case Range::Week:
        return 7 * kDayMs;
    case Range::Month:
        return 30 * kDayMs;
    }
    return kHourMs;
}

void GpusPane::reloadConnections()
{
    const auto list = m_core.connections().list();
    if (!list.ok()) {
        Q_EMIT message(list.error().message);
        return;
    }
    m_connections = list.value();
    std::sort(m_connections.begin(), m_connections.end(),
              [](const Connection &a, const Connection &b) { return QString::localeAwareCompare(a.name, b.name) < 0; });
    QSet<qint64> ids;
    for (const Connection &c : std::as_const(m_connections)) {
        ids.insert(c.id);
        if (auto it = m_hosts.find(c.id); it != m_hosts.end()) {
            it->second.name = c.name;
        }
    }
    for (auto it = m_hosts.begin(); it != m_hosts.end();) {
        if (ids.contains(it->first)) {
            ++it;
            continue;
        }
        delete it->second.column; // the connection is gone, and so is its column
        m_columnOrder.removeOne(it->second.column);
        it = m_hosts.erase(it);
    }
}

GpusPane::Host &GpusPane::host(qint64 id, const QString &name)
{
    auto it = m_hosts.find(id);
    if (it == m_hosts.end()) {
        Host h;
        h.id = id;
        h.name = name;
        for (const Connection &c : std::as_const(m_connections)) {
            if (c.id == id) {
                h.name = c.name;
            }
        }
        // A little more than the live span: the oldest point still reaches the chart's left edge.
        h.buffer = LiveBuffer(spanMs(Range::Live) + kMinuteMs);
        it = m_hosts.emplace(id, std::move(h)).first;
    }
    return it->second;
}

void GpusPane::seedLive(Host &h)
{
    // The minutes before this window (or this run) saw the host are in the store: read them once, so the
    // live chart does not start empty. From then on it is fed from memory only.
    h.seeded = true;
    if (!h.buffer.isEmpty()) {
        return;
    }
    HistoryQuery query;
    query.connectionId = h.id;
    query.toMs = QDateTime::currentMSecsSinceEpoch();
    query.fromMs = query.toMs - spanMs(Range::Live);
    query.maxPoints = kHistoryPoints;
    const auto history = m_core.metrics().history(query);
    if (!history.ok()) {
        return;
    }
    for (const HistoryPoint &p : history->points) {
        h.buffer.add(p.gpuIndex, LiveBuffer::Sample{p.timeMs, p.utilization.avg, p.memoryUsedMiB.avg, p.memoryTotalMiB,
                                                    p.temperatureC.avg, p.powerW.avg});
    }
}

void GpusPane::applySnapshot(const HostMetrics &metrics)
{
    if (metrics.connectionId <= 0) {
        return;
    }
    Host &h = host(metrics.connectionId, metrics.name);
    const bool appeared = !h.live;
    h.metrics = metrics;
    h.live = true;
    if (!h.seeded) {
        seedLive(h);
    }
    for (const GpuSample &gpu : metrics.gpus) {
        h.buffer.add(gpu);
    }
    h.buffer.trim(QDateTime::currentMSecsSinceEpoch());
    h.dirty = true;
    if (appeared || !h.column) {
        updateColumns();
    }
    scheduleTick();
}

bool GpusPane::isShown(const Host &h) const
{
    if (m_hidden.contains(h.id)) {
        return false;
    }
    return h.live || !h.buffer.isEmpty() || (m_range != Range::Live && !h.history.points.isEmpty());
}

QList<HostColumn *> GpusPane::hostColumns() const
{
    return m_columnOrder;
}

bool GpusPane::focusHost(qint64 connectionId)
{
    const auto it = m_hosts.find(connectionId);
    if (it == m_hosts.end()) {
        return false;
    }
    if (m_hidden.remove(connectionId)) {
        // Asked for by name: a host hidden from the side-by-side view comes back.
        saveSettings();
        updateColumns();
    }
    HostColumn *column = it->second.column;
    if (!column) {
        return false;
    }
    m_focused = connectionId;
    for (HostColumn *c : std::as_const(m_columnOrder)) {
        c->setFocused(c == column);
    }
    // After the pane is shown and laid out, so the scroll lands on the column's real place.
    QTimer::singleShot(0, this, [this, connectionId] {
        if (HostColumn *c = hostColumn(connectionId)) {
            m_scroll->ensureWidgetVisible(c, 0, 0);
        }
    });
    return true;
}

HostColumn *GpusPane::hostColumn(qint64 connectionId) const
{
    const auto it = m_hosts.find(connectionId);
    return it == m_hosts.end() ? nullptr : it->second.column;
}

void GpusPane::updateColumns()
{
    QList<Host *> shown;
    for (auto &[id, h] : m_hosts) {
        if (isShown(h)) {
            shown.append(&h);
        } else if (h.column) {
            m_columnOrder.removeOne(h.column);
            delete h.column;
            h.column = nullptr;
        }
    }
    std::sort(shown.begin(), shown.end(),
              [](const Host *a, const Host *b) { return QString::localeAwareCompare(a->name, b->name) < 0; });
    QList<HostColumn *> order;
    QList<Host *> created;
    for (Host *h : shown) {
        if (!h->column) {
            h->column = new HostColumn(h->id, m_scroll->widget());
            h->dirty = true;
            created.append(h);
        }
        h->column->setName(h->name);
        order.append(h->column);
    }
    if (order != m_columnOrder) {
        for (HostColumn *column : std::as_const(m_columnOrder)) {
            m_columnsLayout->removeWidget(column);
        }
        for (HostColumn *column : std::as_const(order)) {
            m_columnsLayout->addWidget(column, 1);
        }
        m_columnOrder = order;
    }
    // A new column is filled before it is first painted, not a tick later.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (Host *h : std::as_const(created)) {
        render(*h, now);
        if (m_range != Range::Live) {
            renderHistory(*h);
        }
    }
    m_emptyHint->setText(m_range == Range::Live
                             ? tr("No GPUs to show yet.\nConnect a host in Connections: its GPUs appear here as "
                                  "soon as monitoring reads them.")
                             : tr("No GPU metrics stored for the last %1.").arg(tr(info(m_range).label)));
    m_stack->setCurrentIndex(order.isEmpty() ? 0 : 1);
}

void GpusPane::setRange(Range range)
{
    m_range = range;
    if (QAbstractButton *button = m_rangeButtons->button(static_cast<int>(range))) {
        button->setChecked(true);
    }
    saveSettings();
    m_historyTimer->stop();
    for (auto &[id, h] : m_hosts) {
        h.dirty = true;
    }
    if (range == Range::Live) {
        for (auto &[id, h] : m_hosts) {
            h.history = {};
        }
        updateColumns();
        refreshNow();
        scheduleTick(); // the time axes move on from here
        return;
    }
    m_tick->stop(); // everything is drawn now; a stored range moves only when read again
    reloadHistory();
    // Roll-ups move by the minute (1 h) or the hour: reading them again more often shows nothing new.
    m_historyTimer->start(range == Range::Hour ? 30 * 1000 : 5 * 60 * 1000);
}

void GpusPane::reloadHistory()
{
    m_historyStale = false;
    if (m_range == Range::Live) {
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Connection &c : std::as_const(m_connections)) {
        if (m_hidden.contains(c.id)) {
            continue;
        }
        HistoryQuery query;
        query.connectionId = c.id;
        query.fromMs = now - spanMs(m_range);
        query.toMs = now;
        query.maxPoints = kHistoryPoints;
        const auto history = m_core.metrics().history(query);
        if (!history.ok()) {
            Q_EMIT message(history.error().message);
            continue;
        }
        Host &h = host(c.id, c.name);
        h.history = history.value();
        h.historyToMs = now;
    }
    updateColumns();
    for (auto &[id, h] : m_hosts) {
        if (h.column) {
            render(h, now);
            renderHistory(h);
        }
    }
}

void GpusPane::refreshNow()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto &[id, h] : m_hosts) {
        if (h.column) {
            render(h, now);
        }
    }
}

void GpusPane::tick()
{
    if (!isVisible()) {
        return; // drawn when shown again
    }
    // Only what changed is drawn. A live chart whose host sent nothing new is left as it is, its time axis moved
    // on every ten seconds (a host gone quiet shows its gap growing). The timer is set for the next of those; a
    // snapshot brings it forward to a second from now. Nothing live, nothing changed: it stays stopped.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 nextDue = -1;
    for (auto &[id, h] : m_hosts) {
        if (!h.column) {
            continue;
        }
        if (h.dirty || (m_range == Range::Live && now - h.drawnMs >= kIdleAxisMs)) {
            render(h, now);
        }
        if (m_range == Range::Live) {
            const qint64 due = h.drawnMs + kIdleAxisMs - now;
            nextDue = nextDue < 0 ? due : std::min(nextDue, due);
        }
    }
    if (nextDue >= 0) {
        m_tick->start(static_cast<int>(std::max<qint64>(nextDue, kTickMs)));
    }
}

int GpusPane::nextRedrawMs() const
{
    return m_tick->isActive() ? m_tick->remainingTime() : -1;
}

void GpusPane::scheduleTick()
{
    if (isVisible() && (!m_tick->isActive() || m_tick->remainingTime() > kTickMs)) {
        m_tick->start(kTickMs);
    }
}

void GpusPane::render(Host &h, qint64 nowMs)
{
    h.drawnMs = nowMs;
    const bool dirty = std::exchange(h.dirty, false);
    if (dirty) {
        h.column->setMetrics(h.metrics, h.live);
        setThresholds(h.column, h.metrics, m_thresholds);
    }
    if (m_range == Range::Live) {
        renderLive(h, nowMs, dirty);
    }
}

void GpusPane::renderLive(Host &h, qint64 nowMs, bool rebuild)
{
    const qint64 fromMs = nowMs - spanMs(Range::Live);
    if (!rebuild) {
        // The time moved on, the data did not.
        for (int m = 0; m < HostColumn::MetricCount; ++m) {
            h.column->chart(static_cast<HostColumn::Metric>(m))->setTimeRange(fromMs, nowMs);
        }
        return;
    }
    QList<MetricChart::Trace> traces[HostColumn::MetricCount];
    Extents extents;
    const qint64 maxStep = static_cast<qint64>(kGapFactor) * m_intervalMs;
    for (int gpu : h.buffer.gpuIndexes()) {
        const std::deque<LiveBuffer::Sample> &samples = h.buffer.samples(gpu);
        GpuPoints points;
        points.reserve(static_cast<qsizetype>(samples.size()));
        for (const LiveBuffer::Sample &s : samples) {
            points.add(s.timeMs, s.utilization, s.memoryUsedMiB, s.temperatureC, s.powerW);
            extents.add(extents.memoryGiB,
                        hasValue(s.memoryTotalMiB) ? s.memoryTotalMiB / 1024.0 : s.memoryUsedMiB / 1024.0);
            extents.add(extents.temperatureC, s.temperatureC);
            extents.add(extents.powerW, s.powerW);
        }
        for (int m = 0; m < HostColumn::MetricCount; ++m) {
            traces[m].append({gpu, splitAtGaps(points.metric[m], maxStep)});
        }
    }
    for (const GpuSample &g : std::as_const(h.metrics.gpus)) {
        extents.add(extents.powerW, g.powerLimitW);
    }
    fillCharts(h.column, Range::Live, traces, extents, fromMs, nowMs);
}

void GpusPane::renderHistory(Host &h)
{
    const qint64 to = h.historyToMs > 0 ? h.historyToMs : QDateTime::currentMSecsSinceEpoch();
    // The store's own rule for a gap (two buckets, or three samples, without data), applied to every GPU;
    // the spans it reports break every GPU's lines too.
    const qint64 maxStep = std::max<qint64>(2 * h.history.bucketMs, static_cast<qint64>(kGapFactor) * m_intervalMs);
    std::map<int, GpuPoints> perGpu;
    Extents extents;
    for (const HistoryPoint &p : std::as_const(h.history.points)) {
        GpuPoints &points = perGpu[p.gpuIndex];
        points.add(p.timeMs, p.utilization.avg, p.memoryUsedMiB.avg, p.temperatureC.avg, p.powerW.avg);
        extents.add(extents.memoryGiB,
                    hasValue(p.memoryTotalMiB) ? p.memoryTotalMiB / 1024.0 : p.memoryUsedMiB.max / 1024.0);
        extents.add(extents.temperatureC, p.temperatureC.avg);
        extents.add(extents.powerW, p.powerW.avg);
    }
    for (const GpuSample &g : std::as_const(h.metrics.gpus)) {
        extents.add(extents.powerW, g.powerLimitW);
    }
    QList<MetricChart::Trace> traces[HostColumn::MetricCount];
    for (const auto &[gpu, points] : perGpu) {
        for (int m = 0; m < HostColumn::MetricCount; ++m) {
            traces[m].append({gpu, splitAtGaps(points.metric[m], maxStep, h.history.gaps)});
        }
    }
    fillCharts(h.column, m_range, traces, extents, to - spanMs(m_range), to);
}

void GpusPane::setPaused(bool paused)
{
    const Status s = m_core.metrics().setPaused(paused);
    m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/config/monitoring"), QString(), s);
    if (!s.ok()) {
        m_pauseAction->setChecked(!paused);
        Q_EMIT message(s.error().message);
        return;
    }
    Q_EMIT message(paused ? tr("Monitoring paused") : tr("Monitoring resumed"));
}

void GpusPane::syncSettings()
{
    const MonitoringSettings settings = m_core.metrics().settings();
    m_intervalMs = settings.intervalMs;
    m_thresholds = settings.thresholds;
    for (auto &[id, h] : m_hosts) {
        h.dirty = true; // the threshold lines follow at the next redraw
    }
    scheduleTick();
    m_pauseAction->setChecked(settings.paused);
}

MonitoringSettingsDialog *GpusPane::openSettings()
{
    auto *dialog = new MonitoringSettingsDialog(m_core.metrics(), m_core.ssh(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        // The dialog saved both settings (as PUT /api/config/monitoring and PUT /api/config/ssh would).
        m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/config/monitoring"), QString());
        m_core.audit().recordGui(QStringLiteral("PUT"), QStringLiteral("/api/config/ssh"), QString());
        Q_EMIT message(tr("Monitoring settings saved"));
    });
    dialog->open();
    return dialog;
}

void GpusPane::rebuildHostsMenu()
{
    m_hostsMenu->clear();
    if (m_connections.isEmpty()) {
        m_hostsMenu->addAction(tr("No connections yet"))->setEnabled(false);
        return;
    }
    for (const Connection &c : std::as_const(m_connections)) {
        QAction *action = m_hostsMenu->addAction(c.name);
        action->setCheckable(true);
        action->setChecked(!m_hidden.contains(c.id));
        const qint64 id = c.id;
        connect(action, &QAction::toggled, this, [this, id](bool shown) {
            if (shown) {
                m_hidden.remove(id);
            } else {
                m_hidden.insert(id);
            }
            saveSettings();
            if (m_range != Range::Live && shown) {
                reloadHistory(); // its history was not read while it was hidden
            } else {
                updateColumns();
            }
        });
    }
}

void GpusPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_historyStale) {
        reloadHistory();
    }
    refreshNow();
    m_tick->start(kTickMs); // the next redraw is planned from there
}

void GpusPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_tick->stop(); // nothing is drawn off screen; snapshots still fill the live buffers
}

void GpusPane::saveSettings() const
{
    QSettings settings;
    settings.setValue(kRangeKey, QString::fromLatin1(info(m_range).key));
    QStringList hidden;
    for (qint64 id : m_hidden) {
        hidden.append(QString::number(id));
    }
    settings.setValue(kHiddenKey, hidden);
    if (m_splitter) {
        settings.setValue(kSplitterKey, m_splitter->saveState());
    }
}

} // namespace gpudeck
