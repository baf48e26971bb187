#pragma once

#include <QEventLoop>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

namespace gpudeck {

// Waits on a local event loop of the calling thread for the one answer of an asynchronous call that replies on
// this thread (SecretStore's calls do), at most `timeoutMs`; nullopt on timeout. The shared state outlives this
// frame, so an answer that arrives after the timeout lands harmlessly. Worker threads only (never the GUI thread).
template<typename T>
std::optional<T> waitForAnswer(const std::function<void(std::function<void(T)>)> &start, int timeoutMs)
{
    struct State
    {
        std::optional<T> value;
        QEventLoop *loop = nullptr;
    };
    auto state = std::make_shared<State>();
    QEventLoop loop;
    state->loop = &loop;
    start([state](T value) {
        state->value = std::move(value);
        if (state->loop) {
            state->loop->quit();
        }
    });
    if (!state->value) {
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    state->loop = nullptr;
    return std::move(state->value);
}

} // namespace gpudeck
