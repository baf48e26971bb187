#pragma once

#include "metrics/HostMetrics.h"

#include <QFrame>

class QGridLayout;
class QLabel;
class QTableWidget;

namespace gpudeck {

class MetricChart;

// One host in the GPUs pane: its name and state, a chart per metric (utilisation, memory, temperature,
// power), a table of the current readings per GPU and one of the processes on its GPUs. The pane decides
// what goes in; the column only shows it.
//
// Narrower than kCompactWidth (three hosts side by side at 1280 px, or larger fonts) the column is compact:
// one row per GPU with small bars under utilisation, memory and power (as nvitop shows them), the used
// figures only (the totals, the clock and the P-state in the row's tooltips), and lower charts. The table's
// columns always take the width of their contents; the column is never narrower than its table.
class HostColumn : public QFrame
{
    Q_OBJECT
public:
    enum Metric { Utilization, Memory, Temperature, Power, MetricCount };
    enum GpuColumn {
        GpuNameColumn,
        UtilColumn,
        MemoryColumn,
        TemperatureColumn,
        PowerColumn,
        ClockColumn,
        PStateColumn,
        GpuColumnCount
    };
    enum ProcessColumn { PidColumn, ProcessNameColumn, ProcessGpuColumn, ProcessMemoryColumn, ProcessColumnCount };

    static constexpr int kCompactWidth = 600;
    // What a bar cell holds besides its text: the filled fraction (0..1; NaN: no bar).
    static constexpr int BarFractionRole = Qt::UserRole + 1;

    explicit HostColumn(qint64 connectionId, QWidget *parent = nullptr);

    qint64 connectionId() const { return m_connectionId; }
    void setName(const QString &name);
    // Marked as the host asked for (from a Fleet tile): a highlighted frame.
    void setFocused(bool focused);
    bool isFocused() const { return m_focused; }
    // The latest snapshot; `live` false when the collector has none for this host (only history to show).
    void setMetrics(const HostMetrics &metrics, bool live);
    // Shows the charts, or in their place one line saying why there is nothing to draw.
    void setHasReadings(bool hasReadings, const QString &noReadingsText = {});

    MetricChart *chart(Metric metric) const { return m_charts[metric]; }
    QTableWidget *gpuTable() const { return m_gpuTable; }
    QTableWidget *processTable() const { return m_processTable; }
    QLabel *stateLabel() const { return m_stateLabel; }
    bool isCompact() const { return m_compact; }
    // The compact layout on or off (normally chosen by the column's width).
    void setCompact(bool compact);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void layoutCharts(int columns);
    void fitTables();
    void fillGpus(const HostMetrics &metrics);
    void fillProcesses(const HostMetrics &metrics);
    void showState(const HostMetrics &metrics, bool live);

    qint64 m_connectionId;
    QLabel *m_nameLabel;
    QLabel *m_summaryLabel;
    QLabel *m_stateLabel;
    QGridLayout *m_chartGrid;
    MetricChart *m_charts[MetricCount];
    int m_chartColumns = 0;
    QTableWidget *m_gpuTable;
    QLabel *m_noReadings = nullptr;
    QLabel *m_processHeading;
    QLabel *m_noProcesses;
    QTableWidget *m_processTable;
    bool m_focused = false;
    bool m_compact = false;
    HostMetrics m_metrics; // the last shown, filled again when the layout changes
    bool m_live = false;
};

} // namespace gpudeck
