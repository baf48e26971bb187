#pragma once

#include "models/HttpProbe.h"
#include "models/ModelCatalog.h"

#include <QHash>
#include <QObject>
#include <functional>

class QTimer;

namespace gpudeck {

struct ModelsState;

// Polls, gently, which catalog model each host serves (GET /v1/models on its model ports) and whether each
// declared service answers its health path. Every poll_interval (15 s by default); after a failure it checks
// again within 3 s, and only a second failure in a row is reported (a blip is not "down"); while a target stays
// down the interval doubles, up to 2 minutes. Lives on the models thread.
class HealthMonitor : public QObject
{
    Q_OBJECT
public:
    HealthMonitor(HttpProbe &probe, ModelsState &state, std::function<ProbeTarget(const QString &host)> targetFor,
                  QObject *parent = nullptr);

    // Starts (or restarts) polling for this catalog; states of unchanged targets are kept.
    void setCatalog(const ModelCatalog &catalog);
    // Polls a host's model ports after `delayMs` (e.g. right after a swap).
    void pollHostSoon(const QString &host, int delayMs = 0);
    void pollAllSoon();
    void stop();

Q_SIGNALS:
    void servingChanged(const QString &host);
    void servicesChanged();

private:
    struct Poll
    {
        QTimer *timer = nullptr;
        int failures = 0;
    };

    void pollHost(const QString &host);
    void pollService(const QString &key);
    int nextDelay(int failures) const;
    Poll &hostPoll(const QString &host);

    HttpProbe &m_probe;
    ModelsState &m_state;
    std::function<ProbeTarget(const QString &)> m_targetFor;
    ModelCatalog m_catalog;
    int m_intervalMs = 15000;
    QHash<QString, Poll> m_hosts;    // by host
    QHash<QString, Poll> m_services; // by "host/name"
};

} // namespace gpudeck
