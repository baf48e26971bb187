#include "jobs/JobLogFollow.h"

namespace gpudeck {

JobLogFollow::JobLogFollow(Output output, Finished finished)
    : m_output(std::move(output))
    , m_finished(std::move(finished))
{
}

void JobLogFollow::stop()
{
    std::function<void()> stopped;
    {
        QMutexLocker lock(&m_mutex);
        m_stopped = true;
        m_output = nullptr;
        m_finished = nullptr;
        stopped = std::move(m_onStopped);
        m_onStopped = nullptr;
    }
    if (stopped) {
        stopped(); // outside the lock: the producer takes its own
    }
}

void JobLogFollow::onStopped(std::function<void()> callback)
{
    QMutexLocker lock(&m_mutex);
    m_onStopped = std::move(callback);
}

bool JobLogFollow::isStopped() const
{
    QMutexLocker lock(&m_mutex);
    return m_stopped;
}

void JobLogFollow::deliver(const QByteArray &bytes)
{
    QMutexLocker lock(&m_mutex);
    if (!m_stopped && m_output && !bytes.isEmpty()) {
        const Output output = m_output; // the callback may stop() this follower
        output(bytes);
    }
}

void JobLogFollow::finish(const Status &status)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopped) {
        return;
    }
    Finished finished = std::move(m_finished);
    m_stopped = true;
    m_output = nullptr;
    m_finished = nullptr;
    if (finished) {
        finished(status);
    }
}

} // namespace gpudeck
