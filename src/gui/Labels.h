#pragma once

#include "ssh/SshTypes.h"

#include <QCoreApplication>
#include <QString>

class QComboBox;

namespace gpudeck {

// Human-readable, translatable names for the identifiers the core stores (kinds, types, statuses).
// The core and the API keep the identifiers; only the GUI shows these labels.
class Labels
{
    Q_DECLARE_TR_FUNCTIONS(Labels)
public:
    static QString connectionKind(const QString &kind);
    static QString authMethod(const QString &method);
    static QString projectType(const QString &type);
    static QString projectStatus(const QString &status);
    static QString jobStatus(const QString &status);
    static QString jobOnEnd(const QString &onEnd); // the cost guard's on_end: none stop_pod terminate_pod
    // "Connected", "Reconnecting (attempt 3)", ...
    static QString linkState(LinkState state, int attempt = 0);

    // Fills `combo` with one item per identifier, shown as `label(identifier)`, the identifier as item data.
    static void fill(QComboBox *combo, const QStringList &identifiers, QString (*label)(const QString &));
    // Selects the item whose data is `identifier` (the first item when there is none).
    static void select(QComboBox *combo, const QString &identifier);
    static QString selected(const QComboBox *combo);
};

} // namespace gpudeck
