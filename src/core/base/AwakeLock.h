#pragma once

#include <QMutex>
#include <atomic>

namespace gpudeck {

// A mutex that its thread holds whenever it is awake: it lets go only while its event loop waits for events (GLib's
// poll, which the thread's Qt event dispatcher calls, is wrapped for that). Another thread that takes it with
// tryLock() therefore knows the owner is parked between two events and will not run until unlock(): for that short
// while it may act on the owner's objects in its place (an SSH link's session: PortForwarder::deliver).
//
// A nested event loop on the owning thread lets go as well: the thread must not wait in one in the middle of what a
// stand-in may touch (a libssh call, a walk over the forwarder's streams).
//
// Works with Qt's GLib event dispatcher, the default on Linux. With any other dispatcher attach() leaves the lock
// unattached and tryLock() always fails: callers keep their queued path, which stays correct on its own.
class AwakeLock
{
public:
    AwakeLock() = default;
    AwakeLock(const AwakeLock &) = delete;
    AwakeLock &operator=(const AwakeLock &) = delete;

    // On the owning thread, inside its event loop's thread (a worker's factory): from now on the thread holds the
    // lock except while its loop waits. One lock per thread.
    void attach();
    // On the owning thread: lets go for good (before the thread ends).
    void detach();

    // From another thread: true when the owner is parked and now waits for unlock(). Never blocks.
    bool tryLock();
    void unlock();

    // True on a thread between its tryLock() and unlock() of another thread's lock: code that may run on either
    // thread (a libssh callback) leaves what belongs to the owner's thread for the owner.
    static bool standingIn();

private:
    friend struct AwakeLockPoll;
    QMutex m_mutex;
    std::atomic<bool> m_attached = false;
};

} // namespace gpudeck
