#include "gpus/HostColumn.h"

#include "Heading.h"
#include "gpus/MetricChart.h"
#include "gpus/MetricText.h"

#include <QGridLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace gpudeck {
namespace {

constexpr int kTwoColumnWidth = 860; // from this width on, the four charts sit two by two
constexpr int kChartHeight = 170;    // a chart's least height
constexpr int kCompactChartHeight = 120;

// A cell with a small bar along its foot, under its text: how full the GPU is at a glance (nvitop's bars).
class BarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const QVariant data = index.data(HostColumn::BarFractionRole);
        if (!data.isValid()) {
            return;
        }
        const double fraction = data.toDouble();
        if (!std::isfinite(fraction)) {
            return;
        }
        const QPalette &palette = option.palette;
        const int height = std::max(3, option.fontMetrics.height() / 5);
        const QRect track(option.rect.left() + 3, option.rect.bottom() - height - 1, option.rect.width() - 6, height);
        painter->save();
        painter->setPen(Qt::NoPen);
        QColor trackColor = palette.color(QPalette::Mid);
        trackColor.setAlpha(90);
        painter->setBrush(trackColor);
        painter->drawRect(track);
        QRect fill = track;
        fill.setWidth(static_cast<int>(std::lround(track.width() * std::clamp(fraction, 0.0, 1.0))));
        painter->setBrush(palette.color(QPalette::Highlight));
        painter->drawRect(fill);
        painter->restore();
    }
};

QTableWidget *makeTable(const QStringList &headers, const QString &objectName, QWidget *parent)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    // Rows as high as a line of text and the bar under it: eight GPUs take little room.
    table->verticalHeader()->setMinimumSectionSize(table->fontMetrics().height() + 4);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 9);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setFocusPolicy(Qt::NoFocus);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->horizontalHeader()->setHighlightSections(false);
    // Every column as wide as its contents; the room left over goes to the last one.
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return table;
}

// The width the table's shown columns need: each one's header or widest cell, whichever is wider.
int contentWidth(QTableWidget *table)
{
    const QAbstractItemView *view = table; // sizeHintForColumn is public there
    int width = 2 * table->frameWidth();
    for (int column = 0; column < table->columnCount(); ++column) {
        if (!table->isColumnHidden(column)) {
            width += std::max(table->horizontalHeader()->sectionSizeHint(column), view->sizeHintForColumn(column));
        }
    }
    return width;
}

// Tables in a column show every row; the pane scrolls, not each table. A table that cannot have the width of
// its contents (a column squeezed by a wide process name) scrolls sideways, and the scroll bar gets room of its
// own instead of covering the last row.
void fitHeight(QTableWidget *table, int neededWidth)
{
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row) {
        height += table->rowHeight(row);
    }
    if (neededWidth > table->width()) {
        height += table->horizontalScrollBar()->sizeHint().height();
    }
    if (table->height() != height) {
        table->setFixedHeight(height);
    }
}

// Sets a cell's text, creating the item the first time; unchanged text is left alone (no repaint).
QTableWidgetItem *setCell(QTableWidget *table, int row, int column, const QString &text,
                          Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    QTableWidgetItem *item = table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        item->setTextAlignment(alignment);
        table->setItem(row, column, item);
    }
    if (item->text() != text) {
        item->setText(text);
    }
    return item;
}

// A table's cell changes made while it lives reach its view as one dataChanged over the whole table. With columns
// sized to their contents, every change on its own made the header measure every cell of every column again: a
// host's refresh (a few changes per GPU row) measured its table some sixty times, most of the GPUs pane's cost.
class CellBatch
{
public:
    explicit CellBatch(QTableWidget *table)
        : m_table(table)
        , m_blocker(table->model())
    {
    }
    ~CellBatch()
    {
        m_blocker.unblock();
        QAbstractItemModel *model = m_table->model();
        if (model->rowCount() > 0 && model->columnCount() > 0) {
            Q_EMIT model->dataChanged(model->index(0, 0),
                                      model->index(model->rowCount() - 1, model->columnCount() - 1));
        }
    }
    CellBatch(const CellBatch &) = delete;
    CellBatch &operator=(const CellBatch &) = delete;

private:
    QTableWidget *m_table;
    QSignalBlocker m_blocker;
};

QIcon swatch(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
    return QIcon(pixmap);
}

QString shortGpuName(QString name)
{
    // "NVIDIA H100 80GB HBM3" -> "H100 80GB HBM3": every GPU here is an NVIDIA one.
    if (name.startsWith(QStringLiteral("NVIDIA "))) {
        name.remove(0, 7);
    }
    return name;
}

