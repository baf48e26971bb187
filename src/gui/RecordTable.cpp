#include "RecordTable.h"

#include <QHeaderView>
#include <QStyledItemDelegate>

namespace gpudeck {
namespace {

// Columns sized to their contents would put texts edge to edge; this leaves some air between them.
class PaddedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(18, 0);
    }
};

} // namespace

RecordTable::RecordTable(QAbstractItemModel *model, const QString &objectName, int stretchColumn, QWidget *parent)
    : QTableView(parent)
{
    setObjectName(objectName);
    setModel(model);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    QHeaderView *header = horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setHighlightSections(false);
    header->setMinimumSectionSize(70);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    setItemDelegate(new PaddedDelegate(this));
}

qint64 RecordTable::selectedId() const
{
    const QModelIndexList rows = selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(Qt::UserRole).toLongLong();
}

void RecordTable::selectId(qint64 id)
{
    const QAbstractItemModel *m = model();
    for (int row = 0; id != 0 && row < m->rowCount(); ++row) {
        if (m->index(row, 0).data(Qt::UserRole).toLongLong() == id) {
            selectRow(row);
            return;
        }
    }
    clearSelection();
}

} // namespace gpudeck
