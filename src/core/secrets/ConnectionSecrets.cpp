#include "secrets/ConnectionSecrets.h"

#include "secrets/SecretStore.h"
#include "secrets/WaitForAnswer.h"
#include "store/Database.h"
#include "store/SettingsRepository.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <memory>
#include <optional>

namespace gpudeck {
namespace {

Q_LOGGING_CATEGORY(lcConnectionSecrets, "gpudeck.secrets", QtInfoMsg)

const QString kAdoptionSetting = QStringLiteral("legacy_secrets");

QString kindSlug(SecretKind kind)
{
    switch (kind) {
    case SecretKind::Password:
        return QStringLiteral("password");
    case SecretKind::KeyPassphrase:
        return QStringLiteral("key-passphrase");
    case SecretKind::ProxmoxTokenSecret:
        return QStringLiteral("proxmox-token-secret");
    case SecretKind::WolPassword:
        return QStringLiteral("wol-password");
    }
    return QStringLiteral("key-passphrase");
}

QString pendingEntry(qint64 connectionId, SecretKind kind)
{
    return QStringLiteral("%1/%2").arg(connectionId).arg(kindSlug(kind));
}

} // namespace

ConnectionSecrets::ConnectionSecrets(SecretStore &store, Database &db, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_db(db)
{
}

QString ConnectionSecrets::key(const QString &instanceId, qint64 connectionId, SecretKind kind)
{
    return QStringLiteral("instance/%1/connection/%2/%3").arg(instanceId).arg(connectionId).arg(kindSlug(kind));
}

QString ConnectionSecrets::legacyKey(qint64 connectionId, SecretKind kind)
{
    return QStringLiteral("connection/%1/%2").arg(connectionId).arg(kindSlug(kind));
}

QString ConnectionSecrets::kindName(SecretKind kind)
{
    switch (kind) {
    case SecretKind::Password:
        return QStringLiteral("password");
    case SecretKind::KeyPassphrase:
        return QStringLiteral("key passphrase");
    case SecretKind::ProxmoxTokenSecret:
        return QStringLiteral("Proxmox API token secret");
    case SecretKind::WolPassword:
        return QStringLiteral("SecureOn password");
    }
    return QStringLiteral("key passphrase");
}

Result<QString> ConnectionSecrets::keyFor(qint64 connectionId, SecretKind kind) const
{
    const QString instanceId = m_db.instanceId();
    if (instanceId.isEmpty()) {
        // Never fall back to a name without the instance: that is how secrets crossed installs.
        return Error::internal(QStringLiteral("the database is not open, so this install's secrets have no name yet"));
    }
    if (connectionId <= 0) {
        return Error::validation(QStringLiteral("id"), QStringLiteral("no such connection"));
    }
    return key(instanceId, connectionId, kind);
}

void ConnectionSecrets::read(qint64 connectionId, SecretKind kind, std::function<void(Result<QString>)> done)
{
    const auto key = keyFor(connectionId, kind);
    if (!key.ok()) {
        SecretStore::replyToCallingThread()([done, error = key.error()] { done(error); }); // later, like the store
        return;
    }
    m_store.read(key.value(), [this, connectionId, kind, key = key.value(), done](Result<QString> found) {
        if (found.ok() || found.error().code != ErrorCode::NotFound || !adoptionPending(connectionId, kind)) {
            done(std::move(found));
            return;
        }
        adopt(connectionId, kind, key, found.error(), done);
    });
}

void ConnectionSecrets::adopt(qint64 connectionId, SecretKind kind, const QString &key, Error notFound,
                              std::function<void(Result<QString>)> done)
{
    const QString old = legacyKey(connectionId, kind);
    m_store.read(old, [this, connectionId, kind, key, old, notFound, done](Result<QString> legacy) {
        if (!legacy.ok()) {
            if (legacy.error().code == ErrorCode::NotFound) {
                endAdoption(connectionId, kind); // nothing to adopt: the old name is never read again
                done(notFound);
            } else {
                done(legacy.error()); // the keychain cannot answer now: adopt at a later read
            }
            return;
        }
        if (!adoptionPending(connectionId, kind)) {
            // Written or removed meanwhile: what is stored under the new name now is the answer.
            m_store.read(key, done);
            return;
        }
        const QString secret = legacy.value();
        m_store.write(key, secret, [this, connectionId, kind, old, secret, done](Status written) {
            if (!written.ok()) {
                done(written.error()); // still pending; the old entry stays where it was
                return;
            }
            endAdoption(connectionId, kind);
            qCInfo(lcConnectionSecrets).noquote()
                << QStringLiteral("connection %1's %2 moved to this install's own keychain entry")
                       .arg(connectionId)
                       .arg(kindName(kind));
            m_store.remove(old, [secret, done](Status removed) {
                if (!removed.ok()) {
                    qCWarning(lcConnectionSecrets).noquote() << removed.error().message;
                }
                done(secret);
            });
        });
    });
}

void ConnectionSecrets::write(qint64 connectionId, SecretKind kind, const QString &secret,
                              std::function<void(Status)> done)
{
    const auto key = keyFor(connectionId, kind);
    if (!key.ok()) {
        SecretStore::replyToCallingThread()([done, error = key.error()] { done(error); });
        return;
    }
    endAdoption(connectionId, kind); // the user's newer word wins over an old entry
    m_store.write(key.value(), secret, std::move(done));
}

void ConnectionSecrets::remove(qint64 connectionId, SecretKind kind, std::function<void(Status)> done)
{
    const auto key = keyFor(connectionId, kind);
    if (!key.ok()) {
        SecretStore::replyToCallingThread()([done, error = key.error()] { done(error); });
        return;
    }
    endAdoption(connectionId, kind);
    m_store.remove(key.value(), std::move(done));
}

void ConnectionSecrets::removeAll(qint64 connectionId, std::function<void(Status)> done)
{
    struct State
    {
        int remaining = 4;
        std::optional<Error> failure;
    };
    auto state = std::make_shared<State>();
    auto one = [state, done](Status s) {
        if (!s.ok() && !state->failure) {
            state->failure = s.error();
        }
        if (--state->remaining == 0) {
            done(state->failure ? Status(*state->failure) : Status());
        }
    };
    remove(connectionId, SecretKind::Password, one);
    remove(connectionId, SecretKind::KeyPassphrase, one);
    remove(connectionId, SecretKind::ProxmoxTokenSecret, one);
    remove(connectionId, SecretKind::WolPassword, one);
}

Result<QString> ConnectionSecrets::readBlocking(qint64 connectionId, SecretKind kind, int timeoutMs)
{
    auto answer = waitForAnswer<Result<QString>>(
        [&](std::function<void(Result<QString>)> done) { read(connectionId, kind, std::move(done)); }, timeoutMs);
    if (!answer) {
        Error error;
        error.code = ErrorCode::Unavailable;
        error.message = QStringLiteral("the system keychain did not answer within %1 ms while reading connection %2's "
                                       "%3 (is it locked and waiting for a password prompt?)")
                            .arg(timeoutMs)
                            .arg(connectionId)
                            .arg(kindName(kind));
        return error;
    }
    return std::move(*answer);
}

Status ConnectionSecrets::startAdoption(const QList<qint64> &newlyAllowed)
{
    const QJsonArray stored =
        SettingsRepository(m_db).value(kAdoptionSetting).value(QStringLiteral("pending")).toArray();
    QList<QPair<qint64, SecretKind>> pending;
    {
        QMutexLocker lock(&m_mutex);
        for (const QJsonValue &v : stored) {
            m_pending.insert(v.toString());
        }
        for (qint64 id : newlyAllowed) {
            m_pending.insert(pendingEntry(id, SecretKind::Password));
            m_pending.insert(pendingEntry(id, SecretKind::KeyPassphrase));
        }
        for (const QString &entry : std::as_const(m_pending)) {
            const qint64 id = entry.section(u'/', 0, 0).toLongLong();
            const QString slug = entry.section(u'/', 1);
            const SecretKind kind = slug == kindSlug(SecretKind::Password)      ? SecretKind::Password
                                    : slug == kindSlug(SecretKind::WolPassword) ? SecretKind::WolPassword
                                                                                : SecretKind::KeyPassphrase;
            pending.append({id, kind});
        }
    }
    if (!newlyAllowed.isEmpty()) {
        qCInfo(lcConnectionSecrets).noquote()
            << QStringLiteral("this database predates instance ids: its %1 connection(s) may adopt their keychain "
                              "entries of the old naming, once")
                   .arg(newlyAllowed.size());
        QJsonArray list;
        {
            QMutexLocker lock(&m_mutex);
            for (const QString &entry : std::as_const(m_pending)) {
                list.append(entry);
            }
        }
        if (Status s = SettingsRepository(m_db).setValue(kAdoptionSetting, {{QStringLiteral("pending"), list}});
            !s.ok()) {
            return s;
        }
    }
    for (const auto &[id, kind] : pending) {
        read(id, kind, [](const Result<QString> &) {}); // adopts, if there is anything to adopt
    }
    return {};
}

bool ConnectionSecrets::adoptionPending(qint64 connectionId, SecretKind kind) const
{
    QMutexLocker lock(&m_mutex);
    return m_pending.contains(pendingEntry(connectionId, kind));
}

void ConnectionSecrets::endAdoption(qint64 connectionId, SecretKind kind)
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_pending.remove(pendingEntry(connectionId, kind))) {
            return;
        }
    }
    // Written on the thread this object lives on (main), whichever thread ended it: worker threads keep no
    // database connection.
    QMetaObject::invokeMethod(this, [this] { storePending(); });
}

void ConnectionSecrets::storePending()
{
    QJsonArray list;
    {
        QMutexLocker lock(&m_mutex);
        for (const QString &entry : std::as_const(m_pending)) {
            list.append(entry);
        }
    }
    if (Status s = SettingsRepository(m_db).setValue(kAdoptionSetting, {{QStringLiteral("pending"), list}}); !s.ok()) {
        qCWarning(lcConnectionSecrets).noquote() << s.error().message;
    }
}

} // namespace gpudeck
