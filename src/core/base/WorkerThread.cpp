#include "base/WorkerThread.h"

#include <QCoreApplication>
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace gpudeck {

WorkerThreadBase::WorkerThreadBase(const QString &name)
{
    m_thread.setObjectName(name);
}

WorkerThreadBase::~WorkerThreadBase()
{
    stopWorker({});
}

void WorkerThreadBase::Thread::run()
{
    if (niceness > 0) {
        // On Linux PRIO_PROCESS with a thread id sets that one thread's nice value. Best effort: a failure only
        // leaves the thread at the process's priority.
        const auto tid = static_cast<id_t>(::gettid());
        errno = 0;
        const int current = ::getpriority(PRIO_PROCESS, tid);
        if (errno == 0) {
            ::setpriority(PRIO_PROCESS, tid, current + niceness);
        }
    }
    worker = factory();
    factory = nullptr;
    ready.release();
    if (!worker) {
        return; // the factory failed: nothing to run
    }
    exec();
    // The loop has ended: nothing can call into the worker any more. Delete it here, on its own thread, and
    // run what it left for deferred deletion.
    delete worker;
    worker = nullptr;
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

QObject *WorkerThreadBase::startWorker(std::function<QObject *()> factory)
{
    m_thread.factory = std::move(factory);
    m_thread.start();
    m_thread.ready.acquire();
    m_worker = m_thread.worker;
    if (!m_worker) {
        m_thread.wait();
    }
    return m_worker;
}

void WorkerThreadBase::stopWorker(const std::function<void(QObject *)> &finish)
{
    if (!m_worker) {
        return;
    }
    Q_ASSERT_X(QThread::currentThread() != &m_thread, "WorkerThread::stop", "stopped from its own thread");
    QObject *worker = nullptr;
    {
        QWriteLocker lock(&m_callLock);
        worker = m_worker;
        m_worker = nullptr;
    }
    if (finish) {
        QMetaObject::invokeMethod(
            worker, [&finish, worker] { finish(worker); }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

} // namespace gpudeck
