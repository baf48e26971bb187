#pragma once

#include <QObject>
#include <QThread>
#include <QTimer>
#include <functional>
#include <memory>

namespace gpudeck {

// Connects a store change signal to `reload` so that changes made elsewhere (API threads, the jobs engine: each
// arrives as its own queued signal) reload once per pass of the window's event loop however many arrived, while a
// change made on the window's own thread reloads at once, as a direct call did (a dialog that creates a row and
// selects it). Reloading a whole list for every queued change left the window minutes behind under a sustained
// stream of API writes (tst_api_concurrency at 30 s).
//
// How a delivery is told apart: a first, direct connection notes "emitted on the window's thread" before the second
// one runs; it touches nothing but a shared flag, so it is safe on any thread while `owner` is destroyed.
template<typename Sender, typename Signal>
void connectCoalesced(Sender *sender, Signal signal, QObject *owner, std::function<void()> reload)
{
    auto onOwnerThread = std::make_shared<bool>(false);
    QThread *home = owner->thread();
    QObject::connect(
        sender, signal, owner,
        [onOwnerThread, home] {
            if (QThread::currentThread() == home) {
                *onOwnerThread = true;
            }
        },
        Qt::DirectConnection);
    auto *timer = new QTimer(owner);
    timer->setSingleShot(true);
    timer->setInterval(0);
    QObject::connect(timer, &QTimer::timeout, owner, reload);
    QObject::connect(sender, signal, owner, [onOwnerThread, timer, reload] {
        if (*onOwnerThread) {
            *onOwnerThread = false;
            timer->stop();
            reload();
        } else if (!timer->isActive()) {
            timer->start();
        }
    });
}

} // namespace gpudeck
