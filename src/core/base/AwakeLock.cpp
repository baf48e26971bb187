#include "base/AwakeLock.h"

#include <QAbstractEventDispatcher>
#include <glib.h>

namespace gpudeck {
namespace {
thread_local AwakeLock *t_attached = nullptr; // the lock this thread holds while awake
thread_local bool t_standingIn = false;
} // namespace

struct AwakeLockPoll
{
    static thread_local GPollFunc previous;

    // The thread's GLib poll: the lock is let go while it may wait, taken again as it returns (before any event of
    // this pass is dispatched).
    static gint poll(GPollFD *fds, guint count, gint timeout)
    {
        AwakeLock *lock = t_attached;
        if (!lock || timeout == 0) {
            return previous(fds, count, timeout);
        }
        lock->m_mutex.unlock();
        const gint result = previous(fds, count, timeout);
        lock->m_mutex.lock();
        return result;
    }
};

thread_local GPollFunc AwakeLockPoll::previous = g_poll;

void AwakeLock::attach()
{
    Q_ASSERT(!t_attached);
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    GMainContext *context = g_main_context_get_thread_default();
    // Qt's GLib dispatcher pushes its own context as the thread's default; anything else (QT_NO_GLIB) does not.
    if (!dispatcher || !dispatcher->inherits("QEventDispatcherGlib") || !context) {
        return;
    }
    m_mutex.lock();
    t_attached = this;
    AwakeLockPoll::previous = g_main_context_get_poll_func(context);
    g_main_context_set_poll_func(context, &AwakeLockPoll::poll);
    m_attached = true;
}

void AwakeLock::detach()
{
    if (t_attached != this) {
        return;
    }
    m_attached = false;
    if (GMainContext *context = g_main_context_get_thread_default()) {
        g_main_context_set_poll_func(context, AwakeLockPoll::previous);
    }
    t_attached = nullptr;
    m_mutex.unlock();
}

bool AwakeLock::tryLock()
{
    if (!m_attached.load(std::memory_order_acquire) || !m_mutex.tryLock()) {
        return false;
    }
    if (!m_attached.load(std::memory_order_relaxed)) { // detached just before: nothing to stand in for
        m_mutex.unlock();
        return false;
    }
    t_standingIn = true;
    return true;
}

void AwakeLock::unlock()
{
    t_standingIn = false;
    m_mutex.unlock();
}

bool AwakeLock::standingIn()
{
    return t_standingIn;
}

} // namespace gpudeck
