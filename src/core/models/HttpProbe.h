#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QNetworkAccessManager;

namespace gpudeck {

class SshPool;

// Where a host's HTTP ports are reached.
struct ProbeTarget
{
    QString host;            // connection name, for messages
    QString address;         // IPv4 address (or a hostname not resolved yet)
    qint64 connectionId = 0; // for the SSH fallback
    bool sshConnected = false;
};

struct ProbeResult
{
    int status = 0; // HTTP status; 0 when nothing answered
    QByteArray body;
    bool refused = false; // nothing listens on the port (connection refused)
    bool viaSsh = false;  // answered through `curl` on the host over SSH
    QString error;        // why there is no answer, for people
    qint64 elapsedMs = 0;

    bool answered() const { return status > 0; }
    QString describe() const; // "HTTP 503", "connection refused", ...
};

// HTTP GETs to a host's model and service ports, on the thread it lives on (the models thread). Direct to the
// host's address first; when that cannot connect and the host's SSH link is up, the same GET is run on the host
// itself (`curl http://127.0.0.1:PORT/...` over the connection's session), which reaches ports that are
// firewalled from here. A host whose ports answered only that way is probed over SSH from then on (direct is
// retried every 5 minutes).
class HttpProbe : public QObject
{
    Q_OBJECT
public:
    HttpProbe(SshPool &pool, QObject *parent = nullptr);
    ~HttpProbe() override;

    void get(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
             std::function<void(const ProbeResult &)> done);

    // The model ids in an OpenAI `GET /v1/models` answer ({"data": [{"id": ...}]}).
    static QStringList listedModels(const QByteArray &body);

private:
    void direct(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                std::function<void(const ProbeResult &)> done);
    void overSsh(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                 std::function<void(const ProbeResult &)> done);

    enum class Reach { Unknown, Direct, SshOnly };
    struct HostReach
    {
        Reach reach = Reach::Unknown;
        QDateTime since;
    };

    SshPool &m_pool;
    QNetworkAccessManager *m_nam;
    QHash<QString, HostReach> m_reach; // by address
};

} // namespace gpudeck
