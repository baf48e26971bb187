#pragma once

#include <QTableView>

namespace gpudeck {

// A read-only table of store records, one per row, whose models put the record's id in Qt::UserRole.
// Selection is by id so it survives a model reset.
class RecordTable : public QTableView
{
    Q_OBJECT
public:
    // `stretchColumn` takes the spare width; the others fit their contents.
    RecordTable(QAbstractItemModel *model, const QString &objectName, int stretchColumn, QWidget *parent = nullptr);

    qint64 selectedId() const; // 0 when nothing is selected
    // Selects the row with `id`; clears the selection when there is none.
    void selectId(qint64 id);
};

} // namespace gpudeck
