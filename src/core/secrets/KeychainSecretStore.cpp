#include "secrets/KeychainSecretStore.h"

#include "base/WorkerThread.h"

#include <QCoreApplication>
#include <QLibrary>
#include <QLoggingCategory>
#include <QMutex>
#include <qt6keychain/keychain.h>

namespace gpudeck {
namespace {

Q_LOGGING_CATEGORY(lcSecrets, "gpudeck.secrets", QtInfoMsg)

// The one thread that runs QtKeychain jobs (see the header for why there is exactly one per process): a
// WorkerThread holding a plain QObject that the jobs are queued to. Started on first use; stopped (the loop quit
// and the thread joined) when the QCoreApplication is destroyed.
QBasicMutex g_threadMutex;

WorkerThread<QObject> &keychainThread()
{
    static WorkerThread<QObject> thread(QStringLiteral("gpudeck-keychain"));
    return thread;
}

void stopKeychainThread()
{
    QMutexLocker lock(&g_threadMutex);
    keychainThread().stop();
}

// Queues `fn` on the keychain thread, started on first use; false without a QCoreApplication.
bool postToKeychainThread(std::function<void()> fn)
{
    QMutexLocker lock(&g_threadMutex);
    WorkerThread<QObject> &thread = keychainThread();
    if (!thread.isRunning()) {
        if (!QCoreApplication::instance()) {
            return false;
        }
        thread.start([] { return new QObject; });
        qAddPostRoutine(stopKeychainThread);
    }
    return thread.post([fn = std::move(fn)](QObject *) { fn(); });
}

// Debian's QtKeychain loads libsecret at run time by its unversioned name (libsecret-1.so). When that
// fails it falls back to KWallet and reports only "Unknown error"; this hint names the real cause.
QString libsecretHint()
{
#if defined(Q_OS_LINUX)
    static const bool loadable = QLibrary(QStringLiteral("secret-1")).load();
    if (!loadable) {
        return QStringLiteral(" (libsecret-1.so could not be loaded: install the libsecret-1-dev package, "
                              "which provides it)");
    }
#endif
    return {};
}

Error keychainError(QKeychain::Error code, const QString &detail, const QString &doing, const QString &key)
{
    Error error;
    error.code = ErrorCode::Unavailable;
    switch (code) {
    case QKeychain::EntryNotFound:
        error.code = ErrorCode::NotFound;
        error.message = QStringLiteral("no secret is stored in the system keychain for '%1'").arg(key);
        return error;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        error.message = QStringLiteral("the system keychain (Secret Service, e.g. gnome-keyring or KWallet) refused "
                                       "access while %1 '%2': it is locked and could not be unlocked (%3)")
                            .arg(doing, key, detail);
        return error;
    case QKeychain::NoError:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        break;
    }
    error.message = QStringLiteral("the system keychain (Secret Service, e.g. gnome-keyring or KWallet) is not "
                                   "available while %1 '%2': %3%4")
                        .arg(doing, key, detail.isEmpty() ? QStringLiteral("no details") : detail, libsecretHint());
    return error;
}

Error noApplicationError()
{
    return Error::internal(QStringLiteral("the keychain needs a QCoreApplication"));
}

void logFailure(const Error &error)
{
    if (error.code == ErrorCode::NotFound) {
        qCDebug(lcSecrets).noquote() << error.message;
    } else {
        qCWarning(lcSecrets).noquote() << error.message;
    }
}

// Runs `startJob` on the keychain thread; `finish` gets the finished job there and builds the answer,
// which `reply` delivers on the calling thread.
template<typename Answer, typename Make>
void runOnKeychainThread(Make makeJob, std::function<Answer(QKeychain::Job *)> finish,
                         std::function<void(std::function<void()>)> reply, std::function<void(Answer)> done)
{
    const bool queued = postToKeychainThread([makeJob = std::move(makeJob), finish = std::move(finish), reply, done] {
        QKeychain::Job *job = makeJob();
        job->setAutoDelete(true);
        QObject::connect(job, &QKeychain::Job::finished, job, [finish, reply, done](QKeychain::Job *finished) {
            Answer answer = finish(finished);
            reply([done, answer = std::move(answer)] { done(answer); });
        });
        job->start();
    });
    if (!queued) {
        reply([done = std::move(done)] { done(Answer(noApplicationError())); });
    }
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, bool allowInsecureFallback)
    : m_service(std::move(service))
    , m_allowInsecureFallback(allowInsecureFallback)
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

void KeychainSecretStore::read(const QString &key, std::function<void(Result<QString>)> done)
{
    const QString service = m_service;
    const bool fallback = m_allowInsecureFallback;
    runOnKeychainThread<Result<QString>>(
        [service, fallback, key]() -> QKeychain::Job * {
            auto *job = new QKeychain::ReadPasswordJob(service);
            job->setInsecureFallback(fallback);
            job->setKey(key);
            return job;
        },
        [key](QKeychain::Job *job) -> Result<QString> {
            if (job->error() == QKeychain::NoError) {
                return static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
            }
            Error error = keychainError(job->error(), job->errorString(), QStringLiteral("reading"), key);
            logFailure(error);
            return error;
        },
        replyToCallingThread(), std::move(done));
}

void KeychainSecretStore::write(const QString &key, const QString &secret, std::function<void(Status)> done)
{
    const QString service = m_service;
    const bool fallback = m_allowInsecureFallback;
    runOnKeychainThread<Status>(
        [service, fallback, key, secret]() -> QKeychain::Job * {
            auto *job = new QKeychain::WritePasswordJob(service);
            job->setInsecureFallback(fallback);
            job->setKey(key);
            job->setTextData(secret);
            return job;
        },
        [key](QKeychain::Job *job) -> Status {
            if (job->error() == QKeychain::NoError) {
                qCDebug(lcSecrets).noquote() << "stored the secret for" << key;
                return {};
            }
            Error error = keychainError(job->error(), job->errorString(), QStringLiteral("writing"), key);
            logFailure(error);
            return error;
        },
        replyToCallingThread(), std::move(done));
}

void KeychainSecretStore::remove(const QString &key, std::function<void(Status)> done)
{
    const QString service = m_service;
    const bool fallback = m_allowInsecureFallback;
    runOnKeychainThread<Status>(
        [service, fallback, key]() -> QKeychain::Job * {
            auto *job = new QKeychain::DeletePasswordJob(service);
            job->setInsecureFallback(fallback);
            job->setKey(key);
            return job;
        },
        [key](QKeychain::Job *job) -> Status {
            if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound) {
                return {};
            }
            Error error = keychainError(job->error(), job->errorString(), QStringLiteral("removing"), key);
            logFailure(error);
            return error;
        },
        replyToCallingThread(), std::move(done));
}

} // namespace gpudeck
