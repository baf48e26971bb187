#pragma once

#include "models/ModelCatalog.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

// The outcome of reading models.yaml: the catalog, or every problem found (syntax errors stop at the first).
struct CatalogParse
{
    ModelCatalog catalog;
    QList<CatalogError> errors;

    bool ok() const { return errors.isEmpty(); }
};

// Reads models.yaml (format: docs/models-yaml.md). Pure functions, usable from any thread.
class CatalogParser
{
public:
    // `knownHosts` are the connection names a host key must match.
    static CatalogParse parse(const QByteArray &text, const QString &file, const QStringList &knownHosts);
    // A missing file is an empty catalog (fileExists false), not an error.
    static CatalogParse load(const QString &path, const QStringList &knownHosts);

    // "600", "90s", "10m", "1h" → seconds; -1 when not a duration.
    static int parseDurationS(const QString &text);
};

} // namespace gpudeck