// "4 × H100 80GB HBM3", "GB10", "2 × A100 80GB PCIe, L40S": the models of the host's GPUs.
QString models(const QList<GpuSample> &gpus)
{
    QStringList names;
    QHash<QString, int> counts;
    for (const GpuSample &g : gpus) {
        const QString name = shortGpuName(g.name);
        if (!counts.contains(name)) {
            names.append(name);
        }
        counts[name]++;
    }
    QStringList parts;
    for (const QString &name : std::as_const(names)) {
        parts.append(counts.value(name) > 1 ? HostColumn::tr("%1 × %2").arg(counts.value(name)).arg(name) : name);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

HostColumn::HostColumn(qint64 connectionId, QWidget *parent)
    : QFrame(parent)
    , m_connectionId(connectionId)
    , m_nameLabel(new QLabel(this))
    , m_summaryLabel(new QLabel(this))
    , m_stateLabel(new QLabel(this))
    , m_chartGrid(new QGridLayout)
    , m_processHeading(makeHeading(tr("GPU processes"), this))
    , m_noProcesses(new QLabel(tr("No processes are using the GPUs."), this))
{
    setObjectName(QStringLiteral("hostColumn_%1").arg(connectionId));
    setFrameShape(QFrame::StyledPanel);

    m_nameLabel->setObjectName(QStringLiteral("hostNameLabel"));
    QFont big = m_nameLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_nameLabel->setFont(big);
    m_summaryLabel->setObjectName(QStringLiteral("hostSummaryLabel"));
    m_summaryLabel->setForegroundRole(QPalette::PlaceholderText);
    m_summaryLabel->setWordWrap(true);
    m_noReadings = new QLabel(this);
    m_noReadings->setObjectName(QStringLiteral("noReadingsLabel"));
    m_noReadings->setForegroundRole(QPalette::PlaceholderText);
    m_noReadings->setAlignment(Qt::AlignCenter);
    m_noReadings->setMinimumHeight(60);
    m_noReadings->hide();
    m_stateLabel->setObjectName(QStringLiteral("hostStateLabel"));
    m_stateLabel->setWordWrap(true);
    m_stateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stateLabel->hide();

    const QString titles[MetricCount] = {tr("Utilisation (%)"), tr("Memory used (GiB)"), tr("Temperature (°C)"),
                                         tr("Power (W)")};
    const char *names[MetricCount] = {"utilizationChart", "memoryChart", "temperatureChart", "powerChart"};
    for (int m = 0; m < MetricCount; ++m) {
        m_charts[m] = new MetricChart(titles[m], this);
        m_charts[m]->setObjectName(QString::fromLatin1(names[m]));
    }
    // The crosshair's values read as the table's do.
    m_charts[Utilization]->setFormatter(&MetricText::percent);
    m_charts[Memory]->setFormatter([](double gib) { return MetricText::mebibytes(gib * 1024); });
    m_charts[Temperature]->setFormatter(&MetricText::temperature);
    m_charts[Power]->setFormatter(&MetricText::power);
    m_chartGrid->setSpacing(4);
    layoutCharts(1);

    m_gpuTable =
        makeTable({tr("GPU"), tr("Util"), tr("Memory"), tr("Temp"), tr("Power"), tr("SM clock"), tr("P-state")},
                  QStringLiteral("gpuTable"), this);
    auto *bars = new BarDelegate(m_gpuTable);
    for (int column : {UtilColumn, MemoryColumn, PowerColumn}) {
        m_gpuTable->setItemDelegateForColumn(column, bars);
    }
    m_processTable =
        makeTable({tr("PID"), tr("Process"), tr("GPU"), tr("Memory")}, QStringLiteral("processTable"), this);
    // A command line cut at its end hides what runs; cut in the middle, the executable and the script's end
    // stay, and the whole of it is in the tooltip.
    m_processTable->setTextElideMode(Qt::ElideMiddle);
    m_processTable->horizontalHeader()->setStretchLastSection(false);
    m_processTable->horizontalHeader()->setSectionResizeMode(ProcessNameColumn, QHeaderView::Stretch);
    m_noProcesses->setObjectName(QStringLiteral("noProcessesLabel"));
    m_noProcesses->setForegroundRole(QPalette::PlaceholderText);
    fitTables();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_nameLabel);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_stateLabel);
    // The readings now first: they are what a glance is for, and the table is the charts' colour key.
    layout->addWidget(m_gpuTable);
    layout->addLayout(m_chartGrid, 1);
    layout->addWidget(m_noReadings);
    layout->addSpacing(4);
    layout->addWidget(m_processHeading);
    layout->addWidget(m_noProcesses);
    layout->addWidget(m_processTable);
    // Without charts (nothing to draw) the rest stays at the top instead of spreading down the column.
    layout->addStretch();
    m_processTable->hide();
}

