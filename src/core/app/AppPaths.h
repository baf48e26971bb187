#pragma once

#include <QString>

namespace gpudeck {

// Where GPU Deck keeps its files. By default the platform's standard locations
// (e.g. ~/.local/share/gpudeck for data, ~/.config/gpudeck for config and token);
// with --data-dir DIR everything lives under DIR instead.
class AppPaths
{
public:
    explicit AppPaths(const QString &dataDirOverride = {});

    QString dataDir() const { return m_dataDir; }
    QString configDir() const { return m_configDir; }
    QString databasePath() const;
    QString tokenPath() const;

    // Creates the directories (0700). Returns false with a reason when that is impossible.
    bool ensureExists(QString *error) const;

private:
    QString m_dataDir;
    QString m_configDir;
};

} // namespace gpudeck
