#include "proxmox/ProxmoxSource.h"

#include "store/Entities.h"

#include <QObject>
#include <QTimer>

namespace gpudeck {
namespace {

// Until the pvesh/pvecm fallback exists: every call answers that the connection needs an API token.
class NoShellSource : public ProxmoxSource
{
public:
    explicit NoShellSource(QString name)
        : m_name(std::move(name))
    {
    }
    QString kind() const override { return QStringLiteral("ssh"); }
    void get(const QString &, const ProxmoxParams &, Done done) override { refuse(std::move(done)); }
    void post(const QString &, const ProxmoxParams &, Done done) override { refuse(std::move(done)); }

private:
    void refuse(Done done)
    {
        const Error e = Error::make(ErrorCode::Conflict, QStringLiteral("proxmox_no_token"),
                                    QStringLiteral("connection '%1' has no Proxmox API token: set proxmox_token_id "
                                                   "and its secret (proxmox_token_secret)")
                                        .arg(m_name));
        QTimer::singleShot(0, &m_context, [done = std::move(done), e] { done(e); });
    }
    QString m_name;
    QObject m_context; // answers die with the source
};

} // namespace

std::unique_ptr<ProxmoxSource> makeProxmoxShellSource(const Connection &connection, SshPool &)
{
    return std::make_unique<NoShellSource>(connection.name);
}

} // namespace gpudeck