void HostColumn::setFocused(bool focused)
{
    if (focused == m_focused) {
        return;
    }
    m_focused = focused;
    // Only this frame: the selector names it, so its tables and labels keep their own look.
    setStyleSheet(focused ? QStringLiteral("QFrame#%1 { border: 2px solid palette(highlight); border-radius: 4px; }")
                                .arg(objectName())
                          : QString());
}

void HostColumn::setName(const QString &name)
{
    m_nameLabel->setText(name);
}

void HostColumn::layoutCharts(int columns)
{
    if (columns == m_chartColumns) {
        return;
    }
    m_chartColumns = columns;
    for (int m = 0; m < MetricCount; ++m) {
        m_chartGrid->removeWidget(m_charts[m]);
    }
    for (int m = 0; m < MetricCount; ++m) {
        m_chartGrid->addWidget(m_charts[m], m / columns, m % columns);
    }
}

void HostColumn::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    setCompact(event->size().width() < kCompactWidth);
    layoutCharts(event->size().width() >= kTwoColumnWidth ? 2 : 1);
    fitTables();
}

void HostColumn::setCompact(bool compact)
{
    if (compact == m_compact) {
        return;
    }
    m_compact = compact;
    m_gpuTable->setColumnHidden(ClockColumn, compact);
    m_gpuTable->setColumnHidden(PStateColumn, compact);
    for (MetricChart *chart : m_charts) {
        chart->setMinimumHeight(compact ? kCompactChartHeight : kChartHeight);
    }
    fillGpus(m_metrics);
    fitTables();
}

void HostColumn::fitTables()
{
    // The GPU table is never squeezed: the column is at least as wide as the table's contents.
    const int gpuWidth = contentWidth(m_gpuTable);
    m_gpuTable->setMinimumWidth(gpuWidth);
    fitHeight(m_gpuTable, gpuWidth);
    // The process table's command lines are elided instead: they can be as long as they like.
    const int processWidth =
        contentWidth(m_processTable) -
        static_cast<const QAbstractItemView *>(m_processTable)->sizeHintForColumn(ProcessNameColumn) +
        m_processTable->fontMetrics().averageCharWidth() * 12;
    fitHeight(m_processTable, processWidth);
}

void HostColumn::setHasReadings(bool hasReadings, const QString &noReadingsText)
{
    for (MetricChart *chart : m_charts) {
        chart->setVisible(hasReadings);
    }
    m_noReadings->setText(noReadingsText);
    m_noReadings->setVisible(!hasReadings);
}

void HostColumn::setMetrics(const HostMetrics &metrics, bool live)
{
    m_metrics = metrics;
    m_live = live;
    showState(metrics, live);
    QStringList summary;
    if (live && !metrics.gpus.isEmpty()) {
        summary << models(metrics.gpus);
    }
    if (live && hasValue(metrics.memory.totalMiB)) {
        summary << tr("RAM %1").arg(MetricText::memoryOf(metrics.memory.usedMiB(), metrics.memory.totalMiB, false));
    }
    if (live && hasValue(metrics.load.one)) {
        summary << tr("load %1").arg(QLocale().toString(metrics.load.one, 'f', 2));
    }
    m_summaryLabel->setText(summary.join(QStringLiteral(" · ")));
    m_summaryLabel->setVisible(!summary.isEmpty());
    fillGpus(metrics);
    fillProcesses(metrics);
    fitTables(); // once both are filled: measuring a table is the costly part of a refresh
}

void HostColumn::showState(const HostMetrics &metrics, bool live)
{
    QString text;
    QString tint = QStringLiteral("rgba(149, 160, 168, 0.22)"); // grey: nothing wrong, nothing to show
    if (!live) {
        text = tr("Not monitored now: only the stored history is shown.");
    } else if (!MetricText::isQuietState(metrics.state)) {
        text = MetricText::hostState(metrics.state);
        if (!metrics.detail.isEmpty()) {
            text = tr("%1: %2").arg(text, metrics.detail);
        }
        if (metrics.state == QStringLiteral("stream_error")) {
            tint = QStringLiteral("rgba(230, 154, 22, 0.25)");
        }
    }
    m_stateLabel->setVisible(!text.isEmpty());
    if (m_stateLabel->text() != text) {
        m_stateLabel->setText(text);
        m_stateLabel->setStyleSheet(
            QStringLiteral("QLabel#hostStateLabel { background: %1; border-radius: 4px; padding: 6px 8px; }")
                .arg(tint));
    }
}

