#pragma once

#include <QObject>

class QSocketNotifier;

namespace gpudeck {

// Turns SIGINT and SIGTERM into a Qt signal delivered on the main thread (self-pipe), so `kill` or Ctrl+C
// shuts GPU Deck down cleanly: API stopped, database closed.
class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gpudeck
