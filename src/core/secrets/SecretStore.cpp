#include "secrets/SecretStore.h"

#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace gpudeck {
namespace {

Error timeoutError(const QString &what, const QString &key, int timeoutMs)
{
    Error error;
    error.code = ErrorCode::Unavailable;
    error.message = QStringLiteral("the system keychain did not answer within %1 ms while %2 '%3' "
                                   "(is it locked and waiting for a password prompt?)")
                        .arg(timeoutMs)
                        .arg(what, key);
    return error;
}

// Waits on a local event loop for the answer of one asynchronous call. The shared state outlives this
// frame, so an answer that arrives after the timeout lands harmlessly.
template<typename T> std::optional<T> waitFor(const std::function<void(std::function<void(T)>)> &start, int timeoutMs)
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

} // namespace

SecretStore::~SecretStore() = default;

Result<QString> SecretStore::readBlocking(const QString &key, int timeoutMs)
{
    auto answer = waitFor<Result<QString>>(
        [&](std::function<void(Result<QString>)> done) { read(key, std::move(done)); }, timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("reading"), key, timeoutMs);
    }
    return std::move(*answer);
}

Status SecretStore::writeBlocking(const QString &key, const QString &secret, int timeoutMs)
{
    auto answer =
        waitFor<Status>([&](std::function<void(Status)> done) { write(key, secret, std::move(done)); }, timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("writing"), key, timeoutMs);
    }
    return std::move(*answer);
}

Status SecretStore::removeBlocking(const QString &key, int timeoutMs)
{
    auto answer = waitFor<Status>([&](std::function<void(Status)> done) { remove(key, std::move(done)); }, timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("removing"), key, timeoutMs);
    }
    return std::move(*answer);
}

QString SecretStore::passwordKey(qint64 connectionId)
{
    return QStringLiteral("connection/%1/password").arg(connectionId);
}

QString SecretStore::passphraseKey(qint64 connectionId)
{
    return QStringLiteral("connection/%1/key-passphrase").arg(connectionId);
}

std::function<void(std::function<void()>)> SecretStore::replyToCallingThread()
{
    // A QObject created here lives on the calling thread; a queued call on it runs on that thread's loop.
    // It deletes itself after delivering (if the thread ends first, the pending call is dropped with it).
    auto *context = new QObject;
    return [context](std::function<void()> fn) {
        QMetaObject::invokeMethod(
            context,
            [context, fn = std::move(fn)] {
                fn();
                context->deleteLater();
            },
            Qt::QueuedConnection);
    };
}

} // namespace gpudeck