void HostColumn::fillGpus(const HostMetrics &metrics)
{
    const int rows = static_cast<int>(metrics.gpus.size());
    m_gpuTable->setRowCount(rows);
    const CellBatch batch(m_gpuTable);
    bool unified = false;
    const auto fraction = [](double value, double of) {
        return hasValue(value) && hasValue(of) && of > 0 ? value / of : qQNaN();
    };
    const QString unifiedTip = tr("Unified memory: the GPU shares the host's RAM; the figures are the host's, "
                                  "from /proc/meminfo");
    for (int row = 0; row < rows; ++row) {
        const GpuSample &g = metrics.gpus.at(row);
        // The index and the colour of its lines; the model is in the summary above and in the tooltip.
        QTableWidgetItem *name =
            setCell(m_gpuTable, row, GpuNameColumn, QString::number(g.index), Qt::AlignLeft | Qt::AlignVCenter);
        if (name->icon().isNull()) {
            name->setIcon(swatch(MetricChart::gpuColor(g.index)));
        }
        QString tip = g.uuid.isEmpty() ? g.name : tr("%1\n%2\nBus %3").arg(g.name, g.uuid, g.busId);
        if (m_compact) {
            // The columns the compact row leaves out.
            tip += QLatin1Char('\n') +
                   tr("SM clock %1, %2")
                       .arg(MetricText::clock(g.smClockMHz), g.pstate.isEmpty() ? MetricText::none() : g.pstate);
        }
        name->setToolTip(tip);
        setCell(m_gpuTable, row, UtilColumn, MetricText::percent(g.utilizationGpu))
            ->setData(BarFractionRole, fraction(g.utilizationGpu, 100));
        const QString memory = MetricText::memoryOf(g.memoryUsedMiB, g.memoryTotalMiB, false);
        QTableWidgetItem *memoryItem =
            setCell(m_gpuTable, row, MemoryColumn, m_compact ? MetricText::mebibytes(g.memoryUsedMiB) : memory);
        memoryItem->setData(BarFractionRole, fraction(g.memoryUsedMiB, g.memoryTotalMiB));
        memoryItem->setToolTip(
            g.unifiedMemory ? (m_compact ? tr("%1 (unified)").arg(memory) + QLatin1Char('\n') : QString()) + unifiedTip
                            : (m_compact ? memory : QString()));
        unified = unified || g.unifiedMemory;
        setCell(m_gpuTable, row, TemperatureColumn, MetricText::temperature(g.temperatureC));
        const QString power = MetricText::powerOf(g.powerDrawW, g.powerLimitW);
        QTableWidgetItem *powerItem =
            setCell(m_gpuTable, row, PowerColumn, m_compact ? MetricText::power(g.powerDrawW) : power);
        powerItem->setData(BarFractionRole, fraction(g.powerDrawW, g.powerLimitW));
        powerItem->setToolTip(m_compact ? power : QString());
        setCell(m_gpuTable, row, ClockColumn, MetricText::clock(g.smClockMHz));
        setCell(m_gpuTable, row, PStateColumn, g.pstate.isEmpty() ? MetricText::none() : g.pstate, Qt::AlignCenter);
    }
    // The column says it once for all its GPUs: "Memory (unified)"; the compact one in its tooltip.
    const QString memoryHeader = unified && !m_compact ? tr("Memory (unified)") : tr("Memory");
    QTableWidgetItem *header = m_gpuTable->horizontalHeaderItem(MemoryColumn);
    if (header->text() != memoryHeader) {
        header->setText(memoryHeader);
    }
    header->setToolTip(unified ? unifiedTip : QString());
    m_gpuTable->setVisible(rows > 0);
}

void HostColumn::fillProcesses(const HostMetrics &metrics)
{
    const int rows = static_cast<int>(metrics.processes.size());
    m_processTable->setRowCount(rows);
    const CellBatch batch(m_processTable);
    for (int row = 0; row < rows; ++row) {
        const GpuProcess &p = metrics.processes.at(row);
        int gpu = p.gpuIndex;
        for (const GpuSample &g : metrics.gpus) {
            if (gpu < 0 && !p.gpuUuid.isEmpty() && g.uuid == p.gpuUuid) {
                gpu = g.index;
            }
        }
        setCell(m_processTable, row, PidColumn, QString::number(p.pid));
        setCell(m_processTable, row, ProcessNameColumn, p.name, Qt::AlignLeft | Qt::AlignVCenter)->setToolTip(p.name);
        setCell(m_processTable, row, ProcessGpuColumn, gpu >= 0 ? QString::number(gpu) : MetricText::none(),
                Qt::AlignCenter);
        setCell(m_processTable, row, ProcessMemoryColumn, MetricText::mebibytes(p.usedMemoryMiB));
    }
    const bool hasGpus = !metrics.gpus.isEmpty();
    m_processHeading->setVisible(hasGpus);
    m_processTable->setVisible(hasGpus && rows > 0);
    m_noProcesses->setVisible(hasGpus && rows == 0);
}

} // namespace gpudeck
