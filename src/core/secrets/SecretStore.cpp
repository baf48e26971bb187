#include "secrets/SecretStore.h"

#include "secrets/WaitForAnswer.h"

#include <QObject>

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

} // namespace

SecretStore::~SecretStore() = default;

Result<QString> SecretStore::readBlocking(const QString &key, int timeoutMs)
{
    auto answer = waitForAnswer<Result<QString>>(
        [&](std::function<void(Result<QString>)> done) { read(key, std::move(done)); }, timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("reading"), key, timeoutMs);
    }
    return std::move(*answer);
}

Status SecretStore::writeBlocking(const QString &key, const QString &secret, int timeoutMs)
{
    auto answer = waitForAnswer<Status>([&](std::function<void(Status)> done) { write(key, secret, std::move(done)); },
                                        timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("writing"), key, timeoutMs);
    }
    return std::move(*answer);
}

Status SecretStore::removeBlocking(const QString &key, int timeoutMs)
{
    auto answer =
        waitForAnswer<Status>([&](std::function<void(Status)> done) { remove(key, std::move(done)); }, timeoutMs);
    if (!answer) {
        return timeoutError(QStringLiteral("removing"), key, timeoutMs);
    }
    return std::move(*answer);
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
