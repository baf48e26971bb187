#include "jobs/JobLogFollow.h"

namespace gpudeck {

JobLogFollow::JobLogFollow(Output output, Finished finished)
    : m_output(std::move(output))
    , m_finished(std::move(finished))
{
}

void JobLogFollow::stop()
{
    QMutexLocker lock(&m_mutex);
    m_stopped = true;
    m_output = nullptr;
    m_finished = nullptr;
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
