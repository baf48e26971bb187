#pragma once

#include <QLayout>
#include <QList>

namespace gpudeck {

// Lays its items out left to right, wrapping to a new row when the width runs out (Qt's flow layout example, cut
// to what the Fleet pane needs: one spacing both ways, height for width so a scroll area sizes it right).
class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr, int spacing = 8);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    // Moves the item of `widget` to `index` (the tiles follow the fleet's order without being recreated).
    void moveWidget(QWidget *widget, int index);

    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSize() const override;
    void setGeometry(const QRect &rect) override;

private:
    int arrange(const QRect &rect, bool apply) const;

    QList<QLayoutItem *> m_items;
    int m_spacing;
};

} // namespace gpudeck
