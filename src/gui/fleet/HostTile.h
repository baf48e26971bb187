#pragma once

#include "fleet/FleetSnapshot.h"

#include <QColor>
#include <QWidget>

class QToolButton;

namespace gpudeck {

// What one tile shows, worked out from a FleetHost once per snapshot (the words, the bars, the colours), so painting
// only draws. Equal views mean nothing to repaint.
struct TileView
{
    struct Gpu
    {
        int index = 0;
        double utilization = -1;    // %, -1: no reading
        double memoryFraction = -1; // used / total, -1: no reading
        QString utilizationText;
        QString memoryText;
        QString temperatureText;
        QColor temperatureColor; // invalid: the text colour
        bool free = false;
        bool operator==(const Gpu &) const = default;
    };
    QString name;
    QString kind;
    QString linkText; // "Connected · 2 h 5 min"
    LinkState link = LinkState::Disconnected;
    QString gpuSummary; // "3 of 4 free"
    QList<Gpu> gpus;
    QString emptyText; // in the GPUs' place when there are none to draw
    QString servingText;
    bool servingNone = true; // nothing served nor declared: the line is dimmed
    QString jobsText;
    int jobs = 0;
    QString alertsText;
    int alertLevel = 0; // 0 none, 1 warning, 2 critical
    QString toolTip;
    bool asleep = false;

    bool operator==(const TileView &) const = default;

    static TileView from(const FleetHost &host, const QDateTime &now);
};

// One host in the Fleet pane: a fixed-size card painted in one pass (no child widgets but the Wake button), so the
// once-a-second update of every tile stays cheap. A click (or Enter / Space with the keyboard) asks for the host's
// details; an asleep host shows "asleep — Wake" and its Wake button, and while it wakes, the progress and Cancel.
class HostTile : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kWidth = 258;
    static constexpr int kHeight = 200;

    explicit HostTile(qint64 connectionId, QWidget *parent = nullptr);

    qint64 connectionId() const { return m_connectionId; }
    // The host's latest state. Repaints only when what the tile shows changed.
    void setHost(const FleetHost &host, const QDateTime &now);
    const TileView &view() const { return m_view; }

    // A wake under way: its progress (0..1, or -1 when unknown) and the line under it ("Waiting for SSH… 34 s").
    void setWaking(bool waking, double progress = -1, const QString &text = {});
    bool isWaking() const { return m_waking; }
    QToolButton *wakeButton() const { return m_wakeButton; }

    QSize sizeHint() const override { return {kWidth, kHeight}; }

Q_SIGNALS:
    void activated(qint64 connectionId);
    void wakeRequested(qint64 connectionId);
    void wakeCancelRequested(qint64 connectionId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void apply(TileView view);
    void placeWakeButton();
    void paintGpus(QPainter &p, const QRect &area) const;
    void paintEmpty(QPainter &p, const QRect &area) const;
    QColor stripeColor() const;

    qint64 m_connectionId;
    TileView m_view;
    bool m_hover = false;
    bool m_waking = false;
    double m_wakeProgress = -1;
    QString m_wakeText;
    QToolButton *m_wakeButton;
    QFont m_nameFont;
    QFont m_smallFont;
};

} // namespace gpudeck
