#pragma once

#include <QObject>
#include <QReadWriteLock>
#include <QSemaphore>
#include <QThread>
#include <atomic>
#include <functional>

namespace gpudeck {

// Owns one long-lived worker object on one thread of its own: the one way GPU Deck runs a worker (SSH links,
// metrics, model serving, jobs, the API, the keychain).
//
// - start(factory) starts the thread and runs `factory` *on it*, so the worker and every child it creates
//   (timers, sockets, watchers, network managers) belong to that thread from birth. It returns once the worker
//   exists. A factory that fails returns nullptr: the thread then ends at once and start() returns nullptr.
// - stop(finish) runs `finish(worker)` on the thread (cancel streams, flush), then ends the thread's event loop and
//   deletes the worker on the thread *after* the loop has stopped: no timer, queued call or socket notification can
//   reach a half-destroyed worker. Then it waits for the thread. Idempotent; the destructor calls it.
//
// The holder itself lives on its owner's thread (usually the main thread) and must not be stopped from the worker's
// own thread. Modelled on qBittorrent's thread holder (a worker moved to an owned QThread whose deleter quits and
// waits), with the creation moved onto the thread as well.
class WorkerThreadBase
{
public:
    explicit WorkerThreadBase(const QString &name);
    ~WorkerThreadBase();
    WorkerThreadBase(const WorkerThreadBase &) = delete;
    WorkerThreadBase &operator=(const WorkerThreadBase &) = delete;

    bool isRunning() const { return m_worker != nullptr; }
    QThread *thread() { return &m_thread; }

    // For workers that may be many and busy at once (one per SSH link, all doing key exchanges at start-up): the
    // thread runs `niceness` steps below the rest of GPU Deck (Linux nice values are per thread), so that its
    // own background work never keeps the window's thread from the CPU. Relative to this process only: the desktop
    // puts the whole process in its own scheduling group. Call before start().
    void setBackground(int niceness) { m_thread.niceness = niceness; }

protected:
    QObject *startWorker(std::function<QObject *()> factory);
    void stopWorker(const std::function<void(QObject *)> &finish);
    // Written by start()/stop() on the owner's thread, read from any thread (a service's door asks it).
    std::atomic<QObject *> m_worker = nullptr;
    // Held for reading by call()/post() while they use the worker, for writing by stop() while it lets the worker
    // go: a call made from another thread either reaches a live worker or sees none.
    mutable QReadWriteLock m_callLock;

private:
    class Thread : public QThread
    {
    public:
        std::function<QObject *()> factory;
        QObject *worker = nullptr;
        QSemaphore ready;
        int niceness = 0;

    protected:
        void run() override;
    };
    Thread m_thread;
};

template<typename Worker>
class WorkerThread : public WorkerThreadBase
{
public:
    using WorkerThreadBase::WorkerThreadBase;
    ~WorkerThread() { stop(); }

    // Creates the worker on the thread (see above) and returns it. Does nothing if already running.
    template<typename Factory>
    Worker *start(Factory &&factory)
    {
        if (!m_worker) {
            startWorker([f = std::forward<Factory>(factory)]() -> QObject * { return f(); });
        }
        return worker();
    }

    // Runs `finish` on the worker's thread, then deletes the worker there and joins the thread.
    void stop(const std::function<void(Worker *)> &finish = {})
    {
        stopWorker([&finish](QObject *w) {
            if (finish) {
                finish(static_cast<Worker *>(w));
            }
        });
    }

    // The worker while the thread runs, else nullptr. Call its methods only on its thread (post()).
    Worker *worker() const { return static_cast<Worker *>(m_worker.load()); }

    // Queues `fn(worker)` on the worker's thread; false when it is not running.
    template<typename Fn>
    bool post(Fn &&fn) const
    {
        QReadLocker lock(&m_callLock);
        Worker *w = worker();
        if (!w) {
            return false;
        }
        return QMetaObject::invokeMethod(w, [w, f = std::forward<Fn>(fn)]() mutable { f(w); });
    }

    // Calls `fn(worker)` on the calling thread, for a worker's thread-safe methods (they queue work and answer with
    // a future or a copy); false, without calling, when it is not running. The worker cannot be stopped meanwhile.
    template<typename Fn>
    bool call(Fn &&fn) const
    {
        QReadLocker lock(&m_callLock);
        Worker *w = worker();
        if (!w) {
            return false;
        }
        fn(w);
        return true;
    }
};

} // namespace gpudeck
