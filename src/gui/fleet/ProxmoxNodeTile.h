#pragma once

#include "proxmox/ProxmoxTypes.h"

#include <QWidget>

namespace gpudeck {

// One node of a Proxmox cluster in the Fleet pane: its name and status, CPU and memory as bars, its uptime. Painted
// in one pass like the host tiles; repainted only when what it shows changed.
class ProxmoxNodeTile : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kWidth = 200;
    static constexpr int kHeight = 62;

    explicit ProxmoxNodeTile(const QString &name, QWidget *parent = nullptr);

    void setNode(const ProxmoxNode &node);
    const ProxmoxNode &node() const { return m_node; }
    QString statusText() const;

    QSize sizeHint() const override { return {kWidth, kHeight}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    ProxmoxNode m_node;
    bool m_hasNode = false;
};

} // namespace gpudeck
